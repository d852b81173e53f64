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
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "kgrind.h"
#include "kg_suite.h"

#define IMAGE_MIB	40

enum { HAS_LINKS = 1, HAS_MODES = 2, HAS_XATTRS = 4 };

struct fs {
	const char *name;	/* also the mount point, /mnt/<name> */
	const char *type;
	const char *mkfs;	/* NULL: no disk; "": a disk made already; else mkfs, %s: image */
	unsigned int has;
	char dir[64];
	char dev[32];
	char image[PATH_MAX];
};

/*
 * Without an MMU there is no shmem: "tmpfs" is ramfs's code under
 * another name (mm/shmem.c), and has no xattrs.
 */
static struct fs fs_tmpfs = { .name = "tmpfs", .type = "tmpfs",
			      .has = HAS_LINKS | HAS_MODES };
static struct fs fs_ramfs = { .name = "ramfs", .type = "ramfs",
			      .has = HAS_LINKS | HAS_MODES };
static struct fs fs_ext2 = { .name = "ext2", .type = "ext2",
			     .mkfs = "mkfs.ext2 -q -F %s",
			     .has = HAS_LINKS | HAS_MODES | HAS_XATTRS };
static struct fs fs_ext4 = { .name = "ext4", .type = "ext4",
			     .mkfs = "mkfs.ext4 -q -F %s",
			     .has = HAS_LINKS | HAS_MODES | HAS_XATTRS };
static struct fs fs_vfat = { .name = "vfat", .type = "vfat", .mkfs = "mkfs.vfat %s" };
static struct fs *const all_fs[] = { &fs_tmpfs, &fs_ramfs, &fs_ext2, &fs_ext4, &fs_vfat };

static char image_dir[256];	/* the host's temporary directory */

/* Helpers --------------------------------------------------------------- */

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
	struct kg_stat st;
	long err = kg_stat(path, &st);

	return err ? err : st.st_size;
}

