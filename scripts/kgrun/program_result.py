# SPDX-License-Identifier: GPL-2.0
"""A kgrind-run of one program as a result (formats.py's dict): the test
points the program printed as TAP or KTAP, if it printed any, and one
test more, exit_and_memcheck, for the run's own verdict (the program's
exit status, a time limit, memcheck's reports in the kernel)."""
import re

RESULT = re.compile(r"^(?P<indent>\s*)(?P<ok>not ok|ok)\s+\d+(?:\s+-)?\s*(?P<name>[^#]*?)"
                    r"\s*(?:#\s*(?P<directive>SKIP|TODO|skip|todo)\b\s*(?P<why>.*))?$")
# A diagnostic: TAP's "# ..." lines, and kgrind-run's own (why a call failed).
DIAGNOSTIC = re.compile(r"^\s*#\s?(?P<text>.*)$|^(?P<kgrind>kgrind-run: .*)$")
# kselftest_harness.h's own lines around a test: not worth a failure's detail.
HARNESS_NOISE = re.compile(r"^\s*(RUN|OK|FAIL|SKIP|XFAIL)\s+\S+(\s+\.\.\.)?$|^Starting \d+ tests")


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
            text = d and (d.group("text") if d.group("text") is not None else d.group("kgrind"))
            if d and not line.strip().startswith("# Subtest") and not HARNESS_NOISE.match(text):
                comments.append(text)
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


def outer_indent(output):
    """The indentation of the outermost result lines in output, or None."""
    found = [len(m.group("indent")) for m in map(RESULT.match, output.splitlines()) if m]
    return min(found) if found else None


def point_of(output, marks, before):
    """Which test point a memcheck report belongs to, given the marks
    (tap_marks.c's: ("point", line) or ("forked", pid), in order) that
    came before it: the count of outermost result lines among them, so
    the point whose result line comes next (len(points): after the last)."""
    outer = outer_indent(output)
    return sum(1 for kind, text in marks[:before] if kind == "point" and
               RESULT.match(text) and len(RESULT.match(text).group("indent")) == outer)


def point_after(output, results):
    """Which test point a kernel fault belongs to, given how many result
    lines of any indentation (tap_marks.c's count) came before it: the
    point whose result line comes next (len(points): after the last)."""
    outer = outer_indent(output)
    seen = [line for line in output.splitlines()
            if line.lstrip(" \t").startswith(("ok ", "not ok "))][:results]
    return sum(1 for line in seen if RESULT.match(line) and
               len(RESULT.match(line).group("indent")) == outer)


# After a fault's first line: the lines of the oops itself, not its message.
OOPS_LINES = ("CPU:", "Modules linked", "Call Trace", "---[", "Tainted:", "Hardware name",
              "------------[")


def fault_message(console, line, most=2):
    """The message the kernel printed with a fault (a WARN's text): the
    console lines after its first, up to the oops's own."""
    if line not in console:
        return []
    after = console[console.index(line) + 1:][:most]
    message = []
    for text in after:
        if text.startswith(OOPS_LINES):
            break
        message.append(text)
    return message


KSFT_SKIP = 4


def skipped_itself(tests, status):
    """A program with no test points that exits with kselftest's 4: it
    found nothing to test here (a /proc file the kernel does not have)."""
    return not tests and status == KSFT_SKIP


def run_failed(tests, status):
    """Whether the run itself failed: a time limit (status None), a
    signal (negative), or an exit status its test points do not explain
    (a failed point, or kselftest's 4: all skipped)."""
    if status is None or status < 0:
        return True
    if not tests or not status:
        return bool(status) and not skipped_itself(tests, status)
    return not (any(t["status"] == "fail" for t in tests) or status == KSFT_SKIP)


def result(name, mode, seconds, output, why, status, point_reports=None):
    """The run as formats.py's result.  why: the lines that tell how the
    run ended; status: the program's exit status (None: timed out;
    negative: killed by that signal); point_reports: {point index: [lines]}
    of memcheck's reports in the kernel and the kernel's faults (a WARNING)
    while that point ran, which fail it (an index past the last point: after it)."""
    tests = test_points(output)
    failed = run_failed(tests, status)
    for index, lines in sorted((point_reports or {}).items()):
        if index < len(tests):
            t = tests[index]
            t["status"] = "fail"
            t["errors"] = t.get("errors", 0) + sum(1 for x in lines if x.startswith("memcheck "))
            t["detail"] = "\n".join(filter(None, [t.get("detail")] + lines))
    late = [x for i, lines in (point_reports or {}).items() if i >= len(tests) for x in lines]
    own_skip = skipped_itself(tests, status) and not late
    tests.append({"name": "exit_and_memcheck",
                  "status": "fail" if failed or late else "skip" if own_skip else "pass",
                  "detail": "\n".join((why if failed else []) + late) or
                  ("the program skipped itself (exit status 4)" if own_skip else ""),
                  "errors": sum(1 for x in late if x.startswith("memcheck "))})
    return {"suite": name, "mode": mode, "seconds": seconds, "tests": tests}
