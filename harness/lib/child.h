/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A forked child of the running test's kernel (kg_fork), with a pipe to
 * its parent: kg_test_in_child() and the runner's --fork mode.
 */
#ifndef KG_CHILD_H
#define KG_CHILD_H

#include <stddef.h>
#include <sys/types.h>

struct kg_child {
	pid_t pid;
	int fd;		/* the parent reads what the child sends */
	/*
	 * -1, or a file the child writes (its console): kg_child_wait's
	 * time limit then counts from the last time the file grew.
	 */
	int quiet_fd;
};

/*
 * Forks.  In the child (0): the kernel's faults, memcheck's reports and
 * the test's messages start afresh, and a crash of its kernel sends the
 * reason and the console's tail to the parent.  In the parent: the
 * child's pid.  A negative errno when no child was made.
 */
int kg_child_fork(struct kg_child *c);
/* In the child: text for the parent. */
void kg_child_send(const char *text);
/*
 * In the parent: waits for the child to end, killing it after timeout
 * seconds (0: no limit; see quiet_fd).  Returns all the child sent (malloc'd, or NULL
 * if nothing), and says how it ended in why.
 */
char *kg_child_wait(struct kg_child *c, double timeout, int *exit_status,
		    char *why, size_t size);

#endif
