// SPDX-License-Identifier: GPL-2.0
/*
 * The @NAME@ suite: its tests, host side.  A test calls the library
 * kernel through "kgrind.h": system calls (kg_open, kg_write, ...) and
 * kg_call(fixture, arg), which runs a kernel-side fixture of this suite
 * in task context.  Include the C library's headers, CUnit and kgrind's
 * two headers here, never a kernel header: kernel code goes in
 * @NAME@_fixtures.c.  Each test runs alone against the booted kernel and
 * fails on a CUnit assertion, a kernel WARN/BUG/Oops, or a memcheck error
 * or leak during it.
 *
 *   make memcheck SUITE_DIRS=<this directory> [SUITES=@NAME@] [TESTS=@NAME@.sum]
 */
#include <CUnit/CUnit.h>
#include "kgrind.h"
#include "kg_suite.h"

/* The fixture sums 1..arg in a kmalloc'd array: 1 + ... + 100 = 5050. */
static void test_sum(void)
{
	CU_ASSERT_EQUAL(kg_call("@NAME@_sum", 100), 5050);
	CU_ASSERT_EQUAL(kg_call("@NAME@_sum", 0), -22);	/* -EINVAL */
}

/* A system call from this host thread, which becomes a kernel task. */
static void test_getpid(void)
{
	CU_ASSERT(kg_getpid() > 0);
}

static CU_TestInfo @NAME@_tests[] = {
	{ "sum", test_sum },
	{ "getpid", test_getpid },
	CU_TEST_INFO_NULL,
};

/*
 * Runs once after boot, before the first test: mounts, device nodes, a
 * driver's registration.  Every test must pass when run alone, so what
 * several tests need belongs here.  Nonzero fails the suite's tests.
 */
static int @NAME@_setup(void)
{
	return 0;
}

static const struct kg_suite @NAME@_suite = {
	.name = "@NAME@",
	.tests = @NAME@_tests,
	.setup = @NAME@_setup,
};

int main(int argc, char **argv)
{
	return kg_suite_main(&@NAME@_suite, argc, argv);
}
