/* arena.h — a bump allocator that owns the model of one build.
 *
 * Everything allocated from an arena is freed at once by arena_free. With
 * the environment variable KURA_ARENA_DEBUG=1 set when the arena is made,
 * every allocation is a separate malloc, so ASan and valgrind see each
 * object's bounds. An arena is not thread-safe: use one per thread.
 */
#ifndef KURA_ARENA_H
#define KURA_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Memory aligned for any type, zero-filled. Never NULL. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* util.h's vector idiom (xgrow) for an array in the arena: returns p, or
 * a new block holding p's *cap elements of elem bytes, so that it holds at
 * least need elements, doubling (from 4) and updating *cap. The old block
 * is not freed: the arena owns it. */
void *arena_grow(struct arena *a, void *p, size_t *cap, size_t need, size_t elem);

#endif
