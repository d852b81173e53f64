# SPDX-License-Identifier: GPL-2.0
"""A kgrind-run of one program as a result (formats.py's dict): the test
points the program printed as TAP or KTAP, if it printed any, and one
test more, exit_and_memcheck, for the run's own verdict (the program's
exit status, a time limit, memcheck's reports in the kernel)."""
import re

RESULT = re.compile(r"^(?P<indent>\s*)(?P<ok>not ok|ok)\s+\d+(?:\s+-)?\s*(?P<name>[^#]*?)"
                    r"\s*(?:#\s*(?P<directive>SKIP|TODO|skip|todo)\b\s*(?P<why>.*))?$")
DIAGNOSTIC = re.compile(r"^\s*#\s?(?P<text>.*)$")


def test_points(output):
    """The outermost test points of TAP or KTAP in output, as tests."""
    lines = output.splitlines()
    found = [(m, i) for i, m in enumerate(map(RESULT.match, lines)) if m]
    if not found:
        return []
    outer = min(len(m.group("indent")) for m, _ in found)
    tests, comments = [], []
    for i, line in enumerate(lines):
        m = RESULT.match(line)
        if not m or len(m.group("indent")) != outer:
            d = DIAGNOSTIC.match(line)
            if d and not line.strip().startswith("# Subtest"):
                comments.append(d.group("text"))
            continue
        directive = (m.group("directive") or "").upper()
        status = "skip" if directive == "SKIP" else \
            "fail" if m.group("ok") == "not ok" and directive != "TODO" else "pass"
        detail = (m.group("why") or "") if status == "skip" else \
            "\n".join(comments[-10:]) if status == "fail" else ""
        tests.append({"name": m.group("name") or "test_%d" % (len(tests) + 1),
                      "status": status, "detail": detail})
        comments = []
    return tests


def result(name, mode, seconds, output, verdict, why, kernel_reports):
    """The run as formats.py's result.  why: the lines that tell a
    verdict other than 0; kernel_reports: how many memcheck reports
    were the kernel's."""
    tests = test_points(output)
    tests.append({"name": "exit_and_memcheck", "status": "pass" if verdict == 0 else "fail",
                  "detail": "\n".join(why), "errors": kernel_reports})
    return {"suite": name, "mode": mode, "seconds": seconds, "tests": tests}
