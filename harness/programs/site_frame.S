/* SPDX-License-Identifier: GPL-2.0 */
/*
 * long kg_call_at_site(const greg_t *gregs, long (*fn)(void *), void *arg)
 *
 * Calls fn(arg) in a frame whose unwind rules say its caller is the
 * program's system call site: the registers the trap saved in gregs.  A
 * stack memcheck (or gdb) takes inside the served call then goes on
 * below the trap into the program, instead of ending at the signal
 * frame, which neither can unwind.
 *
 * Only rsp, rbp and rip matter to valgrind's unwinder, and its CFI
 * expressions may only use those registers: the gregs pointer is kept
 * at 0(%rsp), and each rule reads the saved register through it.
 */
#define REG_OFF_RBP 80		/* gregs[REG_RBP], in bytes */
#define REG_OFF_RSP 120		/* gregs[REG_RSP] */
#define REG_OFF_RIP 128		/* gregs[REG_RIP] */

#define DW_CFA_def_cfa_expression	0x0f
#define DW_CFA_val_expression		0x16
#define DW_OP_breg7_rsp			0x77
#define DW_OP_deref			0x06
#define DW_OP_plus_uconst		0x23

	.text
	.globl kg_call_at_site
	.hidden kg_call_at_site
	.type kg_call_at_site, @function
kg_call_at_site:
	.cfi_startproc
	.cfi_remember_state
	push %rdi
	/* CFA = gregs[REG_RSP] */
	.cfi_escape DW_CFA_def_cfa_expression, 6, DW_OP_breg7_rsp, 0, DW_OP_deref, \
		DW_OP_plus_uconst, REG_OFF_RSP, DW_OP_deref
	/* rip (16) = gregs[REG_RIP]; 128 is two bytes of ULEB128 */
	.cfi_escape DW_CFA_val_expression, 16, 7, DW_OP_breg7_rsp, 0, DW_OP_deref, \
		DW_OP_plus_uconst, 0x80, 0x01, DW_OP_deref
	/* rbp (6) = gregs[REG_RBP] */
	.cfi_escape DW_CFA_val_expression, 6, 6, DW_OP_breg7_rsp, 0, DW_OP_deref, \
		DW_OP_plus_uconst, REG_OFF_RBP, DW_OP_deref
	mov %rdx, %rdi
	call *%rsi
	add $8, %rsp
	.cfi_restore_state
	ret
	.cfi_endproc
	.size kg_call_at_site, . - kg_call_at_site

	.section .note.GNU-stack, "", @progbits
