/* SPDX-License-Identifier: GPL-2.0 */
/* kgbench's parts (kgbench_io.c): each prints its figures; 0 if it ran. */
#ifndef KGBENCH_H
#define KGBENCH_H

int bench_ext4(const char *dir);
int bench_tcp(void);

#endif
