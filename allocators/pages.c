// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's RAM, taken from the host as the kernel needs it.
 *
 * At boot the host reserves address space for the most RAM the kernel may
 * have (the cap) plus its struct page array, all no-access.  The kernel
 * boots with a little of it committed; the rest is memblock-reserved, so
 * its struct pages exist from the start (FLATMEM needs one array) but the
 * buddy allocator never sees it.  When an allocation finds the free lists
 * short, the page allocator asks arch_grow_memory() (patch 0003), which
 * commits the next chunk and frees it into the buddy allocator.  At the
 * cap (plus the room kept for the page quarantine) it says no, and the kernel reclaims or fails the allocation as with
 * any fixed amount of RAM.  There is no OOM killer: its victims would be
 * the tasks of host threads, and with none it panics.  An allocation
 * that cannot be served at the cap fails, after reclaim, as one that
 * may fail does anywhere.
 *
 * Memcheck is told which pages may be touched: free pages are no-access,
 * new pages undefined until written.  The reference count of a free page
 * is no-access too, so a page freed twice is an invalid access at the
 * second free.  Under memcheck freed pages wait before reuse
 * (page_quarantine.c).  Allocations are recorded for the page leak
 * check after each test and at halt (page_leaks.c).
 */
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/pfn.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/vmstat.h>
#include <asm/kgrind_alloc.h>
#include <asm/kgrind_host.h>
#include <valgrind/memcheck.h>
#include "kgrind_host_ops.h"
#include "internal.h"

/*
 * RAM grows 2 MiB at a time: one huge page of the host's, which the host
 * maps in one step (4 KiB pages cost a fault each on first touch).  The
 * reservation starts on a max-order boundary, so aligned chunks merge
 * into max-order blocks once free.
 */
#define KGMEM_CHUNK_ORDER	9
#define KGMEM_CHUNK		(PAGE_SIZE << KGMEM_CHUNK_ORDER)
#define KGMEM_ALIGN		(PAGE_SIZE << MAX_PAGE_ORDER)

unsigned long memory_start;	/* first byte of the kernel's RAM */
unsigned long memory_end;	/* end of the RAM committed so far */
static unsigned long memory_cap_end;	/* end of the reserved address space */

static unsigned long kgmem_boot_bytes;	/* RAM at boot, besides the memmap */
static unsigned long kgmem_quarantine_room;	/* past the cap, under memcheck */
static unsigned long kgmem_memmap_bytes;
static unsigned long kgmem_growths;
static unsigned long kgmem_peak_used_pages;
static DEFINE_RAW_SPINLOCK(kgmem_grow_lock);

unsigned long kgmem_span_bytes(void)
{
	return memory_cap_end - memory_start;
}

/*
 * Lays out the RAM in setup_arch: [boot RAM + room for the memmap][the
 * rest of the cap and the quarantine's room, reserved].  memblock
 * allocates top-down, so the memmap lands at the top of the committed
 * part.
 */
void __init kgmem_setup(unsigned long boot_bytes, unsigned long max_bytes)
{
	unsigned long memmap_room, span, commit;
	void *base;

	max_bytes = ALIGN(max(max_bytes, boot_bytes), KGMEM_CHUNK);
	/* Freed pages waiting in quarantine are not the kernel's to use. */
	kgmem_quarantine_room = ALIGN(kgq_room(max_bytes), KGMEM_CHUNK);
	max_bytes += kgmem_quarantine_room;
	/* the struct pages of the cap and of the room itself */
	memmap_room = PAGE_ALIGN(DIV_ROUND_UP(max_bytes + KGMEM_ALIGN,
					      PAGE_SIZE - sizeof(struct page)) *
				 sizeof(struct page));
	span = ALIGN(max_bytes + memmap_room, KGMEM_CHUNK);
	commit = min(ALIGN(boot_bytes + memmap_room, KGMEM_CHUNK), span);

	base = kgrind_host_ram_reserve(span, KGMEM_ALIGN);
	if (!base)
		panic("kgrind: the host has no %lu MiB of address space for kernel RAM",
		      span >> 20);
	memory_start = (unsigned long)base;
	memory_cap_end = memory_start + span;
	if (kgrind_host_mem_commit(base, commit))
		panic("kgrind: the host has no %lu MiB for the kernel's boot RAM",
		      commit >> 20);
	memory_end = memory_start + commit;

	memblock_add(memory_start, span);
	if (memory_end < memory_cap_end)
		memblock_reserve(memory_end, memory_cap_end - memory_end);
	min_low_pfn = PFN_UP(memory_start);
	max_low_pfn = PFN_DOWN(memory_cap_end);
	max_pfn = max_low_pfn;
	set_max_mapnr(max_pfn - min_low_pfn);

	/* what alloc_node_mem_map() will take: whole max-order blocks */
	kgmem_memmap_bytes = PAGE_ALIGN(PFN_DOWN(ALIGN(span, KGMEM_ALIGN)) *
					sizeof(struct page));
	kgmem_boot_bytes = commit - kgmem_memmap_bytes;
	kgleak_setup(span);
	kgroots_setup(span);
}

/*
 * Called by the page allocator when its free lists cannot serve an
 * allocation.  May run in atomic context: committing host memory and
 * freeing pages both can.  True if memory was added (by this call or by
 * a concurrent one), so the allocation is worth retrying.
 */
