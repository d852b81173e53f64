#!/usr/bin/env python3
"""make coverage's report, after each suite's run has been captured.

Merges the suites' tracefiles (lcov -a), keeps the listed sources, renders
the HTML report (genhtml), prints per-file line and function rates,
compares with the previous run (or COVERAGE_BASE) and checks the floors in
coverage/thresholds.  Exit status: 0, or 1 when a file is below its floor
or a suite left no tracefile.
"""
import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys

MERGED = "coverage.info"
PREVIOUS = "previous.info"
SELECTION = "coverage.json"
PREVIOUS_SELECTION = "previous.json"
COMPARISON = "compare.txt"
# What make coverage keeps in its directory besides genhtml's pages.
OWN = {"gcda", "runs", MERGED, PREVIOUS, SELECTION, PREVIOUS_SELECTION,
       COMPARISON}


class FileCounts:
    """One source file's records: line -> hits, function -> hits."""

    def __init__(self):
        self.lines = {}
        self.functions = {}

    def hit_lines(self):
        return {line for line, hits in self.lines.items() if hits > 0}

    def rates(self):
        return (len(self.hit_lines()), len(self.lines),
                sum(1 for h in self.functions.values() if h > 0),
                len(self.functions))


def read_tracefile(path):
    """{source path: FileCounts}, the tests of a tracefile summed."""
    files, current = {}, None
    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(":")
            if key == "SF":
                current = files.setdefault(value, FileCounts())
            elif key == "DA":
                number, hits = value.split(",")[:2]
                number = int(number)
                current.lines[number] = current.lines.get(number, 0) + int(hits)
            elif key == "FNDA":
                hits, name = value.split(",", 1)
                current.functions[name] = current.functions.get(name, 0) + int(hits)
            elif key == "FN":
                current.functions.setdefault(value.split(",", 1)[1], 0)
    return files


def read_list(path):
    with open(path) as f:
        return [line.strip() for line in f
                if line.strip() and not line.startswith("#")]


def listed(relative, entry):
    """Whether a source (relative to the tree) falls under a list entry,
    with coverage/cc's meaning: "dir/" is a subtree, else a glob in one
    directory (a .c entry also takes the headers beside it)."""
    if entry.endswith("/"):
        return relative.startswith(entry)
    directory, name = os.path.split(entry)
    return (os.path.dirname(relative) == directory and
            fnmatch.fnmatchcase(os.path.basename(relative), name))


def lcov(*args):
    subprocess.run(["lcov", "--quiet", *args], check=True)


def merge(out, suites):
    """Merges the suites' tracefiles; the last merge becomes the previous."""
    infos = [os.path.join(out, s + ".info") for s in suites]
    missing = [i for i in infos if not os.path.exists(i)]
    if missing:
        print("kgrind: no coverage captured for: %s" %
              ", ".join(os.path.basename(m)[:-5] for m in missing), file=sys.stderr)
        infos = [i for i in infos if i not in missing]
    if not infos:
        return False, missing
    keep_previous(out)
    args = []
    for info in infos:
        args += ["--add-tracefile", info]
    lcov(*args, "--output-file", os.path.join(out, MERGED))
    return True, missing


def keep_previous(out):
    """The last run's tracefile and selection become the previous run's."""
    for current, previous in ((MERGED, PREVIOUS), (SELECTION, PREVIOUS_SELECTION)):
        if os.path.exists(os.path.join(out, current)):
            os.replace(os.path.join(out, current), os.path.join(out, previous))


def keep_listed(path, tree, entries):
    """Rewrites a tracefile without the records of unlisted sources (the
    kernel's headers, whose inline functions every object repeats)."""
    kept, record, keep = [], [], False
    with open(path) as f:
        for line in f:
            record.append(line)
            if line.startswith("SF:"):
                relative = os.path.relpath(line[3:].strip(), tree)
                keep = any(listed(relative, e) or listed(relative, e.replace(".c", ".h"))
                           for e in entries)
            elif line.startswith("end_of_record"):
                if keep:
                    kept += record
                record = []
    with open(path, "w") as f:
        f.writelines(kept)


def render(out, tree, suites):
    for name in os.listdir(out):
        if name in OWN or name.endswith(".info"):
            continue
        target = os.path.join(out, name)
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        else:
            os.remove(target)
    subprocess.run(["genhtml", "--quiet", "--legend", "--show-details",
                    "--prefix", tree, "--title", "kgrind: " + " ".join(suites),
                    "--output-directory", out, os.path.join(out, MERGED)],
                   check=True)


def percent(hit, total):
    return 100.0 * hit / total if total else 0.0


def summed(counts):
    """Lines hit, lines, functions hit, functions of several files."""
    return [sum(x) for x in zip(*(c.rates() for c in counts))] or [0, 0, 0, 0]


def summary_rows(files, tree, entries):
    """One row per listed file, one per listed directory."""
    rows = []
    relative = {os.path.relpath(p, tree): c for p, c in files.items()}
    for entry in entries:
        matches = sorted(r for r in relative if listed(r, entry) and r.endswith(".c"))
        if entry.endswith("/"):
            rows.append(("%s (%d files)" % (entry, len(matches)),
                         *summed(relative[m] for m in matches)))
        elif not matches:
            rows.append((entry + " (not reached or not built)", 0, 0, 0, 0))
        else:
            rows += [(m, *relative[m].rates()) for m in matches]
    return rows


