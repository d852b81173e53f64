#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make kselftest-targets: every selftest target of the tree, and whether
make kselftest runs it by default (harness/kselftest/targets.txt) or why
not (not-run.txt).  Usage: targets.py SELFTESTS_DIR"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def entries(name):
    """A list file's lines: (target, rest), comments and blanks left out."""
    with open(os.path.join(HERE, name)) as f:
        return [(line.split(None, 1) + [""])[:2] for line in f
                if line.strip() and not line.startswith("#")]


def main():
    with open(os.path.join(sys.argv[1], "Makefile")) as f:
        tree = re.findall(r"^TARGETS \+= (\S+)", f.read(), re.M)
    default = {t for t, _ in entries("targets.txt")}
    why = {t: reason.strip() for t, reason in entries("not-run.txt")}
    width = max(map(len, tree))
    counts = {"runs": 0, "out": 0, "open": 0}
    for target in tree:
        if target in default:
            state, text = "runs", "in the default set"
        elif target in why:
            state, text = "out", why[target]
        else:
            state, text = "open", "not assessed yet"
        counts[state] += 1
        print("%-*s  %s" % (width, target, text))
    print("%d targets: %d in the default set, %d out with a reason, %d not assessed yet"
          % (len(tree), counts["runs"], counts["out"], counts["open"]))


if __name__ == "__main__":
    main()
