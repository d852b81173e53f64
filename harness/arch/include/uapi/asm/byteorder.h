/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_ASM_KGRIND_BYTEORDER_H
#define _UAPI_ASM_KGRIND_BYTEORDER_H
/* kgrind runs on x86-64 hosts only. */
#include <linux/byteorder/little_endian.h>
#endif
