// SPDX-License-Identifier: GPL-2.0
/*
 * Which memcheck reports belong to the running test.  Around each test
 * the runner reads memcheck's error count and runs an added leak check
 * (client requests); the details (kind, stack) come from memcheck's XML
 * file, which valgrind writes as each error happens and which
 * scripts/kgrun names in KG_MEMCHECK_XML.  Natively all of this is a
 * no-op.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/memcheck.h>
#include "kg_suite.h"
#include "kgrind.h"
#include "kgrind_host_ops.h"
#include "grow.h"
#include "memcheck.h"
#include "test_messages.h"

static int kg_mc_on;
static FILE *kg_mc_xml;
static int kg_mc_in_kernel;	/* called by kernel code (a KUnit case's end) */

/*
 * memcheck's leak check, after the kernel's scan for page leaks, whose
 * findings it reports (allocators/page_leaks.c); at halt, and for a
 * KUnit case from inside the kernel, the kernel scans on its own.
 */
static void kg_mc_leak_check(void)
{
	if (kg_is_running() && !kg_mc_in_kernel)
		kg_kernel_page_leak_check();
	VALGRIND_DO_ADDED_LEAK_CHECK;
}

void kg_mc_called_by_kernel(int yes)
{
	kg_mc_in_kernel = yes;
}
static char *kg_mc_pending;		/* XML read but not yet a whole error */
static size_t kg_mc_pending_len;
/*
 * On the heap: the kernel's page leak scan reads the program's data.  It
 * grows as a test's reports need, so that each can be claimed.
 */
static struct kg_mc_error *kg_mc_errors;
static int kg_mc_nerrors;		/* parsed since the last test ended */
static int kg_mc_errors_cap;
static int kg_mc_dropped;		/* no memory to keep them */
static int kg_mc_folded;		/* parsed into an earlier one */
static unsigned long kg_mc_errors_before;
static unsigned long kg_mc_leaked_before;

/* Reports a test expects at halt (page leaks): claimed by the halt test. */
#define KG_MC_MAX_HALT_EXPECTED	8

static struct kg_mc_halt_expected {
	char kind[64];
	char fn[KG_MC_FIELD];
	int claimed;
} kg_mc_halt_expected[KG_MC_MAX_HALT_EXPECTED];
static int kg_mc_nhalt_expected;

int kg_memcheck_active(void)
{
	return kg_mc_on;
}

static unsigned long kg_mc_error_count(void)
{
	return VALGRIND_COUNT_ERRORS;
}

static unsigned long kg_mc_definitely_lost(void)
{
	unsigned long leaked = 0, dubious = 0, reachable = 0, suppressed = 0;

	VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
	(void)dubious;
	(void)reachable;
	(void)suppressed;
	return leaked;
}

/* Copies the text of the first <tag>…</tag> in [s, end) into out. */
static const char *kg_mc_field(const char *s, const char *end, const char *tag,
			       char *out, size_t size)
{
	char open[32], close[32];
	const char *a, *b;
	size_t n;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	a = memmem(s, end - s, open, strlen(open));
	if (!a)
		return NULL;
	a += strlen(open);
	b = memmem(a, end - a, close, strlen(close));
	if (!b)
		return NULL;
	n = b - a < (long)size - 1 ? (size_t)(b - a) : size - 1;
	memcpy(out, a, n);
	out[n] = '\0';
	return b + strlen(close);
}

/*
 * Parses the first <stack> in [s, end) into frames (at most max); returns
 * where the stack ends, or NULL when there is none.
 */
static const char *kg_mc_stack(const char *s, const char *end,
			       struct kg_mc_frame *frames, int max, int *n)
{
	const char *stack, *stack_end, *f, *f_end;
	char num[32];

	*n = 0;
	stack = memmem(s, end - s, "<stack>", 7);
	stack_end = stack ? memmem(stack, end - stack, "</stack>", 8) : NULL;
	if (!stack_end)
		return NULL;
	for (f = stack; *n < max && (f = memmem(f, stack_end - f, "<frame>", 7)); f = f_end) {
		struct kg_mc_frame *fr = &frames[(*n)++];

		f_end = memmem(f, stack_end - f, "</frame>", 8);
		if (!f_end)
			break;
		if (!kg_mc_field(f, f_end, "fn", fr->fn, sizeof(fr->fn)))
			strcpy(fr->fn, "???");
		kg_mc_field(f, f_end, "file", fr->file, sizeof(fr->file));
		if (kg_mc_field(f, f_end, "line", num, sizeof(num)))
			fr->line = atoi(num);
	}
	return stack_end + 8;
}

