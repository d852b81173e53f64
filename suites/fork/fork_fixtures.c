// SPDX-License-Identifier: GPL-2.0
/*
 * Bugs the fork suite commits in a forked child only: the parent's
 * kernel never runs them, so its reports and leaks must stay the
 * child's.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <asm/kgrind_fixture.h>

static long fork_use_after_free(long arg)
{
	char *p = kmalloc(32, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p[0] = (char)arg;
	kfree(p);
	return READ_ONCE(p[0]);
}
KG_FIXTURE("fork_use_after_free", fork_use_after_free);

struct fork_lost {
	long value;
	char name[40];
};

static long fork_leak(long arg)
{
	struct fork_lost *o = kmalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	o->value = arg;
	strscpy(o->name, "made in the child", sizeof(o->name));
	return 0;
}
KG_FIXTURE("fork_leak", fork_leak);
