/* SPDX-License-Identifier: GPL-2.0 */
/* Every host resource the kernel holds, so that halt can return them all. */
#ifndef KG_HOST_REGISTRY_H
#define KG_HOST_REGISTRY_H

struct kg_res {
	struct kg_res *prev, *next;
	int kind;
};

enum { KG_RES_SEM, KG_RES_MUTEX, KG_RES_MEM, KG_RES_TIMER, KG_RES_THREAD,
       KG_RES_THREAD_DONE, KG_RES_DISK,
       KG_RES_KINDS };

void kg_res_add(struct kg_res *res, int kind);
void kg_res_del(struct kg_res *res);
/* Moves res to another kind's list, unless someone already popped it. */
void kg_res_move(struct kg_res *res, int kind);
/* Removes and returns one resource of that kind, or NULL. */
struct kg_res *kg_res_pop(int kind);

/*
 * Around a fork: no resource is added or removed while the registry is
 * held, and kg_res_each() calls fn on each of a kind meanwhile.
 */
void kg_res_hold(void);
void kg_res_release(void);
void kg_res_each(int kind, void (*fn)(struct kg_res *res));

#define kg_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#endif
