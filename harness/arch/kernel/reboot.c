// SPDX-License-Identifier: GPL-2.0
/*
 * Power off is how the kernel halts: every other host thread is told to
 * end, and the calling host thread returns to kg_kernel_halt().
 */
#include <linux/reboot.h>
#include <linux/pm.h>
#include <linux/sched.h>
#include <asm/kgrind.h>

void machine_power_off(void)
{
	struct kgrind_host_entry *he = current->thread.host_entry;

	kgrind_time_stop();
	kgrind_thread_wake_all_for_halt();
	kgrind_entry_drain();
	if (current->thread.flags & KGRIND_THREAD_HOST)
		kgrind_host_return(he, KGRIND_JUMP_PARKED);
	kgrind_host->thread_exit();
	unreachable();
}

void machine_halt(void)
{
	machine_power_off();
}

void machine_restart(char *cmd)
{
	machine_power_off();
}
