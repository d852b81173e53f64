# SPDX-License-Identifier: GPL-2.0
"""make kunit: the kernel's KUnit suites in the library kernel, natively
and under memcheck, a few boots per core.

The cases come from the kernel itself (kunit.action=list_attr).  The
suites are shared out among a few processes per core, as many running at
once as there are cores; each boots the KUnit kernel once, and runs each
of its suites in a forked copy of that kernel (kg_kunit --each).  A case that ends its copy (a bad
pointer is a host signal without an MMU, a panic) fails by name with the
console's last lines, and each case after it runs alone, in a copy of
its own.  A case that outlives the time limit ends its process: the
suites it had not begun run in a new one.  The suites' KTAP, as KUnit printed it (with
memcheck's verdict in it: harness/arch/kernel/kunit.c), is joined into
one document, DIR/<mode>/kunit.ktap; kunit.py parse must count it as the
summary does.

This module runs the processes and prints the verdict; kunit_parser.py
reads the consoles and writes the KTAP."""
import argparse
import concurrent.futures
import os
import subprocess
import sys
import threading
import time

import formats
import kunit_parser as parser
import process
import valgrind as vg

SELFTEST = "kgrind_kunit_selftest"
# Processes (boots) per core: a few, so that the cores stay busy to the
# end though some suites take far longer than their count of cases says.
BATCHES_PER_CORE = 4
# What make kunit-selftest wants of each case of that suite, per mode:
# (status, words its detail must hold).
SELFTEST_WANT = {
    "native": {"kgrind_selftest_clean": ("pass", []),
               "kgrind_selftest_leak": ("pass", []),
               "kgrind_selftest_uninit_branch": ("pass", []),
               "kgrind_selftest_read_past_end": ("pass", []),
               "kgrind_selftest_past_limit": ("skip", ["slow under memcheck only"]),
               "kgrind_selftest_crash": ("fail", ["host signal"]),
               "kgrind_selftest_after_crash": ("pass", [])},
    "memcheck": {"kgrind_selftest_clean": ("pass", []),
                 "kgrind_selftest_leak": ("fail", ["Leak_DefinitelyLost", "kgrind_selftest_leak"]),
                 "kgrind_selftest_uninit_branch": ("fail", ["UninitCondition", "kgrind_selftest_uninit_branch"]),
                 "kgrind_selftest_read_past_end": ("fail", ["InvalidRead", "kgrind_selftest_read_past_end"]),
                 "kgrind_selftest_past_limit": ("skip", ["try timed out", "past KUnit's 300 s limit"]),
                 "kgrind_selftest_crash": ("fail", ["host signal"]),
                 "kgrind_selftest_after_crash": ("pass", [])},
}


