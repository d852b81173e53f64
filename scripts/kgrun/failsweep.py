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

A process boots the kernel, runs the suite's setup, runs T once unarmed
(the warm-up: a fresh kernel passes first-use sites a warm one does not)
and then up to STEPS_PER_PROCESS steps of T one after another, the
suite's reset undoing each one's state (a suite without a reset, or a
test it cannot undo, runs one step per fresh process, with no warm-up).  It
stops after a step that found something or injected nothing; the next
step runs in a fresh process.  Each core has its own lane of steps: with
two cores one sweeps N = 1, 3, 5, ... and the other N = 2, 4, 6, ...

With --shard I/N a process sweeps the steps I, I+N, I+2N, ... of each test
until one of them injects nothing (the sites a test passes are 1..M, so
each shard stops past M); failsweep-merge joins the shards' JSON into the
report one unsharded run writes."""
import concurrent.futures
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import memcheck_xml
import process
from run import SuiteRun

# The last step of a test unless NTH says: a test that writes a big file
# passes thousands of fault sites, most of them the same page cache's.
LAST_STEP = 400
# Steps one process runs; its boot (about 3 s under memcheck) is shared.
STEPS_PER_PROCESS = 32
# "kgrind: fault injected: failslab (fail-nth 7)", from the kernel.
INJECTED = re.compile(r"^kgrind: fault injected: .* \(fail-nth (\d+)\)")
# Frames of fault injection and the allocators: the failed site is the
# first frame below them.
INJECTION_FRAMES = re.compile(
    r"^(VALGRIND_PRINTF_BACKTRACE|arch_fault_injected|should_fail\w*|__should_fail\w*|"
    r"kgslab_\w+|kmem_cache_alloc\w*|__kmalloc\w*|kmalloc\w*|kzalloc\w*|kcalloc\w*|"
    r"krealloc\w*|kvmalloc\w*|__kvmalloc\w*|kvzalloc\w*|kmemdup\w*|kstrdup\w*|kstrndup\w*|"
    r"prepare_alloc_pages|__alloc_pages\w*|alloc_pages\w*|__alloc_frozen_pages\w*|"
    r"folio_alloc\w*|__folio_alloc\w*|alloc_pages_mpol\w*|__get_free_pages\w*|"
    r"get_zeroed_page\w*|kgroots_\w+)(\.\w+)* ")
# Where the kernel's frames end: the host thread's entry.
HOST_ENTRY = re.compile(r"^(kgrind_entry_run|kgrind_enter_as|kgrind_enter|kg_kernel_\w+)(\.\w+)* ")
REPORT = re.compile(r"^memcheck (\w+)[^:]*: (.*)$")
FRAME = re.compile(r"^\s+(?:at|by) (\S+) \(([^)]*)\)")
LOSS_RECORD = re.compile(r" in loss record [\d,]+ of [\d,]+")


def sweep_tests(binary, globs):
    """The tests of a suite that run in its kernel, between its setup and
    its halt, that globs select."""
    cmd = [binary, "--list"] + (["--tests=" + globs] if globs else [])
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    names = [line.split(" ", 1)[1].split(".", 1)[1] for line in out.splitlines()]
    if "setup" not in names or "halt" not in names:
        return []
    return names[names.index("setup") + 1:names.index("halt")]


def kernel_frames(stack):
    """The frames of a stack below fault injection and the allocators,
    down to where the host thread entered the kernel."""
    frames = []
    for f in stack:
        if HOST_ENTRY.match(f):
            break
        if not INJECTION_FRAMES.match(f):
            frames.append(f)
    return frames


def failed_site(stack):
    return kernel_frames(stack)[:3]


def findings_of(test_result):
    """(kind, key, text) for each thing that counts in a step's entry."""
    detail = test_result.get("detail") or ""
    lines = detail.splitlines()
    found = []
    for i, line in enumerate(lines):
        m = REPORT.match(line)
        if not m:
            continue
        stack = []
        for follow in lines[i + 1:]:
            f = FRAME.match(follow)
            if not f:
                break
            stack.append("%s (%s)" % (f.group(1), f.group(2)))
        frames = [f.split(" ", 1)[0] for f in kernel_frames(stack)]
        depth = 2 if m.group(1).startswith("Leak_") else 1
        # Which loss record it is depends on what the process ran before
        # the step: not part of the report, or shards would disagree.
        body = [LOSS_RECORD.sub("", line)] + lines[i + 1:i + 1 + len(stack)]
        found.append((m.group(1), "%s at %s" % (m.group(1), " < ".join(frames[:depth]) or "?"),
                      "\n".join(body)))
    if found:
        return found
    # Not memcheck's: a kernel fault, a crash or a hang, in its first line.
    first = lines[0] if lines else "failed"
    if "timed out" in first:
        kind = "hang"
    elif "process ended" in first or "host signal" in detail or "panic" in first:
        kind = "crash"
    else:
        kind = "kernel fault"
    fault = next((l.strip() for l in lines if re.search(r"WARNING|BUG|Oops|panic", l)), first)
    fault = re.sub(r"^\[[ \d.]+\] ", "", fault)
    fault = re.sub(r"0x[0-9a-f]+|\b\d+\b", "#", fault)
    return [(kind, "%s: %s" % (kind, fault[:160]), "\n".join(lines[:40]))]


