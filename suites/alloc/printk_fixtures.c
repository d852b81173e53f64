// SPDX-License-Identifier: GPL-2.0
/*
 * Uninitialised values printed: each reported once, in the test that
 * printed it, and no later printk reported for it (the ring buffer's
 * bookkeeping stays defined; harness/arch/kernel/printk.c).
 */
#include <linux/printk.h>
#include <linux/slab.h>
#include <asm/kgrind_fixture.h>

/*
 * A count offset by a field nobody wrote: vsprintf decides on its sign
 * and reports it.  Nine digits long, its digits and their number come
 * from put_dec()'s arithmetic, without a branch: undefined to memcheck,
 * they made the record's length and the ring buffer's positions
 * undefined, and every later printk was reported.
 */
static long printk_uninit_int(long arg)
{
	int *field = kmalloc(sizeof(*field), GFP_KERNEL);
	int count;

	if (!field)
		return -ENOMEM;
	count = 900000000 + (*field & 0xff);
	pr_info("kgrind fixture: an uninitialised int: %d\n", count);
	kfree(field);
	return arg;
}
KG_FIXTURE("printk_uninit_int", printk_uninit_int);

/* Another value, another conversion, another report. */
static long printk_uninit_hex(long arg)
{
	unsigned long *value = kmalloc(sizeof(*value), GFP_KERNEL);

	if (!value)
		return -ENOMEM;
	pr_info("kgrind fixture: an uninitialised long: %#lx\n", *value);
	kfree(value);
	return arg;
}
KG_FIXTURE("printk_uninit_hex", printk_uninit_hex);

/*
 * A char is copied into the text without a decision on it: the check of
 * the formatted text reports it, in the printk's stack.
 */
static long printk_uninit_char(long arg)
{
	char *value = kmalloc(1, GFP_KERNEL);

	if (!value)
		return -ENOMEM;
	pr_info("kgrind fixture: an uninitialised char: %c\n", *value);
	kfree(value);
	return arg;
}
KG_FIXTURE("printk_uninit_char", printk_uninit_char);
