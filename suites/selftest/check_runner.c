// SPDX-License-Identifier: GPL-2.0
/*
 * Not a suite: the runner's self-test.  Some tests here fail on purpose,
 * and scripts/kgrun/selftest.py checks that the runner reported exactly
 * those, each with its reason, and that the others still ran and passed.
 */
#include <errno.h>
#include <stdlib.h>
#include <CUnit/CUnit.h>
#include "kg_suite.h"

static void test_passes(void)
{
	CU_ASSERT(kg_getpid() > 0);
}

static void test_fails_assert(void)
{
	CU_ASSERT_EQUAL(kg_getpid(), -1);
}

static void test_warns(void)
{
	CU_ASSERT_EQUAL(kg_call("selftest_warn", 0), 0);
}

static void test_use_after_free(void)
{
	kg_call("selftest_page_uaf", 0);
}

static void test_use_after_free_claimed(void)
{
	KG_NEEDS_MEMCHECK();
	kg_call("selftest_page_uaf_claimed", 0);
	CU_ASSERT(kg_memcheck_expect("InvalidRead", "selftest_page_uaf_claimed"));
}

static void *leaked;

static void test_host_leak(void)
{
	leaked = malloc(100);
	CU_ASSERT_PTR_NOT_NULL(leaked);
	leaked = NULL;
}

static void test_crashes(void)
{
	kg_call("selftest_bad_pointer", 8);
}

static void test_after_crash(void)
{
	CU_ASSERT(kg_getpid() > 0);
}

static void test_hangs(void)
{
	kg_call("selftest_hang", 0);
}

static void test_after_hang(void)
{
	CU_ASSERT(kg_getpid() > 0);
}

/*
 * make failsweep's: pass here; the sweep finds the leaky one's leak.
 * Three calls, six fault sites: enough steps for a process to run many.
 */
static void sweep_three_times(const char *fixture)
{
	int i;

	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(kg_call(fixture, 0), 0);
}

static void test_sweep_leaky(void)
{
	sweep_three_times("selftest_sweep_leaky");
}

static void test_sweep_clean(void)
{
	sweep_three_times("selftest_sweep_clean");
}

static CU_TestInfo selftest_tests[] = {
	{ "passes", test_passes },
	{ "fails_assert", test_fails_assert },
	{ "warns", test_warns },
	{ "use_after_free", test_use_after_free },
	{ "use_after_free_claimed", test_use_after_free_claimed },
	{ "host_leak", test_host_leak },
	{ "crashes", test_crashes },
	{ "after_crash", test_after_crash },
	{ "hangs", test_hangs },
	{ "after_hang", test_after_hang },
	{ "sweep_leaky", test_sweep_leaky },
	{ "sweep_clean", test_sweep_clean },
	CU_TEST_INFO_NULL,
};

static const struct kg_suite selftest_suite = {
	.name = "selftest",
	.tests = selftest_tests,
};

int main(int argc, char **argv)
{
	return kg_suite_main(&selftest_suite, argc, argv);
}
