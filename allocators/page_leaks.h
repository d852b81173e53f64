/* SPDX-License-Identifier: GPL-2.0 */
/* What pages.c calls of page_leaks.c and page_quarantine.c. */
#ifndef KGRIND_PAGE_LEAKS_H
#define KGRIND_PAGE_LEAKS_H

#ifdef CONFIG_KGRIND_PAGE_ANNOTATIONS
void kgleak_setup(unsigned long span_bytes);
void kgleak_note_alloc(struct page *page, unsigned int order);
void kgleak_note_free(struct page *page, unsigned int order);
/* The page quarantine (page_quarantine.c). */
void kgq_setup(unsigned long cap_bytes);
bool kgq_flush(void);
unsigned long kgq_waiting_bytes(void);
#else
static inline void kgleak_setup(unsigned long span_bytes) { }
static inline void kgleak_note_alloc(struct page *page, unsigned int order) { }
static inline void kgleak_note_free(struct page *page, unsigned int order) { }
static inline void kgq_setup(unsigned long cap_bytes) { }
static inline bool kgq_flush(void) { return false; }
static inline unsigned long kgq_waiting_bytes(void) { return 0; }
#endif

#endif
