# SPDX-License-Identifier: GPL-2.0
"""A suite's results as KTAP (version 1), JUnit XML, one summary line and
the lines that tell a failed test.

A result is a dict, as DIR/SUITE.result.json holds it: suite, mode,
seconds, tests; each test a dict with name, status (pass, fail, skip),
seconds, errors, leaked and detail."""
import xml.etree.ElementTree as ET


def counts(result):
    c = {"pass": 0, "fail": 0, "skip": 0}
    for t in result["tests"]:
        c[t["status"]] += 1
    c["errors"] = sum(t.get("errors", 0) for t in result["tests"])
    c["leaked"] = sum(t.get("leaked", 0) for t in result["tests"])
    return c


def summary_line(result):
    c = counts(result)
    line = "%-10s %3d passed %3d failed %3d skipped" % (
        result["suite"], c["pass"], c["fail"], c["skip"])
    if result["mode"] == "memcheck":
        line += "  %3d memcheck errors %7d bytes leaked" % (c["errors"], c["leaked"])
    return line + "  %7.1f s" % result["seconds"]


def failure_lines(suite, test, more):
    """A failed test: its detail's first line, then up to `more` others."""
    detail = test["detail"].splitlines()
    lines = ["    FAILED %s.%s: %s" % (suite, test["name"], detail[0] if detail else "")]
    return lines + ["        " + d for d in detail[1:1 + more]]


def ktap(result):
    """One suite as a KTAP document whose subtests are the suite's tests."""
    lines = ["KTAP version 1", "1..1", "    KTAP version 1",
             "    # Subtest: %s" % result["suite"],
             "    1..%d" % len(result["tests"])]
    for number, t in enumerate(result["tests"], 1):
        if t["status"] == "fail":
            for detail in (t.get("detail") or "").splitlines():
                lines.append("    # " + detail)
        line = "    %s %d %s" % ("not ok" if t["status"] == "fail" else "ok",
                                 number, t["name"])
        if t["status"] == "skip":
            line += " # SKIP " + (t.get("detail") or "")
        lines.append(line)
    c = counts(result)
    lines.append("# %s: pass:%d fail:%d skip:%d total:%d" % (
        result["suite"], c["pass"], c["fail"], c["skip"], len(result["tests"])))
    lines.append("%s 1 %s" % ("not ok" if c["fail"] else "ok", result["suite"]))
    return "\n".join(lines) + "\n"


def junit(results, name):
    """Several suites' results as one JUnit XML document."""
    root = ET.Element("testsuites", name=name)
    total = {"tests": 0, "failures": 0, "skipped": 0, "time": 0.0}
    for result in results:
        c = counts(result)
        suite = ET.SubElement(
            root, "testsuite", name=result["suite"],
            tests=str(len(result["tests"])), failures=str(c["fail"]),
            errors="0", skipped=str(c["skip"]),
            time="%.3f" % result["seconds"])
        for t in result["tests"]:
            case = ET.SubElement(suite, "testcase",
                                 classname="kgrind.%s" % result["suite"],
                                 name=t["name"],
                                 time="%.3f" % t.get("seconds", 0))
            detail = t.get("detail") or ""
            if t["status"] == "fail":
                first = detail.splitlines()[0] if detail else "failed"
                failure = ET.SubElement(case, "failure", message=first,
                                        type="memcheck" if t.get("errors") or
                                        t.get("leaked") else "failure")
                failure.text = detail
            elif t["status"] == "skip":
                ET.SubElement(case, "skipped", message=detail)
        total["tests"] += len(result["tests"])
        total["failures"] += c["fail"]
        total["skipped"] += c["skip"]
        total["time"] += result["seconds"]
    for key, value in total.items():
        root.set(key, "%.3f" % value if key == "time" else str(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
