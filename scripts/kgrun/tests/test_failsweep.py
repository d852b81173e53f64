# SPDX-License-Identifier: GPL-2.0
"""The failure sweep without a kernel: what counts in a step
(failsweep_findings.py, over the details and the XML make failsweep
recorded for suites/selftest), the shards' reports merged into the one
an unsharded run wrote, known-bug marking, and the reports."""
import argparse
import contextlib
import io
import json
import os
import shutil
import tempfile
import unittest

from tests import data, read_data

import failsweep
import failsweep_findings as findings
import failsweep_report as report
import memcheck_xml

LEAKY = "selftest.sweep_leaky"
LEAK_KEY = "Leak_DefinitelyLost at selftest_two_allocations"
SITE = "selftest_two_allocations (selftest_fixtures.c:86)"


def load(*path):
    with open(data(*path)) as f:
        return json.load(f)


def shards():
    return [load("failsweep", "failsweep-shard-%d-of-3.json" % i) for i in (1, 2, 3)]


def step_result():
    """sweep_leaky's result in its step N=2, as the suite binary wrote it."""
    events = [json.loads(line) for line in read_data("results", "sweep_leaky.2.events").splitlines()]
    return [e for e in events if e["event"] == "result" and e["name"] == "sweep_leaky"][-1]


class FrameList(unittest.TestCase):
    """The frames that say nothing of a bug: the C runner's list
    (harness/lib/uninformative_frames.h), read as data."""

    def test_the_c_runners_list_is_read(self):
        rules = findings.read_frame_list()
        self.assertIn("kgslab_", rules["PREFIX"])
        self.assertIn("free_unref_page", rules["NAME"])
        self.assertIn("page_ref.h", rules["FILE"])
        self.assertIn("kg_kernel_", rules["ENTRY"])

    def test_kernel_frames_skip_the_list_and_stop_at_the_entry(self):
        stack = ["kgslab_alloc (slab.c:466)", "__kmalloc_noprof (slab.c:692)",
                 "free_unref_page.part.0 (page_alloc.c:2650)",
                 "page_ref_dec_and_test (page_ref.h:210)",
                 "ext4_fill_super (super.c:5512)", "get_tree_bdev (super.c:1600)",
                 "kg_kernel_call (entry.c:400)", "test_mount (test_fs.c:12)"]
        self.assertEqual(findings.kernel_frames(stack),
                         ["ext4_fill_super (super.c:5512)", "get_tree_bdev (super.c:1600)"])


