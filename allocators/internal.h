/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the allocators' files call of each other: pages.c of the leak
 * tables (page_leaks.c, leak_roots.c) and the page quarantine
 * (page_quarantine.c), page_leaks.c of the slab, slab.c of the roots.
 * The baseline kernel of make bench builds pages.c alone: without
 * CONFIG_KGRIND_PAGE_ANNOTATIONS every call here is an empty stub.
 */
#ifndef KGRIND_ALLOCATORS_INTERNAL_H
#define KGRIND_ALLOCATORS_INTERNAL_H

struct page;
struct slab;

#ifdef CONFIG_KGRIND_PAGE_ANNOTATIONS
/* page_leaks.c: which pages are allocated, for the leak check. */
void kgleak_setup(unsigned long span_bytes);
void kgleak_note_alloc(struct page *page, unsigned int order);
void kgleak_note_free(struct page *page, unsigned int order);

/* leak_roots.c: what of the RAM memcheck's leak check scans as roots. */
void kgroots_setup(unsigned long span_bytes);
void kgroots_note_alloc(struct page *page, unsigned int order);
void kgroots_note_free(struct page *page, unsigned int order);
/* Around the slab allocator's page allocations: its objects are
 * memcheck blocks of their own, which a root block must not cover. */
void kgroots_slab_pages_begin(void);
void kgroots_slab_pages_end(void);

/* page_quarantine.c: freed pages wait before reuse. */
unsigned long kgq_room(unsigned long cap_bytes);
void kgq_setup(void);
unsigned long kgq_waiting_bytes(void);
#else
static inline void kgleak_setup(unsigned long span_bytes) { }
static inline void kgleak_note_alloc(struct page *page, unsigned int order) { }
static inline void kgleak_note_free(struct page *page, unsigned int order) { }
static inline void kgroots_setup(unsigned long span_bytes) { }
static inline void kgroots_note_alloc(struct page *page, unsigned int order) { }
static inline void kgroots_note_free(struct page *page, unsigned int order) { }
static inline void kgroots_slab_pages_begin(void) { }
static inline void kgroots_slab_pages_end(void) { }
static inline unsigned long kgq_room(unsigned long cap_bytes) { return 0; }
static inline void kgq_setup(void) { }
static inline unsigned long kgq_waiting_bytes(void) { return 0; }
#endif

/* slab.c: the slab objects still in use, for the leak scan. */
void kgslab_for_each_object(struct slab *slab,
			    void (*fn)(const void *p, size_t size, void *arg),
			    void *arg);

#endif
