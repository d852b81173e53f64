// SPDX-License-Identifier: GPL-2.0
/*
 * The fs suite: the VFS and the read and write paths of tmpfs, ramfs,
 * ext2, ext4 (with its journal) and vfat, the last three on disks whose
 * hardware is a host image file (kg_disk_add), made by Debian's mkfs at
 * setup and checked by the host's fsck after the halt.
 *
 * The same cases run on every filesystem (where the feature exists there;
 * where it does not, the case checks the error instead); then the cases
 * only some have: a big file across a remount, a hashed directory,
 * xattrs, a full disk, a read-only disk, corrupted images.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "kgrind.h"
#include "kg_suite.h"

/* statfs's f_type of each filesystem (the kernel's uapi linux/magic.h) */
#define RAMFS_MAGIC		0x858458f6
#define EXT2_SUPER_MAGIC	0xEF53
#define EXT4_SUPER_MAGIC	0xEF53
#define MSDOS_SUPER_MAGIC	0x4d44
#define PROC_SUPER_MAGIC	0x9fa0

#define IMAGE_MIB	40
/*
 * The same images every run: mkfs's random UUID and directory hash seed
 * fixed, so that a test (and a sweep step) takes the same path each time.
 */
#define FIXED_EXT_IDS	"-U 6b677269-6e64-4000-8000-000000000001 " \
			"-E hash_seed=6b677269-6e64-4000-8000-000000000002"

enum { HAS_LINKS = 1, HAS_MODES = 2, HAS_XATTRS = 4, HAS_TMPFILE = 8 };

struct fs {
	const char *name;	/* also the mount point, /mnt/<name> */
	const char *type;
	const char *mkfs;	/* NULL: no disk; "": a disk made already; else mkfs, %s: image */
	unsigned int has;
	long magic;		/* statfs's f_type */
	char dir[64];
	char dev[32];
	char image[PATH_MAX];
};

/*
 * Without an MMU there is no shmem: "tmpfs" is ramfs's code under
 * another name (mm/shmem.c), and has no xattrs.
 */
static struct fs fs_tmpfs = { .name = "tmpfs", .type = "tmpfs",
			      .has = HAS_LINKS | HAS_MODES | HAS_TMPFILE,
			      .magic = RAMFS_MAGIC };
static struct fs fs_ramfs = { .name = "ramfs", .type = "ramfs",
			      .has = HAS_LINKS | HAS_MODES | HAS_TMPFILE,
			      .magic = RAMFS_MAGIC };
static struct fs fs_ext2 = { .name = "ext2", .type = "ext2",
			     .mkfs = "mkfs.ext2 -q -F " FIXED_EXT_IDS " %s",
			     .has = HAS_LINKS | HAS_MODES | HAS_XATTRS | HAS_TMPFILE,
			     .magic = EXT2_SUPER_MAGIC };
static struct fs fs_ext4 = { .name = "ext4", .type = "ext4",
			     .mkfs = "mkfs.ext4 -q -F " FIXED_EXT_IDS " %s",
			     .has = HAS_LINKS | HAS_MODES | HAS_XATTRS | HAS_TMPFILE,
			     .magic = EXT4_SUPER_MAGIC };
static struct fs fs_vfat = { .name = "vfat", .type = "vfat", .mkfs = "mkfs.vfat --invariant %s",
			     .magic = MSDOS_SUPER_MAGIC };
static struct fs *const all_fs[] = { &fs_tmpfs, &fs_ramfs, &fs_ext2, &fs_ext4, &fs_vfat };

static char image_dir[256];	/* the host's temporary directory */

/* Helpers --------------------------------------------------------------- */

/*
 * What the kernel fills (stat buffers, read buffers) starts zeroed: in a
 * make failsweep step the call may fail, and the test still compares it.
 */

/* "<mount point>/<name>", in one of a few rotating buffers. */
static const char *at(const struct fs *fs, const char *name)
{
	static char bufs[4][PATH_MAX];
	static int next;
	char *buf = bufs[next++ % 4];

	snprintf(buf, PATH_MAX, "%s/%s", fs->dir, name);
	return buf;
}

static void fill_pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 31 + seed + (i >> 10));
}

static int write_file(const char *path, const void *data, size_t len)
{
	long fd = kg_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long n;

	if (fd < 0)
		return (int)fd;
	n = kg_write(fd, data, len);
	kg_close(fd);
	return n == (long)len ? 0 : n < 0 ? (int)n : -EIO;
}

/* Reads the file into buf; returns its length or a negative errno. */
static long read_file(const char *path, void *buf, size_t size)
{
	long fd = kg_open(path, O_RDONLY, 0), n, total = 0;

	if (fd < 0)
		return fd;
	while ((size_t)total < size &&
	       (n = kg_read(fd, (char *)buf + total, size - total)) > 0)
		total += n;
	kg_close(fd);
	return total;
}

static long file_size(const char *path)
{
	struct kg_stat st = { 0 };
	long err = kg_stat(path, &st);

	return err ? err : st.st_size;
}

/* A new image file of mib MiB made by mkfs; 0 or -1. */
static int make_image(char *path, const char *name, const char *mkfs, int mib)
{
	int fd;

	snprintf(path, PATH_MAX, "%s/%s.img", image_dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)mib << 20)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return kg_host_run(mkfs, path) ? -1 : 0;
}

static long mount_fs(struct fs *fs, unsigned long flags)
{
	return kg_mount(fs->mkfs ? fs->dev : fs->type, fs->dir, fs->type, flags, NULL);
}

/* The cases every filesystem runs ------------------------------------- */

/* "wr": 10000 bytes of pattern 1; tests that read it write it first. */
#define WR_SIZE 10000

static int write_wr(struct fs *fs, unsigned char out[WR_SIZE])
{
	fill_pattern(out, WR_SIZE, 1);
	return write_file(at(fs, "wr"), out, WR_SIZE);
}

static void case_write_read(struct fs *fs)
{
	static unsigned char out[WR_SIZE], in[WR_SIZE];

	CU_ASSERT_EQUAL_FATAL(write_wr(fs, out), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "wr")), (long)sizeof(out));
	CU_ASSERT_EQUAL(read_file(at(fs, "wr"), in, sizeof(in)), (long)sizeof(in));
	CU_ASSERT(memcmp(in, out, sizeof(out)) == 0);
}

static void case_seek(struct fs *fs)
{
	char buf[8] = "";
	long fd = kg_open(at(fs, "seek"), O_RDWR | O_CREAT | O_TRUNC, 0644), off;

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_write(fd, "0123456789", 10), 10);
	CU_ASSERT_EQUAL(kg_lseek(fd, 3, SEEK_SET), 3);
	CU_ASSERT_EQUAL(kg_read(fd, buf, 2), 2);
	CU_ASSERT_NSTRING_EQUAL(buf, "34", 2);
	CU_ASSERT_EQUAL(kg_lseek(fd, 2, SEEK_CUR), 7);
	CU_ASSERT_EQUAL(kg_read(fd, buf, 1), 1);
	CU_ASSERT_EQUAL(buf[0], '7');
	CU_ASSERT_EQUAL(kg_lseek(fd, -1, SEEK_END), 9);
	CU_ASSERT_EQUAL(kg_lseek(fd, -20, SEEK_SET), -EINVAL);
	/* Past the end: a write leaves a gap that reads as zeros. */
	CU_ASSERT_EQUAL(kg_lseek(fd, 5000, SEEK_SET), 5000);
	CU_ASSERT_EQUAL(kg_write(fd, "end", 3), 3);
	CU_ASSERT_EQUAL(kg_pread(fd, buf, 4, 4000), 4);
	CU_ASSERT(!memcmp(buf, "\0\0\0\0", 4));
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_END), 5003);
	/* Holes are the filesystem's to report, but data starts at 0 and
	 * there is neither data nor hole at or past the end. */
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_DATA), 0);
	off = kg_lseek(fd, 0, SEEK_HOLE);
	CU_ASSERT(off > 0 && off <= 5003);
	CU_ASSERT_EQUAL(kg_lseek(fd, 5003, SEEK_DATA), -ENXIO);
	CU_ASSERT_EQUAL(kg_lseek(fd, 5003, SEEK_HOLE), -ENXIO);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_HOLE + 1), -EINVAL);	/* no such whence */
	CU_ASSERT_EQUAL(kg_lseek(fd, -6000, SEEK_END), -EINVAL);
	kg_close(fd);
}

static void case_pread_pwrite(struct fs *fs)
{
	char buf[8] = "";
	long fd = kg_open(at(fs, "prw"), O_RDWR | O_CREAT | O_TRUNC, 0644);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_pwrite(fd, "abcdef", 6, 100), 6);
	CU_ASSERT_EQUAL(kg_pwrite(fd, "XY", 2, 102), 2);
	CU_ASSERT_EQUAL(kg_pread(fd, buf, 6, 100), 6);
	CU_ASSERT_NSTRING_EQUAL(buf, "abXYef", 6);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_CUR), 0);	/* untouched */
	CU_ASSERT_EQUAL(kg_pread(fd, buf, 8, 106), 0);	/* at the end */
	kg_close(fd);
}

static void case_truncate(struct fs *fs)
{
	static unsigned char data[6000];
	unsigned char buf[6000] = "";
	size_t i, nonzero = 0;
	long fd;

	fill_pattern(data, sizeof(data), 2);
	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "trunc"), data, sizeof(data)), 0);
	fd = kg_open(at(fs, "trunc"), O_RDWR, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_ftruncate(fd, 100), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "trunc")), 100);
	CU_ASSERT_EQUAL(kg_ftruncate(fd, 5000), 0);	/* extend */
	kg_close(fd);
	CU_ASSERT_EQUAL(read_file(at(fs, "trunc"), buf, sizeof(buf)), 5000);
	CU_ASSERT(memcmp(buf, data, 100) == 0);
	for (i = 100; i < 5000; i++)
		nonzero += buf[i] != 0;
	CU_ASSERT_EQUAL(nonzero, 0);
	CU_ASSERT_EQUAL(kg_truncate(at(fs, "trunc"), 0), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "trunc")), 0);
}

static void case_rename(struct fs *fs)
{
	char buf[16] = "";

	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "ren_a"), 0755), 0);
	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "ren_b"), 0755), 0);
	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "ren_a/one"), "first", 5), 0);
	CU_ASSERT_EQUAL(kg_rename(at(fs, "ren_a/one"), at(fs, "ren_a/two")), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "ren_a/one")), -ENOENT);
	/* across directories, over an existing file */
	CU_ASSERT_EQUAL(write_file(at(fs, "ren_b/three"), "old", 3), 0);
	CU_ASSERT_EQUAL(kg_rename(at(fs, "ren_a/two"), at(fs, "ren_b/three")), 0);
	CU_ASSERT_EQUAL(read_file(at(fs, "ren_b/three"), buf, sizeof(buf)), 5);
	CU_ASSERT_NSTRING_EQUAL(buf, "first", 5);
	CU_ASSERT_EQUAL(file_size(at(fs, "ren_a/two")), -ENOENT);
	/* a directory moves with its contents */
	CU_ASSERT_EQUAL(kg_rename(at(fs, "ren_b"), at(fs, "ren_a/b")), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "ren_a/b/three")), 5);
	CU_ASSERT_EQUAL(kg_rename(at(fs, "ren_missing"), at(fs, "ren_x")), -ENOENT);
}

