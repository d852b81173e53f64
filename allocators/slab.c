// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind's slab allocator: the 6.12 slab interface (mm/slab.h, the one
 * SLUB implements), with every object a memcheck heap block.
 *
 * A slab is a compound page run: a header (slot states and requested
 * sizes, never object pointers) and then equal slots, each a left
 * redzone, the object and a right redzone.  Only a live object's
 * requested bytes are addressable to memcheck, so overruns, underruns and
 * uses after free are reported at the access, with the allocation (and
 * free) stack.  Freed objects wait in a quarantine, no-access, before
 * their slot is used again.  SLAB_TYPESAFE_BY_RCU objects stay readable
 * until a grace period after their free, as their contract says.
 *
 * Natively (no valgrind) the client requests are no-ops, there is no
 * quarantine, and bad frees are console BUG lines.
 */
#include <linux/fault-inject.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#include <mm/internal.h>
#include <mm/slab.h>
#include <valgrind/memcheck.h>
#include <asm/kgrind_alloc.h>
#include "internal.h"

/* Bytes of no-access memory on each side of an object, at least. */
#define KGSLAB_REDZONE		16
/* A slab is at most this order, and holds at least this many objects
 * when that order allows. */
#define KGSLAB_MAX_ORDER	3
#define KGSLAB_MIN_OBJECTS	8
/* folio->private of a large kmalloc: the requested size above this tag. */
#define KGSLAB_LARGE_TAG	0x6b67UL
#define KGSLAB_LARGE_SHIFT	16

enum kgslab_slot {
	KGSLAB_FREE,		/* may be handed out */
	KGSLAB_LIVE,		/* allocated */
	KGSLAB_RCU_WAIT,	/* freed, readable until a grace period ends */
	KGSLAB_QUARANTINED,	/* freed, no-access, not yet reusable */
};

/* At the start of each slab's memory. */
struct kgslab_head {
	unsigned int nr;	/* slots */
	unsigned int nr_free;	/* slots in state KGSLAB_FREE */
	unsigned int nr_live;
	unsigned int hint;	/* no free slot below this one */
	void *first;		/* slot 0 */
	u32 *req;		/* requested size of each live object */
	u8 state[];
};

/* This allocator's part of a cache (mm/slab.h leaves the type to it). */
struct kmem_cache_node {
	struct list_head partial;	/* slabs with a free slot */
	struct list_head full;
	unsigned int order;
	unsigned int per_slab;
	unsigned int head_size;
	unsigned long nr_slabs;
	unsigned long nr_live;
	unsigned long nr_rcu_wait;
};

/* What the kmem_cache cache hands out: the cache and its node together. */
struct kgslab_cache {
	struct kmem_cache cache;
	struct kmem_cache_node node;
};

static DEFINE_SPINLOCK(kgslab_lock);

/*
 * Memcheck pools: slab objects (with redzones) and large kmallocs (whole
 * pages, no room for a left redzone).  At halt both are destroyed, so
 * objects the kernel never frees are not leaks of the host process.
 */
static char kgslab_pool, kgslab_large_pool;
static bool kgslab_pools_gone;

#define KGSLAB_POOL_ALLOC(pool, p, size)			\
	do { if (!kgslab_pools_gone) VALGRIND_MEMPOOL_ALLOC(pool, p, size); } while (0)
#define KGSLAB_POOL_FREE(pool, p)				\
	do { if (!kgslab_pools_gone) VALGRIND_MEMPOOL_FREE(pool, p); } while (0)

/*
 * The quarantine: freed slots, oldest first, linked through the first
 * word of each slot's left redzone.
 */
static unsigned long kgslab_quarantine_limit = ~0UL;	/* ~0: not set */
static unsigned long kgslab_quarantine_bytes;
static void *kgslab_quarantine_head, *kgslab_quarantine_tail;

/* SLAB_TYPESAFE_BY_RCU frees: one batch waits for a grace period while
 * the next one collects. */
static void *kgslab_rcu_collecting, *kgslab_rcu_waiting;
static bool kgslab_rcu_busy;
static struct rcu_head kgslab_rcu_head;

static int __init kgslab_quarantine_setup(char *arg)
{
	kgslab_quarantine_limit = memparse(arg, NULL);
	return 0;
}
early_param("slab_quarantine", kgslab_quarantine_setup);

static inline struct kmem_cache_node *kgslab_node(struct kmem_cache *s)
{
	return s->node[0];
}

static inline struct kgslab_head *kgslab_head(struct slab *slab)
{
	return slab_address(slab);
}

static inline void *kgslab_slot(struct kmem_cache *s, struct kgslab_head *h,
				unsigned int i)
{
	return h->first + (unsigned long)i * s->size;
}

static inline void *kgslab_object(struct kmem_cache *s,
				  struct kgslab_head *h, unsigned int i)
{
	return kgslab_slot(s, h, i) + s->red_left_pad;
}

