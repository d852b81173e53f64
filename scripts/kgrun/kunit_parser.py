# SPDX-License-Identifier: GPL-2.0
"""Reads what the KUnit kernel printed: the case list (kunit.action=
list_attr) and each process's console, KTAP as KUnit wrote it, with
memcheck's verdict in its diagnostics (harness/arch/kernel/kunit.c); and
writes a suite's results back as KTAP, joined into one document that
the kernel's kunit.py parse counts as the summary does.

Pure functions of lines of text: kunit.py runs the processes."""
import fnmatch
import re

import formats

CASE_RESULT = re.compile(r"^    (ok|not ok) (\d+) (\S+)(.*)$")
PARAM_RESULT = re.compile(r"^        (ok|not ok) (\d+) (.*?)( # SKIP.*)?$")
SUITE_START = re.compile(r"^    # Subtest: (\S+)$")
SUITE_ATTR = "    # module: "
BEGIN = "# kgrind: begin "
FATAL = "kgrind: fatal kernel error: "
AT_BOOT = "# kgrind: at boot: "
LEAKED = re.compile(r"memcheck Leak_DefinitelyLost[^:]*: ([\d,]+) ")
LISTED = re.compile(r"^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$")
SLOW = re.compile(r"^# \S+\.speed: (very_)?slow$")


def case_results(lines):
    """How many cases the console says ended."""
    return sum(1 for line in lines if CASE_RESULT.match(line))


def listed_cases(lines, selftest_suite, selftest):
    """[(suite, [case...])] of a kunit.action=list_attr console: KUnit's
    order, but the suites with cases KUnit marks slow first, those with
    the most first, so that the longest processes do not start last.
    Only selftest_suite when selftest, else every suite but it."""
    suites, slow, suite = {}, {}, None
    for line in lines:
        m = LISTED.match(line.strip())
        if m:
            suite = m.group(1) if (m.group(1) == selftest_suite) == selftest else None
            if suite:
                suites.setdefault(suite, []).append(m.group(2))
        elif suite and SLOW.match(line.strip()):
            slow[suite] = slow.get(suite, 0) + 1
    return sorted(suites.items(), key=lambda item: -slow.get(item[0], 0))


def suite_block(lines, suite):
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
            # The suite's attributes, once in its header (suite_result).
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


def boot_errors(lines):
    """The errors the kernel found at boot, before KUnit ran."""
    return {line[len(AT_BOOT):] for line in lines if line.startswith(AT_BOOT)}


COPY_BEGIN = "kgrind-kunit: begin "
COPY_CONSOLE = re.compile(r"^kgrind-kunit: copy (\S+): pid (\d+), console (.*)$")
COPY_END = re.compile(r"^kgrind-kunit: end (\S+): (.*?)(?: in ([0-9.]+) s)?$")
COPY_CLEAN = "the copy exited with status 0"


def copies(lines):
    """The forked copies one process's console tells of (kg_kunit --each):
    {glob: {"console": the copy's console file or None, "lines": its lines
    when printed inline, "ended": whether it ended, "why": how it ended
    when not cleanly (else None), "seconds": how long it took}}."""
    found, inline = {}, None
    for line in lines:
        if line.startswith(COPY_BEGIN):
            glob = line[len(COPY_BEGIN):].strip()
            found[glob] = inline = {"console": None, "lines": [], "ended": False,
                                    "why": None, "seconds": 0.0}
            continue
        console = COPY_CONSOLE.match(line)
        if console and console.group(1) in found:
            found[console.group(1)]["console"] = console.group(3)
            inline = None
            continue
        end = COPY_END.match(line)
        if end and end.group(1) in found:
            copy = found[end.group(1)]
            copy.update(ended=True, why=None if end.group(2) == COPY_CLEAN else end.group(2),
                        seconds=float(end.group(3) or 0))
            inline = None
        elif inline is not None:
            inline["lines"].append(line)
    return found


def crashed_case(lines, suite, missing):
    """Which of the missing cases ended the process: the last one the
    console says began, else the first missing one.  The results of cases
    before it may have been lost with it."""
    begun = [line[len(BEGIN) + len(suite) + 1:] for line in lines
             if line.startswith(BEGIN + suite + ".")]
    return begun[-1] if begun and begun[-1] in missing else missing[0]


CRASH_CLAIM = "CRASH"


