/* SPDX-License-Identifier: GPL-2.0 */
/* What the suite runner's parts share. */
#ifndef KG_SUITE_INTERNAL_H
#define KG_SUITE_INTERNAL_H

/* Adds a failure message to the running test (printf-style). */
void kg_test_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The running test's failure messages so far (malloc'd, or NULL); cleared. */
char *kg_test_take_messages(void);

/* memcheck.c: attribution of memcheck's reports to the running test. */
struct kg_mc_counts {
	unsigned long errors;	/* errors memcheck counted, claimed or not */
	unsigned long claimed;	/* of those, claimed by the test */
	unsigned long leaked;	/* new definitely lost bytes, not claimed */
	unsigned long reports;	/* reports memcheck wrote in its XML */
};
void kg_mc_init(void);
void kg_mc_end(struct kg_mc_counts *counts);
void kg_mc_after_boot(struct kg_mc_counts *counts);
/* The halt test claims what tests expected at halt (kg_memcheck_expect_at_halt). */
void kg_mc_claim_at_halt(void);

/*
 * kunit_verdict.c: memcheck's verdict on a KUnit case (the kernel's
 * kunit_case_end host operation), which kg_kunit_enable() installs for
 * the next kg_boot().
 */
struct kg_kunit_case;
long kg_kunit_case_end(struct kg_kunit_case *kc);
void kg_kunit_enable(void);

/* failsweep.c: make failsweep's steps (kg_suite.c's --fail-nth). */
int kg_failsweep_configure(void);
void kg_failsweep_begin(unsigned int nth);
long kg_failsweep_end(void);

/* watchdog.c: a test that runs too long ends the process. */
void kg_watchdog_start(double timeout_s);
void kg_watchdog_arm(void);
void kg_watchdog_disarm(void);
void kg_watchdog_stop(void);

/* results.c: JSON events for scripts/kgrun.py (path NULL: none). */
void kg_results_open(const char *path);
void kg_results_close(void);
void kg_results_event(const char *event, int index, const char *name,
		      const char *status, const char *detail,
		      double seconds, const struct kg_mc_counts *mc);
/* A sweep step's test: fault site nth failed, injected faults made. */
void kg_results_step(int index, unsigned int nth);
void kg_results_injected(int index, unsigned int nth, long injected);
/* The running test died (fatal kernel error or timeout): say so, then exit. */
void kg_results_fatal(const char *why, const char *console);

#endif
