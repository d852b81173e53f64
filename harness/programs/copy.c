// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind-run's --copy-in and --copy-out: a host file or directory tree
 * copied into the library kernel before the program starts, and one of
 * the kernel's copied out when it ends.  Regular files, directories and
 * symbolic links are copied with their mode; anything else is left.
 *
 * Both run as kgrind's own code (before the sites are patched, and at
 * the halt), so the C library's calls here are the host's.  A copy out
 * goes to a directory of the run's reports, the one place on the host
 * the run may write: kgrind-run moves it where the user asked.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kgrind.h"
#include "copy.h"

#define KG_COPY_CHUNK (256 * 1024)

struct kg_copy {
	char *buf;
	char *why;
	unsigned long size;
};

static int kg_copy_fail(struct kg_copy *c, const char *path, long err)
{
	snprintf(c->why, c->size, "%s: %s", path, strerror((int)-err));
	return (int)err;
}

/* mkdir -p in the kernel. */
long kg_copy_mkdirs(const char *dir)
{
	char path[4096];
	char *p;
	long err;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; ; p++) {
		char c = *p;

		if (c != '/' && c)
			continue;
		*p = '\0';
		err = kg_mkdir(path, 0755);
		if (err && err != -EEXIST)
			return err;
		if (!(*p = c))
			return 0;
	}
}

static int kg_copy_in_file(struct kg_copy *c, const char *host, const char *kernel, int mode)
{
	int in = open(host, O_RDONLY | O_CLOEXEC);
	long out, n = 0;

	if (in < 0)
		return kg_copy_fail(c, host, -errno);
	out = kg_open(kernel, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777);
	if (out < 0) {
		close(in);
		return kg_copy_fail(c, kernel, out);
	}
	while ((n = read(in, c->buf, KG_COPY_CHUNK)) > 0) {
		long done = 0;

		while (done < n) {
			long w = kg_write(out, c->buf + done, n - done);

			if (w <= 0) {
				n = w ? w : -EIO;
				goto out;
			}
			done += w;
		}
	}
	if (n < 0)
		n = -errno;
out:
	close(in);
	kg_close(out);
	return n < 0 ? kg_copy_fail(c, kernel, n) : 0;
}

static int kg_copy_in_tree(struct kg_copy *c, const char *host, const char *kernel)
{
	struct stat st;
	struct dirent *e;
	DIR *dir;
	int err = 0;

	if (lstat(host, &st))
		return kg_copy_fail(c, host, -errno);
	if (S_ISREG(st.st_mode))
		return kg_copy_in_file(c, host, kernel, st.st_mode);
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(host, target, sizeof(target) - 1);
		long r;

		if (n < 0)
			return kg_copy_fail(c, host, -errno);
		target[n] = '\0';
		kg_unlink(kernel);
		r = kg_symlink(target, kernel);
		return r ? kg_copy_fail(c, kernel, r) : 0;
	}
	if (!S_ISDIR(st.st_mode))
		return 0;
	{
		long r = kg_mkdir(kernel, st.st_mode & 07777);

		if (r && r != -EEXIST)
			return kg_copy_fail(c, kernel, r);
	}
	dir = opendir(host);
	if (!dir)
		return kg_copy_fail(c, host, -errno);
	while (!err && (e = readdir(dir))) {
		char *from, *to;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (asprintf(&from, "%s/%s", host, e->d_name) < 0)
			break;
		if (asprintf(&to, "%s/%s", kernel, e->d_name) < 0) {
			free(from);
			break;
		}
		err = kg_copy_in_tree(c, from, to);
		free(from);
		free(to);
	}
	closedir(dir);
	return err;
}

int kg_copy_in(const char *host, const char *kernel, char *why, unsigned long size)
{
	struct kg_copy c = { .buf = malloc(KG_COPY_CHUNK), .why = why, .size = size };
	char parent[4096], *slash;
	int err;

	if (!c.buf)
		return kg_copy_fail(&c, host, -ENOMEM);
	snprintf(parent, sizeof(parent), "%s", kernel);
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		err = (int)kg_copy_mkdirs(parent);
		if (err) {
			free(c.buf);
			return kg_copy_fail(&c, parent, err);
		}
	}
	err = kg_copy_in_tree(&c, host, kernel);
	free(c.buf);
	return err;
}

static int kg_copy_out_file(struct kg_copy *c, const char *kernel, const char *host, int mode)
{
	long in = kg_open(kernel, O_RDONLY, 0), n;
	int out;

	if (in < 0)
		return kg_copy_fail(c, kernel, in);
	out = open(host, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 07777);
	if (out < 0) {
		kg_close(in);
		return kg_copy_fail(c, host, -errno);
	}
	while ((n = kg_read(in, c->buf, KG_COPY_CHUNK)) > 0)
		if (write(out, c->buf, n) != n) {
			n = -EIO;
			break;
		}
	kg_close(in);
	close(out);
	return n < 0 ? kg_copy_fail(c, kernel, n) : 0;
}

static int kg_copy_out_tree(struct kg_copy *c, const char *kernel, const char *host);

static int kg_copy_out_dir(struct kg_copy *c, const char *kernel, const char *host, int mode)
{
	char *entries = malloc(KG_COPY_CHUNK);
	long fd, n;
	int err = 0;

	if (!entries)
		return kg_copy_fail(c, kernel, -ENOMEM);
	if (mkdir(host, mode & 07777) && errno != EEXIST) {
		free(entries);
		return kg_copy_fail(c, host, -errno);
	}
	fd = kg_open(kernel, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0) {
		free(entries);
		return kg_copy_fail(c, kernel, fd);
	}
	while (!err && (n = kg_getdents64((int)fd, entries, KG_COPY_CHUNK)) > 0) {
		long off = 0;

		while (!err && off < n) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			unsigned short reclen = *(unsigned short *)(entries + off + 16);
			const char *name = entries + off + 19;
			char *from, *to;

			off += reclen;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				continue;
			if (asprintf(&from, "%s/%s", kernel, name) < 0)
				err = -ENOMEM;
			else if (asprintf(&to, "%s/%s", host, name) < 0) {
				free(from);
				err = -ENOMEM;
			} else {
				err = kg_copy_out_tree(c, from, to);
				free(from);
				free(to);
			}
		}
	}
	kg_close(fd);
	free(entries);
	return err;
}

static int kg_copy_out_tree(struct kg_copy *c, const char *kernel, const char *host)
{
	struct statx st;
	long r = kg_statx(AT_FDCWD, kernel, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &st);

	if (r)
		return kg_copy_fail(c, kernel, r);
	if (S_ISREG(st.stx_mode))
		return kg_copy_out_file(c, kernel, host, st.stx_mode);
	if (S_ISDIR(st.stx_mode))
		return kg_copy_out_dir(c, kernel, host, st.stx_mode);
	if (S_ISLNK(st.stx_mode)) {
		char target[4096];

		r = kg_readlink(kernel, target, sizeof(target) - 1);
		if (r < 0)
			return kg_copy_fail(c, kernel, r);
		target[r] = '\0';
		return symlink(target, host) ? kg_copy_fail(c, host, -errno) : 0;
	}
	return 0;
}

int kg_copy_out(const char *kernel, const char *host, char *why, unsigned long size)
{
	struct kg_copy c = { .buf = malloc(KG_COPY_CHUNK), .why = why, .size = size };
	int err;

	if (!c.buf)
		return kg_copy_fail(&c, kernel, -ENOMEM);
	err = kg_copy_out_tree(&c, kernel, host);
	free(c.buf);
	return err;
}
