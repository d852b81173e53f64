// SPDX-License-Identifier: GPL-2.0
/*
 * Host threads entering the kernel.
 *
 * A host thread that makes system calls owns a kernel task, created on
 * its first call as a thread of init's process (so all host threads
 * share one file table, cwd and pid), or of the host process's own with
 * kgrind_program=1 (host_process.c: the file table is still init's).
 * Between calls the task
 * sleeps in TASK_IDLE with no host thread inside it.  For each call the
 * host thread asks the wake interrupt to wake its task and waits on the
 * task's semaphore; when the scheduler switches to the task, the thread
 * runs the call, and parks the task again by scheduling away, which
 * brings it back here (see __switch_to).
 *
 * Fast path: when the CPU is free (the idle task's thread asleep in
 * arch_cpu_idle), the calling thread takes it and does the idle task's
 * part itself: wakes its task, leaves the idle loop, switches, runs the
 * call, and on parking finishes the switch back to idle and frees the
 * CPU, without waking any other host thread.
 */
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/syscalls.h>
#include <linux/task_work.h>
#include <linux/tick.h>
#include <linux/wait.h>
#include <asm/syscall.h>
#include <asm/kgrind.h>
#include <asm/kgrind_fixture.h>

struct kgrind_entry {
	struct kgrind_entry	*next;
	struct task_struct	*task;	/* NULL: the thread needs one made */
	void			*sem;	/* the host thread waits here */
	long			(*work)(struct kgrind_entry *e);
	long			arg;
	const long		*args;
	long			ret;
	bool			refused;	/* no task: ret says why */
	bool			leader;		/* its task leads the host process */
	pid_t			tid, pid;	/* the host's, for a task to make */
	u64			signals;	/* for the host to raise (bit sig - 1) */
	struct kgrind_host_entry host;
};

/* Entries posted by host threads, taken by the wake interrupt. */
static void *kgrind_entry_lock;
static struct kgrind_entry *kgrind_posted;

/* Threads waiting for init to make their task. */
static struct kgrind_entry *kgrind_adopt_list;
static DECLARE_WAIT_QUEUE_HEAD(kgrind_adopt_wait);

static bool kgrind_ready;

static void kgrind_post(struct kgrind_entry *e)
{
	kgrind_host->mutex_lock(kgrind_entry_lock);
	e->next = kgrind_posted;
	kgrind_posted = e;
	kgrind_host->mutex_unlock(kgrind_entry_lock);
	kgrind_irq_raise(KGRIND_WAKE_IRQ);
}

static struct kgrind_entry *kgrind_take_posted(void)
{
	struct kgrind_entry *list;

	kgrind_host->mutex_lock(kgrind_entry_lock);
	list = kgrind_posted;
	kgrind_posted = NULL;
	kgrind_host->mutex_unlock(kgrind_entry_lock);
	return list;
}

static irqreturn_t kgrind_wake_interrupt(int irq, void *dev_id)
{
	struct kgrind_entry *e = kgrind_take_posted(), *next;

	for (; e; e = next) {
		next = e->next;
		if (e->task) {
			wake_up_process(e->task);
		} else {
			e->next = kgrind_adopt_list;
			kgrind_adopt_list = e;
		}
	}
	if (kgrind_adopt_list)
		wake_up(&kgrind_adopt_wait);
	return IRQ_HANDLED;
}

static int __init kgrind_entry_init(void)
{
	kgrind_entry_lock = kgrind_host->mutex_alloc();
	if (!kgrind_entry_lock)
		panic("kgrind: no host mutex for system call entry");
	return request_irq(KGRIND_WAKE_IRQ, kgrind_wake_interrupt, 0,
			   "host-wake", NULL);
}
arch_initcall(kgrind_entry_init);

/* The body of a host thread's task never runs: copy_thread knows it. */
int kgrind_host_task_fn(void *arg)
{
	return 0;
}

static bool kgrind_adopting(void)
{
	return kgrind_adopter() == current;
}

/* A task of init's or an adopter that is no longer the adopter. */
static bool kgrind_adopt_loop_ends(void)
{
	return !kgrind_adopting() && !is_global_init(current);
}

