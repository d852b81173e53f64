#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A stand-in for kg_kunit (harness/kunit/kg_kunit.c) for kunit.py's
tests: it replays the consoles of a real make kunit-selftest process
(test_data/kunit), driven as kg_kunit is.  With kunit.action=list_attr,
the listing.  With --each -, the boot's console, then for each glob
standard input gives, the copy the record has for it: its begin, copy
and end lines, its console written into --consoles=DIR; then the halt's
lines when standard input ends."""
import os
import re
import shutil
import sys

RECORD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test_data", "kunit")
COPY = re.compile(r"^kgrind-kunit: (?:begin|copy|end) ([^:\s]+)")


def main():
    args = sys.argv[1:]
    if "kunit.action=list_attr" in args:
        with open(os.path.join(RECORD, "list.1.console")) as f:
            sys.stdout.write(f.read())
        return 0
    consoles = next(a.split("=", 1)[1] for a in args if a.startswith("--consoles="))
    with open(os.path.join(RECORD, "kunit.1.console")) as f:
        lines = f.read().splitlines()
    first = next(i for i, line in enumerate(lines) if COPY.match(line))
    last = max(i for i, line in enumerate(lines) if COPY.match(line))
    print("\n".join(lines[:first]), flush=True)
    for number, glob in enumerate((g.strip() for g in sys.stdin), 1):
        for line in lines[first:last + 1]:
            match = COPY.match(line)
            if not match or match.group(1) != glob:
                continue
            if " console R/" in line:
                recorded = os.path.join(RECORD, line.split(" console R/")[1])
                path = os.path.join(consoles, "copy-%d.console" % number)
                shutil.copy(recorded, path)
                line = line.split(" console R/")[0] + " console " + path
            print(line, flush=True)
    print("\n".join(lines[last + 1:]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
