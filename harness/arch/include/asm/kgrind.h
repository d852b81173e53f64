/* SPDX-License-Identifier: GPL-2.0 */
/* What the pieces of the kgrind arch port share among themselves. */
#ifndef _ASM_KGRIND_KGRIND_H
#define _ASM_KGRIND_KGRIND_H

#include <linux/types.h>
#include <asm/kgrind_host.h>

struct task_struct;

/* Set once halt has begun: host threads waking up leave at once. */
extern bool kgrind_halting;

/* Interrupt lines the port itself uses. */
#define KGRIND_TIMER_IRQ	0
#define KGRIND_WAKE_IRQ		1

void kgrind_irq_raise(int irq);
void kgrind_irq_init_host(void);
bool kgrind_cpu_try_take(void);
void kgrind_idle_resuming(struct task_struct *next);
void kgrind_idle_return(void);
/* threads.c: the CPU thread, which runs every context. */
int kgrind_cpu_start(void);
int kgrind_cpu_thread_start(void);
void kgrind_cpu_resume(struct task_struct *next);
void kgrind_context_park(struct task_struct *task);
extern bool kgrind_idle_parked;

/*
 * How a host thread's kg_kernel_* call is resumed when its task leaves
 * the CPU or is given it (see kgrind_enter_as and __switch_to).
 */
enum kgrind_jump {
	KGRIND_JUMP_RUN,	/* the task has the CPU: run the call */
	KGRIND_JUMP_WAIT,	/* another task got the CPU first: wait for it */
	KGRIND_JUMP_PARKED,	/* the call is done and the CPU handed on */
	KGRIND_JUMP_IDLE,	/* done; finish the switch to idle, then leave */
};

struct kgrind_host_entry {
	void *jmp[5];		/* __builtin_setjmp buffer */
	int jump;		/* enum kgrind_jump */
};

void __noreturn kgrind_host_return(struct kgrind_host_entry *he, int how);
/* The host thread standing in for the idle task, to switch to its task. */
extern struct task_struct *kgrind_stealer;

void kgrind_time_stop(void);
void kgrind_clock_advance(u64 ns);
/* time.c: virtual time (kgrind.virtual_time=1). */
extern bool kgrind_virtual_time;
bool kgrind_virtual_idle(void);
void kgrind_virtual_irqs_on(void);
/* Host threads waiting on the kernel: a call asleep in it, the boot. */
extern atomic_t kgrind_host_waiting;
/* On the CPU: irq is raised, and runs when interrupts are next on. */
void kgrind_irq_pend(int irq);
#ifdef CONFIG_FAULT_INJECTION
void kgrind_fail_nth_enter(struct task_struct *task);
#else
static inline void kgrind_fail_nth_enter(struct task_struct *task) { }
#endif
void kgrind_boot_complete(void);
void kgrind_release_memory(void);

/* The task the CPU came from at the last switch (for schedule_tail). */
extern struct task_struct *kgrind_last;
void kgrind_thread_wake_all_for_halt(void);
void kgrind_sync_thread_name(struct task_struct *task);

int kgrind_host_task_fn(void *arg);
long kgrind_run_in_task(long (*fn)(void *data), void *data);
void kgrind_host_task_exit(struct task_struct *task);
/* Host threads' kg_kernel_* calls under way (fork.c wants none but its own). */
extern atomic_t kgrind_host_calls;
void kgrind_strings_init(void);
void __noreturn kgrind_init_main(void);
void kgrind_entry_drain(void);

/* host_process.c: kgrind_program=1, the host process as the kernel's. */
extern bool kgrind_program;
struct task_struct *kgrind_adopter(void);
void kgrind_adopt_loop(void);
void kgrind_adopt_wake(void);
void kgrind_host_process_init(void);
pid_t kgrind_host_task_clone(void *sem, pid_t tid, pid_t pid, bool *leader);
void kgrind_host_process_start(void);
void kgrind_host_process_forked(void);
bool kgrind_adopter_step_out(long nr);
void kgrind_adopter_step_in(void);
u64 kgrind_signals_take(void);

/* thread_struct flags */
#define KGRIND_THREAD_HOST	0x1	/* task of a host thread's system calls */
#define KGRIND_THREAD_PARKING	0x2	/* ... done with its call: park it */

#endif
