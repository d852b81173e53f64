/* SPDX-License-Identifier: GPL-2.0 */
/*
 * failsweep.c: make failsweep's side in the suite runner: its options
 * (--fail-*) and a step's arming of the kernel's fail-nth.
 */
#ifndef KG_FAILSWEEP_H
#define KG_FAILSWEEP_H

struct kg_failsweep_options {
	unsigned int nth;		/* --fail-nth: 0, or a sweep step */
	unsigned int steps, stride;	/* --fail-steps, --fail-stride */
};

/* 1 if arg is a --fail-* option (stored in o), 0 if it is not. */
int kg_failsweep_option(const char *arg, struct kg_failsweep_options *o);
/* The options' defaults where the command line gave none. */
void kg_failsweep_defaults(struct kg_failsweep_options *o);
/* The options' lines of the runner's usage. */
extern const char kg_failsweep_usage[];

/* After boot: 0, or why the kernel cannot sweep (a message is added). */
int kg_failsweep_configure(void);
void kg_failsweep_begin(unsigned int nth);
long kg_failsweep_end(void);

#endif
