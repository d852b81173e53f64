/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_IRQ_H
#define _ASM_KGRIND_IRQ_H

#define NR_IRQS CONFIG_KGRIND_MAX_IRQS

#include <asm-generic/irq.h>

#endif
