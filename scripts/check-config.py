# SPDX-License-Identifier: GPL-2.0
"""Checks that kconfig kept every option kgrind asked for.

  python3 scripts/check-config.py REQUESTED.config FINAL.config TREE

REQUESTED is what went into KCONFIG_ALLCONFIG (a later line wins; a line
"# --- from FILE" says where the next ones came from), FINAL the .config
kconfig wrote from it.  Each option whose final value differs is named,
with the file that asked for it and why: no
Kconfig defines it, its dependencies are not met (and which of them), it
has no prompt, or modules are off.  Exit status 1 if any was dropped.
kunit-suites.py reads Kconfig and .config files with this one's functions."""
import operator
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


def logical_lines(lines):
    """The lines, each one ending in a backslash joined with the next."""
    joined = ""
    for line in lines:
        if line.endswith("\\"):
            joined += line[:-1] + " "
            continue
        yield joined + line
        joined = ""
    if joined:
        yield joined


def indent(line):
    return len(line.expandtabs()) - len(line.expandtabs().lstrip())


def definitions(tree, wanted=None):
    """{symbol: [{'file', 'depends': [...], 'prompt': bool}]}, for the
    symbols in wanted (every symbol if None).  'depends' includes what the
    "if" and "menu ... depends on" blocks around the entry ask, in its file
    and around the "source" lines that bring its file in."""
    found, sourced = {}, {}
    for path in kconfig_files(tree):
        read_kconfig(path, os.path.relpath(path, tree), wanted, found, sourced)
    outer = {}
    for defs in found.values():
        for d in defs:
            if d["file"] not in outer:
                outer[d["file"]] = around_source(d["file"], sourced)
            d["depends"][:0] = outer[d["file"]]
    return found


def around_source(path, sourced, seen=()):
    """What the blocks around path's source lines ask, outermost first; of
    a file sourced in several places, only what every place asks."""
    if path not in sourced or path in seen:
        return []
    asks = [around_source(parent, sourced, seen + (path,)) + conditions
            for parent, conditions in sourced[path]]
    return [c for c in asks[0] if all(c in other for other in asks[1:])]


def read_kconfig(path, rel, wanted, found, sourced):
    """Adds path's entries to found (as definitions() returns them), and
    to sourced {file: [(rel, the conditions around its source line)]}."""
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return
    blocks, current = [], None  # blocks: each enclosing if/menu's conditions
    menu = None                 # the menu just opened, taking its depends on
    help_indent = None          # in a help text: its indentation (-1: unseen)
    for line in logical_lines(lines):
        stripped = line.split("#", 1)[0].strip()
        if help_indent is not None:
            # A help text, where "if you..." is no if, ends at the first
            # line indented less than its own first line.
            if not line.strip():
                continue
            if help_indent < 0 and indent(line) > 0:
                help_indent = indent(line)    # its first line
            if help_indent > 0 and indent(line) >= help_indent:
                continue
            help_indent = None
        if stripped in ("help", "---help---"):
            help_indent = -1
            continue
        if menu is not None and stripped.startswith("depends on"):
            menu.append(stripped[len("depends on"):].strip())
            continue
        if stripped and not stripped.startswith("visible if"):
            menu = None
        m = re.match(r'^(menu)?config\s+([A-Za-z0-9_]+)\s*$', stripped)
        if m:
            current = None
            if wanted is None or m.group(2) in wanted:
                current = {"file": rel, "prompt": False,
                           "depends": [d for b in blocks for d in b]}
                found.setdefault(m.group(2), []).append(current)
            continue
        # source names a file from the tree's top, rsource from this one's
        # directory; a name with a $(macro) in it is not followed.
        m = re.match(r'^o?(r?)source\s+"([^"$]+)"', stripped)
        if m:
            child = os.path.join(os.path.dirname(rel), m.group(2)) \
                if m.group(1) else m.group(2)
            sourced.setdefault(os.path.normpath(child), []).append(
                (rel, [d for b in blocks for d in b]))
        elif re.match(r'^if\s', stripped):
            blocks.append([stripped[3:].strip()])
        elif re.match(r'^menu\s', stripped):
            menu = []
            blocks.append(menu)
        elif stripped in ("endif", "endmenu") and blocks:
            blocks.pop()
        if current is None:
            continue
        if line and not line[0].isspace():
            current = None      # the entry ended
        elif stripped.startswith("depends on"):
            current["depends"].append(stripped[len("depends on"):].strip())
        elif re.match(r'^(bool|tristate|string|int|hex|prompt)\s+"', stripped):
            current["prompt"] = True


# A Kconfig expression's tokens; $(...) is a macro kconfig expanded as it read.
TOKEN = re.compile(r'\|\||&&|!=|<=|>=|[!()=<>]|"[^"]*"|\$\([^)]*\)'
                   r'|[A-Za-z0-9_.+-]+')
TRISTATE = {"n": 0, "m": 1, "y": 2}
COMPARE = {"=": operator.eq, "!=": operator.ne, "<": operator.lt,
           "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def unmet(expr, final):
    """The symbols that keep the Kconfig expression expr ("A && (B || !C)")
    from holding in the .config final, [] if it holds: of a false A && B the
    false side's, of a false A || B both sides', of a false !A all of A's."""
    tokens = TOKEN.findall(expr)
    modules = final.get("CONFIG_MODULES", "n") != "n"

    def value(atom):
        """(its value as a string, the symbols it names)."""
        if atom.startswith("$("):
            return "y", set()
        number = re.fullmatch(r'-?[0-9]+|0x[0-9a-fA-F]+', atom) and \
            "CONFIG_" + atom not in final
        if atom in ("y", "m", "n") or atom.startswith('"') or number:
            return atom.strip('"'), set()
        return final.get("CONFIG_" + atom, "n").strip('"'), {atom}

    def compare(left, op, right):
        try:
            left, right = int(left, 0), int(right, 0)
        except ValueError:
            pass                    # not both numbers: compared as strings
        return COMPARE[op](left, right)

    # Each returns (tristate 0..2, the symbols to blame if 0, every symbol).
    def either():
        v, blame, names = both()
        while tokens and tokens[0] == "||":
            tokens.pop(0)
            v2, blame2, names2 = both()
            v, blame, names = max(v, v2), blame | blame2, names | names2
        return v, blame, names

    def both():
        v, blame, names = single()
        while tokens and tokens[0] == "&&":
            tokens.pop(0)
            v2, blame2, names2 = single()
            blame = (blame if v == 0 else set()) | \
                (blame2 if v2 == 0 else set())
            v, names = min(v, v2), names | names2
        return v, blame, names

    def single():
        token = tokens.pop(0) if tokens else "n"
        if token == "!":
            v, _, names = single()
            return 2 - v, names, names
        if token == "(":
            result = either()
            if tokens and tokens[0] == ")":
                tokens.pop(0)
            return result
        left, names = value(token)
        if tokens and tokens[0] in COMPARE:
            op = tokens.pop(0)
            right, more = value(tokens.pop(0) if tokens else "n")
            names = names | more
            return (2 if compare(left, op, right) else 0), names, names
        if token == "m" and not modules:    # kconfig reads m as m && MODULES
            return 0, {"MODULES"}, {"MODULES"}
        return TRISTATE.get(left, 0), names, names

    v, blame, _ = either()
    return sorted(blame) if v == 0 else []


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
