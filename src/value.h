/* value.h — the values templates see.
 *
 * A small JSON-like tree: null, bool, integer, string, list, map. The
 * template engine (tmpl.h) renders values; the view stage (view.h) builds
 * them from the model; the Mustache spec runner builds them from YAML.
 *
 * Every value and every array inside it is allocated from the arena given
 * to the constructor and lives until that arena is freed. Strings are NOT
 * copied by value_str: they must outlive the value (model strings do), or
 * be copied into the arena first (arena_strdup).
 */
#ifndef KURA_VALUE_H
#define KURA_VALUE_H

#include <stddef.h>

#include "arena.h"

enum value_kind { VALUE_NULL, VALUE_BOOL, VALUE_INT, VALUE_STR, VALUE_LIST, VALUE_MAP };

struct value;

struct value_entry {
	const char *key;
	size_t key_len;
	struct value *val;
};

struct value {
	enum value_kind kind;
	union {
		int b;            /* VALUE_BOOL: 0 or 1 */
		long long i;      /* VALUE_INT */
		struct {
			const char *s;
			size_t n;
		} str;            /* VALUE_STR */
		struct {
			struct value **items;
			size_t n, cap;
		} list;           /* VALUE_LIST */
		struct {
			struct value_entry *items;
			size_t n, cap;
		} map;            /* VALUE_MAP, in insertion order */
	} u;
};

struct value *value_bool(struct arena *a, int b);
struct value *value_int(struct arena *a, long long i);
/* s may be NULL: then the result is VALUE_NULL. s is borrowed. */
struct value *value_str(struct arena *a, const char *s);
struct value *value_strn(struct arena *a, const char *s, size_t n);
struct value *value_list(struct arena *a);
struct value *value_map(struct arena *a);

void value_push(struct arena *a, struct value *list, struct value *item);
/* Sets key (borrowed; copy it first if it does not outlive the value);
 * replaces an existing entry of the same key. */
void value_set(struct arena *a, struct value *map, const char *key, struct value *val);
void value_setn(struct arena *a, struct value *map, const char *key, size_t key_len,
                struct value *val);
/* Shorthands for value_set(map, key, value_str/int/bool(...)). */
void value_set_str(struct arena *a, struct value *map, const char *key, const char *s);
void value_set_int(struct arena *a, struct value *map, const char *key, long long i);
void value_set_bool(struct arena *a, struct value *map, const char *key, int b);

/* The entry of a map, or NULL (also when map is not a map). */
struct value *value_get(const struct value *map, const char *key, size_t key_len);
/* Mustache truthiness: missing, null, false and the empty list are false;
 * everything else (0 and "" included) is true. */
int value_truthy(const struct value *v);

#endif
