// SPDX-License-Identifier: GPL-2.0
/*
 * The chardev suite: the kernel's memory devices (/dev/null, zero, full,
 * urandom) through devtmpfs and through mknod on tmpfs, and the fixture
 * driver of chardev_fixtures.c (a ring buffer with blocking reads and
 * writes, poll and ioctls; a seekable buffer; a misc device) from
 * registration to clean unregistration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "kgrind.h"
#include "kg_suite.h"
#include "kgring.h"

#define RING "/tmp/kgring"
#define MEM "/tmp/kgmem"

static int kgring_major;

static int open_or_fail(const char *path, int flags)
{
	long fd = kg_open(path, flags, 0);

	CU_ASSERT_FATAL(fd >= 0);
	return (int)fd;
}

static void host_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The revents of one poll of fd, or a negative errno. */
static long poll_one(int fd, short events, long timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	long n = kg_ppoll(&p, 1, &ts);

	return n < 0 ? n : n == 0 ? 0 : p.revents;
}

/* The number a line "number name" of path gives name, or -1. */
static long listed_number(const char *path, const char *name)
{
	char text[8192], *line, *end;
	long number;

	if (kg_read_file(path, text, sizeof(text)) < 0)
		return -1;
	for (line = text; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		number = strtol(line, &line, 10);
		while (*line == ' ')
			line++;
		if (!strcmp(line, name))
			return number;
	}
	return -1;
}

/* True if the kernel file at path has a line that reads number name. */
static int lists(const char *path, long number, const char *name)
{
	return listed_number(path, name) == number;
}

/* The memory devices ---------------------------------------------------- */

static void check_char_node(const char *path, unsigned int major_nr,
			    unsigned int minor_nr)
{
	struct kg_stat st = { 0 };

	CU_ASSERT_EQUAL_FATAL(kg_stat(path, &st), 0);
	CU_ASSERT(S_ISCHR(st.st_mode));
	CU_ASSERT_EQUAL(major(st.st_rdev), major_nr);
	CU_ASSERT_EQUAL(minor(st.st_rdev), minor_nr);
}

static void test_devtmpfs_memory_nodes(void)
{
	check_char_node("/dev/null", 1, 3);
	check_char_node("/dev/zero", 1, 5);
	check_char_node("/dev/full", 1, 7);
	check_char_node("/dev/urandom", 1, 9);
}

static void test_proc_devices_lists_mem(void)
{
	CU_ASSERT(lists("/proc/devices", 1, "mem"));
	CU_ASSERT(lists("/proc/devices", 10, "misc"));
}

static void test_mknod_null_on_tmpfs(void)
{
	char buf[16];
	int fd;

	CU_ASSERT_EQUAL_FATAL(kg_mknod("/tmp/null", S_IFCHR | 0666, makedev(1, 3)), 0);
	check_char_node("/tmp/null", 1, 3);
	fd = open_or_fail("/tmp/null", O_RDWR);
	CU_ASSERT_EQUAL(kg_write(fd, "gone", 4), 4);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 0);
	kg_close(fd);
	CU_ASSERT_EQUAL(kg_mknod("/tmp/null", S_IFCHR | 0666, makedev(1, 3)), -EEXIST);
	CU_ASSERT_EQUAL(kg_unlink("/tmp/null"), 0);
}

static void test_null_swallows_writes(void)
{
	static char block[65536];
	int fd = open_or_fail("/dev/null", O_WRONLY);

	memset(block, 'n', sizeof(block));
	CU_ASSERT_EQUAL(kg_write(fd, block, sizeof(block)), (long)sizeof(block));
	CU_ASSERT_EQUAL(kg_lseek(fd, 12345, SEEK_SET), 0);	/* null_lseek */
	kg_close(fd);
}

static void test_null_reads_end_of_file(void)
{
	char buf[64];
	int fd = open_or_fail("/dev/null", O_RDONLY);

	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 0);
	kg_close(fd);
}

