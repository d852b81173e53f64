// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind-run's own test program, built with the host's headers and
 * compiler and run unmodified against the library kernel: raw system
 * calls with x86-64 numbers and layouts (stat, statx, getdents64,
 * openat2), splice between pipes, sendfile, and a TCP echo between two
 * threads over the kernel's loopback with epoll.  It prints TAP.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "tap.h"

/*
 * openat2's argument and flags, as the x86-64 ABI has them: the C
 * library has no header for them, and this program stays a host
 * program (the C library's headers only).
 */
struct open_how {
	unsigned long long flags, mode, resolve;
};
#define RESOLVE_NO_SYMLINKS	0x04
#define RESOLVE_BENEATH		0x08

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd >= 0)
		close(fd);
	return ok;
}

static void test_stat_family(void)
{
	struct stat st;
	struct statx stx;
	int ok = write_file("/tmp/kgrind-run-file", "twelve bytes");

	ok = ok && syscall(SYS_stat, "/tmp/kgrind-run-file", &st) == 0 && st.st_size == 12 &&
	     S_ISREG(st.st_mode) && st.st_nlink == 1;
	tap_point(ok, "stat_raw", "SYS_stat's struct stat is not the file's");
	ok = syscall(SYS_lstat, "/proc/self", &st) == 0 && S_ISLNK(st.st_mode);
	tap_point(ok, "lstat_raw_symlink", "/proc/self is no symlink to lstat");
	ok = syscall(SYS_statx, AT_FDCWD, "/tmp/kgrind-run-file", 0, STATX_SIZE | STATX_MODE,
		     &stx) == 0 && stx.stx_size == 12 && S_ISREG(stx.stx_mode);
	tap_point(ok, "statx_raw", "statx's size or mode is wrong");
}

static void test_getdents64(void)
{
	struct {
		unsigned long long ino;
		long long off;
		unsigned short reclen;
		unsigned char type;
		char name[];
	} *d;
	char buf[4096];
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY), found = 0;
	long n = fd >= 0 ? syscall(SYS_getdents64, fd, buf, sizeof(buf)) : -1;
	long off;

	for (off = 0; n > 0 && off < n; off += d->reclen) {
		d = (void *)(buf + off);
		found |= !strcmp(d->name, "kgrind-run-file") && d->type == DT_REG;
	}
	if (fd >= 0)
		close(fd);
	tap_point(found, "getdents64_raw", "the file is not listed as a regular file");
}

static void test_openat2(void)
{
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_NO_SYMLINKS };
	long fd = syscall(SYS_openat2, AT_FDCWD, "/proc/self/status", &how, sizeof(how));

	tap_point(fd < 0 && errno == ELOOP, "openat2_resolve_no_symlinks", "/proc/self was followed");
	how.resolve = RESOLVE_BENEATH;
	fd = syscall(SYS_openat2, AT_FDCWD, "/tmp/kgrind-run-file", &how, sizeof(how));
	tap_point(fd < 0 && errno == EXDEV, "openat2_resolve_beneath", "an absolute path was let out");
	how.resolve = 0;
	fd = syscall(SYS_openat2, AT_FDCWD, "/tmp/kgrind-run-file", &how, sizeof(how));
	tap_point(fd >= 0, "openat2_plain", "no file");
	if (fd >= 0)
		close(fd);
}

static void test_splice_and_sendfile(void)
{
	int a[2], b[2], fd;
	char buf[16] = "";
	off_t off = 0;
	int ok = pipe(a) == 0 && pipe(b) == 0 && write(a[1], "spliced", 7) == 7 &&
		 splice(a[0], NULL, b[1], NULL, 7, 0) == 7 && read(b[0], buf, sizeof(buf)) == 7 &&
		 !memcmp(buf, "spliced", 7);

	tap_point(ok, "splice_pipe_to_pipe", "the bytes did not move");
	fd = open("/tmp/kgrind-run-file", O_RDONLY);
	ok = fd >= 0 && sendfile(b[1], fd, &off, 12) == 12 && off == 12 &&
	     read(b[0], buf, sizeof(buf)) == 12 && !memcmp(buf, "twelve bytes", 12);
	tap_point(ok, "sendfile_file_to_pipe", "the file's bytes did not arrive");
	if (fd >= 0)
		close(fd);
}

struct echo {
	unsigned short port;
	int result;
};

/* The client thread: connects, sends, reads the echo back. */
static void *echo_client(void *arg)
{
	struct echo *e = arg;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(e->port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char buf[64] = "";

	e->result = fd >= 0 && connect(fd, (void *)&to, sizeof(to)) == 0 &&
		    write(fd, "hello through the kernel", 24) == 24 &&
		    read(fd, buf, sizeof(buf)) == 24 && !memcmp(buf, "hello through the kernel", 24);
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void test_tcp_echo_epoll(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	struct echo e = { 0 };
	struct epoll_event ev = { .events = EPOLLIN }, got;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), ep = epoll_create1(0), cfd = -1, ok;
	pthread_t thread;
	char buf[64];
	ssize_t n = 0;

	ok = lfd >= 0 && ep >= 0 && bind(lfd, (void *)&addr, sizeof(addr)) == 0 &&
	     getsockname(lfd, (void *)&addr, &len) == 0 && listen(lfd, 1) == 0;
	e.port = ntohs(addr.sin_port);
	ev.data.fd = lfd;
	ok = ok && epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) == 0 &&
	     pthread_create(&thread, NULL, echo_client, &e) == 0;
	if (ok && epoll_wait(ep, &got, 1, 10000) == 1 && got.data.fd == lfd)
		cfd = accept(lfd, NULL, NULL);
	ev.data.fd = cfd;
	if (cfd >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &ev) == 0 &&
	    epoll_wait(ep, &got, 1, 10000) == 1 && got.data.fd == cfd) {
		n = read(cfd, buf, sizeof(buf));
		if (n > 0 && write(cfd, buf, n) != n)
			n = -1;
	}
	if (ok)
		pthread_join(thread, NULL);
	tap_point(ok && n == 24 && e.result, "tcp_echo_two_threads_epoll", "the echo did not come back");
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	close(ep);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..11\n");
	test_stat_family();
	test_getdents64();
	test_openat2();
	test_splice_and_sendfile();
	test_tcp_echo_epoll();
	unlink("/tmp/kgrind-run-file");
	tap_point(access("/tmp/kgrind-run-file", F_OK) && errno == ENOENT, "unlink", "still there");
	return tap_failed ? 1 : 0;
}
