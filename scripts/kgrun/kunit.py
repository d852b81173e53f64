# SPDX-License-Identifier: GPL-2.0
"""make kunit: the kernel's KUnit suites in the library kernel, one KUnit
suite per process, natively and under memcheck.

The cases come from the kernel itself (kunit.action=list).  Each suite
runs in a process of its own (kunit.filter_glob=suite), as many at once
as there are cores.  A case that ends its process (a bad pointer is a
host signal without an MMU, a panic) or outlives the time limit fails by
name with the console's last lines, and each case after it runs alone in
a fresh process.  The suites' KTAP, as KUnit printed it (with memcheck's
verdict in it: harness/arch/kernel/kunit.c), is joined into one document,
DIR/<mode>/kunit.ktap; kunit.py parse must count it as the summary does."""
import concurrent.futures
import os
import re
import subprocess
import threading
import time

import formats
import process
import valgrind as vg

CASE_RESULT = re.compile(r"^    (ok|not ok) (\d+) (\S+)(.*)$")
PARAM_RESULT = re.compile(r"^        (ok|not ok) (\d+) (.*?)( # SKIP.*)?$")
SUITE_START = re.compile(r"^    # Subtest: (\S+)$")
SUITE_ATTR = "    # module: "
BEGIN = "# kgrind: begin "
FATAL = "kgrind: fatal kernel error: "
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
LEAKED = re.compile(r"memcheck Leak_DefinitelyLost[^:]*: ([\d,]+) ")


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
            opts.append("kunit.filter=" + self.attr)
        return opts

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
            xml, log = base + ".memcheck.xml", base + ".memcheck.log"
            cmd = vg.wrap(self.valgrind, cmd, xml, log)
            env.update(vg.env(xml, log))
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
                ended = sum(1 for line in f if CASE_RESULT.match(line))
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
        with open(out_path, errors="replace") as f:
            lines = f.read().splitlines()
        if why is None and status:
            why = "the process ended (%s)" % process.describe_status(status)
        return lines, why

    # -- one suite ----------------------------------------------------------

    @staticmethod
    def _suite_block(lines, suite):
        """The suite's case entries as KUnit printed them: {case: lines},
        in order, and whether the suite's block ended."""
        entries, current, inside, ended = {}, [], False, False
        for line in lines:
            if line.startswith(FATAL):
                break   # what follows repeats the console
            if not inside:
                inside = SUITE_START.match(line) is not None and \
                    SUITE_START.match(line).group(1) == suite
                continue
            if re.match(r"^(ok|not ok) \d+ %s\b" % re.escape(suite), line):
                ended = True
                break
            if line.startswith("    1..") or line.startswith("    KTAP version") or \
                    line.startswith(BEGIN):
                continue
            if line.startswith(SUITE_ATTR):
                # The suite's attributes, once in its header (_result).
                attrs = entries.setdefault(SUITE_ATTR, [])
                if line not in attrs:
                    attrs.append(line)
                continue
            if line.startswith("# %s: pass:" % suite):
                continue
            m = CASE_RESULT.match(line)
            current.append(line)
            if m:
                entries[m.group(3)] = current
                current = []
        return entries, ended

    def _boot_errors(self, lines):
        for line in lines:
            if line.startswith("# kgrind: at boot: "):
                self.boot_errors.add(line[len("# kgrind: at boot: "):])

    def _crashed_entry(self, case, why, lines):
        fatal = [i for i, l in enumerate(lines) if l.startswith(FATAL)]
        if fatal:
            why = lines[fatal[0]][len(FATAL):]
            lines = lines[:fatal[0]]
        tail = [l for l in lines if l.strip() and not l.startswith(BEGIN)][-25:]
        detail = ["    # %s: %s" % (case, why),
                  "    # %s: --- console (tail) ---" % case]
        detail += ["    # %s: %s" % (case, l) for l in tail]
        return detail + ["    not ok 0 %s" % case]

    def run_suite(self, suite, cases):
        start = time.monotonic()
        lines, why = self._process(suite, self._options(suite), True)
        self._boot_errors(lines)
        entries, ended = self._suite_block(lines, suite)
        missing = [c for c in cases if c not in entries]
        if missing:
            # The last case begun ended the process; the results of cases
            # before it may have been lost with it, and they run again.
            begun = [l[len(BEGIN) + len(suite) + 1:] for l in lines
                     if l.startswith(BEGIN + suite + ".")]
            crashed = begun[-1] if begun and begun[-1] in missing else missing[0]
            entries[crashed] = self._crashed_entry(
                crashed, why or "the process ended before the case did", lines)
            for case in [c for c in missing if c != crashed]:
                alone, why_alone = self._process(
                    "%s.%s" % (suite, case), self._options("%s.%s" % (suite, case)), True)
                self._boot_errors(alone)
                got, _ = self._suite_block(alone, suite)
                entries.setdefault(SUITE_ATTR, got.get(SUITE_ATTR, []))
                entries[case] = got.get(case) or self._crashed_entry(
                    case, why_alone or "the process ended before the case did", alone)
        return self._result(suite, cases, entries, time.monotonic() - start)

    def _leaf(self, name, line_match, diags, case):
        """One test as kunit.py counts it: a case, or one of its params."""
        verdict, rest = line_match
        status = "fail" if verdict == "not ok" else \
            "skip" if "# SKIP" in rest else "pass"
        prefix = case + ": "
        detail = [d[len(prefix):] if d.startswith(prefix) else d for d in diags]
        if status == "skip":
            detail = [rest.split("# SKIP", 1)[1].strip()] + detail
        fails = [d for d in detail if d.startswith("memcheck ") and
                 "(claimed" not in d.split(":")[0]]
        leaked = sum(int(x.replace(",", "")) for d in fails for x in LEAKED.findall(d))
        test = {"name": name, "status": status, "seconds": 0,
                "errors": len(fails) - sum(1 for d in fails if LEAKED.search(d)),
                "leaked": leaked, "detail": "\n".join(detail)}
        return test, rest

    def _result(self, suite, cases, entries, seconds):
        tests, block = [], ["    KTAP version 1", "    # Subtest: %s" % suite]
        block += entries.get(SUITE_ATTR, []) + ["    1..%d" % len(cases)]
        for number, case in enumerate(cases, 1):
            entry = list(entries[case])
            diags, params = [], 0
            for i, line in enumerate(entry[:-1]):
                p = PARAM_RESULT.match(line)
                if p:
                    test, rest = self._leaf("%s.%s" % (case, p.group(3)),
                                            (p.group(1), p.group(4) or ""), diags, case)
                    entry[i] = "        %s %s %s%s" % (
                        "not ok" if test["status"] == "fail" else "ok",
                        p.group(2), p.group(3), rest)
                    tests.append(test)
                    diags, params = [], params + 1
                elif line.startswith("    # "):
                    diags.append(line.strip()[2:])
            m = CASE_RESULT.match(entry[-1])
            rest = m.group(4)
            if not params:
                test, rest = self._leaf(case, (m.group(1), rest), diags, case)
                tests.append(test)
                failed = test["status"] == "fail"
            else:
                failed = any(t["status"] == "fail" for t in tests[-params:])
                if diags and m.group(1) == "not ok" and not failed:
                    # The case failed outside its params (its memcheck report).
                    test, _ = self._leaf(case + ".", ("not ok", ""), diags, case)
                    tests[-1]["status"], failed = "fail", True
                    tests[-1]["detail"] += "\n" + test["detail"]
            entry[-1] = "    %s %d %s%s" % ("not ok" if failed else "ok", number, case, rest)
            block += entry
        result = {"suite": suite, "mode": self.mode, "seconds": seconds, "tests": tests}
        c = formats.counts(result)
        block.append("# %s: pass:%d fail:%d skip:%d total:%d" % (
            suite, c["pass"], c["fail"], c["skip"], len(tests)))
        result["ktap"] = block
        return result

    # -- the whole run ------------------------------------------------------

    def plan(self):
        """[(suite, [case...])] from the kernel itself: KUnit's order, but
        the suites with a case KUnit marks slow first, so that the longest
        processes do not start last."""
        opts = ["kunit.enable=1", "kunit.action=list_attr"]
        if self.filter:
            opts.append("kunit.filter_glob=" + self.filter)
        if self.attr:
            opts.append("kunit.filter=" + self.attr)
        saved, self.valgrind = self.valgrind, []
        lines, why = self._process("list", opts, False)
        self.valgrind = saved
        if why:
            raise SystemExit("kgrind: listing the KUnit cases failed (%s):\n%s" % (
                why, "\n".join(lines[-20:])))
        suites, slow, suite = {}, set(), None
        for line in lines:
            m = re.match(r"^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$", line.strip())
            if m:
                suite = m.group(1) if (m.group(1) == SELFTEST) == self.selftest else None
                if suite:
                    suites.setdefault(suite, []).append(m.group(2))
            elif suite and re.match(r"^# \S+\.speed: (very_)?slow$", line.strip()):
                slow.add(suite)
        return sorted(suites.items(), key=lambda item: item[0] not in slow)

    def run(self, jobs):
        os.makedirs(self.reports, exist_ok=True)
        for name in os.listdir(self.reports):
            os.unlink(os.path.join(self.reports, name))
        plan = self.plan()
        total = sum(len(c) for _, c in plan)
        start = time.monotonic()
        results = {}

        def progress():
            return "  kunit (%s): %d of %d cases, %d of %d suites, %.0f s" % (
                self.mode, self.cases_done, total, len(results), len(plan),
                time.monotonic() - start)
        with process.progress_lines(progress), \
                concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            futures = {pool.submit(self.run_suite, s, c): s for s, c in plan}
            for f in concurrent.futures.as_completed(futures):
                results[futures[f]] = f.result()
        ordered = [results[s] for s, _ in plan]
        return ordered, time.monotonic() - start


