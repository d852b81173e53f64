// SPDX-License-Identifier: GPL-2.0
/*
 * Everything the kernel prints passes here: kept in a tail buffer, echoed
 * when verbose, and scanned line by line for the markers of a kernel
 * fault, whose excerpt the tests can read.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kgrind.h"
#include "console.h"

#define KG_TAIL_SIZE	16384
#define KG_EXCERPT_SIZE	8192
#define KG_LINE_SIZE	1024

static pthread_mutex_t kg_console_lock = PTHREAD_MUTEX_INITIALIZER;
static int kg_verbose;
static char kg_tail[KG_TAIL_SIZE];
static size_t kg_tail_len;
static char kg_line[KG_LINE_SIZE];
static size_t kg_line_len;
static int kg_faults;
static char kg_excerpt[KG_EXCERPT_SIZE];
static size_t kg_excerpt_len;
static char kg_tail_copy[KG_TAIL_SIZE];
static void (*kg_fatal_hook)(const char *why, const char *tail);
static void (*kg_fault_line_hook)(const char *line, size_t len);

static const char *const kg_fault_markers[] = {
	"WARNING:", "BUG:", "Oops", "Kernel panic", "general protection",
	"Unable to handle", NULL,
};

static void kg_append(char *buf, size_t *len, size_t size, const char *s,
		      size_t n, int keep_head)
{
	if (n >= size)
		n = size - 1;
	if (*len + n >= size) {
		if (keep_head)
			n = size - 1 - *len;
		else {
			size_t drop = *len + n - (size - 1);

			memmove(buf, buf + drop, *len - drop);
			*len -= drop;
		}
	}
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

static int kg_is_fault_line(const char *line, size_t n)
{
	int i;

	for (i = 0; kg_fault_markers[i]; i++)
		if (memmem(line, n, kg_fault_markers[i],
			   strlen(kg_fault_markers[i])))
			return 1;
	return 0;
}

static void kg_console_line(const char *line, size_t n)
{
	if (kg_is_fault_line(line, n)) {
		if (!kg_faults)
			kg_excerpt_len = 0;
		kg_faults++;
		if (kg_fault_line_hook)
			kg_fault_line_hook(line, n);
	}
	if (kg_faults)
		kg_append(kg_excerpt, &kg_excerpt_len, sizeof(kg_excerpt),
			  line, n, 1);
}

void kg_console_on_fault_line(void (*fn)(const char *line, size_t len))
{
	kg_fault_line_hook = fn;
}

static int kg_console_fd = -1;

void kg_console_copy_to(int fd)
{
	kg_console_fd = fd;
}

void kg_console_print(const char *text, int len)
{
	int i;

	pthread_mutex_lock(&kg_console_lock);
	if (kg_verbose)
		fwrite(text, 1, len, stderr);
	if (kg_console_fd >= 0 && write(kg_console_fd, text, len) < 0)
		kg_console_fd = -1;
	kg_append(kg_tail, &kg_tail_len, sizeof(kg_tail), text, len, 0);
	for (i = 0; i < len; i++) {
		if (kg_line_len < sizeof(kg_line) - 1)
			kg_line[kg_line_len++] = text[i];
		if (text[i] == '\n') {
			kg_console_line(kg_line, kg_line_len);
			kg_line_len = 0;
		}
	}
	pthread_mutex_unlock(&kg_console_lock);
}

/* The kernel cannot go on: say why, with what it printed, and leave. */
void kg_console_panic(const char *msg)
{
	if (kg_fatal_hook)
		kg_fatal_hook(msg, kg_tail);
	fprintf(stderr, "kgrind: fatal kernel error: %s\n--- kernel console (tail) ---\n%s\n---\n",
		msg, kg_tail);
	fflush(NULL);
	_exit(2);
}

/*
 * Without an MMU a bad kernel pointer is a host fault: report it like an
 * oops, with the console, instead of dying silently.
 */
static int (*kg_crash_filter)(void);

void kg_console_set_crash_filter(int (*is_kernel)(void))
{
	kg_crash_filter = is_kernel;
}

static void kg_crash_handler(int sig, siginfo_t *info, void *ctx)
{
	char msg[96];

	(void)ctx;
	/* SA_RESETHAND left the default action: the fault, again, kills. */
	if (kg_crash_filter && !kg_crash_filter())
		return;
	snprintf(msg, sizeof(msg), "Oops: host signal %d (%s) at address %p",
		 sig, strsignal(sig), info->si_addr);
	kg_console_panic(msg);
}

void kg_console_set_fatal_hook(void (*hook)(const char *why, const char *tail))
{
	kg_fatal_hook = hook;
}

void kg_console_catch_crashes(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = kg_crash_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
}

void kg_console_reset(int verbose)
{
	pthread_mutex_lock(&kg_console_lock);
	kg_verbose = verbose;
	kg_tail_len = kg_line_len = kg_excerpt_len = 0;
	kg_tail[0] = kg_excerpt[0] = '\0';
	kg_faults = 0;
	pthread_mutex_unlock(&kg_console_lock);
}

int kg_fault_count(void)
{
	int n;

	pthread_mutex_lock(&kg_console_lock);
	n = kg_faults;
	pthread_mutex_unlock(&kg_console_lock);
	return n;
}

const char *kg_fault_excerpt(void)
{
	return kg_excerpt;
}

void kg_fault_clear(void)
{
	pthread_mutex_lock(&kg_console_lock);
	kg_faults = 0;
	kg_excerpt_len = 0;
	kg_excerpt[0] = '\0';
	pthread_mutex_unlock(&kg_console_lock);
}

/* The last lines of the console: where the kernel was when it died. */
const char *kg_console_last_lines(const char *text, int lines)
{
	const char *p = text + strlen(text);

	if (p > text && p[-1] == '\n')
		p--;
	while (p > text && lines) {
		p--;
		if (*p == '\n' && !--lines)
			return p + 1;
	}
	return text;
}

const char *kg_console_tail(void)
{
	pthread_mutex_lock(&kg_console_lock);
	memcpy(kg_tail_copy, kg_tail, kg_tail_len + 1);
	pthread_mutex_unlock(&kg_console_lock);
	return kg_tail_copy;
}
