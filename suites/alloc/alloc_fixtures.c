// SPDX-License-Identifier: GPL-2.0
/*
 * Memory bugs committed on purpose, one per fixture, for the detection
 * suite (test_alloc.c): each test asserts that memcheck reported its
 * fixture's bug, of the right class, with the fixture in the stack.
 *
 * The faulty access is written in the fixture itself (helpers are
 * inlined), and no two fixtures have the same code: gcc would fold them
 * into one function, or turn a last call into a jump, and the fixture
 * would be missing from memcheck's stack.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/kgrind_fixture.h>

/* Pages: free pages are no-access, new pages undefined. */

static long alloc_page_uaf_read(long arg)
{
	struct page *page = alloc_page(GFP_KERNEL);
	long *word;

	if (!page)
		return -ENOMEM;
	word = page_address(page);
	WRITE_ONCE(word[2], arg);
	__free_page(page);
	return READ_ONCE(word[2]);
}
KG_FIXTURE("alloc_page_uaf_read", alloc_page_uaf_read);

static long alloc_page_uaf_write(long arg)
{
	struct page *page = alloc_page(GFP_KERNEL);
	long *word;

	if (!page)
		return -ENOMEM;
	word = page_address(page);
	__free_page(page);
	WRITE_ONCE(word[5], arg);
	return 0;
}
KG_FIXTURE("alloc_page_uaf_write", alloc_page_uaf_write);

/*
 * One byte past an order-0 page.  An order-1 block split in two, its
 * second page freed: the page after the first one is free, no-access.
 */
static long alloc_page_oob_right(long arg)
{
	struct page *pair = alloc_pages(GFP_KERNEL, 1);
	char *bytes;
	long value;

	if (!pair)
		return -ENOMEM;
	split_page(pair, 1);
	__free_page(pair + 1);
	bytes = page_address(pair);
	value = READ_ONCE(bytes[PAGE_SIZE + arg]);
	__free_page(pair);
	return value;
}
KG_FIXTURE("alloc_page_oob_right", alloc_page_oob_right);

/* A decision on a new page's contents, which nobody wrote. */
static long alloc_page_uninit(long arg)
{
	struct page *page = alloc_page(GFP_KERNEL);
	long *word, result = 0;

	if (!page)
		return -ENOMEM;
	word = page_address(page);
	/* A store under the condition: a real branch, not a conditional move. */
	if (READ_ONCE(word[arg]) == 0x5a5a) {
		WRITE_ONCE(word[0], 1);
		result = 1;
	}
	__free_page(page);
	return result;
}
KG_FIXTURE("alloc_page_uninit", alloc_page_uninit);

/* A zeroed page is defined: no report. */
static long alloc_page_zeroed(long arg)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	long *word, result = 0;

	if (!page)
		return -ENOMEM;
	word = page_address(page);
	if (READ_ONCE(word[arg]) == 0)
		result = 1;
	__free_page(page);
	return result;
}
KG_FIXTURE("alloc_page_zeroed", alloc_page_zeroed);

/* The same page freed twice: its reference count is no-access by then. */
static long alloc_page_double_free(long arg)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return -ENOMEM;
	__free_page(page);
	__free_page(page);
	return arg + 1;
}
KG_FIXTURE("alloc_page_double_free", alloc_page_double_free);

/*
 * After a page's free, enough new pages to take it back were it not in
 * quarantine (the per-cpu lists hand out the last page freed first),
 * written as their owner would: then the bad access below is on a page
 * that is either quarantined or some new owner's.  Each chunk is kept
 * until alloc_pages_unchurn().
 */
#define ALLOC_CHURN_PAGES	64
static struct page *alloc_churned[ALLOC_CHURN_PAGES];

static void alloc_pages_churn(void)
{
	int i;

	for (i = 0; i < ALLOC_CHURN_PAGES; i++) {
		alloc_churned[i] = alloc_page(GFP_KERNEL);
		if (alloc_churned[i])
			memset(page_address(alloc_churned[i]), 0x5a, PAGE_SIZE);
	}
}

static void alloc_pages_unchurn(void)
{
	int i;

	for (i = 0; i < ALLOC_CHURN_PAGES; i++)
		if (alloc_churned[i])
			__free_page(alloc_churned[i]);
	memset(alloc_churned, 0, sizeof(alloc_churned));
}

/*
 * The first free, in a function of its own: the report names it.  The
 * count after the free keeps it from being a jump, with no frame.
 */
static unsigned long alloc_first_frees;

static noinline void alloc_page_first_free(struct page *page)
{
	__free_page(page);
	WRITE_ONCE(alloc_first_frees, alloc_first_frees + 1);
}

static long alloc_page_uaf_after_reuse(long arg)
{
	struct page *page = alloc_page(GFP_KERNEL);
	long *word, val;

	if (!page)
		return -ENOMEM;
	word = page_address(page);
	WRITE_ONCE(word[3], arg);
	alloc_page_first_free(page);
	alloc_pages_churn();
	val = READ_ONCE(word[3]);
	alloc_pages_unchurn();
	return val;
}
KG_FIXTURE("alloc_page_uaf_after_reuse", alloc_page_uaf_after_reuse);

static long alloc_page_double_free_after_reuse(long arg)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return -ENOMEM;
	alloc_page_first_free(page);
	alloc_pages_churn();
	__free_page(page);
	alloc_pages_unchurn();
	return arg + 2;
}
KG_FIXTURE("alloc_page_double_free_after_reuse", alloc_page_double_free_after_reuse);