/* The redzone word linking a freed slot into a list; no-access between. */
static void kgslab_link_set(void *slot, void *next)
{
	VALGRIND_MAKE_MEM_UNDEFINED(slot, sizeof(void *));
	*(void **)slot = next;
	VALGRIND_MAKE_MEM_NOACCESS(slot, sizeof(void *));
}

static void *kgslab_link_get(void *slot)
{
	void *next;

	VALGRIND_MAKE_MEM_DEFINED(slot, sizeof(void *));
	next = *(void **)slot;
	VALGRIND_MAKE_MEM_NOACCESS(slot, sizeof(void *));
	return next;
}

/* The slot p is the object of, or -1 when p is not an object's start. */
static int kgslab_index(struct kmem_cache *s, struct kgslab_head *h,
			const void *p)
{
	unsigned long off;

	if (p < h->first)
		return -1;
	off = p - h->first;
	if (off / s->size >= h->nr || off % s->size != s->red_left_pad)
		return -1;
	return off / s->size;
}

/* The slot holding p anywhere in it (for object info), or -1. */
static int kgslab_index_within(struct kmem_cache *s, struct kgslab_head *h,
			       const void *p)
{
	unsigned long off;

	if (p < h->first)
		return -1;
	off = (p - h->first) / s->size;
	return off < h->nr ? off : -1;
}

/*
 * A free of p that frees nothing: a double free, an interior pointer or
 * memory no allocator handed out.  Memcheck names it, with p's history.
 */
static void kgslab_bad_free(const void *p, const char *what)
{
	if (RUNNING_ON_VALGRIND)
		KGSLAB_POOL_FREE(&kgslab_large_pool, p);
	else
		pr_err("BUG: kgrind slab: %s of %px\n", what, p);
}

/* p is used (ksize, krealloc) but is no live object. */
static void kgslab_bad_use(const void *p, const char *what)
{
	if (RUNNING_ON_VALGRIND)
		VALGRIND_CHECK_MEM_IS_ADDRESSABLE(p, 1);
	else
		pr_err("BUG: kgrind slab: %s of %px, which is not allocated\n",
		       what, p);
}

/* Slab pages ------------------------------------------------------------ */

/*
 * make failsweep: a slab's pages are no fault site of their own.  The
 * object asked for has passed failslab already and a failed refill takes
 * its caller down the same error path; but whether an allocation refills
 * depends on what ran before, so counting refills would number one
 * test's sites differently in a fresh kernel and in one that ran it.
 */
static struct folio *kgslab_alloc_slab_pages(gfp_t flags, int node,
					     unsigned int order)
{
	struct folio *folio;
#ifdef CONFIG_FAULT_INJECTION
	unsigned int fail_nth = in_task() ? current->fail_nth : 0;

	if (fail_nth)
		current->fail_nth = 0;
#endif
	kgroots_slab_pages_begin();
	folio = (struct folio *)alloc_pages_node(node, flags, order);
	kgroots_slab_pages_end();
#ifdef CONFIG_FAULT_INJECTION
	if (fail_nth)
		current->fail_nth = fail_nth;
#endif
	return folio;
}

static struct slab *kgslab_new_slab(struct kmem_cache *s, gfp_t flags,
				    int node)
{
	struct kmem_cache_node *n = kgslab_node(s);
	struct kgslab_head *h;
	struct folio *folio;
	struct slab *slab;
	unsigned int i;
	void *end;

	/*
	 * A __GFP_NOFAIL caller trusts its object to come (create_empty_buffers
	 * does not look), so its slab's pages are asked for the same way.
	 * Past order 1 the page allocator warns of __GFP_NOFAIL, where SLUB
	 * would fall back to a smaller order: a kgslab cache has one order.
	 */
	/*
	 * Only how hard to try and where, as SLUB keeps (new_slab()): the
	 * caller's zone and mobility are its object's, not the slab's.  A
	 * buffer head asked for __GFP_MOVABLE, in a reclaimable cache, made
	 * a migrate type no free list serves, and the kernel grew to its
	 * RAM cap on one allocation.
	 */
	flags &= GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK;
	if ((flags & __GFP_NOFAIL) && n->order > 1)
		flags |= __GFP_NOWARN;
	folio = kgslab_alloc_slab_pages(flags | s->allocflags, node, n->order);
	if (!folio)
		return NULL;
	slab = folio_slab(folio);
	__folio_set_slab(folio);
	slab->slab_cache = s;

	h = folio_address(folio);
	h->nr = n->per_slab;
	h->nr_free = n->per_slab;
	h->nr_live = 0;
	h->hint = 0;
	h->first = (void *)h + n->head_size;
	h->req = (u32 *)((void *)h + ALIGN(sizeof(*h) + h->nr, sizeof(u32)));
	memset(h->state, KGSLAB_FREE, h->nr);
	memset(h->req, 0, h->nr * sizeof(u32));

	/* Constructed once, as SLUB does: a freed object keeps its state. */
	if (s->ctor)
		for (i = 0; i < h->nr; i++)
			s->ctor(kgslab_object(s, h, i));
	end = (void *)h + (PAGE_SIZE << n->order);
	VALGRIND_MAKE_MEM_NOACCESS(h->first, end - h->first);

	mod_node_page_state(slab_pgdat(slab), cache_vmstat_idx(s),
			    PAGE_SIZE << n->order);
	return slab;
}

