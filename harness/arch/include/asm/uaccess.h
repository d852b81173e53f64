/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_UACCESS_H
#define _ASM_KGRIND_UACCESS_H

/*
 * "User" memory is the host caller's memory in the same address space.
 * Copies are out of line so that one place sees every byte the kernel
 * hands to the host or takes from it.
 */
#define KGRIND_USER_MIN		0x10000UL

static inline int __access_ok(const void __user *ptr, unsigned long size)
{
	unsigned long addr = (unsigned long)ptr;

	return addr >= KGRIND_USER_MIN && size <= TASK_SIZE &&
	       addr <= TASK_SIZE - size;
}
#define __access_ok __access_ok

unsigned long raw_copy_from_user(void *to, const void __user *from,
				 unsigned long n);
unsigned long raw_copy_to_user(void __user *to, const void *from,
			       unsigned long n);

#define __get_kernel_nofault(dst, src, type, err_label)			\
do {									\
	*((type *)(dst)) = get_unaligned((type *)(src));		\
	if (0)								\
		goto err_label;						\
} while (0)

#define __put_kernel_nofault(dst, src, type, err_label)			\
do {									\
	put_unaligned(*((type *)(src)), (type *)(dst));			\
	if (0)								\
		goto err_label;						\
} while (0)

#include <linux/unaligned.h>
#include <asm/processor.h>
#include <asm-generic/uaccess.h>

#endif
