# SPDX-License-Identifier: GPL-2.0
"""Runs one suite binary, natively or under memcheck, until every selected
test has a result.  A test that ends the process (kernel panic, host
crash, hang) fails with what the process said, and the suite goes on in a
fresh process from the next test.

The binary (harness/lib/kg_suite.c) appends one JSON event a line to
--results=FILE: a test's "start" and "result", a "fatal" from the kernel,
a sweep's "step" and "injected", the boot's leaks.  The last
"start" without its "result" names the test that ended the process."""
import json
import os
import subprocess
import time

import memcheck_xml
import process
import valgrind as vg

KILL_GRACE = 60.0       # after the in-process watchdog should have fired
RUNNER_ENTRIES = ("setup", "halt")     # the runner's own, not the suite's


class SuiteRun:
    """One suite's run: its processes, one after another, until every
    selected test has a result; result() is formats.py's dict.  valgrind
    is make's VALGRIND command, one string (for mode memcheck)."""

    def __init__(self, suite, binary, mode, reports, globs, timeout,
                 valgrind="", quiet=False, extra_args=(), stop=None):
        self.suite, self.binary, self.mode = suite, binary, mode
        self.reports, self.globs, self.timeout = reports, globs, timeout
        self.valgrind = vg.words(valgrind)   # make's VALGRIND, one string
        self.quiet = quiet
        self.base = os.path.join(reports, suite)
        self.events_path = self.base + ".events"
        self.out_path = self.base + ".out"
        self.extra_args = list(extra_args)   # e.g. a sweep step's --fail-nth
        self.stop = stop        # a threading.Event: kill the process, run no more
        self.tests = {}         # index -> test result (a sweep's: its last step's)
        self.steps = {}         # (test index, N) -> the result of a sweep's step N
        self.injected = {}      # (test index, N) -> faults sweep step N injected
        self.names = {}         # test index -> name
        self.xml_files = []

    def plan(self):
        """The selected tests: [(index, name)], from the binary itself."""
        cmd = [self.binary, "--list"]
        if self.globs:
            cmd.append("--tests=" + self.globs)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            return None, proc.stderr.strip()
        planned = []
        for line in proc.stdout.splitlines():
            index, name = line.split(" ", 1)
            planned.append((int(index), name.split(".", 1)[1]))
        return planned, None

    def _command(self, start, xml):
        cmd = [self.binary, "--from=%d" % start,
               "--results=" + self.events_path]
        if self.timeout:
            cmd.append("--timeout=%g" % self.timeout)
        if self.globs:
            cmd.append("--tests=" + self.globs)
        cmd += self.extra_args
        if self.mode == "memcheck":
            cmd = vg.wrap(self.valgrind, cmd, vg.per_process(xml),
                          vg.log_beside(xml))
        return cmd

    def _read_events(self, offset):
        try:
            with open(self.events_path, encoding="utf-8") as f:
                f.seek(offset)
                data = f.read()
        except OSError:
            return [], offset
        # Only whole lines: the process may be writing the next one.
        whole = data[:data.rfind("\n") + 1]
        events = [json.loads(line) for line in whole.splitlines() if line]
        return events, offset + len(whole.encode())

    def _one_process(self, start, run_number, started_at):
        """Runs the binary from test `start`; returns (events, status, out)."""
        xml = "%s.memcheck%s.xml" % (
            self.base, "" if run_number == 1 else ".%d" % run_number)
        # A child's reports go to its own file; this process's, once it
        # ended, to xml.
        pattern, log = vg.per_process(xml), vg.log_beside(xml)
        for stale in vg.forked_children(xml):
            os.remove(stale)
        env = dict(os.environ, **vg.env(pattern, log))
        with open(self.events_path, "a"):
            pass
        offset = os.path.getsize(self.events_path)
        out_offset = os.path.getsize(self.out_path) if os.path.exists(self.out_path) else 0
        if self.mode == "memcheck":
            self.xml_files.append(xml)
        with open(self.out_path, "a") as out:
            proc = process.start(self._command(start, xml), out, env)
        events, running = [], None
        test_time = process.Watchdog(self.timeout + KILL_GRACE if self.timeout else 0)
        progress = process.Every()

        def look(alive):
            nonlocal offset, running
            new, offset = self._read_events(offset)
            for ev in new:
                if ev["event"] == "start":
                    running = ev
                    test_time.reset()
                elif ev["event"] == "result":
                    running = None
                    test_time.clear()
            events.extend(new)
            kill = alive and self.stopped()
            late = test_time.overdue() if alive and running and not kill else None
            if late:
                kill = True
                events.append({"event": "fatal", "index": running["index"],
                               "name": running["name"],
                               "detail": "timed out after %.0f s; the process did not answer and was killed"
                               % late})
            if not self.quiet and progress.due():
                done = len(self.tests) + \
                    sum(1 for e in events if e["event"] == "result")
                process.say("  %s (%s): %d tests done, %.0f s" % (
                    self.suite, self.mode, done, time.monotonic() - started_at))
            return kill
        status = process.supervise(proc, look)
        if self.mode == "memcheck":
            vg.adopt(pattern, proc.pid, xml)
            vg.drop_quiet_children(xml)
        with open(self.out_path, errors="replace") as f:
            f.seek(out_offset)
            out = f.read()
        if self.mode == "memcheck" and status != 0:
            out += vg.messages(vg.log_beside(xml))
        return events, status, out

    def run(self):
        planned, error = self.plan()
        started_at = time.monotonic()
        for path in (self.events_path, self.out_path):
            if os.path.exists(path):
                os.remove(path)
        if planned is None:
            self.tests[0] = {"name": "start", "status": "fail",
                             "detail": "the suite did not start: " + error}
            return self.result(started_at)
        if not planned:
            return self.result(started_at)
        names = self.names = dict(planned)
        start, run_number, outside = 1, 1, []
        while True:
            events, status, out = self._one_process(start, run_number, started_at)
            fatal = {e["index"]: e for e in events if e["event"] == "fatal"}
            begun = [e for e in events if e["event"] == "start"]
            crashed, step = [], None
            for e in events:
                if e["event"] == "step":
                    step = (e["index"], e["nth"])
                elif e["event"] == "start":
                    crashed = [e]
                elif e["event"] == "result":
                    self.tests[e["index"]] = e
                    crashed = []
                    if step is not None:
                        self.steps[step], step = e, None
                elif e["event"] == "injected":
                    self.injected[(e["index"], e["nth"])] = e["faults"]
            unattributed = self._unattributed(run_number, events)
            if not begun and status != 0:
                self.tests[0] = {"name": "start", "status": "fail",
                                 "detail": "the suite's process failed before its first test (exit status %d):\n%s"
                                 % (status, out.strip()[-4000:])}
                break
            if crashed:
                index = crashed[-1]["index"]
                if index in fatal:
                    detail = fatal[index]["detail"]
                else:
                    detail = "the process ended (%s) during this test; its last output:\n%s" % (
                        process.describe_status(status), "\n".join(out.splitlines()[-30:]))
                if unattributed:
                    # Where it died comes first: memcheck's stack of the fault.
                    why, _, rest = detail.partition("\n")
                    detail = "%s\n--- memcheck, before the process ended ---\n%s%s" % (
                        why, memcheck_xml.render(unattributed), rest)
                self.tests[index] = {"index": index, "name": names.get(index, "?"),
                                     "status": "fail", "detail": detail,
                                     "errors": len(unattributed)}
                if step is not None:
                    self.steps[step] = self.tests[index]
            else:
                outside += unattributed
            remaining = [i for i, _ in planned if i not in self.tests]
            if self.stopped():
                break
            if crashed and self.globs and all(names[i] in RUNNER_ENTRIES for i in remaining):
                # Only the runner's halt is left of a selection: a fresh
                # process would have nothing of it to run.
                for i in remaining:
                    self.tests[i] = {"index": i, "name": names[i], "status": "skip",
                                     "detail": "not run: the test before it ended the process"}
                break
            if not crashed or not remaining:
                for i in remaining:
                    self.tests[i] = {"index": i, "name": names[i], "status": "fail",
                                     "detail": "not run: the suite's process ended (%s)"
                                     % process.describe_status(status)}
                break
            start, run_number = crashed[-1]["index"] + 1, run_number + 1
        if outside:
            self.tests[10 ** 6] = {
                "name": "memcheck_outside_tests", "status": "fail",
                "errors": len(outside),
                "detail": "memcheck reported %d error(s) outside any test:\n%s"
                % (len(outside), memcheck_xml.render(outside))}
        return self.result(started_at)

    def stopped(self):
        return self.stop is not None and self.stop.is_set()

    def _unattributed(self, run_number, events):
        """memcheck reports of a whole run that no test counted as its own."""
        if self.mode != "memcheck":
            return []
        errors = memcheck_xml.read_errors(self.xml_files[run_number - 1])
        # "boot": leaks the kernel left at boot on purpose (kg_mc_after_boot)
        # A test run in a forked child (--fork) has its reports in the
        # child's own file.
        attributed = sum(e.get("reports", 0) for e in events
                         if e["event"] in ("result", "boot") and "forked" not in e)
        return errors[attributed:] if len(errors) > attributed else []

    def result(self, started_at):
        tests = []
        for index in sorted(self.tests):
            t = self.tests[index]
            status = t.get("status", "fail")
            test = {"name": t["name"], "status": status,
                    "seconds": t.get("seconds", 0.0),
                    "errors": t.get("errors", 0),
                    "leaked": t.get("leaked", 0),
                    "detail": t.get("detail", "")}
            if t.get("memcheck_reports"):
                # What failed it, as data: each report's kind, frames, text.
                test["memcheck_reports"] = t["memcheck_reports"]
            tests.append(test)
        result = {"suite": self.suite, "mode": self.mode,
                  "seconds": time.monotonic() - started_at, "tests": tests}
        if self.mode == "memcheck":
            with open(self.base + ".memcheck.txt", "w") as f:
                for n, xml in enumerate(self.xml_files, 1):
                    f.write("=== %s, process %d (%s)\n" % (self.suite, n, xml))
                    f.write(memcheck_xml.render(memcheck_xml.read_errors(xml)) or
                            "no errors\n")
                    at_exit = memcheck_xml.read_errors(xml, at_exit=True)
                    if at_exit:
                        f.write("--- leaks memcheck listed at exit, after the last"
                                " test's own leak check\n")
                        f.write(memcheck_xml.render(at_exit))
                    for child in vg.forked_children(xml):
                        f.write("=== %s, process %d, a forked child (%s)\n"
                                % (self.suite, n, child))
                        f.write(memcheck_xml.render(memcheck_xml.read_errors(child)))
        return result
