# SPDX-License-Identifier: GPL-2.0
"""The runner's self-test: runs suites/selftest/check_runner, whose tests
fail on purpose, natively and under memcheck, and checks that exactly the
faulty tests failed, each for its reason, and that the reports agree.

  python3 scripts/kgrun/selftest.py BIN KUNIT_PY 'VALGRIND COMMAND'"""
import argparse
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import failsweep
import failsweep_report
import formats
from run import SuiteRun

# test: (status natively, status under memcheck, text its report or skip reason must hold)
EXPECTED = {
    "setup": ("pass", "pass", ""),
    "passes": ("pass", "pass", ""),
    "fails_assert": ("fail", "fail", "check_runner.c:"),
    "warns": ("fail", "fail", "deliberate warning"),
    "use_after_free": ("pass", "fail", "memcheck InvalidRead"),
    # Natively skipped, with its reason in KTAP, JUnit and result.json.
    "use_after_free_claimed": ("skip", "pass", "needs memcheck"),
    "host_leak": ("pass", "fail", "Leak_DefinitelyLost"),
    "crashes": ("fail", "fail", "Oops: host signal"),
    "after_crash": ("pass", "pass", ""),
    "hangs": ("fail", "fail", "timed out"),
    "after_hang": ("pass", "pass", ""),
    "sweep_leaky": ("pass", "pass", ""),
    "sweep_clean": ("pass", "pass", ""),
    "halt": ("pass", "pass", ""),
}
# In the memcheck report of these tests, the fixture must be named.
STACK = {"use_after_free": "selftest_page_uaf (selftest_fixtures.c",
         "host_leak": "test_host_leak (check_runner.c"}


def check(mode, binary, kunit, valgrind, timeout, fork=False):
    """With fork, each test runs in a forked copy of the kernel (--fork):
    the same verdicts, and the crash and the hang cost no second process."""
    problems = []
    with tempfile.TemporaryDirectory() as reports:
        run = SuiteRun("selftest", binary, mode, reports, "", timeout, valgrind,
                       quiet=True, extra_args=["--fork"] if fork else [])
        result = run.run()
        if fork and mode == "memcheck" and len(run.xml_files) != 1:
            problems.append("%d processes ran the tests, not one" % len(run.xml_files))
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
            elif want in ("fail", "skip") and text not in t["detail"]:
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


def check_failsweep(binary, valgrind, timeout):
    """make failsweep over the two sweep tests: the leak on the leaky one's
    failure path is found, with its step and failed allocation; nothing
    is found in the clean one; steps share processes; three shards,
    merged, say what one run does; and a sweep stopped early reports the
    steps it did, marked interrupted."""
    problems = []

    def sweep(shard, stop_after=0):
        with tempfile.TemporaryDirectory() as reports:
            args = argparse.Namespace(reports=reports, tests="selftest.sweep_*", nth="",
                                      shard=shard, timeout=timeout,
                                      valgrind=valgrind, known="", fresh=False)
            run = failsweep.Sweep(args)
            if stop_after:
                # As SIGINT would: the report holds the steps done.
                record = run.record

                def record_then_stop(step):
                    record(step)
                    if run.steps_run >= stop_after:
                        run.stop.set()
                run.record = record_then_stop
            return run.run([("selftest", binary)])

    doc = sweep("")
    cut = sweep("", stop_after=1)
    if not cut.get("interrupted") or not 1 <= cut["steps"] < doc["steps"] or \
            "INTERRUPTED" not in failsweep_report.text_report(cut):
        problems.append("a sweep stopped after its first step did not report itself cut short"
                        " with the steps it did: %d of %d, interrupted=%s"
                        % (cut["steps"], doc["steps"], cut.get("interrupted")))
    if doc["processes"] >= doc["steps"]:
        problems.append("no process ran more than one step: %d step(s) in %d process(es)"
                        % (doc["steps"], doc["processes"]))
    merged = failsweep_report.merge([sweep("%d/3" % i) for i in (1, 2, 3)])
    for key in ("tests", "findings"):
        if merged[key] != doc[key]:
            problems.append("shards 1/3 to 3/3, merged, differ from one run in %s:\n  %s\n  %s"
                            % (key, merged[key], doc[key]))
    tests = {t["test"]: t for t in doc["tests"]}
    for name in ("selftest.sweep_leaky", "selftest.sweep_clean"):
        if not tests.get(name, {}).get("sites"):
            problems.append("%s: the sweep failed no allocation: %s" % (name, tests.get(name)))
    leaky = [f for f in doc["findings"] if any(h[0] == "selftest.sweep_leaky" for h in f["hits"])]
    clean = [f for f in doc["findings"] if any(h[0] == "selftest.sweep_clean" for h in f["hits"])]
    if not any(f["kind"] == "Leak_DefinitelyLost" and "selftest_two_allocations" in f["text"] and
               "selftest_two_allocations" in f["site"] for f in leaky):
        problems.append("the leak on sweep_leaky's failure path was not found: %s" % leaky)
    if clean:
        problems.append("sweep_clean has findings: %s" % clean)
    return problems


def main():
    binary, kunit, valgrind = sys.argv[1], sys.argv[2], sys.argv[3]
    failed = False
    for mode, timeout, fork in (("native", 5, False), ("memcheck", 20, False),
                                ("native", 5, True), ("memcheck", 20, True)):
        problems = check(mode, binary, kunit, valgrind, timeout, fork)
        name = mode + (", each test in a forked copy" if fork else "")
        if problems:
            failed = True
            print("runner self-test (%s): FAILED" % name)
            for p in problems:
                print("  " + p)
        else:
            print("runner self-test (%s): every deliberate fault failed only its test"
                  % name)
    problems = check_failsweep(binary, valgrind, 20)
    if problems:
        failed = True
        print("runner self-test (failsweep): FAILED")
        for p in problems:
            print("  " + p)
    else:
        print("runner self-test (failsweep): the leak on a failure path was found, and none in"
              " the clean twin; steps shared processes; 3 shards merged agree; a stopped sweep"
              " reported its steps")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
