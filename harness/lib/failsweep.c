// SPDX-License-Identifier: GPL-2.0
/*
 * make failsweep, in the suite runner: one step fails fault site N of
 * each task the test calls in from (the kernel's fail-nth), and says how
 * many faults were injected (scripts/kgrun/failsweep.py sweeps N).
 *
 * The kernel's defaults would skip most allocations: failslab and
 * fail_page_alloc ignore every allocation that may sleep, and
 * fail_page_alloc every order-0 one.  The step uses what syzkaller uses
 * (ignore-gfp-wait, ignore-gfp-highmem off, min-order 0), set through
 * debugfs after boot, and quiet (verbose 0): the kernel's own line for
 * each fault (arch_fault_injected) says enough.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "failsweep.h"
#include "kgrind.h"
#include "kgrind_host_ops.h"
#include "test_messages.h"

#define KG_FAILSWEEP_DEBUGFS "/kgrind-debugfs"

const char kg_failsweep_usage[] =
	"--fail-nth=N fails fault site N of each task a test calls in from (make failsweep);\n"
	"--fail-steps=C runs C such steps, N, N+S, ..., each in a forked copy of the kernel (--fork).\n";

/* A positive number after prefix, or 0. */
static unsigned int kg_failsweep_number(const char *arg, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(arg, prefix, n) && atoi(arg + n) > 0 ? atoi(arg + n) : 0;
}

int kg_failsweep_option(const char *arg, struct kg_failsweep_options *o)
{
	unsigned int v;

	if ((v = kg_failsweep_number(arg, "--fail-nth=")))
		o->nth = v;
	else if ((v = kg_failsweep_number(arg, "--fail-steps=")))
		o->steps = v;
	else if ((v = kg_failsweep_number(arg, "--fail-stride=")))
		o->stride = v;
	else
		return 0;
	return 1;
}

void kg_failsweep_defaults(struct kg_failsweep_options *o)
{
	if (!o->steps)
		o->steps = 1;
	if (!o->stride)
		o->stride = 1;
}

static const struct {
	const char *file, *value;
} kg_failsweep_settings[] = {
	{ "failslab/ignore-gfp-wait", "N" },
	{ "failslab/verbose", "0" },
	{ "fail_page_alloc/ignore-gfp-wait", "N" },
	{ "fail_page_alloc/ignore-gfp-highmem", "N" },
	{ "fail_page_alloc/min-order", "0" },
	{ "fail_page_alloc/verbose", "0" },
};

static long kg_failsweep_write(const char *file, const char *value)
{
	char path[128];
	long fd, n;

	snprintf(path, sizeof(path), KG_FAILSWEEP_DEBUGFS "/%s", file);
	fd = kg_open(path, O_WRONLY, 0);
	if (fd < 0)
		return fd;
	n = kg_write(fd, value, strlen(value));
	kg_close(fd);
	return n < 0 ? n : 0;
}

/* After boot: 0, or why the kernel cannot sweep (a message is added). */
int kg_failsweep_configure(void)
{
	unsigned int i;
	long err;

	if (kg_kernel_fail_nth(0) == -EOPNOTSUPP) {
		kg_test_fail("make failsweep needs a kernel with CONFIG_FAULT_INJECTION");
		return -EOPNOTSUPP;
	}
	err = kg_mount_at("none", KG_FAILSWEEP_DEBUGFS, "debugfs");
	if (err && err != -EBUSY) {
		kg_test_fail("make failsweep cannot mount debugfs (%s): it needs CONFIG_DEBUG_FS and CONFIG_FAULT_INJECTION_DEBUG_FS",
			     strerror(-err));
		return err;
	}
	for (i = 0; i < sizeof(kg_failsweep_settings) / sizeof(kg_failsweep_settings[0]); i++) {
		err = kg_failsweep_write(kg_failsweep_settings[i].file,
					 kg_failsweep_settings[i].value);
		if (err) {
			kg_test_fail("make failsweep cannot set %s/%s (%s): it needs CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC",
				     KG_FAILSWEEP_DEBUGFS, kg_failsweep_settings[i].file,
				     strerror(-err));
			return err;
		}
	}
	return 0;
}

void kg_failsweep_begin(unsigned int nth)
{
	kg_kernel_fail_nth(nth);
}

/* Ends the step: how many faults it injected. */
long kg_failsweep_end(void)
{
	return kg_kernel_fail_nth(0);
}
