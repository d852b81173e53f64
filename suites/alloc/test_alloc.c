// SPDX-License-Identifier: GPL-2.0
/*
 * The detection suite: kernel fixtures (alloc_fixtures.c) commit memory
 * bugs on purpose, and each test asserts that memcheck reported that bug,
 * of its class, with the fixture in the report's stack.  Natively these
 * tests are skipped: only memcheck can see the bugs.  The "no report"
 * tests run both ways; under memcheck any report fails them.
 */
#include <errno.h>
#include <stdlib.h>
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

/*
 * For bugs memcheck sees at several places (a memcpy's loads, a cache
 * used after destroy): all reports of the kind naming the fixture are
 * its own, and there must be one.
 */
static void expect_reports(const char *fixture, long arg, const char *kind)
{
	int n = 0;

	kg_call(fixture, arg);
	while (kg_memcheck_expect(kind, fixture))
		n++;
	if (!n)
		CU_FAIL_FATAL("memcheck did not report the fixture's bug");
}

/*
 * An uninitialised value printed: one report, where vsprintf decides on
 * it (or, for a char, where the text is checked), and nothing more in
 * this test or any later one.
 */
static void expect_one_report(const char *fixture, const char *kind)
{
	KG_NEEDS_MEMCHECK();
	CU_ASSERT_EQUAL(kg_call(fixture, 5), 5);
	if (!kg_memcheck_expect(kind, fixture))
		CU_FAIL_FATAL("memcheck did not report the value printed");
	CU_ASSERT(!kg_memcheck_expect(kind, fixture));
}

static void test_printk_uninit_int(void)
{
	expect_one_report("printk_uninit_int", "UninitCondition");
}

static void test_printk_uninit_hex(void)
{
	expect_one_report("printk_uninit_hex", "UninitCondition");
}