/* The first frame of e outside vsprintf.c, if e is inside it; else -1. */
static int kg_mc_formatting_caller(const struct kg_mc_error *e)
{
	int i;

	for (i = 0; i < e->nframes; i++)
		if (strcmp(e->frames[i].file, "vsprintf.c"))
			return i ? i : -1;
	return -1;
}

/*
 * Memcheck reports a bad value at each line of vsprintf.c that looks at
 * it (a sign, a digit's table lookup, the end of the loop): one printk of
 * an uninitialised int made three reports.  Those of one call, the same
 * stack below vsprintf.c, make one report in a test.
 */
static struct kg_mc_error *kg_mc_same_formatting(const struct kg_mc_error *e)
{
	int i, j, k = kg_mc_formatting_caller(e);

	if (k < 0)
		return NULL;
	for (i = 0; i < kg_mc_nerrors; i++) {
		struct kg_mc_error *o = &kg_mc_errors[i];
		int ko = kg_mc_formatting_caller(o);

		if (o == e || ko < 0 || o->nframes - ko != e->nframes - k)
			continue;
		for (j = 0; j < e->nframes - k; j++)
			if (strcmp(o->frames[ko + j].fn, e->frames[k + j].fn) ||
			    o->frames[ko + j].line != e->frames[k + j].line)
				break;
		if (j == e->nframes - k)
			return o;
	}
	return NULL;
}

static void kg_mc_parse_error(const char *s, const char *end)
{
	struct kg_mc_error *e;
	const char *stack, *aux;
	char num[32];

	e = kg_grow(kg_mc_errors, &kg_mc_errors_cap, kg_mc_nerrors, sizeof(*e));
	if (!e) {
		kg_mc_dropped++;
		return;
	}
	kg_mc_errors = e;
	e = &kg_mc_errors[kg_mc_nerrors++];
	memset(e, 0, sizeof(*e));
	kg_mc_field(s, end, "kind", e->kind, sizeof(e->kind));
	if (!kg_mc_field(s, end, "what", e->what, sizeof(e->what)))
		kg_mc_field(s, end, "text", e->what, sizeof(e->what));
	if (kg_mc_field(s, end, "leakedbytes", num, sizeof(num)))
		e->leaked = strtoul(num, NULL, 10);

	/* Where it happened, or where a leak was made. */
	stack = kg_mc_stack(s, end, e->frames, KG_MC_MAX_FRAMES, &e->nframes);
	/* The first aux, and its stack: the block, where it was freed. */
	if (stack && (aux = kg_mc_field(stack, end, "auxwhat", e->auxwhat,
					sizeof(e->auxwhat))))
		kg_mc_stack(aux, end, e->aux, KG_MC_MAX_AUX_FRAMES, &e->naux);
	kg_mc_remember(e);
	if (strncmp(e->kind, "Leak_", 5)) {
		struct kg_mc_error *first = kg_mc_same_formatting(e);

		if (first) {
			first->folded++;
			kg_mc_nerrors--;
			kg_mc_folded++;
		}
	}
}

/* Reads what valgrind appended to its XML file and parses whole errors. */
static void kg_mc_poll(void)
{
	char buf[4096];	/* small: it may run on a kernel stack (kunit_verdict.c) */
	size_t n;
	char *start, *end;

	if (!kg_mc_xml)
		return;
	clearerr(kg_mc_xml);
	while ((n = fread(buf, 1, sizeof(buf), kg_mc_xml)) > 0) {
		char *grown = realloc(kg_mc_pending, kg_mc_pending_len + n + 1);

		if (!grown)
			break;
		kg_mc_pending = grown;
		memcpy(kg_mc_pending + kg_mc_pending_len, buf, n);
		kg_mc_pending_len += n;
		kg_mc_pending[kg_mc_pending_len] = '\0';
	}
	if (!kg_mc_pending)
		return;
	start = kg_mc_pending;
	while ((start = strstr(start, "<error>")) &&
	       (end = strstr(start, "</error>"))) {
		kg_mc_parse_error(start, end);
		start = end + 8;
	}
	/* Keep only an unfinished error, if any. */
	if (!start)
		start = kg_mc_pending + kg_mc_pending_len;
	kg_mc_pending_len -= start - kg_mc_pending;
	memmove(kg_mc_pending, start, kg_mc_pending_len + 1);
}

