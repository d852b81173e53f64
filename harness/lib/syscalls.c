// SPDX-License-Identifier: GPL-2.0
/* Typed wrappers over kg_syscall(). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include "kgrind.h"

#define KG_ARGS(...) ((const long[6]){ __VA_ARGS__ })
#define L(x) ((long)(x))

long kg_getpid(void) { return kg_syscall(KG_NR_getpid, NULL); }
long kg_gettid(void) { return kg_syscall(KG_NR_gettid, NULL); }
long kg_sync(void) { return kg_syscall(KG_NR_sync, NULL); }

long kg_uname(struct utsname *buf)
{
	return kg_syscall(KG_NR_uname, KG_ARGS(L(buf)));
}

long kg_openat(int dirfd, const char *path, int flags, int mode)
{
	return kg_syscall(KG_NR_openat, KG_ARGS(dirfd, L(path), flags, mode));
}

long kg_open(const char *path, int flags, int mode)
{
	return kg_openat(AT_FDCWD, path, flags, mode);
}

long kg_close(int fd) { return kg_syscall(KG_NR_close, KG_ARGS(fd)); }
long kg_dup(int fd) { return kg_syscall(KG_NR_dup, KG_ARGS(fd)); }
long kg_fsync(int fd) { return kg_syscall(KG_NR_fsync, KG_ARGS(fd)); }

long kg_read(int fd, void *buf, size_t count)
{
	return kg_syscall(KG_NR_read, KG_ARGS(fd, L(buf), L(count)));
}

long kg_write(int fd, const void *buf, size_t count)
{
	return kg_syscall(KG_NR_write, KG_ARGS(fd, L(buf), L(count)));
}

long kg_pread(int fd, void *buf, size_t count, off_t offset)
{
	return kg_syscall(KG_NR_pread64, KG_ARGS(fd, L(buf), L(count), offset));
}

long kg_pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return kg_syscall(KG_NR_pwrite64, KG_ARGS(fd, L(buf), L(count), offset));
}

long kg_lseek(int fd, off_t offset, int whence)
{
	return kg_syscall(KG_NR_lseek, KG_ARGS(fd, offset, whence));
}

long kg_ftruncate(int fd, off_t length)
{
	return kg_syscall(KG_NR_ftruncate, KG_ARGS(fd, length));
}

long kg_fstat(int fd, struct kg_stat *st)
{
	return kg_syscall(KG_NR_fstat, KG_ARGS(fd, L(st)));
}

long kg_stat(const char *path, struct kg_stat *st)
{
	return kg_syscall(KG_NR_newfstatat, KG_ARGS(AT_FDCWD, L(path), L(st), 0));
}

long kg_statx(int dirfd, const char *path, int flags, unsigned int mask,
	      struct statx *stx)
{
	return kg_syscall(KG_NR_statx,
			  KG_ARGS(dirfd, L(path), flags, mask, L(stx)));
}

long kg_getdents64(int fd, void *buf, size_t count)
{
	return kg_syscall(KG_NR_getdents64, KG_ARGS(fd, L(buf), L(count)));
}

long kg_mkdir(const char *path, int mode)
{
	return kg_syscall(KG_NR_mkdirat, KG_ARGS(AT_FDCWD, L(path), mode));
}

long kg_rmdir(const char *path)
{
	return kg_syscall(KG_NR_unlinkat,
			  KG_ARGS(AT_FDCWD, L(path), AT_REMOVEDIR));
}

long kg_unlink(const char *path)
{
	return kg_syscall(KG_NR_unlinkat, KG_ARGS(AT_FDCWD, L(path), 0));
}

long kg_rename(const char *oldpath, const char *newpath)
{
	return kg_syscall(KG_NR_renameat2, KG_ARGS(AT_FDCWD, L(oldpath),
						   AT_FDCWD, L(newpath), 0));
}

long kg_symlink(const char *target, const char *linkpath)
{
	return kg_syscall(KG_NR_symlinkat,
			  KG_ARGS(L(target), AT_FDCWD, L(linkpath)));
}

long kg_readlink(const char *path, char *buf, size_t size)
{
	return kg_syscall(KG_NR_readlinkat,
			  KG_ARGS(AT_FDCWD, L(path), L(buf), L(size)));
}

long kg_link(const char *oldpath, const char *newpath)
{
	return kg_syscall(KG_NR_linkat, KG_ARGS(AT_FDCWD, L(oldpath),
						AT_FDCWD, L(newpath), 0));
}

long kg_chmod(const char *path, int mode)
{
	return kg_syscall(KG_NR_fchmodat, KG_ARGS(AT_FDCWD, L(path), mode));
}

long kg_utimensat(const char *path, const struct timespec times[2], int flags)
{
	return kg_syscall(KG_NR_utimensat,
			  KG_ARGS(AT_FDCWD, L(path), L(times), flags));
}

long kg_fdatasync(int fd)
{
	return kg_syscall(KG_NR_fdatasync, KG_ARGS(fd));
}

long kg_truncate(const char *path, off_t length)
{
	return kg_syscall(KG_NR_truncate, KG_ARGS(L(path), L(length)));
}

long kg_setxattr(const char *path, const char *name, const void *value,
		 size_t size, int flags)
{
	return kg_syscall(KG_NR_setxattr,
			  KG_ARGS(L(path), L(name), L(value), L(size), flags));
}

long kg_getxattr(const char *path, const char *name, void *value, size_t size)
{
	return kg_syscall(KG_NR_getxattr,
			  KG_ARGS(L(path), L(name), L(value), L(size)));
}

long kg_listxattr(const char *path, char *list, size_t size)
{
	return kg_syscall(KG_NR_listxattr, KG_ARGS(L(path), L(list), L(size)));
}

long kg_removexattr(const char *path, const char *name)
{
	return kg_syscall(KG_NR_removexattr, KG_ARGS(L(path), L(name)));
}

long kg_chdir(const char *path)
{
	return kg_syscall(KG_NR_chdir, KG_ARGS(L(path)));
}

/* The calling task's name (comm), as prctl(PR_SET_NAME) sets it. */
long kg_set_name(const char *name)
{
	return kg_syscall(KG_NR_prctl, KG_ARGS(PR_SET_NAME, L(name)));
}

