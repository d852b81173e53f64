// SPDX-License-Identifier: GPL-2.0
/*
 * The host's part of kg_fork(): the kernel calls it from its forking
 * task with every context saved in memory.  What the host's own threads
 * hold is made quiet first (the timer thread outside its callback, every
 * mutex the kernel made held), so that the child gets no lock a missing
 * thread holds.  In the child only the calling thread exists: the
 * threads the kernel made are forgotten, and the timer thread starts
 * again.  Disk images stay as they were at the fork: each side writes
 * chunks of its own from then on (disks.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "host_ops_internal.h"

long (*kg_host_fork_call)(void);

/* A child that cannot run its copy safely ends before the kernel runs. */
static void __attribute__((noreturn)) kg_fatal_in_child(const char *why)
{
	fprintf(stderr, "%s\n", why);
	_exit(127);
}

static long kg_fork(void)
{
	pid_t pid;
	int err;

	if (kg_host_disks_fork_prepare())
		return -ENOMEM;
	kg_host_timers_fork_prepare();
	kg_host_sync_fork_prepare();
	if (kg_host_fork_call) {
		long ret = kg_host_fork_call();

		pid = ret < 0 ? -1 : ret;
		err = ret < 0 ? -ret : 0;
	} else {
		pid = fork();
		err = errno;
	}
	kg_host_sync_fork_done();
	kg_host_disks_fork_done(pid == 0);
	if (kg_host_timers_fork_done(pid == 0) && pid == 0)
		kg_fatal_in_child("kgrind: no timer thread in the forked child");
	if (pid < 0)
		return -err;
	if (pid == 0)
		kg_host_threads_fork_child();
	return pid;
}

void kg_host_fork_fill(struct kg_host_ops *ops)
{
	ops->fork = kg_fork;
}
