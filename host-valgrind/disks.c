// SPDX-License-Identifier: GPL-2.0
/*
 * Disk images: host files that are the "hardware" of the kernel's disks
 * (arch/kgrind/kernel/disk.c), read and written with pread and pwrite,
 * flushed with fdatasync.
 *
 * Writes of whole aligned pages bypass the host's page cache (O_DIRECT,
 * as QEMU's cache=none): the kernel's own page cache already holds the
 * data, and a second copy in the host's costs as much as the kernel's
 * whole write path.  Reads stay buffered, so an image the host just made
 * is read from memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "host_ops_internal.h"
#include "registry.h"

/* The most buffers in one transfer: the driver's max_segments. */
#define KG_DISK_MAX_IOV	256
/* What O_DIRECT asks of buffers, lengths and offsets on any host device. */
#define KG_DISK_DIRECT_ALIGN	4096UL

struct kg_disk {
	struct kg_res res;
	int fd;
	int direct_fd;	/* -1: the host's filesystem has no O_DIRECT */
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
	d->direct_fd = read_only ? -1 : open(path, O_WRONLY | O_DIRECT | O_CLOEXEC);
	*size = st.st_size;
	kg_res_add(&d->res, KG_RES_DISK);
	return d;
}

_Static_assert(sizeof(struct kg_iovec) == sizeof(struct iovec) &&
	       __builtin_offsetof(struct kg_iovec, len) ==
	       __builtin_offsetof(struct iovec, iov_len),
	       "struct kg_iovec is struct iovec");

/*
 * One preadv or pwritev for the whole transfer, more if the host moves
 * less at once.  A read past the end of the file reads zeros, as a
 * sparse tail would.
 */
static int kg_disk_aligned(const struct iovec *iov, int count,
			   unsigned long long offset)
{
	unsigned long bits = offset;
	int i;

	for (i = 0; i < count; i++)
		bits |= (unsigned long)iov[i].iov_base | iov[i].iov_len;
	return !(bits & (KG_DISK_DIRECT_ALIGN - 1));
}

/* One direct write of the whole transfer; 0 if it did not happen. */
static int kg_disk_write_direct(struct kg_disk *d, const struct iovec *iov,
				int count, unsigned long long offset)
{
	size_t len = 0;
	ssize_t n;
	int i;

	if (d->direct_fd < 0 || !kg_disk_aligned(iov, count, offset))
		return 0;
	for (i = 0; i < count; i++)
		len += iov[i].iov_len;
	do
		n = pwritev(d->direct_fd, iov, count, offset);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EINVAL) {
		/* The host's filesystem takes O_DIRECT opens but not writes. */
		close(d->direct_fd);
		d->direct_fd = -1;
	}
	/* A short or failed write is done again, buffered, in full. */
	return n == (ssize_t)len;
}

static long kg_disk_rw(void *disk, int write, const struct kg_iovec *kiov,
		       int count, unsigned long long offset)
{
	struct kg_disk *d = disk;
	struct iovec iov[KG_DISK_MAX_IOV];
	int i;

	if (count > KG_DISK_MAX_IOV)
		return -EINVAL;
	memcpy(iov, kiov, count * sizeof(*iov));
	if (write && kg_disk_write_direct(d, iov, count, offset))
		return 0;
	for (i = 0; i < count;) {
		ssize_t n = write ? pwritev(d->fd, iov + i, count - i, offset) :
				    preadv(d->fd, iov + i, count - i, offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			if (write)
				return -EIO;
			for (; i < count; i++)
				memset(iov[i].iov_base, 0, iov[i].iov_len);
			break;
		}
		offset += n;
		/* Skip what was moved; a partly moved buffer goes on from there. */
		while (i < count && (size_t)n >= iov[i].iov_len)
			n -= iov[i++].iov_len;
		if (i < count) {
			iov[i].iov_base = (char *)iov[i].iov_base + n;
			iov[i].iov_len -= n;
		}
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
	ops->disk_rw = kg_disk_rw;
	ops->disk_flush = kg_disk_flush;
}

void kg_host_disks_cleanup(void)
{
	struct kg_res *r;

	while ((r = kg_res_pop(KG_RES_DISK))) {
		struct kg_disk *d = kg_container_of(r, struct kg_disk, res);

		close(d->fd);
		if (d->direct_fd >= 0)
			close(d->direct_fd);
		free(d);
	}
}
