// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind-run's own test program: fork() forks the whole library kernel.
 * The child sees what the parent made before the fork; the parent sees
 * nothing the child makes after it; the child's exit status comes back
 * through the host's wait.  It prints TAP.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int tests, failed;

static void check(int ok, const char *name)
{
	tests++;
	failed += !ok;
	printf("%sok %d %s\n", ok ? "" : "not ", tests, name);
}

int main(void)
{
	int fd = open("/tmp/before-fork", O_WRONLY | O_CREAT | O_TRUNC, 0644), status = 0;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..4\n");
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
	return failed ? 1 : 0;
}
