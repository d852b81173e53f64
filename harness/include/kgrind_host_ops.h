/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seam between the kernel and the host.  The kernel reaches the host
 * only through this table; the host reaches the kernel only through the
 * kg_kernel_* entry points declared below.  This header includes nothing,
 * so both kernel-side and host-side files can include it.
 *
 * Handles (semaphores, mutexes, threads, timers) are opaque to the kernel.
 */
#ifndef KGRIND_HOST_OPS_H
#define KGRIND_HOST_OPS_H

#include "kgrind_mem_stats.h"

/* A buffer of a disk transfer (struct iovec's layout). */
struct kg_iovec {
	void *base;
	unsigned long len;
};

/*
 * make kunit: a KUnit case that has ended, and what the host says of it.
 * name NULL: KUnit is about to run its first suite.
 */
struct kg_kunit_case {
	const char *suite, *name;
	int param;		/* the parameter's index, 0 for none */
	int failed;		/* KUnit itself failed the case */
	/* Out: memcheck's reports since the last case, as lines of text. */
	char *report;
	unsigned long report_size;
	/* Out: when failed, a claim's reason if it is a known bug, or "". */
	char *known;
	unsigned long known_size;
};

struct kg_host_ops {
	/* Console output: len bytes of text, not NUL-terminated. */
	void (*print)(const char *text, int len);
	/* The kernel panicked: report msg and end the process. */
	void (*panic)(const char *msg);

	/*
	 * The kernel's RAM: address space reserved no-access (start aligned
	 * to align, a power of two), then committed a range at a time,
	 * zero-filled.  commit returns 0, or -1 when the host refuses.
	 */
	void *(*mem_reserve)(unsigned long size, unsigned long align);
	/* The same for the RAM itself, which memcheck's leak check must not
	 * take as a root. */
	void *(*ram_reserve)(unsigned long size, unsigned long align);
	int (*mem_commit)(void *addr, unsigned long size);
	void (*mem_free)(void *addr, unsigned long size);
	/* Address space that reads as zeros and is never written. */
	void *(*mem_reserve_readable)(unsigned long size);
	/*
	 * fn on each writable segment of the object the kernel is linked
	 * into (a suite's program, or libkgrind-run.so), where the
	 * kernel's data and bss are: roots of the page leak check.
	 */
	void (*for_each_data_segment)(void (*fn)(const void *start,
						 unsigned long len, void *arg),
				      void *arg);

	void *(*sem_alloc)(int count);
	void (*sem_free)(void *sem);
	void (*sem_up)(void *sem);
	void (*sem_down)(void *sem);

	void *(*mutex_alloc)(void);
	void (*mutex_free)(void *mutex);
	void (*mutex_lock)(void *mutex);
	void (*mutex_unlock)(void *mutex);

	/* A new host thread running fn(arg); NULL on failure. */
	void *(*thread_create)(void (*fn)(void *), void *arg);
	/* End the calling host thread (created by thread_create). */
	void (*thread_exit)(void);
	void (*thread_set_name)(const char *name);

	/*
	 * One kernel pointer per host thread.  gone(value) is called by the
	 * host when a thread whose value is set exits before halt.
	 */
	void (*tls_init)(void (*gone)(void *value));
	void *(*tls_get)(void);
	void (*tls_set)(void *value);
	/* The calling host thread's id, and its process's in *pid. */
	int (*thread_id)(int *pid);
	/* Raises sig on the calling host thread: the kernel sent it. */
	void (*raise_signal)(int sig);
	/* Non-zero when a signal came for the calling host thread since
	 * the system call it makes began: the call is interrupted. */
	int (*call_interrupted)(void);

	/*
	 * Random bytes, as a bootloader gives them: they seed the kernel's
	 * random number generator at boot, so /dev/urandom and getrandom()
	 * never wait for entropy.
	 */
	void (*entropy)(void *buf, unsigned long len);

