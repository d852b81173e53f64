// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of a program's system call: run on the host, and under
 * kgrind-run, where each call traps to the bridge.  getpid() through the
 * C library is the host's in both (the bridge's own cost); a 4 KiB pread
 * of a file in /tmp is the host's tmpfs, or the library kernel's.
 * Usage: bridge_cost [ITERATIONS]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, i;
	char path[] = "/tmp/bridge_cost.XXXXXX", buf[4096];
	volatile long sink = 0;
	double start;
	int fd;

	fd = mkstemp(path);
	memset(buf, 'k', sizeof(buf));
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf)) {
		perror("bridge_cost: a file in /tmp");
		return 1;
	}
	unlink(path);
	start = now_ns();
	for (i = 0; i < n; i++)
		sink += getpid();
	printf("getpid through the C library: %.2f us/call\n", (now_ns() - start) / n / 1000);
	start = now_ns();
	for (i = 0; i < n; i++)
		sink += pread(fd, buf, sizeof(buf), 0);
	printf("4 KiB pread of a /tmp file: %.2f us/call\n", (now_ns() - start) / n / 1000);
	close(fd);
	return sink == 0;
}