static void case_links(struct fs *fs)
{
	char target[64] = "";
	struct kg_stat st = { 0 };

	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "lnk_file"), "linked", 6), 0);
	if (!(fs->has & HAS_LINKS)) {
		CU_ASSERT_EQUAL(kg_link(at(fs, "lnk_file"), at(fs, "lnk_hard")), -EPERM);
		CU_ASSERT_EQUAL(kg_symlink("lnk_file", at(fs, "lnk_sym")), -EPERM);
		return;
	}
	CU_ASSERT_EQUAL(kg_link(at(fs, "lnk_file"), at(fs, "lnk_hard")), 0);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "lnk_file"), &st), 0);
	CU_ASSERT_EQUAL(st.st_nlink, 2);
	CU_ASSERT_EQUAL(kg_unlink(at(fs, "lnk_file")), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "lnk_hard")), 6);

	CU_ASSERT_EQUAL(kg_symlink("lnk_hard", at(fs, "lnk_sym")), 0);
	CU_ASSERT_EQUAL(kg_readlink(at(fs, "lnk_sym"), target, sizeof(target) - 1), 8);
	CU_ASSERT_STRING_EQUAL(target, "lnk_hard");
	CU_ASSERT_EQUAL(file_size(at(fs, "lnk_sym")), 6);	/* followed */
	CU_ASSERT_EQUAL(kg_readlink(at(fs, "lnk_hard"), target, sizeof(target)), -EINVAL);
}

static void case_unlink(struct fs *fs)
{
	char buf[8] = "";
	long fd;

	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "unl"), "still", 5), 0);
	fd = kg_open(at(fs, "unl"), O_RDONLY, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_unlink(at(fs, "unl")), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "unl")), -ENOENT);
	/* An open file outlives its name. */
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), 5);
	kg_close(fd);
	CU_ASSERT_EQUAL(kg_unlink(at(fs, "unl")), -ENOENT);
}

static void case_mkdir_rmdir(struct fs *fs)
{
	struct kg_stat st = { 0 };

	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "dir"), 0755), 0);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "dir"), &st), 0);
	CU_ASSERT(S_ISDIR(st.st_mode));
	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "dir"), 0755), -EEXIST);
	CU_ASSERT_EQUAL(write_file(at(fs, "dir/f"), "x", 1), 0);
	CU_ASSERT_EQUAL(kg_rmdir(at(fs, "dir")), -ENOTEMPTY);
	CU_ASSERT_EQUAL(kg_unlink(at(fs, "dir/f")), 0);
	CU_ASSERT_EQUAL(kg_rmdir(at(fs, "dir")), 0);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "dir"), &st), -ENOENT);
	CU_ASSERT_EQUAL(kg_rmdir(at(fs, "dir")), -ENOENT);
}

/*
 * Reads dir_fd from where it is with getdents64 calls of bufsize bytes,
 * handing each name to each(); the entries seen (dots too), or a negative
 * errno.  *calls, if given, counts the calls that returned entries.
 */
static long walk_dirents(long dir_fd, size_t bufsize, int *calls,
			 void (*each)(const char *name, void *ctx), void *ctx)
{
	char buf[4096] = "";
	long n, off, entries = 0;

	if (calls)
		*calls = 0;
	while ((n = kg_getdents64(dir_fd, buf, bufsize)) > 0) {
		if (calls)
			++*calls;
		for (off = 0; off < n; entries++) {
			struct kg_dirent64 *d = (void *)(buf + off);

			each(d->d_name, ctx);
			off += d->d_reclen;
		}
	}
	return n < 0 ? n : entries;
}

struct name_list {
	char *names;
	size_t size;
};

static void append_name(const char *name, void *ctx)
{
	struct name_list *list = ctx;

	strncat(list->names, "/", list->size - strlen(list->names) - 1);
	strncat(list->names, name, list->size - strlen(list->names) - 1);
}

/* The names getdents64 lists in dir, each once, joined by '/'. */
static int list_dir(const char *dir, char *names, size_t size)
{
	struct name_list list = { names, size };
	long fd = kg_open(dir, O_RDONLY | O_DIRECTORY, 0), count;

	names[0] = '\0';
	if (fd < 0)
		return (int)fd;
	count = walk_dirents(fd, 4096, NULL, append_name, &list);
	kg_close(fd);
	strncat(names, "/", size - strlen(names) - 1);
	return (int)count;
}

static void case_getdents(struct fs *fs)
{
	char names[1024] = "";
	static const char *const files[] = { "alpha", "beta", "gamma", "delta" };
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(kg_mkdir(at(fs, "ls"), 0755), 0);
	for (i = 0; i < 4; i++) {
		char name[32];

		snprintf(name, sizeof(name), "ls/%s", files[i]);
		CU_ASSERT_EQUAL(write_file(at(fs, name), "x", 1), 0);
	}
	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "ls/sub"), 0755), 0);
	CU_ASSERT_EQUAL(list_dir(at(fs, "ls"), names, sizeof(names)), 7);
	for (i = 0; i < 4; i++) {
		char want[32];

		snprintf(want, sizeof(want), "/%s/", files[i]);
		CU_ASSERT_PTR_NOT_NULL(strstr(names, want));
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(names, "/sub/"));
	CU_ASSERT_PTR_NOT_NULL(strstr(names, "/./"));
	CU_ASSERT_PTR_NOT_NULL(strstr(names, "/../"));
	CU_ASSERT_EQUAL(list_dir(at(fs, "ls/alpha"), names, sizeof(names)), -ENOTDIR);
}

static void case_stat(struct fs *fs)
{
	struct statx stx;
	struct kg_stat st = { 0 };
	long fd;

	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "st"), "twelve bytes", 12), 0);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "st"), &st), 0);
	CU_ASSERT(S_ISREG(st.st_mode));
	CU_ASSERT_EQUAL(st.st_size, 12);
	CU_ASSERT_EQUAL(st.st_nlink, 1);
	memset(&stx, 0, sizeof(stx));
	CU_ASSERT_EQUAL(kg_statx(AT_FDCWD, at(fs, "st"), 0,
				 STATX_TYPE | STATX_SIZE | STATX_INO, &stx), 0);
	CU_ASSERT((stx.stx_mask & (STATX_TYPE | STATX_SIZE)) == (STATX_TYPE | STATX_SIZE));
	CU_ASSERT_EQUAL(stx.stx_size, 12);
	CU_ASSERT_EQUAL(stx.stx_ino, st.st_ino);
	fd = kg_open(at(fs, "st"), O_RDONLY, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 12);
	kg_close(fd);
}

static void case_chmod_utimes(struct fs *fs)
{
	struct timespec times[2] = { { 1000000000, 0 }, { 1234567890, 0 } };
	struct kg_stat st = { 0 };

	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "modes"), "m", 1), 0);
	CU_ASSERT_EQUAL(kg_utimensat(at(fs, "modes"), times, 0), 0);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "modes"), &st), 0);
	CU_ASSERT_EQUAL(st.st_mtime_sec, 1234567890);
	if (fs->has & HAS_MODES) {
		CU_ASSERT_EQUAL(kg_chmod(at(fs, "modes"), 0604), 0);
		CU_ASSERT_EQUAL(kg_stat(at(fs, "modes"), &st), 0);
		CU_ASSERT_EQUAL(st.st_mode & 07777, 0604);
	}
}

static void case_sync(struct fs *fs)
{
	long fd = kg_open(at(fs, "synced"), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_write(fd, "durable", 7), 7);
	CU_ASSERT_EQUAL(kg_fsync(fd), 0);
	CU_ASSERT_EQUAL(kg_write(fd, "!", 1), 1);
	CU_ASSERT_EQUAL(kg_fdatasync(fd), 0);
	kg_close(fd);
	CU_ASSERT_EQUAL(kg_sync(), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "synced")), 8);
}

static void case_errors(struct fs *fs)
{
	CU_ASSERT_EQUAL(kg_open(at(fs, "no/such"), O_RDONLY, 0), -ENOENT);
	CU_ASSERT_EQUAL(kg_open(at(fs, "nosuch"), O_RDONLY, 0), -ENOENT);
	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "exists"), "e", 1), 0);
	CU_ASSERT_EQUAL(kg_open(at(fs, "exists"), O_WRONLY | O_CREAT | O_EXCL, 0644), -EEXIST);
	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "exists"), 0755), -EEXIST);
	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "adir"), 0755), 0);
	CU_ASSERT_EQUAL(kg_open(at(fs, "adir"), O_WRONLY, 0), -EISDIR);
	CU_ASSERT_EQUAL(kg_unlink(at(fs, "adir")), -EISDIR);
	CU_ASSERT_EQUAL(kg_rmdir(at(fs, "exists")), -ENOTDIR);
	CU_ASSERT_EQUAL(kg_open(at(fs, "exists/x"), O_RDONLY, 0), -ENOTDIR);
}

/* readv/writev and the positional and flagged variants. */
static void case_vectored_io(struct fs *fs)
{
	char a[4] = "", b[6] = "", c[8] = "";
	struct iovec out[3] = { { "head", 4 }, { "-body-", 6 }, { "tail", 4 } };
	struct iovec in[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iovec one = { c, 4 };
	long fd = kg_open(at(fs, "vec"), O_RDWR | O_CREAT | O_TRUNC, 0644);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_writev(fd, out, 3), 14);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_CUR), 14);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_SET), 0);
	CU_ASSERT_EQUAL(kg_readv(fd, in, 2), 10);
	CU_ASSERT(!memcmp(a, "head", 4) && !memcmp(b, "-body-", 6));
	/* positional: a gap up to 20, and the position stays at 10 */
	CU_ASSERT_EQUAL(kg_pwritev(fd, &out[2], 1, 20), 4);
	CU_ASSERT_EQUAL(kg_preadv(fd, in, 2, 14), 10);
	CU_ASSERT(!memcmp(a, "\0\0\0\0", 4) && !memcmp(b, "\0\0tail", 6));
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_CUR), 10);
	/* offset -1: at the position, which moves */
	CU_ASSERT_EQUAL(kg_preadv2(fd, &one, 1, -1, 0), 4);
	CU_ASSERT(!memcmp(c, "tail", 4));
	CU_ASSERT_EQUAL(kg_pwritev2(fd, &out[0], 1, -1, 0), 4);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_CUR), 18);
	CU_ASSERT_EQUAL(kg_preadv2(fd, &one, 1, 12, 0), 4);
	CU_ASSERT(!memcmp(c, "ilhe", 4));
	/* RWF_APPEND: at the end, whatever the offset */
	CU_ASSERT_EQUAL(kg_pwritev2(fd, &out[1], 1, 0, RWF_APPEND), 6);
	CU_ASSERT_EQUAL(file_size(at(fs, "vec")), 30);
	CU_ASSERT_EQUAL(kg_pread(fd, c, 6, 24), 6);
	CU_ASSERT(!memcmp(c, "-body-", 6));
	CU_ASSERT_EQUAL(kg_preadv2(fd, &one, 1, 0, 1 << 20), -EOPNOTSUPP);	/* unknown RWF_ */
	CU_ASSERT_EQUAL(kg_readv(fd, in, 0), 0);
	CU_ASSERT_EQUAL(kg_readv(fd, in, -1), -EINVAL);
	CU_ASSERT_EQUAL(kg_preadv(fd, in, 2, -1), -EINVAL);
	CU_ASSERT_EQUAL(kg_pwritev(fd, out, 1, -2), -EINVAL);
	CU_ASSERT_EQUAL(kg_readv(fd, in, 2), 10);	/* from the position, 18 */
	CU_ASSERT(!memcmp(a, "\0\0ta", 4) && !memcmp(b, "il-bod", 6));
	CU_ASSERT_EQUAL(kg_writev(999, out, 1), -EBADF);
	kg_close(fd);
}

