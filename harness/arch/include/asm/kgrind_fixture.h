/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-side test fixtures: a suite's kernel code registers functions by
 * name; the host runs them with kg_call(name, arg) in task context.
 */
#ifndef _ASM_KGRIND_FIXTURE_H
#define _ASM_KGRIND_FIXTURE_H

struct kgrind_fixture {
	const char *name;
	long (*fn)(long arg);
};

#define KG_FIXTURE(fixture_name, function)				\
	static const struct kgrind_fixture __kgrind_fixture_##function	\
	__used __section(".kgrind.fixtures") __aligned(8) = {		\
		.name = fixture_name,					\
		.fn = function,						\
	}

extern const struct kgrind_fixture __start_kg_fixtures[];
extern const struct kgrind_fixture __stop_kg_fixtures[];

#endif
