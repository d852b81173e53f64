/* SPDX-License-Identifier: GPL-2.0 */
/* Test points and forks marked in memcheck's XML (tap_marks.c). */
#ifndef KG_TAP_MARKS_H
#define KG_TAP_MARKS_H

#include <stdio.h>

/* What the program wrote to fd (1 or 2): each result line it ends is marked. */
void kg_tap_marks(int fd, const void *buf, unsigned long len);
/* After a fork: the child's pid in the parent, 0 in the child. */
void kg_tap_mark_fork(long pid);
/* Kernel faults the console shows are kept from here on, ... */
void kg_tap_watch_faults(void);
/* ... marked as before the program until this is called, ... */
void kg_tap_program_starts(void);
/* ... and written to the run's report, each with the results before it. */
void kg_tap_report_faults(FILE *file);

#endif
