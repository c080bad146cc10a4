/* util.h — allocation wrappers, the growable buffer, slices, UTF-8 helpers.
 *
 * Out-of-memory is not an error kura recovers from: the x* wrappers print
 * "kura: out of memory" and abort, so callers never check for NULL.
 */
#ifndef KURA_UTIL_H
#define KURA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A malloc'd string formatted like printf; the caller frees it. */
char *xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* A growable byte buffer. After buf_init, data is never NULL and is always
 * NUL-terminated at data[len], so it can be used as a C string. The buffer
 * owns data; buf_free releases it, buf_detach hands it to the caller. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps the memory */
void buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Returns data (malloc'd, NUL-terminated) and leaves b empty and valid. */
char *buf_detach(struct buf *b);

/* A slice into memory owned by someone else; not NUL-terminated. */
struct span {
	const char *p;
	size_t n;
};

int span_eq(struct span a, const char *s);
struct span span_trim(struct span s); /* ASCII white space both ends */


/* UTF-8: 1 when s[0..n) is well-formed UTF-8 (no overlongs, no
 * surrogates), else 0 and *bad_at (if not NULL) = offset of the first bad
 * byte. */
int utf8_valid(const char *s, size_t n, size_t *bad_at);
/* Decodes one code point at s (n bytes available); returns its length
 * (1-4) and stores it in *cp, or returns 0 on a malformed sequence. */
int utf8_decode(const char *s, size_t n, unsigned *cp);
/* Column of byte offset off in line (1-based, counted in code points). */
int utf8_column(const char *line, size_t off);

/* ---- growable arrays ------------------------------------------------------
 * kura's one vector idiom: an array v of n elements and cap capacity, all
 * three owned by the caller (v malloc'd, or NULL with n == cap == 0).
 * xgrow returns p reallocated so that it holds at least need elements of
 * elem bytes, doubling (from 8) and updating *cap; VEC_PUSH appends x. */
void *xgrow(void *p, size_t *cap, size_t need, size_t elem);
#define VEC_PUSH(v, n, cap, x) \
	((v) = xgrow((v), &(cap), (n) + 1, sizeof *(v)), (v)[(n)++] = (x))

/* ---- hashing and lookups ---------------------------------------------------- */

/* kura's one hash function: 64-bit FNV-1a of p[0..n). Stable across
 * machines and runs, so it may name things in output (asset URLs). */
uint64_t hash_bytes(const void *p, size_t n);

/* kura's one hash table: NUL-terminated string keys (borrowed: a key must
 * outlive the map) to size_t values, open addressing with linear probing,
 * never more than half full. Zero-initialise (or strmap_init) before use;
 * strmap_free releases the slots, not the keys. */
struct strmap_slot {
	const char *key; /* NULL: empty */
	size_t val;
};
struct strmap {
	struct strmap_slot *slots;
	size_t nslots; /* 0 or a power of two */
	size_t n;
};
void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* The value of key, or NULL when absent. The pointer is valid until the
 * next strmap_put. */
size_t *strmap_get(const struct strmap *m, const char *key);
/* The value of key, inserting key with value val when absent (then
 * *out_added, if not NULL, is 1; else 0). Valid until the next put. */
size_t *strmap_put(struct strmap *m, const char *key, size_t val, int *out_added);

/* kura's one sort: qsort, for any n, including an empty array whose base
 * is NULL (which qsort itself may not be given: C11 7.22.5). */
void xsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* kura's one sorted lookup: the first index i in base[0..n) (sorted
 * ascending for cmp) with cmp(key, &base[i]) <= 0, or n; so base[i]
 * matches key exactly when i < n and cmp(key, &base[i]) == 0. */
size_t sorted_lower(const void *base, size_t n, size_t size, const void *key,
                    int (*cmp)(const void *key, const void *elem));
/* The matching element, or NULL. */
void *sorted_find(const void *base, size_t n, size_t size, const void *key,
                  int (*cmp)(const void *key, const void *elem));

/* ---- paths ------------------------------------------------------------------
 * kura's one rule for a path inside a tree (content, theme, output):
 * relative and '/'-separated; not empty, not longer than 4095 bytes; no
 * backslash (a separator on Windows servers), no control byte (0x00-0x1f,
 * 0x7f); every segment non-empty, not "." or "..", at most 255 bytes.
 * Such a path can name nothing outside its tree and is spelt one way only.
 * Callers may add rules of their own (the writer reserves ".kura-" names,
 * image sources refuse characters that would end an HTML attribute).
 * Returns NULL when p[0..n) follows the rule, else a short English reason
 * ("the path has a \"..\" segment"). */
const char *path_problem(const char *p, size_t n);
/* Reads a whole regular file of the machine's file system (content is read
 * through source.h; this is for kura's own files: its message catalog, the
 * site kura serve serves): 0 ok, -1 when it cannot be opened or read or is
 * not a regular file. *out is malloc'd and NUL-terminated; the caller
 * frees it. */
int file_read(const char *path, char **out, size_t *out_len);

/* Seconds on the monotonic clock, for durations. */
double monotonic_seconds(void);

#define PATH_MAX_LEN 4095
#define PATH_MAX_SEGMENT 255

#endif
