// SPDX-License-Identifier: GPL-2.0
/*
 * Bottom halves for the softirq suite: tasklets (scheduled from task
 * context or from an interrupt the host raises), timer_list timers,
 * hrtimers, local_bh_disable nesting and a flood that ksoftirqd takes
 * over.  Each fixture waits for what it started and returns a number the
 * test checks; a negative errno when something never happened.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <asm/kgrind_fixture.h>

#define KG_WAIT		(5 * HZ)

static DECLARE_WAIT_QUEUE_HEAD(kg_wait);

/* Waits until *count reaches want: its value, or -ETIMEDOUT. */
static long wait_count(atomic_t *count, int want)
{
	if (!wait_event_timeout(kg_wait, atomic_read(count) >= want, KG_WAIT))
		return -ETIMEDOUT;
	return atomic_read(count);
}

/* Tasklets -------------------------------------------------------------- */

static atomic_t tasklet_runs, tasklet_wrong_context;
static atomic_t irq_runs, irq_wrong_context;
static int irq_mode;		/* what the interrupt schedules */

enum { MODE_TASKLET, MODE_TASKLET_HI, MODE_FLOOD };

static void tasklet_run(struct tasklet_struct *t)
{
	if (!in_serving_softirq())
		atomic_inc(&tasklet_wrong_context);
	atomic_inc(&tasklet_runs);
	wake_up(&kg_wait);
}

static DECLARE_TASKLET(kg_tasklet, tasklet_run);
static DECLARE_TASKLET(kg_tasklet_hi, tasklet_run);

static void tasklet_reset(void)
{
	atomic_set(&tasklet_runs, 0);
	atomic_set(&tasklet_wrong_context, 0);
}

/* Runs, or a negative errno; -EPERM if a run was not in a softirq. */
static long tasklet_result(long runs)
{
	if (runs >= 0 && atomic_read(&tasklet_wrong_context))
		return -EPERM;
	return runs;
}

/* arg 0: a normal tasklet, 1: a high-priority one. */
static long tasklet_from_task(long arg)
{
	tasklet_reset();
	if (arg)
		tasklet_hi_schedule(&kg_tasklet_hi);
	else
		tasklet_schedule(&kg_tasklet);
	return tasklet_result(wait_count(&tasklet_runs, 1));
}
KG_FIXTURE("tasklet_from_task", tasklet_from_task);

/* Scheduled three times before it can run: it runs once. */
static long tasklet_once_per_schedule(long arg)
{
	tasklet_reset();
	local_bh_disable();
	tasklet_schedule(&kg_tasklet);
	tasklet_schedule(&kg_tasklet);
	tasklet_schedule(&kg_tasklet);
	local_bh_enable();
	if (wait_count(&tasklet_runs, 1) < 0)
		return -ETIMEDOUT;
	msleep(30);
	return tasklet_result(atomic_read(&tasklet_runs));
}
KG_FIXTURE("tasklet_once_per_schedule", tasklet_once_per_schedule);

/* Disabled, it waits; enabled, it runs: runs before * 10 + runs after. */
static long tasklet_disable_defers(long arg)
{
	long before;

	tasklet_reset();
	tasklet_disable(&kg_tasklet);
	tasklet_schedule(&kg_tasklet);
	msleep(50);
	before = atomic_read(&tasklet_runs);
	tasklet_enable(&kg_tasklet);
	if (wait_count(&tasklet_runs, 1) < 0)
		return -ETIMEDOUT;
	return tasklet_result(before * 10 + atomic_read(&tasklet_runs));
}
KG_FIXTURE("tasklet_disable_defers", tasklet_disable_defers);

/*
 * tasklet_kill waits for a scheduled tasklet to run: it has run once when
 * kill returns, and is no longer scheduled.
 */
static long tasklet_kill_waits(long arg)
{
	tasklet_reset();
	tasklet_schedule(&kg_tasklet);
	tasklet_kill(&kg_tasklet);
	if (test_bit(TASKLET_STATE_SCHED, &kg_tasklet.state))
		return -EBUSY;
	msleep(20);
	return tasklet_result(atomic_read(&tasklet_runs));
}
KG_FIXTURE("tasklet_kill_waits", tasklet_kill_waits);

/* The flood: a tasklet that schedules itself until the count is spent. */
static atomic_t flood_left, flood_in_ksoftirqd, flood_elsewhere;

static void flood_run(struct tasklet_struct *t)
{
	if (current == this_cpu_ksoftirqd())
		atomic_inc(&flood_in_ksoftirqd);
	else
		atomic_inc(&flood_elsewhere);
	if (atomic_dec_return(&flood_left) > 0)
		tasklet_schedule(t);
	else
		wake_up(&kg_wait);
}

static DECLARE_TASKLET(kg_flood, flood_run);

/* The host's interrupt line: schedules what irq_mode says. */
static irqreturn_t kg_interrupt(int irq, void *dev)
{
	if (!in_hardirq())
		atomic_inc(&irq_wrong_context);
	atomic_inc(&irq_runs);
	switch (READ_ONCE(irq_mode)) {
	case MODE_TASKLET:
		tasklet_schedule(&kg_tasklet);
		break;
	case MODE_TASKLET_HI:
		tasklet_hi_schedule(&kg_tasklet_hi);
		break;
	case MODE_FLOOD:
		tasklet_schedule(&kg_flood);
		break;
	}
	return IRQ_HANDLED;
}

