/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* asm-generic system call numbers, generated from the kernel tree's scripts/syscall.tbl. */
#include <asm/unistd_64.h>
