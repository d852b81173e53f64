/* SPDX-License-Identifier: GPL-2.0 */
/* What the arch code calls in kgrind's allocators (allocators/). */
#ifndef _ASM_KGRIND_ALLOC_H
#define _ASM_KGRIND_ALLOC_H

/* After halt: memcheck forgets the slab objects still allocated. */
void kgslab_forget_all(void);

/* After halt, then: page allocations nothing points to are reported. */
void kgleak_check_at_halt(void);
/* ... reading only the slab objects still in use (allocators/slab.c). */
struct slab;
void kgslab_for_each_object(struct slab *slab,
			    void (*fn)(const void *p, size_t size, void *arg),
			    void *arg);

/*
 * What of the RAM memcheck's leak check scans as roots: all but the slab
 * allocator's pages (allocators/leak_roots.c).
 */
struct page;
#ifdef CONFIG_KGRIND_PAGE_ANNOTATIONS
void kgroots_setup(unsigned long span_bytes);
void kgroots_add_boot_memory(void);
void kgroots_note_alloc(struct page *page, unsigned int order);
void kgroots_note_free(struct page *page, unsigned int order);
void kgroots_forget_all(void);
/* Around the slab allocator's page allocations: its objects are
 * memcheck blocks of their own, which a root block must not cover. */
void kgroots_slab_pages_begin(void);
void kgroots_slab_pages_end(void);
/* Page allocations nothing points to now, for memcheck's next leak check. */
long kgleak_check_now(void *unused);
#else
static inline long kgleak_check_now(void *unused) { return 0; }
static inline void kgroots_add_boot_memory(void) { }
static inline void kgroots_forget_all(void) { }
static inline void kgroots_slab_pages_begin(void) { }
static inline void kgroots_slab_pages_end(void) { }
#endif

/* The kernel's RAM (allocators/pages.c), laid out in setup_arch. */
void kgmem_setup(unsigned long boot_bytes, unsigned long max_bytes);
unsigned long kgmem_span_bytes(void);

/* Host memory for it, and what else they need of the host (setup.c). */
void *kgrind_host_mem_reserve(unsigned long size, unsigned long align);
void *kgrind_host_ram_reserve(unsigned long size, unsigned long align);
int kgrind_host_mem_commit(void *addr, unsigned long size);
void kgrind_host_mem_free(void *addr, unsigned long size);
void *kgrind_host_mem_reserve_readable(unsigned long size);
void kgrind_host_print(const char *text, int len);
void kgrind_host_for_each_data_segment(void (*fn)(const void *start,
						  unsigned long len, void *arg),
				       void *arg);

#endif