static void kgslab_free_slab(struct kmem_cache *s, struct slab *slab)
{
	struct folio *folio = slab_folio(slab);
	unsigned int order = folio_order(folio);

	mod_node_page_state(slab_pgdat(slab), cache_vmstat_idx(s),
			    -(PAGE_SIZE << order));
	/* slab_list shares its words with the page's mapping */
	folio->mapping = NULL;
	__folio_clear_slab(folio);
	__free_pages(&folio->page, order);
}

/* Slots ------------------------------------------------------------------ */

/* A freed slot becomes free to hand out again.  Lock held. */
static void kgslab_release_slot(void *slot)
{
	struct slab *slab = virt_to_slab(slot);
	struct kmem_cache *s = slab->slab_cache;
	struct kgslab_head *h = kgslab_head(slab);
	unsigned int i = (slot - h->first) / s->size;

	h->state[i] = KGSLAB_FREE;
	if (!h->nr_free++)
		list_move(&slab->slab_list, &kgslab_node(s)->partial);
	if (i < h->hint)
		h->hint = i;
}

/* Lock held. */
static void kgslab_quarantine_trim(unsigned long limit)
{
	while (kgslab_quarantine_head && kgslab_quarantine_bytes > limit) {
		void *slot = kgslab_quarantine_head;

		kgslab_quarantine_head = kgslab_link_get(slot);
		if (!kgslab_quarantine_head)
			kgslab_quarantine_tail = NULL;
		kgslab_quarantine_bytes -= virt_to_slab(slot)->slab_cache->size;
		kgslab_release_slot(slot);
	}
}

/* A dead object's slot goes into quarantine.  Lock held. */
static void kgslab_quarantine_add(struct kmem_cache *s,
				  struct kgslab_head *h, unsigned int i)
{
	void *slot = kgslab_slot(s, h, i);

	h->state[i] = KGSLAB_QUARANTINED;
	kgslab_link_set(slot, NULL);
	if (kgslab_quarantine_tail)
		kgslab_link_set(kgslab_quarantine_tail, slot);
	else
		kgslab_quarantine_head = slot;
	kgslab_quarantine_tail = slot;
	kgslab_quarantine_bytes += s->size;
	kgslab_quarantine_trim(kgslab_quarantine_limit);
}

/* Drops the quarantined slots of one cache (being destroyed).  Lock held. */
static void kgslab_quarantine_drop(struct kmem_cache *s)
{
	void *slot = kgslab_quarantine_head, *prev = NULL, *next;

	while (slot) {
		next = kgslab_link_get(slot);
		if (virt_to_slab(slot)->slab_cache != s) {
			prev = slot;
		} else {
			if (prev)
				kgslab_link_set(prev, next);
			else
				kgslab_quarantine_head = next;
			if (kgslab_quarantine_tail == slot)
				kgslab_quarantine_tail = prev;
			kgslab_quarantine_bytes -= s->size;
			kgslab_release_slot(slot);
		}
		slot = next;
	}
}

/* The object in slot i dies: memcheck forgets it.  Lock not held. */
static void kgslab_retire(struct kmem_cache *s, struct kgslab_head *h,
			  unsigned int i)
{
	unsigned long irqflags;

	KGSLAB_POOL_FREE(&kgslab_pool, kgslab_object(s, h, i));
	spin_lock_irqsave(&kgslab_lock, irqflags);
	kgslab_quarantine_add(s, h, i);
	spin_unlock_irqrestore(&kgslab_lock, irqflags);
}

static void kgslab_rcu_done(struct rcu_head *head);

/* Lock held. */
static void kgslab_rcu_start(void)
{
	kgslab_rcu_waiting = kgslab_rcu_collecting;
	kgslab_rcu_collecting = NULL;
	kgslab_rcu_busy = true;
	call_rcu(&kgslab_rcu_head, kgslab_rcu_done);
}

