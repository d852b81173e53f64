// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind-run's own test program: the program is a process of the
 * library kernel.  Its pid and tids are the kernel's (/proc/self,
 * /proc/thread-self, a pidfd of getpid(), F_SETOWN), in a forked child
 * too; its name is its own (/proc/self/comm, PR_SET_NAME); seteuid,
 * which glibc makes in every thread, kgrind's too; the signals the kernel sends it (SIGPIPE, SIGIO) reach its
 * handlers; a signal ends a kernel wait, and the call is restarted or
 * fails with EINTR as on Linux, under the mask the call waits with
 * (epoll_pwait).  It prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"

static volatile sig_atomic_t sigpipes, sigios, sigusr1s;

static void count_signal(int sig)
{
	if (sig == SIGPIPE)
		sigpipes++;
	else if (sig == SIGIO)
		sigios++;
	else if (sig == SIGUSR1)
		sigusr1s++;
}

/* What /proc/<link> names, as a number pair "a" or "a/task/b". */
static int proc_link_is(const char *link, pid_t pid, pid_t tid)
{
	char path[64], target[64], want[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s", link);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = '\0';
	if (tid)
		snprintf(want, sizeof(want), "%d/task/%d", pid, tid);
	else
		snprintf(want, sizeof(want), "%d", pid);
	return !strcmp(target, want);
}

static void *thread_sees_itself(void *unused)
{
	return (void *)(long)proc_link_is("thread-self", getpid(), gettid());
}

/* /proc/<pid>/status of this process names it and counts its threads. */
static int status_names_self(void)
{
	char path[64], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		int n;

		if (sscanf(line, "Tgid: %d", &n) == 1 && n == getpid())
			found++;
		if (sscanf(line, "Pid: %d", &n) == 1 && n == getpid())
			found++;
	}
	fclose(f);
	return found == 2;
}

/* /proc/thread-self/comm is what the thread is named, as on the host. */
static int comm_is(const char *want)
{
	char comm[32] = "";
	FILE *f = fopen("/proc/thread-self/comm", "r");

	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return !strcmp(comm, want);
}

static void *thread_comm_is_the_programs(void *unused)
{
	return (void *)(long)comm_is(program_invocation_short_name);
}

/* The program's name, its new thread's too, then the name it sets. */
static int comm_follows_the_program(void)
{
	pthread_t thread;
	void *same = NULL;
	char name[16];

	return comm_is(program_invocation_short_name) &&
	       !pthread_create(&thread, NULL, thread_comm_is_the_programs, NULL) &&
	       !pthread_join(thread, &same) && same &&
	       !prctl(PR_SET_NAME, "kg-renamed") && comm_is("kg-renamed") &&
	       !prctl(PR_GET_NAME, name) && !strcmp(name, "kg-renamed");
}

/*
 * glibc changes an id in every thread of the process, kgrind's own
 * included, by a signal that interrupts their waits: each wait must be
 * one valgrind can restart (it aborted, under memcheck, on a wait made
 * in a C library call site that kgrind-run had patched since).
 */
static int seteuid_and_back(void)
{
	return !seteuid(99) && geteuid() == 99 && !seteuid(0) && geteuid() == 0;
}

static int pidfd_of_self(void)
{
	int fd = syscall(SYS_pidfd_open, getpid(), 0);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Writing to a pipe nobody reads: EPIPE, and the kernel's SIGPIPE. */
static int sigpipe_reaches_handler(void)
{
	int p[2], ok;

	if (pipe(p))
		return 0;
	close(p[0]);
	ok = write(p[1], "x", 1) == -1 && errno == EPIPE;
	close(p[1]);
	return ok && sigpipes == 1;
}

/* O_ASYNC on a pipe owned by getpid(): data coming sends SIGIO. */
static int sigio_reaches_owner(void)
{
	int p[2], ok;

	if (pipe(p))
		return 0;
	ok = fcntl(p[0], F_SETOWN, getpid()) == 0 &&
	     fcntl(p[0], F_GETOWN) == getpid() &&
	     fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK) == 0 &&
	     write(p[1], "x", 1) == 1;
	close(p[0]);
	close(p[1]);
	return ok && sigios == 1;
}

