/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kgrind: the Linux kernel as a library.  Boot it, make system calls into
 * it from any host thread, run kernel-side fixtures, halt it.
 *
 * Every call returns a negative errno on failure.  Calls made before
 * kg_boot() or after kg_halt() return -ESHUTDOWN.
 */
#ifndef KGRIND_H
#define KGRIND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "kgrind_nr.h"	/* KG_NR_*: the kernel's system call numbers */
#include "kgrind_mem_stats.h"

struct kg_boot_options {
	/*
	 * Kernel RAM in bytes.  The kernel boots with mem_boot (0: 8 MiB)
	 * and takes more from the host as it runs short, up to mem_max
	 * (0: 256 MiB).  mem_boot == mem_max gives one fixed block.
	 */
	unsigned long mem_boot;
	unsigned long mem_max;
	const char *cmdline;	/* extra kernel command line, or NULL */
	int verbose;		/* 1: echo the kernel console to stderr */
};

int kg_boot(const struct kg_boot_options *options);	/* NULL: defaults */
int kg_halt(void);
int kg_is_running(void);
/*
 * The next kg_boot() runs the kernel's KUnit suites, each case judged by
 * memcheck too (make kunit; harness/lib/kunit_verdict.c).
 */
void kg_kunit_enable(void);
/* The kernel's RAM: boot size, growth, peak use (see kgrind_mem_stats.h). */
int kg_mem_stats(struct kg_mem_stats *stats);

/*
 * Attaches the host file at path as a disk: the kernel reads and writes
 * it as its hardware (read-only: writes fail with EROFS).  The size must
 * be a multiple of 512 bytes.  Returns N, the disk being /dev/kgdiskN
 * in a mounted devtmpfs (block major "kgdisk" in /proc/devices, minor N).
 */
int kg_disk_add(const char *path, int read_only);

/*
 * One boot, many runs: forks the process with its kernel.  Returns the
 * child's pid in the parent and 0 in the child, whose kernel is a copy
 * of the parent's (files, mounts, kernel threads); its disks are
 * copy-on-write, so the images never see its writes; of the parent's
 * host threads only the caller's task is in it.  The child dies with
 * its parent and ends with kg_child_exit().  -EBUSY while another host
 * thread is inside the kernel, -ESHUTDOWN with no kernel running, or
 * the host fork's errno.
 */
int kg_fork(void);
/*
 * kg_fork() for a program's own fork() under way (kgrind-run): the C
 * library holds its stdio locks, so nothing is flushed, and copy(), the
 * program's clone call itself, copies the process instead of fork().
 */
int kg_fork_as(long (*copy)(void));
/* Ends a forked child with status: its coverage written, nothing else run. */
void kg_child_exit(int status) __attribute__((noreturn));

/*
 * 1 when the kernel keeps virtual time (VIRTUAL_TIME=1, make failsweep):
 * a test whose host threads race in host time (a peer writing after a
 * host delay, against a poll's timeout) cannot hold then.
 */
int kg_virtual_time(void);

/* A raw system call: nr is a KG_NR_* number, args may be NULL. */
long kg_syscall(long nr, const long args[6]);

/* Runs the kernel-side fixture registered under name, in task context. */
long kg_call(const char *fixture, long arg);

/* Raises a host interrupt line (0 is the timer, 1 system call wake-up). */
void kg_irq(int irq);

/*
 * Kernel faults seen on the console since boot (or kg_fault_clear):
 * WARN, BUG, Oops, panic.  The excerpt holds the console text from the
 * first fault's marker on (bounded).
 */
int kg_fault_count(void);
const char *kg_fault_excerpt(void);
void kg_fault_clear(void);
/* The last part of everything the kernel printed. */
const char *kg_console_tail(void);

/* The kernel's struct stat (asm-generic layout, unlike x86-64 glibc's). */
struct kg_stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned int st_mode;
	unsigned int st_nlink;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned long st_rdev;
	unsigned long __pad1;
	long st_size;
	int st_blksize;
	int __pad2;
	long st_blocks;
	long st_atime_sec;
	unsigned long st_atime_nsec;
	long st_mtime_sec;
	unsigned long st_mtime_nsec;
	long st_ctime_sec;
	unsigned long st_ctime_nsec;
	unsigned int __unused4;
	unsigned int __unused5;
};

struct kg_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* struct statx comes from <sys/stat.h> with _GNU_SOURCE. */
struct statx;

/* Typed wrappers; paths are relative to the kernel's cwd ("/" at boot). */
long kg_getpid(void);
long kg_gettid(void);
long kg_uname(struct utsname *buf);
long kg_open(const char *path, int flags, int mode);
long kg_openat(int dirfd, const char *path, int flags, int mode);
long kg_close(int fd);
long kg_read(int fd, void *buf, size_t count);
long kg_write(int fd, const void *buf, size_t count);
long kg_pread(int fd, void *buf, size_t count, off_t offset);
long kg_pwrite(int fd, const void *buf, size_t count, off_t offset);
long kg_lseek(int fd, off_t offset, int whence);
long kg_fsync(int fd);
long kg_ftruncate(int fd, off_t length);
long kg_fstat(int fd, struct kg_stat *st);
long kg_stat(const char *path, struct kg_stat *st);
long kg_statx(int dirfd, const char *path, int flags, unsigned int mask,
	      struct statx *stx);
long kg_getdents64(int fd, void *buf, size_t count);
long kg_mkdir(const char *path, int mode);
long kg_rmdir(const char *path);
long kg_unlink(const char *path);
long kg_rename(const char *oldpath, const char *newpath);
long kg_symlink(const char *target, const char *linkpath);
long kg_readlink(const char *path, char *buf, size_t size);
long kg_chdir(const char *path);
long kg_set_name(const char *name);

