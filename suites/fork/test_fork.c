// SPDX-License-Identifier: GPL-2.0
/*
 * The fork suite: one boot, many runs.  A test forks the booted kernel
 * (kg_fork, through kg_test_in_child) and runs its part in the child:
 * the child sees the parent's files on tmpfs and on an ext4 disk, the
 * parent sees none of the child's writes (the disk image neither), a
 * bug the child commits is reported in the child and charged to its
 * test, and both kernels halt cleanly.  The host's fsck checks the
 * image after the halt.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include "kgrind.h"
#include "kg_suite.h"

#define IMAGE_MIB	16
#define TMP_FILE	"/work/parent.txt"
#define DISK_FILE	"/mnt/ext4/parent.txt"
#define PARENT_TEXT	"written by the parent before the fork"

static char image_dir[PATH_MAX - 32];
static char image[PATH_MAX];

static int write_file(const char *path, const char *text)
{
	long fd = kg_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), n;

	if (fd < 0)
		return (int)fd;
	n = kg_write(fd, text, strlen(text));
	kg_close(fd);
	return n == (long)strlen(text) ? 0 : n < 0 ? (int)n : -EIO;
}

/* The file's text, or "" if it cannot be read. */
static const char *file_text(const char *path)
{
	static char buf[256];
	long fd = kg_open(path, O_RDONLY, 0), n;

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	n = kg_read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	kg_close(fd);
	return buf;
}

/* A checksum of the host's image file, to see that nobody wrote it. */
static unsigned long long image_sum(void)
{
	unsigned long long sum = 0;
	unsigned char buf[65536];
	FILE *f = fopen(image, "rb");
	size_t n, i;

	if (!f)
		return 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		for (i = 0; i < n; i++)
			sum = sum * 1099511628211ULL + buf[i];
	fclose(f);
	return sum;
}

/* The tests --------------------------------------------------------------- */

static void child_reads_parent_files(void *unused)
{
	CU_ASSERT_STRING_EQUAL(file_text(TMP_FILE), PARENT_TEXT);
	CU_ASSERT_STRING_EQUAL(file_text(DISK_FILE), PARENT_TEXT);
}

static void test_child_sees_parent_files(void)
{
	CU_ASSERT_EQUAL(kg_test_in_child(child_reads_parent_files, NULL), 0);
}

static void child_writes_tmpfs(void *unused)
{
	CU_ASSERT_EQUAL(write_file(TMP_FILE, "the child's"), 0);
	CU_ASSERT_EQUAL(write_file("/work/child.txt", "the child's"), 0);
	CU_ASSERT_EQUAL(kg_mkdir("/work/child-dir", 0755), 0);
	CU_ASSERT_STRING_EQUAL(file_text(TMP_FILE), "the child's");
}

static void test_parent_sees_no_child_writes_on_tmpfs(void)
{
	struct kg_stat st;

	CU_ASSERT_EQUAL(kg_test_in_child(child_writes_tmpfs, NULL), 0);
	CU_ASSERT_STRING_EQUAL(file_text(TMP_FILE), PARENT_TEXT);
	CU_ASSERT_EQUAL(kg_stat("/work/child.txt", &st), -ENOENT);
	CU_ASSERT_EQUAL(kg_stat("/work/child-dir", &st), -ENOENT);
}

/* Through the disk's own blocks: written, synced, unmounted. */
static void child_writes_disk(void *unused)
{
	CU_ASSERT_EQUAL(write_file(DISK_FILE, "the child's"), 0);
	CU_ASSERT_EQUAL(write_file("/mnt/ext4/child.txt", "the child's"), 0);
	CU_ASSERT_EQUAL(kg_sync(), 0);
	CU_ASSERT_EQUAL_FATAL(kg_umount("/mnt/ext4", 0), 0);
	CU_ASSERT_EQUAL_FATAL(kg_mount("/dev/kgdisk0", "/mnt/ext4", "ext4", 0, NULL), 0);
	CU_ASSERT_STRING_EQUAL(file_text(DISK_FILE), "the child's");
	CU_ASSERT_STRING_EQUAL(file_text("/mnt/ext4/child.txt"), "the child's");
}

static void test_parent_sees_no_child_writes_on_disk(void)
{
	unsigned long long before;
	struct kg_stat st;

	CU_ASSERT_EQUAL_FATAL(kg_sync(), 0);
	before = image_sum();
	CU_ASSERT_EQUAL(kg_test_in_child(child_writes_disk, NULL), 0);
	CU_ASSERT_EQUAL(image_sum(), before);
	CU_ASSERT_STRING_EQUAL(file_text(DISK_FILE), PARENT_TEXT);
	CU_ASSERT_EQUAL(kg_stat("/mnt/ext4/child.txt", &st), -ENOENT);
}

/*
 * The parent writes and syncs the disk while a child lives: the child,
 * reading the disk afresh (a remount), still sees it as it was at the
 * fork, whole, and the parent sees its own write.
 */
