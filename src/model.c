/* model.c — content files to typed, validated records.
 *
 * Reads content/site.yaml and the Markdown files under content/sessions,
 * content/projects and content/pages through a source, gives the generic
 * front-matter tree (frontmatter.h) its types, renders bodies (markdown.h)
 * and merges the links between sessions and projects, which may be
 * declared on either side. Every problem in the archive is recorded, not
 * only the first, so a volunteer fixes everything in one round.
 */
#include "model.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "markdown.h"
#include "util.h"

#define SUMMARY_CHARS 120

/* The context of one file being loaded: where errors go. */
struct file_ctx {
	struct arena *a;
	struct diags *d;
	const char *path;
	int errors_before;
	const struct source_list *media; /* content/media, sorted; or NULL */
};

static int failed(const struct file_ctx *c)
{
	return c->d->errors > c->errors_before;
}

/* ---- field readers ---------------------------------------------------- */

static const char *kind_name(const struct fm_node *n)
{
	switch (n->kind) {
	case FM_SEQ: return "a list";
	case FM_MAP: return "a mapping";
	default: return "text";
	}
}

static int is_null(const struct fm_node *n)
{
	return n->kind == FM_SCALAR && n->plain &&
	       (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

/* Text: a scalar, trimmed; empty counts as absent. */
static const char *get_text(struct file_ctx *c, const char *field, const struct fm_node *n)
{
	if (!n || is_null(n))
		return NULL;
	if (n->kind != FM_SCALAR) {
		diag_error(c->d, c->path, n->line, n->col, "%s: expected text, got %s", field,
		           kind_name(n));
		return NULL;
	}
	struct span s = span_trim((struct span){n->str, n->len});
	if (!s.n)
		return NULL;
	if (memchr(s.p, '\0', s.n)) {
		diag_error(c->d, c->path, n->line, n->col, "%s: text holds a NUL byte", field);
		return NULL;
	}
	return arena_strndup(c->a, s.p, s.n);
}

/* A whole number >= 0; -1 when absent or wrong (error recorded). */
static long get_count(struct file_ctx *c, const char *field, const struct fm_node *n,
                      long max)
{
	if (!n || is_null(n))
		return -1;
	if (n->kind != FM_SCALAR) {
		diag_error(c->d, c->path, n->line, n->col,
		           "%s: expected a whole number, got %s", field, kind_name(n));
		return -1;
	}
	long v = 0;
	size_t i = 0;
	for (; i < n->len && n->str[i] >= '0' && n->str[i] <= '9'; i++) {
		v = v * 10 + (n->str[i] - '0');
		if (v > max)
			break;
	}
	if (i == 0 || i != n->len || v > max) {
		diag_error(c->d, c->path, n->line, n->col,
		           "%s: expected a whole number, got \"%s\"", field, n->str);
		if (i > 0 && i < n->len && v <= max)
			diag_hint(c->d, "write only the number: %s: %ld", field, v);
		else if (v > max)
			diag_hint(c->d, "%s must be at most %ld", field, max);
		return -1;
	}
	return v;
}

/* 1 / 0, or -1 when absent or wrong. */
static int get_bool(struct file_ctx *c, const char *field, const struct fm_node *n)
{
	if (!n || is_null(n))
		return -1;
	if (n->kind == FM_SCALAR && n->plain) {
		if (!strcmp(n->str, "true"))
			return 1;
		if (!strcmp(n->str, "false"))
			return 0;
	}
	diag_error(c->d, c->path, n->line, n->col, "%s: expected true or false, got \"%s\"",
	           field, n->kind == FM_SCALAR ? n->str : kind_name(n));
	return -1;
}

/* A list of texts. A single text is taken as a list of one. */
static struct strlist get_list(struct file_ctx *c, const char *field, const struct fm_node *n)
{
	struct strlist l = {NULL, 0};
	if (!n || is_null(n))
		return l;
	if (n->kind == FM_SCALAR) {
		const char *s = get_text(c, field, n);
		if (s) {
			l.v = arena_alloc(c->a, sizeof *l.v);
			l.v[l.n++] = s;
		}
		return l;
	}
	if (n->kind != FM_SEQ) {
		diag_error(c->d, c->path, n->line, n->col, "%s: expected a list, got %s", field,
		           kind_name(n));
		return l;
	}
	l.v = arena_alloc(c->a, (n->n ? n->n : 1) * sizeof *l.v);
	for (size_t i = 0; i < n->n; i++) {
		const struct fm_node *it = n->items[i];
		if (it->kind != FM_SCALAR) {
			diag_error(c->d, c->path, it->line, it->col,
			           "%s: each item must be text, got %s", field, kind_name(it));
			continue;
		}
		const char *s = get_text(c, field, it);
		if (!s)
			continue;
		int dup = 0;
		for (size_t j = 0; j < l.n; j++)
			dup |= !strcmp(l.v[j], s);
		if (dup)
			diag_warn(c->d, c->path, it->line, it->col, "%s: \"%s\" is listed twice",
			          field, s);
		else
			l.v[l.n++] = s;
	}
	return l;
}

/* Finds the list item node for value s, for positioned errors later. */
static const struct fm_node *list_item_node(const struct fm_node *n, const char *s)
{
	if (n && n->kind == FM_SEQ)
		for (size_t i = 0; i < n->n; i++)
			if (n->items[i]->kind == FM_SCALAR) {
				struct span t = span_trim((struct span){n->items[i]->str, n->items[i]->len});
				if (span_eq(t, s))
					return n->items[i];
			}
	return n;
}

static int get_date(struct file_ctx *c, const char *field, const struct fm_node *n,
                    int allow_ym, struct date *out)
{
	if (!n || is_null(n))
		return 1;
	if (n->kind != FM_SCALAR) {
		diag_error(c->d, c->path, n->line, n->col, "%s: expected a date, got %s", field,
		           kind_name(n));
		return -1;
	}
	const char *err = NULL;
	struct span s = span_trim((struct span){n->str, n->len});
	int rc = allow_ym ? date_parse_ym(s.p, s.n, out, &err) : date_parse(s.p, s.n, out, &err);
	if (rc != 0) {
		diag_error(c->d, c->path, n->line, n->col, "%s: %s", field,
		           err ? err : "not a date");
		if (!err || !strstr(err, "write"))
			diag_hint(c->d, "write the date as 2020-06-03, 2020年6月3日 or 令和2年6月3日");
		return -1;
	}
	return 0;
}

static int get_time(struct file_ctx *c, const char *field, const struct fm_node *n)
{
	if (!n || is_null(n))
		return -1;
	if (n->kind != FM_SCALAR) {
		diag_error(c->d, c->path, n->line, n->col, "%s: expected a time, got %s", field,
		           kind_name(n));
		return -1;
	}
	const char *err = NULL;
	int minutes = -1;
	struct span s = span_trim((struct span){n->str, n->len});
	if (time_parse(s.p, s.n, &minutes, &err) != 0) {
		diag_error(c->d, c->path, n->line, n->col, "%s: %s (got \"%s\")", field,
		           err ? err : "not a time", n->str);
		diag_hint(c->d, "write the time as \"19:00\" (24-hour clock)");
		return -1;
	}
	return minutes;
}

/* An image src must stay inside the site: a relative path, no scheme, no
 * "..", so that no volunteer's typo loads another host or escapes. */
static int safe_src(const char *s)
{
	if (!*s || s[0] == '/' || strchr(s, '\\') || strchr(s, ':') || strstr(s, "//"))
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '"' || *p == '<' || *p == '>' || *p == ' ')
			return 0;
	const char *seg = s;
	while (seg) {
		const char *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);
		if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		seg = end ? end + 1 : NULL;
	}
	return 1;
}

