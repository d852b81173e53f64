// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/kgrind-fixture: a program run against the library kernel
 * (kgrind-run) reaches the kernel's test fixtures through a system call,
 * as a suite reaches them through kg_call().  Writing "name [arg]" runs
 * the fixture in the writer's task; the write returns the length
 * written, or the fixture's negative error.  make kselftest's self-test
 * program (harness/kselftest/selftest/) commits its bugs this way.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/kgrind_fixture.h>

static ssize_t kgrind_fixture_write(struct file *file, const char __user *buf,
				    size_t count, loff_t *ppos)
{
	const struct kgrind_fixture *f;
	char line[128], *arg;
	long value = 0, ret;

	if (count >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, buf, count))
		return -EFAULT;
	line[count] = '\0';
	strim(line);
	arg = strchr(line, ' ');
	if (arg) {
		*arg++ = '\0';
		if (kstrtol(strim(arg), 0, &value))
			return -EINVAL;
	}
	for (f = __start_kg_fixtures; f < __stop_kg_fixtures; f++)
		if (!strcmp(f->name, line))
			break;
	if (f == __stop_kg_fixtures)
		return -ENOENT;
	ret = f->fn(value);
	return ret < 0 ? ret : count;
}

static const struct proc_ops kgrind_fixture_ops = {
	.proc_write = kgrind_fixture_write,
};

static int __init kgrind_fixture_file_init(void)
{
	return proc_create("kgrind-fixture", 0200, NULL, &kgrind_fixture_ops) ? 0 : -ENOMEM;
}
fs_initcall(kgrind_fixture_file_init);
