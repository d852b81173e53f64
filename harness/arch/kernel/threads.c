// SPDX-License-Identifier: GPL-2.0
/*
 * Every kernel task is a host thread that sleeps on its own semaphore
 * while it is not on the CPU.  Switching wakes the next task's thread and
 * puts the previous one to sleep, so exactly one host thread runs kernel
 * code at any time.
 */
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <asm/switch_to.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include <asm/kgrind.h>

struct task_struct *kgrind_current = &init_task;
struct task_struct *kgrind_last;

/* A task whose host thread must leave before ever running (failed fork). */
static struct task_struct *kgrind_aborted;
static void *kgrind_abort_done;

struct task_struct *kgrind_stealer;

struct task_struct *__switch_to(struct task_struct *prev,
				struct task_struct *next)
{
	struct thread_struct *pt = &prev->thread;
	void *prev_sem = pt->sem;
	bool dead = READ_ONCE(prev->__state) == TASK_DEAD;
	struct kgrind_host_entry *he;
	char sleep_mark;

	/*
	 * Every callee-saved register goes to this frame: a pointer the
	 * task holds only in one is on its stack while it sleeps.
	 */
	__builtin_unwind_init();

	kgrind_last = prev;
	kgrind_current = next;

	if (unlikely(kgrind_stealer) && prev == &init_task) {
		/* A host thread switched idle to its own task: run the call. */
		he = kgrind_stealer->thread.host_entry;
		if (next == kgrind_stealer) {
			kgrind_stealer = NULL;
			kgrind_host_return(he, KGRIND_JUMP_RUN);
		}
		/* Someone else runs first; the thread waits for its task. */
		kgrind_stealer = NULL;
		kgrind_host->sem_up(kgrind_switch_sem(next));
		kgrind_host_return(he, KGRIND_JUMP_WAIT);
	}

	if ((pt->flags & KGRIND_THREAD_HOST) &&
	    ((pt->flags & KGRIND_THREAD_PARKING) || dead)) {
		/* A host thread's call is over: back to its kg_kernel_* call. */
		he = pt->host_entry;
		if (next == &init_task && kgrind_idle_parked)
			kgrind_host_return(he, KGRIND_JUMP_IDLE);
		kgrind_host->sem_up(kgrind_switch_sem(next));
		kgrind_host_return(he, KGRIND_JUMP_PARKED);
	}

	/* Where prev's kernel frames end, its registers saved below them. */
	if (!dead)
		pt->stack_lo = (unsigned long)&sleep_mark;
	/* From here on, next's host thread owns the CPU. */
	kgrind_host->sem_up(kgrind_switch_sem(next));
	if (dead) {
		kgrind_host->sem_free(prev_sem);
		kgrind_host->thread_exit();
	}
	kgrind_host->sem_down(prev_sem);
	/* At halt the RAM, and prev with it, may be gone. */
	if (READ_ONCE(kgrind_halting))
		kgrind_host->thread_exit();
	pt->stack_lo = 0;
	kgrind_sync_thread_name(current);
	return kgrind_last;
}

void kgrind_sync_thread_name(struct task_struct *task)
{
	char *cached = task->thread.host_name;

	if (memcmp(cached, task->comm, TASK_COMM_LEN)) {
		memcpy(cached, task->comm, TASK_COMM_LEN);
		kgrind_host->thread_set_name(cached);
	}
}

static void kgrind_thread_entry(void *arg)
{
	struct task_struct *task = arg;

	task->thread.stack_hi = (unsigned long)__builtin_frame_address(0);
	kgrind_host->sem_down(task->thread.sem);
	if (READ_ONCE(kgrind_aborted) == task) {
		kgrind_aborted = NULL;
		kgrind_host->sem_up(kgrind_abort_done);
		kgrind_host->thread_exit();
	}
	if (READ_ONCE(kgrind_halting))
		kgrind_host->thread_exit();

	schedule_tail(kgrind_last);
	kgrind_sync_thread_name(task);
	task->thread.fn(task->thread.fn_arg);
	/* Only init returns here: it has "exec'd" kgrind's init. */
	kgrind_init_main();
}

int copy_thread(struct task_struct *p, const struct kernel_clone_args *args)
{
	struct thread_struct *t = &p->thread;

	memset(t, 0, sizeof(*t));
	if (args->fn == kgrind_host_task_fn) {
		/* The task of a host thread: that thread waits on this sem. */
		t->sem = args->fn_arg;
		t->flags = KGRIND_THREAD_HOST;
		return 0;
	}
	/* Host threads cannot fork: there is no user context to copy. */
	if (!args->fn)
		return -EINVAL;

	t->fn = args->fn;
	t->fn_arg = args->fn_arg;
	t->sem = kgrind_host->sem_alloc(0);
	if (!t->sem)
		return -ENOMEM;
	if (!kgrind_host->thread_create(kgrind_thread_entry, p)) {
		kgrind_host->sem_free(t->sem);
		return -EAGAIN;
	}
	return 0;
}

/* Called at exit (p == current: nothing to do) and for a failed fork. */
void exit_thread(struct task_struct *p)
{
	struct thread_struct *t = &p->thread;

	if (p == current || !t->sem || (t->flags & KGRIND_THREAD_HOST))
		return;
	if (!kgrind_abort_done)
		kgrind_abort_done = kgrind_host->sem_alloc(0);
	kgrind_aborted = p;
	kgrind_host->sem_up(t->sem);
	kgrind_host->sem_down(kgrind_abort_done);
	kgrind_host->sem_free(t->sem);
	t->sem = NULL;
}

/*
 * Halt: every task with a host thread of its own is asleep on its
 * semaphore; wake each so that its thread sees kgrind_halting and ends.
 */
void kgrind_thread_wake_all_for_halt(void)
{
	struct task_struct *g, *t;

	WRITE_ONCE(kgrind_halting, true);
	for_each_process_thread(g, t) {
		if (t == current || (t->thread.flags & KGRIND_THREAD_HOST))
			continue;
		if (t->thread.sem)
			kgrind_host->sem_up(t->thread.sem);
	}
	kgrind_idle_release();
}
