// SPDX-License-Identifier: GPL-2.0
/*
 * make failsweep: the kernel's fail-nth for the tasks of host threads.
 *
 * For one step of a sweep the host asks that fault site n fail
 * (kg_kernel_fail_nth).  Each host thread's task then gets
 * current->fail_nth = n when it next enters the kernel, once per step:
 * what writing n to /proc/thread-self/fail-nth does, without the system
 * calls around it, whose allocations would be counted.  Kernel threads,
 * workqueues and softirqs are never armed: fail-nth is per task, and
 * fault injection honours it in task context only.
 *
 * Each fault injected (arch_fault_injected, called by lib/fault-inject.c)
 * is counted and said on the console; under memcheck its stack goes to
 * memcheck's log and XML, as a client message with a backtrace.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/printk.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <valgrind/valgrind.h>
#include <asm/kgrind.h>
#include "kgrind_host_ops.h"

#ifdef CONFIG_FAULT_INJECTION
/* The fault site to fail in this step (1: the first), 0: none. */
static unsigned int kgrind_fail_nth;
/* Steps are numbered from 1; a task armed for this one has its number. */
static unsigned long kgrind_fail_step;
static atomic_t kgrind_faults_injected;

/* Called as a host thread's task enters the kernel. */
void kgrind_fail_nth_enter(struct task_struct *task)
{
	unsigned long step = READ_ONCE(kgrind_fail_step);

	if (likely(task->thread.fail_step == step))
		return;
	task->thread.fail_step = step;
	task->fail_nth = READ_ONCE(kgrind_fail_nth);
}

/*
 * Ends the step under way and starts one failing fault site n of each
 * entering task (0: none); the faults injected in the step that ended.
 */
long kg_kernel_fail_nth(unsigned int n)
{
	WRITE_ONCE(kgrind_fail_nth, n);
	WRITE_ONCE(kgrind_fail_step, kgrind_fail_step + 1);
	return atomic_xchg(&kgrind_faults_injected, 0);
}

void arch_fault_injected(struct fault_attr *attr)
{
	const char *site = attr->dname[0] ? attr->dname : "a fault site";

	atomic_inc(&kgrind_faults_injected);
	/* The step's N tells the steps of one process apart (make failsweep). */
	pr_notice("kgrind: fault injected: %s failed in %s[%d] (fail-nth %u)\n",
		  site, current->comm, task_pid_nr(current), READ_ONCE(kgrind_fail_nth));
	VALGRIND_PRINTF_BACKTRACE("kgrind: fault injected: %s (fail-nth %u)\n", site,
				  READ_ONCE(kgrind_fail_nth));
}

#else
long kg_kernel_fail_nth(unsigned int n)
{
	return -EOPNOTSUPP;	/* the host says which option is missing */
}
#endif