/* Once, from the suite's setup: the line arg is the host's to raise. */
static long softirq_attach_irq(long arg)
{
	return request_irq(arg, kg_interrupt, 0, "kgrind-softirq-suite", NULL);
}
KG_FIXTURE("softirq_attach_irq", softirq_attach_irq);

/* Before the host raises the line: arg is the mode | the flood size << 8. */
static long irq_expect(long arg)
{
	tasklet_reset();
	atomic_set(&irq_runs, 0);
	atomic_set(&irq_wrong_context, 0);
	atomic_set(&flood_in_ksoftirqd, 0);
	atomic_set(&flood_elsewhere, 0);
	WRITE_ONCE(irq_mode, arg & 0xff);
	atomic_set(&flood_left, arg >> 8);
	return 0;
}
KG_FIXTURE("irq_expect", irq_expect);

/* After it: tasklet runs, or -EPERM if the handler was not in hard irq. */
static long irq_tasklet_wait(long arg)
{
	long runs = tasklet_result(wait_count(&tasklet_runs, 1));

	if (atomic_read(&irq_runs) != 1 || atomic_read(&irq_wrong_context))
		return -EPERM;
	return runs;
}
KG_FIXTURE("irq_tasklet_wait", irq_tasklet_wait);

/*
 * After a flood started from the interrupt: runs in ksoftirqd * 1000000
 * + runs in other tasks, on an interrupt's way out (at most 999999).
 */
static long irq_flood_wait(long arg)
{
	if (!wait_event_timeout(kg_wait, atomic_read(&flood_left) <= 0, 30 * HZ))
		return -ETIMEDOUT;
	return atomic_read(&flood_in_ksoftirqd) * 1000000L +
	       atomic_read(&flood_elsewhere);
}
KG_FIXTURE("irq_flood_wait", irq_flood_wait);

/*
 * local_bh_disable nests: a tasklet scheduled under two levels runs only
 * when the outer one ends.  Returns runs inside * 100 + runs after the
 * inner enable * 10 + runs after the outer one (1 when right).
 */
static long bh_disable_nesting(long arg)
{
	long inside, after_inner, after_outer;

	tasklet_reset();
	local_bh_disable();
	local_bh_disable();
	tasklet_schedule(&kg_tasklet);
	mdelay(2);
	inside = atomic_read(&tasklet_runs);
	local_bh_enable();
	after_inner = atomic_read(&tasklet_runs);
	local_bh_enable();	/* runs pending softirqs here */
	after_outer = atomic_read(&tasklet_runs);
	return tasklet_result(inside * 100 + after_inner * 10 + after_outer);
}
KG_FIXTURE("bh_disable_nesting", bh_disable_nesting);

/* timer_list ------------------------------------------------------------ */

struct kg_timer {
	struct timer_list timer;
	int id;
};

static struct kg_timer kg_timers[3];
static atomic_t timers_fired, timer_wrong_context;
static int timer_order[3];

static void timer_run(struct timer_list *t)
{
	struct kg_timer *kt = from_timer(kt, t, timer);
	int n = atomic_read(&timers_fired);

	if (!in_serving_softirq())
		atomic_inc(&timer_wrong_context);
	if (n < 3)
		timer_order[n] = kt->id;
	atomic_inc(&timers_fired);
	wake_up(&kg_wait);
}

static void timers_reset(void)
{
	int i;

	atomic_set(&timers_fired, 0);
	atomic_set(&timer_wrong_context, 0);
	for (i = 0; i < 3; i++) {
		kg_timers[i].id = i + 1;
		timer_setup(&kg_timers[i].timer, timer_run, 0);
	}
}

/* Timers 1, 2, 3 due in 3, 1 and 2 ticks fire as 2, 3, 1: returns 231. */
static long timers_in_order(long arg)
{
	static const int ticks[3] = { 3, 1, 2 };
	unsigned long now;
	int i;

	timers_reset();
	now = jiffies;
	for (i = 0; i < 3; i++)
		mod_timer(&kg_timers[i].timer, now + ticks[i]);
	if (wait_count(&timers_fired, 3) < 0)
		return -ETIMEDOUT;
	if (atomic_read(&timer_wrong_context))
		return -EPERM;
	return timer_order[0] * 100 + timer_order[1] * 10 + timer_order[2];
}
KG_FIXTURE("timers_in_order", timers_in_order);

/*
 * mod_timer on a pending timer moves it: returns what mod_timer said
 * (1: it was pending) * 10 + how often it fired (once).
 */
static long mod_timer_moves(long arg)
{
	struct timer_list *t = &kg_timers[0].timer;
	int was_pending;

	timers_reset();
	mod_timer(t, jiffies + 100 * HZ);
	was_pending = mod_timer(t, jiffies + 2);
	if (wait_count(&timers_fired, 1) < 0)
		return -ETIMEDOUT;
	msleep(50);
	return was_pending * 10 + atomic_read(&timers_fired);
}
KG_FIXTURE("mod_timer_moves", mod_timer_moves);

