/*
 * memo.c - the computed table (see memo.h): open addressing with linear
 * probing over a power-of-two array, grown at half load.
 */
#include "core/memo.h"

#include <string.h>

static uint32_t memo_hash(uint32_t tag, uint32_t k1, uint32_t k2)
{
	uint64_t h = ((uint64_t)tag << 58) ^ ((uint64_t)k1 << 29) ^ k2;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return (uint32_t)h;
}

void gb_memo_init(gb_memo *m, gb_mem *mem)
{
	memset(m, 0, sizeof *m);
	m->mem = mem;
}

void gb_memo_free(gb_memo *m)
{
	gb_mem_free(m->mem, m->tab);
	m->tab = NULL;
	m->cap = m->used = 0;
}

const struct gb_node *gb_memo_get(const gb_memo *m, uint32_t tag, uint32_t k1,
				  uint32_t k2)
{
	size_t i, mask;

	if (!m->cap)
		return NULL;
	mask = m->cap - 1;
	for (i = memo_hash(tag, k1, k2) & mask; m->tab[i].tag; i = (i + 1) & mask) {
		const gb_memo_entry *e = &m->tab[i];

		if (e->tag == tag && e->k1 == k1 && e->k2 == k2)
			return e->val;
	}
	return NULL;
}

static void insert(gb_memo_entry *tab, size_t cap, const gb_memo_entry *e)
{
	size_t mask = cap - 1;
	size_t i = memo_hash(e->tag, e->k1, e->k2) & mask;

	while (tab[i].tag && !(tab[i].tag == e->tag && tab[i].k1 == e->k1 &&
			       tab[i].k2 == e->k2))
		i = (i + 1) & mask;
	tab[i] = *e;
}

bool gb_memo_put(gb_memo *m, uint32_t tag, uint32_t k1, uint32_t k2,
		 const struct gb_node *val)
{
	gb_memo_entry e = { tag, k1, k2, val };

	if (2 * (m->used + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 1024;
		gb_memo_entry *tab = gb_mem_alloc(m->mem, cap * sizeof *tab);
		size_t i;

		if (!tab)
			return false;
		memset(tab, 0, cap * sizeof *tab);
		for (i = 0; i < m->cap; i++)
			if (m->tab[i].tag)
				insert(tab, cap, &m->tab[i]);
		gb_mem_free(m->mem, m->tab);
		m->tab = tab;
		m->cap = cap;
	}
	if (!gb_memo_get(m, tag, k1, k2))
		m->used++;
	insert(m->tab, m->cap, &e);
	return true;
}
