// SPDX-License-Identifier: GPL-2.0
/*
 * kgrind-run: every system call instruction of a program's code and its
 * libraries (its C library's wrappers and internals, raw syscall()), as
 * loaded, becomes ud2, which traps to the bridge.  A site found is one
 * capstone decodes as "syscall" on a linear walk of each function, the
 * functions being those .eh_frame_hdr lists (a walk started at each
 * function cannot lose the instruction boundaries for long).
 *
 * Each site gets a stub, "syscall; jmp *back", so that a call the host
 * must make where the program made it (clone, whose child starts on
 * another stack; rt_sigreturn, which reads the stack) runs there: the
 * handler sends the thread to the stub with the registers as they were.
 */
#define _GNU_SOURCE
#include <capstone/capstone.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/valgrind.h>
#include "kg_host.h"
#include "sites.h"

#define KG_STUB_SIZE 16

/*
 * The sites, sorted, as the trap handler reads them: replaced whole when
 * a library loaded later (dlopen) adds its own, never changed in place,
 * so that a handler on another thread reads one table or the other.  An
 * old table is never freed, as a handler may still be reading it: the
 * new one points to it (memcheck would call it leaked).
 */
struct kg_site_table {
	struct kg_site_table *older;
	size_t count;
	struct kg_site sites[];
};

static struct kg_site_table *kg_table;

/* The objects patched already, by load address. */
#define KG_OBJECTS_MAX 1024
static unsigned long kg_objects[KG_OBJECTS_MAX];
static size_t kg_object_count;

/* The sites a patch finds: new ones only. */
static struct kg_site *kg_sites;
static size_t kg_site_count, kg_site_cap;

/*
 * Objects never patched: this library (the kernel and the bridge, whose
 * calls are the host's; known by its code, as --lib may name a copy),
 * the dynamic loader (it reads the program's libraries from the host,
 * also when dlopen asks later: the host guard keeps that read-only), the
 * vDSO and valgrind's preloads.
 */
static const char *const kg_skip[] = { "/ld-linux", "linux-vdso", "vgpreload_", NULL };

struct kg_sites_walk {
	const char *const *skip;
	csh cs;
	char *why;
	unsigned long size;
	int err;
};

static int kg_site_add(unsigned long addr)
{
	if (kg_site_count == kg_site_cap) {
		size_t cap = kg_site_cap ? kg_site_cap * 2 : 512;
		struct kg_site *grown = realloc(kg_sites, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		kg_sites = grown;
		kg_site_cap = cap;
	}
	kg_sites[kg_site_count++] = (struct kg_site){ .addr = addr };
	return 0;
}

static int kg_object_seen(unsigned long base)
{
	size_t i;

	for (i = 0; i < kg_object_count; i++)
		if (kg_objects[i] == base)
			return 1;
	if (kg_object_count == KG_OBJECTS_MAX)
		return 1;
	kg_objects[kg_object_count++] = base;
	return 0;
}

/* One value of .eh_frame_hdr's table: only the encoding linkers use. */
static int kg_eh_read(const uint8_t **p, uint8_t enc, uintptr_t hdr, uintptr_t *out)
{
	int32_t v;

	if (enc == 0xff)	/* DW_EH_PE_omit */
		return -1;
	switch (enc & 0x0f) {
	case 0x0b:	/* sdata4 */
		memcpy(&v, *p, 4);
		*p += 4;
		break;
	case 0x03:	/* udata4 */
		{
			uint32_t u;

			memcpy(&u, *p, 4);
			*p += 4;
			v = (int32_t)u;
		}
		break;
	default:
		return -1;
	}
	switch (enc & 0x70) {
	case 0x00:
		*out = (uintptr_t)(uint32_t)v;
		return 0;
	case 0x30:	/* datarel: from the header */
		*out = hdr + v;
		return 0;
	default:
		return -1;
	}
}

static int kg_cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The functions' starts in [lo, hi), sorted, lo first. */
static unsigned long *kg_function_starts(struct dl_phdr_info *info, unsigned long lo,
					 unsigned long hi, size_t *count)
{
	unsigned long *starts = malloc(sizeof(*starts));
	size_t n = 0, i;
	int h;

	if (!starts)
		return NULL;
	starts[n++] = lo;
	for (h = 0; h < info->dlpi_phnum; h++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[h];
		const uint8_t *p;
		uintptr_t hdr, ptr, fdes;
		uint8_t fde_count_enc, table_enc;

		if (ph->p_type != PT_GNU_EH_FRAME)
			continue;
		hdr = info->dlpi_addr + ph->p_vaddr;
		p = (const uint8_t *)hdr;
		if (p[0] != 1)
			break;
		fde_count_enc = p[2];
		table_enc = p[3];
		p += 4;
		if (kg_eh_read(&p, ((const uint8_t *)hdr)[1], hdr, &ptr) ||
		    kg_eh_read(&p, fde_count_enc, hdr, &fdes))
			break;
		{
			unsigned long *grown = realloc(starts, (fdes + 1) * sizeof(*starts));

			if (!grown)
				break;
			starts = grown;
		}
		for (i = 0; i < fdes; i++) {
			uintptr_t loc, fde;

			if (kg_eh_read(&p, table_enc, hdr, &loc) ||
			    kg_eh_read(&p, table_enc, hdr, &fde))
				break;
			if (loc > lo && loc < hi)
				starts[n++] = loc;
		}
	}
	qsort(starts, n, sizeof(*starts), kg_cmp_ulong);
	*count = n;
	return starts;
}

/* The syscall instructions of one executable segment. */
static int kg_sites_find(struct kg_sites_walk *w, struct dl_phdr_info *info,
			 unsigned long lo, unsigned long hi)
{
	size_t count, i;
	unsigned long *starts = kg_function_starts(info, lo, hi, &count);
	cs_insn *insn = cs_malloc(w->cs);
	int err = 0;

	if (!starts || !insn) {
		free(starts);
		if (insn)
			cs_free(insn, 1);
		return -ENOMEM;
	}
	for (i = 0; i < count && !err; i++) {
		unsigned long end = i + 1 < count ? starts[i + 1] : hi;
		const uint8_t *code = (const uint8_t *)starts[i];
		size_t left = end - starts[i];
		uint64_t addr = starts[i];

		while (left && !err) {
			if (!cs_disasm_iter(w->cs, &code, &left, &addr, insn)) {
				/* Not code (padding, data): on at the next byte. */
				code++;
				left--;
				addr++;
				continue;
			}
			if (insn->id == X86_INS_SYSCALL)
				err = kg_site_add(insn->address);
		}
	}
	cs_free(insn, 1);
	free(starts);
	return err;
}

static int kg_sites_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct kg_sites_walk *w = arg;
	/* The program itself is the object with no name. */
	const char *name = info->dlpi_name ? info->dlpi_name : "";
	int h, i;

	for (i = 0; *name && w->skip[i]; i++)
		if (strstr(name, w->skip[i]))
			return 0;
	if (kg_host_object_holds(info, (unsigned long)kg_sites_object))
		return 0;
	if (kg_object_seen(info->dlpi_addr))
		return 0;
	for (h = 0; h < info->dlpi_phnum && !w->err; h++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[h];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X))
			w->err = kg_sites_find(w, info, info->dlpi_addr + ph->p_vaddr,
					       info->dlpi_addr + ph->p_vaddr + ph->p_memsz);
	}
	if (w->err)
		snprintf(w->why, w->size, "cannot read the code of %s: %s",
			 *name ? name : "the program", strerror(-w->err));
	return w->err;
}