/* Is content/<src> one of the listed media files? (The list is sorted.) */
static int has_media(const struct source_list *media, const char *src)
{
	size_t lo = 0, hi = media->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *p = media->v[mid].path;
		int c = strncmp(p, "content/", 8);
		if (!c)
			c = strcmp(p + 8, src);
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static struct images get_images(struct file_ctx *c, const struct fm_node *n)
{
	struct images im = {NULL, 0};
	if (!n || is_null(n))
		return im;
	if (n->kind != FM_SEQ) {
		diag_error(c->d, c->path, n->line, n->col,
		           "images: expected a list of {src, alt, caption}, got %s", kind_name(n));
		return im;
	}
	im.v = arena_alloc(c->a, (n->n ? n->n : 1) * sizeof *im.v);
	for (size_t i = 0; i < n->n; i++) {
		const struct fm_node *it = n->items[i];
		if (it->kind != FM_MAP) {
			diag_error(c->d, c->path, it->line, it->col,
			           "images: each image must be a mapping with src and alt");
			continue;
		}
		for (size_t k = 0; k < it->n; k++) {
			const char *key = it->items[2 * k]->str;
			if (strcmp(key, "src") && strcmp(key, "alt") && strcmp(key, "caption"))
				diag_warn(c->d, c->path, it->items[2 * k]->line, it->items[2 * k]->col,
				          "images: unknown field \"%s\"", key);
		}
		struct image g = {get_text(c, "images: src", fm_get(it, "src")),
		                  get_text(c, "images: alt", fm_get(it, "alt")),
		                  get_text(c, "images: caption", fm_get(it, "caption"))};
		if (!g.src) {
			diag_error(c->d, c->path, it->line, it->col, "images: src is required");
			continue;
		}
		if (!safe_src(g.src)) {
			const struct fm_node *sn = fm_get(it, "src");
			diag_error(c->d, c->path, sn->line, sn->col,
			           "images: src \"%s\" must be a path inside the archive", g.src);
			diag_hint(c->d, "put the file under content/media/ and write src: media/photo.jpg");
			continue;
		}
		if (c->media && !has_media(c->media, g.src)) {
			const struct fm_node *sn = fm_get(it, "src");
			diag_error(c->d, c->path, sn->line, sn->col,
			           "images: there is no file content/%s", g.src);
			diag_hint(c->d, "image files go under content/media/, e.g. src: media/photo.jpg");
			continue;
		}
		if (!g.alt) {
			diag_error(c->d, c->path, it->line, it->col,
			           "images: alt is required (a short description for readers who cannot see the image)");
			continue;
		}
		im.v[im.n++] = g;
	}
	return im;
}

/* ---- unknown fields ---------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 32 || lb > 32)
		return 99;
	size_t row[33];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void check_fields(struct file_ctx *c, const struct fm_node *map,
                         const char *const *known)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct fm_node *k = map->items[2 * i];
		int ok = 0;
		for (const char *const *f = known; *f && !ok; f++)
			ok = !strcmp(k->str, *f);
		if (ok)
			continue;
		const char *near = NULL;
		for (const char *const *f = known; *f && !near; f++)
			if (edit_distance(k->str, *f) <= 2)
				near = *f;
		diag_warn(c->d, c->path, k->line, k->col, "unknown field \"%s\" (ignored)", k->str);
		if (near)
			diag_hint(c->d, "did you mean \"%s\"?", near);
	}
}

/* ---- slugs ------------------------------------------------------------- */

/* The file name without ".md". Slugs become URL path segments and
 * directory names, so they must be one safe segment. */
static const char *slug_of(struct file_ctx *c, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base) - 3; /* callers only pass *.md */
	const char *bad = NULL;
	if (n == 0 || base[0] == '.')
		bad = "it is empty or starts with \".\"";
	for (size_t i = 0; i < n && !bad; i++) {
		unsigned char ch = (unsigned char)base[i];
		if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == ' ' || ch == '#' || ch == '?' ||
		    ch == '%' || ch == '"' || ch == '<' || ch == '>')
			bad = "it holds a space or one of \\ # ? % \" < >";
	}
	if (bad) {
		diag_error(c->d, path, 0, 0, "bad file name for a page address: %s", bad);
		diag_hint(c->d, "use letters, digits and -, e.g. 2020-06-03-joho-kokan-01.md");
		return NULL;
	}
	return arena_strndup(c->a, base, n);
}

