// SPDX-License-Identifier: GPL-2.0
/*
 * The suite runner: boots the kernel before the first test that needs
 * it, runs each selected CUnit test on its own, and after each one fails
 * it for CUnit assertions, kernel faults on the console (WARN, BUG, Oops)
 * and memcheck errors or leaks the test did not claim.  It boots the
 * kernel and runs the suite's setup as a test of its own ("setup"), so
 * what the setup's code does wrong fails that, not the first test; and
 * it halts the kernel as a test of its own ("halt"), so teardown problems and host
 * leaks have a name too.  Output: KTAP on stdout, JSON events for
 * scripts/kgrun.  With --fail-nth=N (make failsweep) each test fails
 * fault site N of its tasks (failsweep.c), and its CUnit assertions do
 * not count: an injected -ENOMEM changes results legitimately.  With
 * --fork each test runs in a forked copy of the kernel the setup left;
 * then --fail-steps=C runs C steps of the test (N, N + stride, ...), each
 * in its own copy.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "kg_suite.h"
#include "child.h"
#include "console.h"
#include "failsweep.h"
#include "memcheck.h"
#include "results.h"
#include "test_messages.h"
#include "watchdog.h"

enum kg_phase { KG_BEFORE_BOOT, KG_BOOTED, KG_AFTER_HALT };

/* The runner's own entries, besides the suite's tests. */
enum kg_role { KG_TEST, KG_SETUP, KG_HALT };

struct kg_entry {
	const char *name;
	CU_TestFunc fn;		/* NULL for the runner's own */
	enum kg_role role;
	enum kg_phase phase;
	CU_pTest cu_test;
	int selected;
};

struct kg_run {
	const struct kg_suite *suite;
	struct kg_entry *entries;
	int count;
	CU_pSuite cu_suite;
	int booted, halted, boot_error;
	struct kg_failsweep_options sweep;	/* --fail-*: a sweep's steps */
	/* The faults the sweep step under way injected (-1: unknown). */
	long injected;
	long first_test_fd;	/* the lowest fd free after the setup */
	int fork;		/* --fork: each test in a forked copy of the kernel */
	double timeout;		/* --timeout */
};

static struct kg_run kg_run;

static double kg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void kg_cunit_failures(const CU_pTest test, const CU_pSuite suite,
			      const CU_pFailureRecord failure)
{
	CU_pFailureRecord f;

	(void)test;
	(void)suite;
	if (kg_run.sweep.nth)
		return;
	for (f = failure; f; f = f->pNext) {
		const char *file = f->strFileName ? strrchr(f->strFileName, '/') : NULL;

		kg_test_fail("%s:%u: %s", file ? file + 1 : f->strFileName,
			     f->uiLineNumber, f->strCondition);
	}
}

static void kg_add_entries(CU_TestInfo *tests, enum kg_phase phase)
{
	for (; tests && tests->pName; tests++) {
		struct kg_entry *e = &kg_run.entries[kg_run.count++];

		e->name = tests->pName;
		e->fn = tests->pTestFunc;
		e->phase = phase;
	}
}

/* The runner's setup and halt, which run with the kernel booted. */
static void kg_add_runner_entry(const char *name, enum kg_role role)
{
	struct kg_entry *e = &kg_run.entries[kg_run.count++];

	e->name = name;
	e->role = role;
	e->phase = KG_BOOTED;
}

static int kg_count(CU_TestInfo *tests)
{
	int n = 0;

	for (; tests && tests->pName; tests++)
		n++;
	return n;
}

static int kg_build_entries(const struct kg_suite *suite)
{
	int n = kg_count(suite->before_boot) + kg_count(suite->tests) +
		kg_count(suite->after_halt) + 2;

	kg_run.entries = calloc(n, sizeof(*kg_run.entries));
	if (!kg_run.entries)
		return -1;
	kg_add_entries(suite->before_boot, KG_BEFORE_BOOT);
	kg_add_runner_entry("setup", KG_SETUP);
	kg_add_entries(suite->tests, KG_BOOTED);
	kg_add_runner_entry("halt", KG_HALT);
	kg_add_entries(suite->after_halt, KG_AFTER_HALT);
	return 0;
}

static int kg_matches(const char *globs, const char *suite, const char *test)
{
	char full[512], *list, *glob, *save;
	int hit = 0;

	if (!globs || !*globs)
		return 1;
	snprintf(full, sizeof(full), "%s.%s", suite, test);
	list = strdup(globs);
	for (glob = strtok_r(list, ",", &save); glob && !hit;
	     glob = strtok_r(NULL, ",", &save))
		hit = !fnmatch(glob, full, 0) || !fnmatch(glob, test, 0);
	free(list);
	return hit;
}

