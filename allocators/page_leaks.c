// SPDX-License-Identifier: GPL-2.0
/*
 * Page leaks, found after each test and at halt.
 *
 * Memcheck's own leak check cannot find them: the page cache, pipes and
 * sockets hold a page only by its struct page, never by its address, so
 * a page that were a memcheck block would look lost while in use.  Here
 * a page allocation is live if its memory or its struct page is pointed
 * to, which only a scan that knows both can tell.
 *
 * Every allocation is recorded by its first page: its order, and under
 * memcheck a token, a mempool chunk of the allocation's size at the same
 * offset in a mirror of the RAM (address space memcheck keeps no-access),
 * one mirror per order.  Within one order, tokens never contain another's
 * start (blocks are aligned to their size), so a stale token value left
 * in a register or stack, from an earlier allocation of another order
 * that began inside this one, cannot make memcheck call the leak
 * "possibly lost" (it did, now and then).
 * Memcheck keeps the allocation stack of the token; a table of pointers
 * to the tokens keeps them reachable while the kernel runs.
 *
 * The scan is conservative, like kmemleak's.  After each test (under
 * memcheck, called by the runner before memcheck's leak check) it runs
 * with interrupts off on the one CPU, so nothing changes while it reads:
 * the program's data and bss, the kernel frames of every sleeping task
 * (__switch_to saves its registers there), the RAM in use (of a slab
 * only its live objects, of the page cache only the struct pages: file
 * data holds no kernel pointers) and the struct pages in use.  A
 * reference from inside an allocation to itself does not count.  A page
 * pointed to from any memory in use is not reported, even if that memory
 * is itself leaked (memcheck reports that leak).  The table forgets the
 * tokens of allocations nothing points to, and memcheck's leak check
 * then reports each as definitely lost, with the stack that allocated
 * it, in the test that lost it.  At halt, with every kernel thread
 * stopped, one last scan finds what the suite's teardown left.
 *
 * Known limit: after split_page(), the block is judged as a whole by its
 * first page's record.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <asm/kgrind_alloc.h>
#include <asm/kgrind_host.h>
#include <valgrind/memcheck.h>
#include <mm/internal.h>	/* buddy_order() */
#include <mm/slab.h>	/* page_slab() */
#include "internal.h"

#define KGLEAK_ORDER_MASK	0x1f	/* order + 1; 0: no allocation starts here */
#define KGLEAK_STACK		0x40	/* a context's stack: its live part is scanned */
#define KGLEAK_SEEN		0x80	/* pointed to, in the scan at halt */

static unsigned long kgleak_pages;	/* pages of the span */
static unsigned long kgleak_table_bytes;
static u8 *kgleak_info;			/* per page: order + 1, SEEN */
static void **kgleak_tokens;		/* per page, under memcheck */
static unsigned long kgleak_mirror;	/* the tokens' address space */
#define KGLEAK_MIRRORS		(MAX_PAGE_ORDER + 1)
static char kgleak_pool;

/* Committed RAM and the struct pages of it, while the scan runs. */
static unsigned long kgleak_ram_bytes, kgleak_memmap_bytes;

/* In setup_arch, once the span is laid out: the tables, in host memory. */
void __init kgleak_setup(unsigned long span_bytes)
{
	void *table;

	if (!IS_ENABLED(CONFIG_KGRIND_PAGE_ANNOTATIONS))
		return;
	kgleak_pages = span_bytes >> PAGE_SHIFT;
	kgleak_table_bytes = PAGE_ALIGN(kgleak_pages *
			(sizeof(*kgleak_info) +
			 (RUNNING_ON_VALGRIND ? sizeof(*kgleak_tokens) : 0)));
	table = kgrind_host_mem_reserve(kgleak_table_bytes, PAGE_SIZE);
	if (!table || kgrind_host_mem_commit(table, kgleak_table_bytes))
		panic("kgrind: no host memory for the page leak tables");
	if (RUNNING_ON_VALGRIND) {
		kgleak_tokens = table;
		kgleak_info = table + kgleak_pages * sizeof(*kgleak_tokens);
		/*
		 * Readable, or memcheck ignores pointers to the tokens, but
		 * no-access to it: never touched, and skipped in leak checks.
		 */
		kgleak_mirror = (unsigned long)kgrind_host_mem_reserve_readable(
					span_bytes * KGLEAK_MIRRORS);
		if (!kgleak_mirror)
			panic("kgrind: no host address space for page leak tokens");
		VALGRIND_MAKE_MEM_NOACCESS(kgleak_mirror, span_bytes * KGLEAK_MIRRORS);
		VALGRIND_CREATE_MEMPOOL(&kgleak_pool, 0, 0);
	} else {
		kgleak_info = table;
	}
}

