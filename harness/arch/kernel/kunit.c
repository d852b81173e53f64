// SPDX-License-Identifier: GPL-2.0
/*
 * make kunit: memcheck's verdict on every KUnit case, in KUnit's own
 * results.
 *
 * Before KUnit runs its suites (kernel_init_freeable(), after every
 * initcall), each suite's suite_init and init are wrapped.  The init
 * wrapper registers a deferred action, which KUnit runs last in the
 * case's cleanup: after the case, its exit and its other actions.  The
 * action looks for page leaks (page_leaks.c) and asks the host what
 * memcheck saw since the last case (its errors, and a leak check): each
 * report not claimed as expected or known becomes a diagnostic line of
 * the case and fails it, so "not ok" is in KUnit's KTAP.  A failure of
 * KUnit's own that the expectations file calls a known bug, or a case
 * KUnit timed out under memcheck, is marked skipped with the reason.  Work a case
 * leaves to workqueues, RCU or softirqs before its cleanup is charged to
 * it; what runs later goes to the next case.  Natively the host says
 * nothing and nothing changes.
 */
#include <kunit/test.h>
#include <kunit/resource.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <valgrind/valgrind.h>
#include <asm/kgrind.h>
#include <asm/kgrind_alloc.h>
#include "kgrind_host_ops.h"

struct kgrind_kunit_wrap {
	struct kunit_suite *suite;
	int (*suite_init)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
};

extern struct kunit_suite * const __kunit_suites_start[];
extern struct kunit_suite * const __kunit_suites_end[];
extern struct kunit_suite * const __kunit_init_suites_start[];
extern struct kunit_suite * const __kunit_init_suites_end[];

static struct kgrind_kunit_wrap *kgrind_kunit_wraps;
static int kgrind_kunit_nr_wraps;
/* The suite running now: KUnit runs one case at a time. */
static struct kgrind_kunit_wrap *kgrind_kunit_running;
static char kgrind_kunit_report[8192];
/* When the running case's init began. */
static ktime_t kgrind_kunit_case_began;
static bool kgrind_kunit_started;

static struct kgrind_kunit_wrap *kgrind_kunit_find(struct kunit_suite *suite)
{
	int i;

	for (i = 0; i < kgrind_kunit_nr_wraps; i++)
		if (kgrind_kunit_wraps[i].suite == suite ||
		    !strcmp(kgrind_kunit_wraps[i].suite->name, suite->name))
			return &kgrind_kunit_wraps[i];
	return NULL;
}

/*
 * The host's verdict since the last one: its lines printed by say();
 * into known, the reason a claim gives when KUnit's failure of the case
 * is a known bug.
 */
static long kgrind_kunit_verdict(const char *suite, struct kunit *test,
				 void (*say)(struct kunit *test, const char *line, int len),
				 char *known, unsigned long known_size)
{
	struct kg_kunit_case kc = {
		.suite = suite,
		.name = test ? test->name : NULL,
		.param = test ? test->param_index : 0,
		.failed = test && test->status == KUNIT_FAILURE,
		.report = kgrind_kunit_report,
		.report_size = sizeof(kgrind_kunit_report),
		.known = known,
		.known_size = known_size,
	};
	char *line, *next;
	long failures;

	kgleak_check_now(NULL);
	failures = kgrind_host->kunit_case_end(&kc);
	for (line = kgrind_kunit_report; *line; line = next) {
		next = strchrnul(line, '\n');
		say(test, line, next - line);
		if (*next)
			next++;
	}
	return failures;
}

static void kgrind_kunit_say_in_case(struct kunit *test, const char *line, int len)
{
	kunit_err(test, "%.*s\n", len, line);
}

/* Top-level KTAP diagnostics, which the runner charges to the boot. */
static void kgrind_kunit_say_at_boot(struct kunit *test, const char *line, int len)
{
	pr_err("# kgrind: at boot: %.*s\n", len, line);
}

