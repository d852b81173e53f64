// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind-run's bridge.  Every system call instruction of the program and
 * its libraries is a trap (sites.c); the handler here serves the call:
 *
 * - Files, directories, mounts, pipes, sockets, polling, eventfd and the
 *   like, xattrs, /proc, credentials: the library kernel's, with the
 *   x86-64 number mapped to the kernel's asm-generic one (the table made
 *   from the tree's syscall_64.tbl), the calls x86-64 alone has turned
 *   into their *at or newer forms, and struct stat converted.
 * - Memory, threads, signals, timers and time, process ids and waiting:
 *   the host's, made from here, or where the program made them when the
 *   place matters (clone, rt_sigreturn, the signal mask).
 * - Anything else: ENOSYS, counted for the run's report.
 *
 * A trap taken by kgrind's own code (its threads, or the kernel's calls
 * to the host from within a served call) is the host's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <ucontext.h>
#include <unistd.h>
#include "kgrind.h"
#include "kg_host.h"
#include "host_call.h"
#include "bridge.h"
#include "mappings.h"
#include "sites.h"
#include "tap_marks.h"

/* x86-64 numbers: the name, and the kernel's number for it (-1: none). */
static const struct {
	const char *name;
	int generic;
} kg_x86[512] = {
#define KG_X86(nr, name, generic) [nr] = { #name, generic },
#include "x86_64_syscalls.h"
#undef KG_X86
};

static unsigned long kg_enosys_count[512];
/* Read by the signal handlers: every change must be a store. */
static __thread volatile int kg_bridge_depth;
void (*kg_bridge_at_exit)(void);

/* Calls the host must make where the program made them. */
static int kg_in_place(long nr)
{
	switch (nr) {
	case SYS_clone:
	case SYS_clone3:
	case SYS_rt_sigreturn:
	case SYS_rt_sigsuspend:
	case SYS_sigaltstack:
	case SYS_exit:
	case SYS_arch_prctl:
		return 1;
	}
	return 0;
}

/*
 * prctl's options about credentials are the kernel's, which checks
 * them (landlock_restrict_self wants no_new_privs); the others (names,
 * the dumpable flag, timer slack, ...) are the host's.
 */
static int kg_prctl_is_kernels(long option)
{
	switch (option) {
	case PR_GET_KEEPCAPS: case PR_SET_KEEPCAPS:
	case PR_CAPBSET_READ: case PR_CAPBSET_DROP:
	case PR_GET_SECUREBITS: case PR_SET_SECUREBITS:
	case PR_GET_NO_NEW_PRIVS: case PR_SET_NO_NEW_PRIVS:
	case PR_CAP_AMBIENT:
	case PR_GET_NAME: case PR_SET_NAME:	/* comm, as /proc shows it */
		return 1;
	}
	return 0;
}

/* The host's: memory, threads, signals, timers, time, pids, waiting. */
static int kg_host_owned(long nr, const long *a)
{
	if (nr == SYS_prctl)
		return !kg_prctl_is_kernels(a[0]);
	switch (nr) {
	case SYS_munmap: case SYS_mprotect: case SYS_mremap: case SYS_madvise:
	case SYS_brk: case SYS_msync: case SYS_mlock: case SYS_munlock:
	case SYS_mlockall: case SYS_munlockall: case SYS_mincore: case SYS_mlock2:
	case SYS_rt_sigpending: case SYS_rt_sigtimedwait:
	case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo: case SYS_pause:
	case SYS_nanosleep: case SYS_clock_nanosleep: case SYS_getitimer:
	case SYS_setitimer: case SYS_alarm: case SYS_clock_gettime:
	case SYS_clock_getres: case SYS_gettimeofday: case SYS_time: case SYS_times:
	case SYS_getpid: case SYS_getppid: case SYS_gettid: case SYS_getpgrp:
	case SYS_getpgid: case SYS_getsid: case SYS_setpgid: case SYS_setsid:
	case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_wait4:
	case SYS_waitid: case SYS_set_tid_address: case SYS_set_robust_list:
	case SYS_get_robust_list: case SYS_futex: case SYS_futex_waitv: case SYS_rseq:
	case SYS_sched_yield: case SYS_sched_getaffinity: case SYS_sched_setaffinity:
	case SYS_sched_getparam: case SYS_sched_setparam: case SYS_sched_getscheduler:
	case SYS_sched_setscheduler: case SYS_sched_get_priority_max:
	case SYS_sched_get_priority_min: case SYS_sched_rr_get_interval:
	case SYS_getcpu: case SYS_getrusage: case SYS_timer_create:
	case SYS_timer_settime: case SYS_timer_gettime: case SYS_timer_getoverrun:
	case SYS_timer_delete: case SYS_membarrier: case SYS_personality:
	case SYS_getpriority: case SYS_setpriority:
		return 1;
	}
	return 0;
}

static long kg_kernel(int generic, long a0, long a1, long a2, long a3, long a4, long a5)
{
	const long args[6] = { a0, a1, a2, a3, a4, a5 };

	return kg_syscall(generic, args);
}