/* sendfile and copy_file_range between two files of one filesystem. */
static void case_sendfile_copy_range(struct fs *fs)
{
	static unsigned char data[9000], buf[9000];
	off_t off, off_in, off_out;
	long in, out;

	fill_pattern(data, sizeof(data), 3);
	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "sf_in"), data, sizeof(data)), 0);
	in = kg_open(at(fs, "sf_in"), O_RDONLY, 0);
	out = kg_open(at(fs, "sf_out"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	CU_ASSERT_FATAL(in >= 0 && out >= 0);
	/* with an offset: it moves, in's position does not */
	off = 1000;
	CU_ASSERT_EQUAL(kg_sendfile(out, in, &off, 3000), 3000);
	CU_ASSERT_EQUAL(off, 4000);
	CU_ASSERT_EQUAL(kg_lseek(in, 0, SEEK_CUR), 0);
	CU_ASSERT_EQUAL(kg_lseek(out, 0, SEEK_CUR), 3000);
	/* without: from in's position, short at its end */
	CU_ASSERT_EQUAL(kg_lseek(in, 8000, SEEK_SET), 8000);
	CU_ASSERT_EQUAL(kg_sendfile(out, in, NULL, 5000), 1000);
	CU_ASSERT_EQUAL(kg_lseek(in, 0, SEEK_CUR), 9000);
	CU_ASSERT_EQUAL(kg_sendfile(out, in, NULL, 5000), 0);
	CU_ASSERT_EQUAL(kg_pread(out, buf, sizeof(buf), 0), 4000);
	CU_ASSERT(!memcmp(buf, data + 1000, 3000));
	CU_ASSERT(!memcmp(buf + 3000, data + 8000, 1000));
	CU_ASSERT_EQUAL(kg_sendfile(in, out, NULL, 10), -EBADF);	/* in is read-only */

	off_in = 500;
	off_out = 4000;
	CU_ASSERT_EQUAL(kg_copy_file_range(in, &off_in, out, &off_out, 2000, 0), 2000);
	CU_ASSERT_EQUAL(off_in, 2500);
	CU_ASSERT_EQUAL(off_out, 6000);
	CU_ASSERT_EQUAL(kg_pread(out, buf, 2000, 4000), 2000);
	CU_ASSERT(!memcmp(buf, data + 500, 2000));
	/* without offsets the positions move; the copy stops at in's end */
	CU_ASSERT_EQUAL(kg_lseek(in, 8500, SEEK_SET), 8500);
	CU_ASSERT_EQUAL(kg_lseek(out, 6000, SEEK_SET), 6000);
	CU_ASSERT_EQUAL(kg_copy_file_range(in, NULL, out, NULL, 1000, 0), 500);
	CU_ASSERT_EQUAL(kg_lseek(in, 0, SEEK_CUR), 9000);
	CU_ASSERT_EQUAL(kg_lseek(out, 0, SEEK_CUR), 6500);
	CU_ASSERT_EQUAL(kg_copy_file_range(in, NULL, out, NULL, 1000, 0), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "sf_out")), 6500);
	CU_ASSERT_EQUAL(kg_pread(out, buf, 500, 6000), 500);
	CU_ASSERT(!memcmp(buf, data + 8500, 500));

	off_in = 0;
	off_out = 100;
	CU_ASSERT_EQUAL(kg_copy_file_range(out, &off_in, out, &off_out, 1000, 0), -EINVAL);	/* overlap */
	CU_ASSERT_EQUAL(kg_copy_file_range(in, NULL, out, NULL, 10, 1), -EINVAL);
	CU_ASSERT_EQUAL(kg_copy_file_range(out, NULL, in, NULL, 10, 0), -EBADF);
	kg_close(in);
	kg_close(out);
}

static void case_open_flags(struct fs *fs)
{
	char buf[16] = "";
	struct kg_stat st = { 0 };
	long fd;

	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "of"), "base", 4), 0);
	CU_ASSERT_EQUAL(kg_open(at(fs, "of"), O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	CU_ASSERT_EQUAL(kg_open(at(fs, "of_new"), O_RDWR | O_CREAT | O_DIRECTORY, 0644), -EINVAL);
	/* O_APPEND: every write lands at the end */
	fd = kg_open(at(fs, "of"), O_WRONLY | O_APPEND, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_SET), 0);
	CU_ASSERT_EQUAL(kg_write(fd, "+more", 5), 5);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_CUR), 9);
	kg_close(fd);
	CU_ASSERT_EQUAL(read_file(at(fs, "of"), buf, sizeof(buf)), 9);
	CU_ASSERT_NSTRING_EQUAL(buf, "base+more", 9);
	/* O_PATH: neither reads nor writes, but names the file */
	fd = kg_open(at(fs, "of"), O_PATH, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_read(fd, buf, 1), -EBADF);
	CU_ASSERT_EQUAL(kg_write(fd, buf, 1), -EBADF);
	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 9);
	kg_close(fd);
	/* O_CREAT | O_EXCL only makes a new name; O_TRUNC empties */
	fd = kg_open(at(fs, "of_new"), O_WRONLY | O_CREAT | O_EXCL, 0600);
	CU_ASSERT(fd >= 0);
	kg_close(fd);
	CU_ASSERT_EQUAL(kg_open(at(fs, "of_new"), O_WRONLY | O_CREAT | O_EXCL, 0600), -EEXIST);
	fd = kg_open(at(fs, "of"), O_WRONLY | O_TRUNC | O_SYNC, 0);
	CU_ASSERT(fd >= 0);
	kg_close(fd);
	CU_ASSERT_EQUAL(file_size(at(fs, "of")), 0);

	/* O_TMPFILE: an open file with no name; it needs write access */
	CU_ASSERT_EQUAL(kg_open(fs->dir, O_TMPFILE | O_RDONLY, 0600), -EINVAL);
	fd = kg_open(fs->dir, O_TMPFILE | O_RDWR, 0600);
	if (fs->has & HAS_TMPFILE) {
		CU_ASSERT_FATAL(fd >= 0);
		CU_ASSERT_EQUAL(kg_write(fd, "unnamed", 7), 7);
		CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
		CU_ASSERT_EQUAL(st.st_nlink, 0);
		CU_ASSERT_EQUAL(st.st_size, 7);
		kg_close(fd);
	} else {
		CU_ASSERT_EQUAL(fd, -EOPNOTSUPP);
	}

	if (fs->has & HAS_LINKS) {
		CU_ASSERT_EQUAL_FATAL(kg_symlink("of", at(fs, "of_link")), 0);
		CU_ASSERT_EQUAL(kg_open(at(fs, "of_link"), O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
		fd = kg_open(at(fs, "of_link"), O_PATH | O_NOFOLLOW, 0);
		CU_ASSERT_FATAL(fd >= 0);
		CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
		CU_ASSERT(S_ISLNK(st.st_mode));
		kg_close(fd);
		/* O_EXCL does not follow a symlink to make its target */
		CU_ASSERT_EQUAL(kg_symlink("of_target", at(fs, "of_dangling")), 0);
		CU_ASSERT_EQUAL(kg_open(at(fs, "of_dangling"), O_WRONLY | O_CREAT | O_EXCL, 0644),
				-EEXIST);
		CU_ASSERT_EQUAL(file_size(at(fs, "of_target")), -ENOENT);
	}
}

/* faccessat2, fchmod, fchmodat2 and the chown family. */
static void case_owner_access(struct fs *fs)
{
	const char *own = at(fs, "own");
	struct kg_stat st = { 0 };
	long fd;

	CU_ASSERT_EQUAL_FATAL(write_file(own, "o", 1), 0);
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, own, F_OK, 0), 0);
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, own, R_OK | W_OK, AT_EACCESS), 0);
	CU_ASSERT_EQUAL(kg_syscall(KG_NR_faccessat,
				   (const long[6]){ AT_FDCWD, (long)own, R_OK }), 0);
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, at(fs, "own_missing"), F_OK, 0), -ENOENT);
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, own, 8, 0), -EINVAL);	/* no such mode bit */
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, own, F_OK, AT_SYMLINK_FOLLOW), -EINVAL);
	fd = kg_open(own, O_RDONLY, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_faccessat(fd, "", R_OK, AT_EMPTY_PATH), 0);

	if (!(fs->has & HAS_MODES)) {
		/* vfat: one owner and the mount's modes (rwxr-xr-x) for all;
		 * a chmod that would change r or x bits is ignored. */
		CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, own, X_OK, 0), 0);
		CU_ASSERT_EQUAL(kg_fchown(fd, 1000, 1000), -EPERM);
		CU_ASSERT_EQUAL(kg_fchown(fd, 0, 0), 0);
		CU_ASSERT_EQUAL(kg_fchmod(fd, 0644), 0);
		CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
		CU_ASSERT_EQUAL(st.st_mode & 07777, 0755);
		kg_close(fd);
		return;
	}
	/* Even root needs an x bit to execute. */
	CU_ASSERT_EQUAL(kg_fchmod(fd, 0644), 0);
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, own, X_OK, 0), -EACCES);
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, own, X_OK, AT_EACCESS), -EACCES);
	CU_ASSERT_EQUAL(kg_syscall(KG_NR_fchmodat2, (const long[6]){ fd, (long)"", 04710,
								  AT_EMPTY_PATH }), 0);
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, own, X_OK, 0), 0);
	CU_ASSERT_EQUAL(kg_stat(own, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 04710);

	/* A change of owner drops set-user-ID. */
	CU_ASSERT_EQUAL(kg_fchown(fd, 1000, 2000), 0);
	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_uid, 1000);
	CU_ASSERT_EQUAL(st.st_gid, 2000);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0710);
	CU_ASSERT_EQUAL(kg_fchownat(AT_FDCWD, own, 3000, -1, 0), 0);	/* -1: unchanged */
	CU_ASSERT_EQUAL(kg_stat(own, &st), 0);
	CU_ASSERT_EQUAL(st.st_uid, 3000);
	CU_ASSERT_EQUAL(st.st_gid, 2000);
	CU_ASSERT_EQUAL(kg_fchownat(AT_FDCWD, own, 0, 0, AT_SYMLINK_FOLLOW), -EINVAL);
	CU_ASSERT_EQUAL(kg_fchownat(fd, "", 0, 0, AT_EMPTY_PATH), 0);
	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT(st.st_uid == 0 && st.st_gid == 0);
	kg_close(fd);

	/* AT_SYMLINK_NOFOLLOW: the link itself (lchown); a link has no mode */
	CU_ASSERT_EQUAL_FATAL(kg_symlink("own", at(fs, "own_link")), 0);
	CU_ASSERT_EQUAL(kg_fchownat(AT_FDCWD, at(fs, "own_link"), 42, 43,
				    AT_SYMLINK_NOFOLLOW), 0);
	CU_ASSERT_EQUAL(kg_syscall(KG_NR_newfstatat, (const long[6]){
		AT_FDCWD, (long)at(fs, "own_link"), (long)&st, AT_SYMLINK_NOFOLLOW }), 0);
	CU_ASSERT(st.st_uid == 42 && st.st_gid == 43);
	CU_ASSERT_EQUAL(kg_stat(own, &st), 0);
	CU_ASSERT_EQUAL(st.st_uid, 0);
	CU_ASSERT_EQUAL(kg_syscall(KG_NR_fchmodat2, (const long[6]){
		AT_FDCWD, (long)at(fs, "own_link"), 0600, AT_SYMLINK_NOFOLLOW }), -EOPNOTSUPP);
}