/* Sockets: the kernel's struct sockaddr layouts are the host's. */
struct sockaddr;
long kg_socket(int domain, int type, int protocol);
long kg_bind(int fd, const struct sockaddr *addr, socklen_t len);
long kg_listen(int fd, int backlog);
long kg_accept(int fd, struct sockaddr *addr, socklen_t *len);
long kg_connect(int fd, const struct sockaddr *addr, socklen_t len);
long kg_sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t addrlen);
long kg_recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *addr, socklen_t *addrlen);
long kg_shutdown(int fd, int how);
long kg_getsockname(int fd, struct sockaddr *addr, socklen_t *len);
long kg_setsockopt(int fd, int level, int name, const void *value, socklen_t len);

/* Network interfaces ("lo"): flags (the kernel's IFF_* below), up, IPv4
 * address (network byte order). */
#define KG_IFF_UP	0x1
#define KG_IFF_LOOPBACK	0x8
#define KG_IFF_RUNNING	0x40
long kg_netif_flags(const char *name);
long kg_netif_up(const char *name);
long kg_netif_ipv4(const char *name, uint32_t *addr);
long kg_link(const char *oldpath, const char *newpath);
long kg_chmod(const char *path, int mode);
long kg_utimensat(const char *path, const struct timespec times[2], int flags);
long kg_fdatasync(int fd);
long kg_truncate(const char *path, off_t length);
long kg_setxattr(const char *path, const char *name, const void *value,
		 size_t size, int flags);
long kg_getxattr(const char *path, const char *name, void *value, size_t size);
long kg_listxattr(const char *path, char *list, size_t size);
long kg_removexattr(const char *path, const char *name);
long kg_mknod(const char *path, int mode, unsigned int dev);
long kg_dup(int fd);
long kg_ioctl(int fd, unsigned long request, unsigned long arg);
struct pollfd;	/* <poll.h>: the kernel's layout too */
/* timeout NULL: wait until an event */
long kg_ppoll(struct pollfd *fds, unsigned int nfds, const struct timespec *timeout);
long kg_mount(const char *source, const char *target, const char *fstype,
	      unsigned long flags, const void *data);
/* Makes the directory dir if need be, then mounts there. */
long kg_mount_at(const char *source, const char *dir, const char *fstype);
long kg_umount(const char *target, int flags);
long kg_sync(void);
long kg_nanosleep(const struct timespec *req, struct timespec *rem);
long kg_clock_gettime(clockid_t clock, struct timespec *ts);

/* Vectored I/O; offset -1: at (and moving) the file position, flags RWF_*. */
struct iovec;	/* <sys/uio.h>: the kernel's layout too */
long kg_readv(int fd, const struct iovec *iov, int iovcnt);
long kg_writev(int fd, const struct iovec *iov, int iovcnt);
long kg_preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset);
long kg_pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset);
long kg_preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset,
		int flags);
long kg_pwritev2(int fd, const struct iovec *iov, int iovcnt, off_t offset,
		 int flags);
/* offset NULL: from and moving in_fd's position */
long kg_sendfile(int out_fd, int in_fd, off_t *offset, size_t count);
long kg_copy_file_range(int fd_in, off_t *off_in, int fd_out, off_t *off_out,
			size_t len, unsigned int flags);
long kg_pipe2(int fds[2], int flags);
long kg_fallocate(int fd, int mode, off_t offset, off_t len);

/* faccessat2: flags AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH */
long kg_faccessat(int dirfd, const char *path, int mode, int flags);
long kg_fchmod(int fd, int mode);
long kg_fchownat(int dirfd, const char *path, unsigned int uid,
		 unsigned int gid, int flags);
long kg_fchown(int fd, unsigned int uid, unsigned int gid);
long kg_fchdir(int fd);
long kg_chroot(const char *path);
/* openat2's struct open_how (the kernel's layout) and its resolve flags. */
struct kg_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
#define KG_RESOLVE_NO_XDEV		0x01
#define KG_RESOLVE_NO_MAGICLINKS	0x02
#define KG_RESOLVE_NO_SYMLINKS		0x04
#define KG_RESOLVE_BENEATH		0x08
#define KG_RESOLVE_IN_ROOT		0x10
#define KG_RESOLVE_CACHED		0x20
long kg_openat2(int dirfd, const char *path, const struct kg_open_how *how,
		size_t size);
long kg_close_range(unsigned int first, unsigned int last, unsigned int flags);
/* flags: RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT */
long kg_renameat2(int olddirfd, const char *oldpath, int newdirfd,
		  const char *newpath, unsigned int flags);

/* The kernel's struct statfs (asm-generic, 64-bit words). */
struct kg_statfs {
	long f_type;
	long f_bsize;
	long f_blocks;
	long f_bfree;
	long f_bavail;
	long f_files;
	long f_ffree;
	int f_fsid[2];
	long f_namelen;
	long f_frsize;
	long f_flags;
	long f_spare[4];
};
long kg_statfs(const char *path, struct kg_statfs *buf);
long kg_fstatfs(int fd, struct kg_statfs *buf);
struct file_handle;	/* <fcntl.h> with _GNU_SOURCE: the kernel's layout */
long kg_name_to_handle_at(int dirfd, const char *path,
			  struct file_handle *handle, int *mount_id, int flags);
long kg_open_by_handle_at(int mount_fd, struct file_handle *handle, int flags);

/* Reads a whole (small) kernel file into buf, NUL-terminated. */
long kg_read_file(const char *path, char *buf, size_t size);

#endif
