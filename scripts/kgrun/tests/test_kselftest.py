# SPDX-License-Identifier: GPL-2.0
"""make kselftest's claims: which failed points they turn into skips."""
import unittest

import kselftest

CLAIMS = [
    ("core:close_range_test", "global.close_range_unshare*", "CLONE_FILES"),
    ("filesystems/epoll:epoll_wakeup_test", "memcheck/global.epoll6?", "one thread at a time"),
    ("proc:thread-self", "NOT_RUN", "a 4 KiB stack"),
    ("openat2:rename_attack_test", "SLOW_UNDER_MEMCHECK", "800,000 renames"),
]


def failed(suite, mode, *names):
    return {"suite": suite, "mode": mode, "seconds": 1.0,
            "tests": [{"name": n, "status": "fail", "detail": ""} for n in names]}


class Claims(unittest.TestCase):
    def test_a_claimed_failure_is_a_skip_with_its_reason(self):
        r = kselftest.apply_claims(failed("core:close_range_test", "native",
                                          "global.close_range_unshare", "global.core_close_range"),
                                   CLAIMS)
        self.assertEqual([t["status"] for t in r["tests"]], ["skip", "fail"])
        self.assertIn("CLONE_FILES", r["tests"][0]["detail"])

    def test_a_memcheck_claim_holds_under_memcheck_only(self):
        native = kselftest.apply_claims(failed("filesystems/epoll:epoll_wakeup_test", "native",
                                               "global.epoll60"), CLAIMS)
        under = kselftest.apply_claims(failed("filesystems/epoll:epoll_wakeup_test", "memcheck",
                                              "global.epoll60"), CLAIMS)
        self.assertEqual(native["tests"][0]["status"], "fail")
        self.assertEqual(under["tests"][0]["status"], "skip")

    def test_a_program_claim_names_its_kind_exactly(self):
        self.assertEqual(kselftest.program_claim(CLAIMS, "proc:thread-self", kselftest.NOT_RUN),
                         "a 4 KiB stack")
        self.assertIsNone(kselftest.program_claim(CLAIMS, "proc:thread-self", kselftest.SLOW))
        self.assertIsNone(kselftest.program_claim(CLAIMS, "core:close_range_test",
                                                  kselftest.NOT_RUN))


if __name__ == "__main__":
    unittest.main()
