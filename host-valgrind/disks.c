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
#include <sys/uio.h>
#include <unistd.h>
#include "host_ops_internal.h"
#include "registry.h"

/* The most buffers in one transfer: the driver's max_segments. */
#define KG_DISK_MAX_IOV	256

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

_Static_assert(sizeof(struct kg_iovec) == sizeof(struct iovec) &&
	       __builtin_offsetof(struct kg_iovec, len) ==
	       __builtin_offsetof(struct iovec, iov_len),
	       "struct kg_iovec is struct iovec");

/*
 * One preadv or pwritev for the whole transfer, more if the host moves
 * less at once.  A read past the end of the file reads zeros, as a
 * sparse tail would.
 */
static long kg_disk_rw(void *disk, int write, const struct kg_iovec *kiov,
		       int count, unsigned long long offset)
{
	struct kg_disk *d = disk;
	struct iovec iov[KG_DISK_MAX_IOV];
	int i;

	if (count > KG_DISK_MAX_IOV)
		return -EINVAL;
	memcpy(iov, kiov, count * sizeof(*iov));
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
		free(d);
	}
}