/* A grace period has passed since the waiting batch was freed. */
static void kgslab_rcu_done(struct rcu_head *head)
{
	unsigned long irqflags;
	void *slot, *next;

	spin_lock_irqsave(&kgslab_lock, irqflags);
	slot = kgslab_rcu_waiting;
	kgslab_rcu_waiting = NULL;
	spin_unlock_irqrestore(&kgslab_lock, irqflags);

	for (; slot; slot = next) {
		struct slab *slab = virt_to_slab(slot);
		struct kmem_cache *s = slab->slab_cache;
		struct kgslab_head *h = kgslab_head(slab);
		unsigned int i = (slot - h->first) / s->size;

		next = kgslab_link_get(slot);
		VALGRIND_MAKE_MEM_NOACCESS(kgslab_object(s, h, i), h->req[i]);
		spin_lock_irqsave(&kgslab_lock, irqflags);
		kgslab_node(s)->nr_rcu_wait--;
		kgslab_quarantine_add(s, h, i);
		spin_unlock_irqrestore(&kgslab_lock, irqflags);
	}

	spin_lock_irqsave(&kgslab_lock, irqflags);
	if (kgslab_rcu_collecting)
		kgslab_rcu_start();
	else
		kgslab_rcu_busy = false;
	spin_unlock_irqrestore(&kgslab_lock, irqflags);
}

/* Allocation and free ---------------------------------------------------- */

static void *kgslab_alloc(struct kmem_cache *s, gfp_t flags, int node,
			  size_t req)
{
	struct kmem_cache_node *n = kgslab_node(s);
	struct kgslab_head *h;
	unsigned long irqflags;
	struct slab *slab;
	unsigned int i;
	void *obj;

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	might_alloc(flags);
	/* Fault injection (make failsweep), where SLUB asks it too. */
	if (unlikely(should_failslab(s, flags)))
		return NULL;

	spin_lock_irqsave(&kgslab_lock, irqflags);
	slab = list_first_entry_or_null(&n->partial, struct slab, slab_list);
	if (!slab) {
		spin_unlock_irqrestore(&kgslab_lock, irqflags);
		slab = kgslab_new_slab(s, flags, node);
		if (!slab)
			return NULL;
		spin_lock_irqsave(&kgslab_lock, irqflags);
		list_add(&slab->slab_list, &n->partial);
		n->nr_slabs++;
	}
	h = kgslab_head(slab);
	for (i = h->hint; h->state[i] != KGSLAB_FREE; i++)
		;
	h->hint = i + 1;
	h->state[i] = KGSLAB_LIVE;
	h->req[i] = req;
	h->nr_live++;
	n->nr_live++;
	if (!--h->nr_free)
		list_move(&slab->slab_list, &n->full);
	spin_unlock_irqrestore(&kgslab_lock, irqflags);

	obj = kgslab_object(s, h, i);
	KGSLAB_POOL_ALLOC(&kgslab_pool, obj, req);
	/* A constructed object is defined: the ctor or its last user set it. */
	if (s->ctor)
		VALGRIND_MAKE_MEM_DEFINED(obj, req);
	if (slab_want_init_on_alloc(flags, s))
		memset(obj, 0, req);
	return obj;
}

static void *kgslab_alloc_large(size_t size, gfp_t flags, int node)
{
	unsigned int order = get_order(size);
	struct folio *folio;
	void *p;

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	kgroots_slab_pages_begin();
	folio = (struct folio *)alloc_pages_node(node, flags | __GFP_COMP,
						 order);
	kgroots_slab_pages_end();
	if (!folio)
		return NULL;
	p = folio_address(folio);
	folio->private = (void *)((size << KGSLAB_LARGE_SHIFT) |
				  KGSLAB_LARGE_TAG);
	lruvec_stat_mod_folio(folio, NR_SLAB_UNRECLAIMABLE_B,
			      PAGE_SIZE << order);
	KGSLAB_POOL_ALLOC(&kgslab_large_pool, p, size);
	if (flags & __GFP_ZERO)
		VALGRIND_MAKE_MEM_DEFINED(p, size);
	VALGRIND_MAKE_MEM_NOACCESS(p + size, (PAGE_SIZE << order) - size);
	return p;
}

/* The requested size of the large kmalloc at p, or 0 when it is none. */
static size_t kgslab_large_size(struct folio *folio, const void *p)
{
	unsigned long priv = (unsigned long)folio->private;

	if (p != folio_address(folio) ||
	    (priv & GENMASK(KGSLAB_LARGE_SHIFT - 1, 0)) != KGSLAB_LARGE_TAG)
		return 0;
	return priv >> KGSLAB_LARGE_SHIFT;
}

static void kgslab_free_large(struct folio *folio, const void *p)
{
	if (!kgslab_large_size(folio, p)) {
		kgslab_bad_free(p, "kfree of memory kmalloc did not hand out");
		return;
	}
	KGSLAB_POOL_FREE(&kgslab_large_pool, p);
	folio->private = NULL;
	lruvec_stat_mod_folio(folio, NR_SLAB_UNRECLAIMABLE_B,
			      -(PAGE_SIZE << folio_order(folio)));
	folio_put(folio);
}