/*
 * The kernel driven to its RAM cap: single pages taken until the page
 * allocator says no, chained through their first word and kept until
 * alloc_pages_release_held().
 */
static void *alloc_held;

static void alloc_pages_hold_to_cap(void)
{
	struct page *page;

	while ((page = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN))) {
		void **block = page_address(page);

		*block = alloc_held;
		alloc_held = block;
	}
}

static void alloc_pages_release_held(void)
{
	while (alloc_held) {
		void **block = alloc_held;

		alloc_held = *block;
		free_page((unsigned long)block);
	}
}

/*
 * A page freed once where memory is short: after the kernel reached its
 * cap and gave its pages back (the page quarantine full of single pages,
 * every slot taken), and before it reaches the cap again (where a
 * quarantine emptied for want of RAM would hand the page to a new owner).
 * Returns the page, still mapped; its first free named in reports.
 */
static struct page *alloc_page_freed_at_cap(void)
{
	struct page *page;

	alloc_pages_hold_to_cap();
	alloc_pages_release_held();
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return NULL;
	alloc_page_first_free(page);
	alloc_pages_hold_to_cap();
	return page;
}

static long alloc_page_uaf_at_cap(long arg)
{
	struct page *page = alloc_page_freed_at_cap();
	long val;

	if (!page)
		return -ENOMEM;
	val = READ_ONCE(((long *)page_address(page))[3]);
	alloc_pages_release_held();
	return val;
}
KG_FIXTURE("alloc_page_uaf_at_cap", alloc_page_uaf_at_cap);

static long alloc_page_double_free_at_cap(long arg)
{
	struct page *page = alloc_page_freed_at_cap();

	if (!page)
		return -ENOMEM;
	__free_page(page);
	alloc_pages_release_held();
	return arg;
}
KG_FIXTURE("alloc_page_double_free_at_cap", alloc_page_double_free_at_cap);

/*
 * A page leak: an order-1 block written and dropped.  Nothing points to
 * it, by address or by struct page.
 */
static long alloc_page_leak(long arg)
{
	struct page *pair = alloc_pages(GFP_KERNEL, 1);

	if (!pair)
		return -ENOMEM;
	memset(page_address(pair), 0x6b, PAGE_SIZE << 1);
	return arg;
}
KG_FIXTURE("alloc_page_leak", alloc_page_leak);

/*
 * Pages kept to the end, which are no leaks: one held only by its struct
 * page, as the page cache holds pages, one only by its address, both in
 * a kmalloc'd record that only a static pointer reaches.
 */
struct alloc_kept_pages {
	struct page *by_struct_page;
	void *by_address;
};
static struct alloc_kept_pages *alloc_kept;

static long alloc_page_keep(long arg)
{
	struct alloc_kept_pages *kept = kmalloc(sizeof(*kept), GFP_KERNEL);

	if (!kept)
		return -ENOMEM;
	kept->by_struct_page = alloc_page(GFP_KERNEL);
	kept->by_address = (void *)__get_free_pages(GFP_KERNEL, 2);
	if (!kept->by_struct_page || !kept->by_address)
		return -ENOMEM;
	WRITE_ONCE(alloc_kept, kept);
	return arg;
}
KG_FIXTURE("alloc_page_keep", alloc_page_keep);

/*
 * Takes arg bytes in blocks of the given order, chained through each
 * block's first word, then frees them.  Returns the bytes it got: less
 * than arg when the page allocator said no, which at the RAM cap it must
 * do without a fuss (__GFP_NORETRY: no OOM killer).
 */
static long alloc_pages_take(long arg, unsigned int order, gfp_t gfp)
{
	void *chain = NULL, *block;
	long got = 0;

	while (got < arg) {
		struct page *page = alloc_pages(gfp, order);

		if (!page)
			break;
		block = page_address(page);
		*(void **)block = chain;
		chain = block;
		got += PAGE_SIZE << order;
	}
	while (chain) {
		block = chain;
		chain = *(void **)block;
		free_pages((unsigned long)block, order);
	}
	return got;
}

static long alloc_pages_grow(long arg)
{
	return alloc_pages_take(arg, 0, GFP_KERNEL);
}
KG_FIXTURE("alloc_pages_grow", alloc_pages_grow);

static long alloc_pages_to_cap(long arg)
{
	return alloc_pages_take(arg, MAX_PAGE_ORDER,
				GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
}
KG_FIXTURE("alloc_pages_to_cap", alloc_pages_to_cap);

/*
 * An infoleak: a structure whose padding the kernel never wrote, copied
 * to the host's buffer at arg.
 */
struct alloc_padded {
	char tag;	/* 7 bytes of padding follow */
	long value;
};

static long alloc_infoleak(long arg)
{
	struct alloc_padded out;

	/* Field by field, so that gcc cannot write the padding with them. */
	WRITE_ONCE(out.tag, 'k');
	WRITE_ONCE(out.value, 42);
	if (copy_to_user((void __user *)arg, &out, sizeof(out)))
		return -EFAULT;
	return sizeof(out);
}
KG_FIXTURE("alloc_infoleak", alloc_infoleak);

/* The same copy with the structure cleared first: no report. */
static long alloc_no_infoleak(long arg)
{
	struct alloc_padded out;

	memset(&out, 0, sizeof(out));
	out.tag = 'k';
	out.value = 43;
	if (copy_to_user((void __user *)arg, &out, sizeof(out)))
		return -EFAULT;
	return sizeof(out);
}
KG_FIXTURE("alloc_no_infoleak", alloc_no_infoleak);
