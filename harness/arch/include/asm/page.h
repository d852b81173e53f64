/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flat memory without an MMU: a kernel "physical" address is the host
 * virtual address of the byte, so __pa and __va are identities and page
 * frame numbers start at the host address of the memory block.
 */
#ifndef _ASM_KGRIND_PAGE_H
#define _ASM_KGRIND_PAGE_H

#include <linux/const.h>

#define PAGE_SHIFT	CONFIG_PAGE_SHIFT
#define PAGE_SIZE	(_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#ifndef __ASSEMBLY__

#include <linux/types.h>

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pgd; } pgd_t;
typedef struct { unsigned long pgprot; } pgprot_t;
typedef struct page *pgtable_t;

#define pte_val(x)	((x).pte)
#define pgd_val(x)	((x).pgd)
#define pgprot_val(x)	((x).pgprot)
#define __pte(x)	((pte_t) { (x) })
#define __pgd(x)	((pgd_t) { (x) })
#define __pgprot(x)	((pgprot_t) { (x) })

/*
 * The kernel's RAM: from memory_start to memory_end, which grows as the
 * kernel takes more from the host (allocators/pages.c).
 */
extern unsigned long memory_start;
extern unsigned long memory_end;

#define PAGE_OFFSET		(memory_start)
#define ARCH_PFN_OFFSET		(memory_start >> PAGE_SHIFT)

#define clear_page(page)	memset((page), 0, PAGE_SIZE)
#define copy_page(to, from)	memcpy((to), (from), PAGE_SIZE)
#define clear_user_page(page, vaddr, pg)	clear_page(page)
#define copy_user_page(to, from, vaddr, pg)	copy_page(to, from)

#define __pa(x)			((unsigned long)(x))
#define __va(x)			((void *)(unsigned long)(x))

#define virt_to_pfn(kaddr)	(__pa(kaddr) >> PAGE_SHIFT)
#define pfn_to_virt(pfn)	__va((unsigned long)(pfn) << PAGE_SHIFT)
#define virt_to_page(addr)	pfn_to_page(virt_to_pfn(addr))
#define page_to_virt(page)	pfn_to_virt(page_to_pfn(page))
#define virt_addr_valid(kaddr)	((unsigned long)(kaddr) >= memory_start && \
				 (unsigned long)(kaddr) < memory_end)

/* Free pages are no-access to memcheck; new pages undefined. */
struct page;
#define HAVE_ARCH_FREE_PAGE
#define HAVE_ARCH_ALLOC_PAGE
void arch_free_page(struct page *page, int order);
void arch_alloc_page(struct page *page, int order);

/* The page allocator asks for more RAM before it reclaims (patch 0003). */
#define HAVE_ARCH_GROW_MEMORY
bool arch_grow_memory(unsigned int order);

/* Under memcheck freed pages wait before reuse (patch 0004). */
#ifdef CONFIG_KGRIND_PAGE_ANNOTATIONS
#define HAVE_ARCH_PAGE_QUARANTINE
bool arch_quarantine_page(struct page *page, unsigned int order);
#endif

#endif /* __ASSEMBLY__ */

#include <asm-generic/memory_model.h>
#include <asm-generic/getorder.h>

#define page_to_phys(page)	((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT)

#endif
