# SPDX-License-Identifier: GPL-2.0
"""Checks that kconfig kept every option kgrind asked for.

  python3 scripts/check-config.py REQUESTED.config FINAL.config TREE

REQUESTED is what went into KCONFIG_ALLCONFIG (a later line wins; a line
"# --- from FILE" says where the next ones came from), FINAL the .config
kconfig wrote from it.  Each option whose final value differs is named,
with the file that asked for it and why: no
Kconfig defines it, its dependencies are not met (and which of them), it
has no prompt, or modules are off.  Exit status 1 if any was dropped."""
import os
import re
import sys

ASSIGN = re.compile(r'^(CONFIG_[A-Za-z0-9_]+)=(.*)$')
UNSET = re.compile(r'^# (CONFIG_[A-Za-z0-9_]+) is not set$')
FROM = "# --- from "
SYMBOL = re.compile(r'\b([A-Z][A-Z0-9_]+)\b')


def read_config(path, with_origin=False):
    """{CONFIG_X: value}, 'n' for options set off; with_origin, also
    {CONFIG_X: the file it came from}."""
    values, origin, where = {}, {}, path
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith(FROM):
                where = line[len(FROM):]
            m = ASSIGN.match(line) or UNSET.match(line)
            if m:
                values[m.group(1)] = m.group(2) if m.re is ASSIGN else "n"
                origin[m.group(1)] = where
    return (values, origin) if with_origin else values


def kconfig_files(tree):
    for root, dirs, files in os.walk(tree, followlinks=True):
        dirs[:] = [d for d in dirs if d not in (".git", "Documentation")]
        for name in files:
            if name.startswith("Kconfig"):
                yield os.path.join(root, name)


def definitions(tree, wanted):
    """{symbol: [{'file', 'depends': [...], 'prompt': bool}]}."""
    found = {}
    for path in kconfig_files(tree):
        try:
            with open(path, errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        ifs, current = [], None
        for line in lines:
            stripped = line.split("#", 1)[0].strip()
            m = re.match(r'^(menu)?config\s+([A-Za-z0-9_]+)\s*$', stripped)
            if m:
                current = None
                if m.group(2) in wanted:
                    current = {"file": os.path.relpath(path, tree),
                               "depends": list(ifs), "prompt": False}
                    found.setdefault(m.group(2), []).append(current)
                continue
            if re.match(r'^if\s', stripped):
                ifs.append(stripped[3:].strip())
            elif stripped == "endif" and ifs:
                ifs.pop()
            if current is None:
                continue
            if line and not line[0].isspace():
                current = None      # the entry ended
            elif stripped.startswith("depends on"):
                current["depends"].append(stripped[len("depends on"):].strip())
            elif re.match(r'^(bool|tristate|string|int|hex|prompt)\s+"', stripped):
                current["prompt"] = True
    return found


def reason(option, wanted, final, defs):
    symbol = option[len("CONFIG_"):]
    if symbol not in defs:
        return "no Kconfig in the tree defines it (unknown option)"
    if wanted == "m" and final.get("CONFIG_MODULES", "n") == "n":
        return "=m needs CONFIG_MODULES, and the library kernel has no modules: use =y"
    why = []
    for d in defs[symbol]:
        unmet = []
        for expr in d["depends"]:
            off = sorted({s for s in SYMBOL.findall(expr)
                          if final.get("CONFIG_" + s, "n") == "n"})
            if off:
                unmet.append("%s (off: %s)" % (expr, ", ".join(off)))
        if unmet:
            why.append("its dependencies are not met: depends on %s [%s]"
                       % ("; ".join(unmet), d["file"]))
        elif not d["prompt"]:
            why.append("it has no prompt, so only another option's select sets it [%s]"
                       % d["file"])
    if why:
        return "; ".join(why)
    return "kconfig set it to %s instead (a choice, a range, or a select)" % \
        final.get(option, "n")


def main():
    requested_path, final_path, tree = sys.argv[1:4]
    requested, origin = read_config(requested_path, with_origin=True)
    final = read_config(final_path)
    dropped = {o: v for o, v in requested.items() if final.get(o, "n") != v}
    if not dropped:
        return 0
    defs = definitions(tree, {o[len("CONFIG_"):] for o in dropped})
    print("kgrind: kconfig did not keep %d option(s) asked for:" % len(dropped),
          file=sys.stderr)
    for option, wanted in sorted(dropped.items()):
        print("  %s=%s (from %s): %s" % (option, wanted, origin[option],
                                 reason(option, wanted, final, defs)),
              file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
