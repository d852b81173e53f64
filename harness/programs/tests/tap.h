/* SPDX-License-Identifier: GPL-2.0 */
/* The TAP kgrind-run's test programs print: one line per test point. */
#ifndef KG_TESTS_TAP_H
#define KG_TESTS_TAP_H

#include <stdio.h>

static int tap_tests, tap_failed;

/* A test point; why (or NULL) is said after a failure. */
static void tap_point(int ok, const char *name, const char *why)
{
	tap_tests++;
	tap_failed += !ok;
	printf("%sok %d %s%s%s\n", ok ? "" : "not ", tap_tests, name,
	       ok || !why ? "" : " # ", ok || !why ? "" : why);
}

#define check(ok, name) tap_point(ok, name, NULL)

#endif
