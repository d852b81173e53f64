/* SPDX-License-Identifier: GPL-2.0 */
/* How the host-operation files add their part to the table. */
#ifndef KG_HOST_OPS_INTERNAL_H
#define KG_HOST_OPS_INTERNAL_H

#include "kg_host.h"

void kg_host_sync_fill(struct kg_host_ops *ops);
void kg_host_sync_cleanup(void);
void kg_host_threads_fill(struct kg_host_ops *ops);
int kg_host_threads_cleanup(void);
void kg_host_timers_fill(struct kg_host_ops *ops);
void kg_host_timers_cleanup(void);
void kg_host_memory_fill(struct kg_host_ops *ops);
void kg_host_memory_cleanup(void);
void kg_host_disks_fill(struct kg_host_ops *ops);
void kg_host_disks_cleanup(void);
void kg_host_stdio_fill(struct kg_host_ops *ops);
unsigned long long kg_host_monotonic_ns(void);

/* The fork's steps (fork.c), in each file's part. */
void kg_host_fork_fill(struct kg_host_ops *ops);
void kg_host_sync_fork_prepare(void);
void kg_host_sync_fork_done(void);
void kg_host_timers_fork_prepare(void);
int kg_host_timers_fork_done(int child);
void kg_host_threads_fork_child(void);
int kg_host_disks_fork_prepare(void);
void kg_host_disks_fork_done(int child);

#endif
