// SPDX-License-Identifier: GPL-2.0
/*
 * Slab bugs committed on purpose (see alloc_fixtures.c for the rules):
 * the cases of the kernel's KASAN suite (mm/kasan/kasan_test_c.c) that a
 * library kernel under memcheck can commit, named after them.  arg is an
 * offset or a value the test passes, so gcc cannot fold the access away.
 */
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/kgrind_fixture.h>

/* Out of bounds ---------------------------------------------------------- */

static long kmalloc_oob_right(long arg)
{
	size_t size = 128 - 8 - 5;	/* not a power of two */
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	WRITE_ONCE(ptr[size + arg], 'x');
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_oob_right", kmalloc_oob_right);

static long kmalloc_oob_left(long arg)
{
	char *ptr = kmalloc(15, GFP_KERNEL);
	long value;

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	value = READ_ONCE(ptr[-1 - arg]);
	kfree(ptr);
	return value;
}
KG_FIXTURE("kmalloc_oob_left", kmalloc_oob_left);

static long kmalloc_node_oob_right(long arg)
{
	size_t size = 4096;
	char *ptr = kmalloc_node(size, GFP_KERNEL, 0);
	long value;

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	value = READ_ONCE(ptr[size + arg]);
	kfree(ptr);
	return value;
}
KG_FIXTURE("kmalloc_node_oob_right", kmalloc_node_oob_right);

static long kmalloc_track_caller_oob_right(long arg)
{
	size_t size = 128 - 8 - 3;
	char *ptr = kmalloc_track_caller(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	WRITE_ONCE(ptr[size + arg], 'y');
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_track_caller_oob_right", kmalloc_track_caller_oob_right);

/* Larger than the biggest kmalloc cache: whole pages. */
static long kmalloc_large_oob_right(long arg)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 10;
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	WRITE_ONCE(ptr[size + arg], 'z');
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_large_oob_right", kmalloc_large_oob_right);

static long kmalloc_large_uaf(long arg)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 20;
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	return READ_ONCE(ptr[arg]);
}
KG_FIXTURE("kmalloc_large_uaf", kmalloc_large_uaf);

static long kmalloc_large_invalid_free(long arg)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 30;
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	kfree(ptr + 1 + arg);
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_large_invalid_free", kmalloc_large_invalid_free);

/* A 16-byte structure copied into 13 bytes. */
struct slab_fixture_words {
	u64 words[2];
};

static long kmalloc_oob_16(long arg)
{
	struct slab_fixture_words *small, *whole;

	small = kmalloc(sizeof(*small) - 3, GFP_KERNEL);
	whole = kmalloc(sizeof(*whole), GFP_KERNEL);
	if (!small || !whole) {
		kfree(small);
		kfree(whole);
		return -ENOMEM;
	}
	OPTIMIZER_HIDE_VAR(small);
	whole->words[0] = arg;
	whole->words[1] = arg + 1;
	*small = *whole;
	kfree(small);
	kfree(whole);
	return 0;
}
KG_FIXTURE("kmalloc_oob_16", kmalloc_oob_16);

static long kmalloc_oob_memset(long arg)
{
	size_t size = 128 - 8;
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	/* arg bytes from the last one: all but the first are past the end */
	memset(ptr + size - 1, 0, arg);
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_oob_memset", kmalloc_oob_memset);

static long kmalloc_oob_in_memset(long arg)
{
	size_t size = 128 - 8 - 2;
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	memset(ptr, 0, size + arg);
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_oob_in_memset", kmalloc_oob_in_memset);

static long kmalloc_memmove_invalid_size(long arg)
{
	size_t size = 64;
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	memset(ptr, 0, size);
	OPTIMIZER_HIDE_VAR(ptr);
	memmove(ptr, ptr + 4, size - 4 + arg);
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_memmove_invalid_size", kmalloc_memmove_invalid_size);

static long kmem_cache_oob(long arg)
{
	size_t size = 200;
	struct kmem_cache *cache;
	char *p;
	long value = -ENOMEM;

	cache = kmem_cache_create("fixture_oob", size, 0, 0, NULL);
	if (!cache)
		return -ENOMEM;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	if (p) {
		OPTIMIZER_HIDE_VAR(p);
		value = READ_ONCE(p[size + arg]);
		kmem_cache_free(cache, p);
	}
	kmem_cache_destroy(cache);
	return value;
}
KG_FIXTURE("kmem_cache_oob", kmem_cache_oob);

/* Use after free --------------------------------------------------------- */

static long kmalloc_uaf(long arg)
{
	char *ptr = kmalloc(10, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	return READ_ONCE(ptr[8 + arg]);
}
KG_FIXTURE("kmalloc_uaf", kmalloc_uaf);

static long kmalloc_uaf_write(long arg)
{
	char *ptr = kmalloc(33, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	WRITE_ONCE(ptr[arg], 'w');
	return 0;
}
KG_FIXTURE("kmalloc_uaf_write", kmalloc_uaf_write);

static long kmalloc_uaf_memset(long arg)
{
	size_t size = 33 + 8;
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	memset(ptr, arg, size);
	return 0;
}
KG_FIXTURE("kmalloc_uaf_memset", kmalloc_uaf_memset);

/* The old pointer used after its slot's cache handed out another object. */
static long kmalloc_uaf2(long arg)
{
	char *ptr1 = kmalloc(43, GFP_KERNEL), *ptr2;
	long value;

	if (!ptr1)
		return -ENOMEM;
	kfree(ptr1);
	ptr2 = kmalloc(43, GFP_KERNEL);
	if (!ptr2)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr1);
	value = READ_ONCE(ptr1[40 - arg]);
	kfree(ptr2);
	return value;
}
KG_FIXTURE("kmalloc_uaf2", kmalloc_uaf2);

static long kmalloc_uaf_16(long arg)
{
	struct slab_fixture_words *freed, *live;

	freed = kmalloc(sizeof(*freed), GFP_KERNEL);
	live = kmalloc(sizeof(*live), GFP_KERNEL);
	if (!freed || !live) {
		kfree(freed);
		kfree(live);
		return -ENOMEM;
	}
	kfree(freed);
	OPTIMIZER_HIDE_VAR(freed);
	*live = *freed;
	arg += live->words[0] != 0;
	kfree(live);
	return arg;
}
KG_FIXTURE("kmalloc_uaf_16", kmalloc_uaf_16);

static long kmalloc_atomic_uaf(long arg)
{
	atomic_t *counter = kmalloc(sizeof(*counter), GFP_KERNEL);

	if (!counter)
		return -ENOMEM;
	atomic_set(counter, arg);
	kfree(counter);
	OPTIMIZER_HIDE_VAR(counter);
	return atomic_inc_return(counter);
}
KG_FIXTURE("kmalloc_atomic_uaf", kmalloc_atomic_uaf);

/* strlen and friends on a freed string. */
static long kasan_strings(long arg)
{
	char *ptr = kmalloc(128 - 8, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	strscpy(ptr, "kgrind", 128 - 8);
	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	/* not a tail call: the fixture stays in memcheck's stack */
	return strlen(ptr + arg) + arg;
}
KG_FIXTURE("kasan_strings", kasan_strings);

/* krealloc ---------------------------------------------------------------- */

static long krealloc_more_oob(long arg)
{
	char *ptr1 = kmalloc(201, GFP_KERNEL), *ptr2;

	if (!ptr1)
		return -ENOMEM;
	ptr2 = krealloc(ptr1, 235, GFP_KERNEL);
	if (!ptr2) {
		kfree(ptr1);
		return -ENOMEM;
	}
	OPTIMIZER_HIDE_VAR(ptr2);
	/* the grown part is usable; one past it is not */
	WRITE_ONCE(ptr2[201], 'a');
	WRITE_ONCE(ptr2[234], 'b');
	WRITE_ONCE(ptr2[235 + arg], 'c');
	kfree(ptr2);
	return 0;
}
KG_FIXTURE("krealloc_more_oob", krealloc_more_oob);

static long krealloc_less_oob(long arg)
{
	char *ptr1 = kmalloc(235, GFP_KERNEL), *ptr2;
	long value;

	if (!ptr1)
		return -ENOMEM;
	ptr2 = krealloc(ptr1, 201, GFP_KERNEL);
	if (!ptr2) {
		kfree(ptr1);
		return -ENOMEM;
	}
	OPTIMIZER_HIDE_VAR(ptr2);
	WRITE_ONCE(ptr2[200], 'd');
	value = READ_ONCE(ptr2[201 + arg]);
	kfree(ptr2);
	return value;
}
KG_FIXTURE("krealloc_less_oob", krealloc_less_oob);

/* Growing past the bucket moves the object: the old pointer is stale. */
static long krealloc_stale_pointer(long arg)
{
	char *ptr1 = kmalloc(100, GFP_KERNEL), *ptr2;
	long value;

	if (!ptr1)
		return -ENOMEM;
	WRITE_ONCE(ptr1[0], 'e');
	ptr2 = krealloc(ptr1, 1000, GFP_KERNEL);
	if (!ptr2) {
		kfree(ptr1);
		return -ENOMEM;
	}
	OPTIMIZER_HIDE_VAR(ptr1);
	value = READ_ONCE(ptr1[arg]);
	kfree(ptr2);
	return value;
}
KG_FIXTURE("krealloc_stale_pointer", krealloc_stale_pointer);

static long krealloc_uaf(long arg)
{
	char *ptr1 = kmalloc(201, GFP_KERNEL), *ptr2;

	if (!ptr1)
		return -ENOMEM;
	kfree(ptr1);
	OPTIMIZER_HIDE_VAR(ptr1);
	ptr2 = krealloc(ptr1, 401 + arg, GFP_KERNEL);
	kfree(ptr2);
	return ptr2 ? -EINVAL : 0;
}
KG_FIXTURE("krealloc_uaf", krealloc_uaf);

/* ksize: the bucket's size; only the requested bytes may be used. */
static long ksize_unpoisons_memory(long arg)
{
	size_t size = 128 - 8 - 5;
	char *ptr = kmalloc(size, GFP_KERNEL);
	size_t real_size;

	if (!ptr)
		return -ENOMEM;
	real_size = ksize(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	WRITE_ONCE(ptr[0], 'f');
	WRITE_ONCE(ptr[size - 1], 'g');
	/* arg 0: stay inside; arg 1: the last byte of the bucket */
	if (arg)
		WRITE_ONCE(ptr[real_size - 1], 'h');
	kfree(ptr);
	return real_size;
}
KG_FIXTURE("ksize_unpoisons_memory", ksize_unpoisons_memory);

static long ksize_uaf(long arg)
{
	char *ptr = kmalloc(128 - 8 - 4, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	return ksize(ptr + arg) + arg;
}
KG_FIXTURE("ksize_uaf", ksize_uaf);

/* kmalloc_size_roundup: the whole rounded size is the caller's. */
static long kmalloc_size_roundup_usable(long arg)
{
	size_t size = kmalloc_size_roundup(100 + arg);
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	memset(ptr, 'r', size);
	kfree(ptr);
	return size;
}
KG_FIXTURE("kmalloc_size_roundup_usable", kmalloc_size_roundup_usable);

/* Bad frees -------------------------------------------------------------- */

static long kmalloc_double_kfree(long arg)
{
	char *ptr = kmalloc(16 + arg, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_double_kfree", kmalloc_double_kfree);

static long kmalloc_double_kzfree(long arg)
{
	char *ptr = kmalloc(16 + 8 + arg, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	kfree_sensitive(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	kfree_sensitive(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_double_kzfree", kmalloc_double_kzfree);

static long kfree_interior_pointer(long arg)
{
	char *ptr = kmalloc(64, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	kfree(ptr + 8 + arg);
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kfree_interior_pointer", kfree_interior_pointer);

static long kmem_cache_double_free(long arg)
{
	struct kmem_cache *cache;
	char *p;

	cache = kmem_cache_create("fixture_double_free", 200 + arg, 0, 0, NULL);
	if (!cache)
		return -ENOMEM;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	if (p) {
		kmem_cache_free(cache, p);
		OPTIMIZER_HIDE_VAR(p);
		kmem_cache_free(cache, p);
	}
	kmem_cache_destroy(cache);
	return 0;
}
KG_FIXTURE("kmem_cache_double_free", kmem_cache_double_free);

static long kmem_cache_invalid_free(long arg)
{
	struct kmem_cache *cache;
	char *p;

	cache = kmem_cache_create("fixture_invalid_free", 200, 0,
				  SLAB_TYPESAFE_BY_RCU, NULL);
	if (!cache)
		return -ENOMEM;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	if (p) {
		OPTIMIZER_HIDE_VAR(p);
		kmem_cache_free(cache, p + 1 + arg);
		kmem_cache_free(cache, p);
	}
	kmem_cache_destroy(cache);
	return 0;
}
KG_FIXTURE("kmem_cache_invalid_free", kmem_cache_invalid_free);

/* Caches ----------------------------------------------------------------- */

static long kmem_cache_double_destroy(long arg)
{
	struct kmem_cache *cache;

	cache = kmem_cache_create("fixture_double_destroy", 200 + arg, 0, 0,
				  NULL);
	if (!cache)
		return -ENOMEM;
	kmem_cache_destroy(cache);
	OPTIMIZER_HIDE_VAR(cache);
	kmem_cache_destroy(cache);
	return 0;
}
KG_FIXTURE("kmem_cache_double_destroy", kmem_cache_double_destroy);

static long kmem_cache_use_after_destroy(long arg)
{
	struct kmem_cache *cache;

	cache = kmem_cache_create("fixture_after_destroy", 100 + arg, 0, 0,
				  NULL);
	if (!cache)
		return -ENOMEM;
	kmem_cache_destroy(cache);
	OPTIMIZER_HIDE_VAR(cache);
	return kmem_cache_size(cache);
}
KG_FIXTURE("kmem_cache_use_after_destroy", kmem_cache_use_after_destroy);

/* A cache destroyed with an object in use: memcheck shows its allocation. */
static long kmem_cache_destroy_live(long arg)
{
	struct kmem_cache *cache;
	void *p;

	cache = kmem_cache_create("fixture_destroy_live", 48 + arg, 0, 0, NULL);
	if (!cache)
		return -ENOMEM;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	OPTIMIZER_HIDE_VAR(p);
	kmem_cache_destroy(cache);
	return p ? 0 : -ENOMEM;
}
KG_FIXTURE("kmem_cache_destroy_live", kmem_cache_destroy_live);

/* Bulk allocation and free, used correctly: no report. */
static long kmem_cache_bulk(long arg)
{
	struct kmem_cache *cache;
	void *p[10];
	int i, n;

	cache = kmem_cache_create("fixture_bulk", 200, 0, 0, NULL);
	if (!cache)
		return -ENOMEM;
	n = kmem_cache_alloc_bulk(cache, GFP_KERNEL, ARRAY_SIZE(p), p);
	for (i = 0; i < n; i++)
		memset(p[i], i + arg, 200);
	kmem_cache_free_bulk(cache, n, p);
	kmem_cache_destroy(cache);
	return n;
}
KG_FIXTURE("kmem_cache_bulk", kmem_cache_bulk);

/* Constructed objects are defined: a decision on a ctor's field is fine. */
struct slab_fixture_ctor_obj {
	long magic;
	char payload[40];
};

static void slab_fixture_ctor(void *obj)
{
	((struct slab_fixture_ctor_obj *)obj)->magic = 0x6b67;
}

static long kmem_cache_ctor_defined(long arg)
{
	struct slab_fixture_ctor_obj *obj;
	struct kmem_cache *cache;
	long result = 0;

	cache = kmem_cache_create("fixture_ctor", sizeof(*obj), 0, 0,
				  slab_fixture_ctor);
	if (!cache)
		return -ENOMEM;
	obj = kmem_cache_alloc(cache, GFP_KERNEL);
	if (obj) {
		if (READ_ONCE(obj->magic) == 0x6b67 + arg) {
			WRITE_ONCE(obj->payload[0], 1);
			result = 1;
		}
		kmem_cache_free(cache, obj);
	}
	kmem_cache_destroy(cache);
	return result;
}
KG_FIXTURE("kmem_cache_ctor_defined", kmem_cache_ctor_defined);

/* Uninitialised and zeroed ------------------------------------------------ */

static long kmalloc_uninit(long arg)
{
	long *ptr = kmalloc(64, GFP_KERNEL), result = 0;

	if (!ptr)
		return -ENOMEM;
	if (READ_ONCE(ptr[arg]) == 0x5a5a) {
		WRITE_ONCE(ptr[0], 1);
		result = 1;
	}
	kfree(ptr);
	return result;
}
KG_FIXTURE("kmalloc_uninit", kmalloc_uninit);

/*
 * Eighty decisions on a new object's uninitialised words, each its own
 * branch and so its own report: more reports than one test could keep
 * before (64), which the test must be able to claim one by one.
 */
#define KMALLOC_DECIDE(i)						\
	do {								\
		if (READ_ONCE(ptr[i]) == 0x5a5a)			\
			WRITE_ONCE(ptr[0], i);				\
	} while (0)
#define KMALLOC_DECIDE10(b)						\
	do {								\
		KMALLOC_DECIDE(b); KMALLOC_DECIDE(b + 1);		\
		KMALLOC_DECIDE(b + 2); KMALLOC_DECIDE(b + 3);		\
		KMALLOC_DECIDE(b + 4); KMALLOC_DECIDE(b + 5);		\
		KMALLOC_DECIDE(b + 6); KMALLOC_DECIDE(b + 7);		\
		KMALLOC_DECIDE(b + 8); KMALLOC_DECIDE(b + 9);		\
	} while (0)

static long kmalloc_uninit_many(long arg)
{
	long *ptr = kmalloc(80 * sizeof(long), GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	KMALLOC_DECIDE10(0);
	KMALLOC_DECIDE10(10);
	KMALLOC_DECIDE10(20);
	KMALLOC_DECIDE10(30);
	KMALLOC_DECIDE10(40);
	KMALLOC_DECIDE10(50);
	KMALLOC_DECIDE10(60);
	KMALLOC_DECIDE10(70);
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_uninit_many", kmalloc_uninit_many);

static long kzalloc_defined(long arg)
{
	long *ptr = kzalloc(72, GFP_KERNEL), result = 0;

	if (!ptr)
		return -ENOMEM;
	if (READ_ONCE(ptr[arg]) == 0) {
		WRITE_ONCE(ptr[1], 1);
		result = 1;
	}
	kfree(ptr);
	return result;
}
KG_FIXTURE("kzalloc_defined", kzalloc_defined);

/* Leaks ------------------------------------------------------------------ */

static noinline void slab_fixture_forget(size_t size, long arg)
{
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (ptr)
		memset(ptr, arg, size);
}

static long kmalloc_leak(long arg)
{
	slab_fixture_forget(333, arg);
	return 0;
}
KG_FIXTURE("kmalloc_leak", kmalloc_leak);

/* RCU -------------------------------------------------------------------- */

struct slab_fixture_rcu_obj {
	long value;
	struct rcu_head rcu;
};

static long kfree_rcu_uaf(long arg)
{
	struct slab_fixture_rcu_obj *obj = kmalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return -ENOMEM;
	obj->value = arg;
	kfree_rcu(obj, rcu);
	rcu_barrier();
	OPTIMIZER_HIDE_VAR(obj);
	return READ_ONCE(obj->value);
}
KG_FIXTURE("kfree_rcu_uaf", kfree_rcu_uaf);

/*
 * SLAB_TYPESAFE_BY_RCU: a reader may still look at a freed object until
 * the grace period ends (no report); after it, the object is dead.
 */
static long kmem_cache_typesafe_rcu(long arg)
{
	struct kmem_cache *cache;
	long *p, value;

	cache = kmem_cache_create("fixture_typesafe_rcu", 64, 0,
				  SLAB_TYPESAFE_BY_RCU, NULL);
	if (!cache)
		return -ENOMEM;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	if (!p) {
		kmem_cache_destroy(cache);
		return -ENOMEM;
	}
	WRITE_ONCE(p[1], 77);
	rcu_read_lock();
	kmem_cache_free(cache, p);
	OPTIMIZER_HIDE_VAR(p);
	value = READ_ONCE(p[1]);
	rcu_read_unlock();
	if (arg) {
		/* arg 1: the bug, a read after the grace period */
		rcu_barrier();
		value += READ_ONCE(p[arg]);
	}
	kmem_cache_destroy(cache);
	return value;
}
KG_FIXTURE("kmem_cache_typesafe_rcu", kmem_cache_typesafe_rcu);

/* More of the KASAN checklist ------------------------------------------- */

/* The biggest kmalloc cache (8 KiB objects), not pages. */
static long kmalloc_big_oob_right(long arg)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE - 256;
	char *ptr = kmalloc(size, GFP_KERNEL);

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	WRITE_ONCE(ptr[size + arg], 'B');
	kfree(ptr);
	return 0;
}
KG_FIXTURE("kmalloc_big_oob_right", kmalloc_big_oob_right);

static long krealloc_large_more_oob(long arg)
{
	size_t size1 = KMALLOC_MAX_CACHE_SIZE + 201, size2 = size1 + 34;
	char *ptr1 = kmalloc(size1, GFP_KERNEL), *ptr2;

	if (!ptr1)
		return -ENOMEM;
	ptr2 = krealloc(ptr1, size2, GFP_KERNEL);
	if (!ptr2) {
		kfree(ptr1);
		return -ENOMEM;
	}
	OPTIMIZER_HIDE_VAR(ptr2);
	WRITE_ONCE(ptr2[size2 - 1], 'L');
	WRITE_ONCE(ptr2[size2 + arg], 'M');
	kfree(ptr2);
	return 0;
}
KG_FIXTURE("krealloc_large_more_oob", krealloc_large_more_oob);

static long krealloc_large_less_oob(long arg)
{
	size_t size1 = KMALLOC_MAX_CACHE_SIZE + 235, size2 = size1 - 34;
	char *ptr1 = kmalloc(size1, GFP_KERNEL), *ptr2;
	long value;

	if (!ptr1)
		return -ENOMEM;
	ptr2 = krealloc(ptr1, size2, GFP_KERNEL);
	if (!ptr2) {
		kfree(ptr1);
		return -ENOMEM;
	}
	OPTIMIZER_HIDE_VAR(ptr2);
	value = READ_ONCE(ptr2[size2 + arg]);
	kfree(ptr2);
	return value;
}
KG_FIXTURE("krealloc_large_less_oob", krealloc_large_less_oob);

/* memset of 4, 8 and 16 bytes from the last byte of an object. */
#define KMALLOC_OOB_MEMSET(width)					\
static long kmalloc_oob_memset_##width(long arg)			\
{									\
	size_t size = 128 - 8 + width;					\
	char *ptr = kmalloc(size, GFP_KERNEL);				\
									\
	if (!ptr)							\
		return -ENOMEM;						\
	OPTIMIZER_HIDE_VAR(ptr);					\
	memset(ptr + size - 1 + arg, 0, width);				\
	kfree(ptr);							\
	return 0;							\
}									\
KG_FIXTURE("kmalloc_oob_memset_" #width, kmalloc_oob_memset_##width)
KMALLOC_OOB_MEMSET(4);
KMALLOC_OOB_MEMSET(8);
KMALLOC_OOB_MEMSET(16);

static long kmalloc_uaf3(long arg)
{
	char *ptr1 = kmalloc(100, GFP_KERNEL), *ptr2;

	if (!ptr1)
		return -ENOMEM;
	kfree(ptr1);
	ptr2 = kmalloc(100, GFP_KERNEL);
	if (!ptr2)
		return -ENOMEM;
	kfree(ptr2);
	OPTIMIZER_HIDE_VAR(ptr1);
	WRITE_ONCE(ptr1[8 + arg], 'U');
	return 0;
}
KG_FIXTURE("kmalloc_uaf3", kmalloc_uaf3);

/* Freeing through the page's address or the physical address: fine. */
static long kfree_via_page(long arg)
{
	char *ptr = kmalloc(8 + arg, GFP_KERNEL);
	unsigned long offset;

	if (!ptr)
		return -ENOMEM;
	offset = offset_in_page(ptr);
	kfree(page_address(virt_to_page(ptr)) + offset);
	return 1;
}
KG_FIXTURE("kfree_via_page", kfree_via_page);

static long kfree_via_phys(long arg)
{
	char *ptr = kmalloc(8 + 8 + arg, GFP_KERNEL);
	phys_addr_t phys;

	if (!ptr)
		return -ENOMEM;
	phys = __pa(ptr);
	kfree(__va(phys));
	return 2;
}
KG_FIXTURE("kfree_via_phys", kfree_via_phys);

static long kmem_cache_accounted(long arg)
{
	struct kmem_cache *cache;
	int i;

	cache = kmem_cache_create("fixture_accounted", 200, 0, SLAB_ACCOUNT,
				  NULL);
	if (!cache)
		return -ENOMEM;
	for (i = 0; i < 5 + arg; i++) {
		void *p = kmem_cache_alloc(cache, GFP_KERNEL);

		if (p)
			kmem_cache_free(cache, p);
	}
	kmem_cache_destroy(cache);
	return i;
}
KG_FIXTURE("kmem_cache_accounted", kmem_cache_accounted);

/*
 * A caller's __GFP_MOVABLE in a reclaimable cache, as buffer heads are
 * asked for (bdev_getblk()): 2 MiB of objects, many new slabs, come from
 * the free lists as any other, without the kernel growing to its cap.
 * Returns how many it got.
 */
#define MOVABLE_CALLER_OBJECTS	512
static long kmem_cache_movable_caller(long arg)
{
	static void *objects[MOVABLE_CALLER_OBJECTS];
	struct kmem_cache *cache;
	long got = 0, i;

	cache = kmem_cache_create("fixture_reclaimable", 4096, 0,
				  SLAB_RECLAIM_ACCOUNT, NULL);
	if (!cache)
		return -ENOMEM;
	while (got < MOVABLE_CALLER_OBJECTS) {
		objects[got] = kmem_cache_alloc(cache, GFP_NOFS | __GFP_MOVABLE |
						__GFP_NOWARN);
		if (!objects[got])
			break;
		got++;
	}
	for (i = 0; i < got; i++)
		kmem_cache_free(cache, objects[i]);
	kmem_cache_destroy(cache);
	return got;
}
KG_FIXTURE("kmem_cache_movable_caller", kmem_cache_movable_caller);

static long kasan_memchr(long arg)
{
	size_t size = 24;
	char *ptr = kzalloc(size, GFP_KERNEL);
	char *found;

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	found = memchr(ptr, '1', size + 1 + arg);
	kfree(ptr);
	return found ? 1 : 0;
}
KG_FIXTURE("kasan_memchr", kasan_memchr);

static long kasan_memcmp(long arg)
{
	size_t size = 24;
	char *ptr = kzalloc(size, GFP_KERNEL);
	char arr[32] = { 0 };
	int diff;

	if (!ptr)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(ptr);
	diff = memcmp(ptr, arr, size + 1 + arg);
	kfree(ptr);
	return diff;
}
KG_FIXTURE("kasan_memcmp", kasan_memcmp);

/* A bit just past the end of a one-long bitmap. */
static long kasan_bitops_generic(long arg)
{
	unsigned long *bits = kzalloc(sizeof(*bits), GFP_KERNEL);

	if (!bits)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(bits);
	set_bit(BITS_PER_LONG + arg, bits);
	kfree(bits);
	return 0;
}
KG_FIXTURE("kasan_bitops_generic", kasan_bitops_generic);