	unsigned long long (*time_ns)(void);		/* monotonic */
	unsigned long long (*realtime_ns)(void);	/* wall clock */

	/*
	 * A disk image (kg_disk_add): count buffers read from or written to
	 * the image from offset on, 0 or a negative errno.  Reads past the
	 * end of the image read zeros.
	 */
	long (*disk_rw)(void *disk, int write, const struct kg_iovec *iov,
			int count, unsigned long long offset);
	long (*disk_flush)(void *disk);

	/*
	 * make kunit, at the end of each KUnit case (NULL elsewhere): fills
	 * in the case's report and known, and says how many of memcheck's
	 * reports fail the case (known bugs and expected errors do not).
	 */
	long (*kunit_case_end)(struct kg_kunit_case *kc);

	/* One-shot timers calling fn(arg) on a host thread. */
	void *(*timer_alloc)(void (*fn)(void *), void *arg);
	void (*timer_set_oneshot)(void *timer, unsigned long long delta_ns);
	void (*timer_cancel)(void *timer);
	void (*timer_free)(void *timer);

	/*
	 * Copies the process (kg_fork), called with no kernel code running
	 * on any other host thread.  The host quiets its own threads around
	 * the fork; in the child, threads made by thread_create are gone
	 * (the kernel makes its own again), timers still fire, and disks
	 * are copy-on-write.  Returns as fork() does: the child's pid, 0 in
	 * the child, or a negative errno.
	 */
	long (*fork)(void);

	/*
	 * A program run against the kernel (kgrind-run): its standard
	 * stream n (0, 1, 2), which stays the host's.  stdio_io reads
	 * (write 0) or writes len bytes; stdio_ioctl does a terminal
	 * request (TCGETS, TIOCGWINSZ) whose argument is in kernel memory.
	 * Both return a count or 0, or a negative errno.
	 */
	long (*stdio_io)(int n, int write, void *buf, unsigned long len);
	long (*stdio_ioctl)(int n, unsigned int cmd, void *arg);
};

/* Entry points of the kernel object (kgrind.o). */
int kg_kernel_start(const struct kg_host_ops *ops, const char *cmdline,
		    unsigned long mem_boot, unsigned long mem_max);
void kg_kernel_mem_stats(struct kg_mem_stats *stats);
/* Under memcheck: page allocations nothing points to now, reported by
 * memcheck's next leak check; how many, or -ENOENT if the host's data
 * segments did not hold the kernel's (none is then reported). */
long kg_kernel_page_leak_check(void);
long kg_kernel_syscall(long nr, const long *args);
long kg_kernel_call(const char *fixture, long arg);
int kg_kernel_has_fixture(const char *fixture);
void kg_kernel_irq(int irq);
int kg_kernel_halt(void);
/*
 * Forks the process with the kernel in it: the child's pid, 0 in the
 * child, -EBUSY while another host thread is inside the kernel, or the
 * host fork's negative errno.  In the child only the calling thread's
 * task is left of the parent's host threads' tasks.
 */
long kg_kernel_fork(void);
/*
 * Ends an interruptible wait of task (a host thread's task, the value it
 * keeps with tls_set) in the call it is in, as a signal would: the call
 * returns -EINTR.  Made from another host thread.
 */
long kg_kernel_interrupt(void *task);
/* 1 when the kernel keeps virtual time (kgrind.virtual_time=1). */
int kg_kernel_virtual_time(void);
/*
 * make failsweep: ends the step under way and starts one failing fault
 * site n (1: the first) of each host thread's task, 0: none.  Returns
 * the faults the ended step injected, -EOPNOTSUPP without
 * CONFIG_FAULT_INJECTION.
 */
long kg_kernel_fail_nth(unsigned int n);
/* A disk over a host image of size bytes: its number N (/dev/kgdiskN). */
int kg_kernel_disk_add(void *disk, unsigned long long size, int read_only);

#endif
