// SPDX-License-Identifier: GPL-2.0
/*
 * The boot suite: the kernel boots in this process, takes system calls
 * from several host threads, reports its warnings, and halts cleanly.
 * Before the runner boots this process's kernel, two tests kill kernels
 * in forked children; after the runner's halt test, calls must fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <CUnit/CUnit.h>
#include <valgrind/valgrind.h>
#include "kgrind.h"
#include "kg_suite.h"

/*
 * Boots a kernel in a forked child, runs a fatal fixture there, and
 * returns the child's exit status (-1 if it hung) with its stderr in out.
 */
static int die_in_child(const char *fixture, long arg, char *out, size_t size)
{
	int pipefd[2], status = -1;
	size_t len = 0;
	ssize_t n;
	pid_t child;

	if (pipe(pipefd))
		return -1;
	child = fork();
	if (child == 0) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		if (kg_boot(NULL) == 0)
			kg_call(fixture, arg);
		_exit(0);	/* survived: the parent's assertion fails */
	}
	close(pipefd[1]);
	while (len < size - 1 && (n = read(pipefd[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pipefd[0]);
	if (child < 0 || waitpid(child, &status, 0) != child)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_panic_ends_process(void)
{
	static char out[65536];

	CU_ASSERT_EQUAL(die_in_child("boot_panic", 3, out, sizeof(out)), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "fatal kernel error"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "deliberate panic 3"));

	CU_ASSERT_EQUAL(die_in_child("boot_bug", 0, out, sizeof(out)), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "BUG: failure at"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "boot_fixtures.c"));
}

static void test_oops_ends_process(void)
{
	static char out[65536];

	int status = die_in_child("boot_bad_pointer", 8, out, sizeof(out));

	/* memcheck reports the bad read, and --error-exitcode then wins. */
	CU_ASSERT(status == 2 || (RUNNING_ON_VALGRIND && status == 99));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Oops: host signal"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "kernel console"));
}

static void test_calls_before_boot(void)
{
	CU_ASSERT_EQUAL(kg_getpid(), -ESHUTDOWN);
	CU_ASSERT_EQUAL(kg_call("boot_echo_pid", 0), -ESHUTDOWN);
	CU_ASSERT_EQUAL(kg_halt(), -ESHUTDOWN);
	CU_ASSERT(!kg_is_running());
}

/* The runner booted the kernel for this first test. */
static void test_kernel_is_up(void)
{
	CU_ASSERT(kg_is_running());
	CU_ASSERT_EQUAL(kg_boot(NULL), -EBUSY);
	CU_ASSERT_EQUAL(kg_fault_count(), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(kg_console_tail(), "Linux version 6.12"));
}

static void test_getpid(void)
{
	long pid = kg_getpid(), tid = kg_gettid();

	CU_ASSERT(pid > 0);
	CU_ASSERT(tid > 0);
	CU_ASSERT_EQUAL(kg_getpid(), pid);
	CU_ASSERT_EQUAL(kg_syscall(100000, NULL), -ENOSYS);
	CU_ASSERT_EQUAL(kg_syscall(-1, NULL), -ENOSYS);
}

static void test_uname(void)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	CU_ASSERT_EQUAL_FATAL(kg_uname(&u), 0);
	CU_ASSERT_STRING_EQUAL(u.sysname, "Linux");
	CU_ASSERT_EQUAL(strncmp(u.release, "6.12", 4), 0);
	CU_ASSERT_STRING_EQUAL(u.nodename, "kgrind");
	CU_ASSERT_EQUAL(kg_uname(NULL), -EFAULT);
}

