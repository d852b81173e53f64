/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_KGRIND_CURRENT_H
#define _ASM_KGRIND_CURRENT_H

#ifndef __ASSEMBLY__
struct task_struct;

/* One CPU: the task whose host thread holds it. Set by __switch_to. */
extern struct task_struct *kgrind_current;

#define get_current()	(kgrind_current)
#define current		get_current()
#endif

#endif