static void test_parent_writes_do_not_reach_a_live_child(void)
{
	int go[2], status = -1;
	char byte = 0;
	pid_t pid;

	CU_ASSERT_EQUAL_FATAL(pipe(go), 0);
	pid = kg_fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		int same;

		close(go[1]);
		if (read(go[0], &byte, 1) != 1 || kg_umount("/mnt/ext4", 0) ||
		    kg_mount("/dev/kgdisk0", "/mnt/ext4", "ext4", 0, NULL))
			kg_child_exit(2);
		same = !strcmp(file_text(DISK_FILE), PARENT_TEXT);
		kg_child_exit(same && !kg_halt() ? 0 : 1);
	}
	close(go[0]);
	CU_ASSERT_EQUAL(write_file(DISK_FILE, "the parent's, after the fork"), 0);
	CU_ASSERT_EQUAL(kg_sync(), 0);
	CU_ASSERT_EQUAL(write(go[1], &byte, 1), 1);
	close(go[1]);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CU_ASSERT_STRING_EQUAL(file_text(DISK_FILE), "the parent's, after the fork");
	CU_ASSERT_EQUAL(write_file(DISK_FILE, PARENT_TEXT), 0);
}

/* A grandchild's disk is its parent's, copied: writes stay with it. */
static void grandchild_overwrites(void *unused)
{
	CU_ASSERT_STRING_EQUAL(file_text(DISK_FILE), "the child's");
	CU_ASSERT_EQUAL(write_file(DISK_FILE, "the grandchild's"), 0);
	CU_ASSERT_EQUAL(kg_sync(), 0);
}

static void child_forks_again(void *unused)
{
	CU_ASSERT_EQUAL(write_file(DISK_FILE, "the child's"), 0);
	CU_ASSERT_EQUAL(kg_sync(), 0);
	CU_ASSERT_EQUAL(kg_test_in_child(grandchild_overwrites, NULL), 0);
	CU_ASSERT_STRING_EQUAL(file_text(DISK_FILE), "the child's");
}

static void test_grandchild_writes_stay_its_own(void)
{
	unsigned long long before;

	CU_ASSERT_EQUAL_FATAL(kg_sync(), 0);
	before = image_sum();
	CU_ASSERT_EQUAL(kg_test_in_child(child_forks_again, NULL), 0);
	CU_ASSERT_EQUAL(image_sum(), before);
	CU_ASSERT_STRING_EQUAL(file_text(DISK_FILE), PARENT_TEXT);
}

static void child_uses_after_free(void *unused)
{
	kg_call("fork_use_after_free", 7);
	CU_ASSERT(kg_memcheck_expect_freed_in("InvalidRead", "fork_use_after_free",
					      "fork_use_after_free"));
}

/* The parent's own check at the test's end sees nothing of it. */
static void test_child_use_after_free_is_the_childs(void)
{
	KG_NEEDS_MEMCHECK();
	CU_ASSERT_EQUAL(kg_test_in_child(child_uses_after_free, NULL), 0);
}

static void child_leaks(void *unused)
{
	CU_ASSERT_EQUAL(kg_call("fork_leak", 3), 0);
	CU_ASSERT(kg_memcheck_expect("Leak_DefinitelyLost", "fork_leak"));
}

static void test_child_leak_is_the_childs(void)
{
	KG_NEEDS_MEMCHECK();
	CU_ASSERT_EQUAL(kg_test_in_child(child_leaks, NULL), 0);
}

/*
 * Another host thread's task: gone in the child, which has no thread
 * to run it; still there in the parent.
 */
struct other_thread {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long tid;
	int done;
};

static void *other_thread_main(void *arg)
{
	struct other_thread *o = arg;

	pthread_mutex_lock(&o->lock);
	o->tid = kg_gettid();
	pthread_cond_signal(&o->cond);
	while (!o->done)
		pthread_cond_wait(&o->cond, &o->lock);
	pthread_mutex_unlock(&o->lock);
	return NULL;
}

static void child_lacks_task(void *arg)
{
	char path[64];
	struct kg_stat st;

	snprintf(path, sizeof(path), "/proc/1/task/%ld", *(long *)arg);
	CU_ASSERT_EQUAL(kg_stat(path, &st), -ENOENT);
}

static void test_other_threads_tasks_end_in_child(void)
{
	struct other_thread o = { .lock = PTHREAD_MUTEX_INITIALIZER,
				  .cond = PTHREAD_COND_INITIALIZER };
	struct kg_stat st;
	char path[64];
	pthread_t t;

	CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, other_thread_main, &o), 0);
	pthread_mutex_lock(&o.lock);
	while (!o.tid)
		pthread_cond_wait(&o.cond, &o.lock);
	pthread_mutex_unlock(&o.lock);
	CU_ASSERT(o.tid > 0);
	snprintf(path, sizeof(path), "/proc/1/task/%ld", o.tid);
	CU_ASSERT_EQUAL(kg_stat(path, &st), 0);

	CU_ASSERT_EQUAL(kg_test_in_child(child_lacks_task, &o.tid), 0);
	CU_ASSERT_EQUAL(kg_stat(path, &st), 0);

	pthread_mutex_lock(&o.lock);
	o.done = 1;
	pthread_cond_signal(&o.cond);
	pthread_mutex_unlock(&o.lock);
	pthread_join(t, NULL);
}