/*
 * A test that needs the kernel implies the setup and halt tests; a test
 * that runs after the halt implies them too.  A process that resumes
 * after a crash (from) boots again, so it runs the setup again.
 */
static int kg_select(const char *globs, int from)
{
	struct kg_entry *halt = NULL, *setup = NULL;
	int i, any_booted = 0, any_after = 0, n = 0;

	for (i = 0; i < kg_run.count; i++) {
		struct kg_entry *e = &kg_run.entries[i];

		if (e->role == KG_HALT)
			halt = e;
		if (e->role == KG_SETUP)
			setup = e;
		e->selected = i + 1 >= from &&
			      kg_matches(globs, kg_run.suite->name, e->name);
		any_booted |= e->selected && e->phase == KG_BOOTED;
		any_after |= e->selected && e->phase == KG_AFTER_HALT;
	}
	if ((any_booted || any_after) && halt && halt - kg_run.entries + 1 >= from)
		halt->selected = 1;
	if (any_booted || any_after)
		setup->selected = 1;
	for (i = 0; i < kg_run.count; i++)
		n += kg_run.entries[i].selected;
	return n;
}

static void kg_boot_kernel(void)
{
	struct kg_mc_counts boot_leaks;
	int err;

	kg_run.booted = 1;
	err = kg_boot(&kg_run.suite->boot);
	if (err) {
		kg_run.boot_error = err;
		return;
	}
	kg_mc_after_boot(&boot_leaks);
	if (boot_leaks.reports)
		printf("# memcheck: %lu bytes the kernel left unreferenced at boot, on purpose (see the memcheck log); no test is charged\n",
		       boot_leaks.leaked);
	kg_results_event("boot", 0, "boot", NULL, NULL, 0, &boot_leaks);
	if (kg_run.sweep.nth && (err = kg_failsweep_configure())) {
		kg_run.boot_error = err;
		return;
	}
	if (kg_run.suite->setup) {
		err = kg_run.suite->setup();
		if (err)
			kg_run.boot_error = err;
	}
	kg_run.first_test_fd = kg_open("/", O_PATH | O_DIRECTORY, 0);
	if (kg_run.first_test_fd >= 0)
		kg_close(kg_run.first_test_fd);
}

/*
 * After a sweep step: the files the test left open closed (what a failed
 * call left open would keep the teardown from unmounting).
 */
static void kg_close_test_files(void)
{
	if (kg_run.first_test_fd >= 0)
		kg_close_range(kg_run.first_test_fd, ~0U, 0);
}

/* A test, failing fault site sweep.nth of its tasks in a sweep step. */
static void kg_run_test(struct kg_entry *e, int index)
{
	long injected;

	if (!kg_run.sweep.nth) {
		CU_run_test(kg_run.cu_suite, e->cu_test);
		return;
	}
	kg_failsweep_begin(kg_run.sweep.nth);
	CU_run_test(kg_run.cu_suite, e->cu_test);
	injected = kg_failsweep_end();
	printf("# fail-nth %u: %ld fault(s) injected\n", kg_run.sweep.nth, injected);
	kg_results_injected(index, kg_run.sweep.nth, injected);
	kg_run.injected = injected;
	kg_close_test_files();
}

/* Brings the kernel to the state the test's phase needs. */
static void kg_enter_phase(enum kg_phase phase)
{
	if (phase >= KG_BOOTED && !kg_run.booted)
		kg_boot_kernel();
	if (phase == KG_AFTER_HALT && !kg_run.halted) {
		kg_run.halted = 1;
		kg_halt();
	}
}

static void kg_halt_test(void)
{
	int err;

	if (kg_run.suite->teardown && (err = kg_run.suite->teardown()))
		kg_test_fail("the suite's teardown failed (%s)", strerror(-err));
	kg_run.halted = 1;
	err = kg_halt();
	if (err)
		kg_test_fail("the kernel did not halt cleanly (%s)\n--- kernel console (tail) ---\n%s",
			     strerror(-err), kg_console_tail());
	kg_mc_claim_at_halt();
}

static void kg_print_ktap(int number, const struct kg_entry *e,
			  const char *status)
{
	const char *line, *next;

	printf("%s %d %s.%s", strcmp(status, "fail") ? "ok" : "not ok", number,
	       kg_run.suite->name, e->name);
	if (!strcmp(status, "skip"))
		printf(" # SKIP %s", kg_test_skip_reason());
	putchar('\n');
	for (line = kg_test_messages(); line && *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		printf("# %.*s", (int)(next - line), line);
	}
	fflush(stdout);
}

