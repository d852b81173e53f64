// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include "registry.h"

static pthread_mutex_t kg_res_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kg_res kg_res_heads[KG_RES_KINDS];

static struct kg_res *kg_res_head(int kind)
{
	struct kg_res *head = &kg_res_heads[kind];

	if (!head->next)
		head->next = head->prev = head;
	return head;
}

static void kg_res_link(struct kg_res *res, int kind)
{
	struct kg_res *head = kg_res_head(kind);

	res->kind = kind;
	res->next = head->next;
	res->prev = head;
	head->next->prev = res;
	head->next = res;
}

static void kg_res_unlink(struct kg_res *res)
{
	res->prev->next = res->next;
	res->next->prev = res->prev;
	res->next = res->prev = res;
}

void kg_res_add(struct kg_res *res, int kind)
{
	pthread_mutex_lock(&kg_res_lock);
	kg_res_link(res, kind);
	pthread_mutex_unlock(&kg_res_lock);
}

void kg_res_del(struct kg_res *res)
{
	pthread_mutex_lock(&kg_res_lock);
	kg_res_unlink(res);
	pthread_mutex_unlock(&kg_res_lock);
}

void kg_res_move(struct kg_res *res, int kind)
{
	pthread_mutex_lock(&kg_res_lock);
	if (res->next != res) {
		kg_res_unlink(res);
		kg_res_link(res, kind);
	}
	pthread_mutex_unlock(&kg_res_lock);
}

struct kg_res *kg_res_pop(int kind)
{
	struct kg_res *head, *res = NULL;

	pthread_mutex_lock(&kg_res_lock);
	head = kg_res_head(kind);
	if (head->next != head) {
		res = head->next;
		kg_res_unlink(res);
	}
	pthread_mutex_unlock(&kg_res_lock);
	return res;
}

void kg_res_hold(void)
{
	pthread_mutex_lock(&kg_res_lock);
}

void kg_res_release(void)
{
	pthread_mutex_unlock(&kg_res_lock);
}

void kg_res_each(int kind, void (*fn)(struct kg_res *res))
{
	struct kg_res *head = kg_res_head(kind), *res, *next;

	for (res = head->next; res != head; res = next) {
		next = res->next;
		fn(res);
	}
}
