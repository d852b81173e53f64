# SPDX-License-Identifier: GPL-2.0
"""kgrind-run's second wall around the host's files: a Landlock ruleset
that the program's process (and valgrind, and every child) gets before
it starts.  The bridge routes every call of the program to the library
kernel, so the program never names a host file; code the bridge did not
reach (code the program makes at run time, a library loaded later)
would reach the host's system calls directly.  Under this ruleset such
a call can still read, but cannot write, truncate, create, rename or
remove anything outside the places kgrind-run itself writes (the
reports directory, the --disk images, the devices a terminal needs).

Landlock is Linux's unprivileged sandbox (5.13 and later); a host
without it is told so, and the routing alone guards its files."""
import ctypes
import os

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

WRITE_FILE = 1 << 1
REMOVE_DIR, REMOVE_FILE = 1 << 4, 1 << 5
MAKE_CHAR, MAKE_DIR, MAKE_REG, MAKE_SOCK = 1 << 6, 1 << 7, 1 << 8, 1 << 9
MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE = 1 << 13, 1 << 14      # ABI 2, ABI 3

# The only devices a run may open for writing.
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/tty")


class _Ruleset(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def abi():
    """The host's Landlock ABI version, 0 when it has none."""
    version = _libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), None, ctypes.c_size_t(0),
                            ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(version, 0)


def writes(version):
    """Every write right the host's Landlock knows."""
    rights = (WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_CHAR | MAKE_DIR | MAKE_REG |
              MAKE_SOCK | MAKE_FIFO | MAKE_BLOCK | MAKE_SYM)
    if version >= 2:
        rights |= REFER
    if version >= 3:
        rights |= TRUNCATE
    return rights


def _add(ruleset, path, rights):
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        rule = _PathBeneath(rights, fd)
        if _libc.syscall(ctypes.c_long(SYS_ADD_RULE), ctypes.c_int(ruleset),
                         ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule),
                         ctypes.c_uint32(0)) < 0:
            raise OSError(ctypes.get_errno(), "landlock_add_rule " + path)
    finally:
        os.close(fd)


def ruleset(writable_dirs, writable_files):
    """A ruleset fd denying every write on the host but beneath
    writable_dirs and to writable_files; None when the host has no
    Landlock.  Made in the launcher, so a bad path is its error."""
    version = abi()
    if not version:
        return None
    rights = writes(version)
    attr = _Ruleset(rights)
    fd = _libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), ctypes.byref(attr),
                       ctypes.c_size_t(ctypes.sizeof(attr)), ctypes.c_uint32(0))
    if fd < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    file_rights = WRITE_FILE | (TRUNCATE if version >= 3 else 0)
    for path in writable_dirs:
        _add(fd, path, rights)
    for path in list(writable_files) + [d for d in DEVICES if os.path.exists(d)]:
        _add(fd, path, file_rights)
    return fd


def enter(fd):
    """In the child, before exec: the ruleset binds it and all it starts."""
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) or \
            _libc.syscall(ctypes.c_long(SYS_RESTRICT_SELF), ctypes.c_int(fd),
                          ctypes.c_uint32(0)) < 0:
        os.write(2, b"kgrind-run: could not enter the Landlock ruleset\n")
        os._exit(125)
    os.close(fd)
