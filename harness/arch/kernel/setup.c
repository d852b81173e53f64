// SPDX-License-Identifier: GPL-2.0
/*
 * Boot: the host calls kg_kernel_start(), which runs start_kernel() on a
 * fresh host thread and returns once the kernel takes system calls.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memblock.h>
#include <linux/of_fdt.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/debug.h>
#include <linux/start_kernel.h>
#include <linux/string.h>
#include <linux/sysctl.h>
#include <linux/delay.h>
#include <linux/pfn.h>
#include <asm/setup.h>
#include <asm/kgrind.h>
#include <asm/kgrind_alloc.h>

void *empty_zero_page;

static char kgrind_cmdline[COMMAND_LINE_SIZE];
static unsigned long kgrind_mem_boot, kgrind_mem_max;
static void *kgrind_boot_done;
static bool kgrind_booted;

/*
 * Host entropy, as a bootloader passes it (random.trust_bootloader); in
 * virtual time a fixed seed, so that a run repeats.
 */
static void __init kgrind_seed_random(void)
{
	u8 seed[64];

	if (kgrind_virtual_time)
		memset(seed, 0x6b, sizeof(seed));
	else
		kgrind_host->entropy(seed, sizeof(seed));
	add_bootloader_randomness(seed, sizeof(seed));
	memzero_explicit(seed, sizeof(seed));
}

void __init setup_arch(char **cmdline_p)
{
	unsigned long zones_max_pfn[MAX_NR_ZONES] = { 0 };

	kgrind_strings_init();
	/*
	 * The RAM grows on demand (allocators/pages.c): no watermark boost,
	 * which would wake kswapd to evict the page cache instead.  The
	 * host's command line comes after, and may say otherwise.
	 */
	strscpy(boot_command_line, "sysctl.vm.watermark_boost_factor=0 ",
		COMMAND_LINE_SIZE);
	strlcat(boot_command_line, kgrind_cmdline, COMMAND_LINE_SIZE);
	*cmdline_p = boot_command_line;
	parse_early_param();
	kgrind_seed_random();

	kgmem_setup(kgrind_mem_boot, kgrind_mem_max);
	/* No boot loader gives a device tree: the kernel's empty root. */
	unflatten_device_tree();

	empty_zero_page = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!empty_zero_page)
		panic("kgrind: no memory for the zero page");

	zones_max_pfn[ZONE_NORMAL] = max_pfn;
	free_area_init(zones_max_pfn);
}

void __init mem_init(void)
{
	kgroots_add_boot_memory();
	memblock_free_all();
}

/*
 * As many threads as the RAM cap allows stacks for: fork_init() counts
 * only the boot RAM, 20 threads for 8 MiB of 64 KiB stacks, and the
 * kernel then fails to start its workers.  Before the initcalls that
 * start most threads; as writing /proc/sys/kernel/threads-max would.
 */
static int __init kgrind_threads_max(void)
{
	struct ctl_table table = { .maxlen = sizeof(int) };
	unsigned long threads = max(kgrind_mem_max / (8 * THREAD_SIZE), 256UL);
	char text[24];
	size_t len = scnprintf(text, sizeof(text), "%lu", threads);
	loff_t pos = 0;

	return sysctl_max_threads(&table, 1, text, &len, &pos);
}
early_initcall(kgrind_threads_max);

/* Init code and data stay: they live in the host executable. */
void free_initmem(void)
{
}

/* Delays wait on the host clock; there is no loop to calibrate. */
void __init calibrate_delay(void)
{
	loops_per_jiffy = 1000000000UL / HZ;
}

void __delay(unsigned long loops)
{
	unsigned long long end = kgrind_host->time_ns() + loops;

	while (kgrind_host->time_ns() < end)
		cpu_relax();
}

void __ndelay(unsigned long nsecs)
{
	__delay(nsecs);
}

void __udelay(unsigned long usecs)
{
	__delay(usecs * NSEC_PER_USEC);
}

void __const_udelay(unsigned long xloops)
{
	/* xloops is usecs * 2^32 / 10^6 (see asm-generic/delay.h) */
	__delay((xloops * 1000000ULL) >> 32);
}

void show_stack(struct task_struct *task, unsigned long *sp,
		const char *loglvl)
{
	printk("%sCall Trace: the host thread's stack (memcheck and gdb show it)\n",
	       loglvl);
}

unsigned long __get_wchan(struct task_struct *p)
{
	return 0;
}

void flush_thread(void)
{
}

void show_regs(struct pt_regs *regs)
{
	show_regs_print_info(KERN_DEFAULT);
}

/* Called by init once initcalls are done: the host may go on. */
void kgrind_boot_complete(void)
{
	kgrind_booted = true;
	kgrind_host->sem_up(kgrind_boot_done);
}

int kg_kernel_start(const struct kg_host_ops *ops, const char *cmdline,
		    unsigned long mem_boot, unsigned long mem_max)
{
	if (kgrind_host)
		return -EBUSY;
	kgrind_host = ops;
	strscpy(kgrind_cmdline, cmdline ? cmdline : "", sizeof(kgrind_cmdline));
	kgrind_mem_boot = mem_boot;
	kgrind_mem_max = mem_max;
	kgrind_irq_init_host();
	kgrind_boot_done = ops->sem_alloc(0);
	if (!kgrind_boot_done)
		return -ENOMEM;
	/* This thread waits on the boot: virtual time may jump meanwhile. */
	atomic_inc(&kgrind_host_waiting);
	if (kgrind_cpu_start())
		return -ENOMEM;
	ops->sem_down(kgrind_boot_done);
	atomic_dec(&kgrind_host_waiting);
	ops->sem_free(kgrind_boot_done);
	return 0;
}

/* After each test, under memcheck: its page leaks (allocators/page_leaks.c). */
long kg_kernel_page_leak_check(void)
{
	return kgrind_run_in_task(kgleak_check_now, NULL);
}

void kgrind_release_memory(void)
{
	if (IS_ENABLED(CONFIG_KGRIND_SLAB_VALGRIND))
		kgslab_forget_all();
	kgleak_check_at_halt();
	kgroots_forget_all();
	kgrind_host->mem_free((void *)memory_start, kgmem_span_bytes());
}
