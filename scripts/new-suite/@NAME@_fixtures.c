// SPDX-License-Identifier: GPL-2.0
/*
 * The @NAME@ suite's kernel-side fixtures: kernel code, built into the
 * library kernel with kernel headers only.  KG_FIXTURE(name, fn)
 * registers fn, and the host's kg_call(name, arg) runs it in task
 * context with arg and returns what it returns (a negative errno on
 * failure, as the kernel's own functions do).
 */
#include <linux/errno.h>
#include <linux/slab.h>
#include <asm/kgrind_fixture.h>

static long @NAME@_sum(long n)
{
	long *values, sum = 0, i;

	if (n <= 0)
		return -EINVAL;
	values = kmalloc_array(n, sizeof(*values), GFP_KERNEL);
	if (!values)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		values[i] = i + 1;
	for (i = 0; i < n; i++)
		sum += values[i];
	kfree(values);
	return sum;
}
KG_FIXTURE("@NAME@_sum", @NAME@_sum);
