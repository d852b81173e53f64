// SPDX-License-Identifier: GPL-2.0
/*
 * make kunit's program: boots a KUnit kernel, whose suites run during
 * its boot and print KTAP on the console (echoed here), then halts it.
 * Its arguments are kernel options: kunit.filter_glob=, kunit.filter=,
 * kunit.action=list_attr, ...  Under memcheck each case's verdict includes
 * memcheck's (harness/lib/kunit_verdict.c).
 *
 * With --each GLOB... after the options, one boot serves many runs: the
 * kernel boots with KUnit selecting no suite, and the suites of each GLOB
 * run in a forked copy of it (harness/arch/kernel/kunit_run.c), between
 * a "kgrind-kunit: begin GLOB" and a "kgrind-kunit: end GLOB: how" line.
 * "--each -" reads the globs from standard input instead, one a line, as
 * they come: scripts/kgrun/kunit.py feeds it so, the cases left after a
 * crash included, and closes it when it wants no more.
 *
 * Options before --each: --filter=F, KUnit's attribute filter for the
 * copies; --consoles=DIR, each copy's console in DIR/copy-N.console (a
 * "kgrind-kunit: copy GLOB: pid P, console PATH" line says which) rather
 * than inline, so that --jobs=N copies can run at once; --copy-timeout=S,
 * a copy whose console stays the same for S seconds is killed.  A copy
 * that crashes ends alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kgrind.h"
#include "../lib/child.h"
#include "../lib/memcheck.h"

/* A glob no suite's name matches: the boot runs none. */
#define KG_KUNIT_NO_SUITE "kgrind-kunit-runs-suites-in-forked-copies"
#define KG_KUNIT_MAX_JOBS 64

/* What kgrind_kunit_run (kunit_run.c) reads. */
struct kg_kunit_request {
	const char *glob;
	const char *filter;
};

/* The copies to run, shared by the threads that fork and wait for them. */
static struct {
	/* Taken to fork and to print a line: a copy forked while another
	 * thread printed would inherit stdio's lock taken. */
	pthread_mutex_t lock;
	/* Taken to get the next glob (waiting for standard input with it). */
	pthread_mutex_t next_lock;
	char **globs;		/* NULL: standard input */
	int count, next, copies;
	const char *filter, *consoles;
	double copy_timeout;
} kg_kunit = { .lock = PTHREAD_MUTEX_INITIALIZER, .next_lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * The next line of standard input into line[size], or 0 at its end.  Not
 * stdio's: kg_fork's fflush(NULL) would wait for the lock on stdin that
 * a thread waiting for input holds.
 */
static int kg_kunit_read_line(char *line, size_t size)
{
	static char buf[4096];
	static size_t have;
	char *nl;
	ssize_t n;

	while (!(nl = memchr(buf, '\n', have))) {
		if (have == sizeof(buf))
			have = 0;	/* no glob is that long: dropped */
		n = read(STDIN_FILENO, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		have += n;
	}
	n = nl - buf < (ssize_t)size ? nl - buf : (ssize_t)size - 1;
	memcpy(line, buf, n);
	line[n] = '\0';
	have -= nl + 1 - buf;
	memmove(buf, nl + 1, have);
	return 1;
}

/* The next glob to run into glob[size], or 0 when there are no more. */
static int kg_kunit_next(char *glob, size_t size)
{
	int got = 0;

	pthread_mutex_lock(&kg_kunit.next_lock);
	if (kg_kunit.globs) {
		if (kg_kunit.next < kg_kunit.count) {
			snprintf(glob, size, "%s", kg_kunit.globs[kg_kunit.next++]);
			got = 1;
		}
	} else {
		while (!got && kg_kunit_read_line(glob, size)) {
			glob[strcspn(glob, "\r")] = '\0';
			got = *glob != '\0';
		}
	}
	pthread_mutex_unlock(&kg_kunit.next_lock);
	return got;
}

static void kg_kunit_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void kg_kunit_say(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&kg_kunit.lock);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&kg_kunit.lock);
}

/* In the forked copy: its console to out (if any), its suites, its end. */
static void __attribute__((noreturn)) kg_kunit_copy(const char *glob, int out)
{
	struct kg_kunit_request req = { glob, kg_kunit.filter };
	long ret;

	if (out >= 0 && (dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0))
		kg_child_exit(3);
	ret = kg_call("kgrind_kunit_run", (long)&req);
	if (ret)
		fprintf(stderr, "kgrind: KUnit's %s did not run: %s\n", glob,
			strerror((int)-ret));
	kg_child_exit(ret ? 1 : 0);
}

