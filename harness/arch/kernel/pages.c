// SPDX-License-Identifier: GPL-2.0
/* Page allocator hooks telling memcheck which pages may be touched. */
#include <linux/mm.h>
#include <valgrind/memcheck.h>

void arch_free_page(struct page *page, int order)
{
	VALGRIND_MAKE_MEM_NOACCESS(page_address(page), PAGE_SIZE << order);
}

void arch_alloc_page(struct page *page, int order)
{
	VALGRIND_MAKE_MEM_UNDEFINED(page_address(page), PAGE_SIZE << order);
}
