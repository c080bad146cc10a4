/* url.c — the site's addresses: one function per kind of page, each
 * writing either the href or the file path (url.h). */
#include "url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Appends s[0..n) as one segment in form f, then '/'. */
static void segment(struct buf *b, enum url_form f, const char *s, size_t n)
{
	if (f == URL_HREF)
		escape_url_segment(b, s, n);
	else
		buf_put(b, s, n);
	buf_putc(b, '/');
}

void url_session(struct buf *b, enum url_form f, const char *slug)
{
	segment(b, URL_FILE, "sessions", strlen("sessions"));
	segment(b, f, slug, strlen(slug));
}

void url_project(struct buf *b, enum url_form f, const char *slug)
{
	segment(b, URL_FILE, "projects", strlen("projects"));
	segment(b, f, slug, strlen(slug));
}

void url_page(struct buf *b, enum url_form f, const char *slug)
{
	segment(b, f, slug, strlen(slug));
}

const char *url_group_dir(enum group_kind k)
{
	static const char *const dirs[GROUP_KINDS] = {
		[GROUP_SERIES] = "series",
		[GROUP_THEME] = "themes",
		[GROUP_MONTH] = "archive",
		[GROUP_YEAR] = "archive",
		[GROUP_FY] = "fy",
	};
	return (unsigned)k < GROUP_KINDS ? dirs[k] : "";
}

void url_group(struct buf *b, enum url_form f, const struct group *g)
{
	const char *dir = url_group_dir(g->kind);
	segment(b, URL_FILE, dir, strlen(dir)); /* our own names: plain ASCII */
	/* Only a month's slug holds a '/' (index.h): "2020/06" is two
	 * segments; any other slug is one, whatever it holds. */
	for (const char *p = g->slug;;) {
		const char *slash = g->kind == GROUP_MONTH ? strchr(p, '/') : NULL;
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		segment(b, f, p, n);
		if (!slash)
			return;
		p = slash + 1;
	}
}

void url_month(struct buf *b, int year, int month)
{
	buf_printf(b, "%s/%04d/%02d/", url_group_dir(GROUP_MONTH), year, month);
}

void url_paged(struct buf *b, const char *dir, size_t n)
{
	buf_puts(b, dir);
	buf_putc(b, '/');
	if (n > 1)
		buf_printf(b, "page/%zu/", n);
}

void url_absolute(struct buf *b, const struct site *s, const char *href)
{
	buf_puts(b, s->base_url);
	buf_puts(b, href);
}

/* RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
static int has_scheme(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return 0;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
		s++;
	return *s == ':';
}

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0'
	       : isxdigit((unsigned char)c) ? (tolower((unsigned char)c) - 'a' + 10) : -1;
}

/* Appends s[0..n) with %XX decoded (a malformed escape is kept as it is). */
static void decode(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = -1, lo = -1;
		if (s[i] == '%' && i + 2 < n) {
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
		}
		if (hi >= 0 && lo >= 0) {
			buf_putc(b, (char)(hi * 16 + lo));
			i += 2;
		} else {
			buf_putc(b, s[i]);
		}
	}
}

/* Resolves the dot segments of the root-relative path p into file,
 * decoded; -1 when it climbs above the root. */
static int normalize(struct buf *file, const char *p)
{
	size_t *starts = NULL, n = 0, cap = 0;
	int rc = 0;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		int dir = 1; /* the path ends with '/' after this segment */
		if (len == 2 && !memcmp(p, "..", 2)) {
			if (!n) {
				rc = -1;
				break;
			}
			file->len = starts[--n];
		} else if (!(len == 1 && p[0] == '.')) {
			dir = slash != NULL;
			if (len || slash) {
				VEC_PUSH(starts, n, cap, file->len);
				decode(file, p, len);
				if (slash)
					buf_putc(file, '/');
			}
		}
		if (!slash) {
			if (dir && file->len && file->data[file->len - 1] != '/')
				buf_putc(file, '/');
			break;
		}
		p = slash + 1;
	}
	file->data[file->len] = '\0';
	free(starts);
	return rc;
}

enum url_target url_resolve(struct buf *file, struct buf *frag, const struct site *s,
                            const char *page_href, const char *link)
{
	buf_reset(file);
	buf_reset(frag);
	const char *hash = strchr(link, '#');
	size_t n = hash ? (size_t)(hash - link) : strlen(link);
	const char *q = memchr(link, '?', n);
	if (q)
		n = (size_t)(q - link);
	size_t bl = strlen(s->base_url), bp = strlen(s->base_path);
	struct buf path;
	buf_init(&path);
	enum url_target t = URL_INSIDE;
	if (has_scheme(link) || !strncmp(link, "//", 2)) {
		if (bl > n || strncmp(link, s->base_url, bl) || !has_scheme(s->base_url))
			t = URL_OUTSIDE;
		else
			buf_put(&path, link + bl, n - bl);
	} else if (link[0] == '/') {
		if (bp > n || strncmp(link, s->base_path, bp))
			t = URL_OUTSIDE;
		else
			buf_put(&path, link + bp, n - bp);
	} else if (n == 0) {
		buf_puts(&path, page_href);
	} else {
		const char *dir = strrchr(page_href, '/');
		buf_put(&path, page_href, dir ? (size_t)(dir - page_href + 1) : 0);
		buf_put(&path, link, n);
	}
	if (t == URL_INSIDE && normalize(file, path.data) != 0)
		t = URL_ESCAPES;
	if (t == URL_INSIDE && (!file->len || file->data[file->len - 1] == '/'))
		buf_puts(file, "index.html");
	if (t == URL_INSIDE && hash)
		decode(frag, hash + 1, strlen(hash + 1));
	buf_free(&path);
	return t;
}