static void test_zero_reads_zeros(void)
{
	static unsigned char buf[65536];
	size_t i, bad = 0;
	int fd = open_or_fail("/dev/zero", O_RDONLY);

	memset(buf, 0xff, sizeof(buf));
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), (long)sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		bad += buf[i] != 0;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(kg_write(fd, "x", 1), -EBADF);	/* opened read-only */
	kg_close(fd);
}

static void test_zero_takes_writes(void)
{
	int fd = open_or_fail("/dev/zero", O_WRONLY);

	CU_ASSERT_EQUAL(kg_write(fd, "zero", 4), 4);
	kg_close(fd);
}

static void test_full_write_is_enospc(void)
{
	int fd = open_or_fail("/dev/full", O_WRONLY);

	CU_ASSERT_EQUAL(kg_write(fd, "full", 4), -ENOSPC);
	kg_close(fd);
}

static void test_full_reads_zeros(void)
{
	unsigned char buf[512];
	int fd = open_or_fail("/dev/full", O_RDONLY);

	memset(buf, 0xaa, sizeof(buf));
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), (long)sizeof(buf));
	CU_ASSERT(buf[0] == 0 && buf[sizeof(buf) - 1] == 0 &&
		  !memcmp(buf, buf + 1, sizeof(buf) - 1));
	kg_close(fd);
}

static void test_urandom_reads_random_bytes(void)
{
	unsigned char a[256], b[256];
	int fd = open_or_fail("/dev/urandom", O_RDONLY);
	size_t i, zeros = 0;

	CU_ASSERT_EQUAL(kg_read(fd, a, sizeof(a)), (long)sizeof(a));
	CU_ASSERT_EQUAL(kg_read(fd, b, sizeof(b)), (long)sizeof(b));
	CU_ASSERT(memcmp(a, b, sizeof(a)) != 0);
	for (i = 0; i < sizeof(a); i++)
		zeros += a[i] == 0;
	CU_ASSERT(zeros < 32);	/* about 1 in 256 expected */
	kg_close(fd);
}

/* The fixture driver ---------------------------------------------------- */

static void test_proc_devices_lists_driver(void)
{
	CU_ASSERT(lists("/proc/devices", kgring_major, KGRING_NAME));
}

static void test_nodes_have_driver_numbers(void)
{
	check_char_node(RING, kgring_major, KGRING_MINOR);
	check_char_node(MEM, kgring_major, KGMEM_MINOR);
}

static void test_ring_write_then_read(void)
{
	char buf[32] = "";
	int fd = open_or_fail(RING, O_RDWR);

	CU_ASSERT_EQUAL(kg_write(fd, "hello, ring", 11), 11);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 11);
	CU_ASSERT_NSTRING_EQUAL(buf, "hello, ring", 11);
	kg_close(fd);
}

static void test_ring_partial_reads(void)
{
	char buf[8] = "";
	int fd = open_or_fail(RING, O_RDWR);

	CU_ASSERT_EQUAL(kg_write(fd, "0123456789", 10), 10);
	CU_ASSERT_EQUAL(kg_read(fd, buf, 4), 4);
	CU_ASSERT_NSTRING_EQUAL(buf, "0123", 4);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 6);
	CU_ASSERT_NSTRING_EQUAL(buf, "456789", 6);
	kg_close(fd);
}

static void test_ring_wraps_around(void)
{
	static char out[3000], in[3000];
	int fd = open_or_fail(RING, O_RDWR), round;
	size_t i;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < sizeof(out); i++)
			out[i] = (char)(i * 7 + round);
		CU_ASSERT_EQUAL(kg_write(fd, out, sizeof(out)), (long)sizeof(out));
		CU_ASSERT_EQUAL(kg_read(fd, in, sizeof(in)), (long)sizeof(in));
		CU_ASSERT(memcmp(in, out, sizeof(out)) == 0);
	}
	kg_close(fd);
}

static void test_ring_empty_read_nonblock_eagain(void)
{
	char c;
	int fd = open_or_fail(RING, O_RDONLY | O_NONBLOCK);

	CU_ASSERT_EQUAL(kg_read(fd, &c, 1), -EAGAIN);
	kg_close(fd);
}

