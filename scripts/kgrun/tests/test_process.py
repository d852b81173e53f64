# SPDX-License-Identifier: GPL-2.0
"""process.py: how a process ended in one wording, the time limits, the
kill of a whole session, the progress lines; and valgrind.py's command."""
import contextlib
import io
import os
import tempfile
import time
import unittest
from unittest import mock

from tests import data

import process
import valgrind as vg


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


class DescribeStatus(unittest.TestCase):
    def test_wording(self):
        self.assertEqual(process.describe_status(None), "still running")
        self.assertEqual(process.describe_status(0), "exit status 0")
        self.assertEqual(process.describe_status(2), "exit status 2")
        self.assertEqual(process.describe_status(-9), "killed by signal 9 (SIGKILL)")
        self.assertEqual(process.describe_status(-11), "killed by signal 11 (SIGSEGV)")


class Supervise(unittest.TestCase):
    def start(self, script):
        out = tempfile.TemporaryFile()
        self.addCleanup(out.close)
        return process.start(["sh", "-c", script], out, dict(os.environ)), out

    def test_looks_until_the_end_and_once_after(self):
        proc, _ = self.start("sleep 0.3; exit 4")
        looks = []
        with mock.patch.object(process, "POLL", 0.05):
            status = process.supervise(proc, lambda alive: looks.append(alive))
        self.assertEqual(status, 4)
        self.assertEqual(looks[-1], False)
        self.assertTrue(all(looks[:-1]) and len(looks) > 1)

    def test_a_kill_ends_the_whole_session(self):
        proc, out = self.start("sleep 60 & echo $!; wait")
        with mock.patch.object(process, "POLL", 0.05):
            status = process.supervise(proc, lambda alive: alive and out.tell() > 0)
        self.assertEqual(process.describe_status(status), "killed by signal 9 (SIGKILL)")
        out.seek(0)
        child = int(out.read().decode())
        for _ in range(50):     # the sleep, killed too, is reaped by init
            if not alive(child):
                break
            time.sleep(0.02)
        else:
            self.fail("the child of a killed process still runs")


class Watchdog(unittest.TestCase):
    def test_limit(self):
        dog = process.Watchdog(0.05)
        self.assertIsNone(dog.overdue())     # not started
        dog.reset()
        self.assertIsNone(dog.overdue())
        time.sleep(0.08)
        self.assertGreater(dog.overdue(), 0.05)
        dog.clear()
        self.assertIsNone(dog.overdue())

    def test_no_limit(self):
        dog = process.Watchdog(0)
        dog.reset()
        time.sleep(0.01)
        self.assertIsNone(dog.overdue())


class Progress(unittest.TestCase):
    def test_every(self):
        every = process.Every(0.05)
        self.assertFalse(every.due())
        time.sleep(0.06)
        self.assertTrue(every.due())
        self.assertFalse(every.due())

    def test_progress_lines_while_the_block_runs(self):
        said = io.StringIO()
        with contextlib.redirect_stdout(said):
            with process.progress_lines(lambda: "  still going", 0.05):
                time.sleep(0.18)
            time.sleep(0.1)
        lines = said.getvalue().splitlines()
        self.assertTrue(2 <= len(lines) <= 4, lines)
        self.assertEqual(set(lines), {"  still going"})

    def test_one_constant(self):
        self.assertEqual(process.PROGRESS_EVERY, 30.0)


class ValgrindCommand(unittest.TestCase):
    # make's VALGRIND, as the Makefile writes it (SUPP= and VGDB= unset).
    MAKE = ("valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect"
            " --errors-for-leak-kinds=definite --num-callers=40 --fair-sched=yes"
            " --child-silent-after-fork=yes --suppressions=/k/harness/valgrind.supp  ")

    def test_words(self):
        self.assertEqual(vg.words(""), [])
        self.assertEqual(vg.words(self.MAKE), self.MAKE.split())
        # Quoted as a shell would: a path with a space stays one word.
        self.assertEqual(vg.words("valgrind --suppressions='/my dir/x.supp'"),
                         ["valgrind", "--suppressions=/my dir/x.supp"])

    def test_wrap(self):
        self.assertEqual(vg.wrap(["valgrind", "-q"], ["/b/t", "--x"], "/r/s.xml", "/r/s.log"),
                         ["valgrind", "-q", "--xml=yes", "--xml-file=/r/s.xml",
                          "--log-file=/r/s.log", "/b/t", "--x"])
        self.assertEqual(vg.log_beside("/r/s.memcheck.2.xml"), "/r/s.memcheck.2.log")
        self.assertEqual(vg.env("/r/s.xml", "/r/s.log"),
                         {"KG_MEMCHECK_XML": "/r/s.xml", "KG_MEMCHECK_LOG": "/r/s.log"})

    def test_messages_leave_out_the_error_listings(self):
        # A valgrind -v log: its error listing at exit runs from
        # "1 errors in context 1 of 5:" to the next bare "==1939== ".
        said = vg.messages(data("memcheck", "selftest.memcheck.log")).splitlines()
        self.assertEqual(len(said), 40)
        self.assertEqual(said[-2:], ["==1939== ", "==1939== ERROR SUMMARY: 5 errors from"
                                     " 5 contexts (suppressed: 0 from 0)"])
        self.assertEqual(said[-3], "==1939== ERROR SUMMARY: 5 errors from 5 contexts"
                                   " (suppressed: 0 from 0)")
        self.assertEqual(vg.messages("/nonexistent.log"), "")

    def test_internal_error_is_valgrinds_own_failure(self):
        # Valgrind's assertion when a system call it restarts changed
        # under it (kgrind-run's patching, before the fix).
        said = vg.internal_error(data("memcheck", "valgrind_assertion.log"))
        self.assertTrue(said.startswith("valgrind: m_syswrap/syswrap-main.c:2637"), said)
        self.assertIsNone(vg.internal_error(data("memcheck", "selftest.memcheck.log")))
        self.assertIsNone(vg.internal_error("/nonexistent.log"))


if __name__ == "__main__":
    unittest.main()
