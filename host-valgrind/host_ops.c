// SPDX-License-Identifier: GPL-2.0
/* The host-operations table, and returning everything at halt. */
#include <sys/random.h>
#include <string.h>
#include "host_ops_internal.h"

static void kg_entropy(void *buf, unsigned long len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n <= 0) {	/* no host entropy: the kernel gathers its own */
			memset(p, 0, len);
			return;
		}
		p += n;
		len -= n;
	}
}

void kg_host_ops_fill(struct kg_host_ops *ops)
{
	ops->entropy = kg_entropy;
	kg_host_sync_fill(ops);
	kg_host_threads_fill(ops);
	kg_host_timers_fill(ops);
	kg_host_memory_fill(ops);
	kg_host_disks_fill(ops);
	kg_host_fork_fill(ops);
	kg_host_stdio_fill(ops);
}

int kg_host_cleanup(void)
{
	int stuck = kg_host_threads_cleanup();

	kg_host_timers_cleanup();
	if (stuck)
		return stuck;	/* stuck threads may still use the rest */
	kg_host_sync_cleanup();
	kg_host_memory_cleanup();
	kg_host_disks_cleanup();
	return 0;
}