static void set_limit(int fd, unsigned int limit)
{
	CU_ASSERT_EQUAL(kg_ioctl(fd, KGRING_SET_LIMIT, (unsigned long)&limit), 0);
}

static void test_ring_full_write_nonblock_eagain(void)
{
	char buf[16];
	int fd = open_or_fail(RING, O_RDWR | O_NONBLOCK);

	set_limit(fd, 16);
	CU_ASSERT_EQUAL(kg_write(fd, "0123456789abcdefXYZ", 19), 16);	/* short */
	CU_ASSERT_EQUAL(kg_write(fd, "!", 1), -EAGAIN);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 16);
	set_limit(fd, KGRING_SIZE);
	kg_close(fd);
}

struct ring_peer {
	int fd;
	const char *data;	/* writer: what to write; reader: NULL */
	long delay_ms;		/* before it acts */
	char buf[64];
	long result;
	int entered, done;
};

static void *ring_peer_run(void *arg)
{
	struct ring_peer *p = arg;

	__atomic_store_n(&p->entered, 1, __ATOMIC_RELEASE);
	host_sleep_ms(p->delay_ms);
	if (p->data)
		p->result = kg_write(p->fd, p->data, strlen(p->data));
	else
		p->result = kg_read(p->fd, p->buf, sizeof(p->buf));
	__atomic_store_n(&p->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Starts the peer and waits until it has had time to block in the kernel. */
static void start_peer(pthread_t *thread, struct ring_peer *peer)
{
	int waited;

	CU_ASSERT_EQUAL_FATAL(pthread_create(thread, NULL, ring_peer_run, peer), 0);
	for (waited = 0; waited < 5000 && !__atomic_load_n(&peer->entered, __ATOMIC_ACQUIRE);
	     waited += 10)
		host_sleep_ms(10);
	host_sleep_ms(100);
}

static void test_ring_blocking_read_woken_by_write(void)
{
	struct ring_peer reader = { .fd = open_or_fail(RING, O_RDWR) };
	int writer_fd = open_or_fail(RING, O_WRONLY);
	pthread_t thread;

	start_peer(&thread, &reader);
	CU_ASSERT_FALSE(__atomic_load_n(&reader.done, __ATOMIC_ACQUIRE));
	CU_ASSERT_EQUAL(kg_write(writer_fd, "wake up", 7), 7);
	pthread_join(thread, NULL);
	CU_ASSERT_EQUAL(reader.result, 7);
	CU_ASSERT_NSTRING_EQUAL(reader.buf, "wake up", 7);
	kg_close(writer_fd);
	kg_close(reader.fd);
}

static void test_ring_blocking_write_woken_by_read(void)
{
	struct ring_peer writer = { .data = "late" };
	int fd = open_or_fail(RING, O_RDWR);
	pthread_t thread;
	char buf[16] = "";

	writer.fd = open_or_fail(RING, O_WRONLY);
	set_limit(fd, 8);
	CU_ASSERT_EQUAL(kg_write(fd, "12345678", 8), 8);
	start_peer(&thread, &writer);
	CU_ASSERT_FALSE(__atomic_load_n(&writer.done, __ATOMIC_ACQUIRE));
	CU_ASSERT_EQUAL(kg_read(fd, buf, 8), 8);
	pthread_join(thread, NULL);
	CU_ASSERT_EQUAL(writer.result, 4);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 4);
	CU_ASSERT_NSTRING_EQUAL(buf, "late", 4);
	set_limit(fd, KGRING_SIZE);
	kg_close(writer.fd);
	kg_close(fd);
}

static void test_ring_poll_reports_state(void)
{
	char buf[4];
	int fd = open_or_fail(RING, O_RDWR);

	CU_ASSERT_EQUAL(poll_one(fd, POLLIN | POLLOUT, 0), POLLOUT);
	CU_ASSERT_EQUAL(kg_write(fd, "abcd", 4), 4);
	CU_ASSERT_EQUAL(poll_one(fd, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	set_limit(fd, 4);
	CU_ASSERT_EQUAL(poll_one(fd, POLLIN | POLLOUT, 0), POLLIN);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 4);
	set_limit(fd, KGRING_SIZE);
	kg_close(fd);
}

static void test_ring_poll_times_out(void)
{
	int fd = open_or_fail(RING, O_RDONLY);

	CU_ASSERT_EQUAL(poll_one(fd, POLLIN, 20), 0);
	kg_close(fd);
}

/* The write comes while the poll waits (or the poll would not be woken). */
static void test_ring_poll_woken_by_write(void)
{
	struct ring_peer writer = { .data = "poll", .delay_ms = 300 };
	int fd = open_or_fail(RING, O_RDWR);
	pthread_t thread;
	double start;
	char buf[8];

	if (kg_virtual_time()) {
		kg_close(fd);
		kg_test_skip("the writer comes after a host delay; in virtual time the poll times out first");
		return;
	}
	writer.fd = open_or_fail(RING, O_WRONLY);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&thread, NULL, ring_peer_run, &writer), 0);
	start = now_s();
	CU_ASSERT_EQUAL(poll_one(fd, POLLIN, 20000), POLLIN);
	/* At its timeout a poll looks once more: it must end well before. */
	CU_ASSERT(now_s() - start < 10);
	pthread_join(thread, NULL);
	CU_ASSERT_EQUAL(writer.result, 4);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 4);
	kg_close(writer.fd);
	kg_close(fd);
}