def ktap_document(results):
    lines = ["KTAP version 1", "1..%d" % len(results)]
    for number, r in enumerate(results, 1):
        lines += r["ktap"]
        failed = any(t["status"] == "fail" for t in r["tests"])
        lines.append("%s %d %s" % ("not ok" if failed else "ok", number, r["suite"]))
    return "\n".join(lines) + "\n"


def kunit_py_counts(kunit_py, path):
    """What kunit.py parse makes of the document: (passed, failed, skipped)."""
    out = subprocess.run([kunit_py, "parse", path], capture_output=True, text=True).stdout
    m = re.search(r"Ran (\d+) tests?: passed: (\d+)(?:, failed: (\d+))?(?:, skipped: (\d+))?", out)
    if not m:
        return None
    return int(m.group(2)), int(m.group(3) or 0), int(m.group(4) or 0)


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
    for mode in args.modes.split():
        run = Kunit(args, mode)
        results, seconds = run.run(jobs)
        path = os.path.join(run.reports, "kunit.ktap")
        with open(path, "w") as f:
            f.write(ktap_document(results))
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
                        detail = t["detail"].splitlines()
                        print("    FAILED %s.%s: %s" % (r["suite"], t["name"],
                                                       detail[0] if detail else ""))
                        for d in detail[1:20]:
                            print("        " + d)
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