/* A deleted pending timer never fires: returns timer_delete's 1 * 10 + 0. */
static long timer_delete_pending(long arg)
{
	struct timer_list *t = &kg_timers[0].timer;
	int was_pending;

	timers_reset();
	mod_timer(t, jiffies + 3);
	was_pending = timer_delete(t);
	msleep(100);
	return was_pending * 10 + atomic_read(&timers_fired);
}
KG_FIXTURE("timer_delete_pending", timer_delete_pending);

/* A timer that re-arms itself each time it runs, until deleted. */
static struct timer_list rearming;
static atomic_t rearming_runs;

static void rearming_run(struct timer_list *t)
{
	atomic_inc(&rearming_runs);
	wake_up(&kg_wait);
	mod_timer(t, jiffies + 1);
}

/*
 * timer_delete_sync stops it for good, even though it keeps re-arming:
 * returns its runs (at least 3), or -EBUSY if it ran after the delete.
 */
static long timer_delete_sync_rearming(long arg)
{
	long runs;

	atomic_set(&rearming_runs, 0);
	timer_setup(&rearming, rearming_run, 0);
	mod_timer(&rearming, jiffies + 1);
	if (wait_count(&rearming_runs, 3) < 0) {
		timer_delete_sync(&rearming);
		return -ETIMEDOUT;
	}
	timer_delete_sync(&rearming);
	runs = atomic_read(&rearming_runs);
	msleep(50);
	if (atomic_read(&rearming_runs) != runs || timer_pending(&rearming))
		return -EBUSY;
	return runs;
}
KG_FIXTURE("timer_delete_sync_rearming", timer_delete_sync_rearming);

/* hrtimers -------------------------------------------------------------- */

static struct hrtimer kg_hrtimer;
static atomic_t hrtimer_runs, hrtimer_in_hardirq, hrtimer_in_softirq;
static int hrtimer_restarts;

static enum hrtimer_restart hrtimer_run(struct hrtimer *t)
{
	/* A timer interrupt that came while a softirq ran is a hard irq still. */
	if (in_hardirq())
		atomic_inc(&hrtimer_in_hardirq);
	else if (in_serving_softirq())
		atomic_inc(&hrtimer_in_softirq);
	atomic_inc(&hrtimer_runs);
	wake_up(&kg_wait);
	if (atomic_read(&hrtimer_runs) < hrtimer_restarts) {
		hrtimer_forward_now(t, ms_to_ktime(2));
		return HRTIMER_RESTART;
	}
	return HRTIMER_NORESTART;
}

static void hrtimer_start_ms(enum hrtimer_mode mode, int ms, int restarts)
{
	atomic_set(&hrtimer_runs, 0);
	atomic_set(&hrtimer_in_hardirq, 0);
	atomic_set(&hrtimer_in_softirq, 0);
	hrtimer_restarts = restarts;
	hrtimer_init(&kg_hrtimer, CLOCK_MONOTONIC, mode);
	kg_hrtimer.function = hrtimer_run;
	hrtimer_start(&kg_hrtimer, ms_to_ktime(ms), mode);
}

/*
 * arg 0: a hard hrtimer, 1: a soft one.  Returns runs in hard irq * 10 +
 * runs in a softirq (10 and 1).
 */
static long hrtimer_fires(long arg)
{
	hrtimer_start_ms(arg ? HRTIMER_MODE_REL_SOFT : HRTIMER_MODE_REL_HARD, 5, 1);
	if (wait_count(&hrtimer_runs, 1) < 0) {
		hrtimer_cancel(&kg_hrtimer);
		return -ETIMEDOUT;
	}
	hrtimer_cancel(&kg_hrtimer);
	return atomic_read(&hrtimer_in_hardirq) * 10 +
	       atomic_read(&hrtimer_in_softirq);
}
KG_FIXTURE("hrtimer_fires", hrtimer_fires);

/* Restarted from its own callback arg times: returns its runs. */
static long hrtimer_periodic(long arg)
{
	hrtimer_start_ms(HRTIMER_MODE_REL, 2, arg);
	if (wait_count(&hrtimer_runs, arg) < 0) {
		hrtimer_cancel(&kg_hrtimer);
		return -ETIMEDOUT;
	}
	msleep(20);
	hrtimer_cancel(&kg_hrtimer);
	return atomic_read(&hrtimer_runs);
}
KG_FIXTURE("hrtimer_periodic", hrtimer_periodic);

/* Cancelled before it is due: returns hrtimer_cancel's 1 * 10 + runs (0). */
static long hrtimer_cancel_pending(long arg)
{
	int was_active;

	hrtimer_start_ms(HRTIMER_MODE_REL, 1000, 1);
	was_active = hrtimer_cancel(&kg_hrtimer);
	return was_active * 10 + atomic_read(&hrtimer_runs);
}
KG_FIXTURE("hrtimer_cancel_pending", hrtimer_cancel_pending);
