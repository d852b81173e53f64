// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind_program=1 (kgrind-run asks for it): the host process is a
 * program, and a process of the kernel with the host's pid and tids;
 * the signals the kernel sends it are the host's to deliver, and a call
 * a signal interrupts returns its restart code (-ERESTARTSYS, ...) for
 * the bridge to restart or fail as the program's handlers say.
 *
 * A program asks the kernel about itself by the pids the host gave it:
 * /proc/<getpid()>, pidfd_open(getpid()), F_SETOWN.  So its main thread's
 * task leads a thread group of its own whose pid is the host pid, and
 * each other host thread's task joins that group with the host tid.
 *
 * init makes the leader, as it makes every host thread's task; a new
 * member of the group must be cloned by a task of the group, and the
 * group's tasks belong to host threads that may be deep in a blocking
 * call.  So the leader's first call starts a kernel thread in the group,
 * the adopter, which makes the others' tasks from then on.
 *
 * What the kernel sends the process (SIGPIPE, SIGURG, SIGIO, SIGXFSZ)
 * is the host's to deliver: every signal has a relaying handler in the
 * kernel, so none is fatal or ignored there, and what is pending and
 * not blocked when a call ends is raised on the calling host thread
 * (kgrind_signals_take).
 *
 * A forked child's kernel holds the parent's process: the forking
 * thread's task leaves it and the child's first call makes a leader
 * with the child's pid, named as the forking thread (fork keeps comm).
 */
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/threads.h>
#include <linux/unistd.h>
#include <linux/wait.h>
#include <asm/kgrind.h>

bool kgrind_program;
core_param(kgrind_program, kgrind_program, bool, 0444);

/* What the kernel's handler of every signal is: "tell the host". */
#define KGRIND_SIG_RELAY ((__sighandler_t)2)

/*
 * The kernel's own tasks made after boot take pids from here up, out
 * of the way of the host's (whose pid_max is rarely past 4 Mi - 64 Ki).
 */
#define KGRIND_KERNEL_PIDS_FROM (PID_MAX_LIMIT - 65536)

static struct task_struct *kgrind_init;
static struct task_struct *kgrind_adopter_task;
static bool kgrind_leader_starting;	/* made, its adopter not yet */
/* In a forked child: the name of the thread that forked, its leader's. */
static char kgrind_forked_comm[TASK_COMM_LEN];

static int __init kgrind_program_init(void)
{
	if (!kgrind_program)
		return 0;
	pid_max = PID_MAX_LIMIT;
	idr_set_cursor(&init_pid_ns.idr, KGRIND_KERNEL_PIDS_FROM);
	return 0;
}
early_initcall(kgrind_program_init);

/* The task whose turn it is to make host threads' tasks; NULL: wait. */
struct task_struct *kgrind_adopter(void)
{
	if (READ_ONCE(kgrind_adopter_task))
		return kgrind_adopter_task;
	return READ_ONCE(kgrind_leader_starting) ? NULL : kgrind_init;
}

/* init, before it makes any task: a leader it outlives is reaped. */
void kgrind_host_process_init(void)
{
	kgrind_init = current;
	if (kgrind_program)
		kernel_sigaction(SIGCHLD, SIG_IGN);
}

/*
 * The task for the host thread tid of host process pid, made by the
 * adopter: a leader of its own thread group when it is the main thread
 * (*leader set), else a thread of the adopter's.
 */
pid_t kgrind_host_task_clone(void *sem, pid_t tid, pid_t pid, bool *leader)
{
	struct kernel_clone_args args = {
		.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_UNTRACED,
		.fn = kgrind_host_task_fn,
		.fn_arg = sem,
	};
	pid_t ret;

	*leader = kgrind_program && tid == pid && current == kgrind_init;
	if (*leader)
		args.exit_signal = SIGCHLD;
	else
		args.flags |= CLONE_SIGHAND | CLONE_THREAD;
	if (kgrind_program && tid > 0) {
		args.set_tid = &tid;
		args.set_tid_size = 1;
	}
	if (*leader)
		WRITE_ONCE(kgrind_leader_starting, true);
	ret = kernel_clone(&args);
	/* Taken, or past what a namespace the program entered may set. */
	if (ret == -EEXIST || ret == -EINVAL || ret == -EPERM) {
		pr_warn_once("kgrind: host tid %d cannot be the task's (%d): the kernel numbers it\n",
			     tid, ret);
		args.set_tid_size = 0;
		ret = kernel_clone(&args);
	}
	if (ret < 0 && *leader)
		WRITE_ONCE(kgrind_leader_starting, false);
	return ret;
}

