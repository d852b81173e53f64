// SPDX-License-Identifier: GPL-2.0
/*
 * Under memcheck, the test points a program prints (TAP or KTAP result
 * lines on its standard output or error) are also written into
 * memcheck's XML as client messages, where they fall between memcheck's
 * reports in the order things happened.  kgrind-run then gives each
 * report in the kernel to the test point that was running: the one whose
 * result line comes next.  (Leaks are still checked only as the program
 * starts and ends: a check while another thread may be inside the
 * kernel is not yet to be trusted.)  A fork is marked the same way, so a
 * forked child's reports (a harness test runs in one) go to the point
 * its parent was at.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <valgrind/memcheck.h>
#include "kgrind.h"
#include "tap_marks.h"

#define KG_LINE_MAX 512

/* The line being written to each of the two streams, until its newline. */
static char kg_line[2][KG_LINE_MAX];
static size_t kg_line_len[2];
static pthread_mutex_t kg_line_lock = PTHREAD_MUTEX_INITIALIZER;

static int kg_is_result(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return !strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7);
}

static void kg_line_done(char *line)
{
	if (!kg_is_result(line))
		return;
	VALGRIND_PRINTF("kgrind-run: point: %s\n", line);
}

void kg_tap_marks(int fd, const void *buf, unsigned long len)
{
	const char *p = buf;
	unsigned long i;
	int s = fd - 1;

	if (!RUNNING_ON_VALGRIND || (fd != 1 && fd != 2) || !buf)
		return;
	pthread_mutex_lock(&kg_line_lock);
	for (i = 0; i < len; i++) {
		if (p[i] != '\n') {
			if (kg_line_len[s] < KG_LINE_MAX - 1)
				kg_line[s][kg_line_len[s]++] = p[i];
			continue;
		}
		kg_line[s][kg_line_len[s]] = '\0';
		kg_line_done(kg_line[s]);
		kg_line_len[s] = 0;
	}
	pthread_mutex_unlock(&kg_line_lock);
}

void kg_tap_mark_fork(long pid)
{
	if (RUNNING_ON_VALGRIND && pid > 0)
		VALGRIND_PRINTF("kgrind-run: forked: %ld\n", pid);
}
