// SPDX-License-Identifier: GPL-2.0
/*
 * memcpy, memmove and memset a word at a time.  lib/string.c's go a byte
 * at a time, and the kernel's page cache, sockets and disk copies spent
 * a fifth of their time there.  Words are read and written unaligned
 * (the host allows it), and only within the given bounds.
 */
#include <linux/export.h>
#include <linux/init.h>
#include <linux/string.h>
#include <linux/types.h>
#include <valgrind/valgrind.h>
#include <asm/kgrind.h>

typedef unsigned long __attribute__((__may_alias__, __aligned__(1))) kg_word;

/*
 * Natively, large copies and fills use the host CPU's string instructions
 * (x86-64 fast "rep movsb"/"rep stosb"), twice as fast on page-sized and
 * larger buffers.  Valgrind runs those a byte per step, so under memcheck
 * the word loops serve (kgrind_fast_strings stays false).
 */
static bool kgrind_fast_strings;
#define KG_FAST_STRING_MIN	512

void __init kgrind_strings_init(void)
{
	kgrind_fast_strings = !RUNNING_ON_VALGRIND;
}

void *memcpy(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

#ifdef __x86_64__
	if (n >= KG_FAST_STRING_MIN && kgrind_fast_strings) {
		asm volatile("rep movsb"
			     : "+D" (d), "+S" (s), "+c" (n) : : "memory");
		return dest;
	}
#endif
	for (; n >= 4 * sizeof(long); n -= 4 * sizeof(long)) {
		kg_word a = ((const kg_word *)s)[0], b = ((const kg_word *)s)[1];
		kg_word c = ((const kg_word *)s)[2], e = ((const kg_word *)s)[3];

		((kg_word *)d)[0] = a;
		((kg_word *)d)[1] = b;
		((kg_word *)d)[2] = c;
		((kg_word *)d)[3] = e;
		d += 4 * sizeof(long);
		s += 4 * sizeof(long);
	}
	for (; n >= sizeof(long); n -= sizeof(long)) {
		*(kg_word *)d = *(const kg_word *)s;
		d += sizeof(long);
		s += sizeof(long);
	}
	while (n--)
		*d++ = *s++;
	return dest;
}
EXPORT_SYMBOL(memcpy);

void *memmove(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dest, src, n);
	/* Overlapping, dest above src: from the end down. */
	d += n;
	s += n;
	for (; n >= sizeof(long); n -= sizeof(long)) {
		d -= sizeof(long);
		s -= sizeof(long);
		*(kg_word *)d = *(const kg_word *)s;
	}
	while (n--)
		*--d = *--s;
	return dest;
}
EXPORT_SYMBOL(memmove);

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	unsigned long word = 0x0101010101010101UL * (unsigned char)c;

#ifdef __x86_64__
	if (n >= KG_FAST_STRING_MIN && kgrind_fast_strings) {
		asm volatile("rep stosb"
			     : "+D" (p), "+c" (n) : "a" (c) : "memory");
		return s;
	}
#endif
	for (; n >= 4 * sizeof(long); n -= 4 * sizeof(long)) {
		((kg_word *)p)[0] = word;
		((kg_word *)p)[1] = word;
		((kg_word *)p)[2] = word;
		((kg_word *)p)[3] = word;
		p += 4 * sizeof(long);
	}
	for (; n >= sizeof(long); n -= sizeof(long)) {
		*(kg_word *)p = word;
		p += sizeof(long);
	}
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}
EXPORT_SYMBOL(memset);