void kgrind_adopt_wake(void)
{
	wake_up(&kgrind_adopt_wait);
}

/*
 * Makes the tasks of the host threads waiting for one, while the
 * current task is the adopter (see kgrind_adopter); returns when a
 * host process's adopter no longer is.  A leader made, the threads
 * after it wait for its adopter.
 */
void kgrind_adopt_loop(void)
{
	for (;;) {
		struct kgrind_entry *e;

		wait_event_idle(kgrind_adopt_wait, kgrind_adopt_loop_ends() ||
				(kgrind_adopting() && READ_ONCE(kgrind_adopt_list)));
		if (kgrind_adopt_loop_ends())
			return;
		if (!kgrind_adopting())
			continue;
		local_irq_disable();
		e = kgrind_adopt_list;
		kgrind_adopt_list = NULL;
		local_irq_enable();

		while (e) {
			struct kgrind_entry *next = e->next;
			pid_t pid = kgrind_host_task_clone(e->sem, e->tid, e->pid,
							   &e->leader);
			if (pid < 0) {
				e->ret = pid;
				e->refused = true;
				kgrind_host->sem_up(e->sem);
			}
			e = next;
			if (pid > 0 && !kgrind_adopting())
				break;
		}
		if (e) {
			struct kgrind_entry *last = e;

			local_irq_disable();
			while (last->next)
				last = last->next;
			last->next = kgrind_adopt_list;
			kgrind_adopt_list = e;
			local_irq_enable();
		}
	}
}

/* init's "user space": make tasks for host threads, until halt. */
void __noreturn kgrind_init_main(void)
{
	kgrind_host_process_init();
	kgrind_ready = true;
	kgrind_boot_complete();
	kgrind_adopt_loop();
	BUG();
}

static void kgrind_name_as_leader(struct task_struct *task)
{
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, task->group_leader);
	set_task_comm(task, comm);
}

/* Runs as the host thread's task, on the CPU. */
static noinline void kgrind_entry_run(struct kgrind_entry *e)
{
	schedule_tail(kgrind_last);
	current->thread.stack_hi = (unsigned long)__builtin_frame_address(0);
	current->thread.flags &= ~KGRIND_THREAD_PARKING;
	/*
	 * A program's new thread is named as its process, as clone() would
	 * name it (the leader's name is the program's: preload.c sets it).
	 */
	if (!e->task && kgrind_program && !e->leader)
		kgrind_name_as_leader(current);
	kgrind_sync_thread_name(current);
	kgrind_fail_nth_enter(current);
	/* A signal came before the call could wait: it must not wait. */
	if (kgrind_host->call_interrupted())
		set_notify_signal(current);
	if (e->leader) {
		e->leader = false;
		kgrind_host_process_start();
	}

	e->ret = e->work(e);

	/* A program's bridge knows its handlers: it decides (host_process.c). */
	if (!kgrind_program &&
	    (e->ret == -ERESTARTSYS || e->ret == -ERESTARTNOINTR ||
	     e->ret == -ERESTARTNOHAND || e->ret == -ERESTART_RESTARTBLOCK))
		e->ret = -EINTR;
	/* What a return to user space would do: final fputs and the like. */
	if (task_work_pending(current))
		task_work_run();
	/*
	 * A call that took a signal mask (epoll_pwait, ppoll) and was
	 * interrupted left it for the signal's delivery: over, as no
	 * handler runs here (the host runs it, under the call's mask).
	 */
	restore_saved_sigmask();
	/* No signal handlers run in host threads: the host's to raise. */
	if (signal_pending(current))
		e->signals = kgrind_signals_take();
	clear_thread_flag(TIF_NOTIFY_SIGNAL);

	current->thread.flags |= KGRIND_THREAD_PARKING;
	set_current_state(TASK_IDLE);
	schedule();
	BUG();	/* __switch_to returned to kgrind_enter instead */
}

void __noreturn kgrind_host_return(struct kgrind_host_entry *he, int how)
{
	he->jump = how;
	__builtin_longjmp(he->jmp, 1);
}

