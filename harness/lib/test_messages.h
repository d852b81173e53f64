/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running test's verdict as it builds up: its failure messages, its
 * skip reason, and the memcheck reports among them as data (for the
 * runner's JSON).  A leaf: test_messages.c calls nothing of kgrind's.
 */
#ifndef KG_TEST_MESSAGES_H
#define KG_TEST_MESSAGES_H

/* Adds a failure message to the running test (printf-style). */
void kg_test_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The running test's failure messages so far (malloc'd, or NULL); cleared. */
char *kg_test_take_messages(void);
/* The same, left in place (NULL: none). */
const char *kg_test_messages(void);
/* The skip reason kg_test_skip() gave, or NULL. */
const char *kg_test_skip_reason(void);
/* A new test begins: no messages, no reports, no skip. */
void kg_test_messages_reset(void);

/*
 * A memcheck report that failed the running test, as data: its kind, the
 * frames of its stack, each "fn (file:line)", innermost first, and its
 * text as the failure message gives it.
 */
#define KG_TEST_REPORT_FRAMES	24
struct kg_test_report {
	char kind[64];
	int nframes;
	char frames[KG_TEST_REPORT_FRAMES][160];
	char *text;		/* malloc'd by kg_test_add_report() */
};
/* Keeps a copy of report, with a copy of text. */
void kg_test_add_report(const struct kg_test_report *report, const char *text);
/* The reports so far, in order; *n is how many. */
const struct kg_test_report *kg_test_reports(int *n);

#endif
