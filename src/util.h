/* util.h — allocation wrappers, the growable buffer, slices, UTF-8 helpers.
 *
 * Out-of-memory is not an error kura recovers from: the x* wrappers print
 * "kura: out of memory" and abort, so callers never check for NULL.
 */
#ifndef KURA_UTIL_H
#define KURA_UTIL_H

#include <stdarg.h>
#include <stddef.h>

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

struct span span_of(const char *s);
int span_eq(struct span a, const char *s);
struct span span_trim(struct span s); /* ASCII white space both ends */

/* Reads a whole file; 0 ok, -1 with errno set. *out is malloc'd and
 * NUL-terminated; the caller frees it. */
int read_file(const char *path, char **out, size_t *out_len);

/* UTF-8: 1 when s[0..n) is well-formed UTF-8 (no overlongs, no
 * surrogates), else 0 and *bad_at (if not NULL) = offset of the first bad
 * byte. */
int utf8_valid(const char *s, size_t n, size_t *bad_at);
/* Decodes one code point at s (n bytes available); returns its length
 * (1-4) and stores it in *cp, or returns 0 on a malformed sequence. */
int utf8_decode(const char *s, size_t n, unsigned *cp);
/* Column of byte offset off in line (1-based, counted in code points). */
int utf8_column(const char *line, size_t off);

#endif