/*
 * The CPU was free, so this host thread holds it while the idle task's
 * thread sleeps: do what the wake interrupt and the idle loop would do
 * to switch to the thread's task.  __switch_to brings the thread back.
 */
static noinline void __noreturn kgrind_steal_cpu(struct task_struct *task)
{
	kgrind_stealer = task;
	wake_up_process(task);
	local_irq_enable();
	tick_nohz_idle_exit();
	schedule();
	BUG();
}

atomic_t kgrind_host_calls = ATOMIC_INIT(0);

/* Back on the host thread: what the kernel sent its process. */
static void kgrind_signals_raise(u64 signals)
{
	for (; signals; signals &= signals - 1)
		kgrind_host->raise_signal(__builtin_ctzll(signals) + 1);
}

static long kgrind_enter_call(struct task_struct *task,
			      long (*work)(struct kgrind_entry *e), long arg,
			      const long *args)
{
	struct kgrind_entry e = { .work = work, .arg = arg, .args = args };

	e.task = task;
	e.host.jump = KGRIND_JUMP_RUN;
	if (task && kgrind_cpu_try_take()) {
		task->thread.host_entry = &e.host;
		if (__builtin_setjmp(e.host.jmp) == 0)
			kgrind_steal_cpu(task);
	} else {
		e.sem = task ? task->thread.sem : kgrind_host->sem_alloc(0);
		if (!e.sem)
			return -ENOMEM;
		if (!task)
			e.tid = kgrind_host->thread_id(&e.pid);
		kgrind_post(&e);
		kgrind_host->sem_down(e.sem);
		if (e.refused) {
			kgrind_host->sem_free(e.sem);
			return e.ret;
		}
		if (READ_ONCE(kgrind_halting))
			return -ESHUTDOWN;
		/* This host thread now runs kernel code as its task. */
		if (!task) {
			task = current;
			kgrind_host->tls_set(task);
		}
		task->thread.host_entry = &e.host;
	}

	for (;;) {
		switch (READ_ONCE(e.host.jump)) {
		case KGRIND_JUMP_WAIT:
			kgrind_host->sem_down(task->thread.sem);
			if (READ_ONCE(kgrind_halting))
				return -ESHUTDOWN;
			e.host.jump = KGRIND_JUMP_RUN;
			break;
		case KGRIND_JUMP_RUN:
			if (__builtin_setjmp(e.host.jmp) == 0)
				kgrind_entry_run(&e);
			break;
		case KGRIND_JUMP_IDLE:
			kgrind_idle_return();
			kgrind_signals_raise(e.signals);
			return e.ret;
		default:
			kgrind_signals_raise(e.signals);
			return e.ret;
		}
	}
}

static long kgrind_enter_as(struct task_struct *task,
			    long (*work)(struct kgrind_entry *e), long arg,
			    const long *args)
{
	long ret;

	if (!READ_ONCE(kgrind_ready) || READ_ONCE(kgrind_halting))
		return -ESHUTDOWN;
	atomic_inc(&kgrind_host_calls);
	ret = kgrind_enter_call(task, work, arg, args);
	atomic_dec(&kgrind_host_calls);
	return ret;
}

/* Enter as the calling host thread's task, made on its first call. */
static long kgrind_enter(long (*work)(struct kgrind_entry *e), long arg,
			 const long *args)
{
	return kgrind_enter_as(kgrind_host->tls_get(), work, arg, args);
}

static long kgrind_do_syscall(struct kgrind_entry *e)
{
	struct pt_regs *regs = task_pt_regs(current);
	long nr = e->arg;
	bool alone = kgrind_program && kgrind_adopter_step_out(nr);
	int i;

	regs->syscall_nr = nr;
	for (i = 0; i < 6; i++)
		regs->args[i] = e->args[i];
	if (nr < 0 || nr >= NR_syscalls)
		regs->ret = -ENOSYS;
	else
		regs->ret = sys_call_table[nr](e->args[0], e->args[1],
					       e->args[2], e->args[3],
					       e->args[4], e->args[5]);
	if (alone)
		kgrind_adopter_step_in();
	return regs->ret;
}