static inline unsigned long kgleak_index(struct page *page)
{
	return page_to_pfn(page) - ARCH_PFN_OFFSET;
}

void kgleak_note_alloc(struct page *page, unsigned int order)
{
	unsigned long i = kgleak_index(page);
	void *token;

	if (!kgleak_info)
		return;
	kgleak_info[i] = order + 1;
	if (!kgleak_tokens)
		return;
	token = (void *)(kgleak_mirror + ((order * kgleak_pages + i) << PAGE_SHIFT));
	VALGRIND_MEMPOOL_ALLOC(&kgleak_pool, token, PAGE_SIZE << order);
	VALGRIND_MAKE_MEM_NOACCESS(token, PAGE_SIZE << order);
	kgleak_tokens[i] = token;
}

/* Forgets the allocations that start in the freed block. */
void kgleak_note_free(struct page *page, unsigned int order)
{
	unsigned long first = kgleak_index(page), i;

	if (!kgleak_info)
		return;
	for (i = first; i < first + (1UL << order); i++) {
		if (!kgleak_info[i])
			continue;
		kgleak_info[i] = 0;
		if (kgleak_tokens && kgleak_tokens[i]) {
			VALGRIND_MEMPOOL_FREE(&kgleak_pool, kgleak_tokens[i]);
			kgleak_tokens[i] = NULL;
		}
	}
}

/* Memcheck's definedness bits of the words being scanned (0: defined). */
#define KGLEAK_VBITS_CHUNK	PAGE_SIZE
static unsigned long kgleak_vbits[KGLEAK_VBITS_CHUNK / sizeof(long)];

/*
 * Marks the pages that the words of [start, start + len) point to, by
 * address or by struct page, except those of the allocation
 * [self, self_end) the words belong to.  Under memcheck, in memory that
 * may hold stale values (new pages, slab objects, stacks: written_only)
 * a word its owner never wrote (undefined) is skipped: it holds a value
 * from the memory's last user, not a pointer, and counting it would let
 * a leak hide behind whatever was there before (it did, now and then).
 * Memcheck is asked only for a word that would mark a page not marked
 * yet: asking costs more than the scan itself.  Static data and struct
 * pages are always written.
 */
static void kgleak_scan_words(const unsigned long *w, const unsigned long *end,
			      unsigned long self, unsigned long self_end,
			      bool written_only)
{
	unsigned long memmap = (unsigned long)mem_map, i;
	const unsigned long *first = w;
	int vbits = written_only && RUNNING_ON_VALGRIND ? 0 : -1;

	for (; w < end; w++) {
		unsigned long v = *w;

		/* The memmap is in the RAM. */
		if (v - memory_start >= kgleak_ram_bytes)
			continue;
		if (v - memmap < kgleak_memmap_bytes)
			i = (v - memmap) / sizeof(struct page);
		else
			i = (v - memory_start) >> PAGE_SHIFT;
		if ((kgleak_info[i] & KGLEAK_SEEN) || i - self < self_end - self)
			continue;
		/* 0: not asked yet; 1: known; -1: not to ask, or unanswered */
		if (!vbits)
			vbits = VALGRIND_GET_VBITS(first, kgleak_vbits,
						   (end - first) * sizeof(long)) == 1 ? 1 : -1;
		if (vbits == 1 && kgleak_vbits[w - first])
			continue;
		kgleak_info[i] |= KGLEAK_SEEN;
	}
}

static void kgleak_scan(const void *start, unsigned long len,
			unsigned long self, unsigned long self_end, bool written_only)
{
	const unsigned long *w = PTR_ALIGN(start, sizeof(long));
	const unsigned long *end = (const void *)ALIGN_DOWN((unsigned long)start + len,
							    sizeof(long));
	const unsigned long *next;

	for (; w < end; w = next) {
		next = min(end, w + ARRAY_SIZE(kgleak_vbits));
		kgleak_scan_words(w, next, self, self_end, written_only);
	}
}

/*
 * Whether the host's segments held the kernel's own data: without its
 * static pointers, every allocation they hold would look lost.
 */
static bool kgleak_kernel_data_scanned;

/*
 * The program's data, but for the idle task's stack in it (init_stack):
 * its part below the saved stack pointer holds whatever the interrupts
 * and softirqs run on it left, not pointers anybody keeps.
 */
