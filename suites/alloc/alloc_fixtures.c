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
 * One byte past an order-0 page.  Splitting a free order-1 block makes
 * the page's buddy, the next page, free: no-access.
 */
static long alloc_page_oob_right(long arg)
{
	struct page *pair = alloc_pages(GFP_KERNEL, 1), *page;
	char *bytes;
	long value;

	if (!pair)
		return -ENOMEM;
	__free_pages(pair, 1);
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	bytes = page_address(page);
	value = READ_ONCE(bytes[PAGE_SIZE + arg]);
	__free_page(page);
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
