/* links.c — broken internal links, missing anchors, missing images and
 * documents, and images without alt text, in the bodies of records.
 *
 * The plan says which files exist without rendering; the ids of a page are
 * only known once it is rendered (the theme writes some, footnotes
 * others), so they are gathered while kura check renders (links_seen)
 * and links are checked after. Every address is resolved by url.h. */
#include "links.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "url.h"
#include "util.h"

struct links {
	const struct output_plan *p;
	struct arena *a;
	struct strmap files; /* path -> 1 + 1 when it is a page */
	struct strmap ids;   /* "path#id" (in a) -> 1 */
};

struct links *links_new(const struct output_plan *p)
{
	struct links *l = xcalloc(1, sizeof *l);
	l->p = p;
	l->a = arena_new();
	strmap_init(&l->files);
	strmap_init(&l->ids);
	for (size_t i = 0; i < output_count(p); i++) {
		const struct output_file *f = output_file(p, i);
		strmap_put(&l->files, f->path, f->href ? 2 : 1, NULL);
	}
	return l;
}

void links_free(struct links *l)
{
	if (!l)
		return;
	strmap_free(&l->files);
	strmap_free(&l->ids);
	arena_free(l->a);
	free(l);
}

void links_seen(void *ctx, size_t i, const char *data, size_t len)
{
	struct links *l = ctx;
	const struct output_file *f = output_file(l->p, i);
	if (!f->href)
		return;
	static const char attr[] = " id=\"";
	const char *p = data, *end = data + len;
	struct buf key;
	buf_init(&key);
	for (; (p = memchr(p, ' ', (size_t)(end - p))) != NULL; p++) {
		if ((size_t)(end - p) < sizeof attr || memcmp(p, attr, sizeof attr - 1))
			continue;
		p += sizeof attr - 1;
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q)
			break;
		buf_reset(&key);
		buf_printf(&key, "%s#", f->path);
		buf_put(&key, p, (size_t)(q - p));
		strmap_put(&l->ids, arena_strndup(l->a, key.data, key.len), 1, NULL);
		p = q;
	}
	buf_free(&key);
}

/* Is file (a resolved path) in the site? A directory's address without
 * its final '/' ("sessions/x" for "sessions/x/index.html") counts. */
static const size_t *find_file(const struct links *l, struct buf *file)
{
	const size_t *v = strmap_get(&l->files, file->data);
	if (!v) {
		size_t n = file->len;
		buf_puts(file, "/index.html");
		v = strmap_get(&l->files, file->data);
		if (!v)
			file->data[file->len = n] = '\0';
	}
	return v;
}

/* One link of the record at path whose page is href. */
static void check_link(const struct links *l, const struct site *s, const char *path,
                       const char *href, const struct body_link *k, struct buf *file,
                       struct buf *frag, struct diags *d)
{
	if (k->alt_empty) {
		diag_error(d, path, k->line, k->col, "image without alt text");
		diag_hint(d, "describe the image between the brackets: ![会場の様子](%s)", k->url);
	}
	enum url_target t = url_resolve(file, frag, s, href, k->url);
	if (t == URL_OUTSIDE)
		return;
	if (t == URL_ESCAPES) {
		diag_error(d, path, k->line, k->col, "link \"%s\" leads above the site's root",
		           k->url);
		diag_hint(d, "write the address from the site's root, e.g. %ssessions/", s->base_path);
		return;
	}
	const size_t *v = find_file(l, file);
	if (!v) {
		if (k->image)
			diag_error(d, path, k->line, k->col, "image \"%s\" not found: the site has no %s",
			           k->url, file->data);
		else
			diag_error(d, path, k->line, k->col, "broken link \"%s\": the site has no %s",
			           k->url, file->data);
		/* The commonest slip: an address meant from the root, written
		 * relative to this page. */
		struct buf root, rfrag;
		buf_init(&root);
		buf_init(&rfrag);
		if (k->url[0] != '/' && url_resolve(&root, &rfrag, s, "", k->url) == URL_INSIDE &&
		    find_file(l, &root))
			diag_hint(d, "links are read from this page's address (/%s); from the site's root write %s%s",
			          href, s->base_path, k->url);
		else if (k->image)
			diag_hint(d, "image files go under content/media/ and are written %smedia/photo.jpg",
			          s->base_path);
		else
			diag_hint(d, "kura list prints every address the site has");
		buf_free(&root);
		buf_free(&rfrag);
		return;
	}
	if (frag->len && *v == 2) {
		buf_putc(file, '#');
		buf_put(file, frag->data, frag->len);
		if (!strmap_get(&l->ids, file->data)) {
			diag_error(d, path, k->line, k->col, "link \"%s\": the page has no anchor #%s",
			           k->url, frag->data);
			diag_hint(d, "an anchor names an id on the page, e.g. a footnote (#fn-1)");
		}
	}
}

static void check_record(const struct links *l, const struct site *s, const char *path,
                         const char *href, const struct body_links *bl, struct diags *d)
{
	struct buf file, frag;
	buf_init(&file);
	buf_init(&frag);
	for (size_t i = 0; i < bl->n; i++)
		check_link(l, s, path, href, &bl->v[i], &file, &frag, d);
	buf_free(&file);
	buf_free(&frag);
}

int links_check(const struct links *l, const struct model *m, struct diags *d)
{
	int errors = d->errors;
	struct buf href;
	buf_init(&href);
	for (size_t i = 0; i < m->nsessions; i++) {
		buf_reset(&href);
		url_session(&href, URL_HREF, m->sessions[i]->slug);
		check_record(l, &m->site, m->sessions[i]->path, href.data, &m->sessions[i]->links, d);
	}
	for (size_t i = 0; i < m->nprojects; i++) {
		buf_reset(&href);
		url_project(&href, URL_HREF, m->projects[i]->slug);
		check_record(l, &m->site, m->projects[i]->path, href.data, &m->projects[i]->links, d);
	}
	for (size_t i = 0; i < m->npages; i++) {
		buf_reset(&href);
		url_page(&href, URL_HREF, m->pages[i]->slug);
		check_record(l, &m->site, m->pages[i]->path, href.data, &m->pages[i]->links, d);
	}
	buf_free(&href);
	return d->errors > errors ? -1 : 0;
}
