# SPDX-License-Identifier: GPL-2.0
"""make kunit's reading of KUnit's consoles (kunit_parser.py) and its
handling of a case that ends its copy of the kernel (kunit.py), over the
consoles of a real make kunit-selftest run under memcheck
(test_data/README), replayed by fake_kunit.py: kgrind_selftest_crash
ends the suite's forked copy, and with it the result line of
kgrind_selftest_past_limit, the case before it; each case left runs
alone in a copy of its own of the same boot, past_limit (skipped, slower
than KUnit's limit) and kgrind_selftest_after_crash."""
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

from tests import KUNIT_PY, read_data

import formats
import kunit
import kunit_parser as parser
import process

SUITE = "kgrind_kunit_selftest"
CASES = ["kgrind_selftest_clean", "kgrind_selftest_leak",
         "kgrind_selftest_uninit_branch", "kgrind_selftest_read_past_end",
         "kgrind_selftest_past_limit", "kgrind_selftest_crash",
         "kgrind_selftest_after_crash"]
FAKE_KUNIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_kunit.py")
LISTED = read_data("kunit", "list.1.console").splitlines()
# The one process: one boot, the suite in a forked copy, which crashed,
# then each case left in a copy of its own.
BOOT = read_data("kunit", "kunit.1.console").splitlines()
CRASHED = read_data("kunit", "copy-1.console").splitlines()
PAST_LIMIT = read_data("kunit", "copy-2.console").splitlines()
AFTER_CRASH = read_data("kunit", "copy-3.console").splitlines()
# The runner's kunit.ktap of that run.
KTAP = read_data("kunit", "kunit.ktap")


def kunit_args(**kw):
    args = dict(bin="/nonexistent", reports=tempfile.gettempdir(), timeout=0,
                native_timeout=0, valgrind="", expect="", filter="", attr="",
                selftest=True)
    args.update(kw)
    return argparse.Namespace(**args)


