/* value.c — constructors and look-up for template values. Arrays grow by
 * doubling inside the arena (the old block stays until the arena goes). */
#include "value.h"

#include <string.h>

static struct value *mk(struct arena *a, enum value_kind k)
{
	struct value *v = arena_alloc(a, sizeof *v);
	v->kind = k;
	return v;
}


struct value *value_bool(struct arena *a, int b)
{
	struct value *v = mk(a, VALUE_BOOL);
	v->u.b = b != 0;
	return v;
}

struct value *value_int(struct arena *a, long long i)
{
	struct value *v = mk(a, VALUE_INT);
	v->u.i = i;
	return v;
}

struct value *value_strn(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return mk(a, VALUE_NULL);
	struct value *v = mk(a, VALUE_STR);
	v->u.str.s = s;
	v->u.str.n = n;
	return v;
}

struct value *value_str(struct arena *a, const char *s)
{
	return value_strn(a, s, s ? strlen(s) : 0);
}

struct value *value_list(struct arena *a) { return mk(a, VALUE_LIST); }
struct value *value_map(struct arena *a) { return mk(a, VALUE_MAP); }

void value_push(struct arena *a, struct value *list, struct value *item)
{
	list->u.list.items = arena_grow(a, list->u.list.items, &list->u.list.cap,
	                                list->u.list.n + 1, sizeof *list->u.list.items);
	list->u.list.items[list->u.list.n++] = item;
}

void value_setn(struct arena *a, struct value *map, const char *key, size_t key_len,
                struct value *val)
{
	for (size_t i = 0; i < map->u.map.n; i++) {
		struct value_entry *e = &map->u.map.items[i];
		if (e->key_len == key_len && memcmp(e->key, key, key_len) == 0) {
			e->val = val;
			return;
		}
	}
	map->u.map.items = arena_grow(a, map->u.map.items, &map->u.map.cap, map->u.map.n + 1,
	                              sizeof *map->u.map.items);
	struct value_entry *e = &map->u.map.items[map->u.map.n++];
	e->key = key;
	e->key_len = key_len;
	e->val = val;
}

void value_set(struct arena *a, struct value *map, const char *key, struct value *val)
{
	value_setn(a, map, key, strlen(key), val);
}

void value_set_str(struct arena *a, struct value *map, const char *key, const char *s)
{
	value_set(a, map, key, value_str(a, s));
}

void value_set_int(struct arena *a, struct value *map, const char *key, long long i)
{
	value_set(a, map, key, value_int(a, i));
}

void value_set_bool(struct arena *a, struct value *map, const char *key, int b)
{
	value_set(a, map, key, value_bool(a, b));
}

struct value *value_get(const struct value *map, const char *key, size_t key_len)
{
	if (!map || map->kind != VALUE_MAP)
		return NULL;
	for (size_t i = 0; i < map->u.map.n; i++) {
		const struct value_entry *e = &map->u.map.items[i];
		if (e->key_len == key_len && memcmp(e->key, key, key_len) == 0)
			return e->val;
	}
	return NULL;
}

int value_truthy(const struct value *v)
{
	if (!v)
		return 0;
	switch (v->kind) {
	case VALUE_NULL: return 0;
	case VALUE_BOOL: return v->u.b;
	case VALUE_LIST: return v->u.list.n > 0;
	default: return 1;
	}
}
