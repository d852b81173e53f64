# SPDX-License-Identifier: GPL-2.0
"""formats.py: suites/selftest's result under memcheck (result.json as
make memcheck wrote it) gives back the KTAP and JUnit written beside it,
and the summary and failure lines make prints."""
import json
import os
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

from tests import KUNIT_PY, data, read_data

import formats


def result():
    with open(data("results", "selftest.memcheck.result.json")) as f:
        return json.load(f)


class Formats(unittest.TestCase):
    def test_counts(self):
        self.assertEqual(formats.counts(result()), {"pass": 8, "fail": 6, "skip": 0,
                                                    "errors": 2, "leaked": 100})

    def test_ktap_as_written(self):
        self.assertEqual(formats.ktap(result()), read_data("results", "selftest.ktap"))

    def test_junit_as_written(self):
        self.assertEqual(formats.junit([result()], "kgrind memcheck"),
                         read_data("results", "selftest.junit.xml"))
        suite = ET.fromstring(read_data("results", "selftest.junit.xml")).find("testsuite")
        self.assertEqual((suite.get("tests"), suite.get("failures")), ("14", "6"))

    def test_a_skipped_test(self):
        r = {"suite": "s", "mode": "native", "seconds": 1.0, "tests": [
            {"name": "t", "status": "skip", "seconds": 0.5, "errors": 0, "leaked": 0,
             "detail": "slow under memcheck only"}]}
        self.assertIn("\n    ok 1 t # SKIP slow under memcheck only\n", formats.ktap(r))
        self.assertIn('<skipped message="slow under memcheck only" />', formats.junit([r], "x"))
        self.assertEqual(formats.counts(r)["skip"], 1)

    def test_summary_line(self):
        r = result()
        self.assertEqual(formats.summary_line(r), "selftest     8 passed   6 failed   0 skipped"
                         "    2 memcheck errors     100 bytes leaked  %7.1f s" % r["seconds"])
        r["mode"] = "native"
        self.assertEqual(formats.summary_line(r), "selftest     8 passed   6 failed   0 skipped"
                         "  %7.1f s" % r["seconds"])

    def test_failure_lines(self):
        leak = [t for t in result()["tests"] if t["name"] == "host_leak"][0]
        lines = formats.failure_lines("selftest", leak, 2)
        self.assertEqual(lines, [
            "    FAILED selftest.host_leak: memcheck Leak_DefinitelyLost: 100 (+100) bytes in 1"
            " (+1) blocks are definitely lost in loss record 278 of 1,158",
            "              at malloc (?:0)",
            "              by test_host_leak (check_runner.c:43)"])
        self.assertEqual(formats.failure_lines("s", {"name": "t", "detail": ""}, 5),
                         ["    FAILED s.t: "])

    def test_kunit_py_parse_counts_it(self):
        if not os.path.exists(KUNIT_PY):
            self.skipTest("no kunit.py at %s" % KUNIT_PY)
        out = subprocess.run([sys.executable, KUNIT_PY, "parse"], input=formats.ktap(result()),
                             capture_output=True, text=True).stdout
        self.assertIn("passed: 8, failed: 6", out)


if __name__ == "__main__":
    unittest.main()
