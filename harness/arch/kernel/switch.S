/* SPDX-License-Identifier: GPL-2.0 */
/*
 * void kgrind_switch_stack(unsigned long *save_sp, unsigned long load_sp)
 *
 * Saves the callee-saved registers on the current stack and the stack
 * pointer in *save_sp, then loads load_sp and returns into whatever
 * saved itself there (or into the first frame kgrind_context_prepare()
 * laid out).  The caller-saved registers are the C caller's to keep.
 */
	.text
	.globl	kgrind_switch_stack
	.type	kgrind_switch_stack, @function
kgrind_switch_stack:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	kgrind_switch_stack, .-kgrind_switch_stack
	.section .note.GNU-stack,"",@progbits
