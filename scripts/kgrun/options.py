# SPDX-License-Identifier: GPL-2.0
"""The form each of make's options takes, one function an option: it
returns the value read, or raises WrongForm saying the form it wants.
make checks the options it is given with them before anything runs
(scripts/check-options.py), and the runner's command line reads its
arguments with them, so both answer a wrong value alike.

An empty value is the option's default wherever make has one: those
functions return None for it."""
import re


class WrongForm(ValueError):
    """The value does not have the option's form; the message says what
    it wants, e.g. "want ..."."""


WHOLE = re.compile(r"^[0-9]+$")
# KUnit's attribute filter operations (lib/kunit/attributes.c), longest first.
KUNIT_OPS = ("<=", ">=", "!=", "<", ">", "=")
KUNIT_ATTRS = {"speed": ("very_slow", "slow", "normal"),
               "module": None,      # a module name, compared with = or != only
               "is_init": ("true", "false")}
# A kernel parameter's name: module.param, dashes and underscores alike.
PARAM_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def _whole(text):
    return int(text) if WHOLE.match(text) else None


def seconds(text):
    """TIMEOUT, NATIVE_TIMEOUT: a whole number of seconds, 0 for none."""
    if _whole(text) is None:
        raise WrongForm("want a whole number of seconds, 0 for no limit (such as 300)")
    return int(text)


def repeats(text):
    """BENCH_REPEAT: a whole number, 1 or more (empty: the default)."""
    if text and not _whole(text):
        raise WrongForm("want a whole number, 1 or more (BENCH_REPEAT=10)")
    return int(text) if text else None


def nth(text):
    """NTH: (first step, last step or None for LAST_STEP steps from the
    first), or None for the default sweep.  N and N- both sweep from N."""
    if not text:
        return None
    want = "want N or N- (the steps from N on) or A-B (steps A to B), whole numbers, 1 <= A <= B (NTH=1-40)"
    first, _, last = text.partition("-")
    lo, hi = _whole(first), _whole(last) if last else None
    if not lo or (last and not hi):
        raise WrongForm(want)
    if hi is not None and hi < lo:
        raise WrongForm("the range ends before it begins; " + want)
    return lo, hi


def shard(text):
    """SHARD: (i, N), or None for the whole sweep."""
    if not text:
        return None
    want = "want i/N, this job's share i of N shares, whole numbers with 1 <= i <= N (SHARD=2/8)"
    i, slash, n = text.partition("/")
    i, n = _whole(i), _whole(n)
    if not slash or not i or not n:
        raise WrongForm(want)
    if i > n:
        raise WrongForm("share %d of %d does not exist; %s" % (i, n, want))
    return i, n


def mode(text):
    """make kunit's MODE: native or memcheck (empty: both)."""
    if text not in ("", "native", "memcheck"):
        raise WrongForm("want native or memcheck (without MODE: both)")
    return text or None


def modes(text):
    """The runner's --modes: native and/or memcheck, in the order given."""
    words = text.split()
    if not words or any(w not in ("native", "memcheck") for w in words):
        raise WrongForm("want native, memcheck or both, separated by a space")
    return words


def flag(text):
    """FRESH, FORK, VIRTUAL_TIME, VGDB, BENCH_CLEAN_BUILD: 1 turns it on (make takes any
    other value as on too, 0 and no among them)."""
    if text not in ("", "1"):
        raise WrongForm("want 1 to turn it on; leave it out to keep it off")
    return text == "1"


def test_globs(text):
    """TESTS: globs on suite.test or test, separated by commas.  The
    runner's recipes quote them in '...', and the suites split them at
    commas only: a space would be part of a glob that matches nothing."""
    if "'" in text or re.search(r"\s", text):
        raise WrongForm("want globs on suite.test or test, separated by commas, "
                        "without spaces or quotes (TESTS='fs.ext4_*,getpid')")
    return text


def kunit_filter(text):
    """KUNIT_FILTER: suite_glob or suite_glob.case_glob, as kunit.py's
    filter_glob; it is one word of the kernel's command line."""
    if not text:
        return None
    suite, dot, case = text.partition(".")
    if re.search(r"[\s'\"]", text) or not suite or (dot and not case):
        raise WrongForm("want a glob on KUnit suites, or suite_glob.case_glob, "
                        "without spaces or quotes (KUNIT_FILTER='ext4_*' or 'list_sort.*')")
    return text


def kunit_attr(text):
    """KUNIT_ATTR: [(attribute, operation, value)], as kunit.py's --filter
    and the kernel's kunit.filter take them: name<op>value, several
    separated by commas (a space may follow a comma)."""
    if not text:
        return None
    want = ("want attribute<op>value, several separated by commas: speed (very_slow, slow, "
            "normal), module (a name, = or != only) or is_init (true, false); "
            "op one of %s (KUNIT_ATTR='speed>slow')" % " ".join(KUNIT_OPS))
    if re.search(r"['\"]", text):
        raise WrongForm(want)
    filters = []
    for item in text.split(","):
        item = item.lstrip(" ")
        m = re.match(r"^([a-z_]+)(%s)([^\s<>!=]+)$" % "|".join(re.escape(op) for op in KUNIT_OPS), item)
        if not m or m.group(1) not in KUNIT_ATTRS:
            raise WrongForm(want)
        name, op, value = m.groups()
        values = KUNIT_ATTRS[name]
        if values is None and op not in ("=", "!=") or values and value not in values:
            raise WrongForm(want)
        filters.append((name, op, value))
    return filters


def kgrind_mem(text):
    """KGRIND_MEM: (boot, max) MiB of kernel RAM, as harness/lib/kgrind.c
    reads it; None (empty) for the suite's own choice."""
    if not text:
        return None
    boot, comma, most = text.partition(",")
    boot, most = _whole(boot), _whole(most) if comma else _whole(boot)
    want = "want boot[,max], whole MiB with 1 <= boot <= max (KGRIND_MEM=64, KGRIND_MEM=8,256)"
    if not boot or not most:
        raise WrongForm(want)
    if boot > most:
        raise WrongForm("the boot RAM is more than the most it may grow to; " + want)
    return boot, most


def kgrind_cmdline(text, room):
    """KGRIND_CMDLINE: kernel parameters, name or name=value separated by
    spaces, a value with spaces in double quotes, in room characters."""
    if not text:
        return []
    want = 'want kernel parameters, name or name=value separated by spaces (KGRIND_CMDLINE="page_quarantine=0")'
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in text) or text.count('"') % 2:
        raise WrongForm(want)
    # Words as the kernel's next_arg splits them: at spaces outside quotes.
    words = re.findall(r'(?:[^\s"]|"[^"]*")+', text)
    if any(not PARAM_NAME.match(w.split("=", 1)[0]) for w in words):
        raise WrongForm(want)
    if len(text) > room:
        raise WrongForm("%d characters, past the %d the kernel's command line has room for "
                        "besides kgrind's own; %s" % (len(text), room, want))
    return words