/* ---- one content file ------------------------------------------------- */

struct loaded {
	const struct fm_node *fm;
	const char *body;
	size_t body_len;
};

static int parse_file(struct file_ctx *c, const char *text, size_t len, struct loaded *out)
{
	struct span yaml, body;
	int yaml_line, body_line;
	if (fm_split(text, len, c->path, &yaml, &yaml_line, &body, &body_line, c->d) != 0)
		return -1;
	struct fm_node *root = NULL;
	if (fm_parse_yaml(c->a, yaml.p, yaml.n, c->path, yaml_line, c->d, &root) != 0)
		return -1;
	if (root->kind != FM_MAP) {
		diag_error(c->d, c->path, root->line, root->col,
		           "front matter must be a mapping of fields (title: ..., date: ...)");
		return -1;
	}
	out->fm = root;
	out->body = body.p;
	out->body_len = body.n;
	return 0;
}

static void render_body(struct file_ctx *c, const struct model *m, const struct loaded *l,
                        const char **html, const char **summary)
{
	struct buf h, s;
	buf_init(&h);
	buf_init(&s);
	markdown_render(l->body, l->body_len, m->site.unsafe_html, &h, &s, SUMMARY_CHARS);
	*html = arena_strndup(c->a, h.data, h.len);
	*summary = arena_strndup(c->a, s.data, s.len);
	buf_free(&h);
	buf_free(&s);
}

static void check_slug_field(struct file_ctx *c, const struct fm_node *fm, const char *slug)
{
	const struct fm_node *n = fm_get(fm, "slug");
	const char *s = get_text(c, "slug", n);
	if (s && slug && strcmp(s, slug) != 0) {
		diag_error(c->d, c->path, n->line, n->col,
		           "slug: \"%s\" differs from the file name \"%s.md\"", s, slug);
		diag_hint(c->d, "the address comes from the file name: rename the file or remove slug:");
	}
}

/* What every content file has: known fields, the optional slug check,
 * and a required title (an empty one counts as missing). */
static const char *common_fields(struct file_ctx *c, const struct fm_node *fm,
                                 const char *const *known, const char *slug)
{
	check_fields(c, fm, known);
	check_slug_field(c, fm, slug);
	const struct fm_node *n = fm_get(fm, "title");
	int errors = c->d->errors;
	const char *title = get_text(c, "title", n);
	if (!title && c->d->errors == errors)
		diag_error(c->d, c->path, n ? n->line : fm->line, n ? n->col : fm->col,
		           "title is required");
	return title;
}

