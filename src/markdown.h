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
 * the plain text of the first paragraph (at most max_chars code points,
 * "…" added when cut) to it. Never fails: any input gives some HTML. */
void markdown_render(const char *src, size_t n, int unsafe_html, struct buf *html,
                     struct buf *summary, size_t max_chars);

/* Called once per process before any thread renders (registers the
 * extensions); markdown_render calls it itself if needed. */
void markdown_init(void);

/* Optional, at exit: frees cmark-gfm's global extension registry so that
 * valgrind reports no reachable memory either. No markdown_render may run
 * at the same time or afterwards. */
void markdown_cleanup(void);

#endif
