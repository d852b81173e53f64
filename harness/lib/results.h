/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results.c: the runner's events, one JSON object per line, for
 * scripts/kgrun (path NULL: none).
 */
#ifndef KG_RESULTS_H
#define KG_RESULTS_H

#include <sys/types.h>

struct kg_mc_counts;

void kg_results_open(const char *path);
void kg_results_close(void);
void kg_results_forked(void);
/* The next result is of a test whose forked copy (pid) ended without it. */
void kg_results_copy(pid_t pid);
void kg_results_event(const char *event, int index, const char *name,
		      const char *status, const char *detail,
		      double seconds, const struct kg_mc_counts *mc);
/* A test's result, with its failure messages and memcheck reports. */
void kg_results_test(int index, const char *name, const char *status,
		     double seconds, const struct kg_mc_counts *mc);
/* A sweep step's test: fault site nth failed, injected faults made. */
void kg_results_step(int index, unsigned int nth);
void kg_results_injected(int index, unsigned int nth, long injected);
/* The running test died (fatal kernel error or timeout): say so, then exit. */
void kg_results_fatal(const char *why, const char *console);

#endif
