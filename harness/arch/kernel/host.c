// SPDX-License-Identifier: GPL-2.0
/*
 * The host-operations table handed over at boot, and the wrappers the
 * allocators call it through: they reach the host here, never setup.c.
 */
#include <asm/kgrind.h>
#include <asm/kgrind_host.h>

const struct kg_host_ops *kgrind_host;
bool kgrind_halting;

void *kgrind_host_mem_reserve(unsigned long size, unsigned long align)
{
	return kgrind_host->mem_reserve(size, align);
}

void *kgrind_host_ram_reserve(unsigned long size, unsigned long align)
{
	return kgrind_host->ram_reserve(size, align);
}

int kgrind_host_mem_commit(void *addr, unsigned long size)
{
	return kgrind_host->mem_commit(addr, size);
}

void *kgrind_host_mem_reserve_readable(unsigned long size)
{
	return kgrind_host->mem_reserve_readable(size);
}

void kgrind_host_mem_free(void *addr, unsigned long size)
{
	kgrind_host->mem_free(addr, size);
}

void kgrind_host_print(const char *text, int len)
{
	kgrind_host->print(text, len);
}

void kgrind_host_for_each_data_segment(void (*fn)(const void *start,
						  unsigned long len, void *arg),
				       void *arg)
{
	kgrind_host->for_each_data_segment(fn, arg);
}
