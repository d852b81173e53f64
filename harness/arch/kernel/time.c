// SPDX-License-Identifier: GPL-2.0
/*
 * Time from the host: a clocksource and sched_clock reading the host's
 * monotonic clock in nanoseconds, and a one-shot clockevent on a host
 * timer that raises the timer interrupt.
 *
 * Or virtual time (kgrind.virtual_time=1, as UML's time-travel mode):
 * the clock is a counter that moves only with the kernel, a fixed step
 * at each read and a smaller one each time interrupts are enabled (so a
 * loop that waits for a timer without reading the clock, as ksoftirqd
 * re-running a disabled tasklet, still sees it fire), and when the CPU
 * would idle while a host thread waits on the kernel, a jump to the next
 * timer, which fires at once.  The
 * wall clock starts at a fixed date, and the random pool at a fixed
 * seed.  The same run from the same kernel then takes the same path,
 * and sleeps cost no host time; host threads that race each other
 * still do as the host schedules them.
 */
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/clocksource.h>
#include <linux/clockchips.h>
#include <linux/sched_clock.h>
#include <linux/timekeeping.h>
#include <asm/kgrind.h>

static void *kgrind_timer;
/* How far the kernel's clock is ahead of the host's (kgrind_clock_advance). */
static u64 kgrind_clock_ahead_ns;

bool kgrind_virtual_time;
/* The virtual clock, and the clockevent's next expiry on it (or never). */
static u64 kgrind_virtual_ns = NSEC_PER_SEC;
static u64 kgrind_virtual_deadline = U64_MAX;
#define KGRIND_VIRTUAL_STEP_NS	1000
#define KGRIND_VIRTUAL_IRQ_ON_NS	100
/* 2026-01-01 00:00:00 UTC: the wall clock's start in virtual time. */
#define KGRIND_VIRTUAL_EPOCH	1767225600LL

int kg_kernel_virtual_time(void)
{
	return kgrind_virtual_time;
}

static int __init kgrind_virtual_time_setup(char *arg)
{
	return kstrtobool(arg, &kgrind_virtual_time);
}
early_param("kgrind.virtual_time", kgrind_virtual_time_setup);

/*
 * Only the CPU's holder moves the clock.  A step that reaches the next
 * timer's expiry raises its interrupt: a busy loop waiting for jiffies
 * to move ends too.
 */
static u64 notrace kgrind_virtual_advance(u64 step)
{
	u64 now = READ_ONCE(kgrind_virtual_ns) + step;

	WRITE_ONCE(kgrind_virtual_ns, now);
	if (now >= READ_ONCE(kgrind_virtual_deadline)) {
		WRITE_ONCE(kgrind_virtual_deadline, U64_MAX);
		kgrind_irq_pend(KGRIND_TIMER_IRQ);
	}
	return now;
}

static u64 notrace kgrind_virtual_now(void)
{
	return kgrind_virtual_advance(KGRIND_VIRTUAL_STEP_NS);
}

/* Interrupts go on (arch_local_irq_restore). */
void notrace kgrind_virtual_irqs_on(void)
{
	kgrind_virtual_advance(KGRIND_VIRTUAL_IRQ_ON_NS);
}

/*
 * The CPU would idle: while a host thread waits on the kernel, the clock
 * jumps to the next timer and its interrupt is raised; true if it did.
 * With nobody waiting, time stands still until the next call.
 */
bool kgrind_virtual_idle(void)
{
	u64 deadline = READ_ONCE(kgrind_virtual_deadline);

	if (!kgrind_virtual_time || deadline == U64_MAX ||
	    !atomic_read(&kgrind_host_waiting))
		return false;
	if (deadline > kgrind_virtual_ns)
		WRITE_ONCE(kgrind_virtual_ns, deadline);
	WRITE_ONCE(kgrind_virtual_deadline, U64_MAX);
	kgrind_irq_pend(KGRIND_TIMER_IRQ);
	return true;
}

