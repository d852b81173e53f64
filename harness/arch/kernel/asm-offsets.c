// SPDX-License-Identifier: GPL-2.0
/* kgrind has no assembly, so it needs no structure offsets. */
#include <linux/kbuild.h>

int main(void)
{
	return 0;
}