class Sweep:
    def __init__(self, args):
        self.args = args
        self.shard, self.shards = (int(x) for x in (args.shard or "1/1").split("/"))
        lo, _, hi = (args.nth or "1-").partition("-")
        self.nth_lo, self.nth_hi = int(lo or 1), int(hi) if hi else LAST_STEP
        self.steps_dir = os.path.join(args.reports, "failsweep-steps")
        self.lock = threading.Lock()
        self.tests = {}         # suite.test -> per-test record
        self.findings = {}      # (site, key) -> finding
        self.cold_tests = set()  # tests the suite cannot reset: no warm-up
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
        may stop early; the steps it ran, in order.  The process runs the
        test once unarmed first (step 0), unless FRESH=1 or the suite
        cannot undo that run: every step of a test then runs in a kernel
        alike, whichever step its process began with."""
        name = "%s.%s" % (suite, test)
        warm = not self.args.fresh and name not in self.cold_tests
        count = 1 if alone or not warm else len(steps)
        reports = os.path.join(self.steps_dir, name, "from-%d" % steps[0])
        os.makedirs(reports, exist_ok=True)
        stride = steps[1] - steps[0] if len(steps) > 1 else 1
        run = SuiteRun(suite, binary, "memcheck", reports, name,
                       self.args.timeout, self.args.valgrind, quiet=True,
                       extra_args=["--fail-nth=%d" % steps[0], "--fail-steps=%d" % count,
                                   "--fail-stride=%d" % stride] + (["--fail-warmup"] if warm else []),
                       stop=self.stop)
        result = run.run()
        if self.stop.is_set():
            shutil.rmtree(reports, ignore_errors=True)
            return []
        if run.cold and not any(n in run.steps for n in steps):
            # The suite cannot undo the test (an fs test that adds a disk):
            # each of its steps in a fresh kernel, with no warm-up.
            with self.lock:
                self.cold_tests.add(name)
            shutil.rmtree(reports, ignore_errors=True)
            return self.run_steps(suite, binary, test, steps)
        sites = {}
        for xml in run.xml_files:
            for m in memcheck_xml.read_client_messages(xml):
                injected = INJECTED.match(m["text"])
                if injected:
                    sites.setdefault(int(injected.group(1)), []).append(failed_site(m["stack"]))
        done = []
        for n in steps[:count]:
            if n not in run.steps:
                break
            # A step that crashed said nothing of its faults: its XML did.
            done.append({"test": name, "n": n, "findings": step_findings([run.steps[n]]),
                         "injected": run.injected.get(n) or len(sites.get(n, [])),
                         "sites": sites.get(n, []), "processes": 0})
        if done:
            done[0]["processes"] = 1
        # The process's own entries (setup, halt, errors outside tests),
        # and the warm-up's: a test that fails unarmed cannot be swept.
        warm_up = [dict(run.steps[0], name="warm-up")] if 0 in run.steps else []
        others = step_findings([t for t in result["tests"] if t["name"] != test] + warm_up)
        if others and len(done) > 1:
            # Whose step's doing is unclear: each step again, on its own.
            shutil.rmtree(reports, ignore_errors=True)
            return [s for n in steps[:len(done)]
                    for s in self.run_steps(suite, binary, test, [n], alone=True)]
        if others:
            if not done:
                # Nothing of the test ran (its setup failed): the lane ends.
                done = [{"test": name, "n": steps[0], "injected": 0, "sites": [],
                         "processes": 1, "findings": [], "broken": True}]
            done[-1]["findings"] += others
        if any(s["findings"] for s in done):
            # Named after the step that found it: the same in every shard.
            final = os.path.join(self.steps_dir, name, str(done[-1]["n"]))
            shutil.rmtree(final, ignore_errors=True)
            os.rename(reports, final)
        else:
            shutil.rmtree(reports, ignore_errors=True)
        return done

    def record(self, step):
        with self.lock:
            self.steps_run += 1
            self.processes += step["processes"]
            rec = self.tests.setdefault(step["test"], new_test_record(step["test"]))
            rec["steps"] += 1
            if step["injected"]:
                rec["sites"] = max(rec["sites"], step["n"])
                rec["faults"] += step["injected"]
            rec["failed_sites"].update(" < ".join(s) for s in step["sites"])
            site = " < ".join(step["sites"][0]) if step["sites"] else "(no fault injected)"
            for f in step["findings"]:
                rec["findings"] += 1
                entry = self.findings.setdefault((site, f["key"]), {
                    "site": site, "key": f["key"], "kind": f["kind"],
                    "text": f["text"], "hits": []})
                entry["hits"].append([step["test"], step["n"], f["entry"]])
                keep_first_text(entry, [step["test"], step["n"]], f["text"])
            self.last_step = (step["test"], step["n"])

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
                if not step["injected"]:
                    if step.get("broken"):
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


def new_test_record(name):
    """sites: the last N that injected a fault; failed_sites: the distinct
    allocations failed (three innermost kernel frames each), a set until
    test_records lists them."""
    return {"test": name, "steps": 0, "sites": 0, "faults": 0, "findings": 0,
            "failed_sites": set()}


def test_records(tests):
    """The per-test records of a report, by name, their sites sorted."""
    return [dict(t, failed_sites=sorted(t["failed_sites"]))
            for _, t in sorted(tests.items())]


def step_findings(results):
    """What counts of the failed entries of a step's process."""
    return [{"entry": t["name"], "kind": kind, "key": key, "text": text}
            for t in results if t["status"] == "fail"
            for kind, key, text in findings_of(t)]


