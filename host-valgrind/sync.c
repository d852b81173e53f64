// SPDX-License-Identifier: GPL-2.0
/*
 * Semaphores and mutexes the kernel sleeps on.  A semaphore's wait is a
 * futex call of kgrind's own (host_call.h): the CPU thread sleeps in one
 * from boot, before kgrind-run patches the C library's call sites.
 */
#include <pthread.h>
#include <stdlib.h>
#include "host_call.h"
#include "host_ops_internal.h"
#include "registry.h"

struct kg_sem {
	struct kg_res res;
	unsigned int count;
	unsigned int waiters;	/* a post wakes only when someone waits */
};

struct kg_mutex {
	struct kg_res res;
	pthread_mutex_t mutex;
};

static void *kg_sem_alloc(int count)
{
	struct kg_sem *s = malloc(sizeof(*s));

	if (!s)
		return NULL;
	s->count = count;
	s->waiters = 0;
	kg_res_add(&s->res, KG_RES_SEM);
	return s;
}

static void kg_sem_release(struct kg_sem *s)
{
	free(s);
}

static void kg_sem_free(void *sem)
{
	struct kg_sem *s = sem;

	kg_res_del(&s->res);
	kg_sem_release(s);
}

static void kg_sem_up(void *sem)
{
	struct kg_sem *s = sem;

	__atomic_fetch_add(&s->count, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&s->waiters, __ATOMIC_SEQ_CST))
		kg_futex_wake(&s->count, 1);
}

/*
 * A waiter counts itself before it sleeps, and the futex sleeps only
 * while the count is still 0: a post either sees the waiter or changed
 * the count first, so none is lost.
 */
static void kg_sem_down(void *sem)
{
	struct kg_sem *s = sem;

	for (;;) {
		unsigned int n = __atomic_load_n(&s->count, __ATOMIC_SEQ_CST);

		if (n) {
			if (__atomic_compare_exchange_n(&s->count, &n, n - 1, 0,
							__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
				return;
			continue;
		}
		__atomic_fetch_add(&s->waiters, 1, __ATOMIC_SEQ_CST);
		kg_futex_wait(&s->count, 0, NULL);
		__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_SEQ_CST);
	}
}

static void *kg_mutex_alloc(void)
{
	struct kg_mutex *m = malloc(sizeof(*m));

	if (!m)
		return NULL;
	pthread_mutex_init(&m->mutex, NULL);
	kg_res_add(&m->res, KG_RES_MUTEX);
	return m;
}

static void kg_mutex_release(struct kg_mutex *m)
{
	pthread_mutex_destroy(&m->mutex);
	free(m);
}

static void kg_mutex_free(void *mutex)
{
	struct kg_mutex *m = mutex;

	kg_res_del(&m->res);
	kg_mutex_release(m);
}

static void kg_mutex_lock(void *mutex)
{
	pthread_mutex_lock(&((struct kg_mutex *)mutex)->mutex);
}

static void kg_mutex_unlock(void *mutex)
{
	pthread_mutex_unlock(&((struct kg_mutex *)mutex)->mutex);
}

void kg_host_sync_fill(struct kg_host_ops *ops)
{
	ops->sem_alloc = kg_sem_alloc;
	ops->sem_free = kg_sem_free;
	ops->sem_up = kg_sem_up;
	ops->sem_down = kg_sem_down;
	ops->mutex_alloc = kg_mutex_alloc;
	ops->mutex_free = kg_mutex_free;
	ops->mutex_lock = kg_mutex_lock;
	ops->mutex_unlock = kg_mutex_unlock;
}

static void kg_mutex_hold(struct kg_res *r)
{
	pthread_mutex_lock(&kg_container_of(r, struct kg_mutex, res)->mutex);
}

static void kg_mutex_release_held(struct kg_res *r)
{
	pthread_mutex_unlock(&kg_container_of(r, struct kg_mutex, res)->mutex);
}

/*
 * Around a fork: every mutex the kernel made is held, so that none is
 * copied locked by a thread the child will not have.  Kernel code holds
 * one at a time, briefly, so taking them in any order cannot deadlock.
 */
void kg_host_sync_fork_prepare(void)
{
	kg_res_hold();
	kg_res_each(KG_RES_MUTEX, kg_mutex_hold);
}

/* After the fork, on both sides. */
void kg_host_sync_fork_done(void)
{
	kg_res_each(KG_RES_MUTEX, kg_mutex_release_held);
	kg_res_release();
}

void kg_host_sync_cleanup(void)
{
	struct kg_res *r;

	while ((r = kg_res_pop(KG_RES_SEM)))
		kg_sem_release(kg_container_of(r, struct kg_sem, res));
	while ((r = kg_res_pop(KG_RES_MUTEX)))
		kg_mutex_release(kg_container_of(r, struct kg_mutex, res));
}
