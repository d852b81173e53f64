// SPDX-License-Identifier: GPL-2.0
/*
 * kg_fork(): the process forks, and the child's kernel is the parent's,
 * copied.
 *
 * The copy is taken inside a kernel call of the forking host thread's
 * task, with interrupts off, when no other host thread is inside the
 * kernel: every other task is then a context saved in the kernel's
 * memory (threads.c) or a host thread's task parked between calls, and
 * the CPU thread sleeps at home.  The host's side quiets its own threads
 * around the fork (the host's fork operation).  In the child only the
 * forking thread exists: the CPU thread is started again, and the tasks
 * of the parent's other host threads, which no thread will ever call in
 * again, exit.  With kgrind_program=1 the forking thread's task exits
 * too, and the child's process is made anew with its own pid.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/irqflags.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <asm/kgrind.h>

static long kgrind_fork_in_task(void *unused)
{
	long pid;

	if (atomic_read(&kgrind_host_calls) != 1)
		return -EBUSY;
	local_irq_disable();
	pid = kgrind_host->fork();
	if (pid == 0 && kgrind_cpu_thread_start())
		panic("kgrind: no CPU thread in the forked child");
	local_irq_enable();
	return pid;
}

/* A task of one of the parent's other host threads, still alive. */
static long kgrind_find_orphan(void *unused)
{
	struct task_struct *g, *t, *found = NULL;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if ((t->thread.flags & KGRIND_THREAD_HOST) && t != current &&
		    !(t->flags & PF_EXITING)) {
			found = t;
			goto out;
		}
	}
out:
	rcu_read_unlock();
	return (long)found;
}

static long kgrind_forked_process(void *unused)
{
	kgrind_host_process_forked();
	return 0;
}

long kg_kernel_fork(void)
{
	long pid = kgrind_run_in_task(kgrind_fork_in_task, NULL);
	struct task_struct *orphan, *self;

	if (pid)
		return pid;
	while ((orphan = (void *)kgrind_run_in_task(kgrind_find_orphan, NULL)))
		kgrind_host_task_exit(orphan);
	if (kgrind_program) {
		/* The child's process is a new one: its next call makes it. */
		kgrind_run_in_task(kgrind_forked_process, NULL);
		self = kgrind_host->tls_get();
		kgrind_host->tls_set(NULL);
		kgrind_host_task_exit(self);
	}
	return 0;
}
