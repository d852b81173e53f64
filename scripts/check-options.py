#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make's check of the options it was given, before anything runs: each
option a goal reads must have its form (scripts/kgrun/options.py).

  check-options.py 'GOAL...' NAME=VALUE...

The Makefile passes the options that came from its command line or the
environment.  Nothing printed, exit 0: every one has its form.  Else one
line, "kgrind: NAME=VALUE: what it wants", for make's $(error), and
exit 2.  What needs the built suites or kernel is checked later, before
any test runs: TESTS= by the runner's check, KUNIT_FILTER= by make
kunit's listing."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "kgrun"))
import options  # noqa: E402  (after its folder is on the path)

VALGRIND_GOALS = {"memcheck", "alone", "test", "selftest", "failsweep", "kunit",
                  "kunit-selftest", "bench"}
RUN_GOALS = VALGRIND_GOALS | {"native", "coverage"}
BUILD_GOALS = RUN_GOALS | {"all", "suites", "kernel", "kunit-kernel", "kunit-suites",
                           "bench-build", "menuconfig", "check-selection", "programs",
                           "programs-test", "run-program", "kselftest", "kselftest-kernel", "kselftest-selftest",
                           "kselftest-build"}
KUNIT_GOALS = {"kunit", "kunit-selftest"}
# The goals that read each option, and its form.  A goal not named reads
# none of them (help, clean, a file), so none is checked for it.
READERS = {
    "KSRC": BUILD_GOALS,
    "TESTS": {"native", "memcheck", "test", "failsweep", "coverage", "check-selection"},
    "TIMEOUT": {"memcheck", "alone", "test", "failsweep", "kselftest"} | KUNIT_GOALS,
    "NATIVE_TIMEOUT": {"native", "alone", "test", "coverage"},
    "NTH": {"failsweep"},
    "SHARD": {"failsweep"},
    "FRESH": {"failsweep"},
    "FORK": {"native", "memcheck", "test"},
    "VIRTUAL_TIME": {"native", "memcheck", "test", "alone", "kunit", "kunit-selftest", "coverage"},
    "MODE": {"kunit", "kselftest"},
    "KUNIT_FILTER": {"kunit"},
    "KUNIT_ATTR": {"kunit"},
    "KUNIT_EXPECT": KUNIT_GOALS,
    "SUPP": VALGRIND_GOALS,
    "VGDB": VALGRIND_GOALS,
    "COVERAGE_BASE": {"coverage"},
    "BENCH_REPEAT": {"bench"},
    "BENCH_CLEAN_BUILD": {"bench"},
    "KGRIND_MEM": RUN_GOALS,
    "KGRIND_CMDLINE": RUN_GOALS,
}
# The goals make runs for each suite, and the goal they belong to.
PER_SUITE_GOALS = {"run-native-": "native", "run-memcheck-": "memcheck",
                   "coverage-run-": "coverage"}

# The kernel's command line: COMMAND_LINE_SIZE (asm-generic/setup.h;
# arch/kgrind keeps it) with its NUL, after harness/arch/kernel/setup.c's
# own option and harness/lib/kgrind.c's "ignore_loglevel %s %s" around
# the program's options.  Past it the kernel cuts the line silently.
COMMAND_LINE_ROOM = 512 - 1 - len("sysctl.vm.watermark_boost_factor=0 ") - len("ignore_loglevel  ")
# The longest options make kunit's runner gives (scripts/kgrun/kunit.py),
# with room for a suite.case name as kunit.filter_glob.
KUNIT_OPTIONS = 'kunit.enable=1 kunit.action=list_attr kunit.filter_glob=%s kunit.filter="%s" kgrind_kunit_selftest=1'
KUNIT_NAME_ROOM = 128


def goal_of(goal):
    for prefix, parent in PER_SUITE_GOALS.items():
        if goal.startswith(prefix):
            return parent
    return goal


def cmdline_room(goals, given):
    """What KGRIND_CMDLINE may take of the command line, for these goals."""
    if not goals & KUNIT_GOALS:
        return COMMAND_LINE_ROOM
    glob = given.get("KUNIT_FILTER", "").ljust(KUNIT_NAME_ROOM)
    return COMMAND_LINE_ROOM - len(KUNIT_OPTIONS % (glob, given.get("KUNIT_ATTR", ""))) - 1


def existing_file(text):
    if not os.path.isfile(text):
        raise options.WrongForm("no such file")
    return text


def existing_directory(text):
    if not os.path.isdir(text):
        raise options.WrongForm("no such directory; want your Linux 6.12 tree")
    return text


FORMS = {
    "KSRC": existing_directory,
    "TESTS": options.test_globs,
    "TIMEOUT": options.seconds,
    "NATIVE_TIMEOUT": options.seconds,
    "NTH": options.nth,
    "SHARD": options.shard,
    "FRESH": options.flag,
    "FORK": options.flag,
    "VIRTUAL_TIME": options.flag,
    "MODE": options.mode,
    "KUNIT_FILTER": options.kunit_filter,
    "KUNIT_ATTR": options.kunit_attr,
    "KUNIT_EXPECT": existing_file,
    "SUPP": existing_file,
    "VGDB": options.flag,
    "COVERAGE_BASE": existing_file,
    "BENCH_REPEAT": options.repeats,
    "BENCH_CLEAN_BUILD": options.flag,
    "KGRIND_MEM": options.kgrind_mem,
}


def shown(name, value):
    """NAME=value as the user would type it: quoted if empty or spaced."""
    if value and not any(c.isspace() for c in value) and "'" not in value:
        return "%s=%s" % (name, value)
    return "%s='%s'" % (name, value)


def wrong_option(goals, given):
    """The line for the first option of given (name: value) that a goal
    reads and that lacks its form, or None."""
    goals = {goal_of(g) for g in goals}
    for name, value in given.items():
        if not goals & READERS.get(name, set()):
            continue
        try:
            if name == "KGRIND_CMDLINE":
                options.kgrind_cmdline(value, cmdline_room(goals, given))
            elif name in ("KSRC", "KUNIT_EXPECT", "SUPP", "COVERAGE_BASE") and not value:
                continue    # empty: the default
            else:
                FORMS[name](value)
        except options.WrongForm as wrong:
            return "kgrind: %s: %s" % (shown(name, value), wrong)
    return None


def main(argv):
    goals = set(argv[1].split())
    given = dict(arg.split("=", 1) for arg in argv[2:])
    line = wrong_option(goals, given)
    if line:
        print(line)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
