// SPDX-License-Identifier: GPL-2.0
/*
 * libkgrind-run.so, which scripts/kgrind-run preloads into a program:
 * before the program's main, it boots the library kernel in the
 * program's process, gives it the program's standard streams, attaches
 * and mounts the disks asked for, and turns every system call of the
 * program's code into a trap the bridge serves (sites.c, bridge.c).  At
 * the program's exit the kernel halts, and the run's report (the calls
 * the kernel does not serve) is written.
 *
 * Its settings come from the environment kgrind-run sets:
 *   KGRIND_RUN_CONSOLE  file for the kernel's console
 *   KGRIND_RUN_REPORT   file for the run's report
 *   KGRIND_RUN_CMDLINE  more kernel options
 *   KGRIND_RUN_DISKS    image:dir:type:ro|rw, several separated by ';'
 *   KGRIND_RUN_PROGRAM  the program's path: another process the preload
 *                       reaches (valgrind's launcher script) is left alone
 *   KGRIND_RUN_TMPDIR   under memcheck, the TMPDIR the program had
 *   KGRIND_RUN_COPY_IN  lines of "host<TAB>kernel": copied in first
 *   KGRIND_RUN_COPY_OUT lines of "kernel<TAB>host": copied out at the end
 * A failure here ends the process with status 125 and a one-line reason.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include <valgrind/memcheck.h>
#include "kgrind.h"
#include "kgrind_host_ops.h"
#include "kg_host.h"
#include "bridge.h"
#include "copy.h"
#include "sites.h"
#include "tap_marks.h"
#include "../lib/console.h"

#define KG_RUN_FAILED 125

static void __attribute__((noreturn)) kg_run_fail(const char *fmt, const char *what,
						  const char *why)
{
	fprintf(stderr, "kgrind-run: ");
	fprintf(stderr, fmt, what, why);
	fputc('\n', stderr);
	_exit(KG_RUN_FAILED);
}

/* The disks' mount points, unmounted at exit so the images are clean. */
#define KG_RUN_MAX_DISKS 16
static char *kg_run_disk_dirs[KG_RUN_MAX_DISKS];
static int kg_run_disk_count;

/* "image:dir:type:ro" each: attached, and mounted at dir. */
static void kg_run_disks(char *list)
{
	char *save = NULL, *disk;

	for (disk = strtok_r(list, ";", &save); disk; disk = strtok_r(NULL, ";", &save)) {
		char *image = disk, *dir = strchr(image, ':'), *type, *mode, dev[32];
		int n, read_only;
		long err;

		if (!dir || !(type = strchr(dir + 1, ':')) || !(mode = strchr(type + 1, ':')))
			kg_run_fail("bad disk %s%s", disk, "");
		*dir++ = '\0';
		*type++ = '\0';
		*mode++ = '\0';
		read_only = !strcmp(mode, "ro");
		n = kg_disk_add(image, read_only);
		if (n < 0)
			kg_run_fail("cannot attach %s: %s", image, strerror(-n));
		/* Written back at the halt: a crash leaves the image as it was. */
		if (kg_host_disks_overlay())
			kg_run_fail("no memory for %s's copy of its writes%s", image, "");
		snprintf(dev, sizeof(dev), "/dev/kgdisk%d", n);
		err = kg_copy_mkdirs(dir);
		if (err)
			kg_run_fail("cannot make %s in the kernel: %s", dir, strerror(-err));
		if (kg_run_disk_count == KG_RUN_MAX_DISKS)
			kg_run_fail("more than 16 disks: %s%s", image, "");
		err = kg_mount(dev, dir, type, read_only ? MS_RDONLY : 0, NULL);
		if (err)
			kg_run_fail("cannot mount %s: %s", image, strerror(-err));
		kg_run_disk_dirs[kg_run_disk_count++] = dir;
	}
}

