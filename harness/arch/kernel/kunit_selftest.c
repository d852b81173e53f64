// SPDX-License-Identifier: GPL-2.0
/*
 * make kunit-selftest's KUnit suite: cases that fail on purpose, to check
 * that make kunit fails each for its reason (scripts/kgrun/kunit.py's
 * selftest).  They do their harm only with kgrind_kunit_selftest on the
 * command line; the runner leaves the suite out of every other run.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <valgrind/valgrind.h>
#include <asm/kgrind.h>

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

/* A branch on a byte kmalloc left as it found it. */
static void kgrind_selftest_uninit_branch(struct kunit *test)
{
	u8 *p;

	kgrind_selftest_needed(test);
	p = kmalloc(16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	OPTIMIZER_HIDE_VAR(p);
	if (READ_ONCE(p[3]) == 0x5a)
		kunit_info(test, "the byte happened to be 0x5a\n");
	kfree(p);
}

/* One byte past a 13-byte object (its slot is 16). */
static void kgrind_selftest_read_past_end(struct kunit *test)
{
	size_t size = 13;
	char *p;

	kgrind_selftest_needed(test);
	p = kzalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	OPTIMIZER_HIDE_VAR(p);
	KUNIT_EXPECT_EQ(test, READ_ONCE(p[size]), READ_ONCE(p[size]));
	kfree(p);
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

/*
 * Stands for a case that runs past KUnit's 300 s limit under memcheck:
 * the kernel's clock jumps 301 s, KUnit's wait times out and stops the
 * case's thread, and kunit.c marks it skipped with the reason.
 * Natively there is nothing to stand for.
 */
static void kgrind_selftest_past_limit(struct kunit *test)
{
	kgrind_selftest_needed(test);
	if (!RUNNING_ON_VALGRIND)
		kunit_skip(test, "stands for a case slow under memcheck only");
	kgrind_clock_advance(301ULL * NSEC_PER_SEC);
	while (!kthread_should_stop())
		msleep(10);
}

static struct kunit_case kgrind_selftest_cases[] = {
	KUNIT_CASE(kgrind_selftest_clean),
	KUNIT_CASE(kgrind_selftest_leak),
	KUNIT_CASE(kgrind_selftest_uninit_branch),
	KUNIT_CASE(kgrind_selftest_read_past_end),
	KUNIT_CASE(kgrind_selftest_past_limit),
	KUNIT_CASE(kgrind_selftest_crash),
	KUNIT_CASE(kgrind_selftest_after_crash),
	{}
};

static struct kunit_suite kgrind_selftest_suite = {
	.name = "kgrind_kunit_selftest",
	.test_cases = kgrind_selftest_cases,
};
kunit_test_suite(kgrind_selftest_suite);
