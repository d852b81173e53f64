/* SPDX-License-Identifier: GPL-2.0 */
/* memcheck's reports as the runner keeps them (memcheck.c, memcheck_repeats.c). */
#ifndef KG_MEMCHECK_INTERNAL_H
#define KG_MEMCHECK_INTERNAL_H

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
};

/* Fails the running test with the report: kind, what, frames, aux. */
void kg_mc_report(const struct kg_mc_error *e, const char *note);
/* The same text, into out. */
void kg_mc_format(char *out, size_t size, const struct kg_mc_error *e, const char *note);
/* Whether a frame of the report's stack is the function fn. */
int kg_mc_error_names(const struct kg_mc_error *e, const char *fn);
/*
 * kg_mc_end(), with claim() asked about each report not claimed yet
 * (errors and leaks): a report it claims fails no test.
 */
struct kg_mc_counts;
void kg_mc_end_claiming(struct kg_mc_counts *counts,
			int (*claim)(const struct kg_mc_error *e, void *arg), void *arg);

/*
 * memcheck prints an error once, at its first occurrence, and then only
 * counts it.  These name the repeats: remember() keeps each report as it
 * is parsed; report_repeats() fails the running test with each error
 * memcheck counted again since the last call, and returns how many
 * repeats it named (0 when memcheck's log is not at hand).
 */
void kg_mc_repeats_init(void);
void kg_mc_remember(const struct kg_mc_error *e);
unsigned long kg_mc_report_repeats(void);

#endif
