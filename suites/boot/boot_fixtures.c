// SPDX-License-Identifier: GPL-2.0
/* Kernel-side fixtures of the boot suite. */
#include <linux/bug.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <asm/kgrind_fixture.h>

/* Proves a fixture runs in the kernel, in task context, with its arg. */
static long boot_echo_pid(long arg)
{
	if (in_interrupt())
		return -EINVAL;
	return arg + task_pid_nr(current);
}
KG_FIXTURE("boot_echo_pid", boot_echo_pid);

/* A deliberate kernel warning: the harness must report it. */
static long boot_warn(long arg)
{
	WARN(1, "kgrind boot suite: deliberate warning %ld\n", arg);
	return 0;
}
KG_FIXTURE("boot_warn", boot_warn);

/* Fatal faults: the suite runs these in a forked child that must die. */
static long boot_panic(long arg)
{
	panic("kgrind boot suite: deliberate panic %ld", arg);
}
KG_FIXTURE("boot_panic", boot_panic);

static long boot_bug(long arg)
{
	BUG();
}
KG_FIXTURE("boot_bug", boot_bug);

/* Without an MMU this is a host fault; the harness reports it as an oops. */
static long boot_bad_pointer(long arg)
{
	return *(volatile long *)arg;
}
KG_FIXTURE("boot_bad_pointer", boot_bad_pointer);