/*
 * KUnit gives a case 300 s (kunit_test_timeout() in try-catch.c), then
 * fails it.  Under memcheck a right case can take that long: it is
 * skipped with the reason, and judged by the native run.  Its memcheck
 * reports still fail it.
 */
#define KGRIND_KUNIT_LIMIT_S 300

static void kgrind_kunit_past_limit(struct kunit *test)
{
	s64 took = ktime_to_ms(ktime_sub(ktime_get(), kgrind_kunit_case_began)) / MSEC_PER_SEC;

	if (!RUNNING_ON_VALGRIND || test->status != KUNIT_FAILURE ||
	    took < KGRIND_KUNIT_LIMIT_S - 1)
		return;
	kunit_mark_skipped(test, "kgrind: ran %lld s under memcheck, past KUnit's %d s limit: its result is the native run's",
			   took, KGRIND_KUNIT_LIMIT_S);
}

static void kgrind_kunit_case_end(void *ctx)
{
	struct kunit *test = ctx;
	const char *suite = kgrind_kunit_running ? kgrind_kunit_running->suite->name : "";
	char known[200];
	long failures;

	kgrind_kunit_past_limit(test);
	failures = kgrind_kunit_verdict(suite, test, kgrind_kunit_say_in_case,
					known, sizeof(known));
	if (known[0])
		kunit_mark_skipped(test, "kgrind: %s", known);
	if (failures > 0)
		kunit_set_failure(test);
}

static int kgrind_kunit_init(struct kunit *test)
{
	struct kgrind_kunit_wrap *w = kgrind_kunit_running;
	char begin[160];
	int err;

	/*
	 * Straight to the host, not through printk: if the case ends the
	 * process, the runner knows which case it was even when the last
	 * results were still in printk's buffer.
	 */
	kgrind_kunit_case_began = ktime_get();
	err = scnprintf(begin, sizeof(begin), "# kgrind: begin %s.%s\n",
			w ? w->suite->name : "", test->name);
	kgrind_host->print(begin, err);

	err = kunit_add_action(test, kgrind_kunit_case_end, test);
	if (err)
		return err;
	return w && w->init ? w->init(test) : 0;
}

static int kgrind_kunit_suite_init(struct kunit_suite *suite)
{
	/* What came before the first suite is the boot's. */
	if (!kgrind_kunit_started) {
		kgrind_kunit_started = true;
		char known[1];

		kgrind_kunit_verdict(NULL, NULL, kgrind_kunit_say_at_boot,
				     known, sizeof(known));
	}
	/* KUnit may run a filtered copy of the suite: found by name. */
	kgrind_kunit_running = kgrind_kunit_find(suite);
	return kgrind_kunit_running && kgrind_kunit_running->suite_init ?
	       kgrind_kunit_running->suite_init(suite) : 0;
}

static void __init kgrind_kunit_wrap_set(struct kunit_suite * const *start,
					 struct kunit_suite * const *end)
{
	struct kunit_suite * const *s;

	for (s = start; s < end; s++) {
		struct kgrind_kunit_wrap *w = &kgrind_kunit_wraps[kgrind_kunit_nr_wraps++];

		w->suite = *s;
		w->suite_init = (*s)->suite_init;
		w->init = (*s)->init;
		(*s)->suite_init = kgrind_kunit_suite_init;
		(*s)->init = kgrind_kunit_init;
	}
}

static int __init kgrind_kunit_wrap_all(void)
{
	int n = (__kunit_suites_end - __kunit_suites_start) +
		(__kunit_init_suites_end - __kunit_init_suites_start);

	if (!kgrind_host->kunit_case_end || !n)
		return 0;
	kgrind_kunit_wraps = kcalloc(n, sizeof(*kgrind_kunit_wraps), GFP_KERNEL);
	if (!kgrind_kunit_wraps)
		return -ENOMEM;
	kgrind_kunit_wrap_set(__kunit_suites_start, __kunit_suites_end);
	kgrind_kunit_wrap_set(__kunit_init_suites_start, __kunit_init_suites_end);
	return 0;
}
late_initcall_sync(kgrind_kunit_wrap_all);
