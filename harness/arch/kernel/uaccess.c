// SPDX-License-Identifier: GPL-2.0
/* Copies between the kernel and its host caller's memory. */
#include <linux/string.h>
#include <linux/uaccess.h>

unsigned long raw_copy_from_user(void *to, const void __user *from,
				 unsigned long n)
{
	memcpy(to, (const void __force *)from, n);
	return 0;
}

unsigned long raw_copy_to_user(void __user *to, const void *from,
			       unsigned long n)
{
	memcpy((void __force *)to, from, n);
	return 0;
}
