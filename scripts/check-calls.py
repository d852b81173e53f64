#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that kgrind's calls run one way: no circle of calls between
files of different folders, and none inside harness/lib, whose units are
leaves or call down.  The graph comes from the built objects (a file
calls another when it uses a symbol the other defines, nm) and, for the
runner, from the Python imports of scripts/kgrun.  What the kernel's own
code calls of the arch (current, the irq flags) is the kernel's
interface, not a call into the arch's files.  A circle inside one folder
of the arch port (a context switch's pair) is allowed.

  check-calls.py BUILD_DIR TOP      exit 1 and name each circle found"""
import ast
import os
import subprocess
import sys

# Folders where no circle is allowed even between their own files.
NO_CIRCLE_INSIDE = ("harness/lib", "host-valgrind", "allocators", "scripts/kgrun")


def source_of(obj, build, top):
    """The repository file an object was compiled from, or None."""
    rel = os.path.relpath(obj, build)
    base = os.path.splitext(rel)[0]
    for prefix, repo in (("kobj/arch/kgrind/kernel/", "harness/arch/kernel/"),
                         ("kobj/arch/kgrind/allocators/", "allocators/"),
                         ("kobj/arch/kgrind/fixtures/", "suites/"),
                         ("host/", ""), ("suites/", "suites/")):
        if base.startswith(prefix):
            path = repo + base[len(prefix):] + ".c"
            return path if os.path.exists(os.path.join(top, path)) else None
    return None


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRVW":
            defined.add(parts[2])
    return defined, used


def kernel_interface(build):
    """What the kernel's own code (not kgrind's) calls: the arch's side of
    the kernel's interface (current, the irq flags, ...).  kgrind's files
    call it as every kernel file does; it is no call back into the arch."""
    out = subprocess.run(["nm", "-A", "-u", os.path.join(build, "kobj/vmlinux.a")],
                         capture_output=True, text=True).stdout
    used = set()
    for line in out.splitlines():
        member, _, rest = line.rpartition(":")
        if "/arch/kgrind/" not in member and rest.split():
            used.add(rest.split()[-1])
    return used


def is_kernel_side(src):
    return src.startswith(("harness/arch/", "allocators/")) or (
        src.startswith("suites/") and not os.path.basename(src).startswith(("test_", "check_")))


def object_edges(build, top):
    files = {}
    for root, dirs, names in os.walk(build):
        dirs[:] = [d for d in dirs if d not in ("gcov", "baseline", "linux") and
                   not d.startswith(("kunit", "cfg-", "ksrc"))]
        for name in names:
            if name.endswith(".o"):
                src = source_of(os.path.join(root, name), build, top)
                if src:
                    files[src] = symbols(os.path.join(root, name))
    # The kernel side and the host side are two programs: the host reaches
    # the kernel only through its kg_* entry points.
    kernel = {src for src in files if is_kernel_side(src)}
    owner = {True: {}, False: {}}
    for src, (defined, _) in files.items():
        for sym in defined:
            owner[src in kernel].setdefault(sym, src)
    interface = kernel_interface(build)
    edges = {src: set() for src in files}
    for src, (_, used) in files.items():
        for sym in used:
            if src in kernel:
                callee = None if sym in interface else owner[True].get(sym)
            else:
                callee = owner[False].get(sym) or (
                    owner[True].get(sym) if sym.startswith("kg_") else None)
            if callee and callee != src:
                edges[src].add(callee)
    return edges


def import_edges(top):
    pkg = os.path.join(top, "scripts/kgrun")
    modules = {os.path.splitext(n)[0]: "scripts/kgrun/" + n
               for n in os.listdir(pkg) if n.endswith(".py")}
    edges = {}
    for mod, path in modules.items():
        tree = ast.parse(open(os.path.join(top, path)).read())
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        edges[path] = {modules[n] for n in names if n in modules and n != mod}
    return edges


def circles(edges):
    """The strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            visit(v)
    return found


def main():
    build, top = sys.argv[1], sys.argv[2]
    edges = object_edges(build, top)
    if not edges:
        print("check-calls: no objects of kgrind's under %s" % build, file=sys.stderr)
        return 1
    edges.update(import_edges(top))
    bad = []
    for comp in circles(edges):
        folders = {os.path.dirname(f) for f in comp}
        if len(folders) > 1 or folders & set(NO_CIRCLE_INSIDE):
            bad.append(comp)
    for comp in bad:
        print("kgrind: these files call each other in a circle:", file=sys.stderr)
        for f in comp:
            calls = sorted(edges[f] & set(comp))
            print("  %s -> %s" % (f, ", ".join(calls)), file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
