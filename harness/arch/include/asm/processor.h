/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_PROCESSOR_H
#define _ASM_KGRIND_PROCESSOR_H

#include <asm/ptrace.h>

#ifndef __ASSEMBLY__

struct task_struct;

/* What a task needs to run: a context, or a host thread's task. */
struct thread_struct {
	struct pt_regs		regs;
	unsigned long		sp;		/* a context's, while it is off the CPU */
	unsigned int		stack_id;	/* its stack, as memcheck knows it */
	void			*sem;		/* a host thread's task sleeps on it */
	int			(*fn)(void *);	/* kernel thread body */
	void			*fn_arg;
	unsigned long		flags;		/* KGRIND_THREAD_* */
	void			*host_entry;	/* where a host thread's task parks */
	char			host_name[16];	/* comm as last given to the host */
	int			slab_pages;	/* taking pages for slab objects */
	/*
	 * The kernel frames on its host stack while it sleeps in __switch_to,
	 * [stack_lo, stack_hi); stack_lo is 0 while it runs or is parked.
	 * The page leak scan reads them (allocators/page_leaks.c).
	 */
	unsigned long		stack_lo, stack_hi;
	/* make failsweep: the step its fail-nth was set for (fail_nth.c). */
	unsigned long		fail_step;
};

#define INIT_THREAD { }

#define task_pt_regs(tsk)	(&(tsk)->thread.regs)

/* User addresses are host addresses of the caller's memory. */
#define TASK_SIZE		(0x800000000000UL)
#define TASK_UNMAPPED_BASE	0
#define STACK_TOP		TASK_SIZE
#define STACK_TOP_MAX		STACK_TOP

#define KSTK_EIP(tsk)		(0)
#define KSTK_ESP(tsk)		(0)

void kgrind_cpu_relax(void);
#define cpu_relax()		kgrind_cpu_relax()

static inline void start_thread(struct pt_regs *regs, unsigned long pc,
				unsigned long sp)
{
}

unsigned long __get_wchan(struct task_struct *p);

static inline void prefetch(const void *x) { }
static inline void prefetchw(const void *x) { }

#endif /* __ASSEMBLY__ */

#endif
