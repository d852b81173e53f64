/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether the library kernel is down, running or halted: set by kg_boot()
 * and kg_halt() (kgrind.c), read by whoever must not call a kernel that
 * is not running (kg_is_running(), kgrind.h).  A leaf.
 */
#ifndef KG_KERNEL_STATE_H
#define KG_KERNEL_STATE_H

enum kg_kernel_state { KG_DOWN, KG_RUNNING, KG_HALTED };

enum kg_kernel_state kg_kernel_state(void);
void kg_kernel_state_set(enum kg_kernel_state state);

#endif
