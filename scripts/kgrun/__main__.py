# SPDX-License-Identifier: GPL-2.0
"""kgrind's suite runner, called by make native / make memcheck:

  python3 scripts/kgrun check   --tests GLOBS BIN...  (each glob must match a test)
  python3 scripts/kgrun run     --suite S --bin B --mode M --reports DIR ...
  python3 scripts/kgrun summary --mode M --reports DIR SUITE...
  python3 scripts/kgrun alone   --mode M --reports DIR SUITE=BIN...  (alone.py)
  python3 scripts/kgrun kunit   --bin B --reports DIR --modes 'native memcheck' ...  (kunit.py)
  python3 scripts/kgrun kselftest --install DIR --lib L --reports DIR ...  (kselftest.py)
  python3 scripts/kgrun failsweep --reports DIR [--tests G] [--nth A-B] [--shard I/N] SUITE=BIN...
  python3 scripts/kgrun failsweep-merge --reports DIR SHARD.json...  (failsweep.py)

`run` writes DIR/S.ktap, S.junit.xml, S.result.json (and for memcheck
S.memcheck*.xml and S.memcheck.txt) and prints one line when the suite is
done; `summary` prints the table, writes DIR/junit.xml and exits non-zero
on any failure or memcheck error.

This module is the command line: it parses the options and runs the
command; the modules named above do the work (run.py runs a suite,
process.py supervises its processes, valgrind.py builds the valgrind
command, memcheck_xml.py reads memcheck's XML, formats.py writes the
reports, options.py reads the options' forms; selftest.py checks them
all, tests/ each on its own)."""
import argparse
import json
import os
import subprocess
import sys

import formats
import options
from alone import cmd_alone
from failsweep import cmd_failsweep, cmd_failsweep_merge
from kselftest import cmd_kselftest
from kunit import cmd_kunit
from run import SuiteRun


def matches_a_test(glob, bins):
    return any(subprocess.run([binary, "--list", "--tests=" + glob],
                              capture_output=True, text=True).stdout.strip()
               for binary in bins)


