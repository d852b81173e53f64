/* SPDX-License-Identifier: GPL-2.0 */
/* The host operations for a kernel under (or without) memcheck. */
#ifndef KG_HOST_H
#define KG_HOST_H

#include "kgrind_host_ops.h"

/* Fills every operation except print and panic, which the harness owns. */
void kg_host_ops_fill(struct kg_host_ops *ops);

/*
 * After the kernel halted: joins every host thread it made and frees every
 * semaphore, mutex, timer and memory block.  Returns how many threads did
 * not stop within the grace period (their resources are left alone).
 */
int kg_host_cleanup(void);

/*
 * Opens a disk image for kg_kernel_disk_add(): its size in *size; NULL
 * and a negative errno in *err on failure.  Closed at cleanup.
 */
void *kg_host_disk_open(const char *path, int read_only,
			unsigned long long *size, int *err);

/*
 * Each writable disk's writes go, from now on, to a copy of the chunks
 * written, put on the image only when the kernel halts: a run that
 * crashes or is killed leaves the image as it was.  0 or -ENOMEM.
 */
int kg_host_disks_overlay(void);

/* The calling host thread's kernel task (tls_get), NULL before its first call. */
void *kg_host_current_task(void);
/*
 * kgrind-run's bridge: fn says whether a signal came for the calling
 * thread since its current call began; the kernel then ends the call's
 * wait as interrupted, even if it had not begun waiting (call_interrupted).
 */
void kg_host_set_call_interrupted(int (*fn)(void));
/* As each host thread kgrind makes starts: its calls are the host's, and
 * asynchronous signals are blocked in it. */
void kg_host_thread_init(void);
/*
 * Told +1 before each such thread is made (-1 if it was not): until its
 * kg_host_thread_init, the C library's calls as it starts look like the
 * program's.  kg_host_threads_starting() counts those not yet marked.
 */
void kg_host_thread_starting(int delta);
int kg_host_threads_starting(void);

/* Non-zero when [start, start + len) meets memory the kernel holds. */
int kg_host_memory_meets(unsigned long start, unsigned long len);

/*
 * Non-zero when addr is in one of the object's loaded segments: with
 * the address of a function of kgrind's, whether the object is the one
 * kgrind and the kernel are linked into, whatever its file's name.
 */
struct dl_phdr_info;
int kg_host_object_holds(const struct dl_phdr_info *info, unsigned long addr);

/*
 * Non-zero in the host threads kgrind made for the kernel (the CPU
 * thread, kernel threads' carriers, the timer thread): what they ask of
 * the C library is the host's, even in a program run against the kernel
 * (harness/programs).
 */
extern __thread int kg_host_thread_owned;

/*
 * NULL, or what copies the process in kg_fork() instead of fork(): a
 * program's own clone call, made while its C library's fork() holds the
 * locks fork() would take again (kg_fork_as).  Returns as the system
 * call does: the child's pid, 0 in the child, or a negative errno.
 */
extern long (*kg_host_fork_call)(void);

#endif
