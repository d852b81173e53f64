// SPDX-License-Identifier: GPL-2.0
/*
 * One-shot timers, all served by one host thread that sleeps until the
 * earliest deadline on the monotonic clock, in a futex call of kgrind's
 * own (host_call.h), as it may sleep from before kgrind-run patches the
 * C library's call sites.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "host_call.h"
#include "host_ops_internal.h"
#include "registry.h"

struct kg_timer {
	struct kg_res res;
	void (*fn)(void *);
	void *arg;
	int armed;
	unsigned long long deadline_ns;
	struct kg_timer *next_timer;	/* all timers, for the thread */
};

static pthread_mutex_t kg_timer_lock = PTHREAD_MUTEX_INITIALIZER;
/* Held by the timer thread while a timer's callback runs. */
static pthread_mutex_t kg_timer_firing = PTHREAD_MUTEX_INITIALIZER;
/* The timer the thread took off and is about to fire (or firing). */
static struct kg_timer *kg_timer_due;
/* Changed under kg_timer_lock, with the thread woken, to wake it. */
static unsigned int kg_timer_kicks;
static struct kg_timer *kg_timers;
static pthread_t kg_timer_thread;
static int kg_timer_running, kg_timer_stop;
/* When the timer thread wakes next on its own (ULLONG_MAX: never). */
static unsigned long long kg_timer_wakes_at = ~0ULL;

unsigned long long kg_host_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static struct kg_timer *kg_earliest_armed(void)
{
	struct kg_timer *t, *first = NULL;

	for (t = kg_timers; t; t = t->next_timer)
		if (t->armed && (!first || t->deadline_ns < first->deadline_ns))
			first = t;
	return first;
}

static void *kg_timer_main(void *unused)
{
	kg_host_thread_init();
	pthread_setname_np(pthread_self(), "kg-host-timer");
	pthread_mutex_lock(&kg_timer_lock);
	while (!kg_timer_stop) {
		struct kg_timer *t = kg_earliest_armed();
		unsigned long long now = kg_host_monotonic_ns();

		if (!t || t->deadline_ns > now) {
			unsigned int kicks = kg_timer_kicks;
			struct timespec ts;

			kg_timer_wakes_at = t ? t->deadline_ns : ~0ULL;
			if (t) {
				ts.tv_sec = t->deadline_ns / 1000000000ULL;
				ts.tv_nsec = t->deadline_ns % 1000000000ULL;
			}
			pthread_mutex_unlock(&kg_timer_lock);
			kg_futex_wait(&kg_timer_kicks, kicks, t ? &ts : NULL);
			pthread_mutex_lock(&kg_timer_lock);
		} else {
			t->armed = 0;
			kg_timer_due = t;
			pthread_mutex_unlock(&kg_timer_lock);
			pthread_mutex_lock(&kg_timer_firing);
			t->fn(t->arg);
			pthread_mutex_unlock(&kg_timer_firing);
			pthread_mutex_lock(&kg_timer_lock);
			kg_timer_due = NULL;
		}
	}
	pthread_mutex_unlock(&kg_timer_lock);
	return NULL;
}

/* With kg_timer_lock held. */
static void kg_timer_kick(void)
{
	__atomic_fetch_add(&kg_timer_kicks, 1, __ATOMIC_SEQ_CST);
	kg_futex_wake(&kg_timer_kicks, 1);
}

static int kg_timer_thread_start(void)
{
	if (kg_timer_running)
		return 0;
	kg_timer_stop = 0;
	kg_host_thread_starting(1);
	if (pthread_create(&kg_timer_thread, NULL, kg_timer_main, NULL)) {
		kg_host_thread_starting(-1);
		return -1;
	}
	kg_timer_running = 1;
	return 0;
}

static void *kg_timer_alloc(void (*fn)(void *), void *arg)
{
	struct kg_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	pthread_mutex_lock(&kg_timer_lock);
	if (kg_timer_thread_start()) {
		pthread_mutex_unlock(&kg_timer_lock);
		free(t);
		return NULL;
	}
	t->next_timer = kg_timers;
	kg_timers = t;
	pthread_mutex_unlock(&kg_timer_lock);
	kg_res_add(&t->res, KG_RES_TIMER);
	return t;
}

static void kg_timer_set_oneshot(void *timer, unsigned long long delta_ns)
{
	struct kg_timer *t = timer;

	pthread_mutex_lock(&kg_timer_lock);
	t->deadline_ns = kg_host_monotonic_ns() + delta_ns;
	t->armed = 1;
	/*
	 * The kernel reprograms its timer on every idle entry and exit; wake
	 * the thread only if it would otherwise sleep past the new deadline.
	 */
	if (t->deadline_ns < kg_timer_wakes_at) {
		kg_timer_wakes_at = t->deadline_ns;
		kg_timer_kick();
	}
	pthread_mutex_unlock(&kg_timer_lock);
}

static void kg_timer_cancel(void *timer)
{
	pthread_mutex_lock(&kg_timer_lock);
	((struct kg_timer *)timer)->armed = 0;
	pthread_mutex_unlock(&kg_timer_lock);
}

static void kg_timer_unlink(struct kg_timer *t)
{
	struct kg_timer **p;

	for (p = &kg_timers; *p; p = &(*p)->next_timer)
		if (*p == t) {
			*p = t->next_timer;
			break;
		}
}

static void kg_timer_free(void *timer)
{
	struct kg_timer *t = timer;

	pthread_mutex_lock(&kg_timer_lock);
	kg_timer_unlink(t);
	pthread_mutex_unlock(&kg_timer_lock);
	kg_res_del(&t->res);
	free(t);
}

/* Around a fork: the timer thread waits, outside any callback. */
void kg_host_timers_fork_prepare(void)
{
	pthread_mutex_lock(&kg_timer_firing);
	pthread_mutex_lock(&kg_timer_lock);
}

/*
 * After the fork: a child has no timer thread, and starts its own.  A
 * timer the parent's thread had taken off but not yet fired is armed
 * again, due now: else the child's kernel would wait for it for ever
 * (once more if it had fired: a spurious tick is harmless).
 */
int kg_host_timers_fork_done(int child)
{
	int err = 0;

	if (child && kg_timer_due) {
		kg_timer_due->armed = 1;
		kg_timer_due->deadline_ns = 0;
		kg_timer_due = NULL;
	}
	if (child && kg_timer_running) {
		kg_timer_running = 0;
		err = kg_timer_thread_start();
	}
	pthread_mutex_unlock(&kg_timer_lock);
	pthread_mutex_unlock(&kg_timer_firing);
	return err;
}

void kg_host_timers_fill(struct kg_host_ops *ops)
{
	ops->timer_alloc = kg_timer_alloc;
	ops->timer_set_oneshot = kg_timer_set_oneshot;
	ops->timer_cancel = kg_timer_cancel;
	ops->timer_free = kg_timer_free;
}

void kg_host_timers_cleanup(void)
{
	struct kg_res *r;

	pthread_mutex_lock(&kg_timer_lock);
	if (kg_timer_running) {
		kg_timer_stop = 1;
		kg_timer_wakes_at = 0;
		kg_timer_kick();
		pthread_mutex_unlock(&kg_timer_lock);
		pthread_join(kg_timer_thread, NULL);
		pthread_mutex_lock(&kg_timer_lock);
		kg_timer_running = 0;
	}
	kg_timers = NULL;
	pthread_mutex_unlock(&kg_timer_lock);
	while ((r = kg_res_pop(KG_RES_TIMER)))
		free(kg_container_of(r, struct kg_timer, res));
}