/*
 * This process's XML file: valgrind names a forked child's files by its
 * pid, so scripts/kgrun gives the name with %p in it (--xml-file).
 */
static void kg_mc_open_xml(void)
{
	const char *xml = getenv("KG_MEMCHECK_XML"), *p;
	char path[4096];

	if (kg_mc_xml)
		fclose(kg_mc_xml);
	kg_mc_xml = NULL;
	free(kg_mc_pending);
	kg_mc_pending = NULL;
	kg_mc_pending_len = 0;
	if (!xml || !*xml)
		return;
	p = strstr(xml, "%p");
	if (p)
		snprintf(path, sizeof(path), "%.*s%d%s", (int)(p - xml), xml,
			 (int)getpid(), p + 2);
	else
		snprintf(path, sizeof(path), "%s", xml);
	kg_mc_xml = fopen(path, "r");
	if (!kg_mc_xml)
		fprintf(stderr, "kgrind: cannot read memcheck's XML %s: only error counts will be shown\n",
			path);
}

/* From here on, what memcheck reports goes to the next test's end. */
static void kg_mc_baseline(void)
{
	kg_mc_nerrors = kg_mc_dropped = kg_mc_folded = 0;
	kg_mc_errors_before = kg_mc_error_count();
	kg_mc_leaked_before = kg_mc_definitely_lost();
}

void kg_mc_init(void)
{
	kg_mc_on = RUNNING_ON_VALGRIND ? 1 : 0;
	if (!kg_mc_on)
		return;
	kg_mc_repeats_init();
	kg_mc_open_xml();
	kg_mc_baseline();
}

void kg_mc_after_fork(void)
{
	if (!kg_mc_on)
		return;
	kg_mc_open_xml();
	kg_mc_baseline();
}

/*
 * Right after boot: what is unreferenced now, the kernel left so on
 * purpose (register_sysctl_init's headers, for one, which it tells
 * kmemleak to ignore).  Those leaks stay in memcheck's log but belong
 * to no test; later checks count only what is added.
 */
void kg_mc_after_boot(struct kg_mc_counts *counts)
{
	unsigned long errors_before;
	int i, kept = 0;

	memset(counts, 0, sizeof(*counts));
	if (!kg_mc_on)
		return;
	/* Counted, not parsed: right without memcheck's XML too. */
	errors_before = kg_mc_error_count();
	kg_mc_leak_check();
	counts->reports = kg_mc_error_count() - errors_before;
	counts->leaked = kg_mc_definitely_lost() - kg_mc_leaked_before;
	kg_mc_poll();
	for (i = 0; i < kg_mc_nerrors; i++)
		if (strncmp(kg_mc_errors[i].kind, "Leak_", 5))
			kg_mc_errors[kept++] = kg_mc_errors[i];
	kg_mc_nerrors = kept;
	kg_mc_errors_before += counts->reports;
	kg_mc_leaked_before += counts->leaked;
}

static int kg_mc_names(const struct kg_mc_error *e, const char *fn, const char *aux_fn)
{
	return kg_mc_stack_names(e->frames, e->nframes, fn) &&
	       (!aux_fn || kg_mc_stack_names(e->aux, e->naux, aux_fn));
}

static int kg_mc_claim(const char *kind, const char *fn, const char *aux_fn)
{
	int i;

	if (!kg_mc_on)
		return 0;
	if (!strncmp(kind, "Leak_", 5))
		kg_mc_leak_check();
	kg_mc_poll();
	for (i = 0; i < kg_mc_nerrors; i++) {
		struct kg_mc_error *e = &kg_mc_errors[i];

		if (!e->claimed && !strcmp(e->kind, kind) && kg_mc_names(e, fn, aux_fn)) {
			e->claimed = 1;
			return 1;
		}
	}
	return 0;
}

int kg_memcheck_expect(const char *kind, const char *fn)
{
	return kg_mc_claim(kind, fn, NULL);
}

int kg_memcheck_expect_freed_in(const char *kind, const char *fn, const char *free_fn)
{
	return kg_mc_claim(kind, fn, free_fn);
}

