# SPDX-License-Identifier: GPL-2.0
"""What counts in a failure-sweep step: which allocation each injected
fault failed (the kernel's backtrace of it, from memcheck's XML), and the
findings in a step's failed entries (memcheck reports, kernel faults,
crashes, hangs), each with the key that makes equal findings one.

A memcheck report comes as data from the C runner (a result's
"memcheck_reports"); the frames that say nothing of a bug are the C
runner's own list, harness/lib/uninformative_frames.h, read here."""
import os
import re

# "kgrind: fault injected: failslab (fail-nth 7)", from the kernel.
INJECTED = re.compile(r"^kgrind: fault injected: .* \(fail-nth (\d+)\)")
# Which loss record a leak is depends on what the process ran before the
# step: not part of a finding, or shards would disagree.
LOSS_RECORD = re.compile(r" in loss record [\d,]+ of [\d,]+")
FRAMES_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                           "harness", "lib", "uninformative_frames.h")


def read_frame_list(path=FRAMES_LIST):
    """{rule: (text, ...)} of uninformative_frames.h's KG_FRAME_<RULE>("text") lines."""
    rules = {"PREFIX": [], "NAME": [], "FILE": [], "ENTRY": []}
    with open(path) as f:
        for m in re.finditer(r'^KG_FRAME_(PREFIX|NAME|FILE|ENTRY)\("([^"]*)"\)', f.read(), re.M):
            rules[m.group(1)].append(m.group(2))
    return {rule: tuple(texts) for rule, texts in rules.items()}


FRAME_LIST = read_frame_list()


def _function(frame):
    return frame.split(" ", 1)[0]


def _file(frame):
    """The file's basename of "fn (file:line)", or "" for "fn (object)"."""
    where = frame.partition(" (")[2].rstrip(")")
    return os.path.basename(where.rpartition(":")[0]) if ":" in where else ""


def _uninformative(frame):
    fn = _function(frame)
    return (fn.startswith(FRAME_LIST["PREFIX"]) or fn.split(".", 1)[0] in FRAME_LIST["NAME"]
            or _file(frame) in FRAME_LIST["FILE"])


def kernel_frames(stack):
    """The frames of a stack ("fn (file:line)") below fault injection and
    the allocators, down to where the host thread entered the kernel."""
    frames = []
    for f in stack:
        if _function(f).startswith(FRAME_LIST["ENTRY"]):
            break
        if not _uninformative(f):
            frames.append(f)
    return frames


def failed_site(stack):
    """A failed allocation, as reports name it: its three innermost
    kernel frames."""
    return kernel_frames(stack)[:3]


def findings_of(test_result):
    """(kind, key, text) for each thing that counts in a step's entry."""
    found = []
    for report in test_result.get("memcheck_reports", []):
        kind = report["kind"]
        frames = [_function(f) for f in kernel_frames(report["frames"])]
        depth = 2 if kind.startswith("Leak_") else 1
        found.append((kind, "%s at %s" % (kind, " < ".join(frames[:depth]) or "?"),
                      LOSS_RECORD.sub("", report["text"])))
    if found:
        return found
    detail = test_result.get("detail") or ""
    lines = detail.splitlines()
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


def injected_sites(messages):
    """{N: [failed site, ...]}: the allocation each fault of sweep step N
    failed, from the kernel's "fault injected" client messages
    (memcheck_xml.read_client_messages)."""
    sites = {}
    for m in messages:
        injected = INJECTED.match(m["text"])
        if injected:
            sites.setdefault(int(injected.group(1)), []).append(failed_site(m["stack"]))
    return sites


def step_findings(results):
    """What counts of the failed entries of a step's process."""
    return [{"entry": t["name"], "kind": kind, "key": key, "text": text}
            for t in results if t["status"] == "fail"
            for kind, key, text in findings_of(t)]
