# SPDX-License-Identifier: GPL-2.0
"""make kunit: the kernel's KUnit suites in the library kernel, natively
and under memcheck, one boot per mode.

The cases come from the kernel itself (kunit.action=list_attr).  One
process boots the KUnit kernel and runs each suite in a forked copy of
it, as many at once as there are cores (kg_kunit --each -), the suites
with slow cases first.  A case that ends its copy (a bad pointer is a
host signal without an MMU, a panic) fails by name with the console's
last lines, and each case after it runs alone, in a copy of its own of
the same boot.  A copy that prints nothing for the time limit is killed;
what a hung process kept from beginning runs in a new one.  The suites'
KTAP, as KUnit printed it (with memcheck's verdict in it:
harness/arch/kernel/kunit.c), is joined into one document,
DIR/<mode>/kunit.ktap; kunit.py parse must count it as the summary does.

This module runs the process, feeds it, and prints the verdict;
kunit_parser.py reads the consoles and writes the KTAP."""
import argparse
import os
import shutil
import subprocess
import sys
import time

import formats
import kunit_parser as parser
import process
import valgrind as vg

SELFTEST = "kgrind_kunit_selftest"
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
        try:
            with open(args.expect) as f:
                self.claims = f.read().splitlines()
        except OSError:
            self.claims = []
        self.filter, self.attr = args.filter, args.attr
        self.selftest = args.selftest
        if self.selftest:
            self.filter, self.attr = SELFTEST, ""
        self.name = "kunit"
        self.processes = 0
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

    def _each_options(self, consoles, jobs):
        """One boot, then the suites (or cases) of each glob its standard
        input gives, each in a forked copy, jobs at a time: kg_kunit
        --each -."""
        opts = ["kunit.enable=1"]
        if self.selftest:
            opts.append(SELFTEST + "=1")
        if self.attr:
            opts.append("--filter=" + self.attr)
        opts += ["--consoles=" + consoles, "--jobs=%d" % jobs]
        if self.timeout:
            opts.append("--copy-timeout=%g" % self.timeout)
        return opts + ["--each", "-"]

    def _process(self, name, options, watch_cases, serve=None):
        """Runs the program; returns (console lines, why it ended early or
        None).  watch_cases: kill it when no case ends for the limit.
        serve(proc, lines): called at each look while it runs, with its
        standard input a pipe; returns the cases ended so far."""
        self.processes += 1
        base = os.path.join(self.reports, "%s.%d" % (name, self.processes))
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
            proc = process.start(cmd, out, env, subprocess.PIPE if serve else None)
        # Serving, the copies have their own limit (--copy-timeout): this
        # one is for the process itself.
        quiet = process.Watchdog((self.timeout * 2 if serve else self.timeout)
                                 if watch_cases else 0)
        quiet.reset()
        seen, done_before, why = None, self.cases_done, None

        def look(alive):
            nonlocal seen, why
            if not alive:
                return False
            with open(out_path, errors="replace") as f:
                lines = f.read().splitlines()
            ended = serve(proc, lines) if serve else parser.case_results(lines)
            progress = (ended, len(lines) if serve else 0)
            if progress != seen:
                self.cases_done = done_before + ended
                seen = progress
                quiet.reset()
                return False
            late = quiet.overdue()
            if late:
                why = "timed out: no case ended for %.0f s (hung kernel or case)" % late
            return bool(late)
        status = process.supervise(proc, look)
        if serve and proc.stdin and not proc.stdin.closed:
            proc.stdin.close()
        if self.valgrind:
            vg.adopt(vg.per_process(xml), proc.pid, xml)
            vg.drop_quiet_children(xml)
        with open(out_path, errors="replace") as f:
            lines = f.read().splitlines()
        if why is None and status:
            why = "the process ended (%s)" % process.describe_status(status)
        return lines, why

    # -- one boot, its copies -------------------------------------------------

    def _serve(self, work, jobs):
        """One process (one boot) runs the globs of work, each in a copy,
        and the cases a crash left, each alone, as they come.  Returns
        the globs it did not begin, for the next process."""
        number = self.processes + 1
        consoles = os.path.join(self.reports, "%s.%d.copies" % (self.name, number))
        os.makedirs(consoles, exist_ok=True)
        sent, handled, later = [], set(), []
        counted = {}

        def feed(proc, globs):
            if proc.stdin.closed:
                later.extend(globs)
                return
            sent.extend(globs)
            proc.stdin.write("".join(g + "\n" for g in globs).encode())
            proc.stdin.flush()

        def serve(proc, lines):
            if not sent and not handled:
                feed(proc, work)
            found = parser.copies(lines)
            for glob, copy in found.items():
                if glob not in counted or not copy["ended"]:
                    counted[glob] = parser.case_results(self._copy_lines(copy))
                if copy["ended"] and glob not in handled:
                    handled.add(glob)
                    self._ended(glob, self._copy_lines(copy), copy["why"], copy["seconds"],
                                lambda globs: feed(proc, globs))
            if not proc.stdin.closed and all(g in handled for g in sent):
                proc.stdin.close()   # nothing left to run: it halts
            return sum(counted.values())
        lines, why = self._process(self.name, self._each_options(consoles, jobs), True, serve)
        self.boot_errors.update(parser.boot_errors(lines))
        found = parser.copies(lines)
        if not found:
            # It never got to a copy (the boot failed): each glob is told so.
            for glob in sent or work:
                self._ended(glob, lines, why or "the process ran no copy", 0.0, later.extend)
            return later
        for glob in sent:
            copy = found.get(glob)
            if glob in handled:
                continue
            if copy is None:
                later.append(glob)
            else:
                self._ended(glob, self._copy_lines(copy), copy["why"] or why or
                            "the process ended during the copy", copy["seconds"], later.extend)
        return later

    @staticmethod
    def _copy_lines(copy):
        if copy["console"] is None:
            return copy["lines"]
        try:
            with open(copy["console"], errors="replace") as f:
                return f.read().splitlines()
        except OSError:
            return []

    def _crashed(self, suite, case, why, lines):
        """The entry of a case that ended its copy: failed, or skipped
        when a CRASH claim calls it a known bug."""
        why = why or "the copy ended before the case did"
        reason = parser.crash_claim(self.claims, suite, case)
        if reason:
            return parser.claimed_crash_entry(case, reason, why, lines)
        return parser.crashed_entry(case, why, lines)

    def _ended(self, glob, lines, why, seconds, feed):
        """A copy ended: a suite's, judged, its cases left after a crash
        fed to run alone; or one such case's."""
        suite, _, case = glob.partition(".")
        cases = self.cases[suite]
        if not case:
            entries, _ = parser.suite_block(lines, suite)
            state = self.states[suite] = {"entries": entries, "seconds": seconds, "left": set()}
            missing = [c for c in cases if c not in entries]
            if missing:
                # The last case begun ended the copy; the results of cases
                # before it may have been lost with it, and they run again.
                crashed = parser.crashed_case(lines, suite, missing)
                entries[crashed] = self._crashed(suite, crashed, why, lines)
                rest = ["%s.%s" % (suite, c) for c in missing if c != crashed]
                state["left"].update(rest)
                if rest:
                    feed(rest)
        else:
            state = self.states[suite]
            got, _ = parser.suite_block(lines, suite)
            entries = state["entries"]
            entries.setdefault(parser.SUITE_ATTR, got.get(parser.SUITE_ATTR, []))
            entries[case] = got.get(case) or self._crashed(suite, case, why, lines)
            state["seconds"] += seconds
            state["left"].discard(glob)
        if not state["left"]:
            self.results[suite] = parser.suite_result(suite, self.mode, cases, state["entries"],
                                                      state["seconds"])

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
        """Every suite of the plan: one process (one boot) whose copies run
        jobs at a time; another only for what a hung process kept from
        beginning."""
        os.makedirs(self.reports, exist_ok=True)
        for name in os.listdir(self.reports):
            path = os.path.join(self.reports, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)
        total = sum(len(c) for _, c in plan)
        start = time.monotonic()
        self.cases, self.states, self.results = dict(plan), {}, {}

        def progress():
            return "  kunit (%s): %d of %d cases, %d of %d suites, %.0f s" % (
                self.mode, self.cases_done, total, len(self.results), len(plan),
                time.monotonic() - start)
        work = [suite for suite, _ in plan]
        with process.progress_lines(progress):
            while work:
                work = self._serve(work, jobs)
        ordered = [self.results[s] for s, _ in plan]
        return ordered, time.monotonic() - start


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