bool arch_grow_memory(unsigned int order)
{
	unsigned long seen = READ_ONCE(memory_end);
	unsigned long flags, start, pfn, i;
	bool grown = false;

	raw_spin_lock_irqsave(&kgmem_grow_lock, flags);
	if (memory_end != seen) {
		grown = true;
		goto out;
	}
	start = memory_end;
	if (start + KGMEM_CHUNK > memory_cap_end)
		goto out;
	if (kgrind_host_mem_commit((void *)start, KGMEM_CHUNK)) {
		pr_warn_once("kgrind: the host refused more kernel RAM at %lu MiB\n",
			     (start - memory_start) >> 20);
		goto out;
	}
	WRITE_ONCE(memory_end, start + KGMEM_CHUNK);

	/* From memblock-reserved to free, as memblock_free_all() does it. */
	pfn = PFN_DOWN(start);
	for (i = 0; i < (1UL << KGMEM_CHUNK_ORDER); i++) {
		__ClearPageReserved(pfn_to_page(pfn + i));
		set_page_count(pfn_to_page(pfn + i), 0);
	}
	set_page_count(pfn_to_page(pfn), 1);
	adjust_managed_page_count(pfn_to_page(pfn), 1UL << KGMEM_CHUNK_ORDER);
	__free_pages(pfn_to_page(pfn), KGMEM_CHUNK_ORDER);
	kgmem_growths++;
	grown = true;
out:
	raw_spin_unlock_irqrestore(&kgmem_grow_lock, flags);
	return grown;
}

static unsigned long kgmem_used_pages(void)
{
	return totalram_pages() - global_zone_page_state(NR_FREE_PAGES);
}

static void kgmem_note_use(void)
{
	unsigned long used = kgmem_used_pages();

	if (used > READ_ONCE(kgmem_peak_used_pages))
		WRITE_ONCE(kgmem_peak_used_pages, used);
}

static void kgmem_mark_refcounts(struct page *page, int order, bool allocated)
{
	int i;

	for (i = 0; i < (1 << order); i++) {
		if (allocated)
			VALGRIND_MAKE_MEM_DEFINED(&page[i]._refcount,
						  sizeof(page[i]._refcount));
		else
			VALGRIND_MAKE_MEM_NOACCESS(&page[i]._refcount,
						   sizeof(page[i]._refcount));
	}
}

void arch_free_page(struct page *page, int order)
{
	if (!IS_ENABLED(CONFIG_KGRIND_PAGE_ANNOTATIONS))
		return;
	VALGRIND_MAKE_MEM_NOACCESS(page_address(page), PAGE_SIZE << order);
	kgmem_mark_refcounts(page, order, false);
	kgleak_note_free(page, order);
	kgroots_note_free(page, order);
}

void arch_alloc_page(struct page *page, int order)
{
	kgmem_note_use();
	if (!IS_ENABLED(CONFIG_KGRIND_PAGE_ANNOTATIONS))
		return;
	kgmem_mark_refcounts(page, order, true);
	VALGRIND_MAKE_MEM_UNDEFINED(page_address(page), PAGE_SIZE << order);
	kgleak_note_alloc(page, order);
	kgroots_note_alloc(page, order);
}

static int __init kgmem_no_oom_killer(void)
{
	if (!oom_killer_disable(1))
		pr_warn("kgrind: the OOM killer stays on: the RAM cap may panic the kernel\n");
	return 0;
}
late_initcall(kgmem_no_oom_killer);

/* Memcheck names the struct page array in reports about it. */
static int __init kgmem_describe_memmap(void)
{
	/* Its blocks come first in memcheck's table (page_quarantine.c). */
	kgq_setup();
	VALGRIND_CREATE_BLOCK(mem_map, kgmem_memmap_bytes,
			      "kgrind mem_map: a free page's _refcount is no-access (page freed twice?)");
	return 0;
}
early_initcall(kgmem_describe_memmap);

void kg_kernel_mem_stats(struct kg_mem_stats *stats)
{
	stats->boot = kgmem_boot_bytes;
	stats->added = kgmem_growths * KGMEM_CHUNK;
	stats->growths = kgmem_growths;
	stats->cap = kgmem_span_bytes() - kgmem_memmap_bytes - kgmem_quarantine_room;
	stats->quarantine_room = kgmem_quarantine_room;
	stats->total = totalram_pages() << PAGE_SHIFT;
	stats->free = global_zone_page_state(NR_FREE_PAGES) << PAGE_SHIFT;
	stats->peak_used = READ_ONCE(kgmem_peak_used_pages) << PAGE_SHIFT;
	stats->memmap = kgmem_memmap_bytes;
}

void arch_report_meminfo(struct seq_file *m)
{
	struct kg_mem_stats st;

	kg_kernel_mem_stats(&st);
	seq_printf(m, "KgrindBoot:     %8lu kB\n", st.boot >> 10);
	seq_printf(m, "KgrindAdded:    %8lu kB\n", st.added >> 10);
	seq_printf(m, "KgrindGrowths:  %8lu\n", st.growths);
	seq_printf(m, "KgrindCap:      %8lu kB\n", st.cap >> 10);
	seq_printf(m, "KgrindPeakUsed: %8lu kB\n", st.peak_used >> 10);
	seq_printf(m, "KgrindMemmap:   %8lu kB\n", st.memmap >> 10);
	seq_printf(m, "KgrindQuarantine: %6lu kB\n", kgq_waiting_bytes() >> 10);
	seq_printf(m, "KgrindQuarantineRoom: %2lu kB\n", st.quarantine_room >> 10);
}
