// SPDX-License-Identifier: GPL-2.0
/* /proc/cpuinfo: the one CPU is the host thread holding it. */
#include <linux/delay.h>
#include <linux/seq_file.h>

static int kgrind_cpuinfo_show(struct seq_file *m, void *v)
{
	seq_puts(m, "processor\t: 0\n");
	seq_puts(m, "model name\t: kgrind (Linux as a library in a host process)\n");
	seq_printf(m, "BogoMIPS\t: %lu.%02lu\n\n",
		   loops_per_jiffy / (500000 / HZ),
		   (loops_per_jiffy / (5000 / HZ)) % 100);
	return 0;
}

static void *kgrind_cpuinfo_start(struct seq_file *m, loff_t *pos)
{
	return *pos == 0 ? (void *)1 : NULL;
}

static void *kgrind_cpuinfo_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return NULL;
}

static void kgrind_cpuinfo_stop(struct seq_file *m, void *v)
{
}

const struct seq_operations cpuinfo_op = {
	.start	= kgrind_cpuinfo_start,
	.next	= kgrind_cpuinfo_next,
	.stop	= kgrind_cpuinfo_stop,
	.show	= kgrind_cpuinfo_show,
};