def print_summary(files, tree, entries):
    rows = summary_rows(files, tree, entries)
    rows.append(("all", *summed(files.values())))
    width = max(len(r[0]) for r in rows)
    print("%-*s  %-18s  %s" % (width, "file", "lines", "functions"))
    for name, lh, lf, fh, ff in rows:
        print(("%-*s  %5.1f%% %5d/%-5d  %5.1f%% %4d/%d" %
               (width, name, percent(lh, lf), lh, lf, percent(fh, ff), fh, ff)).rstrip())


def ranges(numbers):
    """[1, 2, 3, 7] -> "1-3, 7"."""
    spans, numbers = [], sorted(numbers)
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else "%d-%d" % (a, b) for a, b in spans)


def compare(old, new, tree):
    """Lines hit in one run and not the other, per file."""
    report = []
    for path in sorted(set(old) | set(new)):
        before = old[path].hit_lines() if path in old else set()
        after = new[path].hit_lines() if path in new else set()
        gained, lost = after - before, before - after
        if gained or lost:
            report.append((os.path.relpath(path, tree), gained, lost))
    return report


def print_comparison(out, tree, base, described):
    new = read_tracefile(os.path.join(out, MERGED))
    report = compare(read_tracefile(base), new, tree)
    lines = []
    for name, gained, lost in report:
        lines.append("%s: +%d -%d" % (name, len(gained), len(lost)))
        if gained:
            lines.append("  gained: " + ranges(gained))
        if lost:
            lines.append("  lost:   " + ranges(lost))
    with open(os.path.join(out, COMPARISON), "w") as f:
        f.write("Compared with %s\n" % described)
        f.write("\n".join(lines) + "\n")
    gained = sum(len(g) for _, g, _ in report)
    lost = sum(len(l) for _, _, l in report)
    print("== compared with %s: %d lines gained, %d lost, in %d files" %
          (described, gained, lost, len(report)))
    shown = 0
    for name, g, l in report:
        if shown == 20:
            print("  ... %d more files" % (len(report) - shown))
            break
        print("  %-40s +%-5d -%d" % (name, len(g), len(l)))
        shown += 1
    if report:
        print("  every line: %s" % os.path.join(out, COMPARISON))


def describe_previous(out, selection):
    try:
        with open(os.path.join(out, PREVIOUS_SELECTION)) as f:
            previous = json.load(f)
    except (OSError, ValueError):
        return "the previous run"
    text = "the previous run (suites %s%s)" % (
        " ".join(previous["suites"]),
        ", tests '%s'" % previous["tests"] if previous["tests"] else "")
    if previous != selection:
        text += "; that run chose other suites, tests or sources"
    return text


def check_floors(files, tree, thresholds):
    """Files below their floor, as messages."""
    relative = {os.path.relpath(p, tree): c for p, c in files.items()}
    failures = []
    with open(thresholds) as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            name, floor = fields[0], float(fields[1])
            if name not in relative:
                failures.append("%s has a floor of %g%% but is not in the report "
                                "(is it still in coverage/sources?)" % (name, floor))
                continue
            hit, total = relative[name].rates()[:2]
            if percent(hit, total) < floor:
                failures.append("%s: %.1f%% of lines (%d of %d), below its floor of %g%%"
                                % (name, percent(hit, total), hit, total, floor))
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--tree", required=True)
    parser.add_argument("--list", required=True)
    parser.add_argument("--suites", required=True)
    parser.add_argument("--all-suites", required=True)
    parser.add_argument("--tests", default="")
    parser.add_argument("--base", default="")
    parser.add_argument("--thresholds", required=True)
    args = parser.parse_args()
    tree = os.path.realpath(args.tree)
    suites = args.suites.split()
    entries = read_list(args.list)

    merged, missing = merge(args.out, suites)
    if not merged:
        return 1
    keep_listed(os.path.join(args.out, MERGED), tree, entries)
    selection = {"suites": suites, "tests": args.tests, "sources": entries}
    with open(os.path.join(args.out, SELECTION), "w") as f:
        json.dump(selection, f)
    render(args.out, tree, suites)

    files = read_tracefile(os.path.join(args.out, MERGED))
    print("== coverage of the listed sources, suites: %s" % " ".join(suites))
    print_summary(files, tree, entries)
    print("report: %s" % os.path.join(args.out, "index.html"))

    if args.base:
        if not os.path.exists(args.base):
            print("kgrind: COVERAGE_BASE=%s: no such tracefile" % args.base, file=sys.stderr)
            return 1
        print_comparison(args.out, tree, args.base, args.base)
    elif os.path.exists(os.path.join(args.out, PREVIOUS)):
        print_comparison(args.out, tree, os.path.join(args.out, PREVIOUS),
                         describe_previous(args.out, selection))

    if sorted(suites) != sorted(args.all_suites.split()) or args.tests:
        print("floors (%s) not checked: they hold for every suite and test" % args.thresholds)
        return 1 if missing else 0
    failures = check_floors(files, tree, args.thresholds)
    for failure in failures:
        print("kgrind: coverage floor: " + failure, file=sys.stderr)
    if not failures:
        print("floors: every file in %s is at or above its floor" % args.thresholds)
    return 1 if failures or missing else 0


if __name__ == "__main__":
    sys.exit(main())
