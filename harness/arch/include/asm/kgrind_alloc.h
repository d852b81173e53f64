/* SPDX-License-Identifier: GPL-2.0 */
/* What the arch code calls in kgrind's allocators (allocators/). */
#ifndef _ASM_KGRIND_ALLOC_H
#define _ASM_KGRIND_ALLOC_H

/* After halt: memcheck forgets the slab objects still allocated. */
void kgslab_forget_all(void);

#endif
