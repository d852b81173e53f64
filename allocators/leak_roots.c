// SPDX-License-Identifier: GPL-2.0
/*
 * What of the kernel's RAM memcheck's leak check scans as roots.
 *
 * Under memcheck the RAM is no root (host-valgrind/memory.c keeps it in
 * the host's heap): a slab object is reachable only if a pointer to it is
 * found in the program's data and bss, in a thread's stack or registers,
 * in the host's heap, or, transitively, in an object or a root found so.
 * A pointer from an object into itself does not count, so a leaked object
 * that points to itself (an initialised list_head, mutex, wait queue or
 * completion) is lost, as the plain buffer always was.
 *
 * The rest of the RAM in use stays a root, as the kernel's static data
 * is: the page allocations that are not slab objects (the page cache,
 * pipe buffers, tables from alloc_pages_exact) and boot's memblock
 * allocations (mem_map, the early hash tables).  Each is a memcheck block
 * that a table in host memory (itself a root) points to, so every leak
 * check scans it.  What is lost among pages is the page leak check's
 * (page_leaks.c).  A page allocation is one block per page: freeing part
 * of a split allocation then frees exactly its blocks.
 *
 * What the scan skips cannot hide a leak: free pages, quarantined and
 * free slots are no-access, and memcheck reads no pointer from them; the
 * slab pages themselves are no blocks, only their live objects are.
 */
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <asm/kgrind_alloc.h>
#include <asm/kgrind_host.h>
#include "internal.h"
#include <valgrind/memcheck.h>

#define KGROOTS_MAX_BOOT	64

static void **kgroots_table;		/* per page: its block, or NULL */
static unsigned long kgroots_pages, kgroots_table_bytes;
static char kgroots_pool;
/* Boot's memblock allocations in RAM: blocks until halt. */
static void *kgroots_boot[KGROOTS_MAX_BOOT];
static int kgroots_nr_boot;

void __init kgroots_setup(unsigned long span_bytes)
{
	if (!RUNNING_ON_VALGRIND || !IS_ENABLED(CONFIG_KGRIND_PAGE_ANNOTATIONS))
		return;
	kgroots_pages = span_bytes >> PAGE_SHIFT;
	kgroots_table_bytes = PAGE_ALIGN(kgroots_pages * sizeof(*kgroots_table));
	kgroots_table = kgrind_host_mem_reserve(kgroots_table_bytes, PAGE_SIZE);
	if (!kgroots_table || kgrind_host_mem_commit(kgroots_table, kgroots_table_bytes))
		panic("kgrind: no host memory for the leak roots table");
	VALGRIND_CREATE_MEMPOOL(&kgroots_pool, 0, 0);
}

/*
 * In mem_init, before memblock hands the free RAM to the page allocator:
 * what memblock reserved in the committed RAM becomes root blocks.  Its
 * contents stay as they are: defined, as the committed RAM was zeroed.
 */
void __init kgroots_add_boot_memory(void)
{
	phys_addr_t start, end;
	u64 i;

	if (!kgroots_table)
		return;
	for_each_reserved_mem_range(i, &start, &end) {
		start = max_t(phys_addr_t, start, memory_start);
		end = min_t(phys_addr_t, end, memory_end);
		if (start >= end)
			continue;
		if (kgroots_nr_boot == KGROOTS_MAX_BOOT)
			panic("kgrind: more than %d memblock regions for the leak roots",
			      KGROOTS_MAX_BOOT);
		VALGRIND_MALLOCLIKE_BLOCK(start, end - start, 0, 1);
		kgroots_boot[kgroots_nr_boot++] = (void *)(unsigned long)start;
	}
}

static inline unsigned long kgroots_index(struct page *page)
{
	return page_to_pfn(page) - ARCH_PFN_OFFSET;
}

/*
 * How deep the slab allocator is in taking pages, per context: the task's
 * own count (it may sleep in reclaim while others allocate), and one for
 * each interrupt level, which cannot sleep.
 */
static int kgroots_slab_irq_depth[4];

static int *kgroots_slab_depth(void)
{
	int level = interrupt_context_level();

	return level ? &kgroots_slab_irq_depth[level] : &current->thread.slab_pages;
}

void kgroots_slab_pages_begin(void)
{
	(*kgroots_slab_depth())++;
}

void kgroots_slab_pages_end(void)
{
	(*kgroots_slab_depth())--;
}

/* A new page allocation: undefined, as arch_alloc_page marks it. */
void kgroots_note_alloc(struct page *page, unsigned int order)
{
	unsigned long first = kgroots_index(page), i;

	if (!kgroots_table || *kgroots_slab_depth())
		return;
	for (i = first; i < first + (1UL << order); i++) {
		void *addr = page_address(page + (i - first));

		VALGRIND_MEMPOOL_ALLOC(&kgroots_pool, addr, PAGE_SIZE);
		kgroots_table[i] = addr;
	}
}

void kgroots_note_free(struct page *page, unsigned int order)
{
	unsigned long first = kgroots_index(page), i;

	if (!kgroots_table)
		return;
	for (i = first; i < first + (1UL << order); i++) {
		if (!kgroots_table[i])
			continue;
		VALGRIND_MEMPOOL_FREE(&kgroots_pool, kgroots_table[i]);
		kgroots_table[i] = NULL;
	}
}

/* At halt, before the RAM goes back to the host. */
void kgroots_forget_all(void)
{
	int i;

	if (!kgroots_table)
		return;
	VALGRIND_DESTROY_MEMPOOL(&kgroots_pool);
	for (i = 0; i < kgroots_nr_boot; i++)
		VALGRIND_FREELIKE_BLOCK(kgroots_boot[i], 0);
	kgroots_nr_boot = 0;
	kgrind_host_mem_free(kgroots_table, kgroots_table_bytes);
	kgroots_table = NULL;
}