static void kgslab_free(const void *p)
{
	struct kmem_cache *s;
	struct kgslab_head *h;
	unsigned long irqflags;
	struct slab *slab;
	int i;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	if (!virt_addr_valid(p)) {
		kgslab_bad_free(p, "free of memory outside the kernel's RAM");
		return;
	}
	slab = virt_to_slab(p);
	if (!slab) {
		kgslab_free_large(virt_to_folio(p), p);
		return;
	}
	s = slab->slab_cache;
	h = kgslab_head(slab);
	i = kgslab_index(s, h, p);

	spin_lock_irqsave(&kgslab_lock, irqflags);
	if (i < 0 || h->state[i] != KGSLAB_LIVE) {
		spin_unlock_irqrestore(&kgslab_lock, irqflags);
		kgslab_bad_free(p, i < 0 ? "free of a pointer inside an object" :
				"double free");
		return;
	}
	h->nr_live--;
	kgslab_node(s)->nr_live--;
	if (s->flags & SLAB_TYPESAFE_BY_RCU) {
		h->state[i] = KGSLAB_RCU_WAIT;
		kgslab_node(s)->nr_rcu_wait++;
		spin_unlock_irqrestore(&kgslab_lock, irqflags);
		/* Dead to memcheck, but readable until the grace period. */
		KGSLAB_POOL_FREE(&kgslab_pool, p);
		VALGRIND_MAKE_MEM_DEFINED(p, h->req[i]);
		spin_lock_irqsave(&kgslab_lock, irqflags);
		kgslab_link_set(kgslab_slot(s, h, i), kgslab_rcu_collecting);
		kgslab_rcu_collecting = kgslab_slot(s, h, i);
		if (!kgslab_rcu_busy)
			kgslab_rcu_start();
		spin_unlock_irqrestore(&kgslab_lock, irqflags);
		return;
	}
	spin_unlock_irqrestore(&kgslab_lock, irqflags);
	kgslab_retire(s, h, i);
}

/*
 * The live object at p: its cache, slot and requested size (large
 * kmallocs: no cache, the folio's size as capacity).  False if p is not
 * the start of a live object.
 */
struct kgslab_object_info {
	struct kmem_cache *cache;
	size_t req;
	size_t capacity;
};

static bool kgslab_lookup(const void *p, struct kgslab_object_info *info)
{
	struct kgslab_head *h;
	struct slab *slab;
	int i;

	if (!virt_addr_valid(p))
		return false;
	slab = virt_to_slab(p);
	if (!slab) {
		struct folio *folio = virt_to_folio(p);

		info->cache = NULL;
		info->req = kgslab_large_size(folio, p);
		info->capacity = folio_size(folio);
		return info->req != 0;
	}
	info->cache = slab->slab_cache;
	h = kgslab_head(slab);
	i = kgslab_index(info->cache, h, p);
	if (i < 0 || h->state[i] != KGSLAB_LIVE)
		return false;
	info->req = h->req[i];
	info->capacity = info->cache->object_size;
	return true;
}

/* The slab API ----------------------------------------------------------- */

void *kmem_cache_alloc_noprof(struct kmem_cache *s, gfp_t flags)
{
	return kgslab_alloc(s, flags, NUMA_NO_NODE, s->object_size);
}
EXPORT_SYMBOL(kmem_cache_alloc_noprof);

void *kmem_cache_alloc_lru_noprof(struct kmem_cache *s, struct list_lru *lru,
				  gfp_t flags)
{
	return kgslab_alloc(s, flags, NUMA_NO_NODE, s->object_size);
}
EXPORT_SYMBOL(kmem_cache_alloc_lru_noprof);

void *kmem_cache_alloc_node_noprof(struct kmem_cache *s, gfp_t flags,
				   int node)
{
	return kgslab_alloc(s, flags, node, s->object_size);
}
EXPORT_SYMBOL(kmem_cache_alloc_node_noprof);

bool kmem_cache_charge(void *objp, gfp_t gfpflags)
{
	return true;
}
EXPORT_SYMBOL(kmem_cache_charge);

void kmem_cache_free(struct kmem_cache *s, void *p)
{
	kgslab_free(p);
}
EXPORT_SYMBOL(kmem_cache_free);

void kfree(const void *p)
{
	kgslab_free(p);
}
EXPORT_SYMBOL(kfree);

int kmem_cache_alloc_bulk_noprof(struct kmem_cache *s, gfp_t flags,
				 size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++) {
		p[i] = kgslab_alloc(s, flags, NUMA_NO_NODE, s->object_size);
		if (!p[i]) {
			kmem_cache_free_bulk(s, i, p);
			return 0;
		}
	}
	return size;
}
EXPORT_SYMBOL(kmem_cache_alloc_bulk_noprof);

void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++)
		kgslab_free(p[i]);
}
EXPORT_SYMBOL(kmem_cache_free_bulk);

