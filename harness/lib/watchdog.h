/* SPDX-License-Identifier: GPL-2.0 */
/* watchdog.c: a test that runs too long ends the process. */
#ifndef KG_WATCHDOG_H
#define KG_WATCHDOG_H

void kg_watchdog_start(double timeout_s);
void kg_watchdog_arm(void);
void kg_watchdog_disarm(void);
void kg_watchdog_stop(void);

#endif
