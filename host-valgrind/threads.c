// SPDX-License-Identifier: GPL-2.0
/* Host threads the kernel asks for (its CPU thread), and one thread-local slot. */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "host_ops_internal.h"
#include "registry.h"

/* The CPU thread waits at home on this stack; host calls need room too. */
#define KG_THREAD_STACK (256 * 1024)
#define KG_JOIN_GRACE_SEC 5

struct kg_thread {
	struct kg_res res;
	pthread_t tid;
	void (*fn)(void *);
	void *arg;
	jmp_buf exit_jmp;
};

static __thread struct kg_thread *kg_self;
__thread int kg_host_thread_owned;

/*
 * At the start of each host thread kgrind makes: its calls are the
 * host's, and it takes no asynchronous signal, so that a signal meant
 * for the program (its alarm, a SIGCHLD) is delivered to one of the
 * program's threads and never runs the program's handler here.
 */
void kg_host_thread_init(void)
{
	static const int synchronous[] = { SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGTRAP, SIGSYS };
	sigset_t set;
	unsigned int i;

	kg_host_thread_owned = 1;
	kg_host_thread_starting(-1);
	sigfillset(&set);
	for (i = 0; i < sizeof(synchronous) / sizeof(synchronous[0]); i++)
		sigdelset(&set, synchronous[i]);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* kgrind's threads made and not yet marked kgrind's (above). */
static int kg_host_threads_born;

void kg_host_thread_starting(int delta)
{
	__atomic_add_fetch(&kg_host_threads_born, delta, __ATOMIC_SEQ_CST);
}

int kg_host_threads_starting(void)
{
	return __atomic_load_n(&kg_host_threads_born, __ATOMIC_SEQ_CST);
}

static pthread_key_t kg_tls_key;
static int kg_tls_ready;
static void (*kg_tls_gone)(void *value);

static void *kg_thread_start(void *p)
{
	struct kg_thread *t = p;

	kg_self = t;
	kg_host_thread_init();
	if (!setjmp(t->exit_jmp))
		t->fn(t->arg);
	/* Done: the next thread_create (or cleanup) joins and frees it. */
	kg_res_move(&t->res, KG_RES_THREAD_DONE);
	return NULL;
}

static void kg_reap_done(void)
{
	struct kg_res *r;

	while ((r = kg_res_pop(KG_RES_THREAD_DONE))) {
		struct kg_thread *t = kg_container_of(r, struct kg_thread, res);

		pthread_join(t->tid, NULL);
		free(t);
	}
}

static void *kg_thread_create(void (*fn)(void *), void *arg)
{
	struct kg_thread *t;
	pthread_attr_t attr;
	int err;

	kg_reap_done();
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	kg_res_add(&t->res, KG_RES_THREAD);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, KG_THREAD_STACK);
	kg_host_thread_starting(1);
	err = pthread_create(&t->tid, &attr, kg_thread_start, t);
	if (err)
		kg_host_thread_starting(-1);
	pthread_attr_destroy(&attr);
	if (err) {
		kg_res_del(&t->res);
		free(t);
		return NULL;
	}
	return t;
}

/* Unwinds to kg_thread_start: kernel frames carry no unwind tables. */
static void kg_thread_exit(void)
{
	longjmp(kg_self->exit_jmp, 1);
}

static void kg_thread_set_name(const char *name)
{
	char buf[16];

	strncpy(buf, name, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	pthread_setname_np(pthread_self(), buf);
}

static void kg_tls_destructor(void *value)
{
	if (kg_tls_gone)
		kg_tls_gone(value);
}

static void kg_tls_init(void (*gone)(void *value))
{
	kg_tls_gone = gone;
	if (!pthread_key_create(&kg_tls_key, kg_tls_destructor))
		kg_tls_ready = 1;
}

static void *kg_tls_get(void)
{
	return kg_tls_ready ? pthread_getspecific(kg_tls_key) : NULL;
}

void *kg_host_current_task(void)
{
	return kg_tls_get();
}

static void kg_tls_set(void *value)
{
	if (kg_tls_ready)
		pthread_setspecific(kg_tls_key, value);
}

static int kg_thread_id(int *pid)
{
	*pid = getpid();
	return gettid();
}

static void kg_raise_signal(int sig)
{
	syscall(SYS_tgkill, getpid(), gettid(), sig);
}

static int (*kg_call_interrupted_fn)(void);

void kg_host_set_call_interrupted(int (*fn)(void))
{
	kg_call_interrupted_fn = fn;
}

static int kg_call_interrupted(void)
{
	return kg_call_interrupted_fn ? kg_call_interrupted_fn() : 0;
}

void kg_host_threads_fill(struct kg_host_ops *ops)
{
	ops->thread_id = kg_thread_id;
	ops->raise_signal = kg_raise_signal;
	ops->call_interrupted = kg_call_interrupted;
	ops->thread_create = kg_thread_create;
	ops->thread_exit = kg_thread_exit;
	ops->thread_set_name = kg_thread_set_name;
	ops->tls_init = kg_tls_init;
	ops->tls_get = kg_tls_get;
	ops->tls_set = kg_tls_set;
}

/* In a forked child: the threads the kernel made stayed in the parent. */
void kg_host_threads_fork_child(void)
{
	struct kg_res *r;

	while ((r = kg_res_pop(KG_RES_THREAD)) || (r = kg_res_pop(KG_RES_THREAD_DONE)))
		free(kg_container_of(r, struct kg_thread, res));
}

static int kg_join_within_grace(struct kg_thread *t)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += KG_JOIN_GRACE_SEC;
	return pthread_timedjoin_np(t->tid, NULL, &deadline) == 0;
}

int kg_host_threads_cleanup(void)
{
	struct kg_res *r;
	int stuck = 0;

	if (kg_tls_ready) {
		/* No host thread's exit may call into the halted kernel. */
		kg_tls_gone = NULL;
		pthread_key_delete(kg_tls_key);
		kg_tls_ready = 0;
	}
	while ((r = kg_res_pop(KG_RES_THREAD))) {
		struct kg_thread *t = kg_container_of(r, struct kg_thread, res);

		if (kg_join_within_grace(t))
			free(t);
		else
			stuck++;
	}
	kg_reap_done();
	return stuck;
}
