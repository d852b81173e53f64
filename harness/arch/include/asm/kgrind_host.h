/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's operations as the kernel side calls them: the table handed
 * to kg_kernel_start(), and wrappers of the calls the allocators make
 * (harness/arch/kernel/host.c).  Everything here calls down to the host,
 * never back into the arch or the allocators.
 */
#ifndef _ASM_KGRIND_HOST_H
#define _ASM_KGRIND_HOST_H

#include <linux/types.h>
#include <kgrind_host_ops.h>

extern const struct kg_host_ops *kgrind_host;

void *kgrind_host_mem_reserve(unsigned long size, unsigned long align);
void *kgrind_host_ram_reserve(unsigned long size, unsigned long align);
int kgrind_host_mem_commit(void *addr, unsigned long size);
void kgrind_host_mem_free(void *addr, unsigned long size);
void *kgrind_host_mem_reserve_readable(unsigned long size);
void kgrind_host_print(const char *text, int len);
void kgrind_host_for_each_data_segment(void (*fn)(const void *start,
						  unsigned long len, void *arg),
				       void *arg);

#endif
