# SPDX-License-Identifier: GPL-2.0
"""Lists a kernel tree's KUnit test options and says, for a final .config,
whether each is built and, if not, why.

  python3 harness/kunit/kunit-suites.py TREE FINAL.config

A KUnit test option is one whose dependencies (its own, and those of the
if and menu blocks around it and around the source lines that bring its
file in) name KUNIT, and whose name says it is a test: TEST_..., ..._TEST,
..._TESTS or ..._KUNIT.  One line per option, by Kconfig file:

  built   CONFIG_X   path/Kconfig
  out     CONFIG_Y   path/Kconfig   needs: A=n, B=n (A && B)

then how many were built, and how many options each unmet symbol (or
other reason) keeps out.  Kconfig parsing is check-config.py's."""
import collections
import importlib.util
import os
import re
import sys
import textwrap


def load_check_config():
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        "check_config", os.path.join(here, os.pardir, os.pardir, "scripts", "check-config.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_config = load_check_config()

TEST_NAME = re.compile(r'^TEST_|(TESTS?|KUNIT)$')
# Named like a test, but the switch that turns the tests on.
NOT_TESTS = {"KUNIT_ALL_TESTS"}
ARCH_HEADER = re.compile(r'^# Linux/(\S+) \S+ Kernel Configuration$')


def kunit_options(defs):
    """({symbol: the definition that depends on KUNIT} for the tests,
    [the symbols that depend on KUNIT but are no test, e.g. helpers])."""
    tests, others = {}, []
    for symbol, found in defs.items():
        for d in found:
            if any("KUNIT" in check_config.SYMBOL.findall(expr)
                   for expr in d["depends"]):
                if TEST_NAME.search(symbol) and symbol not in NOT_TESTS:
                    tests[symbol] = d
                else:
                    others.append(symbol)
                break
    return tests, sorted(others)


def config_arch(path):
    """The arch kconfig wrote the .config for, from its header
    ("# Linux/x86 6.12.0 Kernel Configuration"), or None."""
    with open(path, errors="replace") as f:
        for _, line in zip(range(5), f):
            m = ARCH_HEADER.match(line.strip())
            if m:
                return m.group(1)
    return None


def why_out(d, final, arch):
    """(why kconfig left the option out, the reasons to count it under)."""
    where = d["file"].split(os.sep)
    # Only the .config's own arch/ Kconfig is read; the tree has them all.
    if arch and len(where) > 2 and where[0] == "arch" and where[1] != arch:
        return "another arch's Kconfig (the .config is %s's)" % arch, \
            ["(another arch)"]
    # dict.fromkeys: an if around the option may ask what it asks again.
    failed = [(expr, check_config.unmet(expr, final))
              for expr in dict.fromkeys(d["depends"])]
    failed = [(expr, symbols) for expr, symbols in failed if symbols]
    if failed:
        symbols = sorted({s for _, unmet in failed for s in unmet})
        values = ", ".join("%s=%s" % (s, final.get("CONFIG_" + s, "n"))
                           for s in symbols)
        asked = "; ".join(expr for expr, _ in failed)
        return "needs: %s (%s)" % (values, asked), symbols
    # Its dependencies hold, as far as check-config.py reads them (no
    # choice, no "visible if", no source line naming a $(macro)).
    if not d["prompt"]:
        return "dependencies met; no prompt: only a select or default " \
            "sets it", ["(no prompt)"]
    return "dependencies met; the config does not turn it on", \
        ["(not turned on)"]


def main():
    if len(sys.argv) != 3:
        print("usage: kunit-suites.py TREE FINAL.config", file=sys.stderr)
        return 2
    tree, final_path = sys.argv[1:]
    if not os.path.isfile(os.path.join(tree, "Kconfig")):
        print("kunit-suites: %s has no Kconfig: not a kernel tree" % tree,
              file=sys.stderr)
        return 2
    if not os.path.isfile(final_path):
        print("kunit-suites: %s: no such .config" % final_path,
              file=sys.stderr)
        return 2
    final = check_config.read_config(final_path)
    arch = config_arch(final_path)
    if arch and not os.path.isdir(os.path.join(tree, "arch", arch)):
        arch = None     # ARCH=x86_64 and the like: no arch/ of that name
    tests, others = kunit_options(check_config.definitions(tree))

    # Python's sort keeps each file's options in their order there.
    options = sorted(tests.items(), key=lambda item: item[1]["file"])
    name_width = max((len("CONFIG_" + s) for s in tests), default=0)
    file_width = max((len(d["file"]) for d in tests.values()), default=0)
    built, keeps_out = 0, collections.Counter()
    for symbol, d in options:
        if final.get("CONFIG_" + symbol, "n") != "n":
            built += 1
            print("built   %-*s   %s" % (name_width, "CONFIG_" + symbol,
                                         d["file"]))
            continue
        why, reasons = why_out(d, final, arch)
        keeps_out.update(reasons)
        print("out     %-*s   %-*s   %s" % (name_width, "CONFIG_" + symbol,
                                           file_width, d["file"], why))

    print()
    print("%d KUnit test options: %d built, %d out" %
          (len(tests), built, len(tests) - built))
    if keeps_out:
        print("kept out by (an option counts under each symbol it needs):")
        for reason, count in keeps_out.most_common():
            if count > 1:
                print("  %s: %d" % (reason, count))
        once = [reason for reason, count in keeps_out.most_common()
                if count == 1]
        if once:
            print(textwrap.fill("1 each: " + ", ".join(once), width=78,
                                initial_indent="  ", subsequent_indent="    "))
    if others:
        print(textwrap.fill("depend on KUNIT but are no tests, not listed: "
                            + ", ".join(others), width=78,
                            subsequent_indent="  "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