/* The kernel's struct stat (asm-generic) in the host's (x86-64). */
struct kg_generic_stat {
	unsigned long st_dev, st_ino;
	unsigned int st_mode, st_nlink, st_uid, st_gid;
	unsigned long st_rdev, __pad1;
	long st_size;
	int st_blksize, __pad2;
	long st_blocks, atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
	unsigned int __unused4, __unused5;
};

static long kg_stat_out(long ret, const struct kg_generic_stat *g, struct stat *st)
{
	if (ret < 0)
		return ret;
	memset(st, 0, sizeof(*st));
	st->st_dev = g->st_dev;
	st->st_ino = g->st_ino;
	st->st_mode = g->st_mode;
	st->st_nlink = g->st_nlink;
	st->st_uid = g->st_uid;
	st->st_gid = g->st_gid;
	st->st_rdev = g->st_rdev;
	st->st_size = g->st_size;
	st->st_blksize = g->st_blksize;
	st->st_blocks = g->st_blocks;
	st->st_atim.tv_sec = g->atime;
	st->st_atim.tv_nsec = g->atime_nsec;
	st->st_mtim.tv_sec = g->mtime;
	st->st_mtim.tv_nsec = g->mtime_nsec;
	st->st_ctim.tv_sec = g->ctime;
	st->st_ctim.tv_nsec = g->ctime_nsec;
	return ret;
}

static long kg_fstatat(long dirfd, long path, long st, long flags)
{
	struct kg_generic_stat g;

	return kg_stat_out(kg_kernel(KG_NR_newfstatat, dirfd, path, (long)&g, flags, 0, 0),
			   &g, (struct stat *)st);
}

static long kg_poll(long fds, long n, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	return kg_kernel(KG_NR_ppoll, fds, n, ms < 0 ? 0 : (long)&ts, 0, 8, 0);
}

/* The calls x86-64 alone has, in the kernel's newer forms. */
static long kg_legacy(long nr, const long *a, int *served)
{
	*served = 1;
	switch (nr) {
	case SYS_open:
		return kg_kernel(KG_NR_openat, AT_FDCWD, a[0], a[1], a[2], 0, 0);
	case SYS_creat:
		return kg_kernel(KG_NR_openat, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC,
				 a[1], 0, 0);
	case SYS_stat:
		return kg_fstatat(AT_FDCWD, a[0], a[1], 0);
	case SYS_lstat:
		return kg_fstatat(AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW);
	case SYS_fstat:
		return kg_fstatat(a[0], (long)"", a[1], AT_EMPTY_PATH);
	case SYS_newfstatat:
		return kg_fstatat(a[0], a[1], a[2], a[3]);
	case SYS_access:
		return kg_kernel(KG_NR_faccessat, AT_FDCWD, a[0], a[1], 0, 0, 0);
	case SYS_chmod:
		return kg_kernel(KG_NR_fchmodat, AT_FDCWD, a[0], a[1], 0, 0, 0);
	case SYS_chown:
		return kg_kernel(KG_NR_fchownat, AT_FDCWD, a[0], a[1], a[2], 0, 0);
	case SYS_lchown:
		return kg_kernel(KG_NR_fchownat, AT_FDCWD, a[0], a[1], a[2],
				 AT_SYMLINK_NOFOLLOW, 0);
	case SYS_dup2:
		if (a[0] == a[1]) {
			long r = kg_kernel(KG_NR_fcntl, a[0], F_GETFD, 0, 0, 0, 0);

			return r < 0 ? r : a[1];
		}
		return kg_kernel(KG_NR_dup3, a[0], a[1], 0, 0, 0, 0);
	case SYS_epoll_create:
		return (int)a[0] <= 0 ? -EINVAL : kg_kernel(KG_NR_epoll_create1, 0, 0, 0, 0, 0, 0);
	case SYS_epoll_wait:
		return kg_kernel(KG_NR_epoll_pwait, a[0], a[1], a[2], a[3], 0, 8);
	case SYS_eventfd:
		return kg_kernel(KG_NR_eventfd2, a[0], 0, 0, 0, 0, 0);
	case SYS_signalfd:
		return kg_kernel(KG_NR_signalfd4, a[0], a[1], a[2], 0, 0, 0);
	case SYS_inotify_init:
		return kg_kernel(KG_NR_inotify_init1, 0, 0, 0, 0, 0, 0);
	case SYS_link:
		return kg_kernel(KG_NR_linkat, AT_FDCWD, a[0], AT_FDCWD, a[1], 0, 0);
	case SYS_unlink:
		return kg_kernel(KG_NR_unlinkat, AT_FDCWD, a[0], 0, 0, 0, 0);
	case SYS_rmdir:
		return kg_kernel(KG_NR_unlinkat, AT_FDCWD, a[0], AT_REMOVEDIR, 0, 0, 0);
	case SYS_mkdir:
		return kg_kernel(KG_NR_mkdirat, AT_FDCWD, a[0], a[1], 0, 0, 0);
	case SYS_mknod:
		return kg_kernel(KG_NR_mknodat, AT_FDCWD, a[0], a[1], a[2], 0, 0);
	case SYS_rename:
		return kg_kernel(KG_NR_renameat2, AT_FDCWD, a[0], AT_FDCWD, a[1], 0, 0);
	case SYS_renameat:
		return kg_kernel(KG_NR_renameat2, a[0], a[1], a[2], a[3], 0, 0);
	case SYS_symlink:
		return kg_kernel(KG_NR_symlinkat, a[0], AT_FDCWD, a[1], 0, 0, 0);
	case SYS_readlink:
		return kg_kernel(KG_NR_readlinkat, AT_FDCWD, a[0], a[1], a[2], 0, 0);
	case SYS_pipe:
		return kg_kernel(KG_NR_pipe2, a[0], 0, 0, 0, 0, 0);
	case SYS_poll:
		return kg_poll(a[0], a[1], (int)a[2]);
	}
	*served = 0;
	return -ENOSYS;
}

