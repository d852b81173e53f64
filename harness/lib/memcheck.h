/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memcheck's reports as the runner keeps them, and their attribution to
 * the running test: memcheck.c reads memcheck's XML and counts (it calls
 * memcheck_repeats.c and memcheck_report.c); memcheck_report.c formats a
 * report and fails the test with it (a leaf, but for test_messages.c).
 */
#ifndef KG_MEMCHECK_H
#define KG_MEMCHECK_H

#include <stddef.h>

#define KG_MC_MAX_FRAMES	24
#define KG_MC_MAX_AUX_FRAMES	12
#define KG_MC_FIELD		256

struct kg_mc_frame {
	char fn[KG_MC_FIELD];
	char file[KG_MC_FIELD];
	int line;
};

struct kg_mc_error {
	char kind[64];
	char what[KG_MC_FIELD];
	struct kg_mc_frame frames[KG_MC_MAX_FRAMES];
	int nframes;
	/* What memcheck says of the address (the block, its free), and where. */
	char auxwhat[KG_MC_FIELD];
	struct kg_mc_frame aux[KG_MC_MAX_AUX_FRAMES];
	int naux;
	unsigned long leaked;
	int claimed;
	int folded;	/* more reports of the same call's formatting (vsprintf) */
};

/* What memcheck said during a test, as the runner counts it. */
struct kg_mc_counts {
	unsigned long errors;	/* errors memcheck counted, claimed or not */
	unsigned long claimed;	/* of those, claimed by the test */
	unsigned long leaked;	/* new definitely lost bytes, not claimed */
	unsigned long reports;	/* reports memcheck wrote in its XML */
};

/* memcheck.c */
void kg_mc_init(void);
/* In a forked child: its own XML file; reports from here on are its own. */
void kg_mc_after_fork(void);
/* 1 while kernel code calls: the kernel cannot be entered again. */
void kg_mc_called_by_kernel(int yes);
void kg_mc_end(struct kg_mc_counts *counts);
/*
 * kg_mc_end(), with claim() asked about each report not claimed yet
 * (errors and leaks): a report it claims fails no test.
 */
void kg_mc_end_claiming(struct kg_mc_counts *counts,
			int (*claim)(const struct kg_mc_error *e, void *arg), void *arg);
void kg_mc_after_boot(struct kg_mc_counts *counts);
/* The halt test claims what tests expected at halt (kg_memcheck_expect_at_halt). */
void kg_mc_claim_at_halt(void);

/* memcheck_report.c */
/* Fails the running test with the report: kind, what, frames, aux. */
void kg_mc_report(const struct kg_mc_error *e, const char *note);
/* The same text, into out. */
void kg_mc_format(char *out, size_t size, const struct kg_mc_error *e, const char *note);
/* Whether a frame of the stack is the function fn. */
int kg_mc_stack_names(const struct kg_mc_frame *frames, int n, const char *fn);

/*
 * memcheck_repeats.c: memcheck prints an error once, at its first
 * occurrence, and then only counts it.  These name the repeats:
 * remember() keeps each report as it is parsed; report_repeats() fails
 * the running test with each error memcheck counted again since the
 * last call, and returns how many repeats it named (0 when memcheck's
 * log is not at hand).
 */
void kg_mc_repeats_init(void);
void kg_mc_remember(const struct kg_mc_error *e);
unsigned long kg_mc_report_repeats(void);

#endif
