// SPDX-License-Identifier: GPL-2.0
/*
 * There is no user space to run, but the kernel insists on executing an
 * init program.  A late initcall writes /init into rootfs with a header
 * only kgrind's own binary format accepts; "executing" it gives init a
 * fresh process image and returns, and init then runs kgrind_init_main()
 * as its user space (see kgrind_thread_entry).
 */
#include <linux/binfmts.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/string.h>
#include <linux/task_work.h>
#include <asm/kgrind.h>

static const char kgrind_init_magic[] = "\x7fkgrind-init\n";
#define KGRIND_INIT_MAGIC_LEN (sizeof(kgrind_init_magic) - 1)

static int kgrind_load_init(struct linux_binprm *bprm)
{
	int err;

	if (memcmp(bprm->buf, kgrind_init_magic, KGRIND_INIT_MAGIC_LEN))
		return -ENOEXEC;
	err = begin_new_exec(bprm);
	if (err)
		return err;
	setup_new_exec(bprm);
	finalize_exec(bprm);
	return 0;
}

static struct linux_binfmt kgrind_init_format = {
	.module		= THIS_MODULE,
	.load_binary	= kgrind_load_init,
};

static int __init kgrind_init_file(void)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	register_binfmt(&kgrind_init_format);
	f = filp_open("/init", O_CREAT | O_WRONLY | O_TRUNC, 0700);
	if (IS_ERR(f))
		panic("kgrind: cannot create /init: %ld", PTR_ERR(f));
	n = kernel_write(f, kgrind_init_magic, KGRIND_INIT_MAGIC_LEN, &pos);
	filp_close(f, NULL);
	task_work_run();	/* the last fput, or exec finds /init busy */
	if (n != KGRIND_INIT_MAGIC_LEN)
		panic("kgrind: cannot write /init: %zd", n);
	return 0;
}
late_initcall(kgrind_init_file);
