// SPDX-License-Identifier: GPL-2.0
/*
 * The runner's events, one JSON object per line, for scripts/kgrun:
 * it turns them into the summary, KTAP and JUnit, and learns from the
 * last "start" without a "result" which test ended the process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "console.h"
#include "memcheck.h"
#include "results.h"
#include "test_messages.h"

static FILE *kg_results;
static pid_t kg_results_pid;	/* a forked child must not write here, */
static int kg_results_child;	/* unless it runs a test (--fork) */
/* The copy a test ran in and ended without its result: the parent says it. */
static pid_t kg_results_copy_pid;
static int kg_current_index;
static char kg_current_name[256];

void kg_results_open(const char *path)
{
	kg_results_pid = getpid();
	if (!path)
		return;
	kg_results = fopen(path, "a");
	if (!kg_results)
		fprintf(stderr, "kgrind: cannot write results to %s\n", path);
}

/*
 * A forked child that runs a test writes its result: marked, because
 * its memcheck reports are in its own XML file, not its parent's.
 */
void kg_results_forked(void)
{
	kg_results_pid = getpid();
	kg_results_child = 1;
}

void kg_results_copy(pid_t pid)
{
	kg_results_copy_pid = pid;
}

void kg_results_close(void)
{
	if (kg_results)
		fclose(kg_results);
	kg_results = NULL;
}

static void kg_json_string(const char *s)
{
	fputc('"', kg_results);
	for (; s && *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(kg_results, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", kg_results);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(kg_results, "\\u%04x", c);
		else
			fputc(c, kg_results);
	}
	fputc('"', kg_results);
}

/* A result's memcheck reports, as data: what the runner keys findings on. */
static void kg_json_reports(void)
{
	const struct kg_test_report *r;
	int i, j, n;

	r = kg_test_reports(&n);
	if (!n)
		return;
	fputs(",\"memcheck_reports\":[", kg_results);
	for (i = 0; i < n; i++) {
		fprintf(kg_results, "%s{\"kind\":", i ? "," : "");
		kg_json_string(r[i].kind);
		fputs(",\"frames\":[", kg_results);
		for (j = 0; j < r[i].nframes; j++) {
			if (j)
				fputc(',', kg_results);
			kg_json_string(r[i].frames[j]);
		}
		fputs("],\"text\":", kg_results);
		kg_json_string(r[i].text);
		fputc('}', kg_results);
	}
	fputc(']', kg_results);
}

static void kg_results_write(const char *event, int index, const char *name,
			     const char *status, const char *detail, double seconds,
			     const struct kg_mc_counts *mc, int with_reports)
{
	if (!strcmp(event, "start")) {
		kg_current_index = index;
		snprintf(kg_current_name, sizeof(kg_current_name), "%s", name);
	}
	if (!kg_results || getpid() != kg_results_pid)
		return;
	fprintf(kg_results, "{\"event\":\"%s\",\"index\":%d,\"name\":", event, index);
	kg_json_string(name);
	if (status)
		fprintf(kg_results, ",\"status\":\"%s\",\"seconds\":%.3f", status, seconds);
	if (mc)
		fprintf(kg_results, ",\"errors\":%lu,\"claimed\":%lu,\"leaked\":%lu,\"reports\":%lu",
			mc->errors, mc->claimed, mc->leaked, mc->reports);
	if (detail) {
		fputs(",\"detail\":", kg_results);
		kg_json_string(detail);
	}
	if (kg_results_child)
		fprintf(kg_results, ",\"forked\":%d", (int)getpid());
	if (kg_results_copy_pid && !strcmp(event, "result")) {
		fprintf(kg_results, ",\"copy\":%d", (int)kg_results_copy_pid);
		kg_results_copy_pid = 0;
	}
	if (with_reports)
		kg_json_reports();
	fputs("}\n", kg_results);
	fflush(kg_results);
}

void kg_results_event(const char *event, int index, const char *name,
		      const char *status, const char *detail,
		      double seconds, const struct kg_mc_counts *mc)
{
	kg_results_write(event, index, name, status, detail, seconds, mc, 0);
}

void kg_results_test(int index, const char *name, const char *status,
		     double seconds, const struct kg_mc_counts *mc)
{
	const char *detail = kg_test_messages();

	/* A skipped test's detail is its reason, for KTAP, JUnit and result.json. */
	if (!detail && !strcmp(status, "skip"))
		detail = kg_test_skip_reason();
	kg_results_write("result", index, name, status, detail, seconds, mc, 1);
}

/* A sweep step of test index begins: the events up to its result are its. */
void kg_results_step(int index, unsigned int nth)
{
	if (!kg_results || getpid() != kg_results_pid)
		return;
	fprintf(kg_results, "{\"event\":\"step\",\"index\":%d,\"nth\":%u}\n", index, nth);
	fflush(kg_results);
}

void kg_results_injected(int index, unsigned int nth, long injected)
{
	if (!kg_results || getpid() != kg_results_pid)
		return;
	fprintf(kg_results, "{\"event\":\"injected\",\"index\":%d,\"nth\":%u,\"faults\":%ld}\n",
		index, nth, injected);
	fflush(kg_results);
}

void kg_results_fatal(const char *why, const char *console)
{
	size_t size;
	char *detail;

	if (!kg_current_name[0] || getpid() != kg_results_pid)
		return;
	console = kg_console_last_lines(console, 20);
	size = strlen(why) + strlen(console) + 64;
	detail = malloc(size);
	if (detail) {
		snprintf(detail, size, "%s\n--- kernel console (tail) ---\n%s", why, console);
		kg_results_event("fatal", kg_current_index, kg_current_name, NULL,
				 detail, 0, NULL);
	}
	printf("not ok - %s: %s\n", kg_current_name, why);
	fflush(NULL);
}
