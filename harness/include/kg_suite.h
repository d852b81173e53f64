/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A suite: CUnit tests run one at a time against one library kernel, each
 * checked for kernel faults and, under valgrind, for new memcheck errors
 * and leaks.  Tests that end the process (oops, panic, hang) are reported
 * by the runner script, which goes on in a fresh process.
 */
#ifndef KG_SUITE_H
#define KG_SUITE_H

#include <CUnit/CUnit.h>
#include "kgrind.h"

struct kg_suite {
	const char *name;
	CU_TestInfo *before_boot;	/* optional: run with no kernel */
	CU_TestInfo *tests;		/* run with the kernel booted */
	CU_TestInfo *after_halt;	/* optional: run after the kernel halted */
	struct kg_boot_options boot;
	int (*setup)(void);		/* optional: after boot; nonzero fails */
	int (*teardown)(void);		/* optional: the halt test's first step */
};

/*
 * The suite's main().  Options (also shown by --help):
 *   --list           print the numbers and names of the tests the other
 *                    options select, and exit
 *   --tests=GLOBS    run the tests whose "suite.test" or "test" matches
 *   --from=N         run only tests numbered N or later (1-based, in --list)
 *   --timeout=S      fail a test that runs longer than S seconds
 *   --results=FILE   append one JSON event per line, for scripts/kgrun
 *   --fork           boot and set up once, then run each test in a forked
 *                    copy of that kernel (kg_fork)
 * Returns the exit status: 0 when every test run passed or was skipped.
 */
int kg_suite_main(const struct kg_suite *suite, int argc, char **argv);

/*
 * Runs fn(arg) in a forked child of the running test's kernel (kg_fork),
 * which then halts its kernel and ends.  What goes wrong in the child
 * fails the running test, under "in the forked child": its CUnit
 * assertions (a fatal one ends fn), kernel faults, a crash, memcheck's
 * reports and leaks it did not claim itself, a halt that fails.  Returns
 * 0 when the child's part passed, 1 when it failed, or a negative errno
 * when no child was made.
 */
int kg_test_in_child(void (*fn)(void *arg), void *arg);

/*
 * Runs a host command quietly (its output dropped): fmt with arg in place
 * of its %s.  Its exit status, or -1 if it did not run or was killed.
 */
int kg_host_run(const char *fmt, const char *arg);

/* Ends the running test's checks here and reports it skipped. */
void kg_test_skip(const char *reason);

/* 1 when the suite runs under valgrind's memcheck. */
int kg_memcheck_active(void);

/*
 * Claims one memcheck error reported since the running test began whose
 * kind is memcheck's XML kind ("InvalidRead", "InvalidWrite",
 * "InvalidFree", "MismatchedFree", "UninitCondition", "UninitValue",
 * "SyscallParam", "ClientCheck", "Leak_DefinitelyLost", ...) and whose
 * first stack names the function fn.  A claimed error does not fail the
 * test.  For a Leak_* kind a leak check runs first.  Returns 1 if found.
 */
int kg_memcheck_expect(const char *kind, const char *fn);

/*
 * The same, for an error on freed memory whose block memcheck describes
 * with the free's stack: that stack must name free_fn.
 */
int kg_memcheck_expect_freed_in(const char *kind, const char *fn, const char *free_fn);

/*
 * For reports memcheck can only make at halt (a page leaked by the suite's
 * teardown, which the halt test runs before the halt): the halt test
 * claims one such report for each expectation, and a test after the halt
 * asks whether it did: 1 claimed, 0 not reported, -1 never expected (the
 * test that expects it did not run).
 */
void kg_memcheck_expect_at_halt(const char *kind, const char *fn);
int kg_memcheck_claimed_at_halt(const char *kind, const char *fn);

/* For tests that can only pass under memcheck (detection tests). */
#define KG_NEEDS_MEMCHECK()						\
	do {								\
		if (!kg_memcheck_active()) {				\
			kg_test_skip("needs memcheck (make memcheck)");	\
			return;						\
		}							\
	} while (0)

#endif