static const char *const session_fields[] = {
	"title", "date", "start", "end", "series", "number", "themes", "attendance", "venue",
	"projects", "guests", "organizers", "images", "draft", "slug", NULL};

static struct session *load_session(struct file_ctx *c, struct model *m, const struct loaded *l,
                                    const char *slug, const struct fm_node **proj_node)
{
	const struct fm_node *fm = l->fm;
	struct session *s = arena_alloc(c->a, sizeof *s);
	s->slug = slug;
	s->path = c->path;
	s->title = common_fields(c, fm, session_fields, slug);
	int rc = get_date(c, "date", fm_get(fm, "date"), 0, &s->date);
	if (rc == 1)
		diag_error(c->d, c->path, fm->line, fm->col, "date is required");
	s->start = get_time(c, "start", fm_get(fm, "start"));
	s->end = get_time(c, "end", fm_get(fm, "end"));
	if (s->end >= 0 && s->start < 0 && !failed(c)) {
		const struct fm_node *n = fm_get(fm, "end");
		diag_error(c->d, c->path, n->line, n->col, "end is given but start is not");
	} else if (s->end >= 0 && s->start >= 0 && s->end <= s->start) {
		const struct fm_node *n = fm_get(fm, "end");
		diag_error(c->d, c->path, n->line, n->col, "end (%02d:%02d) must be after start (%02d:%02d)",
		           s->end / 60, s->end % 60, s->start / 60, s->start % 60);
	}
	s->series = get_text(c, "series", fm_get(fm, "series"));
	long num = get_count(c, "number", fm_get(fm, "number"), 100000);
	s->number = num > 0 ? (int)num : 0;
	if (num == 0) {
		const struct fm_node *n = fm_get(fm, "number");
		diag_error(c->d, c->path, n->line, n->col, "number: must be 1 or more");
	}
	s->themes = get_list(c, "themes", fm_get(fm, "themes"));
	s->attendance = get_count(c, "attendance", fm_get(fm, "attendance"), 10000000);
	s->venue = get_text(c, "venue", fm_get(fm, "venue"));
	*proj_node = fm_get(fm, "projects");
	s->guests = get_list(c, "guests", fm_get(fm, "guests"));
	s->organizers = get_list(c, "organizers", fm_get(fm, "organizers"));
	s->images = get_images(c, fm_get(fm, "images"));
	s->draft = get_bool(c, "draft", fm_get(fm, "draft")) == 1;
	render_body(c, m, l, &s->body_html, &s->summary);
	return s;
}

static const char *const project_fields[] = {
	"title", "status", "started", "themes", "partners", "sessions", "images", "draft", "slug",
	NULL};

static struct project *load_project(struct file_ctx *c, struct model *m, const struct loaded *l,
                                    const char *slug)
{
	const struct fm_node *fm = l->fm;
	struct project *p = arena_alloc(c->a, sizeof *p);
	p->slug = slug;
	p->path = c->path;
	p->title = common_fields(c, fm, project_fields, slug);
	const struct fm_node *st = fm_get(fm, "status");
	const char *status = get_text(c, "status", st);
	if (status) {
		if (!strcmp(status, "proposed"))
			p->status = STATUS_PROPOSED;
		else if (!strcmp(status, "active"))
			p->status = STATUS_ACTIVE;
		else if (!strcmp(status, "completed"))
			p->status = STATUS_COMPLETED;
		else {
			diag_error(c->d, c->path, st->line, st->col, "status: unknown status \"%s\"",
			           status);
			diag_hint(c->d, "use proposed, active or completed");
		}
	}
	get_date(c, "started", fm_get(fm, "started"), 1, &p->started);
	p->themes = get_list(c, "themes", fm_get(fm, "themes"));
	p->partners = get_list(c, "partners", fm_get(fm, "partners"));
	p->images = get_images(c, fm_get(fm, "images"));
	p->draft = get_bool(c, "draft", fm_get(fm, "draft")) == 1;
	render_body(c, m, l, &p->body_html, &p->summary);
	return p;
}

static const char *const page_fields[] = {"title", "menu", "draft", "slug", NULL};

static struct page *load_page(struct file_ctx *c, struct model *m, const struct loaded *l,
                              const char *slug, int *draft)
{
	const struct fm_node *fm = l->fm;
	struct page *p = arena_alloc(c->a, sizeof *p);
	p->slug = slug;
	p->path = c->path;
	p->title = common_fields(c, fm, page_fields, slug);
	long menu = get_count(c, "menu", fm_get(fm, "menu"), 1000);
	p->menu = menu > 0 ? (int)menu : 0;
	*draft = get_bool(c, "draft", fm_get(fm, "draft")) == 1;
	render_body(c, m, l, &p->body_html, &p->summary);
	return p;
}

