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
 * a "kgrind-kunit: begin GLOB" and a "kgrind-kunit: end GLOB: how" line;
 * --filter=F before --each is KUnit's attribute filter for them.  A copy
 * that crashes ends alone.  scripts/kgrun/kunit.py runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kgrind.h"
#include "../lib/child.h"
#include "../lib/memcheck.h"

/* A glob no suite's name matches: the boot runs none. */
#define KG_KUNIT_NO_SUITE "kgrind-kunit-runs-suites-in-forked-copies"

/* What kgrind_kunit_run (kunit_run.c) reads. */
struct kg_kunit_request {
	const char *glob;
	const char *filter;
};

static void kg_kunit_run_forked(const char *glob, const char *filter)
{
	struct kg_kunit_request req = { glob, filter };
	struct timespec t0, t1;
	char why[128];
	struct kg_child c;
	int err, status;
	long ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	fprintf(stderr, "kgrind-kunit: begin %s\n", glob);
	err = kg_child_fork(&c);
	if (err == 0) {
		ret = kg_call("kgrind_kunit_run", (long)&req);
		if (ret)
			fprintf(stderr, "kgrind: KUnit's %s did not run: %s\n", glob,
				strerror((int)-ret));
		kg_child_exit(ret ? 1 : 0);
	}
	if (err < 0) {
		fprintf(stderr, "kgrind-kunit: end %s: kg_fork failed: %s\n", glob,
			strerror(-err));
		return;
	}
	free(kg_child_wait(&c, 0, &status, why, sizeof(why)));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "kgrind-kunit: end %s: the copy %s in %.3f s\n", glob, why,
		(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
}

int main(int argc, char **argv)
{
	struct kg_boot_options options = { .verbose = 1 };
	const char *filter = "";
	char cmdline[2048] = "";
	size_t len = 0;
	int i, err, each = 0;

	for (i = 1; i < argc && !each; i++) {
		int n;

		if (!strcmp(argv[i], "--each")) {
			each = i + 1;
			continue;
		}
		if (!strncmp(argv[i], "--filter=", 9)) {
			filter = argv[i] + 9;
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
	options.cmdline = cmdline;
	setvbuf(stderr, NULL, _IOLBF, 0);
	kg_mc_init();
	kg_kunit_enable();
	err = kg_boot(&options);
	if (err) {
		fprintf(stderr, "kgrind: the KUnit kernel did not boot: %s\n", strerror(-err));
		return 1;
	}
	for (i = each; each && i < argc; i++)
		kg_kunit_run_forked(argv[i], filter);
	err = kg_halt();
	if (err) {
		fprintf(stderr, "kgrind: the KUnit kernel did not halt: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
