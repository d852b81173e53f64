# SPDX-License-Identifier: GPL-2.0
"""run.py's SuiteRun over a stand-in suite binary (fake_suite.py): each
test gets a result, a test that ends the process fails with what the
process said, and the suite goes on in a fresh process from the next
test; the result is what formats.py and result.json expect."""
import os
import shutil
import tempfile
import unittest
from unittest import mock

from tests import RUNNER

import formats
import process
import run

FAKE = os.path.join(RUNNER, "tests", "fake_suite.py")


class SuiteRunTest(unittest.TestCase):
    def setUp(self):
        self.reports = tempfile.mkdtemp()
        poll = mock.patch.object(process, "POLL", 0.1)
        poll.start()
        self.addCleanup(poll.stop)

    def tearDown(self):
        shutil.rmtree(self.reports)

    def run_fake(self, tests, timeout=0, globs=""):
        with mock.patch.dict(os.environ, FAKE_TESTS=tests):
            suite = run.SuiteRun("fake", FAKE, "native", self.reports, globs, timeout,
                                 quiet=True)
            result = suite.run()
        return suite, result, {t["name"]: t for t in result["tests"]}

    def test_crashes_fail_their_test_and_the_suite_goes_on(self):
        suite, result, tests = self.run_fake(
            "setup:pass,passes:pass,fails:fail,crashes:fatal,after_crash:pass,"
            "dies:signal,after_death:pass,halt:pass")
        self.assertEqual([(t["name"], t["status"]) for t in result["tests"]], [
            ("setup", "pass"), ("passes", "pass"), ("fails", "fail"), ("crashes", "fail"),
            ("after_crash", "pass"), ("dies", "fail"), ("after_death", "pass"),
            ("halt", "pass")])
        self.assertEqual(sorted(result), ["mode", "seconds", "suite", "tests"])
        self.assertEqual(sorted(tests["passes"]),
                         ["detail", "errors", "leaked", "name", "seconds", "status"])
        self.assertEqual(tests["fails"]["detail"], "fails.c:12: CU_ASSERT(0)")
        # The kernel's word, from the "fatal" event.
        self.assertTrue(tests["crashes"]["detail"].startswith(
            "Oops: host signal 11 (SIGSEGV) at address 0x10\n--- kernel console (tail) ---"))
        # No word: how the process ended, and its last output.
        self.assertEqual(tests["dies"]["detail"],
                         "the process ended (killed by signal 11 (SIGSEGV)) during this test;"
                         " its last output:\nKTAP version 1\n1..8\nok 5 fake.after_crash\n"
                         "fake: dies is about to die")
        self.assertEqual(formats.counts(result)["fail"], 3)

    def test_a_hung_test_is_killed_after_its_limit_and_the_grace(self):
        with mock.patch.object(run, "KILL_GRACE", 0.5):
            _, result, tests = self.run_fake("setup:pass,hangs:hang,after_hang:pass", timeout=0.5)
        self.assertEqual(tests["hangs"]["status"], "fail")
        self.assertRegex(tests["hangs"]["detail"],
                         r"^timed out after \d s; the process did not answer and was killed$")
        self.assertEqual(tests["after_hang"]["status"], "pass")

    def test_the_last_test_ending_the_process(self):
        _, result, tests = self.run_fake("setup:pass,dies:signal")
        self.assertEqual([t["status"] for t in result["tests"]], ["pass", "fail"])

    def test_a_selection_that_ends_with_the_runners_halt(self):
        # Only the runner's halt is left: a fresh process would not run it.
        _, result, tests = self.run_fake("setup:pass,halt:pass", globs="setup")
        self.assertEqual([(t["name"], t["status"]) for t in result["tests"]], [("setup", "pass")])

    def test_a_suite_that_does_not_start(self):
        binary = os.path.join(self.reports, "test_fake")
        with open(binary, "w") as f:
            f.write("#!/bin/sh\necho 'kgrind: cannot set up the fake suite: no memory' >&2\nexit 2\n")
        os.chmod(binary, 0o755)
        result = run.SuiteRun("fake", binary, "native", self.reports, "", 0).run()
        self.assertEqual(result["tests"], [{
            "name": "start", "status": "fail", "seconds": 0.0, "errors": 0, "leaked": 0,
            "detail": "the suite did not start: kgrind: cannot set up the fake suite: no memory"}])

    def test_the_memcheck_command(self):
        suite = run.SuiteRun("fake", "/b/test_fake", "memcheck", self.reports, "fake.x", 7,
                             "valgrind --tool=memcheck  --suppressions='/a b/k.supp'",
                             extra_args=["--fail-nth=3"])
        xml = os.path.join(self.reports, "fake.memcheck.xml")
        self.assertEqual(suite._command(1, xml), [
            "valgrind", "--tool=memcheck", "--suppressions=/a b/k.supp", "--xml=yes",
            "--xml-file=" + xml[:-4] + ".pid%p.xml", "--log-file=" + xml[:-4] + ".log",
            "/b/test_fake", "--from=1", "--results=" + os.path.join(self.reports, "fake.events"),
            "--timeout=7", "--tests=fake.x", "--fail-nth=3"])


if __name__ == "__main__":
    unittest.main()
