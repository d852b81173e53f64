/* SPDX-License-Identifier: GPL-2.0 */
/* Running a suite's CUnit tests. */
#ifndef KG_CUNIT_H
#define KG_CUNIT_H

#include <CUnit/CUnit.h>

/*
 * Runs the tests in order and prints a summary.  Returns the process exit
 * status: 0 when every test passed, 1 otherwise.
 */
int kg_cunit_main(const char *suite, CU_TestInfo *tests, int argc, char **argv);

#endif