/* ---- site.yaml --------------------------------------------------------- */

static const char *const site_fields[] = {
	"title", "base_url", "language", "timezone", "fiscal_year_start", "theme", "repository",
	"per_page", "unsafe_html", "description", "theme_slugs", NULL};

static int load_site(struct model *m, struct source *src, struct diags *d)
{
	static const char path[] = "content/site.yaml";
	struct file_ctx c = {m->arena, d, path, d->errors, NULL};
	struct site *s = &m->site;
	char *text = NULL;
	size_t len = 0;
	int rc = source_read(src, path, &text, &len, d);
	if (rc == 1) {
		diag_error(d, path, 0, 0, "missing: every archive needs content/site.yaml");
		diag_hint(d, "create it with at least:  title: ...  and  base_url: https://example.org/");
	}
	if (rc != 0)
		return -1;
	struct fm_node *fm = NULL;
	size_t bad;
	if (!utf8_valid(text, len, &bad)) {
		diag_error(d, path, 0, 0, "not valid UTF-8 (byte %zu)", bad);
		free(text);
		return -1;
	}
	rc = fm_parse_yaml(m->arena, text, len, path, 1, d, &fm);
	free(text);
	if (rc != 0)
		return -1;
	if (fm->kind != FM_MAP)
		return diag_error(d, path, fm->line, fm->col, "site.yaml must be a mapping of settings");
	check_fields(&c, fm, site_fields);
	s->title = get_text(&c, "title", fm_get(fm, "title"));
	if (!s->title)
		diag_error(d, path, fm->line, fm->col, "title is required");
	const struct fm_node *bn = fm_get(fm, "base_url");
	const char *base = get_text(&c, "base_url", bn);
	if (!base) {
		diag_error(d, path, fm->line, fm->col, "base_url is required");
		base = "/";
	}
	size_t bl = strlen(base);
	s->base_url = base[bl - 1] == '/' ? base : arena_printf(m->arena, "%s/", base);
	const char *scheme_end = strstr(s->base_url, "://");
	if (scheme_end) {
		if (strncmp(s->base_url, "https://", 8) && strncmp(s->base_url, "http://", 7))
			diag_error(d, path, bn->line, bn->col, "base_url: must start with https://, http:// or /");
		const char *slash = strchr(scheme_end + 3, '/');
		s->base_path = slash ? slash : "/";
	} else if (s->base_url[0] == '/') {
		s->base_path = s->base_url;
	} else if (bn) {
		diag_error(d, path, bn->line, bn->col, "base_url: must start with https://, http:// or /");
		s->base_path = "/";
	}
	for (const char *p = s->base_url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			diag_error(d, path, bn->line, bn->col, "base_url: must not hold spaces, quotes or < >");
	s->language = get_text(&c, "language", fm_get(fm, "language"));
	if (!s->language)
		s->language = "ja";
	s->timezone = get_text(&c, "timezone", fm_get(fm, "timezone"));
	if (!s->timezone)
		s->timezone = "Asia/Tokyo";
	s->utc_offset = !strcmp(s->timezone, "Asia/Tokyo") ? "+09:00" : NULL;
	long fys = get_count(&c, "fiscal_year_start", fm_get(fm, "fiscal_year_start"), 12);
	s->fiscal_year_start = fys < 0 ? 4 : (int)fys;
	if (fys == 0) {
		const struct fm_node *n = fm_get(fm, "fiscal_year_start");
		diag_error(d, path, n->line, n->col, "fiscal_year_start: a month from 1 to 12");
	}
	const struct fm_node *tn = fm_get(fm, "theme");
	s->theme = get_text(&c, "theme", tn);
	if (!s->theme)
		s->theme = "default";
	else if (strchr(s->theme, '/') || strchr(s->theme, '\\') || s->theme[0] == '.')
		diag_error(d, path, tn->line, tn->col, "theme: a theme is named by its folder under themes/, without / or ..");
	s->repository = get_text(&c, "repository", fm_get(fm, "repository"));
	long pp = get_count(&c, "per_page", fm_get(fm, "per_page"), 1000);
	s->per_page = pp < 0 ? 20 : (int)pp;
	if (pp == 0) {
		const struct fm_node *n = fm_get(fm, "per_page");
		diag_error(d, path, n->line, n->col, "per_page: must be 1 or more");
	}
	s->unsafe_html = get_bool(&c, "unsafe_html", fm_get(fm, "unsafe_html")) == 1;
	s->description = get_text(&c, "description", fm_get(fm, "description"));
	const struct fm_node *ts = fm_get(fm, "theme_slugs");
	if (ts && !is_null(ts)) {
		if (ts->kind != FM_MAP) {
			diag_error(d, path, ts->line, ts->col,
			           "theme_slugs: expected a mapping like  コロナ: corona");
		} else {
			s->theme_slug_keys.v = arena_alloc(m->arena, (ts->n + 1) * sizeof(char *));
			s->theme_slug_values.v = arena_alloc(m->arena, (ts->n + 1) * sizeof(char *));
			for (size_t i = 0; i < ts->n; i++) {
				const char *v = get_text(&c, "theme_slugs", ts->items[2 * i + 1]);
				if (!v)
					continue;
				s->theme_slug_keys.v[s->theme_slug_keys.n++] = ts->items[2 * i]->str;
				s->theme_slug_values.v[s->theme_slug_values.n++] = v;
			}
		}
	}
	return failed(&c) ? -1 : 0;
}

/* ---- sorting and links -------------------------------------------------- */

int model_session_when_cmp(const struct session *a, const struct session *b)
{
	int c = date_cmp(a->date, b->date);
	if (c)
		return c;
	return a->start < b->start ? -1 : a->start > b->start;
}

static int cmp_session(const void *pa, const void *pb)
{
	const struct session *a = *(struct session *const *)pa, *b = *(struct session *const *)pb;
	int c = model_session_when_cmp(a, b);
	return c ? c : strcmp(a->slug, b->slug);
}

static int cmp_project(const void *pa, const void *pb)
{
	const struct project *a = *(struct project *const *)pa, *b = *(struct project *const *)pb;
	return strcmp(a->slug, b->slug);
}

static int cmp_session_slug(const void *pa, const void *pb)
{
	const struct session *a = *(struct session *const *)pa, *b = *(struct session *const *)pb;
	return strcmp(a->slug, b->slug);
}

static int cmp_page(const void *pa, const void *pb)
{
	const struct page *a = *(struct page *const *)pa, *b = *(struct page *const *)pb;
	return strcmp(a->slug, b->slug);
}

struct link {
	struct session *s;
	struct project *p;
};

static int cmp_link(const void *pa, const void *pb)
{
	const struct link *a = pa, *b = pb;
	if (a->s->idx != b->s->idx)
		return a->s->idx < b->s->idx ? -1 : 1;
	return a->p->idx < b->p->idx ? -1 : a->p->idx > b->p->idx;
}

/* Binary search by slug in a slug-sorted array. */
static void *find_slug(void *const *v, size_t n, const char *slug, size_t slug_off)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = *(const char *const *)((const char *)v[mid] + slug_off);
		int c = strcmp(s, slug);
		if (!c)
			return v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- the whole archive -------------------------------------------------- */

struct pending {
	struct session **sv;
	size_t sn;
	const struct fm_node **sproj; /* each session's projects: node */
	struct project **pv;
	size_t pn;
	const struct fm_node **psess; /* each project's sessions: node */
	struct page **gv;
	size_t gn;
};

static int ends_with_md(const char *p)
{
	size_t n = strlen(p);
	return n > 3 && !strcmp(p + n - 3, ".md");
}

enum kind { K_SESSION, K_PROJECT, K_PAGE };

static void load_dir(struct model *m, struct source *src, const char *dir, enum kind kind,
                     int include_drafts, const struct source_list *media, struct pending *pd,
                     struct diags *d)
{
	struct source_list list = {NULL, 0};
	if (source_list(src, dir, &list, d) != 0)
		return;
	size_t cap = list.n ? list.n : 1;
	if (kind == K_SESSION) {
		pd->sv = xrealloc(pd->sv, cap * sizeof *pd->sv);
		pd->sproj = xrealloc(pd->sproj, cap * sizeof *pd->sproj);
	} else if (kind == K_PROJECT) {
		pd->pv = xrealloc(pd->pv, cap * sizeof *pd->pv);
		pd->psess = xrealloc(pd->psess, cap * sizeof *pd->psess);
	} else {
		pd->gv = xrealloc(pd->gv, cap * sizeof *pd->gv);
	}
	for (size_t i = 0; i < list.n; i++) {
		const char *fpath = list.v[i].path;
		if (!ends_with_md(fpath))
			continue;
		char *path = arena_strdup(m->arena, fpath);
		struct file_ctx c = {m->arena, d, path, d->errors, media};
		const char *slug = slug_of(&c, path);
		char *text = NULL;
		size_t len = 0;
		struct loaded l;
		if (source_read(src, path, &text, &len, d) != 0 || !slug ||
		    parse_file(&c, text, len, &l) != 0) {
			free(text);
			continue;
		}
		if (kind == K_SESSION) {
			const struct fm_node *pn = NULL;
			struct session *s = load_session(&c, m, &l, slug, &pn);
			pd->sproj[pd->sn] = pn;
			pd->sv[pd->sn++] = s;
		} else if (kind == K_PROJECT) {
			struct project *p = load_project(&c, m, &l, slug);
			pd->psess[pd->pn] = fm_get(l.fm, "sessions");
			pd->pv[pd->pn++] = p;
		} else {
			int draft = 0;
			struct page *g = load_page(&c, m, &l, slug, &draft);
			if (!draft || include_drafts)
				pd->gv[pd->gn++] = g;
		}
		free(text);
	}
	source_list_free(&list);
}

/* Reports a second file with the same slug; arrays are sorted by slug. */
static void check_duplicates(void **v, size_t n, size_t slug_off, size_t path_off,
                             const char *what, struct diags *d)
{
	for (size_t i = 1; i < n; i++) {
		const char *a = *(const char **)((char *)v[i - 1] + slug_off);
		const char *b = *(const char **)((char *)v[i] + slug_off);
		if (strcmp(a, b))
			continue;
		const char *pa = *(const char **)((char *)v[i - 1] + path_off);
		const char *pb = *(const char **)((char *)v[i] + path_off);
		diag_error(d, pb, 0, 0, "duplicate %s address \"%s\": %s has the same file name", what,
		           b, pa);
		diag_hint(d, "file names become addresses (/%ss/%s/): rename one of them", what, b);
	}
}

static void push_link(struct link **v, size_t *n, size_t *cap, struct session *s,
                      struct project *p)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = (struct link){s, p};
}

