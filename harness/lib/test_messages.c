// SPDX-License-Identifier: GPL-2.0
/* The running test's failure messages, skip reason and reports. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "kg_suite.h"
#include "test_messages.h"

static char *kg_messages;
static size_t kg_messages_len;
static const char *kg_skip_reason;
static struct kg_test_report *kg_reports;
static int kg_nreports, kg_reports_cap;

void kg_test_fail(const char *fmt, ...)
{
	va_list ap;
	char *text, *grown;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grown = realloc(kg_messages, kg_messages_len + n + 2);
	if (grown) {
		kg_messages = grown;
		memcpy(grown + kg_messages_len, text, n);
		kg_messages_len += n;
		grown[kg_messages_len++] = '\n';
		grown[kg_messages_len] = '\0';
	}
	free(text);
}

char *kg_test_take_messages(void)
{
	char *messages = kg_messages;

	kg_messages = NULL;
	kg_messages_len = 0;
	return messages;
}

const char *kg_test_messages(void)
{
	return kg_messages;
}

void kg_test_skip(const char *reason)
{
	kg_skip_reason = reason;
}

const char *kg_test_skip_reason(void)
{
	return kg_skip_reason;
}

void kg_test_messages_reset(void)
{
	free(kg_test_take_messages());
	kg_skip_reason = NULL;
	while (kg_nreports)
		free(kg_reports[--kg_nreports].text);
}

void kg_test_add_report(const struct kg_test_report *report, const char *text)
{
	struct kg_test_report *grown = kg_grow(kg_reports, &kg_reports_cap, kg_nreports,
					       sizeof(*grown));

	if (!grown)
		return;
	kg_reports = grown;
	kg_reports[kg_nreports] = *report;
	kg_reports[kg_nreports++].text = strdup(text);
}

const struct kg_test_report *kg_test_reports(int *n)
{
	*n = kg_nreports;
	return kg_reports;
}