static int kg_end_entry(struct kg_entry *e, int index, int number, double start);

/* What a forked child that ended its test sends last: with the faults
 * its sweep step injected. */
#define KG_CHILD_ENDED	"kgrind: the test ended in the child; faults injected: "

/*
 * --fork: the test runs in a forked copy of the kernel the setup left,
 * and ends there as in a process of its own: judged, printed, written to
 * the results.  Returns its verdict, or -1 when the child did not end
 * it (crashed, hung, killed): the parent then ends it, failed.
 */
static int kg_run_forked(struct kg_entry *e, int index, int number, double start)
{
	struct kg_child c;
	char *text, why[128], ended[128];
	int err, status;

	kg_watchdog_disarm();	/* the parent keeps the child's time itself */
	err = kg_child_fork(&c);
	if (err == 0) {
		kg_results_forked();
		kg_run_test(e, index);
		status = kg_end_entry(e, index, number, start);
		snprintf(ended, sizeof(ended), "%s%ld\n", KG_CHILD_ENDED, kg_run.injected);
		kg_child_send(ended);
		kg_child_exit(status ? 0 : 1);
	}
	if (err < 0) {
		kg_test_fail("not run: kg_fork failed (%s)", strerror(-err));
		return -1;
	}
	text = kg_child_wait(&c, kg_run.timeout, &status, why, sizeof(why));
	if (text && !strncmp(text, KG_CHILD_ENDED, strlen(KG_CHILD_ENDED))) {
		kg_run.injected = atol(text + strlen(KG_CHILD_ENDED));
		free(text);
		return status == 0;
	}
	kg_test_fail("the test's forked child (pid %d) %s%s%s", (int)c.pid, why,
		     text ? ":\n" : "", text ? text : "");
	free(text);
	kg_run.injected = -1;	/* unknown: a sweep's next step runs all the same */
	kg_results_copy(c.pid);	/* its memcheck file holds what it said */
	return -1;
}

static int kg_run_entry(int index, int number)
{
	struct kg_entry *e = &kg_run.entries[index - 1];
	double start;
	int verdict;

	kg_results_event("start", index, e->name, NULL, NULL, 0, NULL);
	kg_test_messages_reset();
	kg_watchdog_arm();
	start = kg_now();

	kg_enter_phase(e->phase);
	if (e->role == KG_SETUP && kg_run.boot_error)
		kg_test_fail("the kernel did not boot or the suite's setup failed (%s)\n--- kernel console (tail) ---\n%s",
			     strerror(-kg_run.boot_error), kg_console_tail());
	else if (e->phase == KG_BOOTED && kg_run.boot_error)
		kg_test_fail("not run: the kernel did not boot or the suite's setup failed (%s; see the setup test)",
			     strerror(-kg_run.boot_error));
	else if (e->role == KG_HALT)
		kg_halt_test();
	else if (e->role == KG_TEST && e->phase == KG_BOOTED && kg_run.fork) {
		verdict = kg_run_forked(e, index, number, start);
		if (verdict >= 0)
			return verdict;
	} else if (e->role == KG_TEST) {
		kg_run_test(e, index);
	}
	return kg_end_entry(e, index, number, start);
}

/* A test ran: judged, printed in KTAP, written to the results. */
static int kg_end_entry(struct kg_entry *e, int index, int number, double start)
{
	struct kg_mc_counts mc;
	const char *status;

	if (kg_fault_count()) {
		kg_test_fail("the kernel reported a fault:\n%s", kg_fault_excerpt());
		kg_fault_clear();
	}
	kg_mc_end(&mc);
	kg_watchdog_disarm();

	status = kg_test_messages() ? "fail" : kg_test_skip_reason() ? "skip" : "pass";
	kg_print_ktap(number, e, status);
	kg_results_test(index, e->name, status, kg_now() - start, &mc);
	return strcmp(status, "fail") != 0;
}

/*
 * A sweep's steps of one test.  With --fork each runs in a forked copy of
 * the kernel the setup left, which has never run the test: the
 * allocations a test makes only the first time are swept too, and no
 * step sees what another did, so a step that found something ends
 * nothing.  The steps end at the first that injected nothing.  Without
 * --fork, the one step N, in this process's kernel.
 */
static int kg_run_steps(int index, int number)
{
	unsigned int first = kg_run.sweep.nth, k;
	unsigned int steps = kg_run.fork ? kg_run.sweep.steps : 1;
	int passed = 1;

	for (k = 0; k < steps; k++) {
		kg_run.sweep.nth = first + k * kg_run.sweep.stride;
		kg_run.injected = 0;
		kg_results_step(index, kg_run.sweep.nth);
		passed &= kg_run_entry(index, number);
		if (!kg_run.injected)
			break;
	}
	kg_run.sweep.nth = first;
	return passed;
}

