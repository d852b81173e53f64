/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_MMU_CONTEXT_H
#define _ASM_KGRIND_MMU_CONTEXT_H

/* One address space, the host process's: nothing to switch. */
struct mm_struct;
struct task_struct;

static inline void switch_mm(struct mm_struct *prev, struct mm_struct *next,
			     struct task_struct *tsk)
{
}

/* After each switch, before a dead task's stack is freed (threads.c). */
void kgrind_finish_switch(void);
#define finish_arch_post_lock_switch kgrind_finish_switch

#include <asm-generic/mmu_context.h>

#endif
