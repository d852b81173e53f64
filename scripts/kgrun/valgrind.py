# SPDX-License-Identifier: GPL-2.0
"""Builds the valgrind command a suite or KUnit binary runs under, and
reads back what valgrind itself said (not memcheck's errors, which
memcheck_xml.py reads).

make passes its VALGRIND as one string (--valgrind '$(VALGRIND)'); words()
is the one place that splits it, as a shell would."""
import glob
import os
import shlex


def words(command):
    """The valgrind command line as argv words; [] when there is none."""
    return shlex.split(command) if command else []


def log_beside(xml):
    """valgrind's text log beside its XML: its own messages, and the
    error listings the runner asks for to name repeats."""
    return xml[:-len(".xml")] + ".log"


def per_process(xml):
    """The --xml-file name for xml when the program may fork (kg_fork):
    valgrind puts each process's pid for %p, so a child's reports go to
    a file of its own; log files keep one name (valgrind 3.19 writes a
    child's XML badly when both names have %p)."""
    return xml[:-len(".xml")] + ".pid%p.xml"


def adopt(pattern, pid, xml):
    """After the process ended: its own XML file (per_process's, with
    its pid) takes the name xml."""
    try:
        os.replace(pattern.replace("%p", str(pid)), xml)
    except FileNotFoundError:
        pass


def forked_children(xml):
    """The XML files of the children a process forked (per_process)."""
    return sorted(glob.glob(glob.escape(xml[:-len(".xml")]) + ".pid[0-9]*.xml"))


def drop_quiet_children(xml):
    """Removes the children's XML files that hold no report and no
    client message (a sweep step's injected fault)."""
    for child in forked_children(xml):
        with open(child, errors="replace") as f:
            text = f.read()
        if "<error>" not in text and "<clientmsg>" not in text:
            os.remove(child)


def wrap(valgrind, cmd, xml, log):
    """cmd under valgrind (words()), memcheck's errors as XML in xml,
    valgrind's text in log."""
    return valgrind + ["--xml=yes", "--xml-file=" + xml, "--log-file=" + log] + cmd


def env(xml, log):
    """What the binary's memcheck glue (harness/lib/memcheck.c) reads to
    find the files valgrind writes."""
    return {"KG_MEMCHECK_XML": xml, "KG_MEMCHECK_LOG": log}


def internal_error(log):
    """Valgrind's own failure (an assertion of its, a crash), in one
    line, or None: what it says before its thread list."""
    try:
        with open(log, errors="replace") as f:
            for line in f:
                text = line.split("==", 2)[-1].strip() if line.startswith("==") else line.strip()
                if text.startswith("valgrind: ") or "the 'impossible' happened" in text or \
                        "VALGRIND INTERNAL ERROR" in text:
                    return text
    except OSError:
        pass
    return None


def messages(log):
    """What valgrind itself said (an internal error, its thread list),
    without the error listings: for a process that ended badly."""
    try:
        with open(log, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ""
    keep, listing = [], False
    for line in lines:
        # A listing runs from "N errors in context K of M:" to a bare prefix.
        if "errors in context" in line:
            listing = True
        elif listing and not line.split("==", 2)[-1].strip():
            listing = False
        elif not listing:
            keep.append(line)
    keep = keep[-40:]
    return "\n".join(keep) + "\n" if keep else ""
