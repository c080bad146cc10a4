/* markdown.h — Markdown to HTML with cmark-gfm and its extensions (table,
 * strikethrough, autolink, tagfilter, tasklist, footnotes).
 *
 * Safe by default: raw HTML and dangerous URLs (javascript:, vbscript:,
 * file:, data: other than images) are not passed through unless
 * unsafe_html is set (site.yaml `unsafe_html: true`). The cmark tree never
 * leaves this module: parse, render, free.
 */
#ifndef KURA_MARKDOWN_H
#define KURA_MARKDOWN_H

#include <stddef.h>

#include "util.h"

/* Appends the HTML of src[0..n) to html. If summary is not NULL, appends
 * the plain text of the first paragraph that has some (text, code spans
 * and link text; line breaks become spaces; raw HTML, images and footnote
 * markers left out), at most max_chars code points with "…" added when
 * cut (max_chars 0: no limit). Never fails: any input, even invalid UTF-8
 * or NUL bytes, gives some valid UTF-8 HTML. Safe to call from several
 * threads at once (the parsing itself is serialized inside). */
void markdown_render(const char *src, size_t n, int unsafe_html, struct buf *html,
                     struct buf *summary, size_t max_chars);

/* A link or an image of a body, where it was written: line and col are
 * 1-based, counted from the start of src, col in bytes (cmark's source
 * positions; 0 when cmark gives none). url is cmark's destination
 * (entities and backslash escapes resolved), valid only during the
 * callback. */
struct md_link {
	const char *url;
	int line, col;
	int image;     /* ![alt](url) */
	int alt_empty; /* an image whose alt text is empty */
};

/* markdown_render, and on_link(ctx, link) for every link and image of the
 * body, in document order, from the same parse (on_link may be NULL). */
void markdown_render_links(const char *src, size_t n, int unsafe_html, struct buf *html,
                           struct buf *summary, size_t max_chars,
                           void (*on_link)(void *ctx, const struct md_link *l), void *ctx);

/* Called once per process before any thread renders (registers the
 * extensions); markdown_render calls it itself if needed. */
void markdown_init(void);

/* Optional, at exit: frees cmark-gfm's global extension registry so that
 * valgrind reports no reachable memory either. No markdown_render may run
 * at the same time or afterwards. */
void markdown_cleanup(void);

#endif