long kg_kernel_syscall(long nr, const long *args)
{
	static const long no_args[6];

	return kgrind_enter(kgrind_do_syscall, nr, args ? args : no_args);
}

/*
 * A host signal came for the thread whose task this is, while it was in
 * a call: an interruptible wait in that call ends (-EINTR), as it would
 * for a signal to its process.  The task is looked up first, since its
 * thread may have ended meanwhile; a task parked between calls is left.
 */
static long kgrind_do_interrupt(struct kgrind_entry *e)
{
	struct task_struct *g, *t, *target = (struct task_struct *)e->arg;

	rcu_read_lock();
	for_each_process_thread(g, t)
		if (t == target && !(t->thread.flags & KGRIND_THREAD_PARKING))
			set_notify_signal(t);
	rcu_read_unlock();
	return 0;
}

long kg_kernel_interrupt(void *task)
{
	return kgrind_enter(kgrind_do_interrupt, (long)task, NULL);
}

static const struct kgrind_fixture *kgrind_find_fixture(const char *name)
{
	const struct kgrind_fixture *f;

	if (!name)
		return NULL;
	for (f = __start_kg_fixtures; f < __stop_kg_fixtures; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

int kg_kernel_has_fixture(const char *name)
{
	return kgrind_find_fixture(name) != NULL;
}

static long kgrind_do_call(struct kgrind_entry *e)
{
	const struct kgrind_fixture *f = (const void *)e->args;

	return f->fn(e->arg);
}

long kg_kernel_call(const char *name, long arg)
{
	const struct kgrind_fixture *f = kgrind_find_fixture(name);

	if (!f)
		return -ENOENT;
	return kgrind_enter(kgrind_do_call, arg, (const long *)f);
}

struct kgrind_task_call {
	long (*fn)(void *data);
	void *data;
};

static long kgrind_do_task_call(struct kgrind_entry *e)
{
	const struct kgrind_task_call *c = (const void *)e->args;

	return c->fn(c->data);
}

/* Runs fn(data) in the calling host thread's task, for kg_kernel_* calls. */
long kgrind_run_in_task(long (*fn)(void *data), void *data)
{
	struct kgrind_task_call c = { fn, data };

	return kgrind_enter(kgrind_do_task_call, 0, (const long *)&c);
}

/* A host thread with a task has exited: its task exits too. */
static long kgrind_do_exit(struct kgrind_entry *e)
{
	do_exit(0);
}

/* The calling host thread stands in for task to end it. */
void kgrind_host_task_exit(struct task_struct *task)
{
	void *sem = task->thread.sem;

	if (kgrind_enter_as(task, kgrind_do_exit, 0, NULL) != -ESHUTDOWN)
		kgrind_host->sem_free(sem);
}

static void kgrind_host_thread_gone(void *task)
{
	kgrind_host_task_exit(task);
}

static int __init kgrind_entry_tls_init(void)
{
	kgrind_host->tls_init(kgrind_host_thread_gone);
	return 0;
}
arch_initcall(kgrind_entry_tls_init);

/* Halt: sync, power off (see machine_power_off), and never come back. */
static long kgrind_do_halt(struct kgrind_entry *e)
{
	ksys_sync();
	kernel_power_off();
	return 0;
}

int kg_kernel_halt(void)
{
	long ret = kgrind_enter(kgrind_do_halt, 0, NULL);

	if (ret)
		return ret;
	kgrind_release_memory();
	return 0;
}

/* Wakes host threads still waiting to enter, once halt has begun. */
void kgrind_entry_drain(void)
{
	struct kgrind_entry *e = kgrind_take_posted(), *next;

	for (; e; e = next) {
		next = e->next;
		kgrind_host->sem_up(e->sem);
	}
	for (e = kgrind_adopt_list; e; e = next) {
		next = e->next;
		e->ret = -ESHUTDOWN;
		e->refused = true;
		kgrind_host->sem_up(e->sem);
	}
	kgrind_adopt_list = NULL;
}