static unsigned int get_value(int fd, unsigned long request)
{
	unsigned int value = ~0u;

	CU_ASSERT_EQUAL(kg_ioctl(fd, request, (unsigned long)&value), 0);
	return value;
}

static void test_ring_ioctl_count(void)
{
	char buf[8];
	int fd = open_or_fail(RING, O_RDWR);

	CU_ASSERT_EQUAL(get_value(fd, KGRING_GET_COUNT), 0);
	CU_ASSERT_EQUAL(kg_write(fd, "12345", 5), 5);
	CU_ASSERT_EQUAL(get_value(fd, KGRING_GET_COUNT), 5);
	CU_ASSERT_EQUAL(kg_read(fd, buf, 2), 2);
	CU_ASSERT_EQUAL(get_value(fd, KGRING_GET_COUNT), 3);
	CU_ASSERT_EQUAL(kg_ioctl(fd, KGRING_RESET, 0), 0);
	CU_ASSERT_EQUAL(get_value(fd, KGRING_GET_COUNT), 0);
	kg_close(fd);
}

static void test_ring_open_and_release(void)
{
	int a = open_or_fail(RING, O_RDONLY), b = open_or_fail(RING, O_WRONLY);

	CU_ASSERT_EQUAL(get_value(a, KGRING_GET_OPENS), 2);
	kg_close(b);
	CU_ASSERT_EQUAL(get_value(a, KGRING_GET_OPENS), 1);
	kg_close(a);
}

static void test_ring_ioctl_bad_limit_einval(void)
{
	unsigned int zero = 0, too_big = KGRING_SIZE + 1;
	int fd = open_or_fail(RING, O_RDWR);

	CU_ASSERT_EQUAL(kg_ioctl(fd, KGRING_SET_LIMIT, (unsigned long)&zero), -EINVAL);
	CU_ASSERT_EQUAL(kg_ioctl(fd, KGRING_SET_LIMIT, (unsigned long)&too_big), -EINVAL);
	kg_close(fd);
}

static void test_ring_ioctl_unknown_enotty(void)
{
	int fd = open_or_fail(RING, O_RDWR);

	CU_ASSERT_EQUAL(kg_ioctl(fd, _IO(KGRING_IOC_MAGIC, 99), 0), -ENOTTY);
	CU_ASSERT_EQUAL(kg_ioctl(fd, _IOR('x', 1, int), 0), -ENOTTY);
	kg_close(fd);
}

static void test_ring_is_a_stream(void)
{
	char c;
	int fd = open_or_fail(RING, O_RDWR);

	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_SET), -ESPIPE);
	CU_ASSERT_EQUAL(kg_pread(fd, &c, 1, 0), -ESPIPE);
	CU_ASSERT_EQUAL(kg_pwrite(fd, "x", 1, 0), -ESPIPE);
	kg_close(fd);
}

