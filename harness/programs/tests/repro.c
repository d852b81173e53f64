// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind-run's own test program, written the way syzkaller writes a C
 * reproducer: raw syscall() with x86-64 numbers, the calls' data in
 * memory mapped at the fixed addresses reproducers use (0x20000000, and
 * 0x200000000000 as newer ones do), the calls made from two threads.
 * It passes when every call got what a kernel gives; it prints TAP.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "tap.h"

/* The calls of one reproducer, its data at base. */
static long repro(uintptr_t base)
{
	long fd, n;

	memcpy((void *)(base + 0x000), "/tmp/repro\0", 11);
	memcpy((void *)(base + 0x040), "./file0\0", 8);
	memcpy((void *)(base + 0x080), "syzkaller", 9);
	/* mkdir, openat(O_RDWR|O_CREAT) under it, write, statx, getdents64 */
	if (syscall(__NR_mkdir, base, 0777) && syscall(__NR_access, base, 0))
		return -1;
	fd = syscall(__NR_openat, -100, base, 0x10000 /* O_DIRECTORY */, 0);
	n = syscall(__NR_openat, fd, base + 0x40, 0x42, 0644);
	if (fd < 0 || n < 0 || syscall(__NR_write, n, base + 0x80, 9) != 9)
		return -2;
	if (syscall(__NR_statx, fd, base + 0x40, 0, 0x7ff, base + 0x100) ||
	    *(uint64_t *)(base + 0x100 + 40) != 9)	/* stx_size */
		return -3;
	if (syscall(__NR_getdents64, fd, base + 0x400, 0x400) <= 0)
		return -4;
	syscall(__NR_close, n);
	syscall(__NR_close, fd);
	return 0;
}

static void *repro_thread(void *base)
{
	return (void *)repro((uintptr_t)base);
}

int main(void)
{
	pthread_t thread;
	void *result = (void *)-1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..4\n");
	check(syscall(__NR_mmap, 0x1ffff000ul, 0x1000ul, 0ul, 0x32ul, -1, 0ul) == 0x1ffff000 &&
	      syscall(__NR_mmap, 0x20000000ul, 0x1000000ul, 7ul, 0x32ul, -1, 0ul) == 0x20000000 &&
	      syscall(__NR_mmap, 0x21000000ul, 0x1000ul, 0ul, 0x32ul, -1, 0ul) == 0x21000000,
	      "fixed_mappings_at_0x20000000");
	check(repro(0x20000000) == 0, "calls_with_data_at_0x20000000");
	check(syscall(__NR_mmap, 0x200000000000ul, 0x1000000ul, 7ul, 0x32ul, -1, 0ul) ==
	      0x200000000000, "fixed_mapping_at_0x200000000000");
	check(!pthread_create(&thread, NULL, repro_thread, (void *)0x200000000000ul) &&
	      !pthread_join(thread, &result) && result == 0,
	      "calls_from_a_thread_with_data_at_0x200000000000");
	return tap_failed ? 1 : 0;
}
