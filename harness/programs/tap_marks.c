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
 *
 * In both modes the result lines are counted, and each kernel fault the
 * console shows (a WARNING, a BUG) is kept with the count it came after,
 * for the run's report: kgrind-run gives it to its test point the same
 * way.  A forked child starts with its parent's count and no faults.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>
#include "kgrind.h"
#include "../lib/console.h"
#include "tap_marks.h"

#define KG_LINE_MAX 512

/* The line being written to each of the two streams, until its newline. */
static char kg_line[2][KG_LINE_MAX];
static size_t kg_line_len[2];
static pthread_mutex_t kg_line_lock = PTHREAD_MUTEX_INITIALIZER;

/* Result lines written so far, by this process and before its fork. */
static unsigned long kg_results;

#define KG_FAULTS_MAX	16
#define KG_FAULT_LINE	240
static struct kg_fault {
	long after;		/* results written before it; -1: before the program */
	char line[KG_FAULT_LINE];
} kg_faults[KG_FAULTS_MAX];
static int kg_nfaults, kg_faults_lost;
static int kg_program_started;

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
	__atomic_fetch_add(&kg_results, 1, __ATOMIC_RELAXED);
	if (RUNNING_ON_VALGRIND)
		VALGRIND_PRINTF("kgrind-run: point: %s\n", line);
}

void kg_tap_marks(int fd, const void *buf, unsigned long len)
{
	const char *p = buf;
	unsigned long i;
	int s = fd - 1;

	if ((fd != 1 && fd != 2) || !buf)
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
	if (pid == 0)
		kg_nfaults = kg_faults_lost = 0;
}

/* The console's lock is held: one fault line at a time. */
static void kg_tap_fault_line(const char *line, size_t len)
{
	struct kg_fault *f;

	if (kg_nfaults == KG_FAULTS_MAX) {
		kg_faults_lost++;
		return;
	}
	f = &kg_faults[kg_nfaults++];
	f->after = kg_program_started ? (long)__atomic_load_n(&kg_results, __ATOMIC_RELAXED) : -1;
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len >= sizeof(f->line))
		len = sizeof(f->line) - 1;
	memcpy(f->line, line, len);
	f->line[len] = '\0';
}

void kg_tap_watch_faults(void)
{
	kg_console_on_fault_line(kg_tap_fault_line);
}

void kg_tap_program_starts(void)
{
	kg_program_started = 1;
}

void kg_tap_report_faults(FILE *file)
{
	int i;

	for (i = 0; i < kg_nfaults; i++)
		fprintf(file, "fault %ld %s\n", kg_faults[i].after, kg_faults[i].line);
	if (kg_faults_lost)
		fprintf(file, "fault %ld %d more kernel fault line(s), not kept\n",
			kg_program_started ? (long)kg_results : -1L, kg_faults_lost);
}
