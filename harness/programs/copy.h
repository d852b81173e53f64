/* SPDX-License-Identifier: GPL-2.0 */
/* kgrind-run's --copy-in and --copy-out (copy.c). */
#ifndef KG_COPY_H
#define KG_COPY_H

/* mkdir -p in the kernel: 0 or a negative errno. */
long kg_copy_mkdirs(const char *dir);
/* The host's file or tree at host, to kernel (its parents made): 0, or
 * a negative errno with why[] said. */
int kg_copy_in(const char *host, const char *kernel, char *why, unsigned long size);
/* The kernel's file or tree at kernel, to host: 0, or a negative errno
 * with why[] said. */
int kg_copy_out(const char *kernel, const char *host, char *why, unsigned long size);

#endif
