// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind's benchmark (make bench), never a test.
 *   kgbench boot [calls]   time kg_boot to the first system call, then the
 *                          median getpid round trip over [calls] calls,
 *                          and calls/5 context switches;
 *                          the kernel's RAM and the process's memory
 *   kgbench peak cmd...    run cmd and print its peak resident memory
 *   kgbench io [dir]       64 MiB through ext4 on an image in dir (default
 *                          $TMPDIR or /tmp) and 64 MiB over TCP on
 *                          loopback, each against the host doing the same
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kgrind.h"
#include "kgbench.h"

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* A "Vm...:" line of /proc/self/status, in KiB. */
static long status_kb(const char *field)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			kb = atol(line + strlen(field));
	if (f)
		fclose(f);
	return kb;
}

static void print_memory(const char *when)
{
	struct kg_mem_stats st;

	if (kg_mem_stats(&st))
		return;
	printf("kernel RAM %s: boot %.1f MiB + memmap %.1f MiB, grew %lu times by %.1f MiB (cap %.0f MiB), peak in use %.1f MiB\n",
	       when, st.boot / 1048576.0, st.memmap / 1048576.0, st.growths,
	       st.added / 1048576.0, st.cap / 1048576.0, st.peak_used / 1048576.0);
	printf("process memory %s: resident %.1f MiB, peak %.1f MiB\n", when,
	       status_kb("VmRSS:") / 1024.0, status_kb("VmHWM:") / 1024.0);
}

/* Between the caller's task and a kernel thread, and between two kernel
 * threads, through completions. */
static void print_switches(long calls)
{
	long rounds = calls / 10 ? calls / 10 : 1;
	long ns = kg_call("boot_switch_ping_pong", rounds);

	if (ns > 0)
		printf("context switch (%ld between a task and a kernel thread): %.2f us\n",
		       2 * rounds, ns / 2e3 / rounds);
	ns = kg_call("boot_kthread_ping_pong", rounds);
	if (ns > 0)
		printf("context switch (%ld between two kernel threads): %.2f us\n",
		       2 * rounds, ns / 2e3 / rounds);
}

/* What a process has written of its own since it was forked (kB). */
static long private_dirty_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Private_Dirty: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/*
 * kg_fork: until the parent has its child's pid, and the whole round
 * trip of a child that makes one system call and ends; then the memory
 * a child of its own makes a copy of, making a system call.
 */
static void print_forks(int count)
{
	unsigned long long *fork_ns = calloc(count, sizeof(*fork_ns));
	unsigned long long *trip_ns = calloc(count, sizeof(*trip_ns));
	int i, status, done = 0;

	for (i = 0; fork_ns && trip_ns && i < count; i++, done++) {
		unsigned long long t0 = now_ns();
		long pid = kg_fork();

		if (pid == 0) {
			kg_getpid();
			kg_child_exit(0);
		}
		if (pid < 0)
			break;
		fork_ns[i] = now_ns() - t0;
		if (waitpid(pid, &status, 0) != pid || status)
			break;
		trip_ns[i] = now_ns() - t0;
	}
	if (done == count) {
		int fds[2];
		long kb = -1;

		qsort(fork_ns, count, sizeof(*fork_ns), cmp_ull);
		qsort(trip_ns, count, sizeof(*trip_ns), cmp_ull);
		printf("kg_fork (median of %d): %.2f ms; with the child's system call and exit: %.2f ms\n",
		       count, fork_ns[count / 2] / 1e6, trip_ns[count / 2] / 1e6);
		if (!pipe(fds) && kg_fork() == 0) {
			kg_getpid();
			kb = private_dirty_kb();
			if (write(fds[1], &kb, sizeof(kb)) != sizeof(kb))
				kg_child_exit(1);
			kg_child_exit(0);
		}
		if (read(fds[0], &kb, sizeof(kb)) == sizeof(kb) && kb >= 0)
			printf("a child's own memory after a system call (Private_Dirty): %.1f MiB\n",
			       kb / 1024.0);
		wait(NULL);
	} else {
		printf("kg_fork: failed after %d forks\n", done);
	}
	free(fork_ns);
	free(trip_ns);
}

static int bench_boot(long calls)
{
	unsigned long long start, booted, first, *lat;
	long i, pid;

	start = now_ns();
	if (kg_boot(NULL)) {
		fprintf(stderr, "kgbench: boot failed\n");
		return 1;
	}
	booted = now_ns();
	pid = kg_getpid();
	first = now_ns();
	printf("boot to kg_boot return:   %8.1f ms\n", (booted - start) / 1e6);
	printf("boot to first syscall:    %8.1f ms\n", (first - start) / 1e6);
	print_memory("after boot");

	lat = calloc(calls, sizeof(*lat));
	if (!lat || pid <= 0)
		return 1;
	for (i = 0; i < calls; i++) {
		unsigned long long t0 = now_ns();

		kg_getpid();
		lat[i] = now_ns() - t0;
	}
	qsort(lat, calls, sizeof(*lat), cmp_ull);
	printf("getpid round trip (median of %ld): %.2f us (p90 %.2f us)\n",
	       calls, lat[calls / 2] / 1e3, lat[calls * 9 / 10] / 1e3);
	free(lat);
	print_switches(calls);
	print_forks(calls >= 10000 ? 100 : 10);
	print_memory("after the calls");
	return kg_halt() ? 1 : 0;
}

static int bench_peak(char **argv)
{
	struct rusage ru;
	int status;
	pid_t child = fork();

	if (child == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (child < 0 || wait4(child, &status, 0, &ru) < 0)
		return 1;
	printf("peak resident memory:     %8.1f MiB (exit status %d)\n",
	       ru.ru_maxrss / 1024.0, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int bench_io(const char *dir)
{
	struct kg_boot_options options = { .mem_max = 512UL << 20 };
	int err;

	if (kg_boot(&options)) {
		fprintf(stderr, "kgbench: boot failed\n");
		return 1;
	}
	err = bench_ext4(dir) | bench_tcp();
	return kg_halt() || err;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "boot"))
		return bench_boot(argc >= 3 ? atol(argv[2]) : 100000);
	if (argc >= 3 && !strcmp(argv[1], "peak"))
		return bench_peak(argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "io"))
		return bench_io(argc >= 3 ? argv[2] :
				getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fprintf(stderr, "usage: kgbench boot [calls] | kgbench peak cmd... | kgbench io [dir]\n");
	return 2;
}