/* renameat2's RENAME_NOREPLACE and RENAME_EXCHANGE, and directories. */
static void case_rename_flags(struct fs *fs)
{
	char buf[8] = "";
	struct kg_stat st = { 0 };

	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "rf_a"), "aaa", 3), 0);
	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "rf_b"), "bb", 2), 0);
	CU_ASSERT_EQUAL(kg_renameat2(AT_FDCWD, at(fs, "rf_a"), AT_FDCWD, at(fs, "rf_b"),
				     RENAME_NOREPLACE), -EEXIST);
	CU_ASSERT_EQUAL(file_size(at(fs, "rf_a")), 3);
	CU_ASSERT_EQUAL(kg_renameat2(AT_FDCWD, at(fs, "rf_a"), AT_FDCWD, at(fs, "rf_c"),
				     RENAME_NOREPLACE), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "rf_a")), -ENOENT);
	/* exchange: both names stay, their files swap */
	CU_ASSERT_EQUAL(kg_renameat2(AT_FDCWD, at(fs, "rf_c"), AT_FDCWD, at(fs, "rf_b"),
				     RENAME_EXCHANGE), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "rf_c")), 2);
	CU_ASSERT_EQUAL(read_file(at(fs, "rf_b"), buf, sizeof(buf)), 3);
	CU_ASSERT_NSTRING_EQUAL(buf, "aaa", 3);
	CU_ASSERT_EQUAL(kg_renameat2(AT_FDCWD, at(fs, "rf_c"), AT_FDCWD, at(fs, "rf_none"),
				     RENAME_EXCHANGE), -ENOENT);
	CU_ASSERT_EQUAL(kg_renameat2(AT_FDCWD, at(fs, "rf_c"), AT_FDCWD, at(fs, "rf_b"),
				     RENAME_EXCHANGE | RENAME_NOREPLACE), -EINVAL);
	/* a directory for a file across parents: the link counts follow */
	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "rf_dir"), 0755), 0);
	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "rf_dir/sub"), 0755), 0);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "rf_dir"), &st), 0);
	CU_ASSERT_EQUAL(st.st_nlink, 3);
	CU_ASSERT_EQUAL(kg_renameat2(AT_FDCWD, at(fs, "rf_dir/sub"), AT_FDCWD, at(fs, "rf_b"),
				     RENAME_EXCHANGE), 0);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "rf_b"), &st), 0);
	CU_ASSERT(S_ISDIR(st.st_mode));
	CU_ASSERT_EQUAL(file_size(at(fs, "rf_dir/sub")), 3);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "rf_dir"), &st), 0);
	CU_ASSERT_EQUAL(st.st_nlink, 2);
	/* a directory replaces an empty one, not a full one */
	CU_ASSERT_EQUAL(kg_mkdir(at(fs, "rf_empty"), 0755), 0);
	CU_ASSERT_EQUAL(kg_rename(at(fs, "rf_b"), at(fs, "rf_empty")), 0);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "rf_b"), &st), -ENOENT);
	CU_ASSERT_EQUAL(kg_rename(at(fs, "rf_empty"), at(fs, "rf_dir")), -ENOTEMPTY);
	CU_ASSERT_EQUAL(kg_rename(at(fs, "rf_empty"), at(fs, "rf_c")), -ENOTDIR);
	CU_ASSERT_EQUAL(kg_rename(at(fs, "rf_c"), at(fs, "rf_empty")), -EISDIR);
}

#define GD_FILES 40

/* Marks seen[i] for each "entry-<i>" listed. */
static void mark_entry(const char *name, void *seen)
{
	int i;

	if (sscanf(name, "entry-%d", &i) == 1 && i >= 0 && i < GD_FILES)
		((int *)seen)[i]++;
}

/* A directory read a few entries per call, then again after a rewind. */
static void case_getdents_small_buffer(struct fs *fs)
{
	int seen[GD_FILES] = { 0 }, calls, i, once = 0;
	char name[32] = "";
	long fd;

	CU_ASSERT_EQUAL_FATAL(kg_mkdir(at(fs, "gd"), 0755), 0);
	for (i = 0; i < GD_FILES; i++) {
		snprintf(name, sizeof(name), "gd/entry-%02d", i);
		CU_ASSERT_EQUAL_FATAL(write_file(at(fs, name), "", 0), 0);
	}
	fd = kg_open(at(fs, "gd"), O_RDONLY | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(fd >= 0);
	/* 64 bytes: at most two records a call */
	CU_ASSERT_EQUAL(walk_dirents(fd, 64, &calls, mark_entry, seen), GD_FILES + 2);
	CU_ASSERT(calls >= (GD_FILES + 2) / 2);
	for (i = 0; i < GD_FILES; i++)
		once += seen[i] == 1;
	CU_ASSERT_EQUAL(once, GD_FILES);
	CU_ASSERT_EQUAL(kg_getdents64(fd, name, sizeof(name)), 0);	/* at the end */

	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_SET), 0);
	CU_ASSERT_EQUAL(kg_getdents64(fd, name, 8), -EINVAL);	/* no room for one */
	CU_ASSERT_EQUAL(walk_dirents(fd, 4096, &calls, mark_entry, seen), GD_FILES + 2);
	CU_ASSERT_EQUAL(calls, 1);
	for (i = 0, once = 0; i < GD_FILES; i++)
		once += seen[i] == 2;
	CU_ASSERT_EQUAL(once, GD_FILES);
	kg_close(fd);
}

/*
 * One CUnit test per (filesystem, case): FS_CASES lists the cases, and
 * the macros below make a test function for each filesystem.
 */
#define FS_CASES(X, fs)			\
	X(fs, write_read)		\
	X(fs, seek)			\
	X(fs, pread_pwrite)		\
	X(fs, truncate)			\
	X(fs, rename)			\
	X(fs, links)			\
	X(fs, unlink)			\
	X(fs, mkdir_rmdir)		\
	X(fs, getdents)			\
	X(fs, stat)			\
	X(fs, chmod_utimes)		\
	X(fs, sync)			\
	X(fs, errors)			\
	X(fs, vectored_io)		\
	X(fs, sendfile_copy_range)	\
	X(fs, open_flags)		\
	X(fs, owner_access)		\
	X(fs, rename_flags)		\
	X(fs, getdents_small_buffer)

#define FS_TEST_FN(fs, c) \
	static void test_##fs##_##c(void) { case_##c(&fs_##fs); }
#define FS_TEST_INFO(fs, c) { #fs "_" #c, test_##fs##_##c },

FS_CASES(FS_TEST_FN, tmpfs)
FS_CASES(FS_TEST_FN, ramfs)
FS_CASES(FS_TEST_FN, ext2)
FS_CASES(FS_TEST_FN, ext4)
FS_CASES(FS_TEST_FN, vfat)

/* What only some filesystems have ------------------------------------- */

static unsigned long long fnv1a(const unsigned char *p, size_t len,
				unsigned long long h)
{
	while (len--)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

#define BIG_FILE	(8UL << 20)
#define BIG_CHUNK	(64UL << 10)

/* 8 MiB through indirect blocks and extents, checked after a remount. */
static void big_file_survives_remount(struct fs *fs)
{
	static unsigned char chunk[BIG_CHUNK];
	unsigned long long written = 14695981039346656037ULL, read_back = written;
	unsigned long off;
	static unsigned char wr[WR_SIZE];
	long fd, n;

	CU_ASSERT_EQUAL_FATAL(write_wr(fs, wr), 0);
	fd = kg_open(at(fs, "big"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	for (off = 0; off < BIG_FILE; off += BIG_CHUNK) {
		fill_pattern(chunk, BIG_CHUNK, (unsigned int)(off >> 16));
		written = fnv1a(chunk, BIG_CHUNK, written);
		CU_ASSERT_EQUAL_FATAL(kg_write(fd, chunk, BIG_CHUNK), (long)BIG_CHUNK);
	}
	kg_close(fd);
	CU_ASSERT_EQUAL_FATAL(kg_umount(fs->dir, 0), 0);
	CU_ASSERT_EQUAL_FATAL(mount_fs(fs, 0), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "big")), (long)BIG_FILE);
	fd = kg_open(at(fs, "big"), O_RDONLY, 0);
	CU_ASSERT_FATAL(fd >= 0);
	while ((n = kg_read(fd, chunk, BIG_CHUNK)) > 0)
		read_back = fnv1a(chunk, n, read_back);
	kg_close(fd);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(read_back, written);
	/* a smaller file is still there too */
	CU_ASSERT_EQUAL(file_size(at(fs, "wr")), WR_SIZE);
}

static void test_ext2_big_file_survives_remount(void) { big_file_survives_remount(&fs_ext2); }
static void test_ext4_big_file_survives_remount(void) { big_file_survives_remount(&fs_ext4); }
static void test_vfat_big_file_survives_remount(void) { big_file_survives_remount(&fs_vfat); }

#define MANY_FILES 1000

static void many_files_in_one_directory(struct fs *fs)
{
	char name[64] = "", names[4096] = "";
	int i, missing = 0;

	CU_ASSERT_EQUAL_FATAL(kg_mkdir(at(fs, "many"), 0755), 0);
	for (i = 0; i < MANY_FILES; i++) {
		snprintf(name, sizeof(name), "many/file-with-a-long-name-%04d", i);
		CU_ASSERT_EQUAL_FATAL(write_file(at(fs, name), name, strlen(name)), 0);
	}
	for (i = 0; i < MANY_FILES; i += 37) {
		snprintf(name, sizeof(name), "many/file-with-a-long-name-%04d", i);
		missing += file_size(at(fs, name)) != (long)strlen(name);
	}
	CU_ASSERT_EQUAL(missing, 0);
	CU_ASSERT_EQUAL(list_dir(at(fs, "many"), names, sizeof(names)), MANY_FILES + 2);
}

/* FS_IOC_GETFLAGS and ext4's EXT4_INDEX_FL: a hashed (htree) directory. */
#define KG_FS_IOC_GETFLAGS	0x80086601UL
#define KG_EXT4_INDEX_FL	0x00001000

static void test_ext4_hashed_directory(void)
{
	long fd, flags = 0;

	many_files_in_one_directory(&fs_ext4);
	fd = kg_open(at(&fs_ext4, "many"), O_RDONLY | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_ioctl(fd, KG_FS_IOC_GETFLAGS, (unsigned long)&flags), 0);
	CU_ASSERT(flags & KG_EXT4_INDEX_FL);
	kg_close(fd);
}

static void test_tmpfs_many_files(void) { many_files_in_one_directory(&fs_tmpfs); }

static void xattrs(struct fs *fs)
{
	char value[32] = "", list[256];
	long n;

	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "xa"), "x", 1), 0);
	CU_ASSERT_EQUAL(kg_setxattr(at(fs, "xa"), "user.kgrind", "v1", 2, 0), 0);
	CU_ASSERT_EQUAL(kg_setxattr(at(fs, "xa"), "user.kgrind", "v2", 2, XATTR_CREATE), -EEXIST);
	CU_ASSERT_EQUAL(kg_setxattr(at(fs, "xa"), "user.other", "longer value", 12, 0), 0);
	CU_ASSERT_EQUAL(kg_getxattr(at(fs, "xa"), "user.kgrind", value, sizeof(value)), 2);
	CU_ASSERT_NSTRING_EQUAL(value, "v1", 2);
	n = kg_listxattr(at(fs, "xa"), list, sizeof(list));
	CU_ASSERT(n > 0 && memmem(list, n, "user.kgrind", 12) && memmem(list, n, "user.other", 11));
	CU_ASSERT_EQUAL(kg_removexattr(at(fs, "xa"), "user.kgrind"), 0);
	CU_ASSERT_EQUAL(kg_getxattr(at(fs, "xa"), "user.kgrind", value, sizeof(value)), -ENODATA);
	CU_ASSERT_EQUAL(kg_getxattr(at(fs, "xa"), "user.other", value, 4), -ERANGE);
}