static void test_mount_tmpfs(void)
{
	char mounts[4096];

	CU_ASSERT_EQUAL(kg_mkdir("/mnt", 0755), 0);
	CU_ASSERT_EQUAL_FATAL(kg_mount("none", "/mnt", "tmpfs", 0, NULL), 0);
	CU_ASSERT(kg_read_file("/proc/mounts", mounts, sizeof(mounts)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(mounts, "/mnt tmpfs"));
	CU_ASSERT_EQUAL(kg_mount("none", "/nowhere", "tmpfs", 0, NULL), -ENOENT);
	CU_ASSERT_EQUAL(kg_mount("none", "/mnt", "no-such-fs", 0, NULL), -ENODEV);
	CU_ASSERT_EQUAL(kg_umount("/mnt", 0), 0);
	CU_ASSERT_EQUAL(kg_rmdir("/mnt"), 0);
}

static int dir_has(int dirfd, const char *name)
{
	char buf[1024];
	long n, off;

	kg_lseek(dirfd, 0, SEEK_SET);
	while ((n = kg_getdents64(dirfd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n;) {
			struct kg_dirent64 *d = (void *)(buf + off);

			if (!strcmp(d->d_name, name))
				return 1;
			off += d->d_reclen;
		}
	return 0;
}

static void test_files(void)
{
	static const char text[] = "hello from the host";
	char buf[64] = { 0 };
	struct kg_stat st;
	struct statx stx;
	long fd, dfd;

	CU_ASSERT_EQUAL_FATAL(kg_mkdir("/tmp/d", 0750), 0);
	CU_ASSERT_EQUAL(kg_mkdir("/tmp/d", 0750), -EEXIST);
	fd = kg_open("/tmp/d/f", O_CREAT | O_RDWR | O_EXCL, 0640);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_write(fd, text, sizeof(text)), sizeof(text));
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_SET), 0);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), sizeof(text));
	CU_ASSERT_STRING_EQUAL(buf, text);
	CU_ASSERT_EQUAL(kg_pread(fd, buf, 5, 6), 5);
	CU_ASSERT_EQUAL(memcmp(buf, "from ", 5), 0);

	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, sizeof(text));
	CU_ASSERT_EQUAL(st.st_mode, S_IFREG | 0640);
	CU_ASSERT_EQUAL(kg_statx(AT_FDCWD, "/tmp/d/f", 0, STATX_BASIC_STATS, &stx), 0);
	CU_ASSERT_EQUAL(stx.stx_size, sizeof(text));
	CU_ASSERT_EQUAL(stx.stx_ino, st.st_ino);
	CU_ASSERT_EQUAL(kg_close(fd), 0);
	CU_ASSERT_EQUAL(kg_close(fd), -EBADF);

	dfd = kg_open("/tmp/d", O_RDONLY | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(dfd >= 0);
	CU_ASSERT(dir_has(dfd, "f"));
	CU_ASSERT_EQUAL(kg_rename("/tmp/d/f", "/tmp/d/g"), 0);
	CU_ASSERT(!dir_has(dfd, "f"));
	CU_ASSERT(dir_has(dfd, "g"));
	CU_ASSERT_EQUAL(kg_rmdir("/tmp/d"), -ENOTEMPTY);
	CU_ASSERT_EQUAL(kg_unlink("/tmp/d/g"), 0);
	CU_ASSERT_EQUAL(kg_unlink("/tmp/d/g"), -ENOENT);
	CU_ASSERT(!dir_has(dfd, "g"));
	CU_ASSERT_EQUAL(kg_close(dfd), 0);
	CU_ASSERT_EQUAL(kg_rmdir("/tmp/d"), 0);
	CU_ASSERT_EQUAL(kg_stat("/tmp/d", &st), -ENOENT);
}

static void test_bad_arguments(void)
{
	long fd = kg_open("/tmp/bad", O_CREAT | O_RDWR, 0600);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_write(fd, NULL, 10), -EFAULT);
	CU_ASSERT_EQUAL(kg_write(fd, (void *)16, 10), -EFAULT);
	CU_ASSERT_EQUAL(kg_read(12345, NULL, 1), -EBADF);
	CU_ASSERT_EQUAL(kg_open(NULL, O_RDONLY, 0), -EFAULT);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, 42), -EINVAL);
	CU_ASSERT_EQUAL(kg_close(fd), 0);
	CU_ASSERT_EQUAL(kg_unlink("/tmp/bad"), 0);
}

