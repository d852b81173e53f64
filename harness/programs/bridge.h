/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kgrind-run's bridge: a program's system calls, with the host's x86-64
 * numbers and layouts, served by the library kernel or by the host.
 */
#ifndef KG_BRIDGE_H
#define KG_BRIDGE_H

/* Installs the trap handler; 0 or a negative errno. */
int kg_bridge_start(void);
/* Each system call the kernel does not serve, with its count, to f. */
void kg_bridge_report(void *file);
/* Non-zero on a thread inside a served call, or one of kgrind's own. */
int kg_bridge_in_kgrind(void);
/* Called once, before the process ends (exit_group): halts the kernel. */
extern void (*kg_bridge_at_exit)(void);

#endif