def keep_first_text(finding, hit, text):
    """A finding's report is its first (test, N)'s, whichever shard ran it,
    so that an unsharded run and merged shards say the same."""
    if "first" not in finding or hit < finding["first"]:
        finding["first"], finding["text"] = list(hit), text


def first_hit(finding):
    """Sorts the finding's hits and names its first step's reports
    (relative to the reports directory)."""
    finding["hits"].sort()
    test, n = finding["hits"][0][:2]
    finding["reports"] = os.path.join("failsweep-steps", test, str(n))


def read_known(path):
    """known-bugs lines: site-function  report-key-glob  why."""
    known = []
    if not path or not os.path.exists(path):
        return known
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                site, key, why = line.split("\t", 2)
                known.append((site, key, why))
    return known


def mark_known(doc, known):
    for f in doc["findings"]:
        f["known"] = next((why for site, key, why in known
                           if site in f["site"] and key in f["key"]), None)


def merge(docs):
    """Shards' documents as one unsharded run's."""
    tests, findings = {}, {}
    for doc in docs:
        for t in doc["tests"]:
            rec = tests.setdefault(t["test"], new_test_record(t["test"]))
            rec["steps"] += t.get("steps", 0)
            rec["sites"] = max(rec["sites"], t["sites"])
            rec["faults"] += t["faults"]
            rec["findings"] += t["findings"]
            rec["failed_sites"].update(t.get("failed_sites", []))
        for f in doc["findings"]:
            entry = findings.setdefault((f["site"], f["key"]), dict(f, hits=[]))
            entry["hits"] += f["hits"]
            keep_first_text(entry, f["hits"][0][:2], f["text"])
    for f in findings.values():
        first_hit(f)
    return {"shard": "merged from %d" % len(docs),
            "interrupted": any(d.get("interrupted") for d in docs),
            "seconds": sum(d["seconds"] for d in docs),
            "steps": sum(d["steps"] for d in docs),
            "processes": sum(d.get("processes", d["steps"]) for d in docs),
            "last_step": docs[0].get("last_step"),
            "tests": test_records(tests),
            "findings": sorted(findings.values(), key=lambda f: (f["site"], f["key"]))}