static void *kgslab_kmalloc(size_t size, kmem_buckets *b, gfp_t flags,
			    int node, unsigned long caller)
{
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kgslab_alloc_large(size, flags, node);
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	return kgslab_alloc(kmalloc_slab(size, b, flags, caller), flags, node,
			    size);
}

void *__kmalloc_noprof(size_t size, gfp_t flags)
{
	return kgslab_kmalloc(size, NULL, flags, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_noprof);

void *__kmalloc_node_noprof(DECL_BUCKET_PARAMS(size, b), gfp_t flags,
			    int node)
{
	return kgslab_kmalloc(size, PASS_BUCKET_PARAM(b), flags, node,
			      _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_node_noprof);

void *__kmalloc_node_track_caller_noprof(DECL_BUCKET_PARAMS(size, b),
					 gfp_t flags, int node,
					 unsigned long caller)
{
	return kgslab_kmalloc(size, PASS_BUCKET_PARAM(b), flags, node, caller);
}
EXPORT_SYMBOL(__kmalloc_node_track_caller_noprof);

void *__kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags, size_t size)
{
	return kgslab_alloc(s, flags, NUMA_NO_NODE, size);
}
EXPORT_SYMBOL(__kmalloc_cache_noprof);

void *__kmalloc_cache_node_noprof(struct kmem_cache *s, gfp_t flags,
				  int node, size_t size)
{
	return kgslab_alloc(s, flags, node, size);
}
EXPORT_SYMBOL(__kmalloc_cache_node_noprof);

void *__kmalloc_large_noprof(size_t size, gfp_t flags)
{
	return kgslab_alloc_large(size, flags, NUMA_NO_NODE);
}
EXPORT_SYMBOL(__kmalloc_large_noprof);

void *__kmalloc_large_node_noprof(size_t size, gfp_t flags, int node)
{
	return kgslab_alloc_large(size, flags, node);
}
EXPORT_SYMBOL(__kmalloc_large_node_noprof);

/*
 * ksize keeps its 6.12 meaning, the size of the slot's bucket; memcheck
 * still allows only the requested bytes, as KASAN does since 6.1.
 */
size_t __ksize(const void *p)
{
	struct kgslab_object_info info;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return 0;
	if (!kgslab_lookup(p, &info)) {
		kgslab_bad_use(p, "ksize");
		return 0;
	}
	return info.capacity;
}

size_t ksize(const void *p)
{
	return __ksize(p);
}
EXPORT_SYMBOL(ksize);

void *krealloc_noprof(const void *p, size_t new_size, gfp_t flags)
{
	struct kgslab_object_info info;
	void *q;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc_node_track_caller_noprof(new_size, flags,
							NUMA_NO_NODE,
							_RET_IP_);
	if (!kgslab_lookup(p, &info)) {
		kgslab_bad_use(p, "krealloc");
		return NULL;
	}
	if (new_size <= info.capacity) {
		/* In place: memcheck moves the block's end. */
		if (!kgslab_pools_gone)
			VALGRIND_MEMPOOL_CHANGE(info.cache ? &kgslab_pool :
						&kgslab_large_pool, p, p, new_size);
		if (new_size < info.req)
			VALGRIND_MAKE_MEM_NOACCESS(p + new_size,
						   info.req - new_size);
		else
			VALGRIND_MAKE_MEM_UNDEFINED(p + info.req,
						    new_size - info.req);
		if (info.cache) {
			struct slab *slab = virt_to_slab(p);
			struct kgslab_head *h = kgslab_head(slab);

			h->req[kgslab_index(info.cache, h, p)] = new_size;
		} else {
			struct folio *folio = virt_to_folio(p);

			folio->private = (void *)((new_size << KGSLAB_LARGE_SHIFT) |
						  KGSLAB_LARGE_TAG);
		}
		if (new_size > info.req && want_init_on_alloc(flags))
			memset((void *)p + info.req, 0, new_size - info.req);
		return (void *)p;
	}
	q = kmalloc_node_track_caller_noprof(new_size, flags, NUMA_NO_NODE,
					     _RET_IP_);
	if (q) {
		memcpy(q, p, info.req);
		kfree(p);
	}
	return q;
}
EXPORT_SYMBOL(krealloc_noprof);

void kfree_sensitive(const void *p)
{
	struct kgslab_object_info info;

	if (!ZERO_OR_NULL_PTR(p) && kgslab_lookup(p, &info))
		memzero_explicit((void *)p, info.req);
	kfree(p);
}
EXPORT_SYMBOL(kfree_sensitive);

#ifdef CONFIG_PRINTK
void __kmem_obj_info(struct kmem_obj_info *kpp, void *object,
		     struct slab *slab)
{
	struct kmem_cache *s = slab->slab_cache;
	struct kgslab_head *h = kgslab_head(slab);
	int i = kgslab_index_within(s, h, object);

	kpp->kp_ptr = object;
	kpp->kp_slab = slab;
	kpp->kp_slab_cache = s;
	if (i >= 0)
		kpp->kp_objp = kgslab_object(s, h, i);
}
#endif

/* Caches ----------------------------------------------------------------- */

slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name)
{
	return flags;
}

