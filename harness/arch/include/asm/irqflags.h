/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_IRQFLAGS_H
#define _ASM_KGRIND_IRQFLAGS_H

/*
 * Interrupt-enable state is a plain flag of the one CPU; turning it back
 * on runs the interrupts the host raised meanwhile.
 */
#define ARCH_IRQ_ENABLED	1
#define ARCH_IRQ_DISABLED	0

unsigned long arch_local_save_flags(void);
void arch_local_irq_restore(unsigned long flags);

#define arch_local_save_flags arch_local_save_flags
#define arch_local_irq_restore arch_local_irq_restore

#include <asm-generic/irqflags.h>

#endif