void kg_memcheck_expect_at_halt(const char *kind, const char *fn)
{
	struct kg_mc_halt_expected *x;

	if (kg_mc_nhalt_expected == KG_MC_MAX_HALT_EXPECTED) {
		kg_test_fail("more than %d reports expected at halt", KG_MC_MAX_HALT_EXPECTED);
		return;
	}
	x = &kg_mc_halt_expected[kg_mc_nhalt_expected++];
	snprintf(x->kind, sizeof(x->kind), "%s", kind);
	snprintf(x->fn, sizeof(x->fn), "%s", fn);
	x->claimed = 0;
}

void kg_mc_claim_at_halt(void)
{
	int i;

	for (i = 0; i < kg_mc_nhalt_expected; i++)
		kg_mc_halt_expected[i].claimed =
			kg_memcheck_expect(kg_mc_halt_expected[i].kind,
					   kg_mc_halt_expected[i].fn);
}

int kg_memcheck_claimed_at_halt(const char *kind, const char *fn)
{
	int i;

	for (i = 0; i < kg_mc_nhalt_expected; i++)
		if (!strcmp(kg_mc_halt_expected[i].kind, kind) &&
		    !strcmp(kg_mc_halt_expected[i].fn, fn))
			return kg_mc_halt_expected[i].claimed;
	return -1;
}

void kg_mc_end(struct kg_mc_counts *counts)
{
	kg_mc_end_claiming(counts, NULL, NULL);
}

void kg_mc_end_claiming(struct kg_mc_counts *counts,
			int (*claim)(const struct kg_mc_error *e, void *arg), void *arg)
{
	unsigned long counted, leaked_now;
	int i, seen, pass, definite = 0;

	memset(counts, 0, sizeof(*counts));
	if (!kg_mc_on)
		return;
	counted = kg_mc_error_count() - kg_mc_errors_before;
	kg_mc_poll();
	seen = kg_mc_nerrors + kg_mc_dropped + kg_mc_folded;
	kg_mc_leak_check();
	/* Lost blocks freed later make the total fall: count no less than 0. */
	leaked_now = kg_mc_definitely_lost();
	counts->leaked = leaked_now > kg_mc_leaked_before ?
			 leaked_now - kg_mc_leaked_before : 0;
	kg_mc_poll();
	for (i = 0; claim && i < kg_mc_nerrors; i++)
		if (!kg_mc_errors[i].claimed && claim(&kg_mc_errors[i], arg))
			kg_mc_errors[i].claimed = 1;
	/*
	 * Errors first, then leaks, as memcheck itself orders them.  What only
	 * a lost object points to (indirectly lost) fails no test on its own:
	 * it is listed after the definite leak it hangs from (pass 2).
	 */
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < kg_mc_nerrors; i++) {
			const struct kg_mc_error *e = &kg_mc_errors[i];
			int indirect = !strcmp(e->kind, "Leak_IndirectlyLost");

			if (pass != (indirect ? 2 : !strncmp(e->kind, "Leak_", 5)))
				continue;
			if (e->claimed) {
				counts->claimed++;
				counts->leaked -= e->leaked <= counts->leaked ?
						  e->leaked : counts->leaked;
				continue;
			}
			if (indirect && !definite)
				continue;
			if (!pass)
				counts->errors++;
			definite += pass == 1;
			kg_mc_report(e, indirect ? " (only lost objects point to it)" : "");
		}
	counts->reports = kg_mc_nerrors + kg_mc_dropped + kg_mc_folded;
	if (kg_mc_dropped) {
		counts->errors += kg_mc_dropped;
		kg_test_fail("memcheck: %d more reports not kept (no memory for them)", kg_mc_dropped);
	}
	/*
	 * memcheck prints an error only the first time it sees its stack and
	 * only counts repeats.  A test that claimed errors may repeat them;
	 * any other test may not.
	 */
	if (!counts->claimed && counted > (unsigned long)seen) {
		unsigned long named = kg_mc_report_repeats();

		counts->errors += counted - seen;
		if (counted - seen > named)
			kg_test_fail("memcheck counted %lu more error(s) in this test, repeats of reports printed earlier (see build/reports/<suite>.memcheck.txt)",
				     counted - seen - named);
	}
	if (counts->leaked && !kg_mc_xml)
		kg_test_fail("memcheck: %lu bytes definitely lost", counts->leaked);
	kg_mc_nerrors = kg_mc_dropped = kg_mc_folded = 0;
	kg_mc_errors_before = kg_mc_error_count();
	kg_mc_leaked_before = kg_mc_definitely_lost();
}
