/* markdown.c — the Markdown stage: body text in, HTML (and a plain-text
 * summary) out, with cmark-gfm and the GitHub extensions.
 *
 * Volunteers write these files, so the default is safe: cmark-gfm drops
 * raw HTML and dangerous link schemes unless the site opts in with
 * unsafe_html, and even then the tagfilter extension escapes <script> and
 * its kin. The cmark tree is parsed, rendered and freed here; only the
 * HTML string leaves. Renders may run in several threads at once.
 */
#include "markdown.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <cmark-gfm/registry.h> /* cmark_release_plugins */

/* Every GitHub extension the archive allows; footnotes are an option
 * rather than an extension in cmark-gfm 0.29. */
static const char *const ext_names[] = {
	"table", "strikethrough", "autolink", "tagfilter", "tasklist",
};
#define N_EXT (sizeof ext_names / sizeof *ext_names)

static cmark_syntax_extension *exts[N_EXT];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* cmark-gfm 0.29 keeps the table of inline trigger characters ('~' for
 * strikethrough, ':' and 'w' for autolinks) in a global array that every
 * parse switches on before inline parsing and off after it (in
 * cmark_parser_finish, and for each table row while feeding). Two parses
 * at once switch each other's characters off, and strikethrough or
 * autolinks then go missing at random (github/cmark-gfm pull request 176
 * describes it). So parsing is serialized; rendering the HTML, the summary
 * and freeing the tree run in parallel. */
static pthread_mutex_t parse_lock = PTHREAD_MUTEX_INITIALIZER;

/* Registration writes cmark-gfm's global extension registry, so it must
 * happen once, before any thread reads it; pthread_once gives both. */
static void init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	for (size_t i = 0; i < N_EXT; i++)
		exts[i] = cmark_find_syntax_extension(ext_names[i]);
}

void markdown_init(void)
{
	pthread_once(&init_once, init);
}

void markdown_cleanup(void)
{
	/* The pointers go too: a render after this (which the header
	 * forbids) would then run without extensions instead of reading
	 * freed memory. */
	cmark_release_plugins();
	memset(exts, 0, sizeof exts);
}

/* ---- summary ----------------------------------------------------------- */

/* Appends a single space, never at the start nor after another space:
 * line breaks and code spans inside the text become plain spacing. */
static void put_space(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != ' ')
		buf_putc(b, ' ');
}

/* Appends s, turning newlines and tabs (possible inside code spans) into
 * single spaces. */
static void put_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t' || *s == ' ')
			put_space(b);
		else
			buf_putc(b, *s);
	}
}

/* The plain text of paragraph para into b: text, code and line breaks;
 * raw HTML, footnote markers and images (an alt text describes a picture,
 * it does not sum up the page) are left out. */
static void paragraph_text(cmark_node *para, struct buf *b)
{
	cmark_iter *it = cmark_iter_new(para);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(it);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE: {
			const char *lit = cmark_node_get_literal(node);
			if (lit)
				put_text(b, lit);
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			put_space(b);
			break;
		case CMARK_NODE_IMAGE:
			cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

/* Keeps at most max code points of b (whole UTF-8 sequences only), adding
 * "…" when something was cut. */
static void cut(struct buf *b, size_t max)
{
	size_t i = 0, cps = 0;
	while (i < b->len && cps < max) {
		unsigned cp;
		int l = utf8_decode(b->data + i, b->len - i, &cp);
		i += l > 0 ? (size_t)l : 1;
		cps++;
	}
	if (i >= b->len)
		return;
	b->len = i;
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->len--; /* "word …" reads worse than "word…" */
	b->data[b->len] = '\0';
	buf_puts(b, "…");
}

/* The first paragraph that has some text, outside footnotes. */
static void summarize(cmark_node *doc, struct buf *out, size_t max_chars)
{
	struct buf text;
	buf_init(&text);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(node) == CMARK_NODE_FOOTNOTE_DEFINITION) {
			/* Skip the definition: its text is not the page's. */
			cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
			continue;
		}
		if (cmark_node_get_type(node) != CMARK_NODE_PARAGRAPH)
			continue;
		paragraph_text(node, &text);
		if (text.len > 0)
			break;
	}
	cmark_iter_free(it);
	if (max_chars > 0)
		cut(&text, max_chars);
	buf_put(out, text.data, text.len);
	buf_free(&text);
}

/* ---- links ------------------------------------------------------------- */

/* Does image node img have any alt text (text or code inside it)? */
static int has_alt(cmark_node *img)
{
	int found = 0;
	cmark_iter *it = cmark_iter_new(img);
	cmark_event_type ev;
	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		const char *lit = cmark_node_get_literal(node);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) && lit)
			for (; *lit && !found; lit++)
				found = *lit != ' ' && *lit != '\t';
	}
	cmark_iter_free(it);
	return found;
}

static void list_links(cmark_node *doc, void (*on_link)(void *, const struct md_link *),
                       void *ctx)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
			continue;
		const char *url = cmark_node_get_url(node);
		struct md_link l = {url ? url : "", cmark_node_get_start_line(node),
		                    cmark_node_get_start_column(node), t == CMARK_NODE_IMAGE, 0};
		l.alt_empty = l.image && !has_alt(node);
		on_link(ctx, &l);
	}
	cmark_iter_free(it);
}

/* ---- render ------------------------------------------------------------ */

void markdown_render(const char *src, size_t n, int unsafe_html, struct buf *html,
                     struct buf *summary, size_t max_chars)
{
	markdown_render_links(src, n, unsafe_html, html, summary, max_chars, NULL, NULL);
}

void markdown_render_links(const char *src, size_t n, int unsafe_html, struct buf *html,
                           struct buf *summary, size_t max_chars,
                           void (*on_link)(void *ctx, const struct md_link *l), void *ctx)
{
	markdown_init();

	/* CMARK_OPT_SAFE is a no-op kept for compatibility in 0.29 (safe is
	 * the default there); it is passed anyway so that an older library
	 * is safe too. VALIDATE_UTF8 makes any bytes give valid HTML. Smart
	 * punctuation stays off: it would rewrite the quotes and dashes
	 * volunteers typed. */
	int opts = CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8 |
	           (unsafe_html ? CMARK_OPT_UNSAFE : CMARK_OPT_SAFE);
	cmark_parser *parser = cmark_parser_new(opts);
	for (size_t i = 0; i < N_EXT; i++)
		if (exts[i])
			cmark_parser_attach_syntax_extension(parser, exts[i]);
	pthread_mutex_lock(&parse_lock);
	cmark_parser_feed(parser, src, n);
	cmark_node *doc = cmark_parser_finish(parser);
	pthread_mutex_unlock(&parse_lock);

	/* The extension list is passed to the renderer too, or tables,
	 * tagfilter and tasklists would not render their own way. */
	char *out = cmark_render_html(doc, opts,
	                              cmark_parser_get_syntax_extensions(parser));
	buf_puts(html, out);
	/* Allocated with cmark's default allocator, which is malloc. */
	cmark_get_default_mem_allocator()->free(out);

	if (summary)
		summarize(doc, summary, max_chars);
	if (on_link)
		list_links(doc, on_link, ctx);

	cmark_node_free(doc);
	cmark_parser_free(parser);
}