/* The smallest slab order giving KGSLAB_MIN_OBJECTS, within limits. */
static void kgslab_layout(struct kmem_cache *s, struct kmem_cache_node *n)
{
	unsigned int order, nr, head;

	for (order = 0;; order++) {
		unsigned long bytes = PAGE_SIZE << order;

		nr = bytes / (s->size + 1 + sizeof(u32));
		for (; nr; nr--) {
			head = ALIGN(sizeof(struct kgslab_head) + nr,
				     sizeof(u32)) + nr * sizeof(u32);
			head = ALIGN(head, s->align);
			if (head + (unsigned long)nr * s->size <= bytes)
				break;
		}
		if (nr >= KGSLAB_MIN_OBJECTS ||
		    (nr && order >= KGSLAB_MAX_ORDER))
			break;
	}
	n->order = order;
	n->per_slab = nr;
	n->head_size = head;
}

int do_kmem_cache_create(struct kmem_cache *s, const char *name,
			 unsigned int size, struct kmem_cache_args *args,
			 slab_flags_t flags)
{
	struct kmem_cache_node *n =
		&container_of(s, struct kgslab_cache, cache)->node;

	s->name = name;
	s->flags = flags;
	s->object_size = size;
	s->inuse = size;
	s->ctor = args->ctor;
	s->align = max_t(unsigned int, args->align, sizeof(void *));
#ifdef CONFIG_HARDENED_USERCOPY
	s->useroffset = args->useroffset;
	s->usersize = args->usersize;
#endif
	s->red_left_pad = ALIGN(KGSLAB_REDZONE, s->align);
	s->size = ALIGN(s->red_left_pad + size + KGSLAB_REDZONE, s->align);
	s->allocflags = __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;

	INIT_LIST_HEAD(&n->partial);
	INIT_LIST_HEAD(&n->full);
	n->nr_slabs = 0;
	n->nr_live = 0;
	n->nr_rcu_wait = 0;
	kgslab_layout(s, n);
	s->node[0] = n;
	return 0;
}

/* Frees the slabs no object occupies (live, waiting or quarantined). */
int __kmem_cache_shrink(struct kmem_cache *s)
{
	struct kmem_cache_node *n = kgslab_node(s);
	struct slab *slab, *tmp;
	unsigned long irqflags;
	LIST_HEAD(empty);

	spin_lock_irqsave(&kgslab_lock, irqflags);
	list_for_each_entry_safe(slab, tmp, &n->partial, slab_list) {
		if (kgslab_head(slab)->nr_free == kgslab_head(slab)->nr) {
			list_move(&slab->slab_list, &empty);
			n->nr_slabs--;
		}
	}
	spin_unlock_irqrestore(&kgslab_lock, irqflags);

	list_for_each_entry_safe(slab, tmp, &empty, slab_list) {
		list_del(&slab->slab_list);
		kgslab_free_slab(s, slab);
	}
	return 0;
}

/*
 * Objects still live when their cache is destroyed.  Under memcheck each
 * is reported with its allocation stack (a check of the byte just past
 * it, which memcheck describes by the block it follows) and then dies
 * with the cache.  Natively the cache stays, as with SLUB.
 */
static unsigned int kgslab_report_live(struct kmem_cache *s,
				       struct list_head *slabs)
{
	unsigned int i, live = 0;
	struct slab *slab;

	list_for_each_entry(slab, slabs, slab_list) {
		struct kgslab_head *h = kgslab_head(slab);

		for (i = 0; i < h->nr; i++) {
			void *obj = kgslab_object(s, h, i);

			if (h->state[i] != KGSLAB_LIVE)
				continue;
			live++;
			if (!RUNNING_ON_VALGRIND)
				continue;
			VALGRIND_CHECK_MEM_IS_ADDRESSABLE(obj + h->req[i], 1);
			KGSLAB_POOL_FREE(&kgslab_pool, obj);
			h->state[i] = KGSLAB_FREE;
			h->nr_free++;
			h->nr_live--;
		}
	}
	return live;
}

