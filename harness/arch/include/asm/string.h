/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_STRING_H
#define _ASM_KGRIND_STRING_H
/* The generic C string functions of lib/string.c serve. */
#endif
