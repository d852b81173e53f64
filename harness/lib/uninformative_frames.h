/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stack frames that say nothing of a bug, in one list for the C runner
 * (memcheck_report.c: where a report's shown stack starts) and for
 * scripts/kgrun (failsweep.py: a failed allocation's site and a
 * finding's key), which reads these lines as data.  A name matches with
 * gcc's clone suffixes (".part.0", ".constprop.0", ...).
 *
 * KG_FRAME_PREFIX  functions whose name starts so
 * KG_FRAME_NAME    the function of that name
 * KG_FRAME_FILE    every function of that file (basename)
 * KG_FRAME_ENTRY   functions whose name starts so, where a host thread
 *                  entered the kernel: the kernel's frames end there
 *                  (only the sweep's keys stop at it)
 */
/* kgrind's allocators and fault injection. */
KG_FRAME_PREFIX("kgslab_")
KG_FRAME_PREFIX("kgmem_")
KG_FRAME_PREFIX("kgleak_")
KG_FRAME_PREFIX("kgroots_")
KG_FRAME_PREFIX("kgq_")
KG_FRAME_NAME("VALGRIND_PRINTF_BACKTRACE")
KG_FRAME_NAME("arch_fault_injected")
KG_FRAME_NAME("arch_printk_formatted")
KG_FRAME_PREFIX("should_fail")
KG_FRAME_PREFIX("__should_fail")
/* The slab API's entry points. */
KG_FRAME_PREFIX("kmem_cache_alloc")
KG_FRAME_PREFIX("__kmalloc")
KG_FRAME_PREFIX("kmalloc")
KG_FRAME_PREFIX("kzalloc")
KG_FRAME_PREFIX("kcalloc")
KG_FRAME_PREFIX("krealloc")
KG_FRAME_PREFIX("kvmalloc")
KG_FRAME_PREFIX("__kvmalloc")
KG_FRAME_PREFIX("kvzalloc")
KG_FRAME_PREFIX("kmemdup")
KG_FRAME_PREFIX("kstrdup")
KG_FRAME_PREFIX("kstrndup")
/* The page allocator, below and at its entry points. */
KG_FRAME_NAME("arch_free_page")
KG_FRAME_NAME("arch_quarantine_page")
KG_FRAME_NAME("free_pages_prepare")
KG_FRAME_NAME("free_unref_page")
KG_FRAME_NAME("__free_pages_ok")
KG_FRAME_NAME("arch_alloc_page")
KG_FRAME_NAME("post_alloc_hook")
KG_FRAME_NAME("prep_new_page")
KG_FRAME_NAME("get_page_from_freelist")
KG_FRAME_NAME("prepare_alloc_pages")
KG_FRAME_PREFIX("__alloc_pages")
KG_FRAME_PREFIX("alloc_pages")
KG_FRAME_PREFIX("__alloc_frozen_pages")
KG_FRAME_PREFIX("folio_alloc")
KG_FRAME_PREFIX("__folio_alloc")
KG_FRAME_PREFIX("__get_free_pages")
KG_FRAME_PREFIX("get_zeroed_page")
/* Inline atomic and reference count helpers (a page freed twice is seen
 * four frames deep in them). */
KG_FRAME_FILE("atomic.h")
KG_FRAME_FILE("atomic-arch-fallback.h")
KG_FRAME_FILE("atomic-instrumented.h")
KG_FRAME_FILE("atomic-long.h")
KG_FRAME_FILE("page_ref.h")
/* Where the kernel's frames end. */
KG_FRAME_ENTRY("kgrind_entry_run")
KG_FRAME_ENTRY("kgrind_enter_as")
KG_FRAME_ENTRY("kgrind_enter")
KG_FRAME_ENTRY("kg_kernel_")
