/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel console as the harness sees it: capture, echo, faults. */
#ifndef KG_CONSOLE_H
#define KG_CONSOLE_H

#include <stddef.h>

void kg_console_reset(int verbose);
void kg_console_print(const char *text, int len);
/* The console is written to fd too, as it comes (kgrind-run's file). */
void kg_console_copy_to(int fd);
void kg_console_panic(const char *msg);
void kg_console_catch_crashes(void);
/*
 * NULL, or asked on a host fault whether it is the kernel's: when it
 * says no (a program's own fault under kgrind-run), the process dies of
 * the fault as it would have without kgrind.
 */
void kg_console_set_crash_filter(int (*is_kernel)(void));
/* Called, console locked, with each line that marks a kernel fault. */
void kg_console_on_fault_line(void (*fn)(const char *line, size_t len));
/* Called with the reason and the console tail before a fatal exit. */
void kg_console_set_fatal_hook(void (*hook)(const char *why, const char *tail));
/* The last lines of text: where the kernel was when it died. */
const char *kg_console_last_lines(const char *text, int lines);

#endif