def text_report(doc):
    out = ["== failsweep (%s): %d step(s) in %d process(es), %d finding(s), %.0f s" % (
        doc["shard"], doc["steps"], doc.get("processes", doc["steps"]), len(doc["findings"]),
        doc["seconds"])]
    for t in doc["tests"]:
        out.append("%-46s %5d step(s) %5d site(s) %5d fault(s) injected %3d finding(s)%s" % (
            t["test"], t.get("steps", 0), t["sites"], t["faults"], t["findings"],
            "  (swept to N=%d; more with NTH=%d-)" % (t["sites"], t["sites"] + 1)
            if t["sites"] == doc.get("last_step") else ""))
    out.append("")
    for suite, tests in itertools.groupby(doc["tests"], lambda t: t["test"].split(".")[0]):
        tests = list(tests)
        out.append("suite %-12s %4d test(s) %6d step(s) %5d distinct allocation(s) failed"
                   " %3d finding(s)" % (
                       suite, len(tests), sum(t.get("steps", 0) for t in tests),
                       len(set().union(*(t.get("failed_sites", []) for t in tests))),
                       sum(t["findings"] for t in tests)))
    for i, f in enumerate(doc["findings"], 1):
        out.append("")
        out.append("finding %d%s: %s" % (i, " (KNOWN: %s)" % f["known"] if f.get("known") else "",
                                          f["key"]))
        out.append("  failed allocation: %s" % f["site"])
        out.append("  hit by: " + ", ".join("%s N=%d (%s)" % tuple(h) for h in f["hits"][:20]) +
                   (" and %d more" % (len(f["hits"]) - 20) if len(f["hits"]) > 20 else ""))
        if f.get("reports"):
            out.append("  reports: " + f["reports"])
        out += ["  " + line for line in f["text"].splitlines()]
    new = [f for f in doc["findings"] if not f.get("known")]
    out.append("")
    if doc.get("interrupted"):
        out.append("INTERRUPTED: the sweep was stopped; what it had not reached is not in this report")
    out.append("failsweep: %d step(s), %d test(s), %d finding(s), %d new, %d known" % (
        doc["steps"], len(doc["tests"]), len(doc["findings"]), len(new),
        len(doc["findings"]) - len(new)))
    return "\n".join(out) + "\n"


def junit_report(doc):
    root = ET.Element("testsuites", name="kgrind failsweep")
    suite = ET.SubElement(root, "testsuite", name="failsweep",
                          tests=str(len(doc["findings"]) or 1),
                          failures=str(sum(1 for f in doc["findings"] if not f.get("known"))))
    for f in doc["findings"]:
        h = f["hits"][0]
        case = ET.SubElement(suite, "testcase", classname="kgrind.failsweep",
                             name="%s N=%d: %s" % (h[0], h[1], f["key"]))
        text = "failed allocation: %s\nhit by: %s\n%s" % (
            f["site"], ", ".join("%s N=%d" % (x[0], x[1]) for x in f["hits"]), f["text"])
        if f.get("known"):
            ET.SubElement(case, "skipped", message="known: " + f["known"]).text = text
        else:
            ET.SubElement(case, "failure", message=f["key"], type="failsweep").text = text
    if not doc["findings"]:
        ET.SubElement(suite, "testcase", classname="kgrind.failsweep",
                      name="%d steps, no finding" % doc["steps"])
    return ET.tostring(root, encoding="unicode") + "\n"


def write_reports(doc, reports, base, known):
    mark_known(doc, known)
    with open(os.path.join(reports, base + ".json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    text = text_report(doc)
    with open(os.path.join(reports, base + ".txt"), "w") as f:
        f.write(text)
    with open(os.path.join(reports, base + ".junit.xml"), "w") as f:
        f.write(junit_report(doc))
    print(text, end="")
    if doc.get("interrupted"):
        return 130
    return 1 if any(not f.get("known") for f in doc["findings"]) else 0


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
