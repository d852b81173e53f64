/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kunit_verdict.c: memcheck's verdict on a KUnit case (the kernel's
 * kunit_case_end host operation), which kg_kunit_enable() (kgrind.h)
 * installs for the next kg_boot().
 */
#ifndef KG_KUNIT_VERDICT_H
#define KG_KUNIT_VERDICT_H

struct kg_kunit_case;
long kg_kunit_case_end(struct kg_kunit_case *kc);

#endif
