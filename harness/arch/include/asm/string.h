/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_STRING_H
#define _ASM_KGRIND_STRING_H
/* A word at a time (arch/kgrind/kernel/string.c); the rest is lib/string.c. */
#define __HAVE_ARCH_MEMCPY
#define __HAVE_ARCH_MEMMOVE
#define __HAVE_ARCH_MEMSET
extern void *memcpy(void *dest, const void *src, size_t n);
extern void *memmove(void *dest, const void *src, size_t n);
extern void *memset(void *s, int c, size_t n);
#endif
