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

/* mmap: page-aligned and zero-filled, which memcheck counts as defined. */
static void *kg_mem_alloc(unsigned long size)
{
	struct kg_mem *m = malloc(sizeof(*m));

	if (!m)
		return NULL;
	m->addr = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->addr == MAP_FAILED) {
		free(m);
		return NULL;
	}
	m->size = size;
	kg_res_add(&m->res, KG_RES_MEM);
	return m->addr;
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
	ops->mem_alloc = kg_mem_alloc;
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
