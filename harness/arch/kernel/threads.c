// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel tasks are contexts: a stack in the kernel's memory and the stack
 * pointer saved there, switched by kgrind_switch_stack() (switch.S).  One
 * host thread, the CPU thread, runs every context.  The task of a host
 * thread's calls (entry.c) runs on that host thread instead, and the CPU
 * passes between it and the CPU thread on semaphores: exactly one host
 * thread runs kernel code at any time.
 *
 * The CPU thread sleeps at home, on its own host stack, when a host
 * thread's task has the CPU or the idle task has parked (arch_cpu_idle):
 * then every context is saved in memory, none inside a host thread, and
 * a copy of the process is a copy of the whole kernel.
 */
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/start_kernel.h>
#include <linux/string.h>
#include <valgrind/memcheck.h>
#include <asm/kgrind.h>
#include <asm/mmu_context.h>
#include <asm/switch_to.h>

struct task_struct *kgrind_current = &init_task;
atomic_t kgrind_host_waiting = ATOMIC_INIT(0);
struct task_struct *kgrind_last;
struct task_struct *kgrind_stealer;

static void *kgrind_cpu_sem;			/* the CPU thread waits at home */
static unsigned long kgrind_home_sp;		/* its home frame, saved */
static struct task_struct *kgrind_cpu_next;	/* the context it resumes */
static struct task_struct *kgrind_cpu_handoff;	/* a task it gives the CPU to */

void kgrind_switch_stack(unsigned long *save_sp, unsigned long load_sp);

static bool kgrind_is_context(struct task_struct *t)
{
	return !(t->thread.flags & KGRIND_THREAD_HOST);
}

/*
 * Memcheck must know each stack, or it takes a switch between two stacks
 * less than --max-stackframe apart for a frame pushed or popped, and
 * marks the memory between them.  A task's stack is registered while the
 * task exists (its pages may be freed a little earlier, at the switch
 * after its death, and a new stack there is registered again).  Every
 * stack trace memcheck takes walks the list: it stays as short as the
 * tasks.  Host threads' stacks valgrind knows already.
 */
static void kgrind_stack_register(struct task_struct *p)
{
	void *lo = task_stack_page(p);

	if (RUNNING_ON_VALGRIND)
		p->thread.stack_id = VALGRIND_STACK_REGISTER(lo, lo + THREAD_SIZE);
}

void arch_release_task_struct(struct task_struct *p)
{
	if (p->thread.stack_id)
		VALGRIND_STACK_DEREGISTER(p->thread.stack_id);
}

/*
 * A context's stack has room left when it stops, and its end marker is
 * whole: an overflow would write another task's stack or a slab's
 * objects, and memcheck takes a frame pushed anywhere for a valid one.
 */
static void kgrind_stack_check(struct task_struct *p)
{
	unsigned long low = (unsigned long)end_of_stack(p);

	if ((unsigned long)__builtin_frame_address(0) - low < 1024 ||
	    task_stack_end_corrupted(p))
		panic("kgrind: the kernel stack of %s (pid %d) overflowed",
		      p->comm, task_pid_nr(p));
}

/*
 * A dead context's stack is about to be freed.  Its saved stack pointer
 * goes: the task_struct outlives the stack (RCU), and a pointer into the
 * pages would keep whatever they hold next from the leak checks.  What
 * memcheck marked no-access in it (the frames it popped) is plain memory
 * again: kgrind's page allocator marks every page it hands out anyway,
 * SLUB's baseline for make bench does not.
 */
void kgrind_finish_switch(void)
{
	struct task_struct *prev = kgrind_last;

	if (!kgrind_is_context(prev) || READ_ONCE(prev->__state) != TASK_DEAD)
		return;
	prev->thread.sp = 0;
	VALGRIND_MAKE_MEM_UNDEFINED(task_stack_page(prev), THREAD_SIZE);
}

/* A context's first run, on its own stack: init's and the threads'. */
static void __ref kgrind_context_start(void)
{
	struct task_struct *task = current;

	if (task == &init_task) {
		start_kernel();
		BUG();
	}
	schedule_tail(kgrind_last);
	task->thread.fn(task->thread.fn_arg);
	/* Only init returns here: it has "exec'd" kgrind's init. */
	kgrind_init_main();
}

/*
 * The first frame of a context, at the top of its stack, as
 * kgrind_switch_stack() leaves one: six callee-saved registers, then the
 * address it returns to, which sees the stack as after a call.
 */
