/* arena.c — bump allocation in 64 KiB chunks; large requests get a chunk
 * of their own. The debug mode keeps a list of plain mallocs instead, so
 * memory checkers see every object. */
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define CHUNK (64 * 1024)
#define ALIGN 16

struct chunk {
	struct chunk *next;
	size_t used, size;
	_Alignas(ALIGN) unsigned char mem[];
};

struct arena {
	struct chunk *head;
	int debug;
};

struct arena *arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof *a);
	const char *e = getenv("KURA_ARENA_DEBUG");
	a->debug = e && *e && strcmp(e, "0") != 0;
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

static struct chunk *new_chunk(size_t size)
{
	struct chunk *c = xmalloc(sizeof *c + size);
	c->next = NULL;
	c->used = 0;
	c->size = size;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (a->debug || need > CHUNK / 4) {
		/* A chunk of its own, linked behind the head so the head's
		 * free space stays usable. */
		struct chunk *c = new_chunk(need);
		c->used = need;
		if (a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			a->head = c;
		}
		memset(c->mem, 0, need);
		return c->mem;
	}
	if (!a->head || a->head->size - a->head->used < need) {
		struct chunk *c = new_chunk(CHUNK);
		c->next = a->head;
		a->head = c;
	}
	void *p = a->head->mem + a->head->used;
	a->head->used += need;
	memset(p, 0, need);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *s = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	if (n > 0)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

void *arena_grow(struct arena *a, void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 4;
	while (c < need)
		c *= 2;
	void *q = arena_alloc(a, c * elem);
	if (p && *cap)
		memcpy(q, p, *cap * elem);
	*cap = c;
	return q;
}