class Kunit:
    def __init__(self, args, mode):
        self.bin, self.mode = args.bin, mode
        self.reports = os.path.join(args.reports, mode)
        self.timeout = args.timeout if mode == "memcheck" else args.native_timeout
        self.valgrind = vg.words(args.valgrind) if mode == "memcheck" else []
        self.expect = args.expect
        self.filter, self.attr = args.filter, args.attr
        self.selftest = args.selftest
        if self.selftest:
            self.filter, self.attr = SELFTEST, ""
        self.processes = 0
        self.lock = threading.Lock()
        self.cases_done = 0
        self.boot_errors = set()

    # -- one process --------------------------------------------------------

    def _options(self, glob):
        opts = ["kunit.enable=1", "kunit.filter_glob=" + glob]
        if self.selftest:
            opts.append(SELFTEST + "=1")
        if self.attr:
            opts.append(attr_option(self.attr))
        return opts

    def _each_options(self, globs):
        """One boot, then the suites (or cases) of each glob in a forked
        copy: kg_kunit --each."""
        opts = ["kunit.enable=1"]
        if self.selftest:
            opts.append(SELFTEST + "=1")
        if self.attr:
            opts.append("--filter=" + self.attr)
        return opts + ["--each"] + globs

    def _process(self, name, options, watch_cases):
        """Runs the program; returns (console lines, why it ended early or
        None).  watch_cases: kill it when no case ends for the limit."""
        with self.lock:
            self.processes += 1
            number = self.processes
        base = os.path.join(self.reports, "%s.%d" % (name, number))
        cmd = [self.bin] + options
        # The claims hold in both modes: KUNIT_FAIL ones natively too.
        env = dict(os.environ, KG_KUNIT_EXPECT=self.expect)
        if self.valgrind:
            # Each forked copy's reports go to its own file (vg.per_process).
            xml, log = base + ".memcheck.xml", base + ".memcheck.log"
            cmd = vg.wrap(self.valgrind, cmd, vg.per_process(xml), log)
            env.update(vg.env(vg.per_process(xml), log))
        out_path = base + ".console"
        with open(out_path, "w") as out:
            proc = process.start(cmd, out, env)
        quiet = process.Watchdog(self.timeout if watch_cases else 0)
        quiet.reset()
        seen, why = 0, None

        def look(alive):
            nonlocal seen, why
            if not alive:
                return False
            with open(out_path, errors="replace") as f:
                ended = parser.case_results(f)
            if ended != seen:
                with self.lock:
                    self.cases_done += ended - seen
                seen = ended
                quiet.reset()
                return False
            late = quiet.overdue()
            if late:
                why = "timed out: no case ended for %.0f s (hung kernel or case)" % late
            return bool(late)
        status = process.supervise(proc, look)
        if self.valgrind:
            vg.adopt(vg.per_process(xml), proc.pid, xml)
            vg.drop_quiet_children(xml)
        with open(out_path, errors="replace") as f:
            lines = f.read().splitlines()
        if why is None and status:
            why = "the process ended (%s)" % process.describe_status(status)
        return lines, why

    # -- one process's suites -------------------------------------------------

    def _copies(self, name, globs):
        """One process for the globs: {glob: (lines, why, seconds)} for
        each whose copy began (kunit_parser.copies)."""
        lines, why = self._process(name, self._each_options(globs), True)
        self.boot_errors.update(parser.boot_errors(lines))
        found = parser.copies(lines, why)
        if not found:
            # It never got to a copy (the boot failed): each glob is told so.
            found = {g: (lines, why or "the process ran no copy", 0.0) for g in globs}
        return found

    def _judge(self, suite, cases, lines, why, seconds):
        entries, ended = parser.suite_block(lines, suite)
        missing = [c for c in cases if c not in entries]
        if missing:
            # The last case begun ended the copy; the results of cases
            # before it may have been lost with it, and they run again.
            crashed = parser.crashed_case(lines, suite, missing)
            entries[crashed] = parser.crashed_entry(
                crashed, why or "the copy ended before the case did", lines)
            rest = ["%s.%s" % (suite, c) for c in missing if c != crashed]
            alone = self._copies("%s.alone" % suite, rest) if rest else {}
            for glob in rest:
                case = glob[len(suite) + 1:]
                got_lines, got_why, got_seconds = alone.get(
                    glob, ([], "its process ended before it began", 0.0))
                got, _ = parser.suite_block(got_lines, suite)
                entries.setdefault(parser.SUITE_ATTR, got.get(parser.SUITE_ATTR, []))
                entries[case] = got.get(case) or parser.crashed_entry(
                    case, got_why or "the copy ended before the case did", got_lines)
                seconds += got_seconds
        return parser.suite_result(suite, self.mode, cases, entries, seconds)

    def run_batch(self, batch):
        """The suites of one process, [(suite, [case...])]: their results,
        in order.  Those a hung case kept from beginning run in a new
        process."""
        results, pending = {}, list(batch)
        while pending:
            found = self._copies(pending[0][0], [suite for suite, _ in pending])
            for suite, cases in pending:
                if suite in found:
                    results[suite] = self._judge(suite, cases, *found[suite])
            pending = [(s, c) for s, c in pending if s not in results]
        return [results[suite] for suite, _ in batch]

    # -- the whole run ------------------------------------------------------

    def plan(self):
        """[(suite, [case...])] from the kernel itself: KUnit's order, but
        the suites with a case KUnit marks slow first, so that the longest
        processes do not start last."""
        opts = ["kunit.enable=1", "kunit.action=list_attr"]
        if self.filter:
            opts.append("kunit.filter_glob=" + self.filter)
        if self.attr:
            opts.append(attr_option(self.attr))
        saved, self.valgrind = self.valgrind, []
        lines, why = self._process("list", opts, False)
        self.valgrind = saved
        if why:
            raise SystemExit("kgrind: listing the KUnit cases failed (%s):\n%s" % (
                why, "\n".join(lines[-20:])))
        return parser.listed_cases(lines, SELFTEST, self.selftest)

    def run(self, jobs, plan):
        os.makedirs(self.reports, exist_ok=True)
        for name in os.listdir(self.reports):
            os.unlink(os.path.join(self.reports, name))
        total = sum(len(c) for _, c in plan)
        start = time.monotonic()
        results = {}

        def progress():
            return "  kunit (%s): %d of %d cases, %d of %d suites, %.0f s" % (
                self.mode, self.cases_done, total, len(results), len(plan),
                time.monotonic() - start)
        with process.progress_lines(progress), \
                concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            futures = [pool.submit(self.run_batch, b)
                       for b in share_out(plan, jobs * BATCHES_PER_CORE)]
            for f in concurrent.futures.as_completed(futures):
                for r in f.result():
                    results[r["suite"]] = r
        ordered = [results[s] for s, _ in plan]
        return ordered, time.monotonic() - start


