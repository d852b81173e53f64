// SPDX-License-Identifier: GPL-2.0
/* A host command a suite runs (mkfs, fsck, cp), quietly. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "kg_suite.h"

int kg_host_run(const char *fmt, const char *arg)
{
	char cmd[2 * PATH_MAX];
	int status;

	snprintf(cmd, sizeof(cmd), fmt, arg);
	strncat(cmd, " >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	status = system(cmd);
	return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