/* What a program expects to find mounted. */
static void kg_run_mounts(void)
{
	static const struct {
		const char *dir, *type;
	} mounts[] = {
		{ "/proc", "proc" }, { "/sys", "sysfs" }, { "/dev", "devtmpfs" },
		{ "/dev/shm", "tmpfs" }, { "/tmp", "tmpfs" }, { "/run", "tmpfs" },
	};

	/* Where a kernel built with them has them: its own mount points. */
	static const struct {
		const char *dir, *type;
	} optional[] = {
		{ "/dev/pts", "devpts" }, { "/sys/kernel/security", "securityfs" },
	};
	/* Empty directories every Linux root has, which tests mount on. */
	static const char *const dirs[] = { "/mnt", "/media", "/home", "/var/tmp" };
	unsigned int i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		long err = kg_copy_mkdirs(dirs[i]);

		if (err)
			kg_run_fail("cannot make %s in the kernel: %s", dirs[i], strerror(-err));
	}
	for (i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		long err = kg_copy_mkdirs(mounts[i].dir);

		if (!err)
			err = kg_mount("none", mounts[i].dir, mounts[i].type, 0, NULL);
		if (err && err != -EBUSY)
			kg_run_fail("cannot mount %s in the kernel: %s", mounts[i].dir,
				    strerror(-err));
	}
	for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
		long err;

		kg_copy_mkdirs(optional[i].dir);	/* sysfs makes its own: EEXIST */
		err = kg_mount("none", optional[i].dir, optional[i].type, 0, NULL);

		if (err && err != -EBUSY && err != -ENODEV && err != -ENOENT)
			kg_run_fail("cannot mount %s in the kernel: %s", optional[i].dir,
				    strerror(-err));
	}
}

/*
 * Under memcheck, what the kernel leaked while the program ran: a leak
 * check when it starts, and one of what was added at its exit; the
 * messages between tell kgrind-run which reports are the run's.
 * valgrind's own check at exit would repeat the halted kernel's memory.
 */
#define KG_RUN_STARTS "kgrind-run: the program starts\n"
#define KG_RUN_ENDED "kgrind-run: the program ended\n"

static pid_t kg_run_pid;	/* the program's first process */

/*
 * --copy-in and --copy-out, as kgrind-run passes them: lines of
 * "from<TAB>to".  A copy in that fails stops the run before the program
 * starts; a copy out that fails is said, and the others go on.
 */
static void kg_run_copies(const char *list, int in)
{
	char *copy = list ? strdup(list) : NULL, *save = NULL, *line, why[512];

	for (line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *to = strchr(line, '\t');

		if (!to)
			continue;
		*to++ = '\0';
		if (in && kg_copy_in(line, to, why, sizeof(why)))
			kg_run_fail("--copy-in %s: %s", line, why);
		if (!in && kg_copy_out(line, to, why, sizeof(why)))
			fprintf(stderr, "kgrind-run: --copy-out %s: %s\n", line, why);
	}
	free(copy);
}

static void kg_run_halt(void)
{
	const char *report = getenv("KGRIND_RUN_REPORT");
	char path[4096];
	int err;
	FILE *f;

	if (RUNNING_ON_VALGRIND) {
		kg_kernel_page_leak_check();
		VALGRIND_DO_ADDED_LEAK_CHECK;
		VALGRIND_PRINTF(KG_RUN_ENDED);
	}
	if (getpid() == kg_run_pid)
		kg_run_copies(getenv("KGRIND_RUN_COPY_OUT"), 0);
	/* The program's files and working directory keep no disk busy. */
	kg_close_range(3, ~0U, 0);
	kg_chdir("/");
	while (kg_run_disk_count--) {
		const char *dir = kg_run_disk_dirs[kg_run_disk_count];

		/* Still in use (a thread's open file): detached, then synced. */
		if (kg_umount(dir, 0))
			kg_umount(dir, MNT_DETACH);
	}
	err = kg_halt();
	VALGRIND_CLO_CHANGE("--leak-check=no");

	if (!report)
		return;
	/* A forked child's report is its own. */
	if (getpid() != kg_run_pid)
		snprintf(path, sizeof(path), "%s.%d", report, (int)getpid());
	else
		snprintf(path, sizeof(path), "%s", report);
	f = fopen(path, "w");
	if (!f)
		return;
	if (err)
		fprintf(f, "halt %s\n", strerror(-err));
	kg_bridge_report(f);
	kg_tap_report_faults(f);
	fclose(f);
}

/*
 * The kernel crashed (a bad pointer is a host fault without an MMU, or
 * it panicked): the process dies of SIGABRT, as a crashed program would,
 * so that a parent waiting for it (a test harness) sees a crash, not an
 * exit status of its own.
 */
