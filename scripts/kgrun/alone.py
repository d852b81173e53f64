# SPDX-License-Identifier: GPL-2.0
"""Every test in a process of its own: a developer runs the one test that
covers their change, and sharding and the failure sweep run tests one at
a time, so no test may rely on what an earlier one left behind.

  python3 scripts/kgrun alone --mode M --reports DIR [--sample N]
          [--timeout S] [--valgrind CMD] SUITE=BIN...

Runs each test of each suite alone (the runner adds the boot and the halt
it needs), on every core; with --sample N only N tests per suite, spread
evenly over its list.  Prints the tests that failed alone, with why, and
exits 1 if any did."""
import concurrent.futures
import os
import subprocess
import time

from run import SuiteRun


def suite_tests(binary):
    out = subprocess.run([binary, "--list"], capture_output=True, text=True,
                         check=True).stdout
    return [line.split(" ", 1)[1] for line in out.splitlines()]


def sample(names, n):
    """n names spread evenly over the list (all of them if n is 0)."""
    if not n or n >= len(names):
        return names
    return [names[i * len(names) // n] for i in range(n)]


def run_alone(full_name, binary, args):
    suite = full_name.split(".", 1)[0]
    reports = os.path.join(args.reports, full_name)
    os.makedirs(reports, exist_ok=True)
    result = SuiteRun(suite, binary, args.mode, reports, full_name,
                      args.timeout, args.valgrind, quiet=True).run()
    failed = [t for t in result["tests"] if t["status"] == "fail"]
    return full_name, failed


def cmd_alone(args):
    jobs = []
    for spec in args.suites:
        suite, _, binary = spec.partition("=")
        jobs += [(name, binary) for name in sample(suite_tests(binary), args.sample)]
    started = time.monotonic()
    failures = {}
    workers = os.cpu_count() or 1
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for name, failed in pool.map(lambda j: run_alone(j[0], j[1], args), jobs):
            if failed:
                failures[name] = failed
    print("== %d test(s) alone (%s), each in a process of its own: %d failed, %.0f s"
          % (len(jobs), args.mode, len(failures), time.monotonic() - started))
    for name, failed in failures.items():
        for t in failed:
            detail = (t["detail"] or "").splitlines()
            print("    FAILED alone: %s (%s): %s" % (
                name, t["name"], detail[0] if detail else ""))
            for line in detail[1:12]:
                print("        " + line)
    print("reports in %s" % os.path.relpath(args.reports))
    return 1 if failures else 0