class FindingsOf(unittest.TestCase):
    """What findings_of makes of each failed test of suites/selftest under
    memcheck: its memcheck reports from the C runner's data, and a kernel
    fault, crash or hang from the first line of its failure."""

    def findings(self):
        result = load("results", "selftest.memcheck.result.json")
        return {t["name"]: findings.findings_of(t) for t in result["tests"]
                if t["status"] == "fail"}

    def test_memcheck_reports_keyed_by_their_kernel_frames(self):
        got = self.findings()
        (kind, key, text), = got["use_after_free"]
        self.assertEqual((kind, key), ("InvalidRead", "InvalidRead at read_freed_page"))
        self.assertEqual(text.splitlines()[0], "memcheck InvalidRead: Invalid read of size 8")
        # The report, its stack's 4 frames, the freed block and its 3.
        self.assertEqual(len(text.splitlines()), 9)
        # A leak is keyed by two frames, without its loss record.
        (kind, key, text), = got["host_leak"]
        self.assertEqual((kind, key), ("Leak_DefinitelyLost",
                                       "Leak_DefinitelyLost at malloc < test_host_leak"))
        self.assertEqual(text.splitlines()[0], "memcheck Leak_DefinitelyLost: 100 (+100) bytes"
                                               " in 1 (+1) blocks are definitely lost")

    def test_faults_crashes_and_hangs_from_the_first_line(self):
        got = self.findings()
        self.assertEqual([(k, key) for k, key, _ in got["crashes"]], [
            ("crash", "crash: Oops: host signal # (Segmentation fault) at address #")])
        self.assertEqual([(k, key) for k, key, _ in got["hangs"]], [
            ("hang", "hang: timed out after # s (hung kernel or test)")])
        self.assertEqual([(k, key) for k, key, _ in got["warns"]], [
            ("kernel fault", "kernel fault: WARNING: CPU: # PID: # at "
             "arch/kgrind/fixtures/selftest/selftest_fixtures.c:# #")])
        self.assertEqual([(k, key) for k, key, _ in got["fails_assert"]], [
            ("kernel fault", "kernel fault: check_runner.c:#: CU_ASSERT_EQUAL(kg_getpid(),-#)")])
        self.assertEqual(got["hangs"][0][2].splitlines()[0],
                         "timed out after 20 s (hung kernel or test)")

    def test_a_sweep_steps_finding(self):
        found = findings.step_findings([step_result()])
        self.assertEqual([(f["entry"], f["kind"], f["key"]) for f in found],
                         [("sweep_leaky", "Leak_DefinitelyLost", LEAK_KEY)])
        self.assertNotIn("loss record", found[0]["text"])
        self.assertEqual(findings.step_findings([dict(step_result(), status="pass")]), [])

    def test_the_failed_allocation_of_each_injected_fault(self):
        messages = memcheck_xml.read_client_messages(data("memcheck", "sweep_leaky.2.memcheck.xml"))
        self.assertEqual(findings.injected_sites(messages), {2: [[SITE]]})
        stack = messages[0]["stack"]
        self.assertEqual(findings.kernel_frames(stack), [SITE])
        self.assertEqual(findings.failed_site(stack + ["kgrind_entry_run (entry.c:152)"]), [SITE])


def sweep_args(**kw):
    args = dict(reports=tempfile.gettempdir(), tests="", nth="", shard="", timeout=0,
                valgrind="", known="", fresh=False)
    args.update(kw)
    return argparse.Namespace(**args)


class Record(unittest.TestCase):
    def test_a_recorded_step_is_the_reports_finding(self):
        sweep = failsweep.Sweep(sweep_args())
        messages = memcheck_xml.read_client_messages(data("memcheck", "sweep_leaky.2.memcheck.xml"))
        sites = findings.injected_sites(messages)
        sweep.record(failsweep.Step(LEAKY, 2, injected=1, sites=sites[2], processes=1,
                                    findings=findings.step_findings([step_result()])))
        doc = sweep.document(1.0)
        want = load("failsweep", "unsharded.json")["findings"][0]
        got = doc["findings"][0]
        for key in ("site", "key", "kind", "text", "first", "reports"):
            self.assertEqual(got[key], want[key], key)
        self.assertEqual(got["hits"], [[LEAKY, 2, "sweep_leaky"]])
        self.assertEqual(doc["tests"], [{"test": LEAKY, "steps": 1, "sites": 2, "faults": 1,
                                         "findings": 1, "failed_sites": [SITE],
                                         "step_sites": [[2, SITE]]}])

    def test_lanes_of_a_shard(self):
        sweep = failsweep.Sweep(sweep_args(shard="2/3", nth="5-30"))
        self.assertEqual(list(sweep.lane(0, 2)), [8, 14, 20, 26])
        self.assertEqual(list(sweep.lane(1, 2)), [5, 11, 17, 23, 29])
        whole = failsweep.Sweep(sweep_args())
        self.assertEqual(list(whole.lane(0, 1))[-1], failsweep.LAST_STEP)

    def test_nth_from_a_step_sweeps_on_from_it(self):
        # The report's "more with NTH=401-" must run the steps past 400.
        more = failsweep.Sweep(sweep_args(nth="401-"))
        steps = list(more.lane(0, 1))
        self.assertEqual((steps[0], steps[-1]), (401, 400 + failsweep.LAST_STEP))
        self.assertEqual(list(failsweep.Sweep(sweep_args(nth="7")).lane(0, 1))[:2], [7, 8])
        self.assertEqual(list(failsweep.Sweep(sweep_args(nth="2-2")).lane(0, 1)), [2])