static void test_mem_seek_and_read(void)
{
	char buf[8] = "";
	int fd = open_or_fail(MEM, O_RDWR);

	CU_ASSERT_EQUAL(kg_pwrite(fd, "abc", 3, 100), 3);
	CU_ASSERT_EQUAL(kg_lseek(fd, 100, SEEK_SET), 100);
	CU_ASSERT_EQUAL(kg_read(fd, buf, 3), 3);
	CU_ASSERT_NSTRING_EQUAL(buf, "abc", 3);
	CU_ASSERT_EQUAL(kg_lseek(fd, -2, SEEK_CUR), 101);
	CU_ASSERT_EQUAL(kg_read(fd, buf, 2), 2);
	CU_ASSERT_NSTRING_EQUAL(buf, "bc", 2);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_END), KGMEM_SIZE);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 0);
	CU_ASSERT_EQUAL(kg_pread(fd, buf, 2, 101), 2);
	CU_ASSERT_NSTRING_EQUAL(buf, "bc", 2);
	kg_close(fd);
}

static void test_mem_bad_seek_einval(void)
{
	int fd = open_or_fail(MEM, O_RDWR);

	CU_ASSERT_EQUAL(kg_lseek(fd, -1, SEEK_SET), -EINVAL);
	CU_ASSERT_EQUAL(kg_lseek(fd, KGMEM_SIZE + 1, SEEK_SET), -EINVAL);
	CU_ASSERT_EQUAL(kg_lseek(fd, 1, SEEK_END), -EINVAL);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, 7), -EINVAL);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_CUR), 0);	/* unmoved */
	kg_close(fd);
}

static void test_mem_write_past_end_enospc(void)
{
	int fd = open_or_fail(MEM, O_RDWR);

	CU_ASSERT_EQUAL(kg_pwrite(fd, "0123456789", 10, KGMEM_SIZE - 6), 6);
	CU_ASSERT_EQUAL(kg_pwrite(fd, "x", 1, KGMEM_SIZE), -ENOSPC);
	kg_close(fd);
}

static void test_misc_device(void)
{
	char buf[64] = "";
	long minor_nr = listed_number("/proc/misc", KGMISC_NAME);
	int fd;

	CU_ASSERT_FATAL(minor_nr >= 0);
	check_char_node("/dev/" KGMISC_NAME, 10, minor_nr);	/* made by devtmpfs */
	fd = open_or_fail("/dev/" KGMISC_NAME, O_RDONLY);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf) - 1), (long)strlen(KGMISC_TEXT));
	CU_ASSERT_STRING_EQUAL(buf, KGMISC_TEXT);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 0);
	kg_close(fd);
}

/* Major 120 is for local use and nobody's here. */
static void test_unregistered_major_enxio(void)
{
	CU_ASSERT_EQUAL_FATAL(kg_mknod("/tmp/nobody", S_IFCHR | 0600, makedev(120, 0)), 0);
	CU_ASSERT_EQUAL(kg_open("/tmp/nobody", O_RDONLY, 0), -ENXIO);
	CU_ASSERT_EQUAL(kg_unlink("/tmp/nobody"), 0);
}

static void test_unregister_busy_while_open(void)
{
	int fd = open_or_fail(RING, O_RDONLY);

	CU_ASSERT_EQUAL(kg_call("chardev_unregister", 0), -EBUSY);
	kg_close(fd);
}

static void test_unregister_cleanly(void)
{
	struct kg_stat st = { 0 };

	CU_ASSERT_EQUAL_FATAL(kg_call("chardev_unregister", 0), 0);
	CU_ASSERT_FALSE(lists("/proc/devices", kgring_major, KGRING_NAME));
	CU_ASSERT_EQUAL(listed_number("/proc/misc", KGMISC_NAME), -1);
	CU_ASSERT_EQUAL(kg_stat("/dev/" KGMISC_NAME, &st), -ENOENT);
	CU_ASSERT_EQUAL(kg_open(RING, O_RDONLY, 0), -ENXIO);
	CU_ASSERT_EQUAL(kg_open(MEM, O_RDONLY, 0), -ENXIO);
	CU_ASSERT_EQUAL(kg_call("chardev_unregister", 0), -ENODEV);
}

