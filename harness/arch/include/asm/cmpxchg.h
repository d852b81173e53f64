/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exchange and compare-exchange as real host atomics: host threads that
 * are not on the CPU (timers, system call entry) share a few words with
 * the kernel, and the compiler's atomics are cheaper than turning
 * interrupts off and on around plain accesses.
 */
#ifndef _ASM_KGRIND_CMPXCHG_H
#define _ASM_KGRIND_CMPXCHG_H

#define arch_xchg(ptr, x)						\
	__atomic_exchange_n((ptr), (__typeof__(*(ptr)))(x), __ATOMIC_SEQ_CST)

#define arch_cmpxchg(ptr, o, n)						\
({									\
	__typeof__(*(ptr)) __old = (o);					\
	__atomic_compare_exchange_n((ptr), &__old,			\
				    (__typeof__(*(ptr)))(n), false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	__old;								\
})

#define arch_cmpxchg_local	arch_cmpxchg
#define arch_cmpxchg64		arch_cmpxchg
#define arch_cmpxchg64_local	arch_cmpxchg

#endif
