# SPDX-License-Identifier: GPL-2.0
"""make kselftest: the kernel tree's selftest programs, as built and
listed by the tree's own install (kselftest-list.txt), each run against
the library kernel by scripts/kgrind-run, natively and under memcheck.

Each program is a subtest of the mode's KTAP document, its test points
(kselftest.h's or the harness's TAP) nested in it, with one point more
for kgrind-run's verdict (exit status, time limit, memcheck's reports in
the kernel).  A point that fails for what the library kernel is (no
MMU, one CPU, processes that are whole kernels) is claimed in
harness/kselftest/expected.txt:

    collection:program   point-glob   why

and is reported as a skip with its reason; any other failure fails the
run.  A claim whose point is SLOW_UNDER_MEMCHECK keeps the program from
running under memcheck, with its reason; one whose point is NOT_RUN keeps
it from running at all (it tests what the library kernel has not, and
would only fail or hang), and lists it with its reason.  A program that
is a shell script is listed as not run: kgrind-run serves no execve."""
import fnmatch
import json
import os
import subprocess
import sys
import time

import formats
import kunit_parser

# A claim with this for its point: the program is too slow under
# memcheck to run there (it still runs natively).
SLOW = "SLOW_UNDER_MEMCHECK"
# A claim with this for its point: the program is not run in any mode.
NOT_RUN = "NOT_RUN"
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KGRIND_RUN = os.path.join(TOP, "scripts", "kgrind-run")


def listed_programs(install, targets):
    """(collection, program) of the install's list, in its order, of the
    targets asked for (all when none)."""
    with open(os.path.join(install, "kselftest-list.txt")) as f:
        pairs = [tuple(line.strip().split(":", 1)) for line in f if ":" in line]
    return [p for p in pairs if not targets or p[0] in targets]


def is_program(path):
    """An ELF executable (not a script)."""
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def read_claims(path):
    """expected.txt's claims: (program glob, point glob, why)."""
    claims = []
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                fields = line.split(None, 2)
                if len(fields) == 3 and not line.startswith("#"):
                    claims.append((fields[0], fields[1], fields[2].strip()))
    return claims


# A point glob with this prefix claims the point under memcheck only.
MEMCHECK_ONLY = "memcheck/"


def claim_for(claims, program, point, mode="native"):
    for prog_glob, point_glob, why in claims:
        if point_glob.startswith(MEMCHECK_ONLY):
            if mode != "memcheck":
                continue
            point_glob = point_glob[len(MEMCHECK_ONLY):]
        if fnmatch.fnmatchcase(program, prog_glob) and fnmatch.fnmatchcase(point, point_glob):
            return why
    return None


def program_claim(claims, program, kind):
    """The reason of a claim of this kind (SLOW, NOT_RUN) on the whole
    program, which names the kind itself for its point."""
    for prog_glob, point_glob, why in claims:
        if point_glob == kind and fnmatch.fnmatchcase(program, prog_glob):
            return why
    return None


def apply_claims(result, claims):
    """A failed point a claim names (in the result's mode) becomes a
    skip, with the claim's reason."""
    for t in result["tests"]:
        why = (claim_for(claims, result["suite"], t["name"], result["mode"])
               if t["status"] == "fail" else None)
        if why:
            t["status"] = "skip"
            t["detail"] = "kgrind: %s\n%s" % (why, t.get("detail") or "")
            t["claimed"] = True
    return result


def ktap_block(result):
    """The result's subtest lines, as kunit_parser.ktap_document nests them."""
    lines = formats.ktap(result).splitlines()
    return lines[2:-1]