/* A forked child is its own pid, and named as the thread that forked. */
static int child_is_itself(void)
{
	char name[16] = "";
	int status;
	pid_t pid;

	if (prctl(PR_GET_NAME, name))
		return 0;
	pid = fork();
	if (pid == 0)
		_exit(proc_link_is("self", getpid(), 0) && pidfd_of_self() &&
		      comm_is(name) ? 0 : 1);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

struct poke {
	pthread_t target;
	int pipe_fd;	/* written to after the signal, or -1 */
};

/* Signals the waiting thread, then (maybe) gives it what it waits for. */
static void *poke_later(void *arg)
{
	struct poke *p = arg;

	usleep(100 * 1000);
	pthread_kill(p->target, SIGUSR1);
	if (p->pipe_fd >= 0) {
		usleep(100 * 1000);
		if (write(p->pipe_fd, "x", 1) != 1)
			return NULL;
	}
	return NULL;
}

static void on_sigusr1(int flags)
{
	struct sigaction sa = { .sa_handler = count_signal, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

/*
 * A read from a pipe, a signal in the middle: with SA_RESTART the read
 * goes on and gets the byte written after it; without, EINTR.
 */
static int read_after_signal(int flags, int want_eintr)
{
	struct poke poke = { .target = pthread_self() };
	int p[2], got_eintr, before = sigusr1s;
	pthread_t thread;
	char c;
	ssize_t n;

	if (pipe(p))
		return 0;
	on_sigusr1(flags);
	poke.pipe_fd = p[1];
	if (pthread_create(&thread, NULL, poke_later, &poke))
		return 0;
	n = read(p[0], &c, 1);
	got_eintr = n == -1 && errno == EINTR;
	pthread_join(thread, NULL);
	close(p[0]);
	close(p[1]);
	return sigusr1s == before + 1 && (want_eintr ? got_eintr : n == 1);
}

/* epoll_wait is never restarted after a handler, SA_RESTART or not. */
static int epoll_wait_eintr(void)
{
	struct poke poke = { .target = pthread_self(), .pipe_fd = -1 };
	int efd = epoll_create1(0), before = sigusr1s, ok;
	struct epoll_event e;
	pthread_t thread;

	if (efd < 0)
		return 0;
	on_sigusr1(SA_RESTART);
	if (pthread_create(&thread, NULL, poke_later, &poke))
		return 0;
	ok = epoll_wait(efd, &e, 1, 5000) == -1 && errno == EINTR;
	pthread_join(thread, NULL);
	close(efd);
	return ok && sigusr1s == before + 1;
}

/*
 * The thread blocks SIGUSR1 but waits in epoll_pwait with an empty mask:
 * the signal comes through during the wait, and only then.
 */
static int epoll_pwait_mask_lets_signal_in(void)
{
	struct poke poke = { .target = pthread_self(), .pipe_fd = -1 };
	int efd = epoll_create1(0), before = sigusr1s, ok;
	sigset_t usr1, none, was;
	struct epoll_event e;
	pthread_t thread;

	if (efd < 0)
		return 0;
	on_sigusr1(0);
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, &was);
	if (pthread_create(&thread, NULL, poke_later, &poke))
		return 0;
	ok = epoll_pwait(efd, &e, 1, 5000, &none) == -1 && errno == EINTR &&
	     sigusr1s == before + 1;
	pthread_join(thread, NULL);
	pthread_sigmask(SIG_SETMASK, &was, NULL);
	close(efd);
	return ok;
}

int main(void)
{
	pthread_t thread;
	void *seen = NULL;

	signal(SIGPIPE, count_signal);
	signal(SIGIO, count_signal);
	printf("TAP version 13\n1..13\n");
	check(proc_link_is("self", getpid(), 0), "proc_self_is_getpid");
	check(!pthread_create(&thread, NULL, thread_sees_itself, NULL) &&
	      !pthread_join(thread, &seen) && seen, "thread_self_is_gettid");
	check(status_names_self(), "proc_pid_status");
	check(pidfd_of_self(), "pidfd_open_getpid");
	check(comm_follows_the_program(), "comm_is_the_programs_name");
	check(seteuid_and_back(), "seteuid_and_back_with_kgrinds_threads");
	check(sigpipe_reaches_handler(), "kernel_sigpipe_to_handler");
	check(sigio_reaches_owner(), "kernel_sigio_to_owner");
	check(child_is_itself(), "forked_child_is_itself");
	check(read_after_signal(SA_RESTART, 0), "read_restarts_after_sa_restart_handler");
	check(read_after_signal(0, 1), "read_eintr_after_handler");
	check(epoll_wait_eintr(), "epoll_wait_eintr_despite_sa_restart");
	check(epoll_pwait_mask_lets_signal_in(), "epoll_pwait_mask_lets_signal_in");
	return tap_failed ? 1 : 0;
}