static int kgrind_adopter_fn(void *unused)
{
	set_task_comm(current, "kgrind-adopt");
	kgrind_adopt_loop();
	do_exit(0);
}

/* A thread of the current task's group, to make the others' tasks. */
static void kgrind_adopter_start(void)
{
	pid_t pid = user_mode_thread(kgrind_adopter_fn, NULL, CLONE_FS | CLONE_FILES |
				     CLONE_SIGHAND | CLONE_THREAD);

	if (pid < 0) {
		pr_warn("kgrind: no adopter for the host process: its threads are init's\n");
	} else {
		/* It has not run yet, so it cannot have exited. */
		rcu_read_lock();
		WRITE_ONCE(kgrind_adopter_task, find_task_by_pid_ns(pid, &init_pid_ns));
		rcu_read_unlock();
	}
	WRITE_ONCE(kgrind_leader_starting, false);
}

/* The leader's first call, as the leader: its handlers, its adopter. */
void kgrind_host_process_start(void)
{
	struct k_sigaction *ka = current->sighand->action;
	int sig;

	spin_lock_irq(&current->sighand->siglock);
	for (sig = 1; sig <= _NSIG; sig++)
		if (!sig_kernel_only(sig))
			ka[sig - 1].sa.sa_handler = KGRIND_SIG_RELAY;
	spin_unlock_irq(&current->sighand->siglock);
	if (kgrind_forked_comm[0])
		set_task_comm(current, kgrind_forked_comm);
	kgrind_adopter_start();
}

/*
 * unshare(CLONE_NEWUSER) and setns() into a user namespace want the
 * caller alone in its thread group, as a single-threaded program is:
 * for such a call by the leader the adopter steps out (threads that
 * come meanwhile wait), and is made again after it.
 */
bool kgrind_adopter_step_out(long nr)
{
	struct task_struct *adopter = READ_ONCE(kgrind_adopter_task);

	if ((nr != __NR_unshare && nr != __NR_setns) || !adopter ||
	    !thread_group_leader(current) || !same_thread_group(adopter, current) ||
	    get_nr_threads(current) != 2)
		return false;
	WRITE_ONCE(kgrind_adopter_task, NULL);
	WRITE_ONCE(kgrind_leader_starting, true);	/* new threads wait */
	kgrind_adopt_wake();
	while (get_nr_threads(current) > 1)
		schedule_timeout_idle(1);
	return true;
}

void kgrind_adopter_step_in(void)
{
	kgrind_adopter_start();
}

/* In a forked child: the parent's adopter makes no more tasks. */
void kgrind_host_process_forked(void)
{
	get_task_comm(kgrind_forked_comm, current);
	WRITE_ONCE(kgrind_adopter_task, NULL);
	WRITE_ONCE(kgrind_leader_starting, false);
	kgrind_adopt_wake();
}

/*
 * The signals pending for the calling task as its call ends, and not
 * blocked, as a mask for the host to raise (bit sig - 1); they leave the
 * kernel.  The bridge keeps the task's blocked set the program's, so a
 * blocked signal stays, for signalfd to read.  Without kgrind_program
 * nothing handles them: they are dropped.
 */
u64 kgrind_signals_take(void)
{
	kernel_siginfo_t info;
	enum pid_type type;
	u64 taken = 0;
	int sig;

	if (!kgrind_program) {
		flush_signals(current);
		return 0;
	}
	spin_lock_irq(&current->sighand->siglock);
	while ((sig = dequeue_signal(&current->blocked, &info, &type)) > 0)
		taken |= 1ULL << (sig - 1);
	spin_unlock_irq(&current->sighand->siglock);
	return taken;
}