def crash_claim(claims, suite, case):
    """The reason of a claim (harness/kunit/expected.txt's lines, kind
    CRASH) that the case's crash is a known bug, or None."""
    for line in claims:
        fields = line.split(None, 3)
        if len(fields) == 4 and not line.startswith("#") and fields[1] == CRASH_CLAIM and \
                fnmatch.fnmatchcase("%s.%s" % (suite, case), fields[0]):
            return fields[3].strip()
    return None


def claimed_crash_entry(case, reason, why, lines):
    """crashed_entry, for a case whose crash a claim calls a known bug:
    skipped, with the claim's reason first."""
    entry = crashed_entry(case, why, lines)
    return ["    # %s: kgrind: %s" % (case, reason)] + entry[:-1] + \
        ["    ok 0 %s # SKIP kgrind: %s" % (case, reason)]


def crashed_entry(case, why, lines):
    """A KTAP entry failing the case that ended its process: why (the
    kernel's fatal error if it printed one), and the console's tail."""
    fatal = [i for i, line in enumerate(lines) if line.startswith(FATAL)]
    if fatal:
        why = lines[fatal[0]][len(FATAL):]
        lines = lines[:fatal[0]]
    tail = [line for line in lines if line.strip() and not line.startswith(BEGIN)][-25:]
    detail = ["    # %s: %s" % (case, why),
              "    # %s: --- console (tail) ---" % case]
    detail += ["    # %s: %s" % (case, line) for line in tail]
    return detail + ["    not ok 0 %s" % case]


def leaf(name, line_match, diags, case):
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


def suite_result(suite, mode, cases, entries, seconds):
    """A suite's result (formats.py's dict, each case or param a test),
    with its KTAP block, renumbered, under "ktap"."""
    tests, block = [], ["    KTAP version 1", "    # Subtest: %s" % suite]
    block += entries.get(SUITE_ATTR, []) + ["    1..%d" % len(cases)]
    for number, case in enumerate(cases, 1):
        entry = list(entries[case])
        diags, params = [], 0
        for i, line in enumerate(entry[:-1]):
            p = PARAM_RESULT.match(line)
            if p:
                test, rest = leaf("%s.%s" % (case, p.group(3)),
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
            test, rest = leaf(case, (m.group(1), rest), diags, case)
            tests.append(test)
            failed = test["status"] == "fail"
        else:
            failed = any(t["status"] == "fail" for t in tests[-params:])
            if diags and m.group(1) == "not ok" and not failed:
                # The case failed outside its params (its memcheck report).
                test, _ = leaf(case + ".", ("not ok", ""), diags, case)
                tests[-1]["status"], failed = "fail", True
                tests[-1]["detail"] += "\n" + test["detail"]
        entry[-1] = "    %s %d %s%s" % ("not ok" if failed else "ok", number, case, rest)
        block += entry
    result = {"suite": suite, "mode": mode, "seconds": seconds, "tests": tests}
    c = formats.counts(result)
    block.append("# %s: pass:%d fail:%d skip:%d total:%d" % (
        suite, c["pass"], c["fail"], c["skip"], len(tests)))
    result["ktap"] = block
    return result


def ktap_document(results):
    """The suites' blocks as one KTAP document (DIR/<mode>/kunit.ktap)."""
    lines = ["KTAP version 1", "1..%d" % len(results)]
    for number, r in enumerate(results, 1):
        lines += r["ktap"]
        failed = any(t["status"] == "fail" for t in r["tests"])
        lines.append("%s %d %s" % ("not ok" if failed else "ok", number, r["suite"]))
    return "\n".join(lines) + "\n"


# kunit.py's last line names only the counts that are not zero:
# "Ran 3 tests: failed: 1, skipped: 2".
KUNIT_PY_RAN = re.compile(r"Ran (\d+) tests?:((?: \w+: \d+,?)*)")


def kunit_py_summary(out):
    """(passed, failed, skipped) of kunit.py parse's output, or None.  A
    crashed test or a parse error counts as failed."""
    m = KUNIT_PY_RAN.search(out)
    if not m:
        return None
    n = {k: int(v) for k, v in re.findall(r"(\w+): (\d+)", m.group(2))}
    return (n.get("passed", 0), n.get("failed", 0) + n.get("crashed", 0) + n.get("errors", 0),
            n.get("skipped", 0))