def share_out(plan, count):
    """The plan's suites in count batches.  The plan has the suites with
    a slow case first: the first half of the batches take one suite each
    (a slow suite takes minutes under memcheck, whatever its count of
    cases), the rest of the suites go to the other half, about as many
    cases to each; in the plan's order, so the slow ones start first."""
    alone = min(count // 2, len(plan))
    batches = [[suite] for suite in plan[:alone]]
    shared = [[] for _ in range(max(1, count - alone))]
    weight = [0] * len(shared)
    for suite, cases in plan[alone:]:
        lightest = weight.index(min(weight))
        shared[lightest].append((suite, cases))
        weight[lightest] += len(cases)
    return batches + [b for b in shared if b]


def attr_option(attr):
    """KUNIT_ATTR as the kernel's kunit.filter, quoted as kunit.py quotes
    it: a space after a comma would end the option on the command line."""
    return 'kunit.filter="%s"' % attr


def listing(args):
    """The KUnit kernel's listing, natively, of the cases args select."""
    lister = Kunit(args, "list")
    os.makedirs(lister.reports, exist_ok=True)
    return lister.plan()


def selection_plan(args):
    """The plan of both modes (the cases do not depend on the mode), or
    None and one line when KUNIT_FILTER and KUNIT_ATTR select no case:
    the kernel's suites then, so that the next try can pick one."""
    plan = listing(args)
    if plan or args.selftest:
        return plan
    given = " ".join("%s='%s'" % (name, value) for name, value in (
        ("KUNIT_FILTER", args.filter), ("KUNIT_ATTR", args.attr)) if value)
    if not given:
        print("kgrind: the KUnit kernel lists no case: its kunitconfig turns on no KUnit "
              "suite that builds (make kunit-suites says why)", file=sys.stderr)
        return None
    unfiltered = argparse.Namespace(**dict(vars(args), filter="", attr=""))
    suites = sorted(suite for suite, _ in listing(unfiltered))
    print("kgrind: no KUnit case matches %s; the KUnit kernel's suites (%d): %s" % (
        given, len(suites), " ".join(suites)), file=sys.stderr)
    return None


def kunit_py_counts(kunit_py, path):
    """What kunit.py parse makes of the document: (passed, failed, skipped)."""
    out = subprocess.run([kunit_py, "parse", path], capture_output=True, text=True).stdout
    return parser.kunit_py_summary(out)


def selftest_verdict(mode, results):
    """make kunit-selftest: each deliberate failure failed for its reason,
    and nothing else failed."""
    got = {t["name"]: t for r in results for t in r["tests"]}
    ok = True
    for case, (status, words) in SELFTEST_WANT[mode].items():
        t = got.get(case)
        missing = [w for w in words if t and w not in t["detail"]]
        if not t or t["status"] != status or missing:
            print("kgrind: kunit selftest (%s): %s should %s%s, but %s" % (
                mode, case, status, " naming " + ", ".join(missing) if missing else "",
                "did not run" if not t else "was %s: %s" % (t["status"], t["detail"][:300])))
            ok = False
    print("kunit selftest (%s): %s" % (mode, "every deliberate fault failed only its case, for its reason"
                                       if ok else "FAILED"))
    return ok


def cmd_kunit(args):
    failed = False
    jobs = os.cpu_count() or 1
    plan = selection_plan(args)
    if plan is None:
        return 2
    for mode in args.modes.split():
        run = Kunit(args, mode)
        results, seconds = run.run(jobs, plan)
        path = os.path.join(run.reports, "kunit.ktap")
        with open(path, "w") as f:
            f.write(parser.ktap_document(results))
        with open(os.path.join(run.reports, "junit.xml"), "w") as f:
            f.write(formats.junit(results, "kgrind kunit " + mode))
        total = {"pass": 0, "fail": 0, "skip": 0, "errors": 0, "leaked": 0}
        print("== kunit (%s): %d suites, %d processes, %.0f s (reports in %s)" % (
            mode, len(results), run.processes, seconds, os.path.relpath(run.reports)))
        for r in results:
            c = formats.counts(r)
            for key in total:
                total[key] += c[key]
            if c["fail"]:
                print(formats.summary_line(r))
                for t in r["tests"]:
                    if t["status"] == "fail":
                        print("\n".join(formats.failure_lines(r["suite"], t, 19)))
        claimed = 0
        for r in results:
            for t in r["tests"]:
                for i, d in enumerate(t["detail"].splitlines()):
                    if d.startswith("memcheck ") and "(claimed, known bug" in d or \
                            i == 0 and t["status"] == "skip" and d.startswith("kgrind: known bug"):
                        print("    KNOWN %s.%s: %s" % (r["suite"], t["name"], d))
                    claimed += d.startswith("memcheck ") and "(claimed" in d.split(":")[0]
        if claimed:
            print("    %d memcheck report(s) claimed by %s (on purpose or known bugs; not failures)" % (
                claimed, os.path.relpath(args.expect)))
        for error in sorted(run.boot_errors):
            print("    FAILED boot (before KUnit): " + error)
        print("kunit %-4s %4d passed %3d failed %3d skipped" % (
            mode, total["pass"], total["fail"], total["skip"]) +
            ("  %3d memcheck errors %7d bytes leaked" % (total["errors"], total["leaked"])
             if mode == "memcheck" else ""))
        parsed = kunit_py_counts(args.kunit_py, path)
        if parsed != (total["pass"], total["fail"], total["skip"]):
            print("kgrind: kunit.py parse counts %s (passed, failed, skipped) in %s, the summary %s" % (
                parsed, path, (total["pass"], total["fail"], total["skip"])))
            failed = True
        if args.selftest:
            failed |= not selftest_verdict(mode, results) or bool(run.boot_errors)
        elif total["fail"] or run.boot_errors or not results:
            failed = True
    print("FAILED (kunit)" if failed else "all passed (kunit)")
    return 1 if failed else 0
