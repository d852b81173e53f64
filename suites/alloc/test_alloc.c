// SPDX-License-Identifier: GPL-2.0
/*
 * The detection suite: kernel fixtures (alloc_fixtures.c) commit memory
 * bugs on purpose, and each test asserts that memcheck reported that bug,
 * of its class, with the fixture in the report's stack.  Natively these
 * tests are skipped: only memcheck can see the bugs.  The "no report"
 * tests run both ways; under memcheck any report fails them.
 */
#include <errno.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "kg_suite.h"

/* Runs a fixture that commits a bug and checks memcheck's report of it. */
static void expect_report(const char *fixture, long arg, const char *kind)
{
	kg_call(fixture, arg);
	if (!kg_memcheck_expect(kind, fixture))
		CU_FAIL_FATAL("memcheck did not report the fixture's bug");
}

static void test_page_use_after_free_read(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("alloc_page_uaf_read", 1, "InvalidRead");
}

static void test_page_use_after_free_write(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("alloc_page_uaf_write", 1, "InvalidWrite");
}

static void test_page_out_of_bounds(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("alloc_page_oob_right", 0, "InvalidRead");
}

static void test_page_uninitialised(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("alloc_page_uninit", 3, "UninitCondition");
}

static void test_page_zeroed_no_report(void)
{
	CU_ASSERT_EQUAL(kg_call("alloc_page_zeroed", 3), 1);
}

static void test_infoleak_copy_to_user(void)
{
	char buf[16];

	KG_NEEDS_MEMCHECK();
	CU_ASSERT_EQUAL(kg_call("alloc_infoleak", (long)buf), 16);
	CU_ASSERT(kg_memcheck_expect("ClientCheck", "alloc_infoleak"));
}

static void test_copy_to_user_no_infoleak(void)
{
	char buf[16];

	CU_ASSERT_EQUAL(kg_call("alloc_no_infoleak", (long)buf), 16);
	CU_ASSERT_EQUAL(buf[0], 'k');
	CU_ASSERT_EQUAL(buf[1], 0);
}

static CU_TestInfo alloc_tests[] = {
	{ "page_use_after_free_read", test_page_use_after_free_read },
	{ "page_use_after_free_write", test_page_use_after_free_write },
	{ "page_out_of_bounds", test_page_out_of_bounds },
	{ "page_uninitialised", test_page_uninitialised },
	{ "page_zeroed_no_report", test_page_zeroed_no_report },
	{ "infoleak_copy_to_user", test_infoleak_copy_to_user },
	{ "copy_to_user_no_infoleak", test_copy_to_user_no_infoleak },
	CU_TEST_INFO_NULL,
};

static const struct kg_suite alloc_suite = {
	.name = "alloc",
	.tests = alloc_tests,
};

int main(int argc, char **argv)
{
	return kg_suite_main(&alloc_suite, argc, argv);
}
