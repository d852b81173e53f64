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
 *
 * Once the process forks (kg_fork), or from the start when kgrind-run
 * asks (kg_host_disks_overlay), a writable image stays as it was then: each process's writes go to a
 * copy of its own, an anonymous memory file of the chunks it wrote, and
 * reads take those chunks over the image's.  A child's copy ends with
 * it; the process that opened the image writes its own back at halt.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "host_ops_internal.h"
#include "registry.h"

/* The most buffers in one transfer: the driver's max_segments. */
#define KG_DISK_MAX_IOV	256
/* What O_DIRECT asks of buffers, lengths and offsets on any host device. */
#define KG_DISK_DIRECT_ALIGN	4096UL

/* The unit of copy-on-write: a page, the kernel's usual transfer. */
#define KG_COW_CHUNK	4096ULL

struct kg_disk {
	struct kg_res res;
	int fd;
	int direct_fd;	/* -1: the host's filesystem has no O_DIRECT */
	int read_only;
	unsigned long long size;
	/* Since a fork: this process's writes, in chunks (cow_map's bits). */
	int overlay;
	int cow_fd;
	unsigned char *cow_map;
	int owner;	/* opened the image: writes the chunks back at halt */
	/* Made just before a fork: the child's copy of the chunks. */
	int child_fd;
	unsigned char *child_map;
	/* A disk added again over an image with chunks: that disk. */
	struct kg_disk *cow_of;
	dev_t dev;
	ino_t ino;
};

static struct kg_disk *kg_disk_new;

static void kg_disk_match_copy(struct kg_res *r)
{
	struct kg_disk *o = kg_container_of(r, struct kg_disk, res);

	if (o->overlay && !o->cow_of && o->dev == kg_disk_new->dev &&
	    o->ino == kg_disk_new->ino)
		kg_disk_new->cow_of = o;
}

/*
 * A disk added over an image whose writes go to chunks reads and writes
 * those: the process sees its own writes, and the image stays as it
 * was.  Other images are written in place until the next fork.
 */
static void kg_disk_find_copy(struct kg_disk *d)
{
	kg_res_hold();
	kg_disk_new = d;
	kg_res_each(KG_RES_DISK, kg_disk_match_copy);
	kg_res_release();
}

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
	memset(d, 0, sizeof(*d));
	d->fd = fd;
	d->read_only = read_only;
	d->size = st.st_size;
	d->cow_fd = d->child_fd = -1;
	d->owner = 1;
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	kg_disk_find_copy(d);
	d->direct_fd = read_only || d->cow_of ? -1 :
		       open(path, O_WRONLY | O_DIRECT | O_CLOEXEC);
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

/*
 * Moves count buffers to or from fd at offset, in as many calls as the
 * host needs; iov is used up.  Reading past the end reads zeros.
 */
