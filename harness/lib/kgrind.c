// SPDX-License-Identifier: GPL-2.0
/* Boot, system calls and halt, as host programs see them. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <valgrind/valgrind.h>
#include "kgrind.h"
#include "console.h"
#include "kernel_state.h"
#include "kunit_verdict.h"
#include "kg_host.h"

#define KG_DEFAULT_MEM_BOOT (8UL << 20)
#define KG_DEFAULT_MEM_MAX (256UL << 20)
#define KG_CMDLINE_MAX 1024

static struct kg_host_ops kg_ops;

static int kg_kunit;

void kg_kunit_enable(void)
{
	kg_kunit = 1;
}

/*
 * KGRIND_MEM=boot[,max] in MiB overrides a suite's choice, to give every
 * suite more RAM or one fixed block (boot == max) without a rebuild.
 * False if the variable is set but unreadable.
 */
static int kg_mem_from_env(unsigned long *boot, unsigned long *max)
{
	const char *env = getenv("KGRIND_MEM");
	unsigned long b, m;
	char *end;

	if (!env || !*env)
		return 1;
	b = strtoul(env, &end, 10);
	m = b;
	if (*end == ',')
		m = strtoul(end + 1, &end, 10);
	if (*end || !b || !m) {
		fprintf(stderr, "kgrind: KGRIND_MEM=%s: want boot[,max] in MiB, "
			"such as 8,256\n", env);
		return 0;
	}
	*boot = b << 20;
	*max = m << 20;
	return 1;
}

static int kg_env_is(const char *name, const char *value)
{
	const char *env = getenv(name);

	return env && !strcmp(env, value);
}

int kg_boot(const struct kg_boot_options *options)
{
	struct kg_boot_options defaults = { 0 };
	char cmdline[KG_CMDLINE_MAX];
	unsigned long mem_boot, mem_max;
	int err;

	if (kg_kernel_state() != KG_DOWN)
		return kg_kernel_state() == KG_RUNNING ? -EBUSY : -ESHUTDOWN;
	if (!options)
		options = &defaults;
	mem_boot = options->mem_boot ? options->mem_boot : KG_DEFAULT_MEM_BOOT;
	mem_max = options->mem_max ? options->mem_max :
		  mem_boot > KG_DEFAULT_MEM_MAX ? mem_boot : KG_DEFAULT_MEM_MAX;
	if (!kg_mem_from_env(&mem_boot, &mem_max) || mem_boot > mem_max)
		return -EINVAL;

	/*
	 * Every message reaches the harness; verbose only decides the echo.
	 * KGRIND_CMDLINE adds to the suite's options for one run, and
	 * KGRIND_VIRTUAL_TIME=1 turns on virtual time (make failsweep).
	 */
	if (snprintf(cmdline, sizeof(cmdline), "ignore_loglevel %s%s %s",
		     kg_env_is("KGRIND_VIRTUAL_TIME", "1") ? "kgrind.virtual_time=1 " : "",
		     options->cmdline ? options->cmdline : "",
		     getenv("KGRIND_CMDLINE") ? getenv("KGRIND_CMDLINE") : "") >=
	    (int)sizeof(cmdline))
		return -E2BIG;
	kg_console_reset(options->verbose || getenv("KGRIND_VERBOSE"));
	kg_console_catch_crashes();
	kg_host_ops_fill(&kg_ops);
	kg_ops.print = kg_console_print;
	kg_ops.panic = kg_console_panic;
	kg_ops.kunit_case_end = kg_kunit ? kg_kunit_case_end : NULL;

	err = kg_kernel_start(&kg_ops, cmdline, mem_boot, mem_max);
	if (err)
		return err;
	kg_kernel_state_set(KG_RUNNING);
	return 0;
}

int kg_halt(void)
{
	int err, stuck;

	if (!kg_is_running())
		return -ESHUTDOWN;
	err = kg_kernel_halt();
	if (err)
		return err;
	kg_kernel_state_set(KG_HALTED);
	stuck = kg_host_cleanup();
	if (stuck) {
		fprintf(stderr, "kgrind: %d kernel thread(s) did not stop at halt\n",
			stuck);
		return -EBUSY;
	}
	return 0;
}

int kg_mem_stats(struct kg_mem_stats *stats)
{
	if (!kg_is_running())
		return -ESHUTDOWN;
	kg_kernel_mem_stats(stats);
	return 0;
}

int kg_disk_add(const char *path, int read_only)
{
	unsigned long long size;
	void *image;
	int err;

	if (!kg_is_running())
		return -ESHUTDOWN;
	image = kg_host_disk_open(path, read_only, &size, &err);
	if (!image)
		return err;
	return kg_kernel_disk_add(image, size, read_only);
}

int kg_virtual_time(void)
{
	return kg_is_running() && kg_kernel_virtual_time();
}

/* libgcov's, in a coverage build (make coverage) only. */
extern void __gcov_reset(void) __attribute__((weak));
extern void __gcov_dump(void) __attribute__((weak));

static int kg_fork_copy(void)
{
	pid_t parent = getpid();
	long pid;

	/*
	 * kgrind's valgrind command silences forked children: those of the
	 * host commands a suite runs would each cost a report file.  This
	 * child runs the kernel, and reports to its own file (--xml-file's %p).
	 */
	VALGRIND_CLO_CHANGE("--child-silent-after-fork=no");
	pid = kg_kernel_fork();
	VALGRIND_CLO_CHANGE("--child-silent-after-fork=yes");
	if (pid)
		return pid;
	/* No child outlives its parent: a killed runner leaves none behind. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	/* The child's coverage is what it runs; the parent writes the rest. */
	if (__gcov_reset)
		__gcov_reset();
	return 0;
}

int kg_fork(void)
{
	if (!kg_is_running())
		return -ESHUTDOWN;
	fflush(NULL);	/* or the child writes the parent's buffers again */
	return kg_fork_copy();
}

int kg_fork_as(long (*copy)(void))
{
	int pid;

	if (!kg_is_running())
		return -ESHUTDOWN;
	kg_host_fork_call = copy;
	pid = kg_fork_copy();
	kg_host_fork_call = NULL;
	return pid;
}

void kg_child_exit(int status)
{
	fflush(NULL);
	if (__gcov_dump)
		__gcov_dump();
	/* Its tests checked for leaks; one more over the whole copy is slow. */
	VALGRIND_CLO_CHANGE("--leak-check=no");
	_exit(status);
}

long kg_syscall(long nr, const long args[6])
{
	if (!kg_is_running())
		return -ESHUTDOWN;
	return kg_kernel_syscall(nr, args);
}

long kg_call(const char *fixture, long arg)
{
	if (!kg_is_running())
		return -ESHUTDOWN;
	return kg_kernel_call(fixture, arg);
}

void kg_irq(int irq)
{
	if (kg_is_running())
		kg_kernel_irq(irq);
}