static void test_ext4_xattrs(void) { xattrs(&fs_ext4); }

/* tmpfs without shmem (no MMU) has no xattrs: the call says so. */
static void test_tmpfs_xattrs_unsupported(void)
{
	char value[8] = "";

	CU_ASSERT_EQUAL_FATAL(write_file(at(&fs_tmpfs, "xa"), "x", 1), 0);
	CU_ASSERT_EQUAL(kg_setxattr(at(&fs_tmpfs, "xa"), "user.kgrind", "v1", 2, 0),
			-EOPNOTSUPP);
	CU_ASSERT_EQUAL(kg_getxattr(at(&fs_tmpfs, "xa"), "user.kgrind", value,
				    sizeof(value)), -EOPNOTSUPP);
}

/* A 1 MiB ext2 image, filled. */
static void test_ext2_full_disk_enospc(void)
{
	static unsigned char block[65536];
	struct fs small = { .name = "small", .type = "ext2",
			    .mkfs = "mkfs.ext2 -q -F -b 1024 " FIXED_EXT_IDS " %s" };
	long fd, n = 0, total = 0;
	int disk;

	CU_ASSERT_EQUAL_FATAL(make_image(small.image, small.name, small.mkfs, 1), 0);
	disk = kg_disk_add(small.image, 0);
	CU_ASSERT_FATAL(disk >= 0);
	snprintf(small.dev, sizeof(small.dev), "/dev/kgdisk%d", disk);
	snprintf(small.dir, sizeof(small.dir), "/mnt/%s", small.name);
	CU_ASSERT_EQUAL_FATAL(kg_mkdir(small.dir, 0755), 0);
	CU_ASSERT_EQUAL_FATAL(mount_fs(&small, 0), 0);
	fd = kg_open(at(&small, "fill"), O_WRONLY | O_CREAT, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	while (total < (2L << 20) && (n = kg_write(fd, block, sizeof(block))) > 0)
		total += n;
	CU_ASSERT_EQUAL(n, -ENOSPC);
	CU_ASSERT(total > 0 && total < (1L << 20));
	CU_ASSERT_EQUAL(kg_close(fd), 0);
	CU_ASSERT_EQUAL(kg_umount(small.dir, 0), 0);
	CU_ASSERT_EQUAL(kg_host_run("e2fsck -fn %s", small.image), 0);
}

/* The ext4 image, a second time, on a read-only disk. */
static void test_ext4_read_only_erofs(void)
{
	struct fs ro = { .name = "ext4ro", .type = "ext4", .mkfs = "" };
	static unsigned char wr[WR_SIZE];
	char buf[16] = "";
	long err;
	int disk;

	CU_ASSERT_EQUAL_FATAL(write_wr(&fs_ext4, wr), 0);
	CU_ASSERT_EQUAL_FATAL(kg_sync(), 0);
	CU_ASSERT_EQUAL_FATAL(kg_umount(fs_ext4.dir, 0), 0);
	disk = kg_disk_add(fs_ext4.image, 1);
	CU_ASSERT_FATAL(disk >= 0);
	snprintf(ro.dev, sizeof(ro.dev), "/dev/kgdisk%d", disk);
	snprintf(ro.dir, sizeof(ro.dir), "/mnt/%s", ro.name);
	CU_ASSERT_EQUAL_FATAL(kg_mkdir(ro.dir, 0755), 0);
	err = mount_fs(&ro, 0);		/* read-write: refused */
	CU_ASSERT(err == -EACCES || err == -EROFS);
	CU_ASSERT_EQUAL_FATAL(mount_fs(&ro, MS_RDONLY), 0);
	CU_ASSERT_EQUAL(read_file(at(&ro, "wr"), buf, sizeof(buf)), (long)sizeof(buf));
	CU_ASSERT_EQUAL(kg_open(at(&ro, "new"), O_WRONLY | O_CREAT, 0644), -EROFS);
	CU_ASSERT_EQUAL(kg_mkdir(at(&ro, "newdir"), 0755), -EROFS);
	CU_ASSERT_EQUAL(kg_unlink(at(&ro, "wr")), -EROFS);
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, at(&ro, "wr"), W_OK, 0), -EROFS);
	CU_ASSERT_EQUAL(kg_faccessat(AT_FDCWD, at(&ro, "wr"), R_OK, 0), 0);
	CU_ASSERT_EQUAL(kg_umount(ro.dir, 0), 0);
	CU_ASSERT_EQUAL(mount_fs(&fs_ext4, 0), 0);
}

/* A copy of the ext4 image with bytes at offset overwritten: no mount. */
static void corrupted_ext4_refused(const char *name, off_t offset, size_t len)
{
	char copy[PATH_MAX], cmd[3 * PATH_MAX + 8];
	struct fs bad = { .name = name, .type = "ext4", .mkfs = "" };
	unsigned char junk[64];
	int fd, disk;
	long err;

	CU_ASSERT_EQUAL_FATAL(kg_sync(), 0);
	snprintf(copy, sizeof(copy), "%s/%s.img", image_dir, name);
	snprintf(cmd, sizeof(cmd), "cp %s %s", fs_ext4.image, copy);
	CU_ASSERT_EQUAL_FATAL(kg_host_run("%s", cmd), 0);
	memset(junk, 0xa5, sizeof(junk));
	fd = open(copy, O_WRONLY);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(pwrite(fd, junk, len, offset), (ssize_t)len);
	close(fd);
	disk = kg_disk_add(copy, 0);
	CU_ASSERT_FATAL(disk >= 0);
	snprintf(bad.dev, sizeof(bad.dev), "/dev/kgdisk%d", disk);
	snprintf(bad.dir, sizeof(bad.dir), "/mnt/%s", name);
	CU_ASSERT_EQUAL_FATAL(kg_mkdir(bad.dir, 0755), 0);
	/* EUCLEAN is ext4's EFSCORRUPTED */
	err = mount_fs(&bad, 0);
	CU_ASSERT(err == -EINVAL || err == -EUCLEAN);
	if (!err)
		kg_umount(bad.dir, 0);
}

/* The superblock's magic number (at 1024 + 0x38). */
static void test_ext4_corrupt_superblock_refused(void)
{
	corrupted_ext4_refused("badsuper", 1024 + 0x38, 2);
}

/* The group descriptors: the block after the superblock's. */
static void test_ext4_corrupt_group_descriptors_refused(void)
{
	unsigned char log[4] = "";
	unsigned long block;
	int fd = open(fs_ext4.image, O_RDONLY);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(pread(fd, log, 4, 1024 + 24), 4);	/* s_log_block_size */
	close(fd);
	block = 1024UL << (log[0] | log[1] << 8);
	corrupted_ext4_refused("badgroups", block == 1024 ? 2048 : block, 64);
}

/* Calls around the files themselves ------------------------------------- */

static void test_getdents64_errors(void)
{
	char buf[256] = "";
	long dir, file, path_fd;

	CU_ASSERT_EQUAL_FATAL(kg_mkdir(at(&fs_tmpfs, "gd_gone"), 0755), 0);
	CU_ASSERT_EQUAL_FATAL(write_file(at(&fs_tmpfs, "gd_file"), "f", 1), 0);
	dir = kg_open(at(&fs_tmpfs, "gd_gone"), O_RDONLY | O_DIRECTORY, 0);
	file = kg_open(at(&fs_tmpfs, "gd_file"), O_RDONLY, 0);
	path_fd = kg_open(fs_tmpfs.dir, O_PATH | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(dir >= 0 && file >= 0 && path_fd >= 0);
	CU_ASSERT_EQUAL(kg_getdents64(file, buf, sizeof(buf)), -ENOTDIR);
	CU_ASSERT_EQUAL(kg_getdents64(path_fd, buf, sizeof(buf)), -EBADF);
	CU_ASSERT_EQUAL(kg_getdents64(999, buf, sizeof(buf)), -EBADF);
	/* below the lowest address the kernel takes from a caller */
	CU_ASSERT_EQUAL(kg_getdents64(dir, (void *)0x100, sizeof(buf)), -EFAULT);
	CU_ASSERT_EQUAL(kg_getdents64(dir, buf, 1), -EINVAL);
	/* a removed directory lists nothing, not even its dots */
	CU_ASSERT_EQUAL(kg_rmdir(at(&fs_tmpfs, "gd_gone")), 0);
	CU_ASSERT_EQUAL(kg_getdents64(dir, buf, sizeof(buf)), -ENOENT);
	kg_close(dir);
	kg_close(file);
	kg_close(path_fd);
}

static void test_read_write_errors(void)
{
	const char *path = at(&fs_ext4, "rwe");
	char buf[16] = "";
	long rd, wr, dir;

	CU_ASSERT_EQUAL_FATAL(write_file(path, "0123456789", 10), 0);
	rd = kg_open(path, O_RDONLY, 0);
	wr = kg_open(path, O_WRONLY, 0);
	dir = kg_open(fs_ext4.dir, O_RDONLY | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(rd >= 0 && wr >= 0 && dir >= 0);
	CU_ASSERT_EQUAL(kg_read(wr, buf, 1), -EBADF);
	CU_ASSERT_EQUAL(kg_pread(wr, buf, 1, 0), -EBADF);
	CU_ASSERT_EQUAL(kg_write(rd, "x", 1), -EBADF);
	CU_ASSERT_EQUAL(kg_pwrite(rd, "x", 1, 0), -EBADF);
	CU_ASSERT_EQUAL(kg_read(dir, buf, sizeof(buf)), -EISDIR);
	CU_ASSERT_EQUAL(kg_read(rd, (void *)0x100, 4), -EFAULT);
	CU_ASSERT_EQUAL(kg_read(rd, buf, 0), 0);
	CU_ASSERT_EQUAL(kg_pread(rd, buf, 4, -1), -EINVAL);
	CU_ASSERT_EQUAL(kg_pwrite(wr, "x", 1, LONG_MAX), -EINVAL);	/* the end overflows */
	CU_ASSERT_EQUAL(kg_lseek(rd, -1, SEEK_CUR), -EINVAL);
	/* truncation: a writable regular file, a length from 0 to the limit */
	CU_ASSERT_EQUAL(kg_ftruncate(rd, 0), -EINVAL);
	CU_ASSERT_EQUAL(kg_ftruncate(wr, -1), -EINVAL);
	CU_ASSERT_EQUAL(kg_ftruncate(wr, LONG_MAX), -EFBIG);
	CU_ASSERT_EQUAL(kg_ftruncate(999, 0), -EBADF);
	CU_ASSERT_EQUAL(kg_truncate(path, -1), -EINVAL);
	CU_ASSERT_EQUAL(kg_truncate(fs_ext4.dir, 0), -EISDIR);
	CU_ASSERT_EQUAL(kg_truncate(at(&fs_ext4, "rwe_missing"), 0), -ENOENT);
	CU_ASSERT_EQUAL(file_size(path), 10);
	kg_close(rd);
	kg_close(wr);
	kg_close(dir);
}

static void test_ext4_fallocate_and_punch_hole(void)
{
	static unsigned char data[65536], buf[65536];
	struct kg_stat st = { 0 };
	long fd, blocks;
	size_t i, nonzero = 0;

	fd = kg_open(at(&fs_ext4, "falloc"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	/* mode 0: blocks and size; FALLOC_FL_KEEP_SIZE: blocks past the end */
	CU_ASSERT_EQUAL(kg_fallocate(fd, 0, 0, sizeof(data)), 0);
	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, (long)sizeof(data));
	CU_ASSERT(st.st_blocks >= (long)sizeof(data) / 512);
	CU_ASSERT_EQUAL(kg_fallocate(fd, FALLOC_FL_KEEP_SIZE, sizeof(data), sizeof(data)), 0);
	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, (long)sizeof(data));
	CU_ASSERT(st.st_blocks >= 2 * (long)sizeof(data) / 512);
	blocks = st.st_blocks;

	fill_pattern(data, sizeof(data), 4);
	CU_ASSERT_EQUAL(kg_pwrite(fd, data, sizeof(data), 0), (long)sizeof(data));
	CU_ASSERT_EQUAL(kg_fsync(fd), 0);
	CU_ASSERT_EQUAL(kg_fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				     16384, 16384), 0);
	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, (long)sizeof(data));
	CU_ASSERT(st.st_blocks <= blocks - 16384 / 512);
	CU_ASSERT_EQUAL(kg_pread(fd, buf, sizeof(buf), 0), (long)sizeof(buf));
	CU_ASSERT(!memcmp(buf, data, 16384));
	CU_ASSERT(!memcmp(buf + 32768, data + 32768, 32768));
	for (i = 16384; i < 32768; i++)
		nonzero += buf[i] != 0;
	CU_ASSERT_EQUAL(nonzero, 0);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_HOLE), 16384);
	CU_ASSERT_EQUAL(kg_lseek(fd, 16384, SEEK_DATA), 32768);

	CU_ASSERT_EQUAL(kg_fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4096), -EOPNOTSUPP);
	CU_ASSERT_EQUAL(kg_fallocate(fd, 0x10000, 0, 4096), -EOPNOTSUPP);	/* no such mode */
	CU_ASSERT_EQUAL(kg_fallocate(fd, 0, 0, 0), -EINVAL);
	CU_ASSERT_EQUAL(kg_fallocate(fd, 0, -4096, 4096), -EINVAL);
	CU_ASSERT_EQUAL(kg_fallocate(fd, 0, LONG_MAX - 10, 4096), -EFBIG);
	kg_close(fd);
	fd = kg_open(at(&fs_ext4, "falloc"), O_RDONLY, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_fallocate(fd, 0, 0, 4096), -EBADF);
	kg_close(fd);
}