static void kg_say(const char *what)
{
	static const char prefix[] = "kgrind-run: ";
	long a[6] = { 2, (long)prefix, sizeof(prefix) - 1 };

	kg_host_call(SYS_write, a);
	a[1] = (long)what;
	a[2] = strlen(what);
	kg_host_call(SYS_write, a);
}

/*
 * SIGILL carries every call: blocked when a trap comes, the host would
 * kill the process.  So the program's signal mask never holds it (the
 * mask is the one the handler returns to), nor do its handlers' masks,
 * and a handler of its own for SIGILL is kept but never installed.
 */
#define KG_SIGILL_BIT (1UL << (SIGILL - 1))

struct kg_kernel_sigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

static struct kg_kernel_sigaction kg_program_sigill;

/*
 * The program's signal handlers run through kg_signal_entry: a signal
 * that comes while its thread is inside a served call (in the kernel, or
 * in kgrind's code) waits until the call is done, so that the handler's
 * calls are routed as the program's and never enter the kernel again
 * from inside it.
 */
#define KG_NSIG 65
static struct kg_kernel_sigaction kg_program_actions[KG_NSIG];
static __thread volatile unsigned long kg_deferred;
/* A signal came since the program's current call began (kg_trap). */
static __thread volatile int kg_call_interrupted, kg_in_program_call;

static int kg_bridge_call_interrupted(void)
{
	return kg_in_program_call && kg_call_interrupted;
}
static __thread siginfo_t kg_deferred_info[KG_NSIG];

/*
 * A signal that comes while its thread waits in the kernel ends the
 * wait, as it would for a process: the handler cannot enter the kernel,
 * so it asks a relay thread to (a futex wake is safe in a handler).  The
 * call comes back with its restart code, and kg_serve runs the handler
 * and then restarts the call or fails it with EINTR, as Linux would
 * (kg_restarts).
 */
#define KG_RELAY_SLOTS 64
static void *kg_relay_tasks[KG_RELAY_SLOTS];
/* Counts the requests, for the relay's futex (host_call.h): it starts
 * before the patching, and waits in kgrind's code, never in a trap. */
static unsigned int kg_relay_requests;

static void kg_relay_request(void *task)
{
	int i;

	for (i = 0; i < KG_RELAY_SLOTS; i++) {
		void *none = NULL;

		if (__atomic_compare_exchange_n(&kg_relay_tasks[i], &none, task, 0,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			__atomic_fetch_add(&kg_relay_requests, 1, __ATOMIC_SEQ_CST);
			kg_futex_wake(&kg_relay_requests, 1);
			return;
		}
	}
}

static void *kg_relay_main(void *unused)
{
	kg_host_thread_init();
	pthread_setname_np(pthread_self(), "kg-run-signals");
	for (;;) {
		unsigned int seen = __atomic_load_n(&kg_relay_requests, __ATOMIC_SEQ_CST);
		int i;

		for (i = 0; i < KG_RELAY_SLOTS; i++) {
			void *task = __atomic_exchange_n(&kg_relay_tasks[i], NULL, __ATOMIC_SEQ_CST);

			if (task)
				kg_kernel_interrupt(task);
		}
		kg_futex_wait(&kg_relay_requests, seen, NULL);
	}
	return NULL;
}

/* At the start, and again in a forked child, which has no relay thread. */
static int kg_relay_start(void)
{
	pthread_t relay;

	memset(kg_relay_tasks, 0, sizeof(kg_relay_tasks));
	kg_host_thread_starting(1);
	if (pthread_create(&relay, NULL, kg_relay_main, NULL)) {
		kg_host_thread_starting(-1);
		return -EAGAIN;
	}
	pthread_detach(relay);
	return 0;
}

static void kg_signal_entry(int sig, siginfo_t *info, void *context)
{
	const struct kg_kernel_sigaction *act = &kg_program_actions[sig];

	if (kg_bridge_depth || kg_host_thread_owned) {
		void *task = kg_host_thread_owned ? NULL : kg_host_current_task();

		kg_deferred |= 1UL << (sig - 1);
		kg_deferred_info[sig] = *info;
		kg_call_interrupted = 1;
		if (task)
			kg_relay_request(task);
		return;
	}
	if (act->flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))act->handler)(sig, info, context);
	else if (act->handler != SIG_DFL && act->handler != SIG_IGN)
		((void (*)(int))act->handler)(sig);
}

