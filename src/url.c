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
