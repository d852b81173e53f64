/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_PTRACE_H
#define _ASM_KGRIND_PTRACE_H

#ifndef __ASSEMBLY__

/* A system call made by a host thread, as the kernel sees its "registers". */
struct pt_regs {
	long syscall_nr;
	long args[6];
	long ret;
};

#define user_mode(regs)			(1)
#define instruction_pointer(regs)	(0UL)
#define user_stack_pointer(regs)	(0UL)
#define profile_pc(regs)		instruction_pointer(regs)
#define arch_has_single_step()		(0)

#endif

#endif
