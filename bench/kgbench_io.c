// SPDX-License-Identifier: GPL-2.0
/*
 * kgbench's I/O figures, each against the host doing the same: 64 MiB
 * written and read back through ext4 on an image file, and 64 MiB over
 * TCP on loopback between two host threads.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "kgrind.h"
#include "kgbench.h"

#define IO_BYTES	(64UL << 20)
#define IO_CHUNK	(1UL << 20)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The system calls of one side: the host's or the library kernel's. */
struct io_ops {
	long (*open)(const char *path, int flags, int mode);
	long (*write)(int fd, const void *buf, size_t len);
	long (*read)(int fd, void *buf, size_t len);
	long (*fsync)(int fd);
	long (*close)(int fd);
};

static long host_open(const char *p, int f, int m) { long r = open(p, f, m); return r < 0 ? -errno : r; }
static long host_write(int fd, const void *b, size_t n) { long r = write(fd, b, n); return r < 0 ? -errno : r; }
static long host_read(int fd, void *b, size_t n) { long r = read(fd, b, n); return r < 0 ? -errno : r; }
static long host_fsync(int fd) { return fsync(fd) ? -errno : 0; }
static long host_close(int fd) { return close(fd) ? -errno : 0; }

static const struct io_ops host_io = { host_open, host_write, host_read, host_fsync, host_close };
static const struct io_ops kernel_io = { kg_open, kg_write, kg_read, kg_fsync, kg_close };

static int write_all(const struct io_ops *io, const char *path, char *chunk)
{
	long fd = io->open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	unsigned long done;

	if (fd < 0)
		return -1;
	for (done = 0; done < IO_BYTES; done += IO_CHUNK)
		if (io->write(fd, chunk, IO_CHUNK) != (long)IO_CHUNK)
			return -1;
	return io->fsync(fd) || io->close(fd) ? -1 : 0;
}

static int read_all(const struct io_ops *io, const char *path, char *chunk)
{
	long fd = io->open(path, O_RDONLY, 0), n;
	unsigned long done = 0;

	if (fd < 0)
		return -1;
	while ((n = io->read(fd, chunk, IO_CHUNK)) > 0)
		done += n;
	io->close(fd);
	return done == IO_BYTES ? 0 : -1;
}

/* Seconds to write, fsync and read back the file; -1 if that failed. */
static double write_and_read_s(const struct io_ops *io, const char *path, char *chunk)
{
	double t0 = now_s();

	if (write_all(io, path, chunk) || read_all(io, path, chunk))
		return -1;
	return now_s() - t0;
}

static void print_rate(const char *what, double seconds)
{
	printf("%-34s %6.2f s, %7.1f MiB/s\n", what, seconds,
	       2 * IO_BYTES / 1048576.0 / seconds);
}

/*
 * 64 MiB written (and fsynced) then read back: by the host on a file in
 * dir, and through ext4 in the library kernel on an image in dir, both
 * reading from their page cache.  Then the kernel reads it once more
 * after a remount, through its disk.  The kernel must already be booted.
 */
/*
 * The same 64 MiB written, fsynced and read back by the host and by ext4
 * in kgrind, twice: the first pass also grows the kernel's RAM from the
 * host (the host maps and zeroes memory it never gave the process; on a
 * virtual machine that costs more than the I/O), the second runs in RAM
 * the kernel already has, as every later write of a test run does.
 */
