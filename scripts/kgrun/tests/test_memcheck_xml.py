# SPDX-License-Identifier: GPL-2.0
"""memcheck_xml.py over XML memcheck wrote for suites/selftest: a whole
file, one whose valgrind was killed (SIGKILL while a test hung), and one
cut inside an error, as a killed valgrind leaves it mid-write.  The
reader keeps every whole error, the last one too, and skips the cut one."""
import unittest

from tests import data

import memcheck_xml

WHOLE = data("memcheck", "selftest.memcheck.xml")
KILLED = data("memcheck", "killed.memcheck.xml")
CUT = data("memcheck", "cut.memcheck.xml")
BOOT_LEAKS = ["Leak_DefinitelyLost"] * 4    # the kernel's at boot, on purpose
HOST_LEAK = "test_host_leak (check_runner.c:43)"


class WholeFile(unittest.TestCase):
    def setUp(self):
        self.errors = memcheck_xml.read_errors(WHOLE)

    def test_the_errors_while_it_ran(self):
        self.assertEqual([e["kind"] for e in self.errors], BOOT_LEAKS + [
            "InvalidRead", "InvalidRead", "Leak_DefinitelyLost", "InvalidRead"])

    def test_an_error_as_data(self):
        uaf = self.errors[4]
        self.assertEqual(uaf["what"], "Invalid read of size 8")
        self.assertEqual(uaf["stacks"][0][:2], ["read_freed_page (selftest_fixtures.c:32)",
                                                "selftest_page_uaf (selftest_fixtures.c:42)"])
        self.assertEqual(len(uaf["stacks"]), 3)
        self.assertEqual(uaf["auxwhat"], ["Address 0x5eca000 is 0 bytes inside a block of size"
                                          " 4,096 free'd", "Block was alloc'd at"])
        self.assertEqual(uaf["leaked"], 0)
        leak = self.errors[6]
        self.assertEqual(leak["leaked"], 100)
        self.assertEqual(leak["what"], "100 (+100) bytes in 1 (+1) blocks are definitely lost"
                                       " in loss record 278 of 1,158")
        # A frame without a file names its object.
        self.assertEqual(leak["stacks"][0][:2], [
            "malloc (/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)", HOST_LEAK])

    def test_the_leak_check_at_exit_apart(self):
        at_exit = memcheck_xml.read_errors(WHOLE, at_exit=True)
        self.assertEqual(len(at_exit), 6)
        self.assertEqual({e["kind"] for e in at_exit}, {"Leak_DefinitelyLost"})

    def test_render(self):
        text = memcheck_xml.render(self.errors[4:5])
        self.assertTrue(text.startswith(
            "InvalidRead: Invalid read of size 8\n"
            "   at read_freed_page (selftest_fixtures.c:32)\n"
            "   by selftest_page_uaf (selftest_fixtures.c:42)\n"), text)
        self.assertIn("\n Address 0x5eca000 is 0 bytes inside a block of size 4,096 free'd\n"
                      "   at ", text)
        self.assertIn("\n Block was alloc'd at\n   at ", text)
        self.assertTrue(text.endswith("\n"))
        self.assertEqual(memcheck_xml.render([]), "")


class KilledValgrind(unittest.TestCase):
    def test_killed_while_a_test_hung(self):
        errors = memcheck_xml.read_errors(KILLED)
        self.assertEqual([e["kind"] for e in errors], BOOT_LEAKS + [
            "InvalidRead", "Leak_DefinitelyLost"])
        self.assertIn(HOST_LEAK, errors[-1]["stacks"][0])
        # No FINISHED: memcheck never ran its leak check at exit.
        self.assertEqual(memcheck_xml.read_errors(KILLED, at_exit=True), [])

    def test_cut_inside_an_error_keeps_the_last_whole_one(self):
        errors = memcheck_xml.read_errors(CUT)
        whole = memcheck_xml.read_errors(WHOLE)
        self.assertEqual(errors, whole[:7])
        self.assertEqual(errors[-1]["kind"], "Leak_DefinitelyLost")
        self.assertEqual(errors[-1]["leaked"], 100)
        self.assertIn(HOST_LEAK, errors[-1]["stacks"][0])
        self.assertEqual(memcheck_xml.read_errors(CUT, at_exit=True), [])

    def test_no_file(self):
        self.assertEqual(memcheck_xml.read_errors(data("memcheck", "none.xml")), [])
        self.assertEqual(memcheck_xml.read_client_messages(data("memcheck", "none.xml")), [])


class ClientMessages(unittest.TestCase):
    def test_fault_injected(self):
        messages = memcheck_xml.read_client_messages(data("memcheck", "sweep_leaky.2.memcheck.xml"))
        self.assertEqual([m["text"] for m in messages],
                         ["kgrind: fault injected: failslab (fail-nth 2)"])
        self.assertEqual(messages[0]["stack"][3:6], [
            "kgslab_alloc (slab.c:447)", "kmalloc_noprof (slab.h:894)",
            "selftest_two_allocations (selftest_fixtures.c:86)"])


if __name__ == "__main__":
    unittest.main()
