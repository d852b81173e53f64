#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A stand-in for a suite binary (harness/lib/kg_suite.c) for run.py's
tests: the same options and the same JSON events, each test doing what
FAKE_TESTS says, "name:what,...", what one of

  pass     passes
  fail     fails with a message
  fatal    the kernel's fatal error: a "fatal" event, then exit status 2
  signal   the process dies of SIGSEGV without a word
  hang     sleeps until killed"""
import json
import os
import signal
import sys
import time

SUITE = "fake"


def main():
    tests = [t.split(":") for t in os.environ["FAKE_TESTS"].split(",")]
    opts = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "") for a in sys.argv[1:])
    selected = [(i, name, what) for i, (name, what) in enumerate(tests, 1)
                if not opts.get("tests") or opts["tests"] in (name, SUITE + "." + name)]
    if "list" in opts:
        for i, name, _ in selected:
            print("%d %s.%s" % (i, SUITE, name))
        return 0
    results = open(opts["results"], "a")

    def event(**e):
        results.write(json.dumps(e, separators=(",", ":")) + "\n")
        results.flush()
    print("KTAP version 1\n1..%d" % len(selected), flush=True)
    for i, name, what in selected:
        if i < int(opts.get("from", 1)):
            continue
        event(event="start", index=i, name=name)
        if what == "fatal":
            why = "Oops: host signal 11 (SIGSEGV) at address 0x10"
            event(event="fatal", index=i, name=name,
                  detail=why + "\n--- kernel console (tail) ---\nfake: about to crash")
            print("not ok - %s: %s" % (name, why), flush=True)
            sys.stderr.write("kgrind: fatal kernel error: %s\n" % why)
            os._exit(2)
        if what == "signal":
            print("fake: %s is about to die" % name, flush=True)
            os.kill(os.getpid(), signal.SIGSEGV)
        if what == "hang":
            time.sleep(600)
        status = "fail" if what == "fail" else "pass"
        result = dict(event="result", index=i, name=name, status=status, seconds=0.001,
                      errors=0, claimed=0, leaked=0, reports=0)
        if status == "fail":
            result["detail"] = "%s.c:12: CU_ASSERT(0)" % name
        event(**result)
        print("%s %d %s.%s" % ("not ok" if status == "fail" else "ok", i, SUITE, name), flush=True)
    event(event="done", index=0, name=SUITE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