long kg_mknod(const char *path, int mode, unsigned int dev)
{
	return kg_syscall(KG_NR_mknodat, KG_ARGS(AT_FDCWD, L(path), mode, dev));
}

long kg_ioctl(int fd, unsigned long request, unsigned long arg)
{
	return kg_syscall(KG_NR_ioctl, KG_ARGS(fd, L(request), L(arg)));
}

long kg_ppoll(struct pollfd *fds, unsigned int nfds, const struct timespec *timeout)
{
	/* No signal mask: host threads take no kernel signals. */
	return kg_syscall(KG_NR_ppoll, KG_ARGS(L(fds), nfds, L(timeout), 0, 0));
}

long kg_socket(int domain, int type, int protocol)
{
	return kg_syscall(KG_NR_socket, KG_ARGS(domain, type, protocol));
}

long kg_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return kg_syscall(KG_NR_bind, KG_ARGS(fd, L(addr), len));
}

long kg_listen(int fd, int backlog)
{
	return kg_syscall(KG_NR_listen, KG_ARGS(fd, backlog));
}

long kg_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return kg_syscall(KG_NR_accept4, KG_ARGS(fd, L(addr), L(len), 0));
}

long kg_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return kg_syscall(KG_NR_connect, KG_ARGS(fd, L(addr), len));
}

long kg_sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t addrlen)
{
	return kg_syscall(KG_NR_sendto,
			  KG_ARGS(fd, L(buf), L(len), flags, L(addr), addrlen));
}

long kg_setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
	return kg_syscall(KG_NR_setsockopt, KG_ARGS(fd, level, name, L(value), len));
}

long kg_recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *addr, socklen_t *addrlen)
{
	return kg_syscall(KG_NR_recvfrom,
			  KG_ARGS(fd, L(buf), L(len), flags, L(addr), L(addrlen)));
}

long kg_shutdown(int fd, int how)
{
	return kg_syscall(KG_NR_shutdown, KG_ARGS(fd, how));
}

long kg_getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	return kg_syscall(KG_NR_getsockname, KG_ARGS(fd, L(addr), L(len)));
}

long kg_mount(const char *source, const char *target, const char *fstype,
	      unsigned long flags, const void *data)
{
	return kg_syscall(KG_NR_mount, KG_ARGS(L(source), L(target), L(fstype),
					       L(flags), L(data)));
}

long kg_umount(const char *target, int flags)
{
	return kg_syscall(KG_NR_umount2, KG_ARGS(L(target), flags));
}

long kg_mount_at(const char *source, const char *dir, const char *fstype)
{
	long err = kg_mkdir(dir, 0755);

	if (err && err != -EEXIST)
		return err;
	return kg_mount(source, dir, fstype, 0, NULL);
}

long kg_nanosleep(const struct timespec *req, struct timespec *rem)
{
	return kg_syscall(KG_NR_nanosleep, KG_ARGS(L(req), L(rem)));
}

long kg_clock_gettime(clockid_t clock, struct timespec *ts)
{
	return kg_syscall(KG_NR_clock_gettime, KG_ARGS(clock, L(ts)));
}

long kg_readv(int fd, const struct iovec *iov, int iovcnt)
{
	return kg_syscall(KG_NR_readv, KG_ARGS(fd, L(iov), iovcnt));
}

