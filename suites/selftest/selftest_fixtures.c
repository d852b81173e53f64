// SPDX-License-Identifier: GPL-2.0
/*
 * Faults on purpose, for the runner's self-test (check_runner.c): each
 * must fail exactly the test that commits it.
 */
#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <asm/kgrind_fixture.h>

static long selftest_warn(long arg)
{
	WARN(1, "kgrind selftest: deliberate warning\n");
	return 0;
}
KG_FIXTURE("selftest_warn", selftest_warn);

/* Reads a page after freeing it: memcheck must see free pages no-access. */
static __always_inline long read_freed_page(int index)
{
	struct page *page = alloc_page(GFP_KERNEL);
	long *word;

	if (!page)
		return -ENOMEM;
	word = page_address(page);
	WRITE_ONCE(word[index], 1);
	__free_page(page);
	return READ_ONCE(word[index]);
}

/*
 * Two fixtures, so that memcheck prints each report (it prints a stack
 * once).  The read is inlined so that the fixture is the reporting frame,
 * and reads a different word in each so that gcc does not fold the two.
 */
static long selftest_page_uaf(long arg)
{
	return read_freed_page(0);
}
KG_FIXTURE("selftest_page_uaf", selftest_page_uaf);

static long selftest_page_uaf_claimed(long arg)
{
	return read_freed_page(1);
}
KG_FIXTURE("selftest_page_uaf_claimed", selftest_page_uaf_claimed);

/* Without an MMU a bad kernel pointer is a host fault: the process dies. */
static long selftest_bad_pointer(long arg)
{
	return *(volatile long *)arg;
}
KG_FIXTURE("selftest_bad_pointer", selftest_bad_pointer);

/* Never returns: the runner's watchdog must end it. */
static long selftest_hang(long arg)
{
	for (;;)
		schedule_timeout_uninterruptible(MAX_SCHEDULE_TIMEOUT);
	return 0;
}
KG_FIXTURE("selftest_hang", selftest_hang);
