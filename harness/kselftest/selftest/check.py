#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make kselftest-selftest: runs kgrind_selftest through kgrind-run,
natively and under memcheck, and checks each test point against
expected.txt beside this file: its status, and for a failure a text its
detail must hold.  Any difference fails, named.

  check.py KGRIND_RUN LIB PROGRAM REPORTS"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def expected():
    want = {}
    with open(os.path.join(HERE, "expected.txt")) as f:
        for line in f:
            fields = line.split(None, 3)
            if len(fields) >= 3 and not line.startswith("#"):
                want.setdefault(fields[0], {})["global." + fields[1]] = \
                    (fields[2], fields[3].strip() if len(fields) > 3 else "")
    return want


def main():
    kgrind_run, lib, program, reports = sys.argv[1:5]
    wrong = []
    for mode, points in expected().items():
        out = os.path.join(reports, mode)
        os.makedirs(out, exist_ok=True)
        result = os.path.join(out, "result.json")
        cmd = [kgrind_run, "--lib", lib, "--reports", out, "--json", result, "--timeout", "300"]
        subprocess.run(cmd + (["--memcheck"] if mode == "memcheck" else []) + ["--", program],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(result) as f:
            got = {t["name"]: t for t in json.load(f)["tests"]}
        for name, (status, text) in points.items():
            t = got.get(name)
            if not t:
                wrong.append("%s %s: no such test point" % (mode, name))
            elif t["status"] != status or (text and text not in (t.get("detail") or "")):
                wrong.append("%s %s: %s, wanted %s%s" % (mode, name, t["status"], status,
                                                         " with '%s'" % text if text else ""))
        extra = [n for n, t in got.items() if n not in points and t["status"] == "fail"]
        wrong += ["%s %s: failed, and nothing expects it" % (mode, n) for n in extra]
        print("kselftest-selftest %s: %d points as expected" % (mode, len(points) - len(
            [w for w in wrong if w.startswith(mode + " ")])))
    for w in wrong:
        print("kselftest-selftest: " + w)
    print("FAILED (kselftest-selftest)" if wrong else "all passed (kselftest-selftest)")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
