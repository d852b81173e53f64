// SPDX-License-Identifier: GPL-2.0
/*
 * make kunit: memcheck's verdict on each KUnit case, asked for by the
 * kernel at the case's end (harness/arch/kernel/kunit.c).  It is the
 * suites' per-test attribution (memcheck.c), with the failure messages
 * handed back to the kernel, which prints them in the case's KTAP.
 *
 * KG_KUNIT_EXPECT names the expectations file: one claim per line,
 *
 *     suite.case   kind   function   why...
 *
 * suite.case a glob, kind memcheck's XML kind ("UninitCondition",
 * "Leak_DefinitelyLost", ...) or *, function a frame of the report's
 * stack or *, why the reason ("known bug: <file>" or "on purpose:
 * ...").  A report a line claims is still printed, with its reason; it
 * fails nothing.  Kind KUNIT_FAIL claims KUnit's own failure of the case
 * (function *), in both modes: the kernel marks the case skipped, with
 * the reason.  '#' starts a comment.
 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kg_suite.h"
#include "kgrind_host_ops.h"
#include "kunit_verdict.h"
#include "memcheck.h"
#include "test_messages.h"

struct kg_claim {
	char test[256], kind[64], fn[256], why[256];
};

static struct kg_claim *kg_claims;
static int kg_nclaims, kg_claims_loaded;

static void kg_claims_load(void)
{
	const char *path = getenv("KG_KUNIT_EXPECT");
	char line[1024];
	FILE *f;

	kg_claims_loaded = 1;
	if (!path || !*path)
		return;
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "kgrind: cannot read the expectations file %s\n", path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		struct kg_claim c;
		int n = 0;

		if (line[strspn(line, " \t")] == '#' || line[strspn(line, " \t\n")] == '\0')
			continue;
		memset(&c, 0, sizeof(c));
		if (sscanf(line, "%255s %63s %255s %n", c.test, c.kind, c.fn, &n) != 3 || !n) {
			fprintf(stderr, "kgrind: %s: want 'suite.case kind function why': %s", path, line);
			exit(2);
		}
		snprintf(c.why, sizeof(c.why), "%.*s", (int)strcspn(line + n, "\n"), line + n);
		kg_claims = realloc(kg_claims, (kg_nclaims + 1) * sizeof(*kg_claims));
		if (!kg_claims)
			exit(2);
		kg_claims[kg_nclaims++] = c;
	}
	fclose(f);
}

#define KG_KUNIT_FAIL "KUNIT_FAIL"

struct kg_case {
	char name[512];		/* suite.case */
	char *claimed;		/* the text of the claimed reports */
	size_t claimed_len;
};

static int kg_case_claims(const struct kg_mc_error *e, void *arg)
{
	struct kg_case *kc = arg;
	char text[4096], note[300];
	int i;

	for (i = 0; i < kg_nclaims; i++) {
		const struct kg_claim *c = &kg_claims[i];
		size_t n;

		if (fnmatch(c->test, kc->name, 0) || !strcmp(c->kind, KG_KUNIT_FAIL) ||
		    (strcmp(c->kind, "*") && strcmp(c->kind, e->kind)) ||
		    (strcmp(c->fn, "*") && !kg_mc_stack_names(e->frames, e->nframes, c->fn)))
			continue;
		snprintf(note, sizeof(note), " (claimed, %s)", c->why);
		kg_mc_format(text, sizeof(text), e, note);
		n = strlen(text);
		kc->claimed = realloc(kc->claimed, kc->claimed_len + n + 2);
		if (!kc->claimed)
			exit(2);
		memcpy(kc->claimed + kc->claimed_len, text, n);
		kc->claimed_len += n;
		kc->claimed[kc->claimed_len++] = '\n';
		kc->claimed[kc->claimed_len] = '\0';
		return 1;
	}
	return 0;
}

/* The reason a KUNIT_FAIL claim gives for the case's failure, or NULL. */
static const char *kg_known_failure(const char *name)
{
	int i;

	for (i = 0; i < kg_nclaims; i++)
		if (!strcmp(kg_claims[i].kind, KG_KUNIT_FAIL) &&
		    !fnmatch(kg_claims[i].test, name, 0))
			return kg_claims[i].why;
	return NULL;
}

/*
 * name NULL: KUnit is about to start; what memcheck saw at boot is said
 * once, failing nothing here (the runner fails the run's boot for it),
 * and the boot's own leaks are forgotten, as in the suites.
 */
static long kg_kunit_judge(struct kg_kunit_case *c)
{
	struct kg_case kc = { .claimed = NULL };
	struct kg_mc_counts mc;
	const char *known;
	char *failed;

	c->report[0] = c->known[0] = '\0';
	if (!kg_claims_loaded)
		kg_claims_load();
	if (c->name) {
		snprintf(kc.name, sizeof(kc.name), "%s.%s", c->suite, c->name);
		known = c->failed ? kg_known_failure(kc.name) : NULL;
		if (known)
			snprintf(c->known, c->known_size, "%s", known);
	}
	if (!kg_memcheck_active())
		return 0;
	if (!c->name) {
		kg_mc_after_boot(&mc);
		kg_mc_end(&mc);
		failed = kg_test_take_messages();
		kg_test_messages_reset();
		if (failed)
			snprintf(c->report, c->report_size, "%s", failed);
		free(failed);
		return failed != NULL;
	}
	kg_mc_end_claiming(&mc, kg_case_claims, &kc);
	failed = kg_test_take_messages();
	kg_test_messages_reset();
	snprintf(c->report, c->report_size, "%s%s", failed ? failed : "",
		 kc.claimed ? kc.claimed : "");
	free(kc.claimed);
	free(failed);
	return failed != NULL;
}

/* The kernel calls (kunit.c): memcheck's checks must not call it back. */
long kg_kunit_case_end(struct kg_kunit_case *c)
{
	long failed;

	kg_mc_called_by_kernel(1);
	failed = kg_kunit_judge(c);
	kg_mc_called_by_kernel(0);
	return failed;
}
