# SPDX-License-Identifier: GPL-2.0
"""Reads memcheck's XML output, also when the process was killed and the
file ends in the middle of an error."""
import re
import xml.etree.ElementTree as ET

ERROR_RE = re.compile(r"<error>.*?</error>", re.S)
CLIENTMSG_RE = re.compile(r"<clientmsg>.*?</clientmsg>", re.S)


def _frame_text(frame):
    fn = frame.findtext("fn") or frame.findtext("ip") or "???"
    where = frame.findtext("file")
    if where:
        where = "%s:%s" % (where, frame.findtext("line") or "?")
    else:
        where = frame.findtext("obj") or "?"
    return "%s (%s)" % (fn, where)


FINISHED = "<state>FINISHED</state>"


def _elements(pattern, text):
    """The whole elements the pattern finds in text, parsed; a cut-off
    one (a killed process) is skipped."""
    for chunk in pattern.findall(text):
        try:
            yield ET.fromstring(chunk)
        except ET.ParseError:
            continue


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def read_errors(path, at_exit=False):
    """Returns the errors of one XML file as dicts: kind, what, stacks
    (each a list of 'fn (file:line)'), auxwhat, leaked bytes.  Those of
    the leak check memcheck runs after the program finished (in XML mode
    it always does) are returned only with at_exit."""
    text = _read(path)
    finished = text.find(FINISHED)
    if finished >= 0:
        text = text[finished:] if at_exit else text[:finished]
    elif at_exit:
        return []
    errors = []
    for node in _elements(ERROR_RE, text):
        what = node.findtext("what") or node.findtext("xwhat/text") or ""
        errors.append({
            "kind": node.findtext("kind") or "?",
            "what": what,
            "stacks": [[_frame_text(fr) for fr in st.findall("frame")]
                       for st in node.findall("stack")],
            "auxwhat": [a.text or "" for a in node.findall("auxwhat")],
            "leaked": int(node.findtext("xwhat/leakedbytes") or 0),
        })
    return errors


def read_client_messages(path):
    """The messages client requests printed with a backtrace
    (VALGRIND_PRINTF_BACKTRACE), in order: dicts of text and stack."""
    messages = []
    for node in _elements(CLIENTMSG_RE, _read(path)):
        messages.append({"text": (node.findtext("text") or "").strip(),
                         "stack": [_frame_text(fr) for fr in node.findall("stack/frame")]})
    return messages


def render(errors):
    """memcheck's errors as readable text, stacks in full."""
    out = []
    for e in errors:
        out.append("%s: %s" % (e["kind"], e["what"]))
        for i, stack in enumerate(e["stacks"]):
            if i and i - 1 < len(e["auxwhat"]):
                out.append(" " + e["auxwhat"][i - 1])
            for j, frame in enumerate(stack):
                out.append("   %s %s" % ("at" if j == 0 else "by", frame))
        for aux in e["auxwhat"][max(len(e["stacks"]) - 1, 0):]:
            out.append(" " + aux)
        out.append("")
    return "\n".join(out)