/* After a served call, at depth 0: the signals that waited, sent again. */
static void kg_deliver_deferred(void)
{
	while (kg_deferred) {
		int sig = __builtin_ctzl(kg_deferred) + 1;
		const long args[6] = { kg_host_call(SYS_getpid, (long[6]){ 0 }),
				       kg_host_call(SYS_gettid, (long[6]){ 0 }), sig,
				       (long)&kg_deferred_info[sig] };

		kg_deferred &= ~(1UL << (sig - 1));
		kg_host_call(SYS_rt_tgsigqueueinfo, args);
	}
}

static int kg_program_handles(const struct kg_kernel_sigaction *act)
{
	return act->handler != SIG_DFL && act->handler != SIG_IGN;
}

static long kg_sigaction(const long *a)
{
	struct kg_kernel_sigaction copy, was, *act = (void *)a[1], *old = (void *)a[2];
	long args[6] = { a[0], (long)&copy, (long)&was, a[3] };
	long ret;

	if (a[3] != 8 || a[0] < 1 || a[0] >= KG_NSIG)
		return -EINVAL;
	if (a[0] == SIGILL) {
		if (old)
			*old = kg_program_sigill;
		if (act)
			kg_program_sigill = *act;
		return 0;
	}
	if (!act)
		args[1] = 0;
	else {
		copy = *act;
		copy.mask &= ~KG_SIGILL_BIT;
		if (kg_program_handles(act)) {
			copy.handler = (void *)kg_signal_entry;
			copy.flags |= SA_SIGINFO;
		}
	}
	ret = kg_host_call(SYS_rt_sigaction, args);
	if (ret)
		return ret;
	if (was.handler == (void *)kg_signal_entry)
		was = kg_program_actions[a[0]];
	if (act)
		kg_program_actions[a[0]] = *act;
	if (old)
		*old = was;
	return 0;
}

static long kg_sigprocmask(const long *a, ucontext_t *uc)
{
	unsigned long *mask = (unsigned long *)&uc->uc_sigmask, set;

	if (a[3] != 8)
		return -EINVAL;
	if (a[2])
		*(unsigned long *)a[2] = *mask;
	if (!a[1])
		return 0;
	set = *(const unsigned long *)a[1];
	switch (a[0]) {
	case SIG_BLOCK:
		*mask |= set;
		break;
	case SIG_UNBLOCK:
		*mask &= ~set;
		break;
	case SIG_SETMASK:
		*mask = set;
		break;
	default:
		return -EINVAL;
	}
	*mask &= ~(KG_SIGILL_BIT | (1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1)));
	return 0;
}

/*
 * Mappings of the kernel's files live in the kernel's memory (no MMU):
 * the calls on their addresses are the kernel's (mappings.c), anonymous
 * memory's the host's.
 */
static long kg_mmap(const long *a)
{
	long addr;

	/* A fixed mapping the program asks for replaces what is there: never
	 * the kernel's memory (a reproducer's 0x20000000 could meet it). */
	if ((a[3] & MAP_FIXED) && kg_host_memory_meets(a[0], a[1])) {
		kg_say("mmap(MAP_FIXED) over the library kernel's memory: ENOMEM\n");
		return -ENOMEM;
	}
	if (a[3] & MAP_ANONYMOUS)
		return kg_host_call(SYS_mmap, a);
	addr = kg_syscall(KG_NR_mmap, a);
	if (addr < 0 && addr > -4096)
		return addr;
	kg_mapping_add(addr, a[1], (a[3] & MAP_TYPE) == MAP_SHARED);
	return addr;
}

/* munmap, mremap, mprotect, msync, madvise: whose memory is it? */
static long kg_memory_call(long nr, const long *a)
{
	int generic = kg_x86[nr].generic;
	long ret;

	if (!kg_mapping_owns(a[0])) {
		if (kg_host_memory_meets(a[0], a[1])) {
			kg_say("munmap, mremap, mprotect, msync or madvise of the library kernel's memory: EINVAL\n");
			return -EINVAL;
		}
		return kg_host_call(nr, a);
	}
	if (generic < 0)
		return -ENOSYS;
	ret = kg_syscall(generic, a);
	if (nr == SYS_munmap && !ret)
		kg_mapping_unmapped(a[0]);
	return ret;
}

/*
 * fork(), vfork() and clone without CLONE_VM: the whole kernel forks with
 * the process (kg_fork), the copy made by the program's own call, so
 * that its C library's fork() finds in the child what it set up.  vfork
 * is a fork: the parent does not wait for the child's exec.
 */
static long kg_fork_args[6];

/*
 * The kernel forks with the process, copy() making the process's copy:
 * shared mappings first put where the child shares them, the fork marked
 * for memcheck's reports, the child's relay thread started again.
 */
static long kg_fork_kernel(long (*copy)(void))
{
	long pid;

	if (kg_mappings_share())
		kg_say("fork(): a shared mapping could not be shared with the child\n");
	pid = kg_fork_as(copy);
	kg_tap_mark_fork(pid);
	if (pid == 0)
		kg_relay_start();
	if (pid == -EBUSY)
		kg_say("fork() while another thread of the program is inside the kernel: EBUSY\n");
	return pid;
}