/* vfat allocates clusters (no holes to punch); ramfs and ext2's
 * block-mapped files have no fallocate at all. */
static void test_fallocate_vfat_only_allocates_others_refuse(void)
{
	struct fs *const without[] = { &fs_tmpfs, &fs_ramfs, &fs_ext2 };
	char buf[4096] = "";
	struct kg_stat st = { 0 };
	size_t i, nonzero = 0;
	long fd;

	for (i = 0; i < sizeof(without) / sizeof(without[0]); i++) {
		fd = kg_open(at(without[i], "falloc"), O_RDWR | O_CREAT | O_TRUNC, 0644);
		CU_ASSERT_FATAL(fd >= 0);
		CU_ASSERT_EQUAL(kg_fallocate(fd, 0, 0, 4096), -EOPNOTSUPP);
		CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
		CU_ASSERT_EQUAL(st.st_size, 0);
		kg_close(fd);
	}
	fd = kg_open(at(&fs_vfat, "falloc"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 65536), 0);
	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 0);
	CU_ASSERT(st.st_blocks >= 65536 / 512);
	CU_ASSERT_EQUAL(kg_fallocate(fd, 0, 0, 10000), 0);	/* an expanding truncate */
	CU_ASSERT_EQUAL(kg_fstat(fd, &st), 0);
	CU_ASSERT_EQUAL(st.st_size, 10000);
	CU_ASSERT_EQUAL(kg_pread(fd, buf, sizeof(buf), 4096), (long)sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		nonzero += buf[i] != 0;
	CU_ASSERT_EQUAL(nonzero, 0);
	CU_ASSERT_EQUAL(kg_fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096),
			-EOPNOTSUPP);
	kg_close(fd);
	/* the clusters kept past the end would be fsck's complaint */
	CU_ASSERT_EQUAL(kg_unlink(at(&fs_vfat, "falloc")), 0);
}

/* Whether openat2 opens path (the descriptor is closed again). */
static int openat2_opens(long dir, const char *path, const struct kg_open_how *how)
{
	long fd = kg_openat2(dir, path, how, sizeof(*how));

	if (fd >= 0)
		kg_close(fd);
	return fd >= 0;
}