static long kg_disk_move(int fd, int write, struct iovec *iov, int count,
			 unsigned long long offset)
{
	int i;

	for (i = 0; i < count;) {
		ssize_t n = write ? pwritev(fd, iov + i, count - i, offset) :
				    preadv(fd, iov + i, count - i, offset);

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

static int kg_cow_has(const struct kg_disk *d, unsigned long long chunk)
{
	return d->cow_map[chunk / 8] & (1 << (chunk % 8));
}

/* The buffers of bytes [skip, skip + len) of a transfer, in out. */
static int kg_iov_slice(const struct iovec *iov, int count, size_t skip,
			size_t len, struct iovec *out)
{
	int i, n = 0;

	for (i = 0; i < count && len; i++) {
		size_t take;

		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		take = iov[i].iov_len - skip;
		if (take > len)
			take = len;
		out[n].iov_base = (char *)iov[i].iov_base + skip;
		out[n++].iov_len = take;
		len -= take;
		skip = 0;
	}
	return n;
}

/* A read: the image's bytes, then the chunks the child wrote over them. */
static long kg_cow_read(struct kg_disk *d, const struct iovec *iov, int count,
			unsigned long long offset, size_t len)
{
	unsigned long long chunk = offset / KG_COW_CHUNK, end = offset + len;
	struct iovec part[KG_DISK_MAX_IOV];
	long err;

	memcpy(part, iov, count * sizeof(*iov));
	err = kg_disk_move(d->fd, 0, part, count, offset);
	while (!err && chunk * KG_COW_CHUNK < end) {
		unsigned long long from, to;

		if (!kg_cow_has(d, chunk)) {
			chunk++;
			continue;
		}
		from = chunk * KG_COW_CHUNK;
		while (chunk * KG_COW_CHUNK < end && kg_cow_has(d, chunk))
			chunk++;
		to = chunk * KG_COW_CHUNK;
		if (from < offset)
			from = offset;
		if (to > end)
			to = end;
		err = kg_disk_move(d->cow_fd, 0, part,
				   kg_iov_slice(iov, count, from - offset, to - from, part),
				   from);
	}
	return err;
}

/* A chunk the write covers only in part starts as the image's copy. */
static long kg_cow_fill(struct kg_disk *d, unsigned long long chunk)
{
	char buf[KG_COW_CHUNK];
	struct iovec one = { buf, sizeof(buf) };
	long err;

	if (kg_cow_has(d, chunk))
		return 0;
	err = kg_disk_move(d->fd, 0, &one, 1, chunk * KG_COW_CHUNK);
	one.iov_base = buf;
	one.iov_len = sizeof(buf);
	if (!err)
		err = kg_disk_move(d->cow_fd, 1, &one, 1, chunk * KG_COW_CHUNK);
	if (!err)
		d->cow_map[chunk / 8] |= 1 << (chunk % 8);
	return err;
}

static long kg_cow_write(struct kg_disk *d, struct iovec *iov, int count,
			 unsigned long long offset, size_t len)
{
	unsigned long long first = offset / KG_COW_CHUNK;
	unsigned long long last = (offset + len - 1) / KG_COW_CHUNK, chunk;
	long err = 0;

	if (d->cow_fd < 0)
		return -EIO;
	if (offset % KG_COW_CHUNK)
		err = kg_cow_fill(d, first);
	if (!err && (offset + len) % KG_COW_CHUNK)
		err = kg_cow_fill(d, last);
	if (!err)
		err = kg_disk_move(d->cow_fd, 1, iov, count, offset);
	for (chunk = first; !err && chunk <= last; chunk++)
		d->cow_map[chunk / 8] |= 1 << (chunk % 8);
	return err;
}

static long kg_disk_rw(void *disk, int write, const struct kg_iovec *kiov,
		       int count, unsigned long long offset)
{
	struct kg_disk *d = disk;
	struct iovec iov[KG_DISK_MAX_IOV];
	size_t len = 0;
	int i;

	if (count > KG_DISK_MAX_IOV)
		return -EINVAL;
	if (d->cow_of)
		d = d->cow_of;
	memcpy(iov, kiov, count * sizeof(*iov));
	if (d->overlay) {
		for (i = 0; i < count; i++)
			len += iov[i].iov_len;
		if (!len)
			return 0;
		return write ? kg_cow_write(d, iov, count, offset, len) :
			       kg_cow_read(d, iov, count, offset, len);
	}
	if (write && kg_disk_write_direct(d, iov, count, offset))
		return 0;
	return kg_disk_move(d->fd, write, iov, count, offset);
}

static long kg_disk_flush(void *disk)
{
	struct kg_disk *d = disk;

	if (d->overlay || d->cow_of)
		return 0;	/* the chunks are written back at halt, or never */
	return fdatasync(d->fd) ? -errno : 0;
}

/* A new memory file with the chunks of fd that map marks (fd -1: none). */
static int kg_chunks_copy(struct kg_disk *d, int fd, const unsigned char *map,
			  int *copy_fd, unsigned char **copy_map)
{
	unsigned long long chunks = (d->size + KG_COW_CHUNK - 1) / KG_COW_CHUNK, c;
	unsigned char *new_map = calloc(chunks / 8 + 1, 1);
	int new_fd = memfd_create("kgrind-disk-chunks", MFD_CLOEXEC);
	int ok = new_map && new_fd >= 0;

	for (c = 0; ok && fd >= 0 && c < chunks; c++) {
		char buf[KG_COW_CHUNK];
		struct iovec one = { buf, sizeof(buf) };

		if (!(map[c / 8] & (1 << (c % 8))))
			continue;
		ok = !kg_disk_move(fd, 0, &one, 1, c * KG_COW_CHUNK);
		one.iov_base = buf;
		one.iov_len = sizeof(buf);
		ok = ok && !kg_disk_move(new_fd, 1, &one, 1, c * KG_COW_CHUNK);
		new_map[c / 8] |= 1 << (c % 8);
	}
	if (!ok) {
		free(new_map);
		if (new_fd >= 0)
			close(new_fd);
		return -1;
	}
	*copy_fd = new_fd;
	*copy_map = new_map;
	return 0;
}

static int kg_disks_failed;

/* From now on the image is written only at halt (kg_host.h). */
static void kg_disk_overlay_now(struct kg_res *r)
{
	struct kg_disk *d = kg_container_of(r, struct kg_disk, res);

	if (d->read_only || d->cow_of || d->overlay)
		return;
	if (kg_chunks_copy(d, -1, NULL, &d->cow_fd, &d->cow_map)) {
		kg_disks_failed++;
		return;
	}
	d->overlay = 1;
	if (d->direct_fd >= 0)
		close(d->direct_fd);
	d->direct_fd = -1;
}

/*
 * Before a fork: the image is written no more; this process's writes go
 * to chunks from now on, and the child's copy of them is made here, in
 * the parent, while no other thread writes them.
 */
static void kg_disk_fork_prepare(struct kg_res *r)
{
	struct kg_disk *d = kg_container_of(r, struct kg_disk, res);

	if (d->read_only || d->cow_of)
		return;
	kg_disk_overlay_now(r);
	if (!d->overlay)
		return;
	if (kg_chunks_copy(d, d->cow_fd, d->cow_map, &d->child_fd, &d->child_map))
		kg_disks_failed++;
}

int kg_host_disks_overlay(void)
{
	kg_disks_failed = 0;
	kg_res_hold();
	kg_res_each(KG_RES_DISK, kg_disk_overlay_now);
	kg_res_release();
	return kg_disks_failed ? -ENOMEM : 0;
}

int kg_host_disks_fork_prepare(void)
{
	kg_disks_failed = 0;
	kg_res_hold();
	kg_res_each(KG_RES_DISK, kg_disk_fork_prepare);
	kg_res_release();
	if (kg_disks_failed)
		kg_host_disks_fork_done(0);
	return kg_disks_failed ? -1 : 0;
}

static int kg_disks_in_child;

/* After the fork: the child takes its copy, the parent drops it. */
static void kg_disk_fork_done(struct kg_res *r)
{
	struct kg_disk *d = kg_container_of(r, struct kg_disk, res);

	if (d->child_fd < 0)
		return;
	if (kg_disks_in_child) {
		close(d->cow_fd);
		free(d->cow_map);
		d->cow_fd = d->child_fd;
		d->cow_map = d->child_map;
		d->owner = 0;
	} else {
		close(d->child_fd);
		free(d->child_map);
	}
	d->child_fd = -1;
	d->child_map = NULL;
}

void kg_host_disks_fork_done(int child)
{
	kg_disks_in_child = child;
	kg_res_hold();
	kg_res_each(KG_RES_DISK, kg_disk_fork_done);
	kg_res_release();
}

/* At halt, in the process that opened the image: its chunks written back. */
static void kg_disk_write_back(struct kg_disk *d)
{
	unsigned long long chunks = (d->size + KG_COW_CHUNK - 1) / KG_COW_CHUNK, c;

	for (c = 0; c < chunks; c++) {
		unsigned long long at = c * KG_COW_CHUNK;
		size_t len = d->size - at < KG_COW_CHUNK ? d->size - at : KG_COW_CHUNK;
		char buf[KG_COW_CHUNK];
		struct iovec one = { buf, len };

		if (!(d->cow_map[c / 8] & (1 << (c % 8))))
			continue;
		if (kg_disk_move(d->cow_fd, 0, &one, 1, at))
			break;
		one.iov_base = buf;
		one.iov_len = len;
		if (kg_disk_move(d->fd, 1, &one, 1, at))
			break;
	}
	fdatasync(d->fd);
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

		if (d->overlay && d->owner)
			kg_disk_write_back(d);
		close(d->fd);
		if (d->direct_fd >= 0)
			close(d->direct_fd);
		if (d->cow_fd >= 0)
			close(d->cow_fd);
		free(d->cow_map);
		free(d);
	}
}
