# SPDX-License-Identifier: GPL-2.0
"""make failsweep: every fault site a test passes, failed once, under
memcheck.

  python3 scripts/kgrun failsweep --reports DIR [--tests GLOBS] [--nth A-B]
          [--shard I/N] [--timeout S] [--valgrind CMD] [--known FILE] SUITE=BIN...
  python3 scripts/kgrun failsweep-merge --reports DIR [--known FILE] SHARD.json...

Step N of test T runs T with fault site N of each task T calls in from
failed (the kernel's fail-nth; harness/lib/failsweep.c).  N goes 1, 2, ...
until a step injects nothing: T passed fewer than N sites.  T's own
assertions do not count; a step's finding is what memcheck reported, a
WARN, BUG or Oops, a crash or a hang.  Findings with the same failed site
and the same report are one, listed with every (T, N) that hit it.

A process boots the kernel and runs the suite's setup; then each step
runs in a forked copy of that kernel (the suite's --fork), which has
never run T: the allocations T makes only the first time it runs in a
kernel are swept too, and no step sees what another did.  Each core has
its own lane of steps: with two cores one sweeps N = 1, 3, 5, ... and
the other N = 2, 4, 6, ...; one process runs a lane's steps of every
test of the suite, each test until a step injects nothing, so a suite
boots once a lane.

With --fresh each step runs in a fresh process instead, as before
kg_fork (kept to compare with; slow).

With --shard I/N a process sweeps the steps I, I+N, I+2N, ... of each test
until one of them injects nothing (the sites a test passes are 1..M, so
each shard stops past M); failsweep-merge joins the shards' JSON into the
report one unsharded run writes.

This module runs the steps; failsweep_findings.py says what counts in a
step, failsweep_report.py writes the report and merges shards'."""
import concurrent.futures
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import threading
import time

import memcheck_xml
import options
import process
import valgrind as vg
from failsweep_findings import injected_sites, step_findings
from failsweep_report import (first_hit, keep_first_text, merge, new_test_record,
                              read_known, test_records, write_reports)
from run import SuiteRun

# The steps of a test a sweep runs at most, from step 1 or from NTH=N:
# a test that writes a big file passes thousands of fault sites, most of
# them the same page cache's.
LAST_STEP = 400


def sweep_tests(binary, globs):
    """The tests of a suite that run in its kernel, between its setup and
    its halt, that globs select."""
    cmd = [binary, "--list"] + (["--tests=" + globs] if globs else [])
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    names = [line.split(" ", 1)[1].split(".", 1)[1] for line in out.splitlines()]
    if "setup" not in names or "halt" not in names:
        return []
    return names[names.index("setup") + 1:names.index("halt")]


@dataclasses.dataclass
class Step:
    """One step of a test's sweep, as run_steps tells record of it."""
    test: str           # suite.test
    n: int              # its fault site: the kernel's fail-nth
    injected: int = 0   # faults injected (0: the test passed fewer sites)
    sites: list = dataclasses.field(default_factory=list)      # each fault's failed site
    findings: list = dataclasses.field(default_factory=list)   # step_findings
    processes: int = 0  # 1 if a process began with this step
    broken: bool = False  # nothing of the test ran (its setup failed)


