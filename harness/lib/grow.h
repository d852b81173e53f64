/* SPDX-License-Identifier: GPL-2.0 */
/* grow.c: room for one more element of an array on the heap.  A leaf. */
#ifndef KG_GROW_H
#define KG_GROW_H

#include <stddef.h>

/*
 * array (NULL at first) with room for element n, its *cap doubled when
 * full: the array, perhaps moved, or NULL without memory (array is then
 * as it was).
 */
void *kg_grow(void *array, int *cap, int n, size_t size);

#endif