static u64 notrace kgrind_clock_now(void)
{
	u64 now = kgrind_virtual_time ? kgrind_virtual_now() : kgrind_host->time_ns();

	return now + READ_ONCE(kgrind_clock_ahead_ns);
}

static u64 kgrind_clock_read(struct clocksource *cs)
{
	return kgrind_clock_now();
}

static u64 notrace kgrind_sched_clock_read(void)
{
	return kgrind_clock_now();
}

/*
 * Moves the kernel's clock ns ahead at once, and for good: timers due in
 * between fire at the next tick.  make kunit-selftest's slow case uses it
 * to stand for a case that runs past KUnit's limit under memcheck,
 * without waiting that long.  Less than ten minutes at a time: the
 * clocksource's conversion holds that much.
 */
void kgrind_clock_advance(u64 ns)
{
	WRITE_ONCE(kgrind_clock_ahead_ns, kgrind_clock_ahead_ns + ns);
}

static struct clocksource kgrind_clocksource = {
	.name	= "kgrind-host",
	.rating	= 400,
	.read	= kgrind_clock_read,
	.mask	= CLOCKSOURCE_MASK(64),
	.flags	= CLOCK_SOURCE_IS_CONTINUOUS,
};

static int kgrind_timer_next(unsigned long delta_ns,
			     struct clock_event_device *evt)
{
	if (kgrind_virtual_time)
		WRITE_ONCE(kgrind_virtual_deadline, kgrind_virtual_ns + delta_ns);
	else
		kgrind_host->timer_set_oneshot(kgrind_timer, delta_ns);
	return 0;
}

static int kgrind_timer_shutdown(struct clock_event_device *evt)
{
	if (kgrind_virtual_time)
		WRITE_ONCE(kgrind_virtual_deadline, U64_MAX);
	else
		kgrind_host->timer_cancel(kgrind_timer);
	return 0;
}

static struct clock_event_device kgrind_clockevent = {
	.name			= "kgrind-host-timer",
	.rating			= 400,
	.features		= CLOCK_EVT_FEAT_ONESHOT,
	.set_next_event		= kgrind_timer_next,
	.set_state_shutdown	= kgrind_timer_shutdown,
	.set_state_oneshot_stopped = kgrind_timer_shutdown,
};

static irqreturn_t kgrind_timer_interrupt(int irq, void *dev_id)
{
	struct clock_event_device *evt = dev_id;

	if (evt->event_handler)
		evt->event_handler(evt);
	return IRQ_HANDLED;
}

/* Runs on the host timer thread: only raise the line. */
static void kgrind_timer_fired(void *unused)
{
	kgrind_irq_raise(KGRIND_TIMER_IRQ);
}

void read_persistent_clock64(struct timespec64 *ts)
{
	if (kgrind_virtual_time)
		*ts = (struct timespec64){ .tv_sec = KGRIND_VIRTUAL_EPOCH };
	else
		*ts = ns_to_timespec64(kgrind_host->realtime_ns());
}

void __init time_init(void)
{
	int err;

	kgrind_timer = kgrind_host->timer_alloc(kgrind_timer_fired, NULL);
	if (!kgrind_timer)
		panic("kgrind: the host has no timer");

	err = request_irq(KGRIND_TIMER_IRQ, kgrind_timer_interrupt,
			  IRQF_TIMER, "timer", &kgrind_clockevent);
	if (err)
		panic("kgrind: cannot take the timer interrupt: %d", err);

	kgrind_clockevent.cpumask = cpumask_of(0);
	clocksource_register_hz(&kgrind_clocksource, NSEC_PER_SEC);
	sched_clock_register(kgrind_sched_clock_read, 64, NSEC_PER_SEC);
	clockevents_config_and_register(&kgrind_clockevent, NSEC_PER_SEC,
					1000, ULONG_MAX);
}

void kgrind_time_stop(void)
{
	kgrind_host->timer_cancel(kgrind_timer);
}
