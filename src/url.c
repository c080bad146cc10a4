/* url.c — the site's addresses: one function per kind of page, each
 * writing either the href or the file path (url.h). */
#include "url.h"

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

/* dir/ then each '/'-separated part of slug as a segment. */
static void under(struct buf *b, enum url_form f, const char *dir, const char *slug)
{
	if (dir)
		segment(b, URL_FILE, dir, strlen(dir)); /* our own names: plain ASCII */
	for (const char *p = slug;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		segment(b, f, p, n);
		if (!slash)
			return;
		p = slash + 1;
	}
}

void url_session(struct buf *b, enum url_form f, const char *slug)
{
	segment(b, URL_FILE, "sessions", 8);
	segment(b, f, slug, strlen(slug));
}

void url_project(struct buf *b, enum url_form f, const char *slug)
{
	segment(b, URL_FILE, "projects", 8);
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
	/* Only a month's slug may hold a '/' (index.h); any other slug is one
	 * segment whatever it holds. */
	if (g->kind == GROUP_MONTH) {
		under(b, f, url_group_dir(g->kind), g->slug);
	} else {
		const char *dir = url_group_dir(g->kind);
		segment(b, URL_FILE, dir, strlen(dir));
		segment(b, f, g->slug, strlen(g->slug));
	}
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