static void merge_links(struct model *m, struct pending *pd, int include_drafts,
                        struct diags *d)
{
	struct link *links = NULL;
	size_t nl = 0, cap = 0;
	/* Look-ups by slug need slug-sorted arrays. */
	struct session **by_slug = xmalloc((pd->sn ? pd->sn : 1) * sizeof *by_slug);
	memcpy(by_slug, pd->sv, pd->sn * sizeof *by_slug);
	qsort(by_slug, pd->sn, sizeof *by_slug, cmp_session_slug);
	for (size_t i = 0; i < pd->sn; i++) {
		struct session *s = pd->sv[i];
		const struct fm_node *pn = pd->sproj[i];
		struct file_ctx c = {m->arena, d, s->path, d->errors, NULL};
		struct strlist l = get_list(&c, "projects", pn);
		for (size_t k = 0; k < l.n; k++) {
			struct project *p = find_slug((void *const *)pd->pv, pd->pn, l.v[k],
			                              offsetof(struct project, slug));
			if (!p) {
				const struct fm_node *it = list_item_node(pn, l.v[k]);
				diag_error(d, s->path, it->line, it->col,
				           "projects: no project \"%s\" (content/projects/%s.md does not exist)",
				           l.v[k], l.v[k]);
				continue;
			}
			push_link(&links, &nl, &cap, s, p);
		}
	}
	for (size_t i = 0; i < pd->pn; i++) {
		struct project *p = pd->pv[i];
		const struct fm_node *sn = pd->psess[i];
		struct file_ctx c = {m->arena, d, p->path, d->errors, NULL};
		struct strlist l = get_list(&c, "sessions", sn);
		for (size_t k = 0; k < l.n; k++) {
			struct session *s = find_slug((void *const *)by_slug, pd->sn, l.v[k],
			                              offsetof(struct session, slug));
			if (!s) {
				const struct fm_node *it = list_item_node(sn, l.v[k]);
				diag_error(d, p->path, it->line, it->col,
				           "sessions: no session \"%s\" (no content/sessions/**/%s.md)",
				           l.v[k], l.v[k]);
				continue;
			}
			push_link(&links, &nl, &cap, s, p);
		}
	}
	free(by_slug);
	/* Indexes are final (after sorting); drop duplicates and drafts. */
	qsort(links, nl, sizeof *links, cmp_link);
	size_t *scount = xcalloc(pd->sn + 1, sizeof *scount);
	size_t *pcount = xcalloc(pd->pn + 1, sizeof *pcount);
	size_t u = 0;
	for (size_t i = 0; i < nl; i++) {
		if (u && links[u - 1].s == links[i].s && links[u - 1].p == links[i].p)
			continue;
		links[u++] = links[i];
	}
	nl = u;
	for (size_t i = 0; i < nl; i++) {
		scount[links[i].s->idx]++;
		pcount[links[i].p->idx]++;
	}
	for (size_t i = 0; i < pd->sn; i++)
		pd->sv[i]->projects = arena_alloc(m->arena, (scount[i] + 1) * sizeof(struct project *));
	for (size_t i = 0; i < pd->pn; i++)
		pd->pv[i]->sessions = arena_alloc(m->arena, (pcount[i] + 1) * sizeof(struct session *));
	/* links are in session order, so each project's sessions come out in
	 * model order; a session's projects in project (slug) order. */
	for (size_t i = 0; i < nl; i++) {
		struct session *s = links[i].s;
		struct project *p = links[i].p;
		if (!include_drafts && (s->draft || p->draft))
			continue;
		s->projects[s->nprojects++] = p;
		p->sessions[p->nsessions++] = s;
	}
	free(scount);
	free(pcount);
	free(links);
}