def cmd_check(args):
    """Each glob of TESTS must match a test: one that matches none
    would be dropped unseen while the others run."""
    globs = [g for g in args.tests.split(",") if g]
    unmatched = [g for g in globs if not matches_a_test(g, args.bins)]
    if globs and not unmatched:
        return 0
    if len(unmatched) < len(globs):
        print("kgrind: no test matches %s of TESTS='%s'. The tests are:" % (
            ", ".join("'%s'" % g for g in unmatched), args.tests), file=sys.stderr)
    else:
        print("kgrind: no test matches TESTS='%s'. The tests are:" % args.tests,
              file=sys.stderr)
    for binary in args.bins:
        out = subprocess.run([binary, "--list"], capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            print("  " + line.split(" ", 1)[1], file=sys.stderr)
    return 2


def cmd_run(args):
    os.makedirs(args.reports, exist_ok=True)
    base = os.path.join(args.reports, args.suite)
    run = SuiteRun(args.suite, args.bin, args.mode, args.reports, args.tests,
                   args.timeout, args.valgrind,
                   extra_args=["--fork"] if args.fork else [])
    result = run.run()
    with open(base + ".result.json", "w") as f:
        json.dump(result, f, indent=1)
    if not result["tests"]:
        print("%-10s no test selected" % args.suite, flush=True)
        return 0
    with open(base + ".ktap", "w") as f:
        f.write(formats.ktap(result))
    with open(base + ".junit.xml", "w") as f:
        f.write(formats.junit([result], "kgrind " + args.mode))
    lines = [formats.summary_line(result)]
    for t in result["tests"]:
        if t["status"] == "fail":
            lines += formats.failure_lines(args.suite, t, 24)
    print("\n".join(lines), flush=True)
    return 0


def cmd_summary(args):
    os.makedirs(args.reports, exist_ok=True)
    results, missing = [], []
    for suite in args.suites:
        try:
            with open(os.path.join(args.reports, suite + ".result.json")) as f:
                result = json.load(f)
        except OSError:
            missing.append(suite)
            continue
        if result["tests"]:
            results.append(result)
    with open(os.path.join(args.reports, "junit.xml"), "w") as f:
        f.write(formats.junit(results, "kgrind " + args.mode))
    print("== %s summary (reports in %s)" % (args.mode, os.path.relpath(args.reports)))
    failed = 0
    for result in results:
        print(formats.summary_line(result))
        c = formats.counts(result)
        failed += c["fail"] + c["errors"]
    for suite in missing:
        print("%-10s did not run (no results)" % suite)
    if failed or missing or not results:
        print("FAILED (%s)" % args.mode)
        return 1
    print("all passed (%s)" % args.mode)
    return 0


def form(read):
    """An argparse type: the text, once options.py's read of it took it;
    a wrong one is argparse's error, in options.py's words."""
    def check(text):
        try:
            read(text)
        except options.WrongForm as wrong:
            raise argparse.ArgumentTypeError("%r: %s" % (text, wrong)) from None
        return text
    return check


def seconds(text):
    """An argparse type: options.seconds's whole seconds, as a number."""
    return int(form(options.seconds)(text))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check")
    check.add_argument("--tests", required=True, type=form(options.test_globs))
    check.add_argument("bins", nargs="+")
    run = sub.add_parser("run")
    run.add_argument("--suite", required=True)
    run.add_argument("--bin", required=True)
    run.add_argument("--mode", choices=("native", "memcheck"), required=True)
    run.add_argument("--reports", required=True)
    run.add_argument("--tests", default="", type=form(options.test_globs))
    run.add_argument("--timeout", type=seconds, default=0)
    run.add_argument("--valgrind", default="")
    run.add_argument("--fork", action="store_true",
                     help="each test in a forked copy of the kernel the setup left")
    summary = sub.add_parser("summary")
    summary.add_argument("--mode", required=True)
    summary.add_argument("--reports", required=True)
    summary.add_argument("suites", nargs="+")
    alone = sub.add_parser("alone")
    alone.add_argument("--mode", choices=("native", "memcheck"), required=True)
    alone.add_argument("--reports", required=True)
    alone.add_argument("--timeout", type=seconds, default=0)
    alone.add_argument("--valgrind", default="")
    alone.add_argument("suites", nargs="+")
    kunit = sub.add_parser("kunit")
    kunit.add_argument("--bin", required=True)
    kunit.add_argument("--reports", required=True)
    kunit.add_argument("--modes", default="native memcheck", type=form(options.modes))
    kunit.add_argument("--filter", default="", type=form(options.kunit_filter))
    kunit.add_argument("--attr", default="", type=form(options.kunit_attr))
    kunit.add_argument("--timeout", type=seconds, default=0)
    kunit.add_argument("--native-timeout", type=seconds, default=0)
    kunit.add_argument("--expect", default="")
    kunit.add_argument("--valgrind", default="")
    kunit.add_argument("--kunit-py", required=True)
    kunit.add_argument("--selftest", action="store_true")
    kselftest = sub.add_parser("kselftest")
    kselftest.add_argument("--install", required=True)
    kselftest.add_argument("--lib", required=True)
    kselftest.add_argument("--reports", required=True)
    kselftest.add_argument("--modes", default="native memcheck", type=form(options.modes))
    kselftest.add_argument("--targets", default="")
    kselftest.add_argument("--filter", default="")
    kselftest.add_argument("--timeout", type=seconds, default=300)
    kselftest.add_argument("--expect", default="")
    kselftest.add_argument("--kunit-py", required=True)
    sweep = sub.add_parser("failsweep")
    sweep.add_argument("--reports", required=True)
    sweep.add_argument("--tests", default="", type=form(options.test_globs))
    sweep.add_argument("--nth", default="", type=form(options.nth))
    sweep.add_argument("--shard", default="", type=form(options.shard))
    sweep.add_argument("--timeout", type=seconds, default=0)
    sweep.add_argument("--valgrind", default="")
    sweep.add_argument("--known", default="")
    sweep.add_argument("--fresh", action="store_true",
                       help="each step in a process of its own, not a forked copy")
    sweep.add_argument("suites", nargs="+")
    merge = sub.add_parser("failsweep-merge")
    merge.add_argument("--reports", required=True)
    merge.add_argument("--known", default="")
    merge.add_argument("shards", nargs="*")
    args = parser.parse_args()
    return {"check": cmd_check, "run": cmd_run, "summary": cmd_summary,
            "alone": cmd_alone, "kunit": cmd_kunit, "kselftest": cmd_kselftest,
            "failsweep": cmd_failsweep,
            "failsweep-merge": cmd_failsweep_merge}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
