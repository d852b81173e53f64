// SPDX-License-Identifier: GPL-2.0
/* Copies between the kernel and its host caller's memory. */
#include <linux/string.h>
#include <linux/uaccess.h>
#include <valgrind/memcheck.h>

/*
 * What the caller hands in is data to the kernel, defined, as KMSAN
 * takes copies from user space: a byte the caller never wrote (a
 * program's epoll_event.data) is the caller's bug, and handed back later
 * it is no leak of the kernel's.
 */
unsigned long raw_copy_from_user(void *to, const void __user *from,
				 unsigned long n)
{
	memcpy(to, (const void __force *)from, n);
	VALGRIND_MAKE_MEM_DEFINED(to, n);
	return 0;
}

/*
 * Everything the kernel hands to the host passes here (put_user too), so
 * this is where an infoleak shows: kernel bytes nobody wrote, such as a
 * structure's padding, reported with the copying kernel code's stack.
 */
unsigned long raw_copy_to_user(void __user *to, const void *from,
			       unsigned long n)
{
	VALGRIND_CHECK_MEM_IS_DEFINED(from, n);
	memcpy((void __force *)to, from, n);
	return 0;
}

/*
 * Strings are read a byte at a time, never past their NUL: the generic
 * word-at-a-time versions read the caller's bytes after the string, and
 * memcheck rightly calls a decision on them uninitialised.
 */
static long kgrind_user_span(const char __user *src, long count)
{
	unsigned long addr = (unsigned long)src;

	if (count <= 0 || !access_ok(src, 1))
		return -EFAULT;
	if (count > TASK_SIZE - addr)
		count = TASK_SIZE - addr;
	return count;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	const char *s = (const char __force *)src;
	long span, i;

	if (count <= 0)
		return 0;
	span = kgrind_user_span(src, count);
	if (span < 0)
		return span;
	for (i = 0; i < span; i++) {
		dst[i] = s[i];
		if (!s[i])
			return i;
	}
	return i < count ? -EFAULT : count;
}

long strnlen_user(const char __user *src, long count)
{
	const char *s = (const char __force *)src;
	long span, i;

	span = kgrind_user_span(src, count);
	if (span < 0)
		return 0;
	for (i = 0; i < span; i++)
		if (!s[i])
			return i + 1;
	return i < count ? 0 : count + 1;
}
