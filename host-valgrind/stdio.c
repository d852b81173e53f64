// SPDX-License-Identifier: GPL-2.0
/*
 * Host operations: a program's standard streams (kgrind-run), the
 * host's descriptors 0, 1 and 2, read and written for the kernel's files
 * of the same numbers (harness/arch/kernel/host_stdio.c).
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "host_ops_internal.h"

static long kg_stdio_io(int n, int write_, void *buf, unsigned long len)
{
	ssize_t done;

	do
		done = write_ ? write(n, buf, len) : read(n, buf, len);
	while (done < 0 && errno == EINTR);
	return done < 0 ? -errno : done;
}

static long kg_stdio_ioctl(int n, unsigned int cmd, void *arg)
{
	return ioctl(n, cmd, arg) < 0 ? -errno : 0;
}

void kg_host_stdio_fill(struct kg_host_ops *ops)
{
	ops->stdio_io = kg_stdio_io;
	ops->stdio_ioctl = kg_stdio_ioctl;
}
