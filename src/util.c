/* util.c — allocation wrappers, struct buf, struct span and UTF-8 helpers.
 * Everything here is leaf code used by every stage. */
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void)
{
	fputs("kura: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		oom();
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* An empty buffer points at a static "" so data is never NULL and needs
 * no allocation until something is written. */
static char empty[1];

void buf_init(struct buf *b)
{
	b->data = empty;
	b->len = 0;
	b->cap = 0;
}

void buf_free(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (b->cap) {
		b->data = xrealloc(b->data, cap);
	} else {
		b->data = xmalloc(cap);
		b->data[0] = '\0';
	}
	b->cap = cap;
}

void buf_put(struct buf *b, const void *p, size_t n)
{
	if (!n)
		return;
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n > 0) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	}
	va_end(ap);
}

char *buf_detach(struct buf *b)
{
	char *d = b->cap ? b->data : xstrdup("");
	buf_init(b);
	return d;
}

int span_eq(struct span a, const char *s)
{
	size_t n = strlen(s);
	return a.n == n && memcmp(a.p, s, n) == 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

struct span span_trim(struct span s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

int utf8_decode(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	int len;
	unsigned c, min;
	if ((u[0] & 0xE0) == 0xC0) {
		len = 2;
		c = u[0] & 0x1F;
		min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		len = 3;
		c = u[0] & 0x0F;
		min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		len = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int utf8_valid(const char *s, size_t n, size_t *bad_at)
{
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			if (bad_at)
				*bad_at = i;
			return 0;
		}
		i += (size_t)len;
	}
	return 1;
}

int utf8_column(const char *line, size_t off)
{
	int col = 1;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* ---- growable arrays ---------------------------------------------------- */

void *xgrow(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	if (elem && c > SIZE_MAX / elem) {
		fputs("kura: out of memory\n", stderr);
		abort();
	}
	*cap = c;
	return xrealloc(p, c * elem);
}

/* ---- hashing and lookups -------------------------------------------------- */

uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

void strmap_init(struct strmap *m)
{
	m->slots = NULL;
	m->nslots = 0;
	m->n = 0;
}

void strmap_free(struct strmap *m)
{
	free(m->slots);
	strmap_init(m);
}

/* The slot holding key, or the empty slot where it would go. */
static struct strmap_slot *probe(struct strmap_slot *slots, size_t nslots, const char *key)
{
	size_t j = (size_t)hash_bytes(key, strlen(key)) & (nslots - 1);
	while (slots[j].key && strcmp(slots[j].key, key) != 0)
		j = (j + 1) & (nslots - 1);
	return &slots[j];
}

size_t *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->n)
		return NULL;
	struct strmap_slot *s = probe(m->slots, m->nslots, key);
	return s->key ? &s->val : NULL;
}

size_t *strmap_put(struct strmap *m, const char *key, size_t val, int *out_added)
{
	if ((m->n + 1) * 2 > m->nslots) {
		size_t ns = m->nslots ? m->nslots * 2 : 64;
		struct strmap_slot *slots = xcalloc(ns, sizeof *slots);
		for (size_t i = 0; i < m->nslots; i++)
			if (m->slots[i].key)
				*probe(slots, ns, m->slots[i].key) = m->slots[i];
		free(m->slots);
		m->slots = slots;
		m->nslots = ns;
	}
	struct strmap_slot *s = probe(m->slots, m->nslots, key);
	if (out_added)
		*out_added = !s->key;
	if (!s->key) {
		s->key = key;
		s->val = val;
		m->n++;
	}
	return &s->val;
}

void xsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

size_t sorted_lower(const void *base, size_t n, size_t size, const void *key,
                    int (*cmp)(const void *key, const void *elem))
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp(key, (const char *)base + mid * size) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void *sorted_find(const void *base, size_t n, size_t size, const void *key,
                  int (*cmp)(const void *key, const void *elem))
{
	size_t i = sorted_lower(base, n, size, key, cmp);
	if (i < n && cmp(key, (const char *)base + i * size) == 0)
		return (char *)base + i * size;
	return NULL;
}

/* ---- paths ------------------------------------------------------------------ */

const char *path_problem(const char *p, size_t n)
{
	if (n == 0)
		return "the path is empty";
	if (n > PATH_MAX_LEN)
		return "the path is 4096 bytes or longer";
	if (p[0] == '/')
		return "the path is absolute";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\\')
			return "the path holds a backslash";
		if (c < 0x20 || c == 0x7f)
			return "the path holds a control character";
	}
	size_t seg = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && p[i] != '/')
			continue;
		size_t len = i - seg;
		if (len == 0)
			return "the path has an empty segment";
		if ((len == 1 && p[seg] == '.') || (len == 2 && p[seg] == '.' && p[seg + 1] == '.'))
			return "the path has a \".\" or \"..\" segment";
		if (len > PATH_MAX_SEGMENT)
			return "a segment of the path is longer than 255 bytes";
		seg = i + 1;
	}
	return NULL;
}

int file_read(const char *path, char **out, size_t *out_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat sb;
	struct buf b;
	buf_init(&b);
	ssize_t got = -1;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		char tmp[65536];
		while ((got = read(fd, tmp, sizeof tmp)) > 0)
			buf_put(&b, tmp, (size_t)got);
	}
	close(fd);
	if (got < 0) {
		buf_free(&b);
		return -1;
	}
	*out_len = b.len;
	*out = buf_detach(&b);
	return 0;
}

double monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
