// SPDX-License-Identifier: GPL-2.0
/* Memory for the kernel's RAM, the program's data segments, the clocks. */
#define _GNU_SOURCE
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <valgrind/memcheck.h>
#include "host_ops_internal.h"
#include "registry.h"

struct kg_mem {
	struct kg_res res;
	void *addr;
	unsigned long size;
	void *heap;		/* the RAM under memcheck: its malloc block */
};

/* Bytes of the RAM's malloc block that memcheck still counts as one. */
#define KG_RAM_HEAD	8

static struct kg_mem *kg_ram;

/*
 * Address space for the kernel's RAM, reserved no-access: the kernel makes
 * chunks of it usable (kg_mem_commit) as it needs them.  The start is
 * aligned to align bytes; what mmap gave beyond that is unmapped.
 */
static void *kg_mem_map(unsigned long size, unsigned long align, int prot)
{
	struct kg_mem *m = malloc(sizeof(*m));
	unsigned long base, start;
	void *map;

	if (!m)
		return NULL;
	map = mmap(NULL, size + align, prot,
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
	m->heap = NULL;
	kg_res_add(&m->res, KG_RES_MEM);
	return m->addr;
}

static void *kg_mem_reserve(unsigned long size, unsigned long align)
{
	return kg_mem_map(size, align, PROT_NONE);
}

/*
 * The kernel's RAM.  Under memcheck it is one block of the host's malloc,
 * shrunk at once, in memcheck's eyes, to its first bytes (the rest
 * no-access).  Memcheck's leak check takes every writable mapping of the
 * process as a root, but not its own heap: there, the RAM is no root, so
 * a leaked kernel object that points to itself is lost, not reachable.
 * The kernel marks what in it is a root (allocators/leak_roots.c).
 * Natively, reserved address space as any other.
 */
static void *kg_ram_reserve(unsigned long size, unsigned long align)
{
	struct kg_mem *m;
	void *heap;

	if (!RUNNING_ON_VALGRIND)
		return kg_mem_reserve(size, align);
	m = malloc(sizeof(*m));
	if (!m || posix_memalign(&heap, align, size + align)) {
		free(m);
		return NULL;
	}
	VALGRIND_RESIZEINPLACE_BLOCK(heap, size + align, KG_RAM_HEAD, 0);
	m->heap = heap;
	m->addr = (char *)heap + align;
	m->size = size;
	kg_ram = m;
	kg_res_add(&m->res, KG_RES_MEM);
	return m->addr;
}

/*
 * Zero-filled and read-only from the start: memcheck marks a new mapping
 * in one step, but an mprotect byte by byte (a second per 256 MiB).
 */
static void *kg_mem_reserve_readable(unsigned long size)
{
	return kg_mem_map(size, 1, PROT_READ);
}

/*
 * Zero-filled, which memcheck counts as defined; 0 or -1 if refused.  A
 * new mapping over the reserved range rather than an mprotect, which
 * memcheck would mark byte by byte; populated at once, since the kernel
 * commits memory only when it is about to use it (one host call instead
 * of a page fault per page).  Natively the kernel commits 2 MiB chunks,
 * and asks for them as transparent huge pages: a 4 KiB page costs a
 * first-touch fault even when populated (on a virtual machine with shadow
 * page tables, the kernel's first write to 64 MiB of page cache took 75
 * ms with 4 KiB pages and 3 ms with huge pages).
 */
static int kg_mem_commit(void *addr, unsigned long size)
{
	int populate = RUNNING_ON_VALGRIND ? MAP_POPULATE : 0;
	void *map;

	if (kg_ram && kg_ram->heap && (char *)addr >= (char *)kg_ram->addr &&
	    (char *)addr + size <= (char *)kg_ram->addr + kg_ram->size) {
		VALGRIND_MAKE_MEM_UNDEFINED(addr, size);
		memset(addr, 0, size);
		return 0;
	}
	map = mmap(addr, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | populate, -1, 0);
	if (map != addr)
		return -1;
	if (!populate) {
		madvise(addr, size, MADV_HUGEPAGE);
		/* Hosts before Linux 5.14 have no MADV_POPULATE_WRITE. */
		if (madvise(addr, size, MADV_POPULATE_WRITE) &&
		    mmap(addr, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE,
			 -1, 0) != addr)
			return -1;
	}
	return 0;
}

static void kg_mem_release(struct kg_mem *m)
{
	if (m == kg_ram)
		kg_ram = NULL;
	if (m->heap)
		free(m->heap);
	else
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

/* Whether [start, end) meets memory the kernel holds (kg_host.h). */
static unsigned long kg_probe_start, kg_probe_end;
static int kg_probe_met;

static void kg_mem_probe(struct kg_res *r)
{
	struct kg_mem *m = kg_container_of(r, struct kg_mem, res);
	unsigned long start = (unsigned long)(m->heap ? m->heap : m->addr);
	unsigned long end = (unsigned long)m->addr + m->size;

	if (start < kg_probe_end && kg_probe_start < end)
		kg_probe_met = 1;
}

int kg_host_memory_meets(unsigned long start, unsigned long len)
{
	int met;

	kg_res_hold();
	kg_probe_start = start;
	kg_probe_end = start + len;
	kg_probe_met = 0;
	kg_res_each(KG_RES_MEM, kg_mem_probe);
	met = kg_probe_met;
	kg_res_release();
	return met;
}

struct kg_segment_walk {
	void (*fn)(const void *start, unsigned long len, void *arg);
	void *arg;
};

int kg_host_object_holds(const struct dl_phdr_info *info, unsigned long addr)
{
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && addr - start < ph->p_memsz)
			return 1;
	}
	return 0;
}

/*
 * The writable segments of the object kgrind is linked into, the kernel
 * with it: a suite's program, or libkgrind-run.so preloaded into a
 * user's program, whose own data holds no kernel pointers.
 */
static int kg_object_data_segments(struct dl_phdr_info *info, size_t size,
				   void *data)
{
	struct kg_segment_walk *walk = data;
	int i;

	if (!kg_host_object_holds(info, (unsigned long)kg_object_data_segments))
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W))
			walk->fn((const void *)(info->dlpi_addr + ph->p_vaddr),
				 ph->p_memsz, walk->arg);
	}
	return 1;
}

static void kg_for_each_data_segment(void (*fn)(const void *start,
						unsigned long len, void *arg),
				     void *arg)
{
	struct kg_segment_walk walk = { fn, arg };

	dl_iterate_phdr(kg_object_data_segments, &walk);
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
	ops->ram_reserve = kg_ram_reserve;
	ops->mem_reserve_readable = kg_mem_reserve_readable;
	ops->mem_commit = kg_mem_commit;
	ops->mem_free = kg_mem_free;
	ops->for_each_data_segment = kg_for_each_data_segment;
	ops->time_ns = kg_host_monotonic_ns;
	ops->realtime_ns = kg_realtime_ns;
}

void kg_host_memory_cleanup(void)
{
	struct kg_res *r;

	while ((r = kg_res_pop(KG_RES_MEM)))
		kg_mem_release(kg_container_of(r, struct kg_mem, res));
}
