/* SPDX-License-Identifier: GPL-2.0 */
/* The page allocation records of page_leaks.c, kept by pages.c. */
#ifndef KGRIND_PAGE_LEAKS_H
#define KGRIND_PAGE_LEAKS_H

#ifdef CONFIG_KGRIND_PAGE_ANNOTATIONS
void kgleak_setup(unsigned long span_bytes);
void kgleak_note_alloc(struct page *page, unsigned int order);
void kgleak_note_free(struct page *page, unsigned int order);
#else
static inline void kgleak_setup(unsigned long span_bytes) { }
static inline void kgleak_note_alloc(struct page *page, unsigned int order) { }
static inline void kgleak_note_free(struct page *page, unsigned int order) { }
#endif

#endif
