// SPDX-License-Identifier: GPL-2.0
/*
 * make kselftest's self-test: a program written as kselftests are (the
 * tree's kselftest_harness.h, each TEST in a forked child), whose tests
 * reach kernel fixtures that commit a bug (/proc/kgrind-fixture), beside
 * clean tests.  Under memcheck exactly the bad ones must fail, each for
 * its reason (expected.txt beside it); natively the warning and the crash.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "kselftest_harness.h"

/* Runs a kernel fixture: the write's result. */
static long fixture(const char *call)
{
	int fd = open("/proc/kgrind-fixture", O_WRONLY);
	long ret;

	if (fd < 0)
		return -1;
	ret = write(fd, call, strlen(call));
	close(fd);
	return ret;
}

static void read_version(struct __test_metadata *_metadata)
{
	char buf[64] = "";
	int fd = open("/proc/version", O_RDONLY);

	ASSERT_GE(fd, 0);
	ASSERT_GT(read(fd, buf, sizeof(buf) - 1), 0);
	EXPECT_EQ(0, strncmp(buf, "Linux version", 13));
	close(fd);
}

TEST(clean_before)
{
	read_version(_metadata);
}

TEST(read_past_kmalloc)
{
	EXPECT_GT(fixture("selftest_read_past_kmalloc 0"), 0);
}

TEST(branch_on_uninit)
{
	EXPECT_GT(fixture("kmalloc_uninit 0"), 0);
}

TEST(leak)
{
	EXPECT_GT(fixture("kmalloc_leak 0"), 0);
}

TEST(warns)
{
	EXPECT_GT(fixture("selftest_warn 0"), 0);
}

TEST(crash)
{
	/* A bad kernel pointer: without an MMU the process dies. */
	fixture("selftest_bad_pointer 16");
}

TEST(clean_after_crash)
{
	read_version(_metadata);
}

TEST_HARNESS_MAIN