static CU_TestInfo chardev_tests[] = {
	{ "devtmpfs_memory_nodes", test_devtmpfs_memory_nodes },
	{ "proc_devices_lists_mem", test_proc_devices_lists_mem },
	{ "mknod_null_on_tmpfs", test_mknod_null_on_tmpfs },
	{ "null_swallows_writes", test_null_swallows_writes },
	{ "null_reads_end_of_file", test_null_reads_end_of_file },
	{ "zero_reads_zeros", test_zero_reads_zeros },
	{ "zero_takes_writes", test_zero_takes_writes },
	{ "full_write_is_enospc", test_full_write_is_enospc },
	{ "full_reads_zeros", test_full_reads_zeros },
	{ "urandom_reads_random_bytes", test_urandom_reads_random_bytes },
	{ "proc_devices_lists_driver", test_proc_devices_lists_driver },
	{ "nodes_have_driver_numbers", test_nodes_have_driver_numbers },
	{ "ring_write_then_read", test_ring_write_then_read },
	{ "ring_partial_reads", test_ring_partial_reads },
	{ "ring_wraps_around", test_ring_wraps_around },
	{ "ring_empty_read_nonblock_eagain", test_ring_empty_read_nonblock_eagain },
	{ "ring_full_write_nonblock_eagain", test_ring_full_write_nonblock_eagain },
	{ "ring_blocking_read_woken_by_write", test_ring_blocking_read_woken_by_write },
	{ "ring_blocking_write_woken_by_read", test_ring_blocking_write_woken_by_read },
	{ "ring_poll_reports_state", test_ring_poll_reports_state },
	{ "ring_poll_times_out", test_ring_poll_times_out },
	{ "ring_poll_woken_by_write", test_ring_poll_woken_by_write },
	{ "ring_ioctl_count", test_ring_ioctl_count },
	{ "ring_open_and_release", test_ring_open_and_release },
	{ "ring_ioctl_bad_limit_einval", test_ring_ioctl_bad_limit_einval },
	{ "ring_ioctl_unknown_enotty", test_ring_ioctl_unknown_enotty },
	{ "ring_is_a_stream", test_ring_is_a_stream },
	{ "mem_seek_and_read", test_mem_seek_and_read },
	{ "mem_bad_seek_einval", test_mem_bad_seek_einval },
	{ "mem_write_past_end_enospc", test_mem_write_past_end_enospc },
	{ "misc_device", test_misc_device },
	{ "unregistered_major_enxio", test_unregistered_major_enxio },
	{ "unregister_busy_while_open", test_unregister_busy_while_open },
	{ "unregister_cleanly", test_unregister_cleanly },
	CU_TEST_INFO_NULL,
};

/* proc, devtmpfs on /dev, tmpfs on /tmp; the driver and its nodes. */
static int chardev_setup(void)
{
	long err, major_nr;

	if ((err = kg_mount_at("proc", "/proc", "proc")) ||
	    (err = kg_mount_at("devtmpfs", "/dev", "devtmpfs")) ||
	    (err = kg_mount_at("tmpfs", "/tmp", "tmpfs")))
		return (int)err;
	major_nr = kg_call("chardev_register", 0);
	if (major_nr < 0)
		return (int)major_nr;
	kgring_major = (int)major_nr;
	if ((err = kg_mknod(RING, S_IFCHR | 0666, makedev(major_nr, KGRING_MINOR))) ||
	    (err = kg_mknod(MEM, S_IFCHR | 0666, makedev(major_nr, KGMEM_MINOR))))
		return (int)err;
	return 0;
}

static const struct kg_suite chardev_suite = {
	.name = "chardev",
	.tests = chardev_tests,
	.setup = chardev_setup,
};

int main(int argc, char **argv)
{
	return kg_suite_main(&chardev_suite, argc, argv);
}
