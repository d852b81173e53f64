// SPDX-License-Identifier: GPL-2.0
/*
 * A test that runs past its time has hung the kernel or the test: the
 * watchdog thread reports it with the console tail and kills the process
 * at once (no exit handlers: they could block on the hung kernel).  The
 * runner script then goes on in a fresh process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "kgrind.h"
#include "results.h"
#include "watchdog.h"

static pthread_mutex_t kg_wd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t kg_wd_cond;
static pthread_t kg_wd_thread;
static double kg_wd_timeout;
static int kg_wd_armed, kg_wd_stopping, kg_wd_running;
static struct timespec kg_wd_deadline;

static void *kg_watchdog_main(void *arg)
{
	char why[128];

	(void)arg;
	pthread_mutex_lock(&kg_wd_lock);
	while (!kg_wd_stopping) {
		if (!kg_wd_armed) {
			pthread_cond_wait(&kg_wd_cond, &kg_wd_lock);
			continue;
		}
		if (pthread_cond_timedwait(&kg_wd_cond, &kg_wd_lock,
					   &kg_wd_deadline) == ETIMEDOUT &&
		    kg_wd_armed && !kg_wd_stopping) {
			snprintf(why, sizeof(why),
				 "timed out after %.0f s (hung kernel or test)",
				 kg_wd_timeout);
			kg_results_fatal(why, kg_console_tail());
			kill(getpid(), SIGKILL);
		}
	}
	pthread_mutex_unlock(&kg_wd_lock);
	return NULL;
}

void kg_watchdog_start(double timeout_s)
{
	pthread_condattr_t attr;

	if (timeout_s <= 0)
		return;
	kg_wd_timeout = timeout_s;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&kg_wd_cond, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&kg_wd_thread, NULL, kg_watchdog_main, NULL) == 0) {
		pthread_setname_np(kg_wd_thread, "kg-watchdog");
		kg_wd_running = 1;
	}
}

void kg_watchdog_arm(void)
{
	long whole = (long)kg_wd_timeout;

	if (!kg_wd_running)
		return;
	pthread_mutex_lock(&kg_wd_lock);
	clock_gettime(CLOCK_MONOTONIC, &kg_wd_deadline);
	kg_wd_deadline.tv_sec += whole;
	kg_wd_deadline.tv_nsec += (long)((kg_wd_timeout - whole) * 1e9);
	if (kg_wd_deadline.tv_nsec >= 1000000000L) {
		kg_wd_deadline.tv_sec++;
		kg_wd_deadline.tv_nsec -= 1000000000L;
	}
	kg_wd_armed = 1;
	pthread_cond_signal(&kg_wd_cond);
	pthread_mutex_unlock(&kg_wd_lock);
}

void kg_watchdog_disarm(void)
{
	if (!kg_wd_running)
		return;
	pthread_mutex_lock(&kg_wd_lock);
	kg_wd_armed = 0;
	pthread_cond_signal(&kg_wd_cond);
	pthread_mutex_unlock(&kg_wd_lock);
}

void kg_watchdog_stop(void)
{
	if (!kg_wd_running)
		return;
	pthread_mutex_lock(&kg_wd_lock);
	kg_wd_stopping = 1;
	pthread_cond_signal(&kg_wd_cond);
	pthread_mutex_unlock(&kg_wd_lock);
	pthread_join(kg_wd_thread, NULL);
	pthread_cond_destroy(&kg_wd_cond);
	kg_wd_running = 0;
}
