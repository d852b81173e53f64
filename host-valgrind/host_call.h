/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KG_HOST_CALL_H
#define KG_HOST_CALL_H
/*
 * A system call made by kgrind's own code, from an instruction in this
 * library.  kgrind-run turns the program's and its libraries' call sites
 * into traps, never this library's: a wait made here is the host's, and
 * stays one even when it began before the patching (a restart, which
 * valgrind makes at the instruction, finds it unchanged).
 */
#include <linux/futex.h>
#include <time.h>

static inline long kg_host_call(long nr, const long *a)
{
	register long r10 asm("r10") = a[3];
	register long r8 asm("r8") = a[4];
	register long r9 asm("r9") = a[5];
	long ret;

	asm volatile("syscall"
		     : "=a"(ret)
		     : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
		     : "rcx", "r11", "memory");
	return ret;
}

/* Sleeps while *word is seen, until woken, or until the monotonic
 * deadline if there is one; -EINTR, -EAGAIN and -ETIMEDOUT are wake-ups. */
static inline long kg_futex_wait(unsigned int *word, unsigned int seen,
				 const struct timespec *deadline)
{
	const long a[6] = { (long)word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, seen,
			    (long)deadline, 0, FUTEX_BITSET_MATCH_ANY };

	return kg_host_call(202 /* futex */, a);
}

static inline void kg_futex_wake(unsigned int *word, int count)
{
	const long a[6] = { (long)word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, count };

	kg_host_call(202 /* futex */, a);
}

#endif