class Replayed(unittest.TestCase):
    """A Kunit whose program is fake_kunit.py, its reports in a new
    directory."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        poll = mock.patch.object(process, "POLL", 0.05)
        poll.start()
        self.addCleanup(poll.stop)

    def args(self, **kw):
        return kunit_args(bin=FAKE_KUNIT, reports=self.dir, **kw)


class ConsoleParsing(unittest.TestCase):
    def test_crashed_block_ends_at_the_fatal_error(self):
        entries, ended = parser.suite_block(CRASHED, SUITE)
        self.assertFalse(ended)
        # The console again after the fatal error holds the four results
        # a second time: not read.  past_limit's was lost with the process.
        self.assertEqual(parser.case_results(CRASHED), 8)
        self.assertEqual([c for c in entries if c != parser.SUITE_ATTR], CASES[:4])
        self.assertEqual(entries[parser.SUITE_ATTR], ["    # module: kunit_selftest"])
        self.assertEqual(entries["kgrind_selftest_clean"][-1], "    ok 1 kgrind_selftest_clean")
        leak = entries["kgrind_selftest_leak"]
        self.assertEqual(leak[-1], "    not ok 2 kgrind_selftest_leak")
        self.assertEqual(len(leak), 8)  # the report's 7 lines, the result
        for entry in entries.values():
            self.assertFalse([line for line in entry if line.startswith(parser.FATAL) or
                              line.startswith(parser.BEGIN)])

    def test_the_case_begun_last_is_the_one_that_crashed(self):
        # A case's "begin" comes before the result line of the case before
        # it: past_limit began and has no result either.
        self.assertLess(CRASHED.index(parser.BEGIN + SUITE + ".kgrind_selftest_leak"),
                        CRASHED.index("    ok 1 kgrind_selftest_clean"))
        missing = CASES[4:]
        self.assertEqual(parser.crashed_case(CRASHED, SUITE, missing), "kgrind_selftest_crash")
        # Without "begin" lines, the first case that has no result.
        self.assertEqual(parser.crashed_case([], SUITE, missing), "kgrind_selftest_past_limit")

    def test_crashed_entry_says_the_kernels_why(self):
        entry = parser.crashed_entry("kgrind_selftest_crash", "the process ended (exit status 2)",
                                     CRASHED)
        self.assertEqual(entry[0], "    # kgrind_selftest_crash: Oops: host signal 11 "
                         "(Segmentation fault) at address 0x10")
        self.assertEqual(entry[1], "    # kgrind_selftest_crash: --- console (tail) ---")
        # The console's last 25 lines before the fatal error, not its copy after.
        self.assertEqual(len(entry), 2 + 25 + 1)
        self.assertEqual(entry[-2], "    # kgrind_selftest_crash:     # kgrind_selftest_past_limit: "
                         "test case timed out")
        self.assertEqual(entry[-1], "    not ok 0 kgrind_selftest_crash")
        self.assertNotIn("# kgrind: begin", "\n".join(entry))
        self.assertNotIn("--- kernel console (tail) ---", "\n".join(entry))
        # Without a fatal error, the why it is given.
        entry = parser.crashed_entry("c", "timed out: no case ended for 9 s (hung kernel or case)",
                                     ["    KTAP version 1"])
        self.assertEqual(entry[0], "    # c: timed out: no case ended for 9 s (hung kernel or case)")

    def test_a_crash_claim_makes_the_crash_a_known_bug(self):
        claims = ["# a comment", "damon.damon_test_*\tCRASH\t*\tknown bug: x.md",
                  "damon.other\tKUNIT_FAIL\t*\tknown bug: y.md"]
        self.assertEqual(parser.crash_claim(claims, "damon", "damon_test_ops"), "known bug: x.md")
        self.assertIsNone(parser.crash_claim(claims, "damon", "other"))
        entry = parser.claimed_crash_entry("c", "known bug: x.md", "the copy ended", CRASHED)
        self.assertEqual(entry[0], "    # c: kgrind: known bug: x.md")
        self.assertEqual(entry[-1], "    ok 0 c # SKIP kgrind: known bug: x.md")

    def test_list_attr_gives_the_cases_in_order_and_the_selftest_apart(self):
        self.assertEqual(parser.listed_cases(LISTED, SUITE, True), [(SUITE, CASES)])
        # The boot log around the listing is no suite's.
        self.assertEqual(parser.listed_cases(LISTED, SUITE, False), [])

    def test_list_attr_puts_slow_suites_first(self):
        # The run listed only the selftest's suite: others, in the format
        # of lib/kunit/executor.c and attributes.c, after it.
        last = LISTED.index(SUITE + ".kgrind_selftest_after_crash") + 1
        lines = LISTED[:last] + [
            "list_sort", "# module: test_list_sort", "list_sort.list_sort_test",
            "hash", "# module: test_hash", "hash.test_string_or", "hash.test_hash_or",
            "time_test_cases", "# module: time_test",
            "time_test_cases.time64_to_tm_test_date_range",
            "# time64_to_tm_test_date_range.speed: slow"] + LISTED[last:]
        self.assertEqual(parser.listed_cases(lines, SUITE, True), [(SUITE, CASES)])
        self.assertEqual(parser.listed_cases(lines, SUITE, False), [
            ("time_test_cases", ["time64_to_tm_test_date_range"]),
            ("list_sort", ["list_sort_test"]),
            ("hash", ["test_string_or", "test_hash_or"])])

    def test_boot_errors(self):
        for lines in (BOOT, CRASHED, PAST_LIMIT):
            self.assertEqual(parser.boot_errors(lines), set())
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


class CrashInTheMiddle(Replayed):
    """Kunit.run over the replayed consoles, as make kunit-selftest ran
    it under memcheck."""

    def setUp(self):
        super().setUp()
        self.run_ = kunit.Kunit(self.args(), "memcheck")
        results, _ = self.run_.run(2, [(SUITE, CASES)])
        self.result = results[0]
        self.tests = {t["name"]: t for t in self.result["tests"]}
        with open(os.path.join(self.dir, "memcheck", "kunit.1.console")) as f:
            self.console = f.read().splitlines()

    def test_each_case_left_runs_alone_in_the_same_boot(self):
        self.assertEqual(self.run_.processes, 1)
        self.assertEqual(list(parser.copies(self.console)), [
            SUITE, SUITE + ".kgrind_selftest_past_limit", SUITE + ".kgrind_selftest_after_crash"])
        copy = parser.copies(self.console)[SUITE]
        self.assertEqual(copy["why"], "the copy exited with status 2")
        self.assertTrue(copy["ended"])
        self.assertEqual(copy["console"], os.path.join(
            self.dir, "memcheck", "kunit.1.copies", "copy-1.console"))

    def test_each_case_has_its_verdict(self):
        self.assertEqual([(t["name"], t["status"]) for t in self.result["tests"]], [
            ("kgrind_selftest_clean", "pass"), ("kgrind_selftest_leak", "fail"),
            ("kgrind_selftest_uninit_branch", "fail"), ("kgrind_selftest_read_past_end", "fail"),
            ("kgrind_selftest_past_limit", "skip"), ("kgrind_selftest_crash", "fail"),
            ("kgrind_selftest_after_crash", "pass")])
        self.assertEqual(self.tests["kgrind_selftest_leak"]["leaked"], 16)
        self.assertEqual(self.tests["kgrind_selftest_leak"]["errors"], 0)
        self.assertEqual(self.tests["kgrind_selftest_uninit_branch"]["errors"], 1)
        # KUNIT_EXPECT_EQ reads the byte past the end twice: two reports.
        self.assertEqual(self.tests["kgrind_selftest_read_past_end"]["errors"], 2)
        self.assertEqual(self.tests["kgrind_selftest_crash"]["detail"].splitlines()[0],
                         "Oops: host signal 11 (Segmentation fault) at address 0x10")
        # past_limit's verdict is its own copy's, with its reason first.
        past_limit = self.tests["kgrind_selftest_past_limit"]["detail"].splitlines()
        self.assertEqual(past_limit[0], "kgrind: ran 304 s under memcheck, past KUnit's 300 s "
                         "limit: its result is the native run's")
        self.assertEqual(past_limit[1], "Test should be marked slow (runtime: 304.978426566s)")
        # kgrind's summary line of the run: 2 passed, 4 failed, 1 skipped,
        # 3 memcheck errors, 16 bytes leaked.
        self.assertEqual(formats.counts(self.result),
                         {"pass": 2, "fail": 4, "skip": 1, "errors": 3, "leaked": 16})

    def test_make_kunit_selftest_would_pass(self):
        said = io.StringIO()
        with contextlib.redirect_stdout(said):
            self.assertTrue(kunit.selftest_verdict("memcheck", [self.result]), said.getvalue())

    def test_the_ktap_block_is_renumbered_and_whole(self):
        block = self.result["ktap"]
        self.assertEqual(block[:4], ["    KTAP version 1", "    # Subtest: " + SUITE,
                                     "    # module: kunit_selftest", "    1..7"])
        results = [line for line in block if parser.CASE_RESULT.match(line)]
        self.assertEqual(results[4], "    ok 5 kgrind_selftest_past_limit # SKIP kgrind: ran 304 s "
                         "under memcheck, past KUnit's 300 s limit: its result is the native run's")
        self.assertEqual(results[5], "    not ok 6 kgrind_selftest_crash")
        self.assertEqual(results[6], "    ok 7 kgrind_selftest_after_crash")
        self.assertEqual(block[-1], "# %s: pass:2 fail:4 skip:1 total:7" % SUITE)
        document = parser.ktap_document([self.result])
        self.assertTrue(document.startswith("KTAP version 1\n1..1\n"))
        self.assertTrue(document.endswith("not ok 1 %s\n" % SUITE))

    def test_the_document_is_the_runs(self):
        self.assertEqual(parser.ktap_document([self.result]), KTAP)

    def test_kunit_py_parse_counts_the_document_as_the_summary_does(self):
        if not os.path.exists(KUNIT_PY):
            self.skipTest("no kunit.py at %s" % KUNIT_PY)
        out = subprocess.run([sys.executable, KUNIT_PY, "parse"], input=parser.ktap_document(
            [self.result]), capture_output=True, text=True).stdout
        self.assertEqual(parser.kunit_py_summary(out), (2, 4, 1))

    def test_kunit_py_summary(self):
        self.assertEqual(parser.kunit_py_summary(
            "Ran 7 tests: passed: 2, failed: 4, skipped: 1"), (2, 4, 1))
        self.assertEqual(parser.kunit_py_summary("Ran 1 test: passed: 1"), (1, 0, 0))
        self.assertEqual(parser.kunit_py_summary("Ran 1 tests: failed: 1"), (0, 1, 0))
        self.assertEqual(parser.kunit_py_summary(
            "Ran 4 tests: skipped: 2, crashed: 1, errors: 1"), (0, 2, 2))
        self.assertIsNone(parser.kunit_py_summary("nothing"))


class SelftestRun(Replayed):
    """cmd_kunit's memcheck half of make kunit-selftest over the replayed
    consoles: the plan from the listing, the document, kunit.py parse's
    count of it and the summary line."""

    def test_the_run_says_what_the_real_one_did(self):
        if not os.path.exists(KUNIT_PY):
            self.skipTest("no kunit.py at %s" % KUNIT_PY)
        args = self.args(modes="memcheck", kunit_py=KUNIT_PY)
        said = io.StringIO()
        with contextlib.redirect_stdout(said):
            status = kunit.cmd_kunit(args)
        out = said.getvalue().splitlines()
        self.assertEqual(status, 0, said.getvalue())
        # The listing is both modes', and no mode's process.
        self.assertIn("== kunit (memcheck): 1 suites, 1 processes, ", said.getvalue())
        self.assertIn("kunit memcheck    2 passed   4 failed   1 skipped"
                      "    3 memcheck errors      16 bytes leaked", out)
        self.assertFalse([line for line in out if "kunit.py parse counts" in line])
        self.assertIn("kunit selftest (memcheck): every deliberate fault failed only its case, "
                      "for its reason", out)
        self.assertEqual(out[-1], "all passed (kunit)")
        with open(os.path.join(self.dir, "memcheck", "kunit.ktap")) as f:
            self.assertEqual(f.read(), KTAP)


class Selection(unittest.TestCase):
    """KUNIT_FILTER and KUNIT_ATTR that select no case stop make kunit
    after the listing, before any case runs, with the kernel's suites."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        boot_log = [line for line in LISTED if not parser.LISTED.match(line)]
        # The kernel's listing: unfiltered, two suites; filtered, none.
        self.everything = boot_log + ["list_sort.list_sort_test", "hash.test_string_or"]
        self.nothing = boot_log
        self.asked = []

    def listed(self, name, options, watch_cases):
        self.asked.append((name, options))
        filtered = any(o.startswith(("kunit.filter_glob=", "kunit.filter=")) for o in options)
        return (self.nothing if filtered else self.everything), None

    def run_kunit(self, **kw):
        args = kunit_args(reports=self.dir, modes="native memcheck", selftest=False,
                          kunit_py="/nonexistent", **kw)
        said = io.StringIO()
        with mock.patch.object(kunit.Kunit, "_process", self.listed), \
                contextlib.redirect_stderr(said):
            status = kunit.cmd_kunit(args)
        return status, said.getvalue().splitlines()

    def test_a_filter_that_matches_no_case_lists_the_suites(self):
        status, said = self.run_kunit(filter="nosuch*")
        self.assertEqual(status, 2)
        self.assertEqual(said, ["kgrind: no KUnit case matches KUNIT_FILTER='nosuch*'; "
                                "the KUnit kernel's suites (2): hash list_sort"])
        self.assertEqual([name for name, _ in self.asked], ["list", "list"])

    def test_an_attribute_filter_that_keeps_no_case(self):
        status, said = self.run_kunit(attr="speed=very_slow")
        self.assertEqual(status, 2)
        self.assertIn("no KUnit case matches KUNIT_ATTR='speed=very_slow';", said[0])
        self.assertIn('kunit.filter="speed=very_slow"', self.asked[0][1])

    def test_the_attribute_filter_is_one_option_of_the_command_line(self):
        run = kunit.Kunit(kunit_args(selftest=False, attr="speed>slow, module=hash"), "native")
        self.assertIn('kunit.filter="speed>slow, module=hash"', run._options("hash"))


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
