# SPDX-License-Identifier: GPL-2.0
"""Every test alone: a developer runs the one test that covers their
change, and sharding and the failure sweep run tests one at a time, so
no test may rely on what an earlier one left behind.

  python3 scripts/kgrun alone --mode M --reports DIR [--timeout S]
          [--valgrind CMD] SUITE=BIN...

Each suite boots and sets up once, and each of its tests runs in a
forked copy of that kernel (the suite's --fork); the suites run on every
core.  Prints the tests that failed alone, with why, and exits 1 if any
did."""
import concurrent.futures
import os
import time

from run import SuiteRun


def run_alone(suite, binary, args):
    result = SuiteRun(suite, binary, args.mode, args.reports, "", args.timeout,
                      args.valgrind, quiet=True, extra_args=["--fork"]).run()
    failed = [t for t in result["tests"] if t["status"] == "fail"]
    return suite, len(result["tests"]), failed


def cmd_alone(args):
    jobs = [spec.partition("=")[::2] for spec in args.suites]
    os.makedirs(args.reports, exist_ok=True)
    started = time.monotonic()
    tests, failures = 0, {}
    workers = os.cpu_count() or 1
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for suite, n, failed in pool.map(lambda j: run_alone(j[0], j[1], args), jobs):
            tests += n
            if failed:
                failures[suite] = failed
    print("== %d test(s) alone (%s), each in a forked copy of its suite's kernel:"
          " %d failed, %.0f s" % (tests, args.mode,
                                 sum(len(f) for f in failures.values()),
                                 time.monotonic() - started))
    for suite, failed in failures.items():
        for t in failed:
            detail = (t["detail"] or "").splitlines()
            print("    FAILED alone: %s.%s: %s" % (
                suite, t["name"], detail[0] if detail else ""))
            for line in detail[1:12]:
                print("        " + line)
    print("reports in %s" % os.path.relpath(args.reports))
    return 1 if failures else 0
