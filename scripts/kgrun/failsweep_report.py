# SPDX-License-Identifier: GPL-2.0
"""The failure sweep's report: its JSON document (the per-test records
and the findings, each with every (test, N) that hit it), the shards'
documents merged into the one an unsharded run writes, the findings
harness/failsweep/known.txt marks known, and the text and JUnit reports.

  document: shard, seconds, interrupted, steps, processes, last_step,
            tests [{test, steps, sites, faults, findings, failed_sites}],
            findings [{site, key, kind, text, hits [[test, N, entry]],
                       first, reports, known}]"""
import itertools
import json
import os
import xml.etree.ElementTree as ET


def new_test_record(name):
    """sites: the last N that injected a fault; failed_sites: the distinct
    allocations failed (three innermost kernel frames each), a set until
    test_records lists them; step_sites: the allocation each step N
    failed, {N: site} until test_records lists [N, site] pairs (what two
    sweeps compare to say whether a run repeats)."""
    return {"test": name, "steps": 0, "sites": 0, "faults": 0, "findings": 0,
            "failed_sites": set(), "step_sites": {}}


def test_records(tests):
    """The per-test records of a report, by name, their sites sorted."""
    return [dict(t, failed_sites=sorted(t["failed_sites"]),
                 step_sites=sorted([int(n), site] for n, site in
                                   dict(t["step_sites"]).items()))
            for _, t in sorted(tests.items())]


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
    """known.txt's lines, tab-separated: a text of the failed site, a
    text of the finding's key, why it is known."""
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
    """Each finding's "known": the why of the first known line whose two
    texts its site and key contain, else None."""
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
            rec["step_sites"].update((n, site) for n, site in t.get("step_sites", []))
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
    """The report make failsweep prints and writes to failsweep.txt."""
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
    """One JUnit case a finding; a known one is skipped, not failed."""
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
    """base.json, base.txt and base.junit.xml in reports; prints the text
    report; returns the exit status: 130 if the sweep was interrupted,
    1 if a finding is not known."""
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