static void kgleak_scan_segment(const void *start, unsigned long len, void *arg)
{
	const void *end = start + len, *stack = init_stack;

	if ((unsigned long)&kgleak_pages - (unsigned long)start < len)
		kgleak_kernel_data_scanned = true;
	if (stack < start || stack >= end) {
		kgleak_scan(start, len, 0, 0, false);
		return;
	}
	kgleak_scan(start, stack - start, 0, 0, false);
	if (stack + THREAD_SIZE < end)
		kgleak_scan(stack + THREAD_SIZE, end - (stack + THREAD_SIZE), 0, 0, false);
}

struct kgleak_self {
	unsigned long self, self_end;
};

static void kgleak_scan_object(const void *p, size_t size, void *arg)
{
	struct kgleak_self *in = arg;

	kgleak_scan(p, size, in->self, in->self_end, true);
}

/* The whole struct page array, the cap's too. */
static bool kgleak_in_memmap(unsigned long addr)
{
	return addr - (unsigned long)mem_map < kgleak_pages * sizeof(struct page);
}

/*
 * A page outside every recorded allocation, neither reserved nor
 * referenced: free, on a per-cpu list.  Its stale contents do not count.
 */
static bool kgleak_free_page(struct page *page)
{
	return !PageReserved(page) && !page_ref_count(page);
}

/*
 * A page of the page cache: file data, where the kernel keeps no
 * pointers (kmemleak does not scan it either).  Reading it would be
 * most of the scan's work after a test that writes files.
 */
static bool kgleak_file_data(struct page *page)
{
	unsigned long mapping = (unsigned long)page_folio(page)->mapping;

	return mapping && !(mapping & PAGE_MAPPING_FLAGS);
}

/*
 * Every page in use: its struct page, and its memory: of a slab only the
 * objects in use, of the page cache none.
 */
static void kgleak_scan_ram(unsigned long pages)
{
	unsigned long i, self = 0, self_end = 0, skip_end = 0;

	for (i = 0; i < pages; i++) {
		struct page *page = mem_map + i;
		unsigned long addr = memory_start + (i << PAGE_SHIFT);
		u8 order = kgleak_info[i] & KGLEAK_ORDER_MASK;

		if (PageBuddy(page)) {
			i += (1UL << buddy_order(page)) - 1;
			continue;
		}
		if (order) {
			self = i;
			self_end = i + (1UL << (order - 1));
		}
		kgleak_scan(page, sizeof(*page), self, self_end, false);
		if (i < skip_end || kgleak_in_memmap(addr) ||
		    (kgleak_info[i] & KGLEAK_STACK))
			continue;
		if (i >= self_end && kgleak_free_page(page))
			continue;
		if (IS_ENABLED(CONFIG_KGRIND_SLAB_VALGRIND) && PageSlab(page)) {
			struct kgleak_self in = { self, self_end };

			kgslab_for_each_object(page_slab(page), kgleak_scan_object, &in);
			skip_end = i + folio_nr_pages(page_folio(page));
			continue;
		}
		if (kgleak_file_data(page)) {
			skip_end = i + folio_nr_pages(page_folio(page));
			continue;
		}
		kgleak_scan((void *)addr, PAGE_SIZE, self, self_end, true);
	}
}

/*
 * Allocations nothing pointed to: counted, and their tokens dropped, so
 * that memcheck's next leak check reports them.  One already reported
 * (its token dropped) is not counted again.
 */
static unsigned long kgleak_collect(unsigned long pages, unsigned long *bytes)
{
	unsigned long i, j, n = 0;

	*bytes = 0;
	for (i = 0; i < pages; i++) {
		u8 order = kgleak_info[i] & KGLEAK_ORDER_MASK;
		unsigned long end;
		bool seen = false;

		if (!order || (kgleak_tokens && !kgleak_tokens[i]))
			continue;
		end = min(i + (1UL << (order - 1)), pages);
		for (j = i; j < end && !seen; j++)
			seen = kgleak_info[j] & KGLEAK_SEEN;
		if (seen)
			continue;
		n++;
		*bytes += PAGE_SIZE << (order - 1);
		if (kgleak_tokens)
			kgleak_tokens[i] = NULL;
	}
	return n;
}

/*
 * A context's stack from its saved stack pointer up (its registers are
 * saved there), and the stack's pages marked, so that the RAM's scan
 * leaves them: below that pointer lie the frames it popped, whose stale
 * words would keep anything they once pointed to.
 */
static void kgleak_scan_context_stack(struct task_struct *t)
{
	unsigned long lo = t->thread.sp, top = (unsigned long)task_stack_page(t) + THREAD_SIZE;
	unsigned long i, first = ((unsigned long)task_stack_page(t) - memory_start) >> PAGE_SHIFT;

	if (lo > top - THREAD_SIZE && lo < top)
		kgleak_scan((void *)lo, top - lo, 0, 0, true);
	if (first >= kgleak_ram_bytes >> PAGE_SHIFT)
		return;		/* init_stack: in the program's data */
	for (i = 0; i < THREAD_SIZE >> PAGE_SHIFT; i++)
		kgleak_info[first + i] |= KGLEAK_STACK;
}

