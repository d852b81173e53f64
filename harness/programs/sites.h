/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system call instructions of the objects a program loaded, each
 * turned into a trap (ud2) that kgrind-run's handler serves (bridge.c).
 */
#ifndef KG_SITES_H
#define KG_SITES_H

struct kg_site {
	unsigned long addr;	/* the instruction, now ud2 */
	unsigned long stub;	/* "syscall; jmp addr + 2": the call made in place */
};

/*
 * Finds and patches the sites of every loaded object not patched yet
 * (but this library, the dynamic loader, the vDSO and valgrind's).
 * Returns the number patched, or a negative errno with why[] said.
 * Called again after a dlopen, for the objects it loaded; one caller at
 * a time.
 */
int kg_sites_patch(char *why, unsigned long size);
/* The site whose trap is at addr, or NULL: a ud2 of the program's own. */
const struct kg_site *kg_site_at(unsigned long addr);

#endif