/* The kernel's own clock: in virtual time a sleep costs no host time. */
static unsigned long long kernel_now_ns(void)
{
	struct timespec ts = { 0 };

	kg_clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void test_nanosleep(void)
{
	struct timespec req = { .tv_nsec = 20 * 1000 * 1000 };
	unsigned long long start = kernel_now_ns(), took;

	CU_ASSERT_EQUAL(kg_nanosleep(&req, NULL), 0);
	took = kernel_now_ns() - start;
	CU_ASSERT(took >= 20ULL * 1000 * 1000);
	CU_ASSERT(took < 1000ULL * 1000 * 1000);
	req.tv_nsec = -1;
	CU_ASSERT_EQUAL(kg_nanosleep(&req, NULL), -EINVAL);
}

static long timer_interrupts(void)
{
	char buf[4096], *line;

	if (kg_read_file("/proc/interrupts", buf, sizeof(buf)) <= 0)
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (strstr(line, "timer"))
			return strtol(strchr(line, ':') + 1, NULL, 10);
	return -1;
}

static void test_proc(void)
{
	struct timespec req = { .tv_nsec = 30 * 1000 * 1000 };
	char buf[4096];
	double uptime = -1;
	long before, after;

	CU_ASSERT(kg_read_file("/proc/meminfo", buf, sizeof(buf)) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "MemTotal:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "MemFree:"));

	before = timer_interrupts();
	CU_ASSERT(before >= 0);
	CU_ASSERT_EQUAL(kg_nanosleep(&req, NULL), 0);
	after = timer_interrupts();
	CU_ASSERT(after > before);
	/* In centiseconds: a kernel booted just now may still say 0.00. */
	CU_ASSERT(kg_read_file("/proc/uptime", buf, sizeof(buf)) > 0);
	CU_ASSERT_EQUAL(sscanf(buf, "%lf", &uptime), 1);
	CU_ASSERT(uptime >= 0.03);
}

#define THREADS 4
#define CALLS_PER_THREAD 2000

struct worker {
	pthread_t thread;
	long tid;
	int errors;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char name[32], byte = 'x';
	long fd;
	int i;

	w->tid = kg_gettid();
	snprintf(name, sizeof(name), "/tmp/worker-%ld", w->tid);
	fd = kg_open(name, O_CREAT | O_RDWR, 0600);
	if (fd < 0)
		w->errors++;
	for (i = 0; i < CALLS_PER_THREAD - 3; i++) {
		long r = (i % 2) ? kg_gettid() : kg_pwrite(fd, &byte, 1, i);

		if ((i % 2) ? r != w->tid : r != 1)
			w->errors++;
	}
	if (kg_close(fd) || kg_unlink(name))
		w->errors++;
	return NULL;
}

static void test_concurrent_syscalls(void)
{
	struct worker w[THREADS] = { 0 };
	int i, j;

	for (i = 0; i < THREADS; i++)
		CU_ASSERT_EQUAL_FATAL(pthread_create(&w[i].thread, NULL,
						     worker_main, &w[i]), 0);
	for (i = 0; i < THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		CU_ASSERT_EQUAL(w[i].errors, 0);
		CU_ASSERT(w[i].tid > 0);
		for (j = 0; j < i; j++)
			CU_ASSERT_NOT_EQUAL(w[i].tid, w[j].tid);
	}
	/* The threads' tasks exited with them; the kernel still answers. */
	CU_ASSERT(kg_getpid() > 0);
}

static void test_fixture(void)
{
	CU_ASSERT_EQUAL(kg_call("boot_echo_pid", 41), 41 + kg_gettid());
	CU_ASSERT_EQUAL(kg_call("no_such_fixture", 0), -ENOENT);
	CU_ASSERT_EQUAL(kg_fault_count(), 0);
}

/* Tasks pass the CPU back and forth, with and without a host thread. */
static void test_context_switches(void)
{
	CU_ASSERT(kg_call("boot_switch_ping_pong", 100) > 0);
	CU_ASSERT_EQUAL(kg_call("boot_switch_ping_pong", 0), -EINVAL);
	CU_ASSERT(kg_call("boot_kthread_ping_pong", 100) > 0);
	CU_ASSERT(kg_getpid() > 0);
}

static void test_warn_is_reported(void)
{
	kg_fault_clear();
	CU_ASSERT_EQUAL(kg_call("boot_warn", 7), 0);
	CU_ASSERT(kg_fault_count() >= 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(kg_fault_excerpt(), "WARNING:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(kg_fault_excerpt(), "deliberate warning 7"));
	kg_fault_clear();
	/* The kernel goes on after a warning. */
	CU_ASSERT(kg_getpid() > 0);
}

/* The runner's halt test halted the kernel. */
static void test_calls_after_halt(void)
{
	CU_ASSERT(!kg_is_running());
	CU_ASSERT_EQUAL(kg_getpid(), -ESHUTDOWN);
	CU_ASSERT_EQUAL(kg_call("boot_echo_pid", 0), -ESHUTDOWN);
	CU_ASSERT_EQUAL(kg_halt(), -ESHUTDOWN);
	CU_ASSERT_EQUAL(kg_boot(NULL), -ESHUTDOWN);
}

static CU_TestInfo before_boot_tests[] = {
	{ "panic_ends_process", test_panic_ends_process },
	{ "oops_ends_process", test_oops_ends_process },
	{ "calls_before_boot", test_calls_before_boot },
	CU_TEST_INFO_NULL,
};

static CU_TestInfo boot_tests[] = {
	{ "kernel_is_up", test_kernel_is_up },
	{ "getpid", test_getpid },
	{ "uname", test_uname },
	{ "mount_tmpfs", test_mount_tmpfs },
	{ "files", test_files },
	{ "bad_arguments", test_bad_arguments },
	{ "nanosleep", test_nanosleep },
	{ "proc", test_proc },
	{ "concurrent_syscalls", test_concurrent_syscalls },
	{ "fixture", test_fixture },
	{ "context_switches", test_context_switches },
	{ "warn_is_reported", test_warn_is_reported },
	CU_TEST_INFO_NULL,
};

static CU_TestInfo after_halt_tests[] = {
	{ "calls_after_halt", test_calls_after_halt },
	CU_TEST_INFO_NULL,
};

/* What the tests share, so that each also runs alone: /proc and /tmp. */
static int boot_setup(void)
{
	long err = kg_mount_at("proc", "/proc", "proc");

	return (int)(err ? err : kg_mount_at("tmpfs", "/tmp", "tmpfs"));
}

static const struct kg_suite boot_suite = {
	.name = "boot",
	.before_boot = before_boot_tests,
	.tests = boot_tests,
	.after_halt = after_halt_tests,
	.setup = boot_setup,
};

int main(int argc, char **argv)
{
	return kg_suite_main(&boot_suite, argc, argv);
}
