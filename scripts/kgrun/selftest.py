# SPDX-License-Identifier: GPL-2.0
"""The runner's self-test: runs suites/selftest/check_runner, whose tests
fail on purpose, natively and under memcheck, and checks that exactly the
faulty tests failed, each for its reason, and that the reports agree.

  python3 scripts/kgrun/selftest.py BIN KUNIT_PY 'VALGRIND COMMAND'"""
import os
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import formats
from run import SuiteRun

# test: (status natively, status under memcheck, text its report must hold)
EXPECTED = {
    "setup": ("pass", "pass", ""),
    "passes": ("pass", "pass", ""),
    "fails_assert": ("fail", "fail", "check_runner.c:"),
    "warns": ("fail", "fail", "deliberate warning"),
    "use_after_free": ("pass", "fail", "memcheck InvalidRead"),
    "use_after_free_claimed": ("skip", "pass", ""),
    "host_leak": ("pass", "fail", "Leak_DefinitelyLost"),
    "crashes": ("fail", "fail", "Oops: host signal"),
    "after_crash": ("pass", "pass", ""),
    "hangs": ("fail", "fail", "timed out"),
    "after_hang": ("pass", "pass", ""),
    "halt": ("pass", "pass", ""),
}
# In the memcheck report of these tests, the fixture must be named.
STACK = {"use_after_free": "selftest_page_uaf (selftest_fixtures.c",
         "host_leak": "test_host_leak (check_runner.c"}


def check(mode, binary, kunit, valgrind, timeout):
    problems = []
    with tempfile.TemporaryDirectory() as reports:
        result = SuiteRun("selftest", binary, mode, reports, "", timeout,
                          valgrind, quiet=True).run()
        got = {t["name"]: t for t in result["tests"]}
        if sorted(got) != sorted(EXPECTED):
            problems.append("tests reported: %s" % sorted(got))
        for name, (native, memcheck, text) in EXPECTED.items():
            t = got.get(name)
            want = native if mode == "native" else memcheck
            if not t:
                continue
            if t["status"] != want:
                problems.append("%s: %s, expected %s: %s" % (
                    name, t["status"], want, t["detail"][:300]))
            elif want == "fail" and text not in t["detail"]:
                problems.append("%s: report lacks '%s': %s" % (
                    name, text, t["detail"][:300]))
            elif mode == "memcheck" and name in STACK and STACK[name] not in t["detail"]:
                problems.append("%s: report lacks '%s': %s" % (
                    name, STACK[name], t["detail"][:300]))
        counts = formats.counts(result)
        ktap = formats.ktap(result)
        if kunit and os.path.exists(kunit):
            parsed = subprocess.run([sys.executable, kunit, "parse"], input=ktap,
                                    capture_output=True, text=True).stdout
            line = "passed: %d, failed: %d, skipped: %d" % (
                counts["pass"], counts["fail"], counts["skip"])
            if counts["skip"] == 0:
                line = "passed: %d, failed: %d" % (counts["pass"], counts["fail"])
            if line not in parsed:
                problems.append("kunit.py parse does not say '%s':\n%s" % (
                    line, parsed[-600:]))
        suite = ET.fromstring(formats.junit([result], "selftest")).find("testsuite")
        if int(suite.get("failures")) != counts["fail"]:
            problems.append("JUnit failures %s != %d" % (suite.get("failures"),
                                                         counts["fail"]))
    return problems


def main():
    binary, kunit, valgrind = sys.argv[1], sys.argv[2], shlex.split(sys.argv[3])
    failed = False
    for mode, timeout in (("native", 5), ("memcheck", 20)):
        problems = check(mode, binary, kunit, valgrind, timeout)
        if problems:
            failed = True
            print("runner self-test (%s): FAILED" % mode)
            for p in problems:
                print("  " + p)
        else:
            print("runner self-test (%s): every deliberate fault failed only its test"
                  % mode)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
