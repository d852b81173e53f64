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
kernel are swept too, and no step sees what another did.  The process
runs a lane's steps until one injects nothing.  Each core has its own
lane of steps: with two cores one sweeps N = 1, 3, 5, ... and the other
N = 2, 4, 6, ...

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
import itertools
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
# Steps one process runs; its boot (about 3 s under memcheck) is shared.
# A lane's steps fork from one process; with --fresh each has its own.
STEPS_PER_PROCESS = LAST_STEP


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

    def run_steps(self, suite, binary, test, steps, alone=False):
        """Runs steps (N, N + stride, ...) of a test in one process, which
        may stop early; the steps it ran, in order.  Each step runs in a
        forked copy of the kernel the setup left; with --fresh, each in a
        process of its own."""
        name = "%s.%s" % (suite, test)
        count = 1 if alone or self.args.fresh else len(steps)
        reports = os.path.join(self.steps_dir, name, "from-%d" % steps[0])
        os.makedirs(reports, exist_ok=True)
        stride = steps[1] - steps[0] if len(steps) > 1 else 1
        run = SuiteRun(suite, binary, "memcheck", reports, name,
                       self.args.timeout, self.args.valgrind, quiet=True,
                       extra_args=["--fail-nth=%d" % steps[0], "--fail-steps=%d" % count,
                                   "--fail-stride=%d" % stride] +
                       ([] if self.args.fresh else ["--fork"]),
                       stop=self.stop)
        result = run.run()
        if self.stop.is_set():
            shutil.rmtree(reports, ignore_errors=True)
            return []
        sites = injected_sites(m for xml in run.xml_files
                               for path in [xml] + vg.forked_children(xml)
                               for m in memcheck_xml.read_client_messages(path))
        done = []
        for n in steps[:count]:
            if n not in run.steps:
                break
            # A step that crashed said nothing of its faults: its XML did.
            done.append(Step(name, n, findings=step_findings([run.steps[n]]),
                             injected=run.injected.get(n) or len(sites.get(n, [])),
                             sites=sites.get(n, [])))
        if done:
            done[0].processes = 1
        # The process's own entries (setup, halt, errors outside tests).
        others = step_findings([t for t in result["tests"] if t["name"] != test])
        if others and len(done) > 1:
            # Whose step's doing is unclear: each step again, on its own.
            shutil.rmtree(reports, ignore_errors=True)
            return [s for n in steps[:len(done)]
                    for s in self.run_steps(suite, binary, test, [n], alone=True)]
        if others:
            if not done:
                # Nothing of the test ran (its setup failed): the lane ends.
                done = [Step(name, steps[0], processes=1, broken=True)]
            done[-1].findings += others
        if any(s.findings for s in done):
            # Each step that found something names the process's reports
            # (a link), the same in every shard; its forked copy's memcheck
            # file is the one its result event's "forked" pid names.
            for step in done:
                if step.findings:
                    link = os.path.join(self.steps_dir, name, str(step.n))
                    if os.path.lexists(link):
                        os.remove(link)
                    os.symlink(os.path.basename(reports), link)
        else:
            shutil.rmtree(reports, ignore_errors=True)
        return done

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
        though a step is slow."""
        with self.lock:
            where = "%s at N=%d, " % self.last_step if self.last_step else ""
            return "  failsweep: %s%d steps, %d finding(s), %.0f s" % (
                where, self.steps_run, len(self.findings),
                time.monotonic() - self.started)

    def sweep_lane(self, suite, binary, test, steps):
        """A lane's steps of the test, some to a process, until one injects
        nothing; the steps past that one are not counted."""
        pending = list(itertools.islice(steps, STEPS_PER_PROCESS))
        while pending and not self.stop.is_set():
            done = self.run_steps(suite, binary, test, pending)
            for step in done:
                if not step.injected:
                    if step.broken:
                        self.record(step)
                    return
                self.record(step)
            pending = pending[len(done):]
            pending += itertools.islice(steps, STEPS_PER_PROCESS - len(pending))

    def sweep_test(self, pool, workers, suite, binary, test):
        lanes = [pool.submit(self.sweep_lane, suite, binary, test, self.lane(i, workers))
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
                for test in sweep_tests(binary, self.args.tests):
                    if self.stop.is_set():
                        break
                    name = "%s.%s" % (suite, test)
                    self.tests.setdefault(name, new_test_record(name))
                    self.sweep_test(pool, workers, suite, binary, test)
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
