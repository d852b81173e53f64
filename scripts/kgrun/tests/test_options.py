# SPDX-License-Identifier: GPL-2.0
"""The forms of make's options (options.py): what each takes and what it
refuses; make's check of them by goal (scripts/check-options.py); the
runner's command line answering a wrong one in one line of argparse's,
no traceback; and the runner's check that each glob of TESTS matches."""
import contextlib
import importlib.util
import io
import os
import subprocess
import sys
import unittest
from unittest import mock

from tests import RUNNER

import options

TOP = os.path.dirname(os.path.dirname(RUNNER))
FAKE = os.path.join(RUNNER, "tests", "fake_suite.py")


def load_check_options():
    spec = importlib.util.spec_from_file_location(
        "check_options", os.path.join(TOP, "scripts", "check-options.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_options = load_check_options()


class Forms(unittest.TestCase):
    def assertWrong(self, read, *values):
        for value in values:
            with self.assertRaises(options.WrongForm, msg=repr(value)):
                read(value)

    def test_nth(self):
        self.assertEqual(options.nth(""), None)
        self.assertEqual(options.nth("5"), (5, None))
        self.assertEqual(options.nth("401-"), (401, None))
        self.assertEqual(options.nth("2-2"), (2, 2))
        self.assertEqual(options.nth("55-61"), (55, 61))
        self.assertWrong(options.nth, "abc", "5-2", "0", "0-3", "-40", "5-x", "1-2-3", " 5", "1.5")

    def test_shard(self):
        self.assertEqual(options.shard(""), None)
        self.assertEqual(options.shard("2/8"), (2, 8))
        self.assertEqual(options.shard("1/1"), (1, 1))
        self.assertWrong(options.shard, "x", "3/2", "0/2", "2", "2/", "/2", "1/0", "a/b")

    def test_seconds_and_counts(self):
        self.assertEqual(options.seconds("0"), 0)
        self.assertEqual(options.seconds("300"), 300)
        self.assertWrong(options.seconds, "", "abc", "-1", "1.5", "10s")
        self.assertEqual(options.repeats(""), None)
        self.assertWrong(options.repeats, "0", "ten")

    def test_modes_and_flags(self):
        self.assertEqual(options.mode(""), None)
        self.assertEqual(options.mode("memcheck"), "memcheck")
        self.assertWrong(options.mode, "both", "Native", "native memcheck")
        self.assertEqual(options.modes("native memcheck"), ["native", "memcheck"])
        self.assertWrong(options.modes, "", "valgrind")
        self.assertTrue(options.flag("1"))
        self.assertFalse(options.flag(""))
        self.assertWrong(options.flag, "0", "yes", "no")

    def test_test_globs(self):
        self.assertEqual(options.test_globs("fs.ext4_*,getpid"), "fs.ext4_*,getpid")
        self.assertWrong(options.test_globs, "fs.a, fs.b", "it's")

    def test_kunit_filter(self):
        self.assertEqual(options.kunit_filter(""), None)
        self.assertEqual(options.kunit_filter("list_sort.*"), "list_sort.*")
        self.assertEqual(options.kunit_filter("ext4_*"), "ext4_*")
        self.assertWrong(options.kunit_filter, "a b", ".case", "suite.", 'x"y', "it's")

    def test_kunit_attr(self):
        self.assertEqual(options.kunit_attr(""), None)
        self.assertEqual(options.kunit_attr("speed>slow"), [("speed", ">", "slow")])
        self.assertEqual(options.kunit_attr("speed>slow, module=kunit_example_test"),
                         [("speed", ">", "slow"), ("module", "=", "kunit_example_test")])
        self.assertEqual(options.kunit_attr("is_init!=true,speed<=normal"),
                         [("is_init", "!=", "true"), ("speed", "<=", "normal")])
        self.assertWrong(options.kunit_attr, "speed", "speed>fast", "size=1", "module<x",
                         "is_init=maybe", "speed > slow", "speed>slow,", "speed=>slow",
                         'module="x"')

    def test_kgrind_mem(self):
        self.assertEqual(options.kgrind_mem(""), None)
        self.assertEqual(options.kgrind_mem("64"), (64, 64))
        self.assertEqual(options.kgrind_mem("8,256"), (8, 256))
        self.assertWrong(options.kgrind_mem, "abc", "12Q", "0", "8,", ",8", "256,8", "8,0", "1.5")

    def test_kgrind_cmdline(self):
        self.assertEqual(options.kgrind_cmdline("", 10), [])
        self.assertEqual(options.kgrind_cmdline("slab_quarantine=16M page_quarantine=0", 100),
                         ["slab_quarantine=16M", "page_quarantine=0"])
        self.assertEqual(options.kgrind_cmdline('kunit.filter="a, b" nokaslr', 100),
                         ['kunit.filter="a, b"', "nokaslr"])
        self.assertWrong(lambda text: options.kgrind_cmdline(text, 100),
                         'a="b', "=5", "a\nb", "x$y=1")
        self.assertWrong(lambda text: options.kgrind_cmdline(text, 10), "page_quarantine=0")


class MakesCheck(unittest.TestCase):
    """check-options.py: the goals that read an option check it."""

    def wrong(self, goals, **given):
        return check_options.wrong_option(set(goals.split()), given)

    def test_the_line_names_the_option_the_value_and_the_form(self):
        line = self.wrong("failsweep", NTH="5-2")
        self.assertTrue(line.startswith("kgrind: NTH=5-2: the range ends before it begins; want N"), line)
        line = self.wrong("failsweep", SHARD="3/2")
        self.assertTrue(line.startswith("kgrind: SHARD=3/2: share 3 of 2 does not exist; want i/N"), line)
        self.assertEqual(self.wrong("memcheck", TIMEOUT=""),
                         "kgrind: TIMEOUT='': want a whole number of seconds, 0 for no limit (such as 300)")
        self.assertIn("KGRIND_MEM=12Q: want boot[,max]", self.wrong("native", KGRIND_MEM="12Q"))

    def test_an_option_the_goals_do_not_read_is_not_checked(self):
        self.assertIsNone(self.wrong("memcheck", NTH="abc", MODE="both"))
        self.assertIsNone(self.wrong("help clean", TIMEOUT="abc", KGRIND_MEM="abc"))
        self.assertIn("MODE=both", self.wrong("memcheck kunit", MODE="both"))
        self.assertIn("TIMEOUT=x", self.wrong("run-memcheck-fs", TIMEOUT="x"))

    def test_right_forms_pass(self):
        self.assertIsNone(self.wrong(
            "failsweep kunit", NTH="1-40", SHARD="2/8", TIMEOUT="0", FRESH="1", MODE="native",
            KUNIT_FILTER="ext4_*", KUNIT_ATTR="speed>slow", KGRIND_MEM="8,256",
            KGRIND_CMDLINE="page_quarantine=0", KSRC="", SUPP=""))

    def test_a_file_option_names_no_file(self):
        self.assertIn("SUPP=/nonexistent.supp: no such file",
                      self.wrong("memcheck", SUPP="/nonexistent.supp"))
        self.assertIn("KSRC=/nonexistent: no such directory", self.wrong("all", KSRC="/nonexistent"))

    def test_kunit_leaves_kgrind_cmdline_less_room(self):
        text = "x=" + "1" * (check_options.COMMAND_LINE_ROOM - 2)
        self.assertIsNone(self.wrong("memcheck", KGRIND_CMDLINE=text))
        self.assertIn("characters, past the", self.wrong("kunit", KGRIND_CMDLINE=text))
        self.assertIn("characters, past the", self.wrong("memcheck", KGRIND_CMDLINE=text + "1"))


class RunnersCommandLine(unittest.TestCase):
    """A wrong argument is argparse's one error line and exit 2."""

    def kgrun(self, *args):
        return subprocess.run([sys.executable, RUNNER] + list(args), capture_output=True,
                              text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))

    def test_wrong_arguments(self):
        for args, name in ((["failsweep", "--reports", "/nonexistent", "--nth", "abc", "s=b"], "--nth"),
                           (["failsweep", "--reports", "/nonexistent", "--shard", "3/2", "s=b"], "--shard"),
                           (["run", "--suite", "s", "--bin", "b", "--mode", "native",
                             "--reports", "/nonexistent", "--timeout", "abc"], "--timeout"),
                           (["kunit", "--bin", "b", "--reports", "/nonexistent", "--kunit-py", "k",
                             "--attr", "speed>fast"], "--attr")):
            proc = self.kgrun(*args)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertNotIn("Traceback", proc.stderr)
            self.assertIn("error: argument %s: " % name, proc.stderr.splitlines()[-1])
            self.assertIn("want", proc.stderr.splitlines()[-1])


class TestsCheck(unittest.TestCase):
    """kgrun check: each glob of TESTS must match a test of the suites."""

    def check(self, tests):
        spec = importlib.util.spec_from_file_location("kgrun_main", os.path.join(RUNNER, "__main__.py"))
        kgrun = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(kgrun)
        said = io.StringIO()
        args = mock.Mock(tests=tests, bins=[FAKE])
        with mock.patch.dict(os.environ, FAKE_TESTS="setup:pass,getpid:pass,halt:pass"), \
                contextlib.redirect_stderr(said):
            return kgrun.cmd_check(args), said.getvalue().splitlines()

    def test_every_glob_matches(self):
        self.assertEqual(self.check("getpid"), (0, []))

    def test_a_glob_that_matches_nothing_is_named_with_the_tests(self):
        status, said = self.check("getpid,nosuch")
        self.assertEqual(status, 2)
        self.assertEqual(said[0], "kgrind: no test matches 'nosuch' of TESTS='getpid,nosuch'. The tests are:")
        self.assertIn("  fake.getpid", said)
        status, said = self.check("nosuch")
        self.assertEqual(said[0], "kgrind: no test matches TESTS='nosuch'. The tests are:")
