// SPDX-License-Identifier: GPL-2.0
/* Kernel-side fixtures of the boot suite. */
#include <linux/bug.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
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

/*
 * The caller's task and a kernel thread hand the CPU to each other arg
 * times, through two completions: 2 * arg context switches.  Returns
 * the kernel clock's nanoseconds for them (make bench divides), or a
 * negative errno.
 */
struct boot_ping_pong {
	struct completion ping, pong;
	long rounds;
};

static int boot_pong(void *arg)
{
	struct boot_ping_pong *pp = arg;
	long i;

	for (i = 0; i < pp->rounds; i++) {
		wait_for_completion(&pp->ping);
		complete(&pp->pong);
	}
	return 0;
}

static long boot_switch_ping_pong(long rounds)
{
	struct boot_ping_pong pp = { .rounds = rounds };
	struct task_struct *partner;
	u64 start;
	long i;

	if (rounds <= 0)
		return -EINVAL;
	init_completion(&pp.ping);
	init_completion(&pp.pong);
	partner = kthread_run(boot_pong, &pp, "kg-pong");
	if (IS_ERR(partner))
		return PTR_ERR(partner);
	start = ktime_get_ns();
	for (i = 0; i < rounds; i++) {
		complete(&pp.ping);
		wait_for_completion(&pp.pong);
	}
	return ktime_get_ns() - start;
}
KG_FIXTURE("boot_switch_ping_pong", boot_switch_ping_pong);

/*
 * The same between two kernel threads, which the caller waits for: the
 * cost of a switch that no host thread takes part in.
 */
struct boot_kthread_pair {
	struct boot_ping_pong pp;
	struct completion done;
	u64 ns;
};

static int boot_ping(void *arg)
{
	struct boot_kthread_pair *pair = arg;
	u64 start = ktime_get_ns();
	long i;

	for (i = 0; i < pair->pp.rounds; i++) {
		complete(&pair->pp.ping);
		wait_for_completion(&pair->pp.pong);
	}
	pair->ns = ktime_get_ns() - start;
	complete(&pair->done);
	return 0;
}

static long boot_kthread_ping_pong(long rounds)
{
	struct boot_kthread_pair pair = { .pp.rounds = rounds };
	struct task_struct *pong, *ping;

	if (rounds <= 0)
		return -EINVAL;
	init_completion(&pair.pp.ping);
	init_completion(&pair.pp.pong);
	init_completion(&pair.done);
	pong = kthread_run(boot_pong, &pair.pp, "kg-pong");
	if (IS_ERR(pong))
		return PTR_ERR(pong);
	ping = kthread_run(boot_ping, &pair, "kg-ping");
	if (IS_ERR(ping))
		return PTR_ERR(ping);
	wait_for_completion(&pair.done);
	return pair.ns;
}
KG_FIXTURE("boot_kthread_ping_pong", boot_kthread_ping_pong);