class Merge(unittest.TestCase):
    def test_merged_shards_say_what_one_run_does(self):
        merged = report.merge(shards())
        one = load("failsweep", "unsharded.json")
        for key in ("tests", "findings", "steps", "interrupted", "last_step"):
            self.assertEqual(merged[key], one[key], key)
        self.assertEqual(merged["shard"], "merged from 3")

    def test_the_merge_is_failsweep_merges(self):
        merged = report.merge(shards())
        report.mark_known(merged, [])
        self.assertEqual(merged, load("failsweep", "merged.json"))
        self.assertEqual(report.text_report(merged), read_data("failsweep", "merged.txt"))

    def test_the_first_hit_names_the_text_whichever_shard_came_first(self):
        merged = report.merge(list(reversed(shards())))
        self.assertEqual(merged["findings"][0]["first"], [LEAKY, 2])
        self.assertEqual(merged["findings"][0]["hits"],
                         [[LEAKY, 2, "sweep_leaky"], [LEAKY, 4, "sweep_leaky"],
                          [LEAKY, 6, "sweep_leaky"]])


class KnownBugs(unittest.TestCase):
    def setUp(self):
        self.reports = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.reports)

    def write(self, doc, known):
        said = io.StringIO()
        with contextlib.redirect_stdout(said):
            status = report.write_reports(doc, self.reports, "failsweep", known)
        return status, said.getvalue()

    def test_read_known(self):
        known = report.read_known(data("failsweep", "known.txt"))
        self.assertEqual([k[:2] for k in known], [
            ("proc_create_data", "fs/proc/generic.c"),
            ("selftest_two_allocations", LEAK_KEY)])
        self.assertEqual(report.read_known(""), [])
        self.assertEqual(report.read_known(data("failsweep", "none.txt")), [])

    def test_a_known_finding_does_not_fail_the_sweep(self):
        status, text = self.write(report.merge(shards()),
                                  report.read_known(data("failsweep", "known.txt")))
        self.assertEqual(status, 0)
        self.assertIn("finding 1 (KNOWN: known bug: on purpose (suites/selftest/check_runner.c,"
                      " sweep_leaky)): " + LEAK_KEY, text)
        self.assertTrue(text.endswith("1 finding(s), 0 new, 1 known\n"))
        with open(os.path.join(self.reports, "failsweep.junit.xml")) as f:
            junit = f.read()
        self.assertIn('failures="0"', junit)
        self.assertIn('<skipped message="known: known bug: on purpose', junit)
        with open(os.path.join(self.reports, "failsweep.json")) as f:
            self.assertEqual(json.load(f)["findings"][0]["known"],
                             "known bug: on purpose (suites/selftest/check_runner.c, sweep_leaky)")

    def test_a_new_finding_fails_it(self):
        status, text = self.write(report.merge(shards()), [])
        self.assertEqual(status, 1)
        self.assertEqual(text, read_data("failsweep", "merged.txt"))
        with open(os.path.join(self.reports, "failsweep.txt")) as f:
            self.assertEqual(f.read(), text)

    def test_an_interrupted_sweep(self):
        doc = dict(report.merge(shards()), interrupted=True)
        status, text = self.write(doc, report.read_known(data("failsweep", "known.txt")))
        self.assertEqual(status, 130)
        self.assertIn("\nINTERRUPTED: the sweep was stopped", text)

    def test_merge_without_shards(self):
        said = io.StringIO()
        with contextlib.redirect_stdout(said):
            status = failsweep.cmd_failsweep_merge(argparse.Namespace(
                reports=self.reports, known="", shards=[]))
        self.assertEqual(status, 2)
        self.assertIn("no shard reports", said.getvalue())


if __name__ == "__main__":
    unittest.main()
