// SPDX-License-Identifier: GPL-2.0
/*
 * Names the errors memcheck counted again without printing them.
 *
 * memcheck prints an error in its XML only at the first occurrence of its
 * stack; later occurrences only raise the error count.  A test whose count
 * rose more than the reports it got asks memcheck for every error so far
 * with their counts (the gdbserver command "v.info all_errors", issued as
 * a client request; memcheck writes the answer to its text log, which
 * scripts/kgrun names in KG_MEMCHECK_LOG), and fails with each error whose
 * count rose, with its kind and stack as first reported.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/valgrind.h>
#include "grow.h"
#include "memcheck.h"

struct kg_mc_known {
	struct kg_mc_error e;
	unsigned long count;	/* as of the last listing */
};

static struct kg_mc_known *kg_mc_known;
static int kg_mc_nknown, kg_mc_known_cap;
static FILE *kg_mc_log;

void kg_mc_repeats_init(void)
{
	const char *path = getenv("KG_MEMCHECK_LOG");

	if (!path || !*path || !(kg_mc_log = fopen(path, "r")))
		return;
	fseek(kg_mc_log, 0, SEEK_END);
}

/* Leaks are not counted again: each leak check reports what it adds. */
void kg_mc_remember(const struct kg_mc_error *e)
{
	struct kg_mc_known *grown;

	if (!kg_mc_log || !strncmp(e->kind, "Leak_", 5))
		return;
	grown = kg_grow(kg_mc_known, &kg_mc_known_cap, kg_mc_nknown, sizeof(*grown));
	if (!grown)
		return;
	kg_mc_known = grown;
	kg_mc_known[kg_mc_nknown].e = *e;
	kg_mc_known[kg_mc_nknown++].count = 1;
}

/* The text after valgrind's "==pid== " prefix, newline dropped. */
static char *kg_mc_log_text(char *line)
{
	char *p = strstr(line, "== ");

	p = p ? p + 3 : line;
	p[strcspn(p, "\n")] = '\0';
	return p;
}

/* "at 0x4846990: fn (file.c:30)": fn and line, or 0 if not a frame. */
static int kg_mc_log_frame(const char *text, char *fn, size_t size, int *line)
{
	const char *colon = strstr(text, ": "), *paren, *num;
	size_t n;

	if (strncmp(text, "   at 0x", 8) || !colon)
		return 0;
	colon += 2;
	paren = strrchr(colon, '(');
	n = paren && paren > colon ? (size_t)(paren - colon - 1) : strlen(colon);
	if (n >= size)
		n = size - 1;
	memcpy(fn, colon, n);
	fn[n] = '\0';
	num = paren ? strrchr(paren, ':') : NULL;
	*line = num ? atoi(num + 1) : 0;
	return 1;
}

static struct kg_mc_known *kg_mc_find(const char *what, const char *fn, int line)
{
	int i;

	for (i = 0; i < kg_mc_nknown; i++) {
		const struct kg_mc_error *e = &kg_mc_known[i].e;

		if (e->nframes && !strcmp(e->what, what) && !strcmp(e->frames[0].fn, fn) &&
		    e->frames[0].line == line)
			return &kg_mc_known[i];
	}
	return NULL;
}

unsigned long kg_mc_report_repeats(void)
{
	char line[1024], what[KG_MC_FIELD] = "", fn[KG_MC_FIELD], note[96];
	unsigned long count = 0, named = 0;
	int state = 0, at_line;	/* 1: what comes next, 2: its first frame */

	if (!kg_mc_log)
		return 0;
	clearerr(kg_mc_log);
	VALGRIND_MONITOR_COMMAND("v.info all_errors");
	while (fgets(line, sizeof(line), kg_mc_log)) {
		char *text = kg_mc_log_text(line);
		struct kg_mc_known *k;

		if (strstr(text, " in context ") && sscanf(text, "%lu", &count) == 1) {
			state = 1;
		} else if (state == 1) {
			snprintf(what, sizeof(what), "%.*s", (int)sizeof(what) - 1, text);
			state = 2;
		} else if (state == 2 && kg_mc_log_frame(text, fn, sizeof(fn), &at_line)) {
			state = 0;
			k = kg_mc_find(what, fn, at_line);
			if (!k || count <= k->count)
				continue;
			snprintf(note, sizeof(note), " (%lu more time%s in this test, as first reported)",
				 count - k->count, count - k->count > 1 ? "s" : "");
			kg_mc_report(&k->e, note);
			named += count - k->count;
			k->count = count;
		}
	}
	return named;
}
