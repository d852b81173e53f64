# SPDX-License-Identifier: GPL-2.0
"""program_result.py: a kgrind-run's result from what the program
printed (TAP, KTAP, kselftest's nesting, or nothing) and the run's
verdict, and its KTAP as kunit.py parse reads it."""
import os
import subprocess
import sys
import tempfile
import unittest

from tests import KUNIT_PY

import formats
import program_result

KSELFTEST_OUTPUT = """TAP version 13
1..3
# Starting 3 tests from 1 test cases.
#  RUN           global.opens ...
#            OK  global.opens
ok 1 global.opens
#  RUN           global.reads ...
# reads.c:12:reads:Expected 4 (4) == n (-1)
#          FAIL  global.reads
not ok 1 global.reads
ok 3 global.slow # SKIP needs a disk
# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:1 error:0
"""


class TestPoints(unittest.TestCase):
    def test_kselftest_output(self):
        tests = program_result.test_points(KSELFTEST_OUTPUT)
        self.assertEqual([(t["name"], t["status"]) for t in tests],
                         [("global.opens", "pass"), ("global.reads", "fail"),
                          ("global.slow", "skip")])
        self.assertIn("reads.c:12:reads:Expected 4 (4) == n (-1)", tests[1]["detail"])
        self.assertEqual(tests[2]["detail"], "needs a disk")

    def test_only_the_outermost_points(self):
        output = "KTAP version 1\n1..1\n    KTAP version 1\n    1..1\n    ok 1 inner\nok 1 outer\n"
        self.assertEqual([t["name"] for t in program_result.test_points(output)], ["outer"])

    def test_no_tap(self):
        self.assertEqual(program_result.test_points("Linux version 6.12\n"), [])

    def test_a_report_fails_the_point_that_was_running(self):
        marks = [("point", "ok 1 global.opens"), ("forked", "42")]
        self.assertEqual(program_result.point_of(KSELFTEST_OUTPUT, marks, 0), 0)
        self.assertEqual(program_result.point_of(KSELFTEST_OUTPUT, marks, 2), 1)
        r = program_result.result("kgrind-run t", "memcheck", 1.0, KSELFTEST_OUTPUT, [], 0,
                                  {1: ["memcheck Leak_DefinitelyLost in the kernel: 8 bytes"]})
        statuses = [(t["name"], t["status"]) for t in r["tests"]]
        self.assertEqual(statuses, [("global.opens", "pass"), ("global.reads", "fail"),
                                    ("global.slow", "skip"), ("exit_and_memcheck", "pass")])
        self.assertIn("Leak_DefinitelyLost", r["tests"][1]["detail"])

    def test_a_kernel_fault_fails_the_point_after_the_results_before_it(self):
        nested = "KTAP version 1\n1..2\n    1..1\n    ok 1 inner\nok 1 outer\nok 2 last\n"
        self.assertEqual(program_result.point_after(KSELFTEST_OUTPUT, 0), 0)
        self.assertEqual(program_result.point_after(KSELFTEST_OUTPUT, 1), 1)
        self.assertEqual(program_result.point_after(KSELFTEST_OUTPUT, 3), 3)
        # The inner result line is counted in C but is no point of its own.
        self.assertEqual(program_result.point_after(nested, 1), 0)
        self.assertEqual(program_result.point_after(nested, 2), 1)

    def test_a_faults_message_is_its_warns_text(self):
        console = ["------------[ cut here ]------------",
                   "WARNING: CPU: 0 PID: 7 at fs/x.c:3 0x1", "x: deliberate warning",
                   "CPU: 0 UID: 0 PID: 7 Comm: t", "Call Trace: ..."]
        self.assertEqual(program_result.fault_message(console, console[1]),
                         ["x: deliberate warning"])
        self.assertEqual(program_result.fault_message(console, console[2]), [])
        self.assertEqual(program_result.fault_message(console, "BUG: gone"), [])

    def test_an_exit_status_the_points_explain(self):
        self.assertFalse(program_result.run_failed([{"status": "fail"}], 1))
        self.assertFalse(program_result.run_failed([{"status": "skip"}], 4))
        self.assertTrue(program_result.run_failed([{"status": "pass"}], 1))
        self.assertTrue(program_result.run_failed([], 2))
        self.assertTrue(program_result.run_failed([{"status": "pass"}], None))
        self.assertTrue(program_result.run_failed([{"status": "pass"}], -11))

    def test_a_program_with_no_points_may_skip_itself(self):
        self.assertFalse(program_result.run_failed([], 4))
        r = program_result.result("kgrind-run wchan", "native", 0.3, "", [], 4)
        self.assertEqual(r["tests"][-1]["status"], "skip")
        self.assertIn("skipped itself", r["tests"][-1]["detail"])
        late = program_result.result("kgrind-run wchan", "memcheck", 0.3, "", [], 4,
                                     {0: ["memcheck InvalidRead in the kernel: x"]})
        self.assertEqual(late["tests"][-1]["status"], "fail")

    def test_the_verdict_is_a_point_of_its_own(self):
        r = program_result.result("kgrind-run cat", "memcheck", 1.5, "", [], 0,
                                  {0: ["memcheck InvalidRead in the kernel: x"]})
        self.assertEqual(r["tests"][-1]["name"], "exit_and_memcheck")
        self.assertEqual(r["tests"][-1]["status"], "fail")
        self.assertIn("not ok 1 kgrind-run cat", formats.ktap(r))


@unittest.skipUnless(KUNIT_PY and os.path.exists(KUNIT_PY), "the kernel tree's kunit.py")
class KunitParse(unittest.TestCase):
    def test_kunit_py_reads_a_failed_run(self):
        r = program_result.result("kgrind-run t", "native", 1.0, KSELFTEST_OUTPUT,
                                  ["t exited with status 1"], 1)
        with tempfile.NamedTemporaryFile("w", suffix=".ktap") as f:
            f.write(formats.ktap(r))
            f.flush()
            out = subprocess.run([sys.executable, KUNIT_PY, "parse", f.name],
                                 capture_output=True, text=True)
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("passed: 2, failed: 1, skipped: 1", out.stdout)
