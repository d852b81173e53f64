/* SPDX-License-Identifier: GPL-2.0 */
/* Test points and forks marked in memcheck's XML (tap_marks.c). */
#ifndef KG_TAP_MARKS_H
#define KG_TAP_MARKS_H

/* What the program wrote to fd (1 or 2): each result line it ends is marked. */
void kg_tap_marks(int fd, const void *buf, unsigned long len);
/* In the parent, after a fork: the child's pid. */
void kg_tap_mark_fork(long pid);

#endif
