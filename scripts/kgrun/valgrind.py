# SPDX-License-Identifier: GPL-2.0
"""Builds the valgrind command a suite or KUnit binary runs under, and
reads back what valgrind itself said (not memcheck's errors, which
memcheck_xml.py reads).

make passes its VALGRIND as one string (--valgrind '$(VALGRIND)'); words()
is the one place that splits it, as a shell would."""
import shlex


def words(command):
    """The valgrind command line as argv words; [] when there is none."""
    return shlex.split(command) if command else []


def log_beside(xml):
    """valgrind's text log beside its XML: its own messages, and the
    error listings the runner asks for to name repeats."""
    return xml[:-len(".xml")] + ".log"


def wrap(valgrind, cmd, xml, log):
    """cmd under valgrind (words()), memcheck's errors as XML in xml,
    valgrind's text in log."""
    return valgrind + ["--xml=yes", "--xml-file=" + xml, "--log-file=" + log] + cmd


def env(xml, log):
    """What the binary's memcheck glue (harness/lib/memcheck.c) reads to
    find the files valgrind writes."""
    return {"KG_MEMCHECK_XML": xml, "KG_MEMCHECK_LOG": log}


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