static void kg_run_fatal(const char *why, const char *tail)
{
	fprintf(stderr, "kgrind-run: the kernel crashed: %s\n--- kernel console (tail) ---\n%s\n---\n",
		why, tail);
	fflush(stderr);
	abort();
}

/* Under memcheck TMPDIR was valgrind's (kgrind-run): the program's again. */
static void kg_run_restore_tmpdir(void)
{
	const char *was = getenv("KGRIND_RUN_TMPDIR");

	if (!was)
		return;
	if (*was)
		setenv("TMPDIR", was, 1);
	else
		unsetenv("TMPDIR");
}

__attribute__((constructor)) static void kg_run_start(void)
{
	struct kg_boot_options options = { 0 };
	const char *console = getenv("KGRIND_RUN_CONSOLE");
	const char *program = getenv("KGRIND_RUN_PROGRAM");
	char why[256], exe[4096], here[4096], cmdline[1024], *disks, *self, *cwd;
	long err;
	int n;

	self = realpath("/proc/self/exe", exe);
	if (!program || !self || strcmp(self, program))
		return;
	kg_run_pid = getpid();
	kg_run_restore_tmpdir();

	if (console) {
		int fd = open(console, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0)
			kg_run_fail("cannot write %s: %s", console, strerror(errno));
		kg_console_copy_to(fd);
	}
	/* The program's pid and tids are its tasks' in the kernel. */
	snprintf(cmdline, sizeof(cmdline), "kgrind_program=1 %s",
		 getenv("KGRIND_RUN_CMDLINE") ?: "");
	options.cmdline = cmdline;
	kg_console_set_fatal_hook(kg_run_fatal);
	/* A fault in the program's own code is the program's crash. */
	kg_console_set_crash_filter(kg_bridge_in_kgrind);
	kg_tap_watch_faults();
	err = kg_boot(&options);
	if (err)
		kg_run_fail("the library kernel did not boot: %s%s", strerror(-err), "");
	kg_run_mounts();
	/* Its name, as execve gives it: /proc/self/comm, ps, the console. */
	kg_set_name(program_invocation_short_name);
	/*
	 * The program starts in a kernel directory with its host working
	 * directory's path (empty, made before any disk is mounted, so no
	 * image gets it), as tests make their files relative to it.
	 */
	cwd = getcwd(here, sizeof(here));
	if (cwd && kg_copy_mkdirs(cwd))
		cwd = NULL;
	/* As an init would: the loopback interface is up. */
	err = kg_netif_up("lo");
	if (err && err != -ENODEV)
		kg_run_fail("cannot bring lo up in the kernel: %s%s", strerror(-err), "");
	err = kg_call("kgrind_host_stdio", 0);
	if (err)
		kg_run_fail("no standard streams in the kernel: %s%s", strerror(-err), "");
	disks = getenv("KGRIND_RUN_DISKS");
	if (disks && *disks)
		kg_run_disks(strdup(disks));
	kg_run_copies(getenv("KGRIND_RUN_COPY_IN"), 1);
	if (cwd)
		kg_chdir(cwd);
	kg_bridge_at_exit = kg_run_halt;
	err = kg_bridge_start();
	if (err)
		kg_run_fail("cannot catch the traps: %s%s", strerror(-err), "");
	/*
	 * The baseline for the check at the end (which reports what was
	 * added since): counted, not reported.  A full check here would make
	 * boot's blocks nothing points to into errors, which a forked child
	 * that dies of a signal (a harness's failed assertion) inherits and
	 * valgrind lists again at its end.
	 */
	if (RUNNING_ON_VALGRIND) {
		if (kg_kernel_page_leak_check() < 0)
			kg_run_fail("%s%s", "the page leak scan does not reach the kernel's data",
				    "");
		VALGRIND_DO_QUICK_LEAK_CHECK;
		VALGRIND_PRINTF(KG_RUN_STARTS);
	}
	kg_tap_program_starts();
	/* Last: from here on, what this thread asks of the C library is
	 * the program's, served by the bridge. */
	n = kg_sites_patch(why, sizeof(why));
	if (n < 0)
		kg_run_fail("%s%s", why, "");
}
