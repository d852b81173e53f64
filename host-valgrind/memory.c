// SPDX-License-Identifier: GPL-2.0
/* Memory for the kernel's RAM, and the clocks. */
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include "host_ops_internal.h"
#include "registry.h"

struct kg_mem {
	struct kg_res res;
	void *addr;
	unsigned long size;
};

/*
 * Address space for the kernel's RAM, reserved no-access: the kernel makes
 * chunks of it usable (kg_mem_commit) as it needs them.  The start is
 * aligned to align bytes; what mmap gave beyond that is unmapped.
 */
static void *kg_mem_reserve(unsigned long size, unsigned long align)
{
	struct kg_mem *m = malloc(sizeof(*m));
	unsigned long base, start;
	void *map;

	if (!m)
		return NULL;
	map = mmap(NULL, size + align, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED) {
		free(m);
		return NULL;
	}
	base = (unsigned long)map;
	start = (base + align - 1) & ~(align - 1);
	if (start > base)
		munmap(map, start - base);
	if (base + align > start)
		munmap((void *)(start + size), base + align - start);
	m->addr = (void *)start;
	m->size = size;
	kg_res_add(&m->res, KG_RES_MEM);
	return m->addr;
}

/* Zero-filled, which memcheck counts as defined; 0 or -1 if refused. */
static int kg_mem_commit(void *addr, unsigned long size)
{
	return mprotect(addr, size, PROT_READ | PROT_WRITE);
}

static void kg_mem_release(struct kg_mem *m)
{
	munmap(m->addr, m->size);
	free(m);
}

/* The kernel frees what it allocated: find the block by address. */
static void kg_mem_free(void *addr, unsigned long size)
{
	struct kg_res *r, *keep = NULL;

	while ((r = kg_res_pop(KG_RES_MEM))) {
		struct kg_mem *m = kg_container_of(r, struct kg_mem, res);

		if (m->addr == addr) {
			kg_mem_release(m);
			break;
		}
		r->next = keep;
		keep = r;
	}
	while (keep) {
		r = keep;
		keep = keep->next;
		kg_res_add(r, KG_RES_MEM);
	}
}

static unsigned long long kg_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void kg_host_memory_fill(struct kg_host_ops *ops)
{
	ops->mem_reserve = kg_mem_reserve;
	ops->mem_commit = kg_mem_commit;
	ops->mem_free = kg_mem_free;
	ops->time_ns = kg_host_monotonic_ns;
	ops->realtime_ns = kg_realtime_ns;
}

void kg_host_memory_cleanup(void)
{
	struct kg_res *r;

	while ((r = kg_res_pop(KG_RES_MEM)))
		kg_mem_release(kg_container_of(r, struct kg_mem, res));
}
