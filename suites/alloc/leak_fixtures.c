// SPDX-License-Identifier: GPL-2.0
/*
 * Leaks of the objects kernel code really makes, and controls that are
 * no leaks.  A leaked object usually points to itself: an initialised
 * list_head, mutex or wait queue head does, and so does a struct whose
 * pointer aims into its own buffer (struct filename's name at its
 * iname).  Memcheck must call it lost all the same (allocators/
 * leak_roots.c); the controls are reachable in the ways kernel objects
 * are, and must not be reported.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched/task.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <asm/kgrind_fixture.h>

/* Leaks ------------------------------------------------------------------ */

struct leak_listed {
	long value;
	struct list_head node;
};

static long leak_list_head(long arg)
{
	struct leak_listed *o = kmalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	o->value = arg;
	INIT_LIST_HEAD(&o->node);
	return 0;
}
KG_FIXTURE("leak_list_head", leak_list_head);

struct leak_locked {
	struct mutex lock;
	int count;
};

static long leak_mutex(long arg)
{
	struct leak_locked *o = kmalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	mutex_init(&o->lock);
	o->count = arg;
	return 0;
}
KG_FIXTURE("leak_mutex", leak_mutex);

struct leak_waiting {
	wait_queue_head_t wait;
	bool ready;
};

static long leak_wait_queue_head(long arg)
{
	struct leak_waiting *o = kmalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	init_waitqueue_head(&o->wait);
	o->ready = arg;
	return 0;
}
KG_FIXTURE("leak_wait_queue_head", leak_wait_queue_head);

/* As struct filename: a pointer into its own inline buffer. */
struct leak_named {
	const char *name;
	char iname[48];
};

static long leak_self_middle(long arg)
{
	struct leak_named *o = kmalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	strscpy(o->iname, "kgrind", sizeof(o->iname));
	o->name = o->iname + (arg & 1);
	return 0;
}
KG_FIXTURE("leak_self_middle", leak_self_middle);

struct leak_pair {
	struct leak_pair *peer;
	long value;
};

/* Two objects that point to each other and nothing else to them. */
static long leak_cycle(long arg)
{
	struct leak_pair *a = kmalloc(sizeof(*a), GFP_KERNEL);
	struct leak_pair *b = kmalloc(sizeof(*b) + 8, GFP_KERNEL);

	if (!a || !b) {
		kfree(a);
		kfree(b);
		return -ENOMEM;
	}
	a->peer = b;
	b->peer = a;
	a->value = b->value = arg;
	return 0;
}
KG_FIXTURE("leak_cycle", leak_cycle);

/* Controls --------------------------------------------------------------- */

/* Reachable only through another live object: kept -> first -> second. */
struct kept_link {
	struct kept_link *next;
	struct list_head node;
};
static struct kept_link *kept_chain;

static long kept_through_object(long arg)
{
	struct kept_link *first, *second;

	if (!arg) {
		if (kept_chain)
			kfree(kept_chain->next);
		kfree(kept_chain);
		kept_chain = NULL;
		return 0;
	}
	first = kmalloc(sizeof(*first), GFP_KERNEL);
	second = kmalloc(sizeof(*second), GFP_KERNEL);
	if (!first || !second) {
		kfree(first);
		kfree(second);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&first->node);
	INIT_LIST_HEAD(&second->node);
	second->next = NULL;
	first->next = second;
	kept_chain = first;
	return 0;
}
KG_FIXTURE("kept_through_object", kept_through_object);

/* Held only on a kernel thread's stack while it waits. */
static DECLARE_COMPLETION(kept_on_stack_ready);
static DECLARE_COMPLETION(kept_on_stack_release);
static struct task_struct *kept_on_stack_thread;

static int kept_on_stack_body(void *data)
{
	struct leak_listed *volatile held = kmalloc(sizeof(*held), GFP_KERNEL);

	if (held)
		INIT_LIST_HEAD(&held->node);
	complete(&kept_on_stack_ready);
	wait_for_completion(&kept_on_stack_release);
	kfree(held);
	return 0;
}

static long kept_on_kthread_stack(long arg)
{
	if (!arg) {
		if (!kept_on_stack_thread)
			return -EINVAL;
		complete(&kept_on_stack_release);
		kthread_stop_put(kept_on_stack_thread);
		kept_on_stack_thread = NULL;
		return 0;
	}
	reinit_completion(&kept_on_stack_ready);
	reinit_completion(&kept_on_stack_release);
	kept_on_stack_thread = kthread_run(kept_on_stack_body, NULL, "kg-stack-holder");
	if (IS_ERR(kept_on_stack_thread)) {
		long err = PTR_ERR(kept_on_stack_thread);

		kept_on_stack_thread = NULL;
		return err;
	}
	get_task_struct(kept_on_stack_thread);
	wait_for_completion(&kept_on_stack_ready);
	return 0;
}
KG_FIXTURE("kept_on_kthread_stack", kept_on_kthread_stack);

/* A SLAB_TYPESAFE_BY_RCU cache: one object kept, one freed (readable). */
static struct kmem_cache *kept_typesafe_cache;
static struct leak_listed *kept_typesafe;

static long kept_typesafe_by_rcu(long arg)
{
	struct leak_listed *freed;

	if (!arg) {
		kmem_cache_free(kept_typesafe_cache, kept_typesafe);
		kept_typesafe = NULL;
		kmem_cache_destroy(kept_typesafe_cache);
		kept_typesafe_cache = NULL;
		return 0;
	}
	kept_typesafe_cache = kmem_cache_create("kg_typesafe", sizeof(*freed), 0,
						SLAB_TYPESAFE_BY_RCU, NULL);
	if (!kept_typesafe_cache)
		return -ENOMEM;
	kept_typesafe = kmem_cache_alloc(kept_typesafe_cache, GFP_KERNEL);
	freed = kmem_cache_alloc(kept_typesafe_cache, GFP_KERNEL);
	if (!kept_typesafe || !freed)
		return -ENOMEM;
	INIT_LIST_HEAD(&kept_typesafe->node);
	INIT_LIST_HEAD(&freed->node);
	kmem_cache_free(kept_typesafe_cache, freed);
	return 0;
}
KG_FIXTURE("kept_typesafe_by_rcu", kept_typesafe_by_rcu);

/* Freed with kfree_rcu and still waiting for the grace period. */
struct kept_rcu_obj {
	struct list_head node;
	struct rcu_head rcu;
};

static long kept_waiting_kfree_rcu(long arg)
{
	struct kept_rcu_obj *o = kmalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	INIT_LIST_HEAD(&o->node);
	kfree_rcu(o, rcu);
	return 0;
}
KG_FIXTURE("kept_waiting_kfree_rcu", kept_waiting_kfree_rcu);
