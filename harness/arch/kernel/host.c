// SPDX-License-Identifier: GPL-2.0
/* The host-operations table handed over at boot. */
#include <asm/kgrind.h>

const struct kg_host_ops *kgrind_host;
bool kgrind_halting;