static long kg_fork_by_program(void)
{
	return kg_host_call(SYS_clone, kg_fork_args);
}

#ifndef CLONE_CLEAR_SIGHAND	/* clone3's, newer than the C library's headers */
#define CLONE_CLEAR_SIGHAND 0x100000000UL
#define CLONE_INTO_CGROUP 0x200000000UL
#endif

/* What a forked process cannot share with its parent: its kernel is a copy. */
#define KG_CLONE_SHARING (CLONE_FILES | CLONE_FS | CLONE_SIGHAND | CLONE_SYSVSEM | \
			  CLONE_PIDFD | CLONE_PARENT)
/* New namespaces for the child: made by the child's kernel after the fork. */
#define KG_CLONE_NEW (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
		      CLONE_NEWUSER | CLONE_NEWCGROUP | CLONE_NEWTIME)

struct kg_clone_args {		/* clone3's, as far as a fork reads it */
	unsigned long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

/* A kernel built without a namespace refuses it, as clone would. */
static int kg_kernel_has_namespaces(unsigned long flags)
{
	static const struct {
		unsigned long flag;
		const char *path;
	} ns[] = {
		{ CLONE_NEWUTS, "/proc/self/ns/uts" }, { CLONE_NEWIPC, "/proc/self/ns/ipc" },
		{ CLONE_NEWNET, "/proc/self/ns/net" }, { CLONE_NEWUSER, "/proc/self/ns/user" },
		{ CLONE_NEWCGROUP, "/proc/self/ns/cgroup" }, { CLONE_NEWTIME, "/proc/self/ns/time" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		if ((flags & ns[i].flag) &&
		    kg_kernel(KG_NR_faccessat, AT_FDCWD, (long)ns[i].path, F_OK, 0, 0, 0))
			return 0;
	return 1;
}

static long kg_program_fork(long nr, const long *a)
{
	unsigned long flags;
	long pid;

	memset(kg_fork_args, 0, sizeof(kg_fork_args));
	if (nr == SYS_clone) {
		memcpy(kg_fork_args, a, sizeof(kg_fork_args));
	} else if (nr == SYS_clone3) {
		const struct kg_clone_args *ca = (const void *)a[0];

		/* As clone(flags | exit_signal, 0, parent_tid, child_tid, tls). */
		kg_fork_args[0] = ca->flags | (ca->exit_signal & 0xff);
		kg_fork_args[2] = ca->parent_tid;
		kg_fork_args[3] = ca->child_tid;
		kg_fork_args[4] = ca->tls;
	} else {
		kg_fork_args[0] = SIGCHLD;
	}
	flags = kg_fork_args[0];
	if (flags & KG_CLONE_SHARING) {
		kg_say("a child process sharing its parent's files, filesystem context, signal handlers, pidfd or parent cannot be: each process has a kernel of its own: ENOSYS\n");
		return -ENOSYS;
	}
	if ((flags & KG_CLONE_NEW) && !kg_kernel_has_namespaces(flags))
		return -EINVAL;
	/* vfork is a fork here: no memory or stack of the parent's shared. */
	kg_fork_args[0] &= ~(CLONE_VFORK | CLONE_VM | KG_CLONE_NEW | CLONE_NEWPID | CLONE_CLEAR_SIGHAND |
			     CLONE_INTO_CGROUP);
	kg_fork_args[1] = 0;
	pid = kg_fork_kernel(kg_fork_by_program);
	if (pid == 0 && (flags & KG_CLONE_NEW) &&
	    kg_kernel(KG_NR_unshare, flags & KG_CLONE_NEW, 0, 0, 0, 0, 0)) {
		kg_say("the child's new namespaces could not be made\n");
		kg_host_call(SYS_exit_group, (long[6]){ 127 });
	}
	return pid;
}

/*
 * The C library's fork() and vfork(), replaced: a copy made inside the
 * C library's own fork() would start the kernel's host threads in a
 * child whose C library still holds the parent's locks.  Here kg_fork()
 * runs first, as kgrind's own code, and the C library's fork() inside it
 * does the rest.  (The program's pthread_atfork handlers run there too,
 * as kgrind's code: what they ask is the host's.)
 */
static pid_t (*kg_c_fork)(void);

/* The C library's fork(), for kg_fork_as: a pid, or a negative errno. */
static long kg_c_fork_call(void)
{
	pid_t pid = kg_c_fork();

	return pid < 0 ? -errno : pid;
}

/*
 * The program's fork handlers (pthread_atfork) are kept here, not by the
 * C library, whose fork() runs inside kg_fork_as as kgrind's code: they
 * run around it as the program's, their calls routed.
 */
#define KG_ATFORK_MAX 64
static struct {
	void (*prepare)(void), (*parent)(void), (*child)(void);
} kg_atfork[KG_ATFORK_MAX];
static int kg_atfork_count;
static pthread_mutex_t kg_atfork_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((visibility("default"))) int __register_atfork(void (*prepare)(void),
							    void (*parent)(void),
							    void (*child)(void), void *dso)
{
	int err = 0;

	pthread_mutex_lock(&kg_atfork_lock);
	if (kg_atfork_count == KG_ATFORK_MAX)
		err = ENOMEM;
	else {
		kg_atfork[kg_atfork_count].prepare = prepare;
		kg_atfork[kg_atfork_count].parent = parent;
		kg_atfork[kg_atfork_count++].child = child;
	}
	pthread_mutex_unlock(&kg_atfork_lock);
	return err;
}

/* Prepare handlers last registered first; the others in order. */
static void kg_atfork_run(int step)
{
	int i, n = kg_atfork_count;

	for (i = 0; i < n; i++) {
		int k = step == 0 ? n - 1 - i : i;
		void (*fn)(void) = step == 0 ? kg_atfork[k].prepare :
				   step == 1 ? kg_atfork[k].parent : kg_atfork[k].child;

		if (fn)
			fn();
	}
}

__attribute__((visibility("default"))) pid_t fork(void)
{
	int pid;

	if (!kg_c_fork)
		kg_c_fork = (pid_t (*)(void))dlsym(RTLD_NEXT, "fork");
	if (!kg_c_fork) {
		errno = ENOSYS;
		return -1;
	}
	/* Not the program (a launcher the preload reached too): as it was. */
	if (!kg_is_running())
		return kg_c_fork();
	kg_atfork_run(0);
	kg_bridge_depth++;
	pid = kg_fork_kernel(kg_c_fork_call);
	kg_bridge_depth--;
	kg_atfork_run(pid == 0 ? 2 : 1);
	if (!kg_bridge_depth && kg_deferred)
		kg_deliver_deferred();
	if (pid < 0) {
		errno = -pid;
		return -1;
	}
	return pid;
}

__attribute__((visibility("default"))) pid_t vfork(void)
{
	return fork();
}

/*
 * dlopen: the dynamic loader reads the library from the host (it is
 * never patched), its constructors run as the program's code (their
 * calls through the C library routed), and its own system call
 * instructions are patched before dlopen returns.
 */
static pthread_mutex_t kg_dlopen_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((visibility("default"))) void *dlopen(const char *file, int mode)
{
	static void *(*real)(const char *, int);
	char why[256];
	void *handle;

	if (!real)
		real = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
	handle = real(file, mode);
	if (!handle || !kg_is_running())
		return handle;
	kg_bridge_depth++;
	pthread_mutex_lock(&kg_dlopen_lock);
	if (kg_sites_patch(why, sizeof(why)) < 0) {
		kg_say(why);
		kg_say("\n");
		dlclose(handle);
		handle = NULL;
	}
	pthread_mutex_unlock(&kg_dlopen_lock);
	kg_bridge_depth--;
	if (!kg_bridge_depth && kg_deferred)
		kg_deliver_deferred();
	return handle;
}

/*
 * exit_group as Linux has it: the process's other threads stop as it
 * begins.  Here the end is long (the kernel halts and syncs in the
 * exiting thread) and its trap has already written a signal frame over
 * the stack below that thread's pointer.  A thread whose call ended
 * meanwhile (a sleep) and went on in the program would read what that
 * stack no longer holds: epoll_wakeup_test's emitter thread, never
 * joined, read its test's context after the test returned and died of
 * SIGSEGV, now and then.  So a thread of the program that leaves a call
 * while the process ends stops there, every signal blocked, until the
 * process is gone.  Not one of kgrind's own, nor one being born (its C
 * library's first calls trap before it is marked kgrind's).
 */
static volatile long kg_exiting_tid;

static void kg_stop_if_exiting(void)
{
	unsigned long all = ~0UL;

	if (!kg_exiting_tid || kg_host_thread_owned || kg_host_threads_starting() ||
	    kg_host_call(SYS_gettid, (long[6]){ 0 }) == kg_exiting_tid)
		return;
	kg_host_call(SYS_rt_sigprocmask, (long[6]){ SIG_SETMASK, (long)&all, 0, 8 });
	for (;;)
		kg_host_call(SYS_pause, (long[6]){ 0 });
}

/* A call the program made: its result, or in_place set. */
static long kg_serve(long nr, const long *a, ucontext_t *uc, int *in_place)
{
	int served;
	long ret;

	if (nr < 0 || nr >= 512)
		return -ENOSYS;
	if (nr == SYS_clone || nr == SYS_clone3) {
		/* A thread, a fork, or posix_spawn's vfork for an exec. */
		const unsigned long flags = nr == SYS_clone3 ? *(const unsigned long *)a[0] :
					    (unsigned long)a[0];

		if (!(flags & CLONE_VM))
			return kg_program_fork(nr, a);
		if (!(flags & CLONE_THREAD)) {
			kg_say("a process sharing the program's memory (posix_spawn, system) cannot run another program: ENOSYS\n");
			return -ENOSYS;
		}
	}
	if (nr == SYS_fork || nr == SYS_vfork)
		return kg_program_fork(nr, a);
	if (kg_in_place(nr)) {
		*in_place = 1;
		return 0;
	}
	if (nr == SYS_rt_sigprocmask) {
		ret = kg_sigprocmask(a, uc);
		/*
		 * The thread's task blocks what the program does: a signal
		 * the kernel sends it then waits there, for signalfd; one
		 * unblocked comes out as this call ends.  A thread with no
		 * task yet has nothing there (and may be kgrind's own,
		 * starting in a forked child that is not done forking).
		 */
		if (!ret && a[1] && kg_host_current_task())
			kg_kernel(KG_NR_rt_sigprocmask, SIG_SETMASK, (long)&uc->uc_sigmask, 0, 8, 0, 0);
		return ret;
	}
	if (nr == SYS_rt_sigaction)
		return kg_sigaction(a);
	if (nr == SYS_mmap)
		return kg_mmap(a);
	if (nr == SYS_munmap || nr == SYS_mremap || nr == SYS_mprotect || nr == SYS_msync ||
	    nr == SYS_madvise)
		return kg_memory_call(nr, a);
	if (nr == SYS_execve || nr == SYS_execveat) {
		kg_say("execve() of another program is not served: the call fails with ENOSYS\n");
		return -ENOSYS;
	}
	if (nr == SYS_exit_group) {
		kg_stop_if_exiting();	/* another thread ends the process */
		kg_exiting_tid = kg_host_call(SYS_gettid, (long[6]){ 0 });
		if (kg_bridge_at_exit)
			kg_bridge_at_exit();
		return kg_host_call(nr, a);
	}
	if (kg_host_owned(nr, a)) {
		/* No kgrind code runs in it: a signal's handler may run at once. */
		kg_bridge_depth--;
		ret = kg_host_call(nr, a);
		kg_bridge_depth++;
		return ret;
	}
	ret = kg_legacy(nr, a, &served);
	if (served)
		return ret;
	if ((nr == SYS_write || nr == SYS_writev) && (a[0] == 1 || a[0] == 2)) {
		ret = kg_syscall(kg_x86[nr].generic, a);
		if (ret > 0 && nr == SYS_write)
			kg_tap_marks(a[0], (const void *)a[1], ret);
		else if (ret > 0) {
			const struct iovec *iov = (const void *)a[1];
			long left = ret, i;

			for (i = 0; i < a[2] && left > 0; left -= iov[i].iov_len, i++)
				kg_tap_marks(a[0], iov[i].iov_base,
					     left < (long)iov[i].iov_len ? left : (long)iov[i].iov_len);
		}
		return ret;
	}
	if (kg_x86[nr].generic >= 0 && kg_x86[nr].name)
		return kg_syscall(kg_x86[nr].generic, a);
	__atomic_add_fetch(&kg_enosys_count[nr], 1, __ATOMIC_RELAXED);
	return -ENOSYS;
}

/* A call the program made, served in a frame whose caller is its site. */
struct kg_call {
	long nr;
	const long *a;
	ucontext_t *uc;
	int in_place;
};

long kg_call_at_site(const greg_t *gregs, long (*fn)(void *), void *arg);

static long kg_serve_call(void *arg)
{
	struct kg_call *call = arg;

	return kg_serve(call->nr, call->a, call->uc, &call->in_place);
}

/* The kernel's codes for a call a signal interrupted (linux/errno.h). */
#define KG_ERESTARTSYS		512
#define KG_ERESTARTNOINTR	513
#define KG_ERESTARTNOHAND	514
#define KG_ERESTART_RESTARTBLOCK 516

static int kg_is_restart_code(long ret)
{
	return ret == -KG_ERESTARTSYS || ret == -KG_ERESTARTNOINTR ||
	       ret == -KG_ERESTARTNOHAND || ret == -KG_ERESTART_RESTARTBLOCK;
}

/*
 * Whether an interrupted call is made again once the handlers of the
 * signals waiting (kg_deferred) have run: as Linux decides on the way
 * back to user space.  With no handler to run, it always is.
 */
static int kg_restarts(long ret)
{
	unsigned long pending = kg_deferred;

	if (ret == -KG_ERESTARTNOINTR || !pending)
		return 1;
	if (ret != -KG_ERESTARTSYS)
		return 0;
	for (; pending; pending &= pending - 1)
		if (!(kg_program_actions[__builtin_ctzl(pending) + 1].flags & SA_RESTART))
			return 0;
	return 1;
}

/* The signal mask a call waits under (ppoll, pselect6, epoll_pwait). */
static const unsigned long *kg_call_sigmask(long nr, const long *a)
{
	switch (nr) {
	case SYS_ppoll:
		return (const unsigned long *)a[3];
	case SYS_epoll_pwait: case SYS_epoll_pwait2:
		return (const unsigned long *)a[4];
	case SYS_pselect6:	/* a[5]: { const sigset_t *, size_t } */
		return a[5] ? *(const unsigned long *const *)a[5] : NULL;
	}
	return NULL;
}

/*
 * The host thread waits under the call's mask too, so that a signal it
 * lets through reaches the handler and ends the wait.  The trap's return
 * puts the thread's own mask back, after the handlers ran under this one,
 * as Linux runs them.
 */
static void kg_wait_under_call_mask(long nr, const long *a)
{
	const unsigned long *mask = kg_call_sigmask(nr, a);
	unsigned long set;

	if (!mask)
		return;
	set = *mask & ~KG_SIGILL_BIT;
	kg_host_call(SYS_rt_sigprocmask, (long[6]){ SIG_SETMASK, (long)&set, 0, 8 });
}

/* KGRIND_RUN_TRACE=1: each call the program made, and what it got. */
static int kg_trace = -1;

static void kg_trace_call(long nr, const long *a, long ret, int in_place)
{
	char line[256];
	int n;

	n = snprintf(line, sizeof(line), "kgrind-run: %s(%#lx, %#lx, %#lx, %#lx) = %ld%s\n",
		     nr >= 0 && nr < 512 && kg_x86[nr].name ? kg_x86[nr].name : "?",
		     a[0], a[1], a[2], a[3], ret, in_place ? " (made in place)" : "");
	{
		const long args[6] = { 2, (long)line, n < (int)sizeof(line) ? n : (int)sizeof(line) - 1 };

		kg_host_call(SYS_write, args);
	}
}

static void kg_trap(int sig, siginfo_t *info, void *context)
{
	ucontext_t *uc = context;
	greg_t *r = uc->uc_mcontext.gregs;
	const struct kg_site *site = kg_site_at(r[REG_RIP]);
	long nr = r[REG_RAX];
	const long a[6] = { r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10], r[REG_R8], r[REG_R9] };
	int in_place = 0;
	long ret = 0;

	if (!site) {
		/* A ud2 of the program's own: the death it would have had. */
		struct kg_kernel_sigaction dfl = { .handler = SIG_DFL };
		const long args[6] = { SIGILL, (long)&dfl, 0, 8 };

		kg_host_call(SYS_rt_sigaction, args);
		return;
	}
	if (kg_host_thread_owned || kg_bridge_depth) {
		/* kgrind's own code, through the C library: the host's. */
		if (kg_in_place(nr))
			in_place = 1;
		else if (nr == SYS_rt_sigprocmask)
			ret = kg_sigprocmask(a, uc);
		else if (nr == SYS_rt_sigaction)
			ret = kg_sigaction(a);
		else
			ret = kg_host_call(nr, a);
	} else {
		struct kg_call call = { .nr = nr, .a = a, .uc = uc };

		kg_bridge_depth++;
		/*
		 * From here a signal interrupts the call: one the call's own
		 * mask lets in at once (a pthread_kill that waited while it was
		 * blocked) must not be forgotten before the call begins, as its
		 * task, parked, is no relay's to interrupt.
		 */
		kg_call_interrupted = 0;
		kg_wait_under_call_mask(nr, a);
		for (;;) {
			int again;

			kg_in_program_call = 1;
			ret = kg_call_at_site(r, kg_serve_call, &call);
			kg_in_program_call = 0;
			if (!kg_is_restart_code(ret))
				break;
			again = kg_restarts(ret);
			/* The signals so far run now; a later one interrupts again. */
			kg_call_interrupted = 0;
			if (kg_bridge_depth == 1) {
				kg_bridge_depth--;
				kg_deliver_deferred();
				kg_bridge_depth++;
			}
			if (!again) {
				ret = -EINTR;
				break;
			}
		}
		in_place = call.in_place;
		if (kg_trace < 0) {
			const char *t = getenv("KGRIND_RUN_TRACE");

			kg_trace = t && *t && strcmp(t, "0");
		}
		if (kg_trace)
			kg_trace_call(nr, a, ret, in_place);
		kg_bridge_depth--;
		if (!kg_bridge_depth)
			kg_stop_if_exiting();
		if (!kg_bridge_depth && kg_deferred)
			kg_deliver_deferred();
	}
	if (in_place) {
		r[REG_RIP] = site->stub;
		return;
	}
	r[REG_RAX] = ret;
	r[REG_RIP] += 2;
}

/*
 * The trap handler returns through a restorer of its own: the C
 * library's, patched, would trap again.
 */
__attribute__((naked)) static void kg_trap_return(void)
{
	asm volatile("mov $15, %eax\n\tsyscall");	/* rt_sigreturn */
}

int kg_bridge_start(void)
{
	struct kg_kernel_sigaction sa = {
		.handler = (void *)kg_trap,
		.flags = SA_SIGINFO | SA_NODEFER | SA_RESTART | 0x04000000 /* SA_RESTORER */,
		.restorer = (void *)kg_trap_return,
	};
	const long args[6] = { SIGILL, (long)&sa, 0, 8 };

	if (kg_relay_start())
		return -EAGAIN;
	kg_host_set_call_interrupted(kg_bridge_call_interrupted);
	return kg_host_call(SYS_rt_sigaction, args);
}

int kg_bridge_in_kgrind(void)
{
	return kg_bridge_depth || kg_host_thread_owned;
}

void kg_bridge_report(void *file)
{
	int nr;

	for (nr = 0; nr < 512; nr++)
		if (kg_enosys_count[nr])
			fprintf(file, "enosys %s %lu\n", kg_x86[nr].name ? kg_x86[nr].name : "?",
				kg_enosys_count[nr]);
}
