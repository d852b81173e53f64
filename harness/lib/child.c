// SPDX-License-Identifier: GPL-2.0
/*
 * Forked children of a test's kernel (kg_fork), with a pipe to the
 * parent: what a child sends, the parent reads when it ends; a child
 * whose kernel crashes sends the reason and the console's tail on its
 * way out.  kg_test_in_child() runs a part of a test so: the child
 * judges its part as the runner judges a test (CUnit assertions, kernel
 * faults, memcheck's reports and leaks in its own XML file), halts its
 * kernel and sends its failure messages, which the parent adds to the
 * running test.  The runner's --fork mode (kg_suite.c) runs whole tests
 * so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CUnit/TestRun.h>
#include "kg_suite.h"
#include "child.h"
#include "console.h"
#include "memcheck.h"
#include "test_messages.h"

static int kg_child_fd = -1;

void kg_child_send(const char *text)
{
	size_t len = strlen(text);

	while (len) {
		ssize_t n = write(kg_child_fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		len -= n;
	}
}

/* The child's kernel cannot go on (console.c): tell the parent why. */
static void kg_child_fatal(const char *why, const char *tail)
{
	kg_child_send("the kernel crashed: ");
	kg_child_send(why);
	kg_child_send("\n--- kernel console (tail) ---\n");
	kg_child_send(kg_console_last_lines(tail, 20));
}

int kg_child_fork(struct kg_child *c)
{
	int fds[2], err;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	c->pid = kg_fork();
	if (c->pid == 0) {
		close(fds[0]);
		kg_child_fd = fds[1];
		kg_console_set_fatal_hook(kg_child_fatal);
		kg_test_messages_reset();
		kg_fault_clear();
		kg_mc_after_fork();
		return 0;
	}
	close(fds[1]);
	if (c->pid < 0) {
		err = c->pid;
		close(fds[0]);
		return err;
	}
	c->fd = fds[0];
	c->quiet_fd = -1;
	return c->pid;
}

static double kg_child_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The size of the child's quiet_fd file, or -1. */
static long long kg_child_output(const struct kg_child *c)
{
	struct stat st;

	return c->quiet_fd >= 0 && !fstat(c->quiet_fd, &st) ? (long long)st.st_size : -1;
}

char *kg_child_wait(struct kg_child *c, double timeout, int *exit_status,
		    char *why, size_t size)
{
	double deadline = timeout > 0 ? kg_child_now() + timeout : 0;
	long long output = kg_child_output(c);
	size_t len = 0, cap = 0;
	char *text = NULL;
	int status = 0, late = 0;

	for (;;) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		int wait_ms = -1, ready;
		ssize_t n;

		if (deadline) {
			double left = deadline - kg_child_now();

			wait_ms = left > 0 ? (int)(left * 1000) + 1 : 0;
			if (output >= 0 && wait_ms > 1000)
				wait_ms = 1000;
		}
		ready = poll(&p, 1, wait_ms);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready == 0 && output >= 0 && kg_child_output(c) != output) {
			output = kg_child_output(c);
			deadline = kg_child_now() + timeout;
			continue;
		}
		if (ready == 0 && kg_child_now() < deadline)
			continue;
		if (ready == 0) {
			late = 1;
			kill(c->pid, SIGKILL);
			break;
		}
		if (len + 4096 + 1 > cap) {
			char *grown = realloc(text, cap = len + 4096 + 1);

			if (!grown)
				break;
			text = grown;
		}
		n = read(c->fd, text + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(c->fd);
	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (late && output >= 0)
		snprintf(why, size, "printed nothing for %.0f s (hung kernel or case) and was killed",
			 timeout);
	else if (late)
		snprintf(why, size, "timed out after %.0f s (hung kernel or test) and was killed",
			 timeout);
	else if (WIFSIGNALED(status))
		snprintf(why, size, "was killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(why, size, "exited with status %d", WEXITSTATUS(status));
	*exit_status = late ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (!len) {
		free(text);
		return NULL;
	}
	text[len] = '\0';
	return text;
}

/* CUnit's failures recorded after the first `before` of them. */
static void kg_child_cunit_failures(unsigned int before)
{
	CU_pFailureRecord f = CU_get_failure_list();

	for (; f && before; f = f->pNext)
		before--;
	for (; f; f = f->pNext) {
		const char *file = f->strFileName ? strrchr(f->strFileName, '/') : NULL;

		kg_test_fail("%s:%u: %s", file ? file + 1 : f->strFileName,
			     f->uiLineNumber, f->strCondition);
	}
}

/* kg_test_in_child's child: fn, judged, then the kernel halted. */
static void __attribute__((noreturn)) kg_child_run(void (*fn)(void *arg), void *arg)
{
	unsigned int failures = CU_get_number_of_failure_records();
	CU_pTest test = CU_get_current_test();
	jmp_buf *parents_jump = test ? test->pJumpBuf : NULL;
	struct kg_mc_counts mc;
	jmp_buf fatal_assert;
	int err;

	/* A fatal assertion ends fn, not the parent's copy of the test. */
	if (test)
		test->pJumpBuf = &fatal_assert;
	if (!setjmp(fatal_assert))
		fn(arg);
	if (test)
		test->pJumpBuf = parents_jump;
	kg_child_cunit_failures(failures);
	if (kg_fault_count())
		kg_test_fail("the kernel reported a fault:\n%s", kg_fault_excerpt());
	kg_mc_end(&mc);
	err = kg_halt();
	if (err)
		kg_test_fail("the kernel did not halt cleanly (%s)\n--- kernel console (tail) ---\n%s",
			     strerror(-err), kg_console_tail());
	if (kg_test_messages())
		kg_child_send(kg_test_messages());
	kg_child_exit(0);
}

int kg_test_in_child(void (*fn)(void *arg), void *arg)
{
	struct kg_child c;
	int err = kg_child_fork(&c), status, failed;
	char *text, why[128];

	if (err == 0)
		kg_child_run(fn, arg);
	if (err < 0) {
		kg_test_fail("kg_fork failed (%s)", strerror(-err));
		return err;
	}
	text = kg_child_wait(&c, 0, &status, why, sizeof(why));
	failed = text || status;
	if (text)
		kg_test_fail("in the forked child (pid %d):\n%s", (int)c.pid, text);
	else if (status)
		kg_test_fail("the forked child (pid %d) %s", (int)c.pid, why);
	free(text);
	return failed;
}