/* openat2's checks of struct kg_open_how, and its RESOLVE_* scoping. */
static void test_openat2_resolve_flags(void)
{
	struct kg_open_how how = { .flags = O_RDONLY };
	struct { struct kg_open_how how; uint64_t extra; } bigger = { { .flags = O_RDONLY }, 1 };
	long dir, mnt, fd;

	CU_ASSERT_EQUAL_FATAL(kg_mkdir(at(&fs_tmpfs, "o2"), 0755), 0);
	CU_ASSERT_EQUAL_FATAL(write_file(at(&fs_tmpfs, "o2/file"), "in", 2), 0);
	CU_ASSERT_EQUAL_FATAL(kg_symlink("file", at(&fs_tmpfs, "o2/link")), 0);
	CU_ASSERT_EQUAL_FATAL(kg_symlink("/file", at(&fs_tmpfs, "o2/abs")), 0);
	dir = kg_open(at(&fs_tmpfs, "o2"), O_RDONLY | O_DIRECTORY, 0);
	mnt = kg_open("/mnt", O_RDONLY | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(dir >= 0 && mnt >= 0);

	CU_ASSERT(openat2_opens(dir, "link", &how));
	how.resolve = KG_RESOLVE_NO_SYMLINKS;
	CU_ASSERT_EQUAL(kg_openat2(dir, "link", &how, sizeof(how)), -ELOOP);
	how.resolve = KG_RESOLVE_BENEATH;
	CU_ASSERT(openat2_opens(dir, "link", &how));	/* stays inside */
	CU_ASSERT_EQUAL(kg_openat2(dir, "../o2/file", &how, sizeof(how)), -EXDEV);
	CU_ASSERT_EQUAL(kg_openat2(dir, "/mnt", &how, sizeof(how)), -EXDEV);
	/* RESOLVE_IN_ROOT: "/" is the directory itself, for links too */
	how.resolve = KG_RESOLVE_IN_ROOT;
	CU_ASSERT(openat2_opens(dir, "abs", &how));
	how.resolve = KG_RESOLVE_NO_XDEV;
	CU_ASSERT_EQUAL(kg_openat2(mnt, "tmpfs/o2/file", &how, sizeof(how)), -EXDEV);
	how.resolve = KG_RESOLVE_NO_MAGICLINKS;
	CU_ASSERT_EQUAL(kg_openat2(AT_FDCWD, "/proc/self/cwd", &how, sizeof(how)), -ELOOP);
	how.resolve = KG_RESOLVE_CACHED;
	how.flags = O_WRONLY | O_CREAT;
	how.mode = 0644;
	CU_ASSERT_EQUAL(kg_openat2(dir, "new", &how, sizeof(how)), -EAGAIN);

	/* what openat ignores, openat2 refuses */
	how.resolve = KG_RESOLVE_BENEATH | KG_RESOLVE_IN_ROOT;
	how.flags = O_RDONLY;
	how.mode = 0;
	CU_ASSERT_EQUAL(kg_openat2(dir, "file", &how, sizeof(how)), -EINVAL);
	how.resolve = 1ULL << 40;
	CU_ASSERT_EQUAL(kg_openat2(dir, "file", &how, sizeof(how)), -EINVAL);
	how.resolve = 0;
	how.flags = 1ULL << 40;
	CU_ASSERT_EQUAL(kg_openat2(dir, "file", &how, sizeof(how)), -EINVAL);
	how.flags = O_RDONLY;
	how.mode = 0644;	/* a mode without O_CREAT */
	CU_ASSERT_EQUAL(kg_openat2(dir, "file", &how, sizeof(how)), -EINVAL);
	how.flags = O_WRONLY | O_CREAT;
	how.mode = 010000;	/* not a permission bit */
	CU_ASSERT_EQUAL(kg_openat2(dir, "new", &how, sizeof(how)), -EINVAL);
	how.flags = O_PATH | O_APPEND;
	how.mode = 0;
	CU_ASSERT_EQUAL(kg_openat2(dir, "file", &how, sizeof(how)), -EINVAL);
	how.flags = O_RDWR | 020000000;	/* __O_TMPFILE without O_DIRECTORY */
	CU_ASSERT_EQUAL(kg_openat2(dir, ".", &how, sizeof(how)), -EINVAL);
	how.flags = O_RDONLY;
	CU_ASSERT_EQUAL(kg_openat2(dir, "file", &how, 16), -EINVAL);	/* older than v0 */
	CU_ASSERT_EQUAL(kg_openat2(dir, "file", &how, 8192), -E2BIG);
	/* a newer caller's struct: fine if its extra fields are zero */
	CU_ASSERT_EQUAL(kg_openat2(dir, "file", &bigger.how, sizeof(bigger)), -E2BIG);
	bigger.extra = 0;
	fd = kg_openat2(dir, "file", &bigger.how, sizeof(bigger));
	CU_ASSERT(fd >= 0);
	kg_close(fd);
	kg_close(dir);
	kg_close(mnt);
}

static long fd_flags(long fd)
{
	return kg_syscall(KG_NR_fcntl, (const long[6]){ fd, F_GETFD });
}

static void test_close_range(void)
{
	long base = kg_open(fs_tmpfs.dir, O_RDONLY | O_DIRECTORY, 0);
	struct kg_stat st = { 0 };
	int i;

	CU_ASSERT_FATAL(base >= 0);
	for (i = 200; i < 204; i++)
		CU_ASSERT_EQUAL(kg_syscall(KG_NR_dup3, (const long[6]){ base, i, 0 }), i);
	/* CLOSE_RANGE_CLOEXEC: still open, marked close-on-exec */
	CU_ASSERT_EQUAL(kg_close_range(200, 203, CLOSE_RANGE_CLOEXEC), 0);
	for (i = 200; i < 204; i++)
		CU_ASSERT_EQUAL(fd_flags(i), FD_CLOEXEC);
	CU_ASSERT_EQUAL(kg_close_range(200, 201, 0), 0);
	CU_ASSERT_EQUAL(kg_fstat(200, &st), -EBADF);
	CU_ASSERT_EQUAL(kg_fstat(201, &st), -EBADF);
	CU_ASSERT_EQUAL(kg_fstat(202, &st), 0);
	CU_ASSERT_EQUAL(kg_close_range(202, 203, 0), 0);
	CU_ASSERT_EQUAL(kg_fstat(203, &st), -EBADF);
	CU_ASSERT_EQUAL(kg_fstat(base, &st), 0);
	CU_ASSERT_EQUAL(fd_flags(base), 0);
	CU_ASSERT_EQUAL(kg_close_range(10, 5, 0), -EINVAL);
	CU_ASSERT_EQUAL(kg_close_range(200, 203, 1U << 10), -EINVAL);
	kg_close(base);
}

/* chdir, fchdir and chroot change where paths start; the root is restored. */
static void test_chdir_fchdir_chroot(void)
{
	static unsigned char wr[WR_SIZE];
	long old_root, ext4_dir, file, err;
	struct kg_stat st = { 0 };

	CU_ASSERT_EQUAL_FATAL(write_wr(&fs_ext4, wr), 0);
	CU_ASSERT_EQUAL_FATAL(kg_mkdir(at(&fs_tmpfs, "jail"), 0755), 0);
	CU_ASSERT_EQUAL_FATAL(write_file(at(&fs_tmpfs, "jail/inside"), "in", 2), 0);
	CU_ASSERT_EQUAL(kg_chdir(at(&fs_tmpfs, "jail")), 0);
	CU_ASSERT_EQUAL(file_size("inside"), 2);
	CU_ASSERT_EQUAL(kg_chdir(at(&fs_tmpfs, "jail/inside")), -ENOTDIR);
	CU_ASSERT_EQUAL(kg_chdir(at(&fs_tmpfs, "nowhere")), -ENOENT);
	CU_ASSERT_EQUAL(file_size("inside"), 2);	/* a failed chdir moves nothing */

	ext4_dir = kg_open(fs_ext4.dir, O_PATH | O_DIRECTORY, 0);
	file = kg_open(at(&fs_tmpfs, "jail/inside"), O_RDONLY, 0);
	CU_ASSERT_FATAL(ext4_dir >= 0 && file >= 0);
	CU_ASSERT_EQUAL(kg_fchdir(ext4_dir), 0);
	CU_ASSERT_EQUAL(file_size("wr"), WR_SIZE);
	CU_ASSERT_EQUAL(kg_fchdir(file), -ENOTDIR);
	CU_ASSERT_EQUAL(kg_fchdir(999), -EBADF);
	kg_close(ext4_dir);
	kg_close(file);

	CU_ASSERT_EQUAL(kg_chroot(at(&fs_tmpfs, "jail/inside")), -ENOTDIR);
	old_root = kg_open("/", O_PATH | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(old_root >= 0);
	CU_ASSERT_EQUAL_FATAL(kg_chroot(at(&fs_tmpfs, "jail")), 0);
	/* no FATAL assertion until the root is back */
	CU_ASSERT_EQUAL(file_size("/inside"), 2);
	CU_ASSERT_EQUAL(file_size("/../../inside"), 2);	/* ".." stops at the root */
	CU_ASSERT_EQUAL(kg_stat("/mnt", &st), -ENOENT);
	err = kg_fchdir(old_root);
	if (!err)
		err = kg_chroot(".");
	CU_ASSERT_EQUAL(err, 0);
	/* A sweep step's fault is spent once injected: try again, or the
	 * next steps and the halt would all run in the jail. */
	if (err && !kg_fchdir(old_root))
		kg_chroot(".");
	CU_ASSERT_EQUAL(kg_chdir("/"), 0);
	kg_close(old_root);
	CU_ASSERT_EQUAL(kg_stat(fs_tmpfs.dir, &st), 0);
	CU_ASSERT_EQUAL(file_size(at(&fs_tmpfs, "jail/inside")), 2);
}

static void test_pipe_positional_io_espipe(void)
{
	int fds[2] = { -1, -1 }, more[2];
	char a[3] = "", b[8] = "";
	struct iovec in[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	off_t off = 0;
	long file;

	/* Non-blocking: in a sweep step a write may fail, and a read of the
	 * empty pipe would wait forever. */
	CU_ASSERT_EQUAL_FATAL(kg_pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
	CU_ASSERT_EQUAL(kg_write(fds[1], "pipe", 4), 4);
	CU_ASSERT_EQUAL(kg_pread(fds[0], a, 1, 0), -ESPIPE);
	CU_ASSERT_EQUAL(kg_pwrite(fds[1], "x", 1, 0), -ESPIPE);
	CU_ASSERT_EQUAL(kg_preadv(fds[0], in, 1, 0), -ESPIPE);
	CU_ASSERT_EQUAL(kg_lseek(fds[0], 0, SEEK_SET), -ESPIPE);
	CU_ASSERT_EQUAL(kg_fallocate(fds[1], 0, 0, 10), -ESPIPE);
	CU_ASSERT_EQUAL(kg_readv(fds[0], in, 2), 4);
	CU_ASSERT(!memcmp(a, "pip", 3) && b[0] == 'e');
	/* sendfile into a pipe; a pipe gives no offset to read from */
	CU_ASSERT_EQUAL_FATAL(write_file(at(&fs_tmpfs, "to_pipe"), "spliced", 7), 0);
	file = kg_open(at(&fs_tmpfs, "to_pipe"), O_RDONLY, 0);
	CU_ASSERT_FATAL(file >= 0);
	CU_ASSERT_EQUAL(kg_sendfile(fds[1], file, &off, 100), 7);
	CU_ASSERT_EQUAL(off, 7);
	CU_ASSERT_EQUAL(kg_read(fds[0], b, sizeof(b)), 7);
	CU_ASSERT_NSTRING_EQUAL(b, "spliced", 7);
	CU_ASSERT_EQUAL(kg_sendfile(file, fds[0], &off, 1), -ESPIPE);
	CU_ASSERT_EQUAL(kg_pipe2(more, O_APPEND), -EINVAL);
	kg_close(file);
	kg_close(fds[0]);
	kg_close(fds[1]);
}

/* copy_file_range stays within a filesystem; sendfile crosses. */
static void test_copy_file_range_across_filesystems(void)
{
	static unsigned char data[3000], buf[3000];
	long in, out, append, dir;

	fill_pattern(data, sizeof(data), 5);
	CU_ASSERT_EQUAL_FATAL(write_file(at(&fs_ext4, "cross"), data, sizeof(data)), 0);
	in = kg_open(at(&fs_ext4, "cross"), O_RDONLY, 0);
	out = kg_open(at(&fs_tmpfs, "cross"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	append = kg_open(at(&fs_ext4, "cross_append"), O_WRONLY | O_CREAT | O_APPEND, 0644);
	dir = kg_open(fs_ext4.dir, O_RDONLY | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(in >= 0 && out >= 0 && append >= 0 && dir >= 0);
	CU_ASSERT_EQUAL(kg_copy_file_range(in, NULL, out, NULL, sizeof(data), 0), -EXDEV);
	CU_ASSERT_EQUAL(kg_copy_file_range(in, NULL, append, NULL, sizeof(data), 0), -EBADF);
	CU_ASSERT_EQUAL(kg_copy_file_range(dir, NULL, append, NULL, sizeof(data), 0), -EISDIR);
	CU_ASSERT_EQUAL(kg_copy_file_range(999, NULL, append, NULL, 1, 0), -EBADF);
	CU_ASSERT_EQUAL(kg_sendfile(out, in, NULL, sizeof(data)), (long)sizeof(data));
	CU_ASSERT_EQUAL(kg_pread(out, buf, sizeof(buf), 0), (long)sizeof(buf));
	CU_ASSERT(!memcmp(buf, data, sizeof(data)));
	kg_close(in);
	kg_close(out);
	kg_close(append);
	kg_close(dir);
}

static void test_statfs_each_filesystem(void)
{
	struct kg_statfs sfs = { 0 }, by_fd = { 0 };
	unsigned int i;
	long fd;

	for (i = 0; i < sizeof(all_fs) / sizeof(all_fs[0]); i++) {
		const struct fs *fs = all_fs[i];

		memset(&sfs, 0, sizeof(sfs));
		CU_ASSERT_EQUAL(kg_statfs(fs->dir, &sfs), 0);
		CU_ASSERT_EQUAL(sfs.f_type, fs->magic);
		CU_ASSERT(sfs.f_bsize > 0 && sfs.f_namelen > 0);
		if (fs->mkfs)
			CU_ASSERT(sfs.f_blocks > 0 && sfs.f_bfree <= sfs.f_blocks);
		fd = kg_open(fs->dir, O_RDONLY | O_DIRECTORY, 0);
		CU_ASSERT_FATAL(fd >= 0);
		CU_ASSERT_EQUAL(kg_fstatfs(fd, &by_fd), 0);
		CU_ASSERT_EQUAL(by_fd.f_type, fs->magic);
		CU_ASSERT_EQUAL(by_fd.f_blocks, sfs.f_blocks);
		kg_close(fd);
	}
	CU_ASSERT_EQUAL(kg_statfs("/proc", &sfs), 0);
	CU_ASSERT_EQUAL(sfs.f_type, PROC_SUPER_MAGIC);
	CU_ASSERT_EQUAL(kg_statfs("/mnt/nowhere", &sfs), -ENOENT);
	CU_ASSERT_EQUAL(kg_fstatfs(999, &sfs), -EBADF);
}

/* name_to_handle_at and back with open_by_handle_at, where there are handles. */
static void file_handle_reopens(struct fs *fs)
{
	union {
		struct file_handle fh;
		char space[sizeof(struct file_handle) + 128];
	} h = { 0 };
	struct kg_stat by_name = { 0 }, by_handle = { 0 };
	char buf[16] = "";
	unsigned char want[16];
	static unsigned char wr[WR_SIZE];
	long mnt, held, fd;
	int mount_id = -1;

	CU_ASSERT_EQUAL_FATAL(write_wr(fs, wr), 0);
	mnt = kg_open(fs->dir, O_RDONLY | O_DIRECTORY, 0);
	held = kg_open(at(fs, "wr"), O_RDONLY, 0);	/* keeps the inode cached */
	CU_ASSERT_FATAL(mnt >= 0 && held >= 0);
	memset(&h, 0, sizeof(h));
	CU_ASSERT_EQUAL(kg_name_to_handle_at(AT_FDCWD, at(fs, "wr"), &h.fh, &mount_id, 0),
			-EOVERFLOW);
	CU_ASSERT(h.fh.handle_bytes > 0 && h.fh.handle_bytes <= 128);	/* the size it needs */
	CU_ASSERT_EQUAL(kg_name_to_handle_at(AT_FDCWD, at(fs, "wr"), &h.fh, &mount_id, 0), 0);
	CU_ASSERT(mount_id >= 0);
	fd = kg_open_by_handle_at(mnt, &h.fh, O_RDONLY);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_fstat(fd, &by_handle), 0);
	CU_ASSERT_EQUAL(kg_stat(at(fs, "wr"), &by_name), 0);
	CU_ASSERT_EQUAL(by_handle.st_ino, by_name.st_ino);
	fill_pattern(want, sizeof(want), 1);	/* what write_wr wrote */
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), (long)sizeof(buf));
	CU_ASSERT(!memcmp(buf, want, sizeof(want)));
	kg_close(fd);
	kg_close(held);
	kg_close(mnt);
}

static void test_file_handles_ext4_vfat_not_ramfs(void)
{
	union {
		struct file_handle fh;
		char space[sizeof(struct file_handle) + 128];
	} h = { 0 };
	static unsigned char wr[WR_SIZE];
	int mount_id;

	file_handle_reopens(&fs_ext4);
	file_handle_reopens(&fs_vfat);
	CU_ASSERT_EQUAL_FATAL(write_wr(&fs_ramfs, wr), 0);
	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = 128;
	CU_ASSERT_EQUAL(kg_name_to_handle_at(AT_FDCWD, at(&fs_ramfs, "wr"), &h.fh,
					     &mount_id, 0), -EOPNOTSUPP);
}

/* /proc/fs/nfsd: a mount point kept always empty (make_empty_dir_inode). */
static void test_proc_empty_mount_point_directory(void)
{
	const char *dir = "/proc/fs/nfsd";
	char names[64] = "", buf[64] = "";
	struct kg_stat st = { 0 };
	long fd;

	CU_ASSERT_EQUAL_FATAL(kg_stat(dir, &st), 0);
	CU_ASSERT(S_ISDIR(st.st_mode));
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0555);
	CU_ASSERT_EQUAL(st.st_nlink, 2);
	CU_ASSERT_EQUAL(list_dir(dir, names, sizeof(names)), 2);
	CU_ASSERT_STRING_EQUAL(names, "/./../");
	CU_ASSERT_EQUAL(kg_stat("/proc/fs/nfsd/x", &st), -ENOENT);
	CU_ASSERT_EQUAL(kg_chmod(dir, 0755), -EPERM);
	fd = kg_open(dir, O_RDONLY | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_read(fd, buf, sizeof(buf)), -EISDIR);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_END), 2);	/* "." and ".." */
	CU_ASSERT_EQUAL(kg_lseek(fd, 3, SEEK_SET), -EINVAL);
	CU_ASSERT_EQUAL(kg_lseek(fd, 1, SEEK_SET), 1);
	CU_ASSERT_EQUAL(kg_getdents64(fd, buf, sizeof(buf)), 24);	/* ".." alone */
	CU_ASSERT_STRING_EQUAL(((struct kg_dirent64 *)buf)->d_name, "..");
	CU_ASSERT_EQUAL(kg_fsync(fd), 0);
	kg_close(fd);
}

/*
 * /proc/<pid>/oom_score_adj has read and write but no read_iter: readv
 * and writev go one segment per call.  It seeks with default_llseek and
 * /proc/<pid>/task with a cookie; the task directory rewinds.
 */
static void test_proc_files_seek_and_vectored_io(void)
{
	char a[1] = "", b[8] = "", text[8] = "";
	struct iovec in[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iovec out[2] = { { "0", 1 }, { "0", 1 } };
	int seen[GD_FILES] = { 0 }, calls;
	long fd, entries;

	fd = kg_open("/proc/self/oom_score_adj", O_RDWR, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(kg_readv(fd, in, 2), 2);
	CU_ASSERT(a[0] == '0' && b[0] == '\n');
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_CUR), 2);
	CU_ASSERT_EQUAL(kg_preadv(fd, in, 2, 0), 2);
	CU_ASSERT_EQUAL(kg_lseek(fd, 1, SEEK_SET), 1);
	CU_ASSERT_EQUAL(kg_lseek(fd, 2, SEEK_CUR), 3);
	CU_ASSERT_EQUAL(kg_lseek(fd, 5, SEEK_END), 5);	/* its size is 0 */
	CU_ASSERT_EQUAL(kg_lseek(fd, -1, SEEK_SET), -EINVAL);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_DATA), -ENXIO);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_HOLE), -ENXIO);
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_SET), 0);
	CU_ASSERT_EQUAL(kg_writev(fd, out, 2), 2);
	kg_close(fd);
	CU_ASSERT_EQUAL(kg_read_file("/proc/self/oom_score_adj", text, sizeof(text)), 2);
	CU_ASSERT_STRING_EQUAL(text, "0\n");

	fd = kg_open("/proc/self/task", O_RDONLY | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(fd >= 0);
	entries = walk_dirents(fd, 4096, &calls, mark_entry, seen);
	CU_ASSERT(entries >= 3);	/* the dots and this thread at least */
	CU_ASSERT_EQUAL(kg_lseek(fd, 0, SEEK_SET), 0);
	CU_ASSERT_EQUAL(walk_dirents(fd, 4096, &calls, mark_entry, seen), entries);
	CU_ASSERT_EQUAL(kg_lseek(fd, -1, SEEK_SET), -EINVAL);
	kg_close(fd);
}

