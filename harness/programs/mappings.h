/* SPDX-License-Identifier: GPL-2.0 */
/* The program's mappings of the kernel's files (mappings.c). */
#ifndef KG_MAPPINGS_H
#define KG_MAPPINGS_H

/* A mapping the kernel made for the program. */
void kg_mapping_add(unsigned long start, unsigned long len, int shared);
/* Non-zero when addr is in one: the kernel's memory, its calls the kernel's. */
int kg_mapping_owns(unsigned long addr);
/* After the kernel unmapped the mapping at start. */
void kg_mapping_unmapped(unsigned long start);
/* Before a fork: each shared mapping's pages onto memory the copy shares.
 * 0 or a negative errno. */
int kg_mappings_share(void);

#endif