/* Refused while another host thread is inside the kernel. */
struct sleeper {
	long fd;
	long ret;
};

static void *sleeper_main(void *arg)
{
	struct sleeper *s = arg;
	char c;

	s->ret = kg_read(s->fd, &c, 1);
	return NULL;
}

static void test_fork_refused_while_a_call_runs(void)
{
	struct sleeper s = { 0 };
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	int fds[2], pid = -1, i;
	pthread_t t;

	CU_ASSERT_EQUAL_FATAL(kg_pipe2(fds, 0), 0);
	s.fd = fds[0];
	CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, sleeper_main, &s), 0);
	/* Until the reader is inside the kernel, asleep on the pipe. */
	for (i = 0; i < 500 && (pid = kg_fork()) != -EBUSY; i++) {
		if (pid == 0)
			kg_child_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		nanosleep(&pause, NULL);
	}
	CU_ASSERT_EQUAL(pid, -EBUSY);
	CU_ASSERT_EQUAL(kg_write(fds[1], "x", 1), 1);
	pthread_join(t, NULL);
	CU_ASSERT_EQUAL(s.ret, 1);
	kg_close(fds[0]);
	kg_close(fds[1]);
}

static CU_TestInfo fork_tests[] = {
	{ "child_sees_parent_files", test_child_sees_parent_files },
	{ "parent_sees_no_child_writes_on_tmpfs", test_parent_sees_no_child_writes_on_tmpfs },
	{ "parent_sees_no_child_writes_on_disk", test_parent_sees_no_child_writes_on_disk },
	{ "grandchild_writes_stay_its_own", test_grandchild_writes_stay_its_own },
	{ "parent_writes_do_not_reach_a_live_child", test_parent_writes_do_not_reach_a_live_child },
	{ "child_use_after_free_is_the_childs", test_child_use_after_free_is_the_childs },
	{ "child_leak_is_the_childs", test_child_leak_is_the_childs },
	{ "other_threads_tasks_end_in_child", test_other_threads_tasks_end_in_child },
	{ "fork_refused_while_a_call_runs", test_fork_refused_while_a_call_runs },
	CU_TEST_INFO_NULL,
};

/* After the halt: the host's fsck on the image ------------------------- */

static void test_ext4_fsck_clean(void)
{
	CU_ASSERT_EQUAL(kg_host_run("e2fsck -fn %s", image), 0);
}

static CU_TestInfo fork_after_halt_tests[] = {
	{ "ext4_fsck_clean", test_ext4_fsck_clean },
	CU_TEST_INFO_NULL,
};

/* Setup and teardown ------------------------------------------------------ */

static void remove_image(void)
{
	if (image_dir[0])
		kg_host_run("rm -rf %s", image_dir);
}

static int fork_setup(void)
{
	long err;
	int fd;

	snprintf(image_dir, sizeof(image_dir), "%s/kgrind-fork.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(image_dir)) {
		fprintf(stderr, "fork: no temporary directory %s\n", image_dir);
		image_dir[0] = '\0';
		return -errno;
	}
	atexit(remove_image);
	snprintf(image, sizeof(image), "%s/ext4.img", image_dir);
	fd = open(image, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)IMAGE_MIB << 20)) {
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	close(fd);
	if (kg_host_run("mkfs.ext4 -q -F -U 6b677269-6e64-4000-8000-000000000003 %s", image))
		return -EIO;
	if ((err = kg_mount_at("devtmpfs", "/dev", "devtmpfs")) ||
	    (err = kg_mount_at("proc", "/proc", "proc")) ||
	    (err = kg_mount_at("none", "/work", "tmpfs")) ||
	    (err = kg_disk_add(image, 0)) < 0 ||
	    (err = kg_mkdir("/mnt", 0755)) ||
	    (err = kg_mount_at("/dev/kgdisk0", "/mnt/ext4", "ext4")) ||
	    (err = write_file(TMP_FILE, PARENT_TEXT)) ||
	    (err = write_file(DISK_FILE, PARENT_TEXT)))
		return (int)(err > 0 ? -EIO : err);
	return 0;
}

/* fsck after the halt wants the disk unmounted. */
static int fork_teardown(void)
{
	return (int)kg_umount("/mnt/ext4", 0);
}

static const struct kg_suite fork_suite = {
	.name = "fork",
	.tests = fork_tests,
	.after_halt = fork_after_halt_tests,
	.setup = fork_setup,
	.teardown = fork_teardown,
};

int main(int argc, char **argv)
{
	return kg_suite_main(&fork_suite, argc, argv);
}
