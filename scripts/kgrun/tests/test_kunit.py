# SPDX-License-Identifier: GPL-2.0
"""make kunit's reading of KUnit's consoles (kunit_parser.py) and its
handling of a case that ends its process (kunit.py), over the consoles
of make kunit-selftest's suite under memcheck: the crash of
kgrind_selftest_crash cuts the first process short, and the case after
it runs alone in a second one."""
import argparse
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

from tests import data, read_data

import kunit
import kunit_parser as parser
import process

SUITE = "kgrind_kunit_selftest"
CASES = ["kgrind_selftest_clean", "kgrind_selftest_leak",
         "kgrind_selftest_uninit_branch", "kgrind_selftest_read_past_end",
         "kgrind_selftest_past_limit", "kgrind_selftest_crash",
         "kgrind_selftest_after_crash"]
CRASHED = read_data("kunit", "kgrind_kunit_selftest.1.console").splitlines()
ALONE = read_data("kunit", "kgrind_kunit_selftest.kgrind_selftest_after_crash.2.console").splitlines()


def kunit_args(**kw):
    args = dict(bin="/nonexistent", reports=tempfile.gettempdir(), timeout=0,
                native_timeout=0, valgrind="", expect="", filter="", attr="",
                selftest=True)
    args.update(kw)
    return argparse.Namespace(**args)


class RecordedKunit(kunit.Kunit):
    """Kunit whose processes print the recorded consoles."""

    def __init__(self, consoles):
        super().__init__(kunit_args(), "memcheck")
        self.consoles, self.asked = consoles, []

    def _process(self, name, options, watch_cases):
        self.asked.append((name, options))
        lines, why = self.consoles[name]
        return lines, why


class ConsoleParsing(unittest.TestCase):
    def test_crashed_block_ends_at_the_fatal_error(self):
        entries, ended = parser.suite_block(CRASHED, SUITE)
        self.assertFalse(ended)
        # The console tail after the fatal error repeats cases: not read.
        self.assertEqual([c for c in entries if c != parser.SUITE_ATTR], CASES[:5])
        self.assertEqual(entries[parser.SUITE_ATTR], ["    # module: kunit_selftest"])
        self.assertEqual(entries["kgrind_selftest_leak"][-1], "    not ok 2 kgrind_selftest_leak")

    def test_the_case_begun_last_is_the_one_that_crashed(self):
        missing = CASES[5:]
        self.assertEqual(parser.crashed_case(CRASHED, SUITE, missing), "kgrind_selftest_crash")
        # Without "begin" lines, the first case that has no result.
        self.assertEqual(parser.crashed_case([], SUITE, missing), "kgrind_selftest_crash")

    def test_crashed_entry_says_the_kernels_why(self):
        entry = parser.crashed_entry("kgrind_selftest_crash", "the process ended (exit status 2)",
                                     CRASHED)
        self.assertEqual(entry[0], "    # kgrind_selftest_crash: Oops: host signal 11 (SIGSEGV) at address 0x10")
        self.assertEqual(entry[-1], "    not ok 0 kgrind_selftest_crash")
        self.assertNotIn("# kgrind: begin", "\n".join(entry))
        # Without a fatal error, the why it is given.
        entry = parser.crashed_entry("c", "timed out: no case ended for 9 s (hung kernel or case)",
                                     ["    KTAP version 1"])
        self.assertEqual(entry[0], "    # c: timed out: no case ended for 9 s (hung kernel or case)")

    def test_list_attr_puts_slow_suites_first_and_the_selftest_apart(self):
        lines = read_data("kunit", "list_attr.console").splitlines()
        self.assertEqual(parser.listed_cases(lines, SUITE, True), [(SUITE, CASES)])
        self.assertEqual(parser.listed_cases(lines, SUITE, False), [
            ("time_test_cases", ["time64_to_tm_test_date_range"]),
            ("list_sort", ["list_sort_test"]),
            ("hash", ["test_string_or", "test_hash_or"])])

    def test_boot_errors(self):
        lines = ["# kgrind: at boot: memcheck Leak_DefinitelyLost: 8 bytes", "    ok 1 x"]
        self.assertEqual(parser.boot_errors(lines), {"memcheck Leak_DefinitelyLost: 8 bytes"})

    def test_leaf_counts_errors_and_leaked_bytes(self):
        diags = ["c: memcheck Leak_DefinitelyLost: 1,024 bytes in 2 blocks are definitely lost",
                 "c: memcheck InvalidRead: Invalid read of size 4",
                 "c: memcheck UninitCondition (claimed, on purpose: x): Conditional jump"]
        test, _ = parser.leaf("c", ("not ok", ""), diags, "c")
        self.assertEqual((test["status"], test["errors"], test["leaked"]), ("fail", 1, 1024))
        self.assertTrue(test["detail"].startswith("memcheck Leak_DefinitelyLost: 1,024"))

    def test_params_are_tests_of_their_own(self):
        entry = ["        ok 1 one", "        # c: memcheck InvalidRead: Invalid read of size 1",
                 "        not ok 2 two", "        ok 3 three # SKIP not here", "    ok 1 c"]
        result = parser.suite_result("s", "memcheck", ["c"], {"c": entry}, 1.0)
        self.assertEqual([(t["name"], t["status"]) for t in result["tests"]],
                         [("c.one", "pass"), ("c.two", "fail"), ("c.three", "skip")])
        # The case is not ok when a param is.
        self.assertIn("    not ok 1 c", result["ktap"])


