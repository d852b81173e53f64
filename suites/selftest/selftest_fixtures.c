// SPDX-License-Identifier: GPL-2.0
/*
 * Faults on purpose, for the runner's self-test (check_runner.c): each
 * must fail exactly the test that commits it.
 */
#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
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

/*
 * make failsweep's self-test: two allocations, the second failing only
 * when the sweep fails it.  The leaky one forgets the first on that
 * path (an object that points to itself, as real ones do); the clean one
 * frees it.  Neither leaks when nothing fails.
 */
struct selftest_pair {
	struct list_head link;
	void *second;
};

static long selftest_two_allocations(bool free_first_on_failure)
{
	struct selftest_pair *first = kmalloc(sizeof(*first), GFP_KERNEL);

	if (!first)
		return -ENOMEM;
	INIT_LIST_HEAD(&first->link);
	first->second = kmalloc(64, GFP_KERNEL);
	if (!first->second) {
		if (free_first_on_failure)
			kfree(first);
		return -ENOMEM;
	}
	kfree(first->second);
	kfree(first);
	return 0;
}

static long selftest_sweep_leaky(long arg)
{
	return selftest_two_allocations(false);
}
KG_FIXTURE("selftest_sweep_leaky", selftest_sweep_leaky);

static long selftest_sweep_clean(long arg)
{
	return selftest_two_allocations(true);
}
KG_FIXTURE("selftest_sweep_clean", selftest_sweep_clean);

/* make kselftest's self-test: one byte read past a kmalloc'd object. */
static long selftest_read_past_kmalloc(long arg)
{
	size_t size = 23;
	char *ptr = kmalloc(size, GFP_KERNEL);
	long value;

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	value = READ_ONCE(ptr[size + arg]);
	kfree(ptr);
	return value & 0;
}
KG_FIXTURE("selftest_read_past_kmalloc", selftest_read_past_kmalloc);
