/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_THREAD_INFO_H
#define _ASM_KGRIND_THREAD_INFO_H

#include <asm/page.h>

/*
 * A kernel task runs on its stack (threads.c), and so do the host's
 * functions it calls: 64 KiB, four times x86-64's, for code that runs
 * under memcheck and calls into the host.
 */
#define THREAD_SIZE_ORDER	4
#define THREAD_SIZE		(PAGE_SIZE << THREAD_SIZE_ORDER)

#ifndef __ASSEMBLY__

struct thread_info {
	unsigned long		flags;
	int			preempt_count;
	unsigned long		syscall_work;
};

#define INIT_THREAD_INFO(tsk)			\
{						\
	.flags		= 0,			\
	.preempt_count	= INIT_PREEMPT_COUNT,	\
}

#endif /* __ASSEMBLY__ */

#define TIF_SYSCALL_TRACE	0
#define TIF_NOTIFY_RESUME	1
#define TIF_SIGPENDING		2
#define TIF_NEED_RESCHED	3
#define TIF_MEMDIE		4
#define TIF_NOTIFY_SIGNAL	5
#define TIF_RESTORE_SIGMASK	6

#define _TIF_SYSCALL_TRACE	(1 << TIF_SYSCALL_TRACE)
#define _TIF_NOTIFY_RESUME	(1 << TIF_NOTIFY_RESUME)
#define _TIF_SIGPENDING		(1 << TIF_SIGPENDING)
#define _TIF_NEED_RESCHED	(1 << TIF_NEED_RESCHED)
#define _TIF_MEMDIE		(1 << TIF_MEMDIE)
#define _TIF_NOTIFY_SIGNAL	(1 << TIF_NOTIFY_SIGNAL)
#define _TIF_RESTORE_SIGMASK	(1 << TIF_RESTORE_SIGMASK)

#endif
