# SPDX-License-Identifier: GPL-2.0
"""Supervises the runner's child processes: starts each in a session of
its own with its output in a file, waits for it while the caller looks at
how it is doing, kills it (and all it started) when the caller says so or
a time limit runs out, says how it ended in one wording, and prints the
progress lines of a long run.

The callers decide what progress means (run.py: a test's result event,
kunit.py: a KUnit case's result line); this module only keeps the time."""
import contextlib
import os
import signal
import subprocess
import threading
import time

PROGRESS_EVERY = 30.0   # seconds between progress lines of a long run
POLL = 1.0              # seconds between two looks at a running process


def start(cmd, out, env, stdin=None):
    """cmd in a session of its own, so that kill() ends what it started
    too; its stdout and stderr go to the open file out; stdin as
    subprocess.Popen takes it (PIPE: the caller writes it)."""
    return subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)


def kill(proc):
    """SIGKILL to the process and its whole session."""
    os.killpg(proc.pid, signal.SIGKILL)


def supervise(proc, look):
    """Waits for proc to end.  Every POLL seconds, and once more after it
    ended, calls look(running); when look returns true while the process
    runs, the process and its session are killed.  Returns the exit
    status (negative: the signal that ended it)."""
    status = None
    while status is None:
        try:
            status = proc.wait(timeout=POLL)
        except subprocess.TimeoutExpired:
            pass
        if look(status is None) and status is None:
            kill(proc)
    return status


def describe_status(status):
    """How a process ended, in the words every report uses."""
    if status is None:
        return "still running"
    if status < 0:
        return "killed by signal %d (%s)" % (-status, signal.Signals(-status).name)
    return "exit status %d" % status


class Watchdog:
    """A time limit on a stretch without progress (a test that runs, a
    console where no case ends); limit 0 is none."""

    def __init__(self, limit):
        self.limit, self.since = limit, None

    def reset(self):
        """Progress now: the stretch starts again."""
        self.since = time.monotonic()

    def clear(self):
        """Nothing to watch until the next reset."""
        self.since = None

    def overdue(self):
        """The seconds the stretch has lasted, once past the limit; else
        None."""
        if not self.limit or self.since is None:
            return None
        elapsed = time.monotonic() - self.since
        return elapsed if elapsed > self.limit else None


def say(line):
    """A progress or verdict line, out at once (make -j mixes outputs)."""
    print(line, flush=True)


class Every:
    """For a loop that polls: due() is true once every PROGRESS_EVERY
    seconds."""

    def __init__(self, seconds=PROGRESS_EVERY):
        self.seconds, self.last = seconds, time.monotonic()

    def due(self):
        now = time.monotonic()
        if now - self.last < self.seconds:
            return False
        self.last = now
        return True


@contextlib.contextmanager
def progress_lines(line, seconds=PROGRESS_EVERY):
    """While the block runs, prints line() every PROGRESS_EVERY seconds,
    though what the block waits for is slow."""
    finished = threading.Event()

    def loop():
        while not finished.wait(seconds):
            say(line())
    threading.Thread(target=loop, daemon=True).start()
    try:
        yield
    finally:
        finished.set()