static void kgrind_context_prepare(struct task_struct *p)
{
	unsigned long *top = (unsigned long *)(task_stack_page(p) + THREAD_SIZE);
	unsigned long *sp = top - 2;

	kgrind_stack_register(p);
	top[-1] = 0;
	*sp = (unsigned long)kgrind_context_start;
	sp -= 6;
	memset(sp, 0, 6 * sizeof(*sp));
	p->thread.sp = (unsigned long)sp;
}

/*
 * Resumes the context next on the CPU thread, at home: from a host thread
 * that holds the CPU (or has just been given it for idle, irq.c).
 */
void kgrind_cpu_resume(struct task_struct *next)
{
	WRITE_ONCE(kgrind_cpu_next, next);
	kgrind_host->sem_up(kgrind_cpu_sem);
}

/* From a host thread's task: the CPU goes to next, on its own thread. */
static void kgrind_give_cpu(struct task_struct *next)
{
	if (!kgrind_is_context(next)) {
		kgrind_host->sem_up(next->thread.sem);
		return;
	}
	kgrind_idle_resuming(next);
	kgrind_cpu_resume(next);
}

/* The running context stops; the CPU thread goes home. */
void kgrind_context_park(struct task_struct *task)
{
	kgrind_switch_stack(&task->thread.sp, kgrind_home_sp);
}

struct task_struct *__switch_to(struct task_struct *prev,
				struct task_struct *next)
{
	struct thread_struct *pt = &prev->thread;
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
		kgrind_give_cpu(next);
		kgrind_host_return(he, KGRIND_JUMP_WAIT);
	}

	if (kgrind_is_context(prev)) {
		/* On the CPU thread. */
		kgrind_stack_check(prev);
		if (kgrind_is_context(next)) {
			kgrind_idle_resuming(next);
			kgrind_switch_stack(&pt->sp, next->thread.sp);
		} else {
			/* A host thread's task: that thread takes the CPU. */
			kgrind_cpu_handoff = next;
			kgrind_context_park(prev);
		}
		/* prev runs again (a dead one never does). */
		return kgrind_last;
	}

	if ((pt->flags & KGRIND_THREAD_PARKING) || dead) {
		/* A host thread's call is over: back to its kg_kernel_* call. */
		he = pt->host_entry;
		if (next == &init_task && kgrind_idle_parked)
			kgrind_host_return(he, KGRIND_JUMP_IDLE);
		kgrind_give_cpu(next);
		kgrind_host_return(he, KGRIND_JUMP_PARKED);
	}

	/* A host thread's task waits, mid-call, on its own thread. */
	pt->stack_lo = (unsigned long)&sleep_mark;
	atomic_inc(&kgrind_host_waiting);
	kgrind_give_cpu(next);
	kgrind_host->sem_down(pt->sem);
	atomic_dec(&kgrind_host_waiting);
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

/*
 * The CPU thread: at home it hands the CPU to a host thread's task if a
 * context asked it to, then waits to resume the next context.
 */
static void kgrind_cpu_thread(void *unused)
{
	kgrind_host->thread_set_name("kgrind-cpu");
	for (;;) {
		struct task_struct *handoff = kgrind_cpu_handoff;

		if (handoff) {
			kgrind_cpu_handoff = NULL;
			kgrind_host->sem_up(handoff->thread.sem);
		}
		kgrind_host->sem_down(kgrind_cpu_sem);
		if (READ_ONCE(kgrind_halting))
			kgrind_host->thread_exit();
		kgrind_switch_stack(&kgrind_home_sp, READ_ONCE(kgrind_cpu_next)->thread.sp);
	}
}

/* The CPU thread, at boot or in a forked child (which has none). */
int kgrind_cpu_thread_start(void)
{
	return kgrind_host->thread_create(kgrind_cpu_thread, NULL) ? 0 : -ENOMEM;
}

/* Boot: the CPU thread runs the idle task's context, start_kernel. */
int kgrind_cpu_start(void)
{
	kgrind_cpu_sem = kgrind_host->sem_alloc(0);
	if (!kgrind_cpu_sem)
		return -ENOMEM;
	kgrind_context_prepare(&init_task);
	kgrind_cpu_resume(&init_task);
	return kgrind_cpu_thread_start();
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
	kgrind_context_prepare(p);
	return 0;
}

/* A context owns nothing of the host's. */
void exit_thread(struct task_struct *p)
{
}

/* Halt: the CPU thread, asleep at home, sees kgrind_halting and ends. */
void kgrind_thread_wake_all_for_halt(void)
{
	WRITE_ONCE(kgrind_halting, true);
	kgrind_host->sem_up(kgrind_cpu_sem);
}
