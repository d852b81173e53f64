// SPDX-License-Identifier: GPL-2.0
/*
 * make kunit-selftest's KUnit suite: cases that fail on purpose, to check
 * that make kunit fails each for its reason (scripts/kgrun/kunit.py's
 * selftest).  They do their harm only with kgrind_kunit_selftest on the
 * command line; the runner leaves the suite out of every other run.
 */
#include <kunit/test.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

static bool kgrind_kunit_selftest;
core_param(kgrind_kunit_selftest, kgrind_kunit_selftest, bool, 0444);

static void kgrind_selftest_needed(struct kunit *test)
{
	if (!kgrind_kunit_selftest)
		kunit_skip(test, "make kunit-selftest's own case");
}

static void kgrind_selftest_clean(struct kunit *test)
{
	void *p;

	kgrind_selftest_needed(test);
	p = kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kfree(p);
}

/* An object that points to itself, dropped: memcheck's definite leak. */
static void kgrind_selftest_leak(struct kunit *test)
{
	struct list_head *leak;

	kgrind_selftest_needed(test);
	leak = kmalloc(sizeof(*leak), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, leak);
	INIT_LIST_HEAD(leak);
}

static void kgrind_selftest_use_after_free(struct kunit *test)
{
	int *p;

	kgrind_selftest_needed(test);
	p = kmalloc(sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	*p = 1;
	kfree(p);
	KUNIT_EXPECT_EQ(test, READ_ONCE(*p), READ_ONCE(*p));
}

/* A bad pointer: a host signal without an MMU, which ends the process. */
static void kgrind_selftest_crash(struct kunit *test)
{
	kgrind_selftest_needed(test);
	WRITE_ONCE(*(int *)16, 1);
}

/* Runs in a fresh process after the crash, and passes. */
static void kgrind_selftest_after_crash(struct kunit *test)
{
	kgrind_selftest_needed(test);
	KUNIT_EXPECT_TRUE(test, true);
}

static struct kunit_case kgrind_selftest_cases[] = {
	KUNIT_CASE(kgrind_selftest_clean),
	KUNIT_CASE(kgrind_selftest_leak),
	KUNIT_CASE(kgrind_selftest_use_after_free),
	KUNIT_CASE(kgrind_selftest_crash),
	KUNIT_CASE(kgrind_selftest_after_crash),
	{}
};

static struct kunit_suite kgrind_selftest_suite = {
	.name = "kgrind_kunit_selftest",
	.test_cases = kgrind_selftest_cases,
};
kunit_test_suite(kgrind_selftest_suite);
