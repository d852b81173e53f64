// SPDX-License-Identifier: GPL-2.0
/* Room for one more element of an array on the heap. */
#include <stdlib.h>
#include "grow.h"

void *kg_grow(void *array, int *cap, int n, size_t size)
{
	int more;

	if (n < *cap)
		return array;
	more = *cap ? 2 * *cap : 16;
	array = realloc(array, more * size);
	if (array)
		*cap = more;
	return array;
}
