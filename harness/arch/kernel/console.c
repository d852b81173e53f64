// SPDX-License-Identifier: GPL-2.0
/* printk to the host, and panics reported to it. */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <asm/kgrind.h>

static void kgrind_console_write(struct console *con, const char *s,
				 unsigned int n)
{
	kgrind_host->print(s, n);
}

static struct console kgrind_console = {
	.name	= "kgrind",
	.write	= kgrind_console_write,
	.flags	= CON_PRINTBUFFER | CON_ENABLED,
	.index	= -1,
};

static int kgrind_panic(struct notifier_block *nb, unsigned long event,
			void *msg)
{
	kgrind_host->panic(msg);
	return NOTIFY_DONE;
}

static struct notifier_block kgrind_panic_block = {
	.notifier_call	= kgrind_panic,
	.priority	= INT_MIN,	/* after everyone else has spoken */
};

static int __init kgrind_console_init(void)
{
	register_console(&kgrind_console);
	atomic_notifier_chain_register(&panic_notifier_list,
				       &kgrind_panic_block);
	return 0;
}
console_initcall(kgrind_console_init);
