// SPDX-License-Identifier: GPL-2.0
/*
 * A memcheck report as the test's failure message: its kind, what
 * memcheck says, the first informative frames of its stack (not those
 * of the allocators, uninformative_frames.h) and what memcheck says of
 * the address; and as data for the runner's JSON (test_messages.h).
 */
#include <stdio.h>
#include <string.h>
#include "memcheck.h"
#include "test_messages.h"

enum kg_frame_rule { KG_PREFIX, KG_NAME, KG_FILE, KG_ENTRY };

static const struct kg_frame_pattern {
	enum kg_frame_rule rule;
	const char *text;
} kg_uninformative[] = {
#define KG_FRAME_PREFIX(s)	{ KG_PREFIX, s },
#define KG_FRAME_NAME(s)	{ KG_NAME, s },
#define KG_FRAME_FILE(s)	{ KG_FILE, s },
#define KG_FRAME_ENTRY(s)
#include "uninformative_frames.h"
};

/* fn without gcc's clone suffix (".part.0", ".isra.0", ...) is name. */
static int kg_same_function(const char *fn, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(fn, name, n) && (fn[n] == '\0' || fn[n] == '.');
}

static int kg_mc_uninformative_frame(const struct kg_mc_frame *f)
{
	unsigned int i;

	for (i = 0; i < sizeof(kg_uninformative) / sizeof(kg_uninformative[0]); i++) {
		const struct kg_frame_pattern *p = &kg_uninformative[i];

		if ((p->rule == KG_PREFIX && !strncmp(f->fn, p->text, strlen(p->text))) ||
		    (p->rule == KG_NAME && kg_same_function(f->fn, p->text)) ||
		    (p->rule == KG_FILE && !strcmp(f->file, p->text)))
			return 1;
	}
	return 0;
}

/* A frame as every report shows it: "fn (file:line)", "?" for no file. */
static int kg_mc_frame_text(char *out, size_t size, const struct kg_mc_frame *f)
{
	return snprintf(out, size, "%s (%s:%d)", f->fn, f->file[0] ? f->file : "?", f->line);
}

/* Up to max frames from the first that is not the allocator's own. */
static size_t kg_mc_frames(char *out, size_t size, const struct kg_mc_frame *frames,
			   int n, int max)
{
	size_t len = 0;
	int i, first = 0, shown;

	while (first < n - 1 && kg_mc_uninformative_frame(&frames[first]))
		first++;
	for (i = first, shown = 0; i < n && shown < max && len < size; i++, shown++) {
		len += snprintf(out + len, size - len, "\n      %s ", shown ? "by" : "at");
		if (len < size)
			len += kg_mc_frame_text(out + len, size - len, &frames[i]);
	}
	return len < size ? len : size - 1;
}

void kg_mc_format(char *out, size_t size, const struct kg_mc_error *e, const char *note)
{
	/* A leak's stack starts deep in an allocator: show where it was called. */
	int frames = strncmp(e->kind, "Leak_", 5) ? 4 : 12;
	char where[2048], aux[1024] = "";
	size_t len;

	kg_mc_frames(where, sizeof(where), e->frames, e->nframes, frames);
	if (e->auxwhat[0]) {
		len = snprintf(aux, sizeof(aux), "\n    %s", e->auxwhat);
		if (len < sizeof(aux))
			kg_mc_frames(aux + len, sizeof(aux) - len, e->aux, e->naux, 3);
	}
	snprintf(out, size, "memcheck %s%s: %s%s%s%s", e->kind, note, e->what, where, aux,
		 e->folded ? "\n    (one value formatted: memcheck reported it at more lines of vsprintf.c)" : "");
}

/* The whole stack as data, each frame's text as the report shows it. */
static void kg_mc_report_data(const struct kg_mc_error *e, const char *text)
{
	struct kg_test_report r;
	int i;

	memset(&r, 0, sizeof(r));
	snprintf(r.kind, sizeof(r.kind), "%s", e->kind);
	for (i = 0; i < e->nframes && i < KG_TEST_REPORT_FRAMES; i++)
		kg_mc_frame_text(r.frames[i], sizeof(r.frames[i]), &e->frames[i]);
	r.nframes = i;
	kg_test_add_report(&r, text);
}

void kg_mc_report(const struct kg_mc_error *e, const char *note)
{
	char text[4096];

	kg_mc_format(text, sizeof(text), e, note);
	kg_test_fail("%s", text);
	kg_mc_report_data(e, text);
}

int kg_mc_stack_names(const struct kg_mc_frame *frames, int n, const char *fn)
{
	int i;

	for (i = 0; i < n; i++)
		if (kg_same_function(frames[i].fn, fn))
			return 1;
	return 0;
}