int model_load(struct model **out, struct source *src, int include_drafts, struct diags *d)
{
	int errors_before = d->errors;
	struct model *m = xcalloc(1, sizeof *m);
	m->arena = arena_new();
	struct pending pd;
	memset(&pd, 0, sizeof pd);
	*out = m;

	struct source_list media = {NULL, 0};
	if (load_site(m, src, d) != 0 || source_list(src, "content/media", &media, d) != 0)
		goto done;
	load_dir(m, src, "content/sessions", K_SESSION, include_drafts, &media, &pd, d);
	load_dir(m, src, "content/projects", K_PROJECT, include_drafts, &media, &pd, d);
	load_dir(m, src, "content/pages", K_PAGE, include_drafts, &media, &pd, d);

	/* Sort: sessions by date; projects by slug; sessions also by slug for
	 * the duplicate check. Indexes follow the final order. */
	qsort(pd.pv, pd.pn, sizeof *pd.pv, cmp_project);
	check_duplicates((void **)pd.pv, pd.pn, offsetof(struct project, slug),
	                 offsetof(struct project, path), "project", d);
	qsort(pd.gv, pd.gn, sizeof *pd.gv, cmp_page);
	check_duplicates((void **)pd.gv, pd.gn, offsetof(struct page, slug),
	                 offsetof(struct page, path), "page", d);
	{
		struct session **tmp = xmalloc((pd.sn ? pd.sn : 1) * sizeof *tmp);
		memcpy(tmp, pd.sv, pd.sn * sizeof *tmp);
		qsort(tmp, pd.sn, sizeof *tmp, cmp_session_slug);
		check_duplicates((void **)tmp, pd.sn, offsetof(struct session, slug),
		                 offsetof(struct session, path), "session", d);
		free(tmp);
	}
	/* Keep each session's projects node aligned while sorting. */
	for (size_t i = 0; i < pd.sn; i++)
		pd.sv[i]->idx = i;
	{
		const struct fm_node **nodes = xmalloc((pd.sn ? pd.sn : 1) * sizeof *nodes);
		memcpy(nodes, pd.sproj, pd.sn * sizeof *nodes);
		qsort(pd.sv, pd.sn, sizeof *pd.sv, cmp_session);
		for (size_t i = 0; i < pd.sn; i++)
			pd.sproj[i] = nodes[pd.sv[i]->idx];
		free(nodes);
	}
	for (size_t i = 0; i < pd.sn; i++)
		pd.sv[i]->idx = i;
	for (size_t i = 0; i < pd.pn; i++)
		pd.pv[i]->idx = i;
	merge_links(m, &pd, include_drafts, d);

	/* Publish: drafts leave here, unless asked for. */
	m->sessions = arena_alloc(m->arena, (pd.sn + 1) * sizeof *m->sessions);
	for (size_t i = 0; i < pd.sn; i++)
		if (include_drafts || !pd.sv[i]->draft) {
			pd.sv[i]->idx = m->nsessions;
			m->sessions[m->nsessions++] = pd.sv[i];
		}
	m->projects = arena_alloc(m->arena, (pd.pn + 1) * sizeof *m->projects);
	for (size_t i = 0; i < pd.pn; i++)
		if (include_drafts || !pd.pv[i]->draft) {
			pd.pv[i]->idx = m->nprojects;
			m->projects[m->nprojects++] = pd.pv[i];
		}
	m->pages = arena_alloc(m->arena, (pd.gn + 1) * sizeof *m->pages);
	for (size_t i = 0; i < pd.gn; i++)
		m->pages[m->npages++] = pd.gv[i];
done:
	source_list_free(&media);
	free(pd.sv);
	free(pd.sproj);
	free(pd.pv);
	free(pd.psess);
	free(pd.gv);
	return d->errors > errors_before ? -1 : 0;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	arena_free(m->arena);
	free(m);
}

const char *project_status_name(enum project_status s)
{
	switch (s) {
	case STATUS_PROPOSED: return "proposed";
	case STATUS_ACTIVE: return "active";
	case STATUS_COMPLETED: return "completed";
	default: return "";
	}
}

const char *project_status_ja(enum project_status s)
{
	switch (s) {
	case STATUS_PROPOSED: return "構想中";
	case STATUS_ACTIVE: return "進行中";
	case STATUS_COMPLETED: return "完了";
	default: return "";
	}
}

struct project *model_find_project(const struct model *m, const char *slug)
{
	return find_slug((void *const *)m->projects, m->nprojects, slug,
	                 offsetof(struct project, slug));
}

struct session *model_find_session(const struct model *m, const char *slug)
{
	for (size_t i = 0; i < m->nsessions; i++)
		if (!strcmp(m->sessions[i]->slug, slug))
			return m->sessions[i];
	return NULL;
}
