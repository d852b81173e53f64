// SPDX-License-Identifier: GPL-2.0
/*
 * Freed pages wait before reuse, under memcheck, as freed slab objects do.
 *
 * The page allocator hands a freed page out again at once (the per-cpu
 * lists are LIFO), so a page used after its free, or freed twice, is
 * most likely some new owner's by then: the access is valid, the extra
 * free drops the new owner's reference, and memcheck sees nothing.
 * Here free_pages_prepare() (patch 0004) gives each freed block to
 * arch_quarantine_page(), which keeps it, no-access as arch_free_page()
 * left it, until the blocks freed after it pass a bound; then the oldest
 * goes to the free lists.  A read or write of a quarantined page is
 * reported at the access, and a second free where it reads the no-access
 * reference count.  Both name the free: the page and its struct pages
 * are client blocks while they wait, made by the stack that freed them.
 * (Memcheck would otherwise describe a page by the oldest free of it
 * that it remembers, often some earlier owner's.)
 *
 * The bound is KGQ_MAX_BYTES, or an eighth of the RAM cap when that is
 * less (page_quarantine= on the command line sets it, up to KGQ_SLOTS
 * pages; 0 turns it off).  The quarantine is never emptied early: the
 * kernel's RAM has that much room beyond its cap (kgq_room()), so a
 * kernel at its cap reclaims as any kernel does, and a page freed there
 * waits as long as anywhere.  Emptying it at the cap made a page freed
 * twice late in a busy run go unreported: by its second free some new
 * owner had it.
 */
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <valgrind/memcheck.h>
#include <mm/internal.h>	/* free_unref_page() */
#include "internal.h"

#define KGQ_MAX_BYTES	(4UL << 20)
#define KGQ_SLOTS	1024	/* the most pages that can wait: 4 MiB */

struct kgq_entry {
	struct page *page;
	unsigned int order;
	unsigned int block;	/* memcheck's client block on its struct pages */
	unsigned int data_block;	/* and on the page itself */
};

static struct kgq_entry kgq_ring[KGQ_SLOTS];
static unsigned int kgq_first, kgq_count;
static unsigned int kgq_spare[KGQ_SLOTS];	/* empty blocks holding table slots */
static unsigned int kgq_nr_spare;
static unsigned long kgq_bytes, kgq_limit;
static struct page *kgq_releasing;
static bool kgq_on;
static char kgq_spare_mark;	/* what the empty blocks cover: never touched */
static DEFINE_RAW_SPINLOCK(kgq_lock);
static unsigned long kgq_limit_asked = ~0UL;	/* page_quarantine=; ~0: not set */

static int __init kgq_limit_setup(char *arg)
{
	kgq_limit_asked = memparse(arg, NULL);
	return 0;
}
early_param("page_quarantine", kgq_limit_setup);

/*
 * The most the quarantine will hold for a kernel of cap_bytes of RAM:
 * the room kept for it beyond the cap.  None natively.  From setup_arch,
 * after the early parameters.
 */
unsigned long __init kgq_room(unsigned long cap_bytes)
{
	if (!RUNNING_ON_VALGRIND)
		return 0;
	if (kgq_limit_asked != ~0UL)
		kgq_limit = min(kgq_limit_asked, (unsigned long)KGQ_SLOTS << PAGE_SHIFT);
	else
		kgq_limit = min(KGQ_MAX_BYTES, cap_bytes / 8);
	return kgq_limit;
}

/*
 * Memcheck describes an address by the first client block that holds
 * it, in the order of its block table, and gives a new block the lowest
 * free slot.  The quarantine keeps KGQ_SLOTS slots below the mem_map's
 * block (empty blocks while unused, swapped for a quarantined page's),
 * so a quarantined page's struct page is described by its free, and any
 * other free page's by the mem_map block.  Called just before that block
 * is made.
 */
void __init kgq_setup(void)
{
	if (!kgq_limit)
		return;
	while (kgq_nr_spare < KGQ_SLOTS)
		kgq_spare[kgq_nr_spare++] = VALGRIND_CREATE_BLOCK(&kgq_spare_mark, 1, "");
	WRITE_ONCE(kgq_on, true);
}

/* The oldest block, out of the ring; under kgq_lock. */
static struct kgq_entry kgq_pop(void)
{
	struct kgq_entry e = kgq_ring[kgq_first];

	/* A stale pointer here would keep the page's next owner from the
	 * leak scan (allocators/page_leaks.c reads this table). */
	kgq_ring[kgq_first].page = NULL;
	kgq_first = (kgq_first + 1) % KGQ_SLOTS;
	kgq_count--;
	kgq_bytes -= PAGE_SIZE << e.order;
	VALGRIND_DISCARD(e.block);
	kgq_spare[kgq_nr_spare++] = VALGRIND_CREATE_BLOCK(&kgq_spare_mark, 1, "");
	VALGRIND_DISCARD(e.data_block);
	return e;
}

/* Into the free lists, past arch_quarantine_page(). */
static void kgq_release(const struct kgq_entry *e)
{
	unsigned long flags;

	local_irq_save(flags);
	kgq_releasing = e->page;
	free_unref_page(e->page, e->order);
	kgq_releasing = NULL;
	local_irq_restore(flags);
}

/* Releases the oldest blocks until at most limit bytes wait. */
static void kgq_trim(unsigned long limit)
{
	unsigned long flags;
	struct kgq_entry e;

	for (;;) {
		raw_spin_lock_irqsave(&kgq_lock, flags);
		if (kgq_bytes <= limit) {
			raw_spin_unlock_irqrestore(&kgq_lock, flags);
			return;
		}
		e = kgq_pop();
		raw_spin_unlock_irqrestore(&kgq_lock, flags);
		kgq_release(&e);
	}
}

/*
 * From free_pages_prepare(), the block ready for the free lists: true if
 * it waits here instead.
 */
bool arch_quarantine_page(struct page *page, unsigned int order)
{
	unsigned long flags, size = PAGE_SIZE << order;
	struct kgq_entry *e, oldest;
	bool full;

	if (!READ_ONCE(kgq_on) || page == kgq_releasing || size > kgq_limit / 4)
		return false;
	raw_spin_lock_irqsave(&kgq_lock, flags);
	/*
	 * Every slot taken (single pages fill them exactly at the bound): the
	 * oldest makes way.  Turning the new page away instead let every
	 * later free skip the quarantine once a busy run filled it.
	 */
	full = kgq_count == KGQ_SLOTS;
	if (full)
		oldest = kgq_pop();
	e = &kgq_ring[(kgq_first + kgq_count) % KGQ_SLOTS];
	kgq_count++;
	kgq_bytes += size;
	e->page = page;
	e->order = order;
	/* First, while no slot below the mem_map's block is free. */
	e->data_block = VALGRIND_CREATE_BLOCK(page_address(page), size,
					      "kgrind: page in quarantine, freed at");
	VALGRIND_DISCARD(kgq_spare[--kgq_nr_spare]);
	e->block = VALGRIND_CREATE_BLOCK(page, sizeof(*page) << order,
					 "kgrind: struct page in quarantine, freed at");
	raw_spin_unlock_irqrestore(&kgq_lock, flags);
	if (full)
		kgq_release(&oldest);
	kgq_trim(kgq_limit);
	return true;
}

unsigned long kgq_waiting_bytes(void)
{
	return READ_ONCE(kgq_bytes);
}