class CrashInTheMiddle(unittest.TestCase):
    """Kunit.run_suite over the recorded consoles, as make kunit-selftest
    runs it under memcheck."""

    def setUp(self):
        self.run_ = RecordedKunit({
            SUITE: (CRASHED, "the process ended (exit status 2)"),
            SUITE + ".kgrind_selftest_after_crash": (ALONE, None)})
        self.result = self.run_.run_suite(SUITE, CASES)
        self.tests = {t["name"]: t for t in self.result["tests"]}

    def test_the_case_after_the_crash_runs_alone(self):
        self.assertEqual([name for name, _ in self.run_.asked],
                         [SUITE, SUITE + ".kgrind_selftest_after_crash"])
        self.assertIn("kunit.filter_glob=%s.kgrind_selftest_after_crash" % SUITE,
                      self.run_.asked[1][1])

    def test_each_case_has_its_verdict(self):
        self.assertEqual([(t["name"], t["status"]) for t in self.result["tests"]], [
            ("kgrind_selftest_clean", "pass"), ("kgrind_selftest_leak", "fail"),
            ("kgrind_selftest_uninit_branch", "fail"), ("kgrind_selftest_read_past_end", "fail"),
            ("kgrind_selftest_past_limit", "skip"), ("kgrind_selftest_crash", "fail"),
            ("kgrind_selftest_after_crash", "pass")])
        self.assertEqual(self.tests["kgrind_selftest_leak"]["leaked"], 16)
        self.assertEqual(self.tests["kgrind_selftest_leak"]["errors"], 0)
        self.assertEqual(self.tests["kgrind_selftest_read_past_end"]["errors"], 1)

    def test_make_kunit_selftest_would_pass(self):
        said = io.StringIO()
        with contextlib.redirect_stdout(said):
            self.assertTrue(kunit.selftest_verdict("memcheck", [self.result]), said.getvalue())

    def test_the_ktap_block_is_renumbered_and_whole(self):
        block = self.result["ktap"]
        self.assertEqual(block[:4], ["    KTAP version 1", "    # Subtest: " + SUITE,
                                     "    # module: kunit_selftest", "    1..7"])
        results = [line for line in block if parser.CASE_RESULT.match(line)]
        self.assertEqual(results[5], "    not ok 6 kgrind_selftest_crash")
        self.assertEqual(results[6], "    ok 7 kgrind_selftest_after_crash")
        self.assertEqual(block[-1], "# %s: pass:2 fail:4 skip:1 total:7" % SUITE)
        document = parser.ktap_document([self.result])
        self.assertTrue(document.startswith("KTAP version 1\n1..1\n"))
        self.assertTrue(document.endswith("not ok 1 %s\n" % SUITE))

    def test_kunit_py_parse_counts_the_document_as_the_summary_does(self):
        kunit_py = os.path.join(os.path.dirname(__file__), "..", "..", "..", "build", "linux",
                                "tools", "testing", "kunit", "kunit.py")
        if not os.path.exists(kunit_py):
            self.skipTest("no kernel tree in build/linux")
        out = subprocess.run([sys.executable, kunit_py, "parse"], input=parser.ktap_document(
            [self.result]), capture_output=True, text=True).stdout
        self.assertEqual(parser.kunit_py_summary(out), (2, 4, 1))

    def test_kunit_py_summary(self):
        self.assertEqual(parser.kunit_py_summary(
            "Ran 7 tests: passed: 2, failed: 4, skipped: 1"), (2, 4, 1))
        self.assertEqual(parser.kunit_py_summary("Ran 1 test: passed: 1"), (1, 0, 0))
        self.assertIsNone(parser.kunit_py_summary("nothing"))


class Supervision(unittest.TestCase):
    """Kunit._process: how a process ended, in process.py's words, and
    the time limit on a console where no case ends."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.dir, "native"))
        poll = mock.patch.object(process, "POLL", 0.1)
        poll.start()
        self.addCleanup(poll.stop)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def program(self, script):
        path = os.path.join(self.dir, "kg_kunit")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + script)
        os.chmod(path, 0o755)
        return path

    def test_a_signal_is_named(self):
        run = kunit.Kunit(kunit_args(bin=self.program(
            "echo '    ok 1 a'\nkill -SEGV $$\n"), reports=self.dir), "native")
        lines, why = run._process("s", [], True)
        self.assertEqual(lines, ["    ok 1 a"])
        self.assertEqual(why, "the process ended (killed by signal 11 (SIGSEGV))")
        self.assertEqual(run.cases_done, 0)  # counted only while it runs

    def test_an_exit_status_is_named(self):
        run = kunit.Kunit(kunit_args(bin=self.program("exit 3\n"), reports=self.dir), "native")
        self.assertEqual(run._process("s", [], True)[1], "the process ended (exit status 3)")

    def test_a_silent_process_is_killed(self):
        run = kunit.Kunit(kunit_args(bin=self.program("echo '    ok 1 a'\nsleep 30\n"),
                                     reports=self.dir, native_timeout=1.5), "native")
        lines, why = run._process("s", [], True)
        self.assertRegex(why, r"^timed out: no case ended for \d s \(hung kernel or case\)$")
        self.assertEqual(run.cases_done, 1)


if __name__ == "__main__":
    unittest.main()