/* A ramfs-style directory (dcache_dir_lseek): seeks count entries. */
static void test_tmpfs_directory_seek(void)
{
	int seen[GD_FILES] = { 0 }, calls, i;
	char name[32] = "", buf[96] = "";
	long first, second;

	CU_ASSERT_EQUAL_FATAL(kg_mkdir(at(&fs_tmpfs, "ds"), 0755), 0);
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "ds/entry-%02d", i);
		CU_ASSERT_EQUAL_FATAL(write_file(at(&fs_tmpfs, name), "", 0), 0);
	}
	first = kg_open(at(&fs_tmpfs, "ds"), O_RDONLY | O_DIRECTORY, 0);
	second = kg_open(at(&fs_tmpfs, "ds"), O_RDONLY | O_DIRECTORY, 0);
	CU_ASSERT_FATAL(first >= 0 && second >= 0);
	/* the first reader stops after ".", ".." and one entry */
	CU_ASSERT_EQUAL(kg_getdents64(first, buf, sizeof(buf)), 80);
	CU_ASSERT_EQUAL(kg_lseek(second, 5, SEEK_SET), 5);
	CU_ASSERT_EQUAL(kg_lseek(second, 2, SEEK_CUR), 7);
	CU_ASSERT_EQUAL(walk_dirents(second, 4096, NULL, mark_entry, seen), 12 - 7);
	CU_ASSERT_EQUAL(kg_lseek(second, -20, SEEK_CUR), -EINVAL);
	CU_ASSERT_EQUAL(kg_lseek(second, 0, SEEK_END), -EINVAL);
	CU_ASSERT_EQUAL(kg_lseek(second, 100, SEEK_SET), 100);	/* past the end */
	CU_ASSERT_EQUAL(kg_getdents64(second, buf, sizeof(buf)), 0);
	/* the first reader goes on where it stopped */
	CU_ASSERT_EQUAL(walk_dirents(first, 4096, NULL, mark_entry, seen), 12 - 3);
	for (i = 0, calls = 0; i < 10; i++)
		calls += seen[i];
	CU_ASSERT_EQUAL(calls, 5 + 9);
	CU_ASSERT_EQUAL(kg_read(first, buf, sizeof(buf)), -EISDIR);
	CU_ASSERT_EQUAL(kg_fsync(first), 0);
	kg_close(first);
	kg_close(second);
}


#define ALL_FS_TESTS(fs) FS_CASES(FS_TEST_INFO, fs)

static CU_TestInfo fs_tests[] = {
	ALL_FS_TESTS(tmpfs)
	ALL_FS_TESTS(ramfs)
	ALL_FS_TESTS(ext2)
	ALL_FS_TESTS(ext4)
	ALL_FS_TESTS(vfat)
	{ "ext2_big_file_survives_remount", test_ext2_big_file_survives_remount },
	{ "ext4_big_file_survives_remount", test_ext4_big_file_survives_remount },
	{ "vfat_big_file_survives_remount", test_vfat_big_file_survives_remount },
	{ "ext4_hashed_directory", test_ext4_hashed_directory },
	{ "tmpfs_many_files", test_tmpfs_many_files },
	{ "ext4_xattrs", test_ext4_xattrs },
	{ "tmpfs_xattrs_unsupported", test_tmpfs_xattrs_unsupported },
	{ "ext2_full_disk_enospc", test_ext2_full_disk_enospc },
	{ "ext4_read_only_erofs", test_ext4_read_only_erofs },
	{ "ext4_corrupt_superblock_refused", test_ext4_corrupt_superblock_refused },
	{ "ext4_corrupt_group_descriptors_refused", test_ext4_corrupt_group_descriptors_refused },
	{ "getdents64_errors", test_getdents64_errors },
	{ "read_write_errors", test_read_write_errors },
	{ "ext4_fallocate_and_punch_hole", test_ext4_fallocate_and_punch_hole },
	{ "fallocate_vfat_only_allocates_others_refuse",
	  test_fallocate_vfat_only_allocates_others_refuse },
	{ "openat2_resolve_flags", test_openat2_resolve_flags },
	{ "close_range", test_close_range },
	{ "chdir_fchdir_chroot", test_chdir_fchdir_chroot },
	{ "pipe_positional_io_espipe", test_pipe_positional_io_espipe },
	{ "copy_file_range_across_filesystems", test_copy_file_range_across_filesystems },
	{ "statfs_each_filesystem", test_statfs_each_filesystem },
	{ "file_handles_ext4_vfat_not_ramfs", test_file_handles_ext4_vfat_not_ramfs },
	{ "proc_empty_mount_point_directory", test_proc_empty_mount_point_directory },
	{ "proc_files_seek_and_vectored_io", test_proc_files_seek_and_vectored_io },
	{ "tmpfs_directory_seek", test_tmpfs_directory_seek },
	CU_TEST_INFO_NULL,
};

/* After the halt: the host's fsck on every image ---------------------- */

static void test_ext2_fsck_clean(void)
{
	CU_ASSERT_EQUAL(kg_host_run("e2fsck -fn %s", fs_ext2.image), 0);
}

static void test_ext4_fsck_clean(void)
{
	CU_ASSERT_EQUAL(kg_host_run("e2fsck -fn %s", fs_ext4.image), 0);
}

static void test_vfat_fsck_clean(void)
{
	CU_ASSERT_EQUAL(kg_host_run("fsck.vfat -n %s", fs_vfat.image), 0);
}

static CU_TestInfo fs_after_halt_tests[] = {
	{ "ext2_fsck_clean", test_ext2_fsck_clean },
	{ "ext4_fsck_clean", test_ext4_fsck_clean },
	{ "vfat_fsck_clean", test_vfat_fsck_clean },
	CU_TEST_INFO_NULL,
};

/* Setup ----------------------------------------------------------------- */

static void remove_images(void)
{
	if (image_dir[0])
		kg_host_run("rm -rf %s", image_dir);
}

/* Each filesystem on /mnt/<name>, on a disk of its own if it needs one. */
static int mount_all(void)
{
	unsigned int i;
	long err;

	for (i = 0; i < sizeof(all_fs) / sizeof(all_fs[0]); i++) {
		struct fs *fs = all_fs[i];

		snprintf(fs->dir, sizeof(fs->dir), "/mnt/%s", fs->name);
		err = kg_mkdir(fs->dir, 0755);
		if (err && err != -EEXIST)
			return (int)err;
		if (fs->mkfs) {
			int disk;

			if (make_image(fs->image, fs->name, fs->mkfs, IMAGE_MIB)) {
				fprintf(stderr, "fs: '%s' failed on %s\n", fs->mkfs, fs->image);
				return -EIO;
			}
			disk = kg_disk_add(fs->image, 0);
			if (disk < 0)
				return disk;
			snprintf(fs->dev, sizeof(fs->dev), "/dev/kgdisk%d", disk);
		}
		err = mount_fs(fs, 0);
		if (err) {
			fprintf(stderr, "fs: mounting %s on %s: %s\n", fs->type, fs->dir,
				strerror((int)-err));
			return (int)err;
		}
	}
	return 0;
}

/* /dev (devtmpfs, for the disks), /proc, then each filesystem on /mnt/<name>. */
static int fs_setup(void)
{
	long err;

	snprintf(image_dir, sizeof(image_dir), "%s/kgrind-fs.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(image_dir)) {
		fprintf(stderr, "fs: no temporary directory %s\n", image_dir);
		image_dir[0] = '\0';
		return -errno;
	}
	atexit(remove_images);
	if ((err = kg_mount_at("devtmpfs", "/dev", "devtmpfs")) ||
	    (err = kg_mount_at("proc", "/proc", "proc")) ||
	    (err = kg_mkdir("/mnt", 0755)))
		return (int)err;
	return mount_all();
}

/*
 * The disks are unmounted before the halt, so that fsck finds them clean
 * after it.  One a test unmounted and could not mount again is not
 * mounted (-EINVAL): that test has failed already.
 */
static int fs_teardown(void)
{
	unsigned int i;
	long err;

	for (i = 0; i < sizeof(all_fs) / sizeof(all_fs[0]); i++) {
		if (!all_fs[i]->mkfs)
			continue;
		err = kg_umount(all_fs[i]->dir, 0);
		if (err && err != -EINVAL) {
			fprintf(stderr, "fs: unmounting %s: %s\n", all_fs[i]->dir,
				strerror((int)-err));
			return (int)err;
		}
	}
	return 0;
}

static const struct kg_suite fs_suite = {
	.name = "fs",
	.tests = fs_tests,
	.after_halt = fs_after_halt_tests,
	.setup = fs_setup,
	.teardown = fs_teardown,
};

int main(int argc, char **argv)
{
	return kg_suite_main(&fs_suite, argc, argv);
}
