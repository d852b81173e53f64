# SPDX-License-Identifier: GPL-2.0
"""What counts in a failure-sweep step: which allocation each injected
fault failed (the kernel's backtrace of it, from memcheck's XML), and the
findings in a step's failed entries (memcheck reports, kernel faults,
crashes, hangs), each with the key that makes equal findings one.

These read the C runner's text (a result's detail) back with regular
expressions; each is a small pure function, so that reading structured
data from the runner instead can replace them one at a time."""
import re

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
    """A failed allocation, as reports name it: its three innermost
    kernel frames."""
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
