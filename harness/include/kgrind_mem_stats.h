/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's memory in numbers, shared by the kernel (which fills it)
 * and the host API (kg_mem_stats).  Includes nothing, like
 * kgrind_host_ops.h.
 */
#ifndef KGRIND_MEM_STATS_H
#define KGRIND_MEM_STATS_H

/* The kernel's memory, as kg_mem_stats() reports it; all in bytes. */
struct kg_mem_stats {
	unsigned long boot;	/* RAM the kernel booted with */
	unsigned long added;	/* RAM taken from the host since */
	unsigned long growths;	/* how many times it grew */
	unsigned long cap;	/* most RAM it may have */
	unsigned long quarantine_room;	/* more, for freed pages in quarantine */
	unsigned long total;	/* RAM the page allocator manages now */
	unsigned long free;	/* of which free */
	unsigned long peak_used;	/* most RAM in use at once */
	unsigned long memmap;	/* struct page array, for boot RAM and growth */
};

#endif
