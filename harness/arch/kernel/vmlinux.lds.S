/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kgrind links the kernel as one relocatable object (ld -r) that the host
 * linker places later.  Every boundary symbol the kernel looks up is
 * therefore defined inside an output section, so it stays relative to
 * that section when the host link moves it.
 */
#include <asm/page.h>
#include <asm/cache.h>
#include <asm/thread_info.h>
#include <asm-generic/vmlinux.lds.h>

jiffies = jiffies_64;

SECTIONS
{
	.text : {
		_text = .;
		_stext = .;
		HEAD_TEXT
		TEXT_TEXT
		SCHED_TEXT
		LOCK_TEXT
		IRQENTRY_TEXT
		SOFTIRQENTRY_TEXT
		KPROBES_TEXT
		_etext = .;
	}

	EXCEPTION_TABLE(L1_CACHE_BYTES)

	.init.begin : { __init_begin = .; }
	INIT_TEXT_SECTION(PAGE_SIZE)
	INIT_DATA_SECTION(PAGE_SIZE)
	PERCPU_SECTION(L1_CACHE_BYTES)
	.init.end : { __init_end = .; }

	.sdata.begin : { _sdata = .; }
	RO_DATA(PAGE_SIZE)
	RW_DATA(L1_CACHE_BYTES, PAGE_SIZE, THREAD_SIZE)
	.kgrind.fixtures : {
		__start_kg_fixtures = .;
		KEEP(*(.kgrind.fixtures))
		__stop_kg_fixtures = .;
	}
	.edata : { _edata = .; }

	BSS_SECTION(0, 0, 0)
	.end : { _end = .; }

	/*
	 * The destructors --coverage adds (make coverage's kernel): from them
	 * libgcov writes the .gcda files when the host process exits.  Only
	 * gcc puts code in .text.exit (the kernel's __exit is .exit.text), so
	 * other builds have none.  Their constructors leave as .init_array.
	 */
	.text.exit : { *(.text.exit) }
	.fini_array : {
		KEEP(*(SORT_BY_INIT_PRIORITY(.fini_array.*)))
		KEEP(*(.fini_array))
	}

	STABS_DEBUG
	DWARF_DEBUG
	ELF_DETAILS

	DISCARDS
}
