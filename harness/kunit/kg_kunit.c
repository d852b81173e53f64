// SPDX-License-Identifier: GPL-2.0
/*
 * make kunit's program: boots a KUnit kernel, whose suites run during
 * its boot and print KTAP on the console (echoed here), then halts it.
 * Its arguments are kernel options: kunit.filter_glob=, kunit.filter=,
 * kunit.action=list_attr, ...  Under memcheck each case's verdict includes
 * memcheck's (harness/lib/kunit_verdict.c).  scripts/kgrun/kunit.py
 * runs it, one KUnit suite per process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kgrind.h"

int main(int argc, char **argv)
{
	struct kg_boot_options options = { .verbose = 1 };
	char cmdline[2048] = "";
	size_t len = 0;
	int i, err;

	for (i = 1; i < argc; i++) {
		int n = snprintf(cmdline + len, sizeof(cmdline) - len, "%s%s",
				 len ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(cmdline) - len) {
			fprintf(stderr, "kgrind: kernel options too long\n");
			return 2;
		}
		len += n;
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
	err = kg_halt();
	if (err) {
		fprintf(stderr, "kgrind: the KUnit kernel did not halt: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