/*
 * The kernel frames of every sleeping task but the caller's, which
 * holds only the scan's own state: a context's on its stack, a host
 * thread's task's on that thread's stack, where __switch_to saved its
 * registers.
 */
static void kgleak_scan_task_stacks(void)
{
	struct task_struct *g, *t;

	kgleak_scan_context_stack(&init_task);
	for_each_process_thread(g, t) {
		unsigned long lo = READ_ONCE(t->thread.stack_lo);
		unsigned long hi = t->thread.stack_hi;

		if (t == current)
			continue;
		if (t->thread.sp)
			kgleak_scan_context_stack(t);
		else if (lo && lo < hi)
			kgleak_scan((void *)lo, hi - lo, 0, 0, true);
	}
}

/*
 * One scan: what the data, the RAM in use and (with the kernel running)
 * the sleeping tasks' stacks point to; the rest is leaked.  With
 * interrupts off on the one CPU, nothing changes while it reads.
 */
static unsigned long kgleak_find(bool running, unsigned long *bytes)
{
	unsigned long pages, i, leaks, flags = 0;

	/*
	 * At halt the kernel is stopped and its slab forgotten: an interrupt
	 * raised late must stay pending, not run on the last task's freed
	 * task_struct when interrupts come back on.
	 */
	if (running)
		local_irq_save(flags);
	kgleak_ram_bytes = memory_end - memory_start;
	pages = kgleak_ram_bytes >> PAGE_SHIFT;
	kgleak_memmap_bytes = pages * sizeof(struct page);
	for (i = 0; i < pages; i++)
		kgleak_info[i] &= ~(KGLEAK_SEEN | KGLEAK_STACK);

	/* Free memory, redzones and undefined words are read on purpose. */
	VALGRIND_DISABLE_ERROR_REPORTING;
	kgleak_kernel_data_scanned = false;
	kgrind_host_for_each_data_segment(kgleak_scan_segment, NULL);
	if (running)
		kgleak_scan_task_stacks();
	kgleak_scan_ram(pages);
	*bytes = 0;
	leaks = kgleak_kernel_data_scanned ? kgleak_collect(pages, bytes) : 0;
	VALGRIND_ENABLE_ERROR_REPORTING;
	if (running)
		local_irq_restore(flags);
	WARN_ONCE(running && !kgleak_kernel_data_scanned,
		  "kgrind: the kernel's data is not among the page leak scan's roots: no page leak is reported");
	return leaks;
}

static void kgleak_say(unsigned long leaks, unsigned long bytes, const char *when)
{
	char msg[160];
	int len;

	len = scnprintf(msg, sizeof(msg),
			"kgrind: %lu page allocation(s), %lu KiB, unreferenced %s: leaked%s\n",
			leaks, bytes >> 10, when,
			kgleak_tokens ? " (memcheck reports each with its allocation stack)" : "");
	kgrind_host_print(msg, len);
}

/*
 * After each test, under memcheck: the page leaks since the last check,
 * which memcheck's leak check that follows reports in that test.
 */
long kgleak_check_now(void *unused)
{
	unsigned long leaks, bytes;

	if (!kgleak_tokens)
		return 0;
	leaks = kgleak_find(true, &bytes);
	if (!kgleak_kernel_data_scanned)
		return -ENOENT;
	if (leaks)
		kgleak_say(leaks, bytes, "after the test");
	return leaks;
}

/*
 * At halt, with the kernel stopped and its slab objects already
 * forgotten by memcheck: finds the page leaks left, has memcheck report
 * them, and gives the tables back to the host.
 */
void kgleak_check_at_halt(void)
{
	unsigned long leaks, bytes;

	if (!kgleak_info)
		return;
	leaks = kgleak_find(false, &bytes);
	if (leaks) {
		kgleak_say(leaks, bytes, "at halt");
		if (kgleak_tokens)
			VALGRIND_DO_ADDED_LEAK_CHECK;
	}
	if (kgleak_tokens) {
		VALGRIND_DESTROY_MEMPOOL(&kgleak_pool);
		kgrind_host_mem_free((void *)kgleak_mirror,
				     (kgleak_pages * KGLEAK_MIRRORS) << PAGE_SHIFT);
	}
	kgrind_host_mem_free(kgleak_tokens ? (void *)kgleak_tokens : kgleak_info,
			     kgleak_table_bytes);
	kgleak_info = NULL;
	kgleak_tokens = NULL;
}
