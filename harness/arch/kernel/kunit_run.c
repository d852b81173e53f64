// SPDX-License-Identifier: GPL-2.0
/*
 * make kunit with one boot per kernel: the kernel boots with KUnit on but
 * no suite selected, and each forked copy of it (harness/kunit/kg_kunit.c)
 * runs the suites its glob selects, as KUnit's executor would at boot,
 * with its attribute filter.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/kgrind_fixture.h>

/* The host's request: two strings, the filter possibly empty. */
struct kgrind_kunit_request {
	const char __user *glob;
	const char __user *filter;
};

extern struct kunit_suite * const __kunit_suites_start[];
extern struct kunit_suite * const __kunit_suites_end[];
extern struct kunit_suite * const __kunit_init_suites_start[];
extern struct kunit_suite * const __kunit_init_suites_end[];

static long kgrind_kunit_run(long arg)
{
	struct kunit_suite_set init = { __kunit_init_suites_start, __kunit_init_suites_end };
	struct kunit_suite_set all = { __kunit_suites_start, __kunit_suites_end };
	struct kunit_suite_set chosen;
	struct kgrind_kunit_request req;
	char *glob, *filter = NULL;
	int err = 0;

	if (copy_from_user(&req, (const void __user *)arg, sizeof(req)))
		return -EFAULT;
	glob = strndup_user(req.glob, 256);
	if (IS_ERR(glob))
		return PTR_ERR(glob);
	if (req.filter) {
		filter = strndup_user(req.filter, 1024);
		if (IS_ERR(filter)) {
			kfree(glob);
			return PTR_ERR(filter);
		}
	}
	if (init.end > init.start) {
		all = kunit_merge_suite_sets(init, all);
		if (!all.start)
			err = -ENOMEM;
	}
	if (!err) {
		chosen = kunit_filter_suites(&all, glob, filter && *filter ? filter : NULL,
					     NULL, &err);
		if (!err)
			kunit_exec_run_tests(&chosen, true);
	}
	/* The child ends here: what KUnit made lives no longer than it. */
	kfree(filter);
	kfree(glob);
	return err;
}
KG_FIXTURE("kgrind_kunit_run", kgrind_kunit_run);
