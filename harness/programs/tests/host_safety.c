// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind-run's own test program: it tries to remove, rename and write
 * the host file named by argv[1] through every way a program's call can
 * take (the C library, raw syscall(), the old x86-64 calls and their *at
 * forms, a forked child, a thread, fork handlers, signal handlers that
 * interrupt a call) and through code the bridge never patched (made at
 * run time).  The calls the bridge serves must act on the kernel's file
 * of that name; the unpatched ones must be refused by the host guard.
 * check_host_safety then checks, from outside, that the host file and
 * its directory are as they were.  It prints TAP.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tap.h"

static const char *victim;
static char renamed[4096], dir[4096];

/* The kernel's file of the victim's name, made again. */
static int kernel_copy(void)
{
	char path[4096], *p;
	int fd;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
	unlink(renamed);
	fd = open(victim, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Every harm through the C library: each must succeed, on the kernel's copy. */
static int harm_with_libc(void)
{
	int fd, ok = 1;

	ok &= kernel_copy() == 0;
	fd = open(victim, O_WRONLY | O_TRUNC);
	ok &= fd >= 0 && write(fd, "harmed\n", 7) == 7;
	close(fd);
	ok &= truncate(victim, 1) == 0;
	ok &= chmod(victim, 0) == 0;
	ok &= rename(victim, renamed) == 0;
	ok &= rename(renamed, victim) == 0;
	ok &= unlink(victim) == 0;
	return ok;
}

/* The same through raw calls: the old x86-64 ones and the *at forms. */
static int harm_with_raw_calls(void)
{
	long fd;
	int ok = 1;

	ok &= kernel_copy() == 0;
	fd = syscall(SYS_open, victim, O_WRONLY | O_TRUNC, 0);
	ok &= fd >= 0 && syscall(SYS_write, fd, "harmed\n", 7) == 7;
	syscall(SYS_close, fd);
	fd = syscall(SYS_openat, AT_FDCWD, victim, O_WRONLY | O_APPEND, 0);
	ok &= fd >= 0 && syscall(SYS_pwrite64, fd, "x", 1, 0) == 1 &&
	      syscall(SYS_ftruncate, fd, 0) == 0;
	syscall(SYS_close, fd);
	ok &= syscall(SYS_creat, victim, 0644) >= 0;
	ok &= syscall(SYS_rename, victim, renamed) == 0;
	ok &= syscall(SYS_renameat2, AT_FDCWD, renamed, AT_FDCWD, victim, 0) == 0;
	ok &= syscall(SYS_unlinkat, AT_FDCWD, victim, 0) == 0;
	ok &= kernel_copy() == 0 && syscall(SYS_unlink, victim) == 0;
	ok &= syscall(SYS_rmdir, dir) == 0;
	return ok;
}

/*
 * Code the bridge never saw: "mov %rdi,%rax; mov %rsi,%rdi; mov %rdx,%rsi;
 * mov %rcx,%rdx; syscall; ret", made at run time.  Its calls reach the
 * host; the host guard must refuse every write.
 */
static long (*unpatched)(long nr, long a0, long a1, long a2);

static int make_unpatched(void)
{
	static const unsigned char code[] = {
		0x48, 0x89, 0xf8, 0x48, 0x89, 0xf7, 0x48, 0x89, 0xd6, 0x48, 0x89, 0xca,
		0x0f, 0x05, 0xc3,
	};
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED)
		return -1;
	memcpy(page, code, sizeof(code));
	if (mprotect(page, 4096, PROT_READ | PROT_EXEC))
		return -1;
	unpatched = (long (*)(long, long, long, long))page;
	return 0;
}

static int harm_unpatched(void)
{
	long fd;
	int ok = 1;

	ok &= unpatched(SYS_unlink, (long)victim, 0, 0) < 0;
	ok &= unpatched(SYS_rename, (long)victim, (long)renamed, 0) < 0;
	ok &= unpatched(SYS_truncate, (long)victim, 0, 0) < 0;
	fd = unpatched(SYS_open, (long)victim, O_WRONLY | O_TRUNC, 0);
	ok &= fd < 0;
	if (fd >= 0)
		unpatched(SYS_close, fd, 0, 0);
	fd = unpatched(SYS_open, (long)renamed, O_WRONLY | O_CREAT, 0644);
	ok &= fd < 0;
	ok &= unpatched(SYS_mkdir, (long)renamed, 0755, 0) < 0;
	ok &= unpatched(SYS_symlink, (long)victim, (long)renamed, 0) < 0;
	ok &= unpatched(SYS_link, (long)victim, (long)renamed, 0) < 0;
	/* Reading stays allowed: the guard is about harm. */
	fd = unpatched(SYS_open, (long)victim, O_RDONLY, 0);
	ok &= fd >= 0;
	if (fd >= 0)
		unpatched(SYS_close, fd, 0, 0);
	return ok;
}

static void *thread_harm(void *arg)
{
	return (void *)(long)(harm_with_libc() && harm_with_raw_calls() && harm_unpatched());
}

static volatile int handler_ran, handler_ok;

static void on_alarm(int sig)
{
	handler_ok = harm_with_libc();
	handler_ran = 1;
}

static int atfork_ok = 1;

static void atfork_prepare(void)
{
	atfork_ok &= harm_with_libc();
}

static void atfork_parent(void)
{
	atfork_ok &= harm_with_libc();
}

static void atfork_child(void)
{
	atfork_ok &= harm_with_libc();
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	pthread_t thread;
	void *thread_ok = NULL;
	int status = 0, pipefd[2];
	char buf[8];
	pid_t pid;

	if (argc != 2 || argv[1][0] != '/') {
		fprintf(stderr, "usage: %s /absolute/host/file\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	victim = argv[1];
	snprintf(renamed, sizeof(renamed), "%s.renamed", victim);
	snprintf(dir, sizeof(dir), "%s", victim);
	dirname(dir);	/* in place, for an absolute path with a slash after the root */
	printf("TAP version 13\n1..10\n");
	check(harm_with_libc(), "libc_calls_act_on_the_kernels_file");
	check(harm_with_raw_calls(), "raw_calls_act_on_the_kernels_file");
	check(make_unpatched() == 0 && harm_unpatched(), "unpatched_code_is_refused_by_the_host");
	check(!pthread_create(&thread, NULL, thread_harm, NULL) &&
	      !pthread_join(thread, &thread_ok) && thread_ok, "a_thread_is_routed_and_guarded");

	pid = fork();
	if (pid == 0)
		_exit(harm_with_libc() && harm_with_raw_calls() && harm_unpatched() ? 0 : 1);
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      !WEXITSTATUS(status), "a_forked_child_is_routed_and_guarded");

	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
	pid = fork();
	if (pid == 0)
		_exit(atfork_ok ? 0 : 1);
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      !WEXITSTATUS(status) && atfork_ok, "fork_handlers_are_routed");

	sigaction(SIGALRM, &sa, NULL);
	handler_ran = 0;
	alarm(1);
	while (nanosleep(&ts, &ts) == 0 && !handler_ran)
		ts.tv_nsec = 300 * 1000 * 1000;
	while (!handler_ran)
		;
	check(handler_ok, "a_handler_interrupting_a_sleep_is_routed");

	handler_ran = 0;
	check(pipe(pipefd) == 0, "pipe");
	alarm(1);
	/* Nothing comes: the read waits in the kernel until the alarm. */
	errno = 0;
	check(read(pipefd[0], buf, sizeof(buf)) < 0 && errno == EINTR && handler_ran && handler_ok,
	      "a_handler_interrupting_a_kernel_read_is_routed_and_the_read_fails_eintr");
	/* The loader reads a library loaded later from the host, read-only;
	 * its code is patched as the program's was. */
	check(dlopen("libz.so.1", RTLD_NOW) != NULL, "dlopen_loads_a_host_library");
	return tap_failed ? 1 : 0;
}