long kg_writev(int fd, const struct iovec *iov, int iovcnt)
{
	return kg_syscall(KG_NR_writev, KG_ARGS(fd, L(iov), iovcnt));
}

/* The offset's high half (pos_h) is 0: a 64-bit kernel takes it from pos_l. */
long kg_preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	return kg_syscall(KG_NR_preadv, KG_ARGS(fd, L(iov), iovcnt, offset, 0));
}

long kg_pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	return kg_syscall(KG_NR_pwritev, KG_ARGS(fd, L(iov), iovcnt, offset, 0));
}

long kg_preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset,
		int flags)
{
	return kg_syscall(KG_NR_preadv2,
			  KG_ARGS(fd, L(iov), iovcnt, offset, 0, flags));
}

long kg_pwritev2(int fd, const struct iovec *iov, int iovcnt, off_t offset,
		 int flags)
{
	return kg_syscall(KG_NR_pwritev2,
			  KG_ARGS(fd, L(iov), iovcnt, offset, 0, flags));
}

long kg_sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
	return kg_syscall(KG_NR_sendfile,
			  KG_ARGS(out_fd, in_fd, L(offset), L(count)));
}

long kg_copy_file_range(int fd_in, off_t *off_in, int fd_out, off_t *off_out,
			size_t len, unsigned int flags)
{
	return kg_syscall(KG_NR_copy_file_range,
			  KG_ARGS(fd_in, L(off_in), fd_out, L(off_out), L(len), flags));
}

long kg_pipe2(int fds[2], int flags)
{
	return kg_syscall(KG_NR_pipe2, KG_ARGS(L(fds), flags));
}

long kg_fallocate(int fd, int mode, off_t offset, off_t len)
{
	return kg_syscall(KG_NR_fallocate, KG_ARGS(fd, mode, offset, len));
}

long kg_faccessat(int dirfd, const char *path, int mode, int flags)
{
	return kg_syscall(KG_NR_faccessat2,
			  KG_ARGS(dirfd, L(path), mode, flags));
}

long kg_fchmod(int fd, int mode)
{
	return kg_syscall(KG_NR_fchmod, KG_ARGS(fd, mode));
}

long kg_fchownat(int dirfd, const char *path, unsigned int uid,
		 unsigned int gid, int flags)
{
	return kg_syscall(KG_NR_fchownat,
			  KG_ARGS(dirfd, L(path), uid, gid, flags));
}

long kg_fchown(int fd, unsigned int uid, unsigned int gid)
{
	return kg_syscall(KG_NR_fchown, KG_ARGS(fd, uid, gid));
}

long kg_fchdir(int fd) { return kg_syscall(KG_NR_fchdir, KG_ARGS(fd)); }

long kg_chroot(const char *path)
{
	return kg_syscall(KG_NR_chroot, KG_ARGS(L(path)));
}

long kg_openat2(int dirfd, const char *path, const struct kg_open_how *how,
		size_t size)
{
	return kg_syscall(KG_NR_openat2,
			  KG_ARGS(dirfd, L(path), L(how), L(size)));
}

long kg_close_range(unsigned int first, unsigned int last, unsigned int flags)
{
	return kg_syscall(KG_NR_close_range, KG_ARGS(first, last, flags));
}

long kg_renameat2(int olddirfd, const char *oldpath, int newdirfd,
		  const char *newpath, unsigned int flags)
{
	return kg_syscall(KG_NR_renameat2, KG_ARGS(olddirfd, L(oldpath),
						   newdirfd, L(newpath), flags));
}

long kg_statfs(const char *path, struct kg_statfs *buf)
{
	return kg_syscall(KG_NR_statfs, KG_ARGS(L(path), L(buf)));
}

long kg_fstatfs(int fd, struct kg_statfs *buf)
{
	return kg_syscall(KG_NR_fstatfs, KG_ARGS(fd, L(buf)));
}

long kg_name_to_handle_at(int dirfd, const char *path,
			  struct file_handle *handle, int *mount_id, int flags)
{
	return kg_syscall(KG_NR_name_to_handle_at,
			  KG_ARGS(dirfd, L(path), L(handle), L(mount_id), flags));
}

long kg_open_by_handle_at(int mount_fd, struct file_handle *handle, int flags)
{
	return kg_syscall(KG_NR_open_by_handle_at,
			  KG_ARGS(mount_fd, L(handle), flags));
}

long kg_read_file(const char *path, char *buf, size_t size)
{
	long fd, n = 0, total = 0;

	if (!size)
		return -EINVAL;
	fd = kg_open(path, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	while ((size_t)total < size - 1 &&
	       (n = kg_read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	kg_close(fd);
	buf[total] = '\0';
	return n < 0 ? n : total;
}
