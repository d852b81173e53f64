// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <CUnit/Basic.h>
#include "kg_cunit.h"

int kg_cunit_main(const char *suite, CU_TestInfo *tests, int argc, char **argv)
{
	CU_SuiteInfo suites[] = {
		{ (char *)suite, NULL, NULL, NULL, NULL, tests },
		CU_SUITE_INFO_NULL,
	};
	unsigned int failed;

	(void)argc;
	(void)argv;
	if (CU_initialize_registry() != CUE_SUCCESS ||
	    CU_register_suites(suites) != CUE_SUCCESS) {
		fprintf(stderr, "kgrind: cannot set up CUnit: %s\n",
			CU_get_error_msg());
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_tests_failed() ||
		 CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
