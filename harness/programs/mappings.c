// SPDX-License-Identifier: GPL-2.0
/*
 * The program's mappings of the kernel's files.  Without an MMU such a
 * mapping is kernel memory: for a MAP_SHARED mapping of a tmpfs or
 * ramfs file (/dev/shm), the file's own page cache pages.  The calls on
 * those addresses (munmap, mprotect, ...) are the kernel's.
 *
 * A fork copies the process, kernel memory and all, so a shared mapping
 * would be the parent's and the child's each.  Before the first fork
 * after it is made, its host pages are therefore moved onto shared
 * memory (a memfd, mapped over them with their content): parent and
 * child then see each other's stores to the mapping, and, the pages
 * being the file's page cache in both kernels, in the file's data too.
 * The file's size and other state stay each kernel's own.  When the
 * program unmaps it, the pages are made private again, so that neither
 * kernel's reuse of them reaches the other's.
 *
 * Called as kgrind's own code: the C library's calls here are the host's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "mappings.h"

#define KG_MAPPINGS 4096

static struct kg_mapping {
	unsigned long start, end;
	int shared;	/* MAP_SHARED */
	int on_memfd;	/* its host pages are shared with forked copies */
} kg_mappings[KG_MAPPINGS];
static int kg_mapping_count;
static pthread_mutex_t kg_mappings_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long kg_page_end(unsigned long end)
{
	unsigned long page = sysconf(_SC_PAGESIZE);

	return (end + page - 1) & ~(page - 1);
}

void kg_mapping_add(unsigned long start, unsigned long len, int shared)
{
	pthread_mutex_lock(&kg_mappings_lock);
	if (kg_mapping_count < KG_MAPPINGS)
		kg_mappings[kg_mapping_count++] = (struct kg_mapping){
			.start = start, .end = start + len, .shared = shared };
	pthread_mutex_unlock(&kg_mappings_lock);
}

/* The range's pages, with their content, on a new memfd or back on private memory. */
static int kg_remap(unsigned long start, unsigned long end, int shared)
{
	unsigned long len = kg_page_end(end) - start;
	void *copy = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = -1, err = 0;

	if (copy == MAP_FAILED)
		return -errno;
	memcpy(copy, (void *)start, len);
	if (shared) {
		fd = memfd_create("kgrind-shared-mapping", MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, len))
			err = -errno;
	}
	if (!err && mmap((void *)start, len, PROT_READ | PROT_WRITE,
			 shared ? MAP_SHARED | MAP_FIXED : MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 fd, 0) != (void *)start)
		err = -errno;
	if (!err)
		memcpy((void *)start, copy, len);
	if (fd >= 0)
		close(fd);
	munmap(copy, len);
	return err;
}

int kg_mappings_share(void)
{
	int i, err = 0;

	pthread_mutex_lock(&kg_mappings_lock);
	for (i = 0; i < kg_mapping_count && !err; i++) {
		struct kg_mapping *m = &kg_mappings[i];

		if (m->shared && !m->on_memfd) {
			err = kg_remap(m->start, m->end, 1);
			m->on_memfd = !err;
		}
	}
	pthread_mutex_unlock(&kg_mappings_lock);
	return err;
}

int kg_mapping_owns(unsigned long addr)
{
	int i, found = 0;

	pthread_mutex_lock(&kg_mappings_lock);
	for (i = 0; i < kg_mapping_count && !found; i++)
		found = addr >= kg_mappings[i].start && addr < kg_mappings[i].end;
	pthread_mutex_unlock(&kg_mappings_lock);
	return found;
}

void kg_mapping_unmapped(unsigned long start)
{
	struct kg_mapping gone = { 0 };
	int i;

	pthread_mutex_lock(&kg_mappings_lock);
	for (i = 0; i < kg_mapping_count; i++)
		if (kg_mappings[i].start == start) {
			gone = kg_mappings[i];
			kg_mappings[i] = kg_mappings[--kg_mapping_count];
			break;
		}
	pthread_mutex_unlock(&kg_mappings_lock);
	if (gone.on_memfd)
		kg_remap(gone.start, gone.end, 0);
}
