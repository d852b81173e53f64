/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _UAPI_ASM_KGRIND_PTRACE_H
#define _UAPI_ASM_KGRIND_PTRACE_H
/* A host thread has no user registers the kernel could show. */
#endif