/* Runs a host command quietly; its exit status, or -1. */
static int host_run(const char *fmt, const char *arg)
{
	char cmd[2 * PATH_MAX];
	int status;

	snprintf(cmd, sizeof(cmd), fmt, arg);
	strncat(cmd, " >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	status = system(cmd);
	return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
	return host_run(mkfs, path) ? -1 : 0;
}

static long mount_fs(struct fs *fs, unsigned long flags)
{
	return kg_mount(fs->mkfs ? fs->dev : fs->type, fs->dir, fs->type, flags, NULL);
}

/* The cases every filesystem runs ------------------------------------- */

static void case_write_read(struct fs *fs)
{
	static unsigned char out[10000], in[10000];

	fill_pattern(out, sizeof(out), 1);
	CU_ASSERT_EQUAL_FATAL(write_file(at(fs, "wr"), out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(file_size(at(fs, "wr")), (long)sizeof(out));
	CU_ASSERT_EQUAL(read_file(at(fs, "wr"), in, sizeof(in)), (long)sizeof(in));
	CU_ASSERT(memcmp(in, out, sizeof(out)) == 0);
}

static void case_seek(struct fs *fs)
{
	char buf[8] = "";
	long fd = kg_open(at(fs, "seek"), O_RDWR | O_CREAT | O_TRUNC, 0644);

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
	unsigned char buf[6000];
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
	struct kg_stat st;

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
	struct kg_stat st;

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

/* The names getdents64 lists in dir, each once, joined by '/'. */
static int list_dir(const char *dir, char *names, size_t size)
{
	char buf[4096];
	long fd = kg_open(dir, O_RDONLY | O_DIRECTORY, 0), n, off;
	int count = 0;

	names[0] = '\0';
	if (fd < 0)
		return (int)fd;
	while ((n = kg_getdents64(fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n;) {
			struct kg_dirent64 *d = (void *)(buf + off);

			strncat(names, "/", size - strlen(names) - 1);
			strncat(names, d->d_name, size - strlen(names) - 1);
			count++;
			off += d->d_reclen;
		}
	kg_close(fd);
	strncat(names, "/", size - strlen(names) - 1);
	return n < 0 ? (int)n : count;
}

static void case_getdents(struct fs *fs)
{
	char names[1024];
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
	struct kg_stat st;
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
	struct kg_stat st;

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
	X(fs, errors)

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
	long fd, n;

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
	/* what the generic cases left is still there */
	CU_ASSERT_EQUAL(file_size(at(fs, "wr")), 10000);
}

static void test_ext2_big_file_survives_remount(void) { big_file_survives_remount(&fs_ext2); }
static void test_ext4_big_file_survives_remount(void) { big_file_survives_remount(&fs_ext4); }
static void test_vfat_big_file_survives_remount(void) { big_file_survives_remount(&fs_vfat); }

#define MANY_FILES 1000

static void many_files_in_one_directory(struct fs *fs)
{
	char name[64], names[4096];
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
	char value[8];

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
			    .mkfs = "mkfs.ext2 -q -F -b 1024 %s" };
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
	CU_ASSERT_EQUAL(host_run("e2fsck -fn %s", small.image), 0);
}

/* The ext4 image, a second time, on a read-only disk. */
static void test_ext4_read_only_erofs(void)
{
	struct fs ro = { .name = "ext4ro", .type = "ext4", .mkfs = "" };
	char buf[16];
	long err;
	int disk;

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
	CU_ASSERT_EQUAL_FATAL(host_run("%s", cmd), 0);
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
	unsigned char log[4];
	unsigned long block;
	int fd = open(fs_ext4.image, O_RDONLY);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(pread(fd, log, 4, 1024 + 24), 4);	/* s_log_block_size */
	close(fd);
	block = 1024UL << (log[0] | log[1] << 8);
	corrupted_ext4_refused("badgroups", block == 1024 ? 2048 : block, 64);
}

/* Unmounted before the halt, so that fsck finds them clean after it. */
static void test_unmount_disks(void)
{
	CU_ASSERT_EQUAL(kg_umount(fs_ext2.dir, 0), 0);
	CU_ASSERT_EQUAL(kg_umount(fs_ext4.dir, 0), 0);
	CU_ASSERT_EQUAL(kg_umount(fs_vfat.dir, 0), 0);
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
	{ "unmount_disks", test_unmount_disks },
	CU_TEST_INFO_NULL,
};

/* After the halt: the host's fsck on every image ---------------------- */

static void test_ext2_fsck_clean(void)
{
	CU_ASSERT_EQUAL(host_run("e2fsck -fn %s", fs_ext2.image), 0);
}

static void test_ext4_fsck_clean(void)
{
	CU_ASSERT_EQUAL(host_run("e2fsck -fn %s", fs_ext4.image), 0);
}

static void test_vfat_fsck_clean(void)
{
	CU_ASSERT_EQUAL(host_run("fsck.vfat -n %s", fs_vfat.image), 0);
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
		host_run("rm -rf %s", image_dir);
}

/* /dev (devtmpfs, for the disks), then each filesystem on /mnt/<name>. */
static int fs_setup(void)
{
	unsigned int i;
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
	    (err = kg_mkdir("/mnt", 0755)))
		return (int)err;
	for (i = 0; i < sizeof(all_fs) / sizeof(all_fs[0]); i++) {
		struct fs *fs = all_fs[i];

		snprintf(fs->dir, sizeof(fs->dir), "/mnt/%s", fs->name);
		if ((err = kg_mkdir(fs->dir, 0755)))
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

static const struct kg_suite fs_suite = {
	.name = "fs",
	.tests = fs_tests,
	.after_halt = fs_after_halt_tests,
	.setup = fs_setup,
};

int main(int argc, char **argv)
{
	return kg_suite_main(&fs_suite, argc, argv);
}
