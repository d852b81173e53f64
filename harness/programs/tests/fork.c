// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind-run's own test program: fork() forks the whole library kernel.
 * The child sees what the parent made before the fork; the parent sees
 * nothing the child makes after it; the child's exit status comes back
 * through the host's wait; a MAP_SHARED mapping of a /dev/shm file stays
 * shared between them, as test harnesses pass results.  It prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"

static char *shared;
static int shared_fd = -1;

/* A MAP_SHARED mapping of a /dev/shm file, the child storing into it. */
static int shared_mapping(void)
{
	int status = 0, ok;
	pid_t pid;

	shared_fd = open("/dev/shm/results", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (shared_fd < 0 || ftruncate(shared_fd, 8192))
		return 0;
	shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, shared_fd, 0);
	if (shared == MAP_FAILED)
		return 0;
	strcpy(shared, "parent");
	pid = fork();
	if (pid == 0) {
		int saw = !strcmp(shared, "parent");

		strcpy(shared + 4096, "child");
		strcpy(shared, "child");
		_exit(saw ? 0 : 1);
	}
	ok = pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	     !WEXITSTATUS(status) && !strcmp(shared, "child") && !strcmp(shared + 4096, "child");
	return ok;
}

/* What the child stored through the mapping, read as the file. */
static int shared_file_data(void)
{
	char buf[8] = "";
	int ok = pread(shared_fd, buf, 6, 4096) == 6 && !strcmp(buf, "child");

	ok &= munmap(shared, 8192) == 0;
	close(shared_fd);
	return ok;
}

/* The child's exit status, 0 when the wait failed. */
static int child_status(pid_t pid)
{
	int status = 0;

	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) ?
	       WEXITSTATUS(status) : 0;
}

static int raw_clone3_forks(void)
{
	uint64_t args[11] = { 0 };	/* struct clone_args: flags, ..., exit_signal at [4] */
	long pid;

	args[4] = SIGCHLD;
	pid = syscall(SYS_clone3, args, sizeof(args));
	if (pid == 0)
		_exit(9);
	return child_status(pid) == 9;
}

static int clone_new_uts_namespace(void)
{
	char before[64] = "", after[64] = "";
	long pid;

	/* A kernel without namespaces refuses them. */
	if (readlink("/proc/self/ns/uts", before, sizeof(before) - 1) <= 0)
		return syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0) < 0 && errno == EINVAL;
	pid = syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(readlink("/proc/self/ns/uts", after, sizeof(after) - 1) > 0 &&
		      strcmp(before, after) ? 5 : 1);
	return child_status(pid) == 5;
}

static int clone_files_refused(void)
{
	long pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);

	if (pid == 0)
		_exit(0);
	return pid < 0 && errno == ENOSYS;
}

int main(void)
{
	int fd = open("/tmp/before-fork", O_WRONLY | O_CREAT | O_TRUNC, 0644), status = 0;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..10\n");
	check(fd >= 0 && write(fd, "parent", 6) == 6, "parent_writes_before_fork");
	pid = fork();
	if (pid == 0) {
		char buf[8] = "";
		int in = open("/tmp/before-fork", O_RDONLY);
		int out = open("/tmp/from-child", O_WRONLY | O_CREAT, 0644);
		int ok = in >= 0 && read(in, buf, sizeof(buf)) == 6 && !memcmp(buf, "parent", 6) &&
			 out >= 0 && write(out, "child", 5) == 5;

		_exit(ok ? 7 : 1);
	}
	check(pid > 0, "fork");
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 7, "child_sees_parent_file_and_exits_7");
	check(access("/tmp/from-child", F_OK) != 0, "parent_does_not_see_child_file");
	check(shared_mapping(), "shared_mapping_of_a_dev_shm_file_stays_shared");
	check(munmap(shared, 8192) == 0 && close(shared_fd) == 0 && shared_mapping(),
	      "a_second_shared_mapping_after_the_first_is_unmapped");
	check(shared_file_data(), "the_childs_stores_are_the_files_data_in_the_parent");
	check(raw_clone3_forks(), "raw_clone3_without_clone_vm_forks");
	check(clone_new_uts_namespace(), "clone_newuts_gives_the_child_a_namespace_of_its_own_or_einval_without_namespaces");
	check(clone_files_refused(), "clone_files_is_refused_with_enosys");
	return tap_failed ? 1 : 0;
}