class Sweep:
    """A sweep, or one shard of it: the steps of each test in lanes, one
    lane a core, recorded into the report's document."""

    def __init__(self, args):
        self.args = args
        self.shard, self.shards = options.shard(args.shard) or (1, 1)
        # NTH=N sweeps on from N as far as a whole sweep goes from 1, so
        # that the report's "more with NTH=401-" runs the steps past 400.
        self.nth_lo, self.nth_hi = options.nth(args.nth) or (1, None)
        if self.nth_hi is None:
            self.nth_hi = self.nth_lo + LAST_STEP - 1
        self.steps_dir = os.path.join(args.reports, "failsweep-steps")
        self.lock = threading.Lock()
        self.tests = {}         # suite.test -> per-test record
        self.findings = {}      # (site, key) -> finding
        self.steps_run = 0
        self.processes = 0
        self.runs = 0           # processes started, for their reports' names
        self.running = set()    # the events files of the processes under way
        self.started = time.monotonic()
        self.last_step = None   # the (test, N) recorded last, for progress lines
        # Set by SIGINT or SIGTERM: the steps in flight are killed and not
        # counted, and the report says the sweep was cut short.
        self.stop = threading.Event()

    def lane(self, lane, lanes):
        """This shard's steps of a test that lane (of lanes) runs, in
        order, within --nth."""
        stride = self.shards * lanes
        n = self.shard + lane * self.shards
        while n < self.nth_lo:
            n += stride
        while n <= self.nth_hi:
            yield n
            n += stride

    def run_steps(self, suite, binary, tests, steps):
        """Runs steps (N, N + stride, ...) of each test in one process,
        each test until a step injects nothing; {test: the steps it ran, in
        order}, shorter if the process died.  Each step runs in a forked
        copy of the kernel the setup left; with --fresh, only the first
        step of the first test, in a process of its own."""
        if self.args.fresh:
            tests, steps = tests[:1], steps[:1]
        names = ["%s.%s" % (suite, t) for t in tests]
        with self.lock:
            self.runs += 1
            reports = os.path.join(self.steps_dir, "%s.%d" % (suite, self.runs))
        os.makedirs(reports, exist_ok=True)
        events = os.path.join(reports, suite + ".events")
        with self.lock:
            self.running.add(events)
        stride = steps[1] - steps[0] if len(steps) > 1 else 1
        run = SuiteRun(suite, binary, "memcheck", reports, ",".join(names),
                       self.args.timeout, self.args.valgrind, quiet=True,
                       extra_args=["--fail-nth=%d" % steps[0], "--fail-steps=%d" % len(steps),
                                   "--fail-stride=%d" % stride] +
                       ([] if self.args.fresh else ["--fork"]),
                       stop=self.stop)
        result = run.run()
        with self.lock:
            self.running.discard(events)
        if self.stop.is_set():
            shutil.rmtree(reports, ignore_errors=True)
            return {}
        index = {name: i for i, name in run.names.items()}
        done, found = {}, False
        for test, name in zip(tests, names):
            done[test] = []
            for n in steps:
                key = (index.get(test), n)
                if key not in run.steps:
                    break
                sites = self.step_sites(run, key)
                # A step that crashed said nothing of its faults: its XML did.
                step = Step(name, n, findings=step_findings([run.steps[key]]),
                            injected=run.injected.get(key) or len(sites), sites=sites)
                done[test].append(step)
                found |= bool(step.findings)
                if not step.injected:
                    break
        ran = [s for t in tests for s in done[t]]
        if ran:
            ran[0].processes = 1
        # The process's own entries (setup, halt, errors outside tests)
        # go to its last step; nothing run at all ends the lane.
        others = step_findings([t for t in result["tests"] if t["name"] not in tests])
        if others:
            if not ran:
                done[tests[0]] = ran = [Step(names[0], steps[0], processes=1, broken=True)]
            ran[-1].findings += others
            found = True
        if found:
            # Each step that found something names the process's reports
            # (a link), the same in every shard; its forked copy's memcheck
            # file is the one its result event's "forked" pid names.
            for step in ran:
                if step.findings:
                    link = os.path.join(self.steps_dir, step.test, str(step.n))
                    os.makedirs(os.path.dirname(link), exist_ok=True)
                    if os.path.lexists(link):
                        os.remove(link)
                    os.symlink(os.path.join("..", os.path.basename(reports)), link)
        else:
            shutil.rmtree(reports, ignore_errors=True)
        return done

    @staticmethod
    def step_sites(run, key):
        """The allocations step key = (test index, N) failed: from its forked
        copy's memcheck file (named in its result, or in the one the parent
        wrote for a copy that ended without it), or, with no copy, from the
        process's own."""
        forked = run.steps[key].get("forked") or run.steps[key].get("copy")
        paths = [f for xml in run.xml_files for f in vg.forked_children(xml)
                 if f.endswith(".pid%d.xml" % forked)] if forked else run.xml_files
        return injected_sites(m for path in paths
                              for m in memcheck_xml.read_client_messages(path)).get(key[1], [])

    def record(self, step):
        with self.lock:
            self.steps_run += 1
            self.processes += step.processes
            rec = self.tests.setdefault(step.test, new_test_record(step.test))
            rec["steps"] += 1
            if step.injected:
                rec["sites"] = max(rec["sites"], step.n)
                rec["faults"] += step.injected
            rec["failed_sites"].update(" < ".join(s) for s in step.sites)
            site = " < ".join(step.sites[0]) if step.sites else "(no fault injected)"
            rec["step_sites"][step.n] = site
            for f in step.findings:
                rec["findings"] += 1
                entry = self.findings.setdefault((site, f["key"]), {
                    "site": site, "key": f["key"], "kind": f["kind"],
                    "text": f["text"], "hits": []})
                entry["hits"].append([step.test, step.n, f["entry"]])
                keep_first_text(entry, [step.test, step.n], f["text"])
            self.last_step = (step.test, step.n)

    def progress(self):
        """How far the sweep is: a line every PROGRESS_EVERY seconds,
        though a step is slow.  A process's steps count once it ends;
        those of the processes under way are counted from their events."""
        with self.lock:
            where = "%s at N=%d, " % self.last_step if self.last_step else ""
            running = list(self.running)
            done = self.steps_run
        under_way = 0
        for path in running:
            try:
                with open(path, errors="replace") as f:
                    under_way += sum(1 for line in f if '"event":"step"' in line)
            except OSError:
                pass
        return "  failsweep: %s%d steps, %d finding(s), %.0f s" % (
            where, done + under_way, len(self.findings), time.monotonic() - self.started)

    def sweep_lane(self, suite, binary, tests, steps):
        """A lane's steps of each test of a suite, until one of a test's
        injects nothing; one process for them all, while none dies.  A test
        its process died in goes on from its next step, in a process of
        its own; the steps past the last are not counted."""
        steps = list(steps)
        todo = [(test, steps) for test in tests]
        while todo and not self.stop.is_set():
            first = todo[0][1]
            group = [t for t, s in todo if s == first]
            done = self.run_steps(suite, binary, group, first)
            if self.stop.is_set():
                return
            left = []
            for test, pending in todo:
                ran = done.get(test) if test in group else None
                if ran is None:
                    left.append((test, pending))
                    continue
                for step in ran:
                    if not step.injected and not step.broken:
                        break
                    self.record(step)
                if any(s.broken for s in ran):
                    return
                if ran and ran[-1].injected and len(ran) < len(pending):
                    left.append((test, pending[len(ran):]))
                elif not ran and test == group[0]:
                    # Not even its first step ran: skip it, or no lane ends.
                    continue
                elif not ran:
                    left.append((test, pending))
            todo = left

    def sweep_suite(self, pool, workers, suite, binary, tests):
        lanes = [pool.submit(self.sweep_lane, suite, binary, tests, self.lane(i, workers))
                 for i in range(workers)]
        for lane in lanes:
            lane.result()

    def interrupt(self, signum, frame):
        print("  failsweep: %s: stopping; the report will hold the %d step(s) done"
              % (signal.Signals(signum).name, self.steps_run), flush=True)
        self.stop.set()

    def run(self, suites):
        os.makedirs(self.args.reports, exist_ok=True)
        shutil.rmtree(self.steps_dir, ignore_errors=True)
        workers = os.cpu_count() or 1
        with process.progress_lines(self.progress), \
                concurrent.futures.ThreadPoolExecutor(workers) as pool:
            for suite, binary in suites:
                if self.stop.is_set():
                    break
                tests = sweep_tests(binary, self.args.tests)
                for test in tests:
                    name = "%s.%s" % (suite, test)
                    self.tests.setdefault(name, new_test_record(name))
                if tests:
                    self.sweep_suite(pool, workers, suite, binary, tests)
        return self.document(time.monotonic() - self.started)

    def document(self, seconds):
        findings = sorted(self.findings.values(), key=lambda f: (f["site"], f["key"]))
        for f in findings:
            first_hit(f)
        return {"shard": "%d/%d" % (self.shard, self.shards), "seconds": seconds,
                "interrupted": self.stop.is_set(),
                "steps": self.steps_run, "processes": self.processes,
                "last_step": self.nth_hi,
                "tests": test_records(self.tests),
                "findings": findings}


def cmd_failsweep(args):
    suites = [spec.partition("=")[::2] for spec in args.suites]
    if not any(sweep_tests(binary, args.tests) for _, binary in suites):
        print("kgrind: failsweep: no test matches TESTS='%s'" % args.tests)
        return 2
    sweep = Sweep(args)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, sweep.interrupt)
    doc = sweep.run(suites)
    base = "failsweep" if not args.shard else "failsweep-shard-%s" % args.shard.replace("/", "-of-")
    return write_reports(doc, args.reports, base, read_known(args.known))


def cmd_failsweep_merge(args):
    docs = []
    for path in args.shards:
        with open(path) as f:
            docs.append(json.load(f))
    if not docs:
        print("kgrind: failsweep-merge: no shard reports (failsweep-shard-*.json) in %s" % args.reports)
        return 2
    return write_reports(merge(docs), args.reports, "failsweep", read_known(args.known))