static void test_printk_uninit_char(void)
{
	expect_one_report("printk_uninit_char", "ClientCheck");
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

/*
 * The second free decrements a free page's reference count, which is
 * no-access: memcheck reports the read (and the write) at the free.
 */
static void test_page_double_free(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("alloc_page_double_free", 0, "InvalidRead");
	kg_memcheck_expect("InvalidWrite", "alloc_page_double_free");
}

static long meminfo_kb(const char *field)
{
	char buf[4096], *at;

	if (kg_read_file("/proc/meminfo", buf, sizeof(buf)) <= 0)
		return -1;
	at = strstr(buf, field);
	return at ? strtol(at + strlen(field), NULL, 10) : -1;
}

/* Free blocks of the largest order, over every zone (/proc/buddyinfo). */
static long free_max_order_blocks(void)
{
	char buf[4096], *line, *save;
	long blocks = 0;

	if (kg_read_file("/proc/buddyinfo", buf, sizeof(buf)) <= 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *last = strrchr(line, ' ');

		if (last)
			blocks += strtol(last + 1, NULL, 10);
	}
	return blocks;
}

/* 16 MiB of single pages, twice the boot RAM: the kernel must grow. */
/*
 * After the free, new pages would take the freed one back were it not
 * in quarantine (allocators/page_quarantine.c): the read is reported,
 * with the free's stack.
 */
static void test_page_use_after_free_after_reuse(void)
{
	KG_NEEDS_MEMCHECK();
	kg_call("alloc_page_uaf_after_reuse", 4);
	if (!kg_memcheck_expect_freed_in("InvalidRead", "alloc_page_uaf_after_reuse",
					 "alloc_page_first_free"))
		CU_FAIL_FATAL("memcheck did not report the read, with its free");
}

/* The same, for a second free: it names the first. */
static void test_page_double_free_after_reuse(void)
{
	KG_NEEDS_MEMCHECK();
	kg_call("alloc_page_double_free_after_reuse", 0);
	if (!kg_memcheck_expect_freed_in("InvalidRead", "alloc_page_double_free_after_reuse",
					 "alloc_page_first_free"))
		CU_FAIL_FATAL("memcheck did not report the second free, with the first");
	kg_memcheck_expect("InvalidWrite", "alloc_page_double_free_after_reuse");
}

/*
 * The same where memory is short (alloc_page_freed_at_cap()): the page
 * waits in quarantine whatever the kernel's RAM.
 */
static void test_page_use_after_free_at_cap(void)
{
	KG_NEEDS_MEMCHECK();
	kg_call("alloc_page_uaf_at_cap", 0);
	if (!kg_memcheck_expect_freed_in("InvalidRead", "alloc_page_uaf_at_cap",
					 "alloc_page_first_free"))
		CU_FAIL_FATAL("memcheck did not report the read, with its free");
}

static void test_page_double_free_at_cap(void)
{
	KG_NEEDS_MEMCHECK();
	kg_call("alloc_page_double_free_at_cap", 0);
	if (!kg_memcheck_expect_freed_in("InvalidRead", "alloc_page_double_free_at_cap",
					 "alloc_page_first_free"))
		CU_FAIL_FATAL("memcheck did not report the second free, with the first");
	kg_memcheck_expect("InvalidWrite", "alloc_page_double_free_at_cap");
}

static void test_pages_grow_from_host(void)
{
	struct kg_mem_stats before, after;

	CU_ASSERT_EQUAL_FATAL(kg_mem_stats(&before), 0);
	/* 8 MiB asked for, and what the memmap leaves of its last 2 MiB chunk */
	CU_ASSERT(before.boot >= 8UL << 20 && before.boot < 10UL << 20);
	CU_ASSERT_EQUAL(kg_call("alloc_pages_grow", 16L << 20), 16L << 20);
	CU_ASSERT_EQUAL_FATAL(kg_mem_stats(&after), 0);
	CU_ASSERT(after.growths > before.growths);
	CU_ASSERT(after.added >= before.added + (8UL << 20));
	CU_ASSERT(after.total >= before.total + (8UL << 20));
	CU_ASSERT(after.peak_used >= 16UL << 20);
	CU_ASSERT(after.boot + after.added <= after.cap + after.quarantine_room);
	CU_ASSERT_EQUAL(meminfo_kb("KgrindAdded:"), (long)(after.added >> 10));
	CU_ASSERT_EQUAL(meminfo_kb("KgrindGrowths:"), (long)after.growths);
	CU_ASSERT(meminfo_kb("MemTotal:") >= (long)(after.total >> 10) - 4);
}

/*
 * Asking for more than the cap: the allocator fails the allocation, the
 * kernel goes on, and the memory it did get is usable again.
 */
static void test_pages_stop_at_cap(void)
{
	long block = 4096L << 10;	/* MAX_PAGE_ORDER's, 4 MiB */
	struct kg_mem_stats st;
	unsigned long added;
	long got, free_blocks = free_max_order_blocks();

	CU_ASSERT(free_blocks >= 0);
	CU_ASSERT_EQUAL_FATAL(kg_mem_stats(&st), 0);
	added = st.added;
	got = kg_call("alloc_pages_to_cap", 2 * st.cap);
	CU_ASSERT(got > 0);
	CU_ASSERT(got <= (long)(st.cap + st.quarantine_room));
	CU_ASSERT_EQUAL_FATAL(kg_mem_stats(&st), 0);
	CU_ASSERT_EQUAL(st.boot + st.added, st.cap + st.quarantine_room);
	/*
	 * Max-order blocks: the free ones, and those of the RAM added on the
	 * way to the cap, but its unaligned ends (pages in use elsewhere
	 * break the other blocks, so only these are owed).
	 */
	CU_ASSERT(got >= free_blocks * block + (long)(st.added - added) - 2 * block);
	CU_ASSERT_EQUAL(kg_fault_count(), 0);
	CU_ASSERT_EQUAL(kg_call("alloc_pages_grow", 16L << 20), 16L << 20);
}

/*
 * Single pages, GFP_KERNEL, past the cap: after reclaim the allocation
 * fails (there is no OOM killer to panic for want of a victim).
 */
static void test_pages_fail_at_cap(void)
{
	struct kg_mem_stats st;
	long got;

	CU_ASSERT_EQUAL_FATAL(kg_mem_stats(&st), 0);
	got = kg_call("alloc_pages_grow", 2 * st.cap);
	CU_ASSERT(got > (long)st.cap / 2);
	CU_ASSERT(got < (long)st.cap);
	CU_ASSERT_EQUAL(kg_fault_count(), 0);
	CU_ASSERT(kg_getpid() > 0);
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

static void test_kmalloc_oob_right(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_oob_right", 0, "InvalidWrite");
}

static void test_kmalloc_oob_left(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_oob_left", 0, "InvalidRead");
}

static void test_kmalloc_node_oob_right(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_node_oob_right", 0, "InvalidRead");
}

static void test_kmalloc_track_caller_oob_right(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_track_caller_oob_right", 0, "InvalidWrite");
}

static void test_kmalloc_large_oob_right(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_large_oob_right", 0, "InvalidWrite");
}

static void test_kmalloc_large_uaf(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_large_uaf", 0, "InvalidRead");
}

static void test_kmalloc_large_invalid_free(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_large_invalid_free", 0, "InvalidFree");
}

static void test_kmalloc_oob_16(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_oob_16", 0, "InvalidWrite");
}

static void test_kmalloc_oob_memset(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_oob_memset", 2, "InvalidWrite");
}

static void test_kmalloc_oob_in_memset(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_oob_in_memset", 5, "InvalidWrite");
}

static void test_kmalloc_memmove_invalid_size(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_memmove_invalid_size", 4, "InvalidRead");
}

static void test_kmem_cache_oob(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmem_cache_oob", 0, "InvalidRead");
}

static void test_kmalloc_uaf(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_uaf", 0, "InvalidRead");
}

static void test_kmalloc_uaf_write(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_uaf_write", 2, "InvalidWrite");
}

static void test_kmalloc_uaf_memset(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_uaf_memset", 0, "InvalidWrite");
}

static void test_kmalloc_uaf2(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_uaf2", 0, "InvalidRead");
}

static void test_kmalloc_uaf_16(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_uaf_16", 0, "InvalidRead");
}

static void test_kmalloc_atomic_uaf(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_atomic_uaf", 3, "InvalidRead");
}

static void test_kasan_strings(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kasan_strings", 0, "InvalidRead");
}

static void test_krealloc_more_oob(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("krealloc_more_oob", 0, "InvalidWrite");
}

static void test_krealloc_less_oob(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("krealloc_less_oob", 0, "InvalidRead");
}

static void test_krealloc_stale_pointer(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("krealloc_stale_pointer", 0, "InvalidRead");
}

static void test_krealloc_uaf(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("krealloc_uaf", 0, "ClientCheck");
}

static void test_ksize_beyond_request(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("ksize_unpoisons_memory", 1, "InvalidWrite");
}

static void test_ksize_uaf(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("ksize_uaf", 0, "ClientCheck");
}

static void test_kmalloc_double_kfree(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_double_kfree", 0, "InvalidFree");
}

static void test_kmalloc_double_kzfree(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_double_kzfree", 0, "InvalidFree");
}

static void test_kfree_interior_pointer(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kfree_interior_pointer", 0, "InvalidFree");
}

static void test_kmem_cache_double_free(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmem_cache_double_free", 0, "InvalidFree");
}

static void test_kmem_cache_invalid_free(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmem_cache_invalid_free", 0, "InvalidFree");
}

static void test_kmem_cache_double_destroy(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmem_cache_double_destroy", 0, "InvalidRead");
	kg_memcheck_expect("InvalidWrite", "kmem_cache_double_destroy");
}

static void test_kmem_cache_use_after_destroy(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmem_cache_use_after_destroy", 0, "InvalidRead");
}

static void test_kmem_cache_destroy_live(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmem_cache_destroy_live", 0, "ClientCheck");
}

static void test_kmalloc_uninit(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_uninit", 3, "UninitCondition");
}

/* Eighty reports in one test: each one kept, each one claimed. */
static void test_kmalloc_uninit_many(void)
{
	int n = 0;

	KG_NEEDS_MEMCHECK();
	kg_call("kmalloc_uninit_many", 0);
	while (kg_memcheck_expect("UninitCondition", "kmalloc_uninit_many"))
		n++;
	CU_ASSERT_EQUAL(n, 80);
}

static void test_kmalloc_leak(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_leak", 7, "Leak_DefinitelyLost");
}

/* Leaked objects that point to themselves, as kernel objects do. */
static void test_leak_list_head(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("leak_list_head", 1, "Leak_DefinitelyLost");
}

static void test_leak_mutex(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("leak_mutex", 1, "Leak_DefinitelyLost");
}

static void test_leak_wait_queue_head(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("leak_wait_queue_head", 1, "Leak_DefinitelyLost");
}

static void test_leak_self_middle(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("leak_self_middle", 0, "Leak_DefinitelyLost");
}

/* Two lost objects that point to each other: one is definitely lost,
 * the other indirectly (counted, not reported on its own). */
static void test_leak_cycle(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("leak_cycle", 1, "Leak_DefinitelyLost");
	CU_ASSERT(!kg_memcheck_expect("Leak_DefinitelyLost", "leak_cycle"));
}

/*
 * Controls: each fixture makes objects that are reachable the way kernel
 * objects are; the leak check while they are must not report them (and
 * the runner fails the test on any leak it did not claim).
 */
static void expect_no_leak(const char *fixture)
{
	CU_ASSERT_EQUAL_FATAL(kg_call(fixture, 1), 0);
	CU_ASSERT(!kg_memcheck_expect("Leak_DefinitelyLost", fixture));
	CU_ASSERT(!kg_memcheck_expect("Leak_DefinitelyLost", "kmalloc_noprof"));
}

static void test_kept_through_object(void)
{
	expect_no_leak("kept_through_object");
	CU_ASSERT_EQUAL(kg_call("kept_through_object", 0), 0);
}

static void test_kept_on_kthread_stack(void)
{
	expect_no_leak("kept_on_kthread_stack");
	CU_ASSERT_EQUAL(kg_call("kept_on_kthread_stack", 0), 0);
}

static void test_kept_typesafe_by_rcu(void)
{
	expect_no_leak("kept_typesafe_by_rcu");
	CU_ASSERT_EQUAL(kg_call("kept_typesafe_by_rcu", 0), 0);
}

static void test_kept_waiting_kfree_rcu(void)
{
	expect_no_leak("kept_waiting_kfree_rcu");
}

static void test_kfree_rcu_uaf(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kfree_rcu_uaf", 0, "InvalidRead");
}

static void test_typesafe_rcu_after_grace_period(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmem_cache_typesafe_rcu", 1, "InvalidRead");
}

static void test_kmalloc_big_oob_right(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_big_oob_right", 0, "InvalidWrite");
}

static void test_krealloc_large_more_oob(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("krealloc_large_more_oob", 0, "InvalidWrite");
}

static void test_krealloc_large_less_oob(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("krealloc_large_less_oob", 0, "InvalidRead");
}

static void test_kmalloc_oob_memset_4(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_oob_memset_4", 0, "InvalidWrite");
}

static void test_kmalloc_oob_memset_8(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_oob_memset_8", 0, "InvalidWrite");
}

static void test_kmalloc_oob_memset_16(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kmalloc_oob_memset_16", 0, "InvalidWrite");
}

static void test_kmalloc_uaf3(void)
{
	KG_NEEDS_MEMCHECK();
	expect_report("kmalloc_uaf3", 0, "InvalidWrite");
}

static void test_kasan_memchr(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kasan_memchr", 0, "InvalidRead");
}

static void test_kasan_memcmp(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kasan_memcmp", 0, "InvalidRead");
}

static void test_kasan_bitops_generic(void)
{
	KG_NEEDS_MEMCHECK();
	expect_reports("kasan_bitops_generic", 0, "InvalidRead");
}

/* Correct uses: no report, natively or under memcheck. */
static void test_kfree_via_page(void)
{
	CU_ASSERT_EQUAL(kg_call("kfree_via_page", 0), 1);
}

static void test_kfree_via_phys(void)
{
	CU_ASSERT_EQUAL(kg_call("kfree_via_phys", 0), 2);
}

static void test_kmem_cache_accounted(void)
{
	CU_ASSERT_EQUAL(kg_call("kmem_cache_accounted", 0), 5);
}


/* All 512 objects, for at most 4 MiB of new RAM (2 MiB of objects). */
static void test_kmem_cache_movable_caller(void)
{
	struct kg_mem_stats before, after;

	CU_ASSERT_EQUAL_FATAL(kg_mem_stats(&before), 0);
	CU_ASSERT_EQUAL(kg_call("kmem_cache_movable_caller", 0), 512);
	CU_ASSERT_EQUAL_FATAL(kg_mem_stats(&after), 0);
	CU_ASSERT(after.added <= before.added + (4UL << 20));
}

static void test_ksize_within_request(void)
{
	CU_ASSERT_EQUAL(kg_call("ksize_unpoisons_memory", 0), 128);
}

static void test_kmalloc_size_roundup_usable(void)
{
	CU_ASSERT_EQUAL(kg_call("kmalloc_size_roundup_usable", 3), 128);
}

static void test_kmem_cache_bulk(void)
{
	CU_ASSERT_EQUAL(kg_call("kmem_cache_bulk", 1), 10);
}

static void test_kmem_cache_ctor_defined(void)
{
	CU_ASSERT_EQUAL(kg_call("kmem_cache_ctor_defined", 0), 1);
}

static void test_kzalloc_defined(void)
{
	CU_ASSERT_EQUAL(kg_call("kzalloc_defined", 4), 1);
}

static void test_typesafe_rcu_read_in_grace_period(void)
{
	CU_ASSERT_EQUAL(kg_call("kmem_cache_typesafe_rcu", 0), 77);
}

/*
 * Page leaks are found after each test (allocators/page_leaks.c): this
 * test leaks a block, reported in it, and keeps two pages that are no
 * leaks, one held only by its struct page.  Were the kept pages
 * reported, this test or a later one would fail.
 */
static void test_page_leak(void)
{
	KG_NEEDS_MEMCHECK();
	CU_ASSERT_EQUAL(kg_call("alloc_page_keep", 0), 0);
	expect_report("alloc_page_leak", 0, "Leak_DefinitelyLost");
}

static CU_TestInfo alloc_tests[] = {
	{ "printk_uninit_int", test_printk_uninit_int },
	{ "printk_uninit_hex", test_printk_uninit_hex },
	{ "printk_uninit_char", test_printk_uninit_char },
	{ "page_use_after_free_read", test_page_use_after_free_read },
	{ "page_use_after_free_write", test_page_use_after_free_write },
	{ "page_out_of_bounds", test_page_out_of_bounds },
	{ "page_uninitialised", test_page_uninitialised },
	{ "page_zeroed_no_report", test_page_zeroed_no_report },
	{ "page_double_free", test_page_double_free },
	{ "page_use_after_free_after_reuse", test_page_use_after_free_after_reuse },
	{ "page_double_free_after_reuse", test_page_double_free_after_reuse },
	{ "pages_grow_from_host", test_pages_grow_from_host },
	{ "pages_stop_at_cap", test_pages_stop_at_cap },
	{ "pages_fail_at_cap", test_pages_fail_at_cap },
	{ "page_use_after_free_at_cap", test_page_use_after_free_at_cap },
	{ "page_double_free_at_cap", test_page_double_free_at_cap },
	{ "infoleak_copy_to_user", test_infoleak_copy_to_user },
	{ "copy_to_user_no_infoleak", test_copy_to_user_no_infoleak },
	{ "kmalloc_oob_right", test_kmalloc_oob_right },
	{ "kmalloc_oob_left", test_kmalloc_oob_left },
	{ "kmalloc_node_oob_right", test_kmalloc_node_oob_right },
	{ "kmalloc_track_caller_oob_right", test_kmalloc_track_caller_oob_right },
	{ "kmalloc_large_oob_right", test_kmalloc_large_oob_right },
	{ "kmalloc_large_uaf", test_kmalloc_large_uaf },
	{ "kmalloc_large_invalid_free", test_kmalloc_large_invalid_free },
	{ "kmalloc_oob_16", test_kmalloc_oob_16 },
	{ "kmalloc_oob_memset", test_kmalloc_oob_memset },
	{ "kmalloc_oob_in_memset", test_kmalloc_oob_in_memset },
	{ "kmalloc_memmove_invalid_size", test_kmalloc_memmove_invalid_size },
	{ "kmem_cache_oob", test_kmem_cache_oob },
	{ "kmalloc_uaf", test_kmalloc_uaf },
	{ "kmalloc_uaf_write", test_kmalloc_uaf_write },
	{ "kmalloc_uaf_memset", test_kmalloc_uaf_memset },
	{ "kmalloc_uaf2", test_kmalloc_uaf2 },
	{ "kmalloc_uaf_16", test_kmalloc_uaf_16 },
	{ "kmalloc_atomic_uaf", test_kmalloc_atomic_uaf },
	{ "kasan_strings", test_kasan_strings },
	{ "krealloc_more_oob", test_krealloc_more_oob },
	{ "krealloc_less_oob", test_krealloc_less_oob },
	{ "krealloc_stale_pointer", test_krealloc_stale_pointer },
	{ "krealloc_uaf", test_krealloc_uaf },
	{ "ksize_beyond_request", test_ksize_beyond_request },
	{ "ksize_uaf", test_ksize_uaf },
	{ "kmalloc_double_kfree", test_kmalloc_double_kfree },
	{ "kmalloc_double_kzfree", test_kmalloc_double_kzfree },
	{ "kfree_interior_pointer", test_kfree_interior_pointer },
	{ "kmem_cache_double_free", test_kmem_cache_double_free },
	{ "kmem_cache_invalid_free", test_kmem_cache_invalid_free },
	{ "kmem_cache_double_destroy", test_kmem_cache_double_destroy },
	{ "kmem_cache_use_after_destroy", test_kmem_cache_use_after_destroy },
	{ "kmem_cache_destroy_live", test_kmem_cache_destroy_live },
	{ "kmalloc_uninit", test_kmalloc_uninit },
	{ "kmalloc_uninit_many", test_kmalloc_uninit_many },
	{ "kmalloc_leak", test_kmalloc_leak },
	{ "leak_list_head", test_leak_list_head },
	{ "leak_mutex", test_leak_mutex },
	{ "leak_wait_queue_head", test_leak_wait_queue_head },
	{ "leak_self_middle", test_leak_self_middle },
	{ "leak_cycle", test_leak_cycle },
	{ "kept_through_object", test_kept_through_object },
	{ "kept_on_kthread_stack", test_kept_on_kthread_stack },
	{ "kept_typesafe_by_rcu", test_kept_typesafe_by_rcu },
	{ "kept_waiting_kfree_rcu", test_kept_waiting_kfree_rcu },
	{ "kfree_rcu_uaf", test_kfree_rcu_uaf },
	{ "typesafe_rcu_after_grace_period", test_typesafe_rcu_after_grace_period },
	{ "ksize_within_request", test_ksize_within_request },
	{ "kmalloc_size_roundup_usable", test_kmalloc_size_roundup_usable },
	{ "kmem_cache_bulk", test_kmem_cache_bulk },
	{ "kmem_cache_ctor_defined", test_kmem_cache_ctor_defined },
	{ "kzalloc_defined", test_kzalloc_defined },
	{ "typesafe_rcu_read_in_grace_period", test_typesafe_rcu_read_in_grace_period },
	{ "kmalloc_big_oob_right", test_kmalloc_big_oob_right },
	{ "krealloc_large_more_oob", test_krealloc_large_more_oob },
	{ "krealloc_large_less_oob", test_krealloc_large_less_oob },
	{ "kmalloc_oob_memset_4", test_kmalloc_oob_memset_4 },
	{ "kmalloc_oob_memset_8", test_kmalloc_oob_memset_8 },
	{ "kmalloc_oob_memset_16", test_kmalloc_oob_memset_16 },
	{ "kmalloc_uaf3", test_kmalloc_uaf3 },
	{ "kasan_memchr", test_kasan_memchr },
	{ "kasan_memcmp", test_kasan_memcmp },
	{ "kasan_bitops_generic", test_kasan_bitops_generic },
	{ "kfree_via_page", test_kfree_via_page },
	{ "kfree_via_phys", test_kfree_via_phys },
	{ "kmem_cache_accounted", test_kmem_cache_accounted },
	{ "kmem_cache_movable_caller", test_kmem_cache_movable_caller },
	{ "page_leak", test_page_leak },
	CU_TEST_INFO_NULL,
};

/* /proc/meminfo for the page allocator's tests. */
static int mount_proc(void)
{
	return (int)kg_mount_at("proc", "/proc", "proc");
}

static const struct kg_suite alloc_suite = {
	.name = "alloc",
	.tests = alloc_tests,
	.setup = mount_proc,
	/* a small cap, so that pages_stop_at_cap is quick */
	.boot = { .mem_max = 64UL << 20 },
};

int main(int argc, char **argv)
{
	return kg_suite_main(&alloc_suite, argc, argv);
}
