/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the arch calls in kgrind's allocators (allocators/), and nothing
 * else: the allocators never call back into the arch's files but through
 * the host table's wrappers (asm/kgrind_host.h).
 */
#ifndef _ASM_KGRIND_ALLOC_H
#define _ASM_KGRIND_ALLOC_H

/* The kernel's RAM (allocators/pages.c), laid out in setup_arch. */
void kgmem_setup(unsigned long boot_bytes, unsigned long max_bytes);
unsigned long kgmem_span_bytes(void);

/* After halt: memcheck forgets the slab objects still allocated. */
void kgslab_forget_all(void);

#ifdef CONFIG_KGRIND_PAGE_ANNOTATIONS
/* The boot allocator's memory, as a leak check root (leak_roots.c). */
void kgroots_add_boot_memory(void);
/* After halt: memcheck forgets the roots. */
void kgroots_forget_all(void);
/* Page allocations nothing points to now, for memcheck's next leak check. */
long kgleak_check_now(void *unused);
/* After halt, then: page allocations nothing points to are reported. */
void kgleak_check_at_halt(void);
#else
static inline void kgroots_add_boot_memory(void) { }
static inline void kgroots_forget_all(void) { }
static inline long kgleak_check_now(void *unused) { return 0; }
static inline void kgleak_check_at_halt(void) { }
#endif

#endif
