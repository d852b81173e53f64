// SPDX-License-Identifier: GPL-2.0
/*
 * Disk images: host files that are the "hardware" of the kernel's disks
 * (arch/kgrind/kernel/disk.c), read and written with pread and pwrite,
 * flushed with fdatasync.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "host_ops_internal.h"
#include "registry.h"

struct kg_disk {
	struct kg_res res;
	int fd;
};

void *kg_host_disk_open(const char *path, int read_only,
			unsigned long long *size, int *err)
{
	struct kg_disk *d;
	struct stat st;
	int fd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		*err = -errno;
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	d = malloc(sizeof(*d));
	if (!d) {
		close(fd);
		*err = -ENOMEM;
		return NULL;
	}
	d->fd = fd;
	*size = st.st_size;
	kg_res_add(&d->res, KG_RES_DISK);
	return d;
}

/* A read past the end of the file reads zeros, as a sparse tail would. */
static long kg_disk_read(void *disk, void *buf, unsigned long len,
			 unsigned long long offset)
{
	struct kg_disk *d = disk;
	char *p = buf;

	while (len) {
		ssize_t n = pread(d->fd, p, len, offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			memset(p, 0, len);
			break;
		}
		p += n;
		len -= n;
		offset += n;
	}
	return 0;
}

static long kg_disk_write(void *disk, const void *buf, unsigned long len,
			  unsigned long long offset)
{
	struct kg_disk *d = disk;
	const char *p = buf;

	while (len) {
		ssize_t n = pwrite(d->fd, p, len, offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= n;
		offset += n;
	}
	return 0;
}

static long kg_disk_flush(void *disk)
{
	struct kg_disk *d = disk;

	return fdatasync(d->fd) ? -errno : 0;
}

void kg_host_disks_fill(struct kg_host_ops *ops)
{
	ops->disk_read = kg_disk_read;
	ops->disk_write = kg_disk_write;
	ops->disk_flush = kg_disk_flush;
}

void kg_host_disks_cleanup(void)
{
	struct kg_res *r;

	while ((r = kg_res_pop(KG_RES_DISK))) {
		struct kg_disk *d = kg_container_of(r, struct kg_disk, res);

		close(d->fd);
		free(d);
	}
}