int bench_ext4(const char *dir)
{
	char image[512], file[512], cmd[1200];
	char *chunk = malloc(IO_CHUNK);
	double t0, host, grown, again, cold;
	int fd, disk, err = 1;

	snprintf(image, sizeof(image), "%s/kgbench-ext4.img", dir);
	snprintf(file, sizeof(file), "%s/kgbench-host.dat", dir);
	fd = open(image, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (!chunk || fd < 0 || ftruncate(fd, 3 * IO_BYTES))
		goto out;
	close(fd);
	/* 4 KiB blocks, as the host's own filesystem has (mke2fs would choose
	 * 1 KiB for an image this small). */
	snprintf(cmd, sizeof(cmd), "mkfs.ext4 -q -F -b 4096 %s >/dev/null 2>&1", image);
	memset(chunk, 'k', IO_CHUNK);
	if (system(cmd))
		goto out;

	host = write_and_read_s(&host_io, file, chunk);
	if (host < 0)
		goto out;

	disk = kg_disk_add(image, 0);
	snprintf(cmd, sizeof(cmd), "/dev/kgdisk%d", disk);
	if (disk < 0 || kg_mount_at("devtmpfs", "/dev", "devtmpfs") ||
	    kg_mount_at(cmd, "/mnt", "ext4"))
		goto out;
	grown = write_and_read_s(&kernel_io, "/mnt/data", chunk);
	if (grown < 0 || kg_unlink("/mnt/data") || kg_sync())
		goto out;
	again = write_and_read_s(&kernel_io, "/mnt/data", chunk);
	if (again < 0)
		goto out;
	if (kg_umount("/mnt", 0) || kg_mount(cmd, "/mnt", "ext4", 0, NULL))
		goto out;
	t0 = now_s();
	if (read_all(&kernel_io, "/mnt/data", chunk))
		goto out;
	cold = now_s() - t0;
	kg_umount("/mnt", 0);

	print_rate("host, 64 MiB write+fsync+read:", host);
	print_rate("ext4 in kgrind, RAM growing:", grown);
	print_rate("ext4 in kgrind, RAM grown:", again);
	printf("ext4 ratio to the host: %.2f while RAM grows, %.2f once grown (target >= 0.33)\n",
	       host / grown, host / again);
	printf("%-34s %6.2f s, %7.1f MiB/s\n", "ext4 in kgrind, read after remount:",
	       cold, IO_BYTES / 1048576.0 / cold);
	err = 0;
out:
	if (err)
		fprintf(stderr, "kgbench: the ext4 run failed\n");
	unlink(image);
	unlink(file);
	free(chunk);
	return err;
}

struct net_ops {
	long (*socket)(int domain, int type, int protocol);
	long (*bind)(int fd, const struct sockaddr *a, socklen_t len);
	long (*listen)(int fd, int backlog);
	long (*accept)(int fd, struct sockaddr *a, socklen_t *len);
	long (*connect)(int fd, const struct sockaddr *a, socklen_t len);
	long (*send)(int fd, const void *buf, size_t len, int flags,
		     const struct sockaddr *a, socklen_t alen);
	long (*recv)(int fd, void *buf, size_t len, int flags,
		     struct sockaddr *a, socklen_t *alen);
	long (*getsockname)(int fd, struct sockaddr *a, socklen_t *len);
	long (*close)(int fd);
};

static long h_socket(int d, int t, int p) { long r = socket(d, t, p); return r < 0 ? -errno : r; }
static long h_bind(int fd, const struct sockaddr *a, socklen_t l) { return bind(fd, a, l) ? -errno : 0; }
static long h_listen(int fd, int b) { return listen(fd, b) ? -errno : 0; }
static long h_accept(int fd, struct sockaddr *a, socklen_t *l) { long r = accept(fd, a, l); return r < 0 ? -errno : r; }
static long h_connect(int fd, const struct sockaddr *a, socklen_t l) { return connect(fd, a, l) ? -errno : 0; }
static long h_send(int fd, const void *b, size_t n, int f, const struct sockaddr *a, socklen_t al)
{ long r = sendto(fd, b, n, f, a, al); return r < 0 ? -errno : r; }
static long h_recv(int fd, void *b, size_t n, int f, struct sockaddr *a, socklen_t *al)
{ long r = recvfrom(fd, b, n, f, a, al); return r < 0 ? -errno : r; }
static long h_getsockname(int fd, struct sockaddr *a, socklen_t *l) { return getsockname(fd, a, l) ? -errno : 0; }

static const struct net_ops host_net = { h_socket, h_bind, h_listen, h_accept, h_connect,
					 h_send, h_recv, h_getsockname, host_close };
static const struct net_ops kernel_net = { kg_socket, kg_bind, kg_listen, kg_accept, kg_connect,
					   kg_sendto, kg_recvfrom, kg_getsockname, kg_close };

struct tcp_client {
	const struct net_ops *net;
	struct sockaddr_in to;
	long result;
};

static void *tcp_send_all(void *arg)
{
	struct tcp_client *c = arg;
	char *chunk = calloc(1, IO_CHUNK);
	long fd = c->net->socket(AF_INET, SOCK_STREAM, 0);
	unsigned long sent = 0;

	c->result = fd < 0 || !chunk ? -1 :
		    c->net->connect(fd, (struct sockaddr *)&c->to, sizeof(c->to));
	while (!c->result && sent < IO_BYTES) {
		long n = c->net->send(fd, chunk, IO_CHUNK, 0, NULL, 0);

		if (n <= 0)
			c->result = -1;
		else
			sent += n;
	}
	if (fd >= 0)
		c->net->close(fd);
	free(chunk);
	return NULL;
}

/* Seconds for 64 MiB from a client thread to this one, or -1. */
static double tcp_transfer(const struct net_ops *net)
{
	struct tcp_client client = { .net = net };
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	char *buf = malloc(IO_CHUNK);
	unsigned long got = 0;
	long lfd, fd, n;
	pthread_t thread;
	double t0, t = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = net->socket(AF_INET, SOCK_STREAM, 0);
	if (!buf || lfd < 0 || net->bind(lfd, (struct sockaddr *)&a, sizeof(a)) ||
	    net->getsockname(lfd, (struct sockaddr *)&a, &len) || net->listen(lfd, 1))
		goto out;
	client.to = a;
	t0 = now_s();
	if (pthread_create(&thread, NULL, tcp_send_all, &client))
		goto out;
	fd = net->accept(lfd, NULL, NULL);
	while (fd >= 0 && (n = net->recv(fd, buf, IO_CHUNK, 0, NULL, NULL)) > 0)
		got += n;
	pthread_join(thread, NULL);
	if (fd >= 0)
		net->close(fd);
	if (!client.result && got == IO_BYTES)
		t = now_s() - t0;
out:
	if (lfd >= 0)
		net->close(lfd);
	free(buf);
	return t;
}

/* 64 MiB over TCP on loopback: the host's, then the library kernel's. */
int bench_tcp(void)
{
	double host, kernel;

	if (kg_netif_up("lo"))
		return 1;

	host = tcp_transfer(&host_net);
	kernel = tcp_transfer(&kernel_net);
	if (host <= 0 || kernel <= 0) {
		fprintf(stderr, "kgbench: the TCP run failed\n");
		return 1;
	}
	printf("%-34s %6.2f s, %7.1f MiB/s\n", "host TCP loopback, 64 MiB:", host,
	       IO_BYTES / 1048576.0 / host);
	printf("%-34s %6.2f s, %7.1f MiB/s\n", "TCP in kgrind, same:", kernel,
	       IO_BYTES / 1048576.0 / kernel);
	printf("TCP ratio to the host: %.2f (target >= 0.5)\n", host / kernel);
	return 0;
}