def run_program(install, collection, program, mode, reports, lib, timeout):
    """One program through kgrind-run: its result (formats.py's dict)."""
    name = "%s:%s" % (collection, program)
    out = os.path.join(reports, mode, collection.replace("/", "_") + "." + program)
    os.makedirs(out, exist_ok=True)
    # The program's directory is in the kernel too, at the same path, as
    # it would be on a test machine: msgque's ftok(argv[0]), data files.
    here = os.path.join(install, collection)
    cmd = [sys.executable, KGRIND_RUN, "--lib", lib, "--reports", out,
           "--timeout", str(timeout), "--json", os.path.join(out, "result.json"),
           "--copy-in", "%s:%s" % (here, here)]
    if mode == "memcheck":
        cmd.append("--memcheck")
    started = time.monotonic()
    with open(os.path.join(out, "output.txt"), "wb") as log:
        status = subprocess.run(cmd + ["--", "./" + program], cwd=here,
                                stdout=log, stderr=subprocess.STDOUT).returncode
    try:
        with open(os.path.join(out, "result.json")) as f:
            result = json.load(f)
    except (OSError, ValueError):
        result = {"tests": [{"name": "exit_and_memcheck", "status": "fail",
                             "detail": "kgrind-run ended with %d and wrote no result "
                                       "(%s/output.txt)" % (status, out)}]}
    result.update(suite=name, mode=mode, seconds=time.monotonic() - started)
    return result


def cmd_kselftest(args):
    targets = args.targets.replace(",", " ").split()
    claims = read_claims(args.expect)
    programs = listed_programs(args.install, targets)
    globs = args.filter.replace(",", " ").split()
    failed_modes = []
    for mode in args.modes.split():
        results, not_run = [], []
        for collection, program in programs:
            name = "%s:%s" % (collection, program)
            if globs and not any(fnmatch.fnmatchcase(name, g) for g in globs):
                continue
            if not is_program(os.path.join(args.install, collection, program)):
                not_run.append((name, "a shell script: kgrind-run serves no execve"))
                continue
            never = program_claim(claims, name, NOT_RUN)
            if never:
                not_run.append((name, never))
                continue
            slow = program_claim(claims, name, SLOW) if mode == "memcheck" else None
            if slow:
                r = {"suite": name, "mode": mode, "seconds": 0.0, "tests": [
                    {"name": "exit_and_memcheck", "status": "skip", "claimed": True,
                     "detail": "kgrind: not run under memcheck: %s" % slow}]}
            else:
                r = apply_claims(run_program(args.install, collection, program, mode,
                                             args.reports, args.lib, args.timeout), claims)
            c = formats.counts(r)
            print("%-10s %-48s %3d passed %3d failed %3d skipped  %6.1f s" % (
                mode, name, c["pass"], c["fail"], c["skip"], r["seconds"]), flush=True)
            for t in r["tests"]:
                if t["status"] == "fail":
                    for line in formats.failure_lines(name, t, 4):
                        print(line)
            r["ktap"] = ktap_block(r)
            results.append(r)
        if not results:
            continue
        mode_dir = os.path.join(args.reports, mode)
        ktap = os.path.join(mode_dir, "kselftest.ktap")
        with open(ktap, "w") as f:
            f.write(kunit_parser.ktap_document(results))
        with open(os.path.join(mode_dir, "junit.xml"), "w") as f:
            f.write(formats.junit(results, "kgrind kselftest " + mode))
        totals = {"pass": 0, "fail": 0, "skip": 0}
        for r in results:
            for key, value in formats.counts(r).items():
                if key in totals:
                    totals[key] += value
        for name, why in not_run:
            print("%-10s %-48s not run: %s" % (mode, name, why))
        # Said again last: a log cut to its tail still names them.
        for r in results:
            for t in r["tests"]:
                if t["status"] == "fail":
                    print("%-10s %-48s FAILED" % (mode, "%s.%s" % (r["suite"], t["name"])))
        line = "%s: %d programs, %d points passed, %d failed, %d skipped (%d claimed)" % (
            mode, len(results), totals["pass"], totals["fail"], totals["skip"],
            sum(1 for r in results for t in r["tests"] if t.get("claimed")))
        print("== kselftest " + line + "; reports in " + mode_dir)
        parsed = subprocess.run([sys.executable, args.kunit_py, "parse", ktap],
                                capture_output=True, text=True)
        counts = kunit_parser.kunit_py_summary(parsed.stdout)
        if counts != (totals["pass"], totals["fail"], totals["skip"]):
            print("kgrind: kunit.py parse counts %s in %s, not these" % (counts, ktap))
            failed_modes.append(mode)
        if totals["fail"]:
            failed_modes.append(mode)
    if failed_modes:
        print("FAILED (%s)" % ", ".join(sorted(set(failed_modes))))
        return 1
    print("all passed (kselftest)")
    return 0