static int kg_cmp_site(const void *a, const void *b)
{
	const struct kg_site *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Each new site's stub: "syscall; jmp *0(%rip); .quad back". */
static int kg_stubs_write(void)
{
	size_t page = sysconf(_SC_PAGESIZE), i;
	size_t stubs_size = (kg_site_count * KG_STUB_SIZE + page - 1) & ~(page - 1);
	uint8_t *stubs;

	if (!kg_site_count)
		return 0;
	stubs = mmap(NULL, stubs_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stubs == MAP_FAILED)
		return -errno;
	for (i = 0; i < kg_site_count; i++) {
		uint8_t *stub = stubs + i * KG_STUB_SIZE;
		uint64_t back = kg_sites[i].addr + 2;

		memcpy(stub, "\x0f\x05\xff\x25\x00\x00\x00\x00", 8);
		memcpy(stub + 8, &back, 8);
		kg_sites[i].stub = (unsigned long)stub;
	}
	if (mprotect(stubs, stubs_size, PROT_READ | PROT_EXEC))
		return -errno;
	return 0;
}

/* The table with the new sites in it, in place of the old. */
static int kg_table_publish(void)
{
	size_t old = kg_table ? kg_table->count : 0;
	struct kg_site_table *t = malloc(sizeof(*t) + (old + kg_site_count) * sizeof(t->sites[0]));

	if (!t)
		return -ENOMEM;
	if (old)
		memcpy(t->sites, kg_table->sites, old * sizeof(t->sites[0]));
	memcpy(t->sites + old, kg_sites, kg_site_count * sizeof(t->sites[0]));
	t->count = old + kg_site_count;
	t->older = kg_table;
	qsort(t->sites, t->count, sizeof(t->sites[0]), kg_cmp_site);
	__atomic_store_n(&kg_table, t, __ATOMIC_RELEASE);
	return 0;
}

/* ud2 over each new site: last, once the handler knows them all. */
static int kg_traps_write(void)
{
	size_t page = sysconf(_SC_PAGESIZE), i;

	for (i = 0; i < kg_site_count; i++) {
		unsigned long first = kg_sites[i].addr & ~(page - 1);
		unsigned long last = (kg_sites[i].addr + 1) & ~(page - 1);

		if (mprotect((void *)first, last - first + page,
			     PROT_READ | PROT_WRITE | PROT_EXEC))
			return -errno;
		((uint8_t *)kg_sites[i].addr)[1] = 0x0b;	/* 0f 05 -> 0f 0b */
		if (mprotect((void *)first, last - first + page, PROT_READ | PROT_EXEC))
			return -errno;
		VALGRIND_DISCARD_TRANSLATIONS(kg_sites[i].addr, 2);
	}
	return 0;
}

int kg_sites_patch(char *why, unsigned long size)
{
	struct kg_sites_walk w = { .skip = kg_skip, .why = why, .size = size };
	int err;

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &w.cs) != CS_ERR_OK) {
		snprintf(why, size, "capstone cannot decode x86-64");
		return -ENOSYS;
	}
	kg_site_count = 0;
	dl_iterate_phdr(kg_sites_object, &w);
	cs_close(&w.cs);
	if (w.err)
		return w.err;
	err = kg_stubs_write();
	if (!err)
		err = kg_table_publish();
	if (!err)
		err = kg_traps_write();
	if (err) {
		snprintf(why, size, "cannot patch the code: %s", strerror(-err));
		return err;
	}
	return (int)kg_site_count;
}

const struct kg_site *kg_site_at(unsigned long addr)
{
	const struct kg_site_table *t = __atomic_load_n(&kg_table, __ATOMIC_ACQUIRE);
	size_t lo = 0, hi = t ? t->count : 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->sites[mid].addr == addr)
			return &t->sites[mid];
		if (t->sites[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