static int kg_register(void)
{
	int i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return -1;
	kg_run.cu_suite = CU_add_suite(kg_run.suite->name, NULL, NULL);
	if (!kg_run.cu_suite)
		return -1;
	for (i = 0; i < kg_run.count; i++) {
		struct kg_entry *e = &kg_run.entries[i];

		/* kunit.py would take such a test's result for the suite's. */
		if (!strcmp(e->name, kg_run.suite->name)) {
			fprintf(stderr, "kgrind: suite %s has a test of the same name; rename it\n",
				e->name);
			return -1;
		}
		if (e->fn && !(e->cu_test = CU_add_test(kg_run.cu_suite, e->name, e->fn)))
			return -1;
	}
	CU_set_test_complete_handler(kg_cunit_failures);
	return 0;
}

static void kg_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--list] [--tests=GLOB,...] [--from=N] [--timeout=SECONDS] [--results=FILE] [--fork]\n"
		"          [--fail-nth=N [--fail-steps=C --fork] [--fail-stride=S]]\n"
		"Tests are named suite.test; GLOB matches that or the bare test name.\n%s",
		prog, kg_failsweep_usage);
}

int kg_suite_main(const struct kg_suite *suite, int argc, char **argv)
{
	const char *globs = NULL, *results = getenv("KG_RESULTS");
	double timeout = 0;
	int i, from = 1, list = 0, selected, number = 0, failed = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list"))
			list = 1;
		else if (!strncmp(argv[i], "--tests=", 8))
			globs = argv[i] + 8;
		else if (!strncmp(argv[i], "--from=", 7))
			from = atoi(argv[i] + 7);
		else if (!strncmp(argv[i], "--timeout=", 10))
			timeout = atof(argv[i] + 10);
		else if (!strncmp(argv[i], "--results=", 10))
			results = argv[i] + 10;
		else if (!strcmp(argv[i], "--fork"))
			kg_run.fork = 1;
		else if (kg_failsweep_option(argv[i], &kg_run.sweep))
			continue;
		else {
			kg_usage(argv[0]);
			return strcmp(argv[i], "--help") ? 2 : 0;
		}
	}

	kg_failsweep_defaults(&kg_run.sweep);
	if (kg_run.sweep.steps > 1 && !kg_run.fork) {
		fprintf(stderr, "kgrind: --fail-steps runs each step in a forked copy of the kernel: it needs --fork\n");
		return 2;
	}
	kg_run.suite = suite;
	if (kg_build_entries(suite) || kg_register()) {
		fprintf(stderr, "kgrind: cannot set up the %s suite: %s\n",
			suite->name, CU_get_error_msg());
		return 2;
	}
	selected = kg_select(globs, from);
	if (list) {
		for (i = 0; i < kg_run.count; i++)
			if (kg_run.entries[i].selected)
				printf("%d %s.%s\n", i + 1, suite->name,
				       kg_run.entries[i].name);
		CU_cleanup_registry();
		free(kg_run.entries);
		return 0;
	}
	if (!selected && globs) {
		fprintf(stderr, "kgrind: no test of suite %s matches '%s'; it has:\n",
			suite->name, globs);
		for (i = 0; i < kg_run.count; i++)
			fprintf(stderr, "  %s.%s\n", suite->name, kg_run.entries[i].name);
		return 2;
	}
	kg_results_open(results);
	kg_console_set_fatal_hook(kg_results_fatal);
	kg_mc_init();
	kg_run.timeout = timeout;
	kg_watchdog_start(timeout);
	printf("KTAP version 1\n1..%d\n", selected);
	fflush(stdout);	/* forked children must not print it again */
	for (i = 0; i < kg_run.count; i++)
		if (!kg_run.entries[i].selected)
			continue;
		else if (kg_run.sweep.nth && kg_run.entries[i].role == KG_TEST)
			failed += !kg_run_steps(i + 1, ++number);
		else
			failed += !kg_run_entry(i + 1, ++number);
	if (kg_run.booted && !kg_run.halted)
		kg_halt();
	kg_watchdog_stop();
	kg_results_event("done", 0, suite->name, NULL, NULL, 0, NULL);
	kg_results_close();
	printf("# %s: %d test(s), %d failed\n", suite->name, selected, failed);
	CU_cleanup_registry();
	kg_test_messages_reset();
	free(kg_run.entries);
	return failed ? 1 : 0;
}