static void kg_kunit_run_forked(const char *glob)
{
	struct timespec t0, t1;
	char why[160], path[4096] = "";
	struct kg_child c;
	int err, status, out = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_lock(&kg_kunit.lock);
	if (kg_kunit.consoles) {
		snprintf(path, sizeof(path), "%s/copy-%d.console", kg_kunit.consoles,
			 ++kg_kunit.copies);
		out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	err = out < 0 && *path ? -errno : 0;
	fprintf(stderr, "kgrind-kunit: begin %s\n", glob);
	if (!err)
		err = kg_child_fork(&c);
	if (err == 0)
		kg_kunit_copy(glob, out);
	if (err > 0 && out >= 0)
		fprintf(stderr, "kgrind-kunit: copy %s: pid %d, console %s\n", glob, err, path);
	pthread_mutex_unlock(&kg_kunit.lock);
	if (err < 0) {
		kg_kunit_say("kgrind-kunit: end %s: %s failed: %s\n", glob,
			     out < 0 && *path ? path : "kg_fork", strerror(-err));
		if (out >= 0)
			close(out);
		return;
	}
	c.quiet_fd = out;
	free(kg_child_wait(&c, out >= 0 ? kg_kunit.copy_timeout : 0, &status, why,
			   sizeof(why)));
	if (out >= 0)
		close(out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kg_kunit_say("kgrind-kunit: end %s: the copy %s in %.3f s\n", glob, why,
		     (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
}

static void *kg_kunit_worker(void *unused)
{
	char glob[256];

	(void)unused;
	while (kg_kunit_next(glob, sizeof(glob)))
		kg_kunit_run_forked(glob);
	return NULL;
}

/* Every glob's copy, jobs at a time (one with inline consoles). */
static void kg_kunit_run_all(int jobs)
{
	pthread_t workers[KG_KUNIT_MAX_JOBS];
	int i, started = 0;

	if (!kg_kunit.consoles || jobs < 1)
		jobs = 1;
	for (i = 0; i < jobs && i < KG_KUNIT_MAX_JOBS; i++)
		started += !pthread_create(&workers[started], NULL, kg_kunit_worker, NULL);
	if (!started)
		kg_kunit_worker(NULL);
	for (i = 0; i < started; i++)
		pthread_join(workers[i], NULL);
}

int main(int argc, char **argv)
{
	struct kg_boot_options options = { .verbose = 1 };
	char cmdline[2048] = "";
	size_t len = 0;
	int i, err, each = 0, jobs = 1;

	kg_kunit.filter = "";
	for (i = 1; i < argc && !each; i++) {
		int n;

		if (!strcmp(argv[i], "--each")) {
			each = i + 1;
			continue;
		}
		if (!strncmp(argv[i], "--filter=", 9)) {
			kg_kunit.filter = argv[i] + 9;
			continue;
		}
		if (!strncmp(argv[i], "--consoles=", 11)) {
			kg_kunit.consoles = argv[i] + 11;
			continue;
		}
		if (!strncmp(argv[i], "--jobs=", 7)) {
			jobs = atoi(argv[i] + 7);
			continue;
		}
		if (!strncmp(argv[i], "--copy-timeout=", 15)) {
			kg_kunit.copy_timeout = atof(argv[i] + 15);
			continue;
		}
		n = snprintf(cmdline + len, sizeof(cmdline) - len, "%s%s",
			     len ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(cmdline) - len) {
			fprintf(stderr, "kgrind: kernel options too long\n");
			return 2;
		}
		len += n;
	}
	if (each && snprintf(cmdline + len, sizeof(cmdline) - len,
			     " kunit.filter_glob=" KG_KUNIT_NO_SUITE) >= (int)(sizeof(cmdline) - len)) {
		fprintf(stderr, "kgrind: kernel options too long\n");
		return 2;
	}
	if (each) {
		int from_stdin = each == argc - 1 && !strcmp(argv[each], "-");

		kg_kunit.globs = from_stdin ? NULL : argv + each;
		kg_kunit.count = argc - each;
	}
	options.cmdline = cmdline;
	setvbuf(stderr, NULL, _IOLBF, 0);
	kg_mc_init();
	kg_kunit_enable();
	err = kg_boot(&options);
	if (err) {
		fprintf(stderr, "kgrind: the KUnit kernel did not boot: %s\n", strerror(-err));
		return 1;
	}
	if (each)
		kg_kunit_run_all(jobs);
	err = kg_halt();
	if (err) {
		fprintf(stderr, "kgrind: the KUnit kernel did not halt: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
