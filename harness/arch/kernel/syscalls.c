// SPDX-License-Identifier: GPL-2.0
/*
 * The asm-generic system call table, called with plain arguments: each
 * sys_* is an alias of a wrapper taking longs (see SYSCALL_DEFINEx).
 */
#include <linux/syscalls.h>
#include <linux/mm.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len,
		unsigned long, prot, unsigned long, flags,
		unsigned long, fd, off_t, offset)
{
	if (offset & ~PAGE_MASK)
		return -EINVAL;
	return ksys_mmap_pgoff(addr, len, prot, flags, fd,
			       offset >> PAGE_SHIFT);
}

/* Host threads take no signals, so there is no frame to return from. */
SYSCALL_DEFINE0(rt_sigreturn)
{
	return -ENOSYS;
}

#undef __SYSCALL
#define __SYSCALL(nr, call)	[nr] = (syscall_fn_t)(call),
#define __SYSCALL_WITH_COMPAT(nr, native, compat)	__SYSCALL(nr, native)

const syscall_fn_t sys_call_table[NR_syscalls] = {
	[0 ... NR_syscalls - 1] = (syscall_fn_t)sys_ni_syscall,
#include <asm/syscall_table_64.h>
};
