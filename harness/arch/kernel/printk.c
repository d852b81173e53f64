// SPDX-License-Identifier: GPL-2.0
/*
 * An uninitialised value printed is reported once, where it is
 * formatted, and stays out of the ring buffer (patch 0006 calls these
 * around vprintk_store()'s formatting).
 *
 * vprintk_store() formats a record twice: to measure it, then into the
 * ring buffer.  Memcheck reports the first pass's decision on the value
 * (a branch in vsprintf's number() or string()).  The digits and the
 * length made from it stay undefined, and would flow into the record's
 * length, the ring buffer's positions and every later record: each
 * later printk, and the tests that made them, would be reported again.
 * So the second pass is quiet (it repeats the first), and what each pass
 * made, the length and the text, is then taken as defined.  If neither
 * pass reported anything, what they made is checked first: a value that
 * no branch looked at (a char printed with %c) is reported here, in the
 * printk's stack.  Memcheck's count of errors tells what was reported.
 * Natively each call is a few instructions.
 */
#include <linux/printk.h>
#include <valgrind/memcheck.h>

unsigned long arch_printk_format_begin(void)
{
	return VALGRIND_COUNT_ERRORS;
}

void arch_printk_formatted(unsigned long *seen, const void *out, size_t size)
{
	if (VALGRIND_COUNT_ERRORS == *seen)
		VALGRIND_CHECK_MEM_IS_DEFINED(out, size);
	VALGRIND_MAKE_MEM_DEFINED(out, size);
}

unsigned long arch_printk_format_quiet_begin(void)
{
	VALGRIND_DISABLE_ERROR_REPORTING;
	return VALGRIND_COUNT_ERRORS;
}

void arch_printk_format_quiet_end(unsigned long *seen, unsigned long quiet)
{
	unsigned long now = VALGRIND_COUNT_ERRORS;

	VALGRIND_ENABLE_ERROR_REPORTING;
	/* What the quiet pass met, if counted, is the first pass's again. */
	if (*seen == quiet)
		*seen = now;
}
