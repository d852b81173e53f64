// SPDX-License-Identifier: GPL-2.0
/*
 * The one CPU and its interrupts.
 *
 * Host threads raise interrupts with kgrind_irq_raise().  If a task holds
 * the CPU, the interrupt is left pending and runs as soon as that task
 * has interrupts enabled.  If the CPU is free, the idle task has parked
 * in arch_cpu_idle() (its context saved, the CPU thread at home): the
 * raiser marks the CPU busy on its behalf and has the CPU thread resume
 * it, and the idle task runs the interrupt in irq context on return.
 */
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/hardirq.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/cpu.h>
#include <linux/tick.h>
#include <asm/irq_regs.h>
#include <asm/kgrind.h>

static unsigned long kgrind_irqs_enabled;
static unsigned long kgrind_irq_pending;	/* bit n: line n raised */

/* Guards cpu_busy; taken by host threads that are not on the CPU. */
static void *kgrind_cpu_lock;
static bool kgrind_cpu_busy = true;	/* the boot thread holds it */

/* The idle task has parked in arch_cpu_idle (on the CPU's word). */
bool kgrind_idle_parked;
/* ... and must finish a switch into idle when it wakes. */
static bool kgrind_idle_needs_tail;

void kgrind_irq_init_host(void)
{
	kgrind_cpu_lock = kgrind_host->mutex_alloc();
	if (!kgrind_cpu_lock)
		kgrind_host->panic("kgrind: no host mutex for the CPU");
}

/* May be called from any host thread, on the CPU or not. */
void kgrind_irq_raise(int irq)
{
	bool wake_idle = false;

	if (READ_ONCE(kgrind_halting))
		return;
	kgrind_host->mutex_lock(kgrind_cpu_lock);
	__atomic_fetch_or(&kgrind_irq_pending, 1UL << irq, __ATOMIC_SEQ_CST);
	if (!kgrind_cpu_busy) {
		kgrind_cpu_busy = true;
		wake_idle = true;
	}
	kgrind_host->mutex_unlock(kgrind_cpu_lock);
	if (wake_idle)
		kgrind_cpu_resume(&init_task);
}

void kgrind_irq_pend(int irq)
{
	__atomic_fetch_or(&kgrind_irq_pending, 1UL << irq, __ATOMIC_SEQ_CST);
}

void kg_kernel_irq(int irq)
{
	if (irq >= 0 && irq < NR_IRQS && kgrind_host)
		kgrind_irq_raise(irq);
}

/*
 * The interrupted task's registers go to get_irq_regs(): without them the
 * tick's hrtimer does not call update_process_times(), and timer_list
 * timers never expire.
 */
static void kgrind_run_irqs(void)
{
	struct pt_regs *old_regs = set_irq_regs(task_pt_regs(current));
	unsigned long pending;

	kgrind_irqs_enabled = 0;
	while ((pending = __atomic_exchange_n(&kgrind_irq_pending, 0,
					      __ATOMIC_SEQ_CST))) {
		while (pending) {
			int irq = __ffs(pending);

			pending &= ~(1UL << irq);
			irq_enter();
			generic_handle_irq(irq);
			irq_exit();
		}
	}
	set_irq_regs(old_regs);
	kgrind_irqs_enabled = 1;
}

unsigned long arch_local_save_flags(void)
{
	return kgrind_irqs_enabled;
}

void arch_local_irq_restore(unsigned long flags)
{
	kgrind_irqs_enabled = flags;
	if (flags && kgrind_virtual_time)
		kgrind_virtual_irqs_on();
	if (flags && READ_ONCE(kgrind_irq_pending) && !in_hardirq())
		kgrind_run_irqs();
}

void kgrind_cpu_relax(void)
{
	if (kgrind_irqs_enabled && READ_ONCE(kgrind_irq_pending) &&
	    !in_hardirq())
		kgrind_run_irqs();
	barrier();
}

/*
 * The end of a switch into idle that a host thread began on idle's behalf
 * (see kgrind_steal_cpu, which left the idle loop): finish the switch and
 * re-enter the idle loop's state, interrupts off as arch_cpu_idle has them.
 */
static void kgrind_idle_finish_switch(void)
{
	schedule_tail(kgrind_last);
	tick_nohz_idle_enter();
	local_irq_disable();
}

/* Called with interrupts off; the caller turns them on afterwards. */
void arch_cpu_idle(void)
{
	if (kgrind_virtual_idle())
		return;
	kgrind_host->mutex_lock(kgrind_cpu_lock);
	if (READ_ONCE(kgrind_irq_pending)) {
		kgrind_host->mutex_unlock(kgrind_cpu_lock);
		return;
	}
	kgrind_idle_parked = true;
	kgrind_cpu_busy = false;
	kgrind_host->mutex_unlock(kgrind_cpu_lock);

	/*
	 * From here another host thread may hold the CPU and be current:
	 * name the idle task, not current, whose context this saves.
	 */
	kgrind_context_park(&init_task);
	kgrind_idle_parked = false;
	if (kgrind_idle_needs_tail) {
		/* A host thread switched idle away meanwhile: finish coming back. */
		kgrind_idle_needs_tail = false;
		kgrind_idle_finish_switch();
	}
}

/*
 * A task switches to next.  If next is idle parked in arch_cpu_idle
 * (because a host thread stood in for it), it resumes there and must
 * finish the switch.
 */
void kgrind_idle_resuming(struct task_struct *next)
{
	if (next == &init_task && kgrind_idle_parked)
		kgrind_idle_needs_tail = true;
}

/*
 * System call fast path: a host thread takes the free CPU itself instead
 * of waking the idle task's thread to do it.
 */
bool kgrind_cpu_try_take(void)
{
	bool taken = false;

	kgrind_host->mutex_lock(kgrind_cpu_lock);
	if (!kgrind_cpu_busy && !READ_ONCE(kgrind_irq_pending)) {
		kgrind_cpu_busy = true;
		taken = true;
	}
	kgrind_host->mutex_unlock(kgrind_cpu_lock);
	return taken;
}

/*
 * A host thread's task parked and the CPU went to idle, whose thread is
 * asleep in arch_cpu_idle: finish the switch as idle would, put the idle
 * loop back as it was, and free the CPU, or wake the idle thread if
 * there is work.
 */
void kgrind_idle_return(void)
{
	bool work;

	kgrind_idle_finish_switch();
	/* The idle thread sleeps on without another loop turn to do this. */
	tick_nohz_idle_stop_tick();

	kgrind_host->mutex_lock(kgrind_cpu_lock);
	work = READ_ONCE(kgrind_irq_pending) || need_resched();
	if (!work)
		kgrind_cpu_busy = false;
	kgrind_host->mutex_unlock(kgrind_cpu_lock);
	if (work)
		kgrind_cpu_resume(&init_task);
}

static void kgrind_irq_ack(struct irq_data *d)
{
}

static struct irq_chip kgrind_irq_chip = {
	.name		= "kgrind",
	.irq_mask	= kgrind_irq_ack,
	.irq_unmask	= kgrind_irq_ack,
};

void __init init_IRQ(void)
{
	int irq;

	for (irq = 0; irq < NR_IRQS; irq++)
		irq_set_chip_and_handler(irq, &kgrind_irq_chip,
					 handle_simple_irq);
}
