// SPDX-License-Identifier: GPL-2.0
/* Whether the library kernel is down, running or halted. */
#include "kgrind.h"
#include "kernel_state.h"

static enum kg_kernel_state kg_state = KG_DOWN;

enum kg_kernel_state kg_kernel_state(void)
{
	return __atomic_load_n(&kg_state, __ATOMIC_ACQUIRE);
}

void kg_kernel_state_set(enum kg_kernel_state state)
{
	__atomic_store_n(&kg_state, state, __ATOMIC_RELEASE);
}

int kg_is_running(void)
{
	return kg_kernel_state() == KG_RUNNING;
}