int __kmem_cache_shutdown(struct kmem_cache *s)
{
	struct kmem_cache_node *n = kgslab_node(s);
	unsigned long irqflags;
	unsigned int live;

	while (READ_ONCE(n->nr_rcu_wait))
		rcu_barrier();

	live = kgslab_report_live(s, &n->partial) +
	       kgslab_report_live(s, &n->full);
	if (live) {
		pr_err("kgrind slab: cache %s destroyed with %u object%s in use\n",
		       s->name, live, live == 1 ? "" : "s");
		if (!RUNNING_ON_VALGRIND)
			return -EBUSY;
		n->nr_live = 0;
	}

	spin_lock_irqsave(&kgslab_lock, irqflags);
	kgslab_quarantine_drop(s);
	list_splice_init(&n->full, &n->partial);
	spin_unlock_irqrestore(&kgslab_lock, irqflags);
	return __kmem_cache_shrink(s);
}

void __kmem_cache_release(struct kmem_cache *s)
{
}

/* No sysfs directory per cache: /proc/slabinfo lists them. */
void sysfs_slab_unlink(struct kmem_cache *s)
{
}

void sysfs_slab_release(struct kmem_cache *s)
{
	slab_kmem_cache_release(s);
}

int sysfs_slab_alias(struct kmem_cache *s, const char *name)
{
	return 0;
}

void __init kmem_cache_init(void)
{
	static struct kgslab_cache kgslab_kmem_cache;

	if (kgslab_quarantine_limit == ~0UL)
		kgslab_quarantine_limit = RUNNING_ON_VALGRIND ? SZ_4M : 0;

	VALGRIND_CREATE_MEMPOOL(&kgslab_pool, KGSLAB_REDZONE, 0);
	VALGRIND_CREATE_MEMPOOL(&kgslab_large_pool, 0, 0);
	kmem_cache = &kgslab_kmem_cache.cache;
	create_boot_cache(kmem_cache, "kmem_cache", sizeof(struct kgslab_cache),
			  SLAB_HWCACHE_ALIGN, 0, 0);
	list_add(&kmem_cache->list, &slab_caches);
	kmem_cache->refcount = 1;
	slab_state = PARTIAL;

	setup_kmalloc_cache_index_table();
	create_kmalloc_caches();

	pr_info("kgrind slab: objects are memcheck blocks with %u-byte redzones, quarantine %lu KiB\n",
		KGSLAB_REDZONE, kgslab_quarantine_limit >> 10);
}

/*
 * After halt, before the kernel's RAM goes back to the host: memcheck
 * forgets every object still allocated, which the kernel never frees.
 */
void kgslab_forget_all(void)
{
	kgslab_pools_gone = true;
	VALGRIND_DESTROY_MEMPOOL(&kgslab_pool);
	VALGRIND_DESTROY_MEMPOOL(&kgslab_large_pool);
}

/*
 * For the page leak scan at halt: fn on each object of the slab that a
 * reader may still hold (live, or waiting for RCU).  Freed and
 * quarantined objects keep stale pointers that must not count.
 */
void kgslab_for_each_object(struct slab *slab,
			    void (*fn)(const void *p, size_t size, void *arg),
			    void *arg)
{
	struct kmem_cache *s = slab->slab_cache;
	struct kgslab_head *h = kgslab_head(slab);
	unsigned int i;

	for (i = 0; i < h->nr; i++)
		if (h->state[i] == KGSLAB_LIVE || h->state[i] == KGSLAB_RCU_WAIT)
			fn(kgslab_object(s, h, i), s->object_size, arg);
}

void __init kmem_cache_init_late(void)
{
}

/* /proc/slabinfo, in SLUB's format (version 2.1) ------------------------- */

static void *kgslab_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&slab_mutex);
	if (!*pos)
		seq_puts(m, "slabinfo - version: 2.1\n"
			 "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	return seq_list_start(&slab_caches, *pos);
}

static void *kgslab_seq_next(struct seq_file *m, void *p, loff_t *pos)
{
	return seq_list_next(p, &slab_caches, pos);
}

static void kgslab_seq_stop(struct seq_file *m, void *p)
{
	mutex_unlock(&slab_mutex);
}

static int kgslab_seq_show(struct seq_file *m, void *p)
{
	struct kmem_cache *s = list_entry(p, struct kmem_cache, list);
	struct kmem_cache_node *n = kgslab_node(s);
	unsigned long slabs, live;
	unsigned long irqflags;

	spin_lock_irqsave(&kgslab_lock, irqflags);
	slabs = n->nr_slabs;
	live = n->nr_live;
	spin_unlock_irqrestore(&kgslab_lock, irqflags);

	seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6u\n",
		   s->name, live, slabs * n->per_slab, s->size, n->per_slab,
		   1 << n->order, 0, 0, 0, slabs, slabs, 0);
	return 0;
}

static const struct seq_operations kgslab_seq_ops = {
	.start = kgslab_seq_start,
	.next = kgslab_seq_next,
	.stop = kgslab_seq_stop,
	.show = kgslab_seq_show,
};

static int __init kgslab_proc_init(void)
{
	proc_create_seq("slabinfo", 0400, NULL, &kgslab_seq_ops);
	return 0;
}
module_init(kgslab_proc_init);
