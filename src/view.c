/* view.c — model and index to template values.
 *
 * Every name a template can use is set here and nowhere else;
 * docs/templates.md documents them. Item values are cached per build so a
 * session listed on twenty pages is built once.
 */
#include "view.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "url.h"
#include "util.h"
#include "version.h"


struct view {
	struct arena *a;
	const struct model *m;
	const struct index *ix;
	struct value *site, *assets;
	struct value **sessions; /* cache by session idx */
	struct value **projects; /* cache by project idx */
	struct buf tmp;
};

struct arena *view_arena(struct view *v)
{
	return v->a;
}

/* The buffer's text copied into the arena. */
static const char *keep(struct view *v, const struct buf *b)
{
	return arena_strndup(v->a, b->data, b->len);
}

static struct value *str_list(struct view *v, const struct strlist *l)
{
	struct value *list = value_list(v->a);
	for (size_t i = 0; i < l->n; i++)
		value_push(v->a, list, value_str(v->a, l->v[i]));
	return list;
}

/* Sets key to list and has_<key> to whether it has items: Mustache
 * cannot ask a list for its length, and a template often needs to know
 * whether to draw the heading above it. */
void view_set_list(struct view *v, struct value *map, const char *key, struct value *list)
{
	value_set(v->a, map, key, list);
	value_set_bool(v->a, map, arena_printf(v->a, "has_%s", key), list->u.list.n > 0);
}

/* Text that is empty is absent: "" would still open a section. */
static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static const char *permalink(struct view *v, const char *url)
{
	return arena_printf(v->a, "%s%s", v->m->site.base_url, url);
}

static int is_tokyo(const struct view *v)
{
	return !strcmp(v->m->site.timezone, "Asia/Tokyo");
}

/* ---- the site ------------------------------------------------------------ */

static int cmp_menu(const void *pa, const void *pb)
{
	const struct page *a = *(struct page *const *)pa, *b = *(struct page *const *)pb;
	if (a->menu != b->menu)
		return a->menu < b->menu ? -1 : 1;
	return strcmp(a->slug, b->slug);
}

static struct value *build_site(struct view *v)
{
	const struct site *s = &v->m->site;
	struct arena *a = v->a;
	struct value *site = value_map(a);
	value_set_str(a, site, "title", s->title);
	value_set_str(a, site, "description", s->description);
	value_set_str(a, site, "language", s->language);
	value_set_str(a, site, "base_url", s->base_url);
	value_set_str(a, site, "base_path", s->base_path);
	value_set_str(a, site, "repository", s->repository);
	value_set_int(a, site, "fiscal_year_start", s->fiscal_year_start);

	struct page **menu = arena_alloc(a, (v->m->npages + 1) * sizeof *menu);
	size_t nm = 0;
	for (size_t i = 0; i < v->m->npages; i++)
		if (v->m->pages[i]->menu > 0)
			menu[nm++] = v->m->pages[i];
	qsort(menu, nm, sizeof *menu, cmp_menu);
	struct value *mv = value_list(a);
	for (size_t i = 0; i < nm; i++) {
		struct value *it = value_map(a);
		value_set_str(a, it, "title", menu[i]->title);
		value_set_str(a, it, "url", arena_printf(a, "%s/", menu[i]->slug));
		value_push(a, mv, it);
	}
	value_set(a, site, "menu", mv);

	struct value *c = value_map(a);
	value_set_int(a, c, "sessions", (long long)v->ix->counts.sessions);
	value_set_int(a, c, "participants", v->ix->counts.participants);
	value_set_int(a, c, "themes", (long long)v->ix->counts.themes);
	value_set_int(a, c, "projects", (long long)v->ix->counts.projects);
	value_set_int(a, c, "series", (long long)v->ix->counts.series);
	value_set_int(a, c, "unknown", v->ix->counts.unknown);
	value_set(a, site, "counts", c);
	return site;
}

/* assets.<name> for every asset ('.', '-' and '/' become '_'), and
 * assets.css for style.css. */
static struct value *build_assets(struct view *v, const struct theme *t)
{
	struct value *as = value_map(v->a);
	for (size_t i = 0; i < theme_asset_count(t); i++) {
		const struct theme_asset *ta = theme_asset(t, i);
		char *key = arena_strdup(v->a, ta->name);
		for (char *p = key; *p; p++)
			if (*p == '.' || *p == '-' || *p == '/')
				*p = '_';
		value_set_str(v->a, as, key, ta->url);
		if (!strcmp(ta->name, "style.css"))
			value_set_str(v->a, as, "css", ta->url);
	}
	return as;
}

struct view *view_new(const struct model *m, const struct index *ix, const struct theme *t)
{
	struct view *v = xcalloc(1, sizeof *v);
	v->a = arena_new();
	v->m = m;
	v->ix = ix;
	buf_init(&v->tmp);
	v->sessions = arena_alloc(v->a, (m->nsessions + 1) * sizeof *v->sessions);
	v->projects = arena_alloc(v->a, (m->nprojects + 1) * sizeof *v->projects);
	v->site = build_site(v);
	v->assets = build_assets(v, t);
	return v;
}

void view_free(struct view *v)
{
	if (!v)
		return;
	buf_free(&v->tmp);
	arena_free(v->a);
	free(v);
}

struct value *view_page(struct view *v, const char *kind, const char *url, const char *title,
                        const char *description)
{
	struct arena *a = v->a;
	struct value *root = value_map(a);
	const char *r;
	if (!strcmp(url, "404.html")) {
		r = v->m->site.base_path; /* served at any depth */
	} else {
		size_t depth = 0;
		for (const char *p = url; *p; p++)
			depth += *p == '/';
		char *rr = arena_alloc(a, depth * 3 + 1);
		for (size_t i = 0; i < depth; i++)
			memcpy(rr + 3 * i, "../", 3);
		r = rr;
	}
	value_set_str(a, root, "root", r);
	value_set(a, root, "site", v->site);
	value_set(a, root, "assets", v->assets);
	value_set_str(a, root, "generator", "kura " KURA_VERSION);
	struct value *page = value_map(a);
	value_set_str(a, page, "title", title);
	value_set_str(a, page, "url", url);
	value_set_str(a, page, "permalink", permalink(v, url));
	value_set_str(a, page, "kind", kind);
	value_set_str(a, page, "description",
	              description && *description ? description : v->m->site.description);
	value_set_bool(a, page, "is_home", url[0] == '\0');
	/* page.section.<name> is true for the menu section the page is in,
	 * so the header can mark it with aria-current. */
	struct value *sec = value_map(a);
	static const char *const sections[] = {"sessions", "projects", "themes", "archive",
	                                       "attendance", "series", "fy", NULL};
	for (const char *const *sn = sections; *sn; sn++) {
		size_t n = strlen(*sn);
		if (!strncmp(url, *sn, n) && url[n] == '/')
			value_set_bool(a, sec, *sn, 1);
	}
	value_set(a, page, "section", sec);
	value_set(a, root, "page", page);
	return root;
}

/* ---- pieces ---------------------------------------------------------------- */

static struct value *date_value(struct view *v, struct date dt)
{
	struct arena *a = v->a;
	struct value *d = value_map(a);
	buf_reset(&v->tmp);
	date_iso(&v->tmp, dt);
	value_set_str(a, d, "iso", keep(v, &v->tmp));
	buf_reset(&v->tmp);
	date_ja(&v->tmp, dt);
	value_set_str(a, d, "ja", keep(v, &v->tmp));
	buf_reset(&v->tmp);
	date_era(&v->tmp, dt);
	value_set_str(a, d, "era", keep(v, &v->tmp));
	if (dt.d) {
		buf_reset(&v->tmp);
		date_weekday_ja(&v->tmp, dt);
		value_set_str(a, d, "weekday", keep(v, &v->tmp));
	}
	value_set_int(a, d, "year", dt.y);
	value_set_int(a, d, "month", dt.m);
	value_set_str(a, d, "archive_url", arena_printf(a, "archive/%04d/%02d/", dt.y, dt.m));
	return d;
}

static const char *hm(struct view *v, int minutes)
{
	if (minutes < 0)
		return NULL;
	buf_reset(&v->tmp);
	time_hm(&v->tmp, minutes);
	return keep(v, &v->tmp);
}

/* 2020-06-03T20:00:00+09:00; floating local time outside Asia/Tokyo,
 * since kura carries no time-zone database. */
static const char *iso_time(struct view *v, struct date dt, int minutes)
{
	if (minutes < 0)
		return NULL;
	return arena_printf(v->a, "%04d-%02d-%02dT%02d:%02d:00%s", dt.y, dt.m, dt.d, minutes / 60,
	                    minutes % 60, is_tokyo(v) ? "+09:00" : "");
}

static const char *url_of(struct view *v, const char *dir, const char *slug)
{
	buf_reset(&v->tmp);
	buf_puts(&v->tmp, dir);
	buf_putc(&v->tmp, '/');
	escape_url_segment(&v->tmp, slug, strlen(slug));
	buf_putc(&v->tmp, '/');
	return keep(v, &v->tmp);
}

static struct value *source_value(struct view *v, const char *path)
{
	struct arena *a = v->a;
	struct value *s = value_map(a);
	value_set_str(a, s, "path", path);
	const char *repo = v->m->site.repository;
	if (repo) {
		size_t n = strlen(repo);
		while (n && repo[n - 1] == '/')
			n--;
		value_set_str(a, s, "edit_url", arena_printf(a, "%.*s/edit/main/%s", (int)n, repo, path));
		value_set_str(a, s, "history_url",
		              arena_printf(a, "%.*s/commits/main/%s", (int)n, repo, path));
	}
	return s;
}

static struct value *images_value(struct view *v, const struct images *im)
{
	struct value *list = value_list(v->a);
	for (size_t i = 0; i < im->n; i++) {
		struct value *it = value_map(v->a);
		value_set_str(v->a, it, "src", im->v[i].src);
		value_set_str(v->a, it, "alt", im->v[i].alt);
		value_set_str(v->a, it, "caption", im->v[i].caption);
		value_push(v->a, list, it);
	}
	return list;
}

static struct value *themes_value(struct view *v, const struct strlist *themes)
{
	struct value *list = value_list(v->a);
	for (size_t i = 0; i < themes->n; i++) {
		const struct group *g = index_group(v->ix, GROUP_THEME, themes->v[i]);
		if (!g)
			continue;
		int dup = 0;
		for (size_t k = 0; k < i && !dup; k++)
			dup = index_group(v->ix, GROUP_THEME, themes->v[k]) == g;
		if (dup)
			continue;
		struct value *it = value_map(v->a);
		value_set_str(v->a, it, "name", g->label);
		value_set_str(v->a, it, "url", view_group_url(v, g));
		value_push(v->a, list, it);
	}
	return list;
}

static struct value *session_link(struct view *v, const struct session *s)
{
	struct value *it = value_map(v->a);
	value_set_str(v->a, it, "title", s->title);
	value_set_str(v->a, it, "url", url_of(v, "sessions", s->slug));
	value_set(v->a, it, "date", date_value(v, s->date));
	return it;
}

static struct value *project_link(struct view *v, const struct project *p)
{
	struct value *it = value_map(v->a);
	value_set_str(v->a, it, "title", p->title);
	value_set_str(v->a, it, "url", url_of(v, "projects", p->slug));
	value_set_str(v->a, it, "status", p->status ? project_status_name(p->status) : NULL);
	value_set_str(v->a, it, "status_ja", p->status ? project_status_ja(p->status) : NULL);
	return it;
}

/* How many theme groups two sessions share. */
static long long shared_themes(const struct session_rel *a, const struct session_rel *b)
{
	long long n = 0;
	for (size_t i = 0; i < a->nthemes; i++)
		for (size_t k = 0; k < b->nthemes; k++)
			n += a->themes[i] == b->themes[k];
	return n;
}

/* schema.org Event as JSON text, safe inside a <script> element (every
 * '<' is escaped by escape_json). */
static const char *jsonld(struct view *v, const struct session *s, const char *url)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "{\"@context\":\"https://schema.org\",\"@type\":\"Event\",\"name\":\"");
	escape_json(&b, s->title, strlen(s->title));
	buf_puts(&b, "\",\"startDate\":\"");
	const char *st = iso_time(v, s->date, s->start);
	if (st)
		buf_puts(&b, st);
	else
		date_iso(&b, s->date);
	buf_putc(&b, '"');
	const char *en = iso_time(v, s->date, s->end);
	if (en)
		buf_printf(&b, ",\"endDate\":\"%s\"", en);
	if (s->venue) {
		buf_puts(&b, ",\"location\":{\"@type\":\"Place\",\"name\":\"");
		escape_json(&b, s->venue, strlen(s->venue));
		buf_puts(&b, "\"}");
	}
	if (s->summary && *s->summary) {
		buf_puts(&b, ",\"description\":\"");
		escape_json(&b, s->summary, strlen(s->summary));
		buf_putc(&b, '"');
	}
	if (s->organizers.n) {
		buf_puts(&b, ",\"organizer\":[");
		for (size_t i = 0; i < s->organizers.n; i++) {
			buf_puts(&b, i ? ",{\"@type\":\"Organization\",\"name\":\""
			               : "{\"@type\":\"Organization\",\"name\":\"");
			escape_json(&b, s->organizers.v[i], strlen(s->organizers.v[i]));
			buf_puts(&b, "\"}");
		}
		buf_putc(&b, ']');
	}
	const char *link = permalink(v, url);
	buf_puts(&b, ",\"url\":\"");
	escape_json(&b, link, strlen(link));
	buf_puts(&b, "\"}");
	const char *out = keep(v, &b);
	buf_free(&b);
	return out;
}

/* ---- items ------------------------------------------------------------------ */

/* What every item has: slug, url (under dir), permalink and title. */
static struct value *item_head(struct view *v, const char *dir, const char *slug,
                               const char *title, const char **out_url)
{
	struct value *it = value_map(v->a);
	const char *url = url_of(v, dir, slug);
	value_set_str(v->a, it, "slug", slug);
	value_set_str(v->a, it, "url", url);
	value_set_str(v->a, it, "permalink", permalink(v, url));
	value_set_str(v->a, it, "title", title);
	*out_url = url;
	return it;
}

struct value *view_session(struct view *v, const struct session *s)
{
	if (v->sessions[s->idx])
		return v->sessions[s->idx];
	struct arena *a = v->a;
	const char *url;
	struct value *it = item_head(v, "sessions", s->slug, s->title, &url);
	value_set(a, it, "date", date_value(v, s->date));
	const char *st = hm(v, s->start), *en = hm(v, s->end);
	value_set_str(a, it, "start", st);
	value_set_str(a, it, "end", en);
	value_set_str(a, it, "start_iso", iso_time(v, s->date, s->start));
	value_set_str(a, it, "end_iso", iso_time(v, s->date, s->end));
	if (st)
		value_set_str(a, it, "time", arena_printf(a, "%s〜%s", st, en ? en : ""));
	if (s->series) {
		struct value *sr = value_map(a);
		value_set_str(a, sr, "name", s->series);
		const struct group *g = index_group(v->ix, GROUP_SERIES, s->series);
		if (g)
			value_set_str(a, sr, "url", view_group_url(v, g));
		if (s->number)
			value_set_int(a, sr, "number", s->number);
		value_set(a, it, "series", sr);
	}
	view_set_list(v, it, "themes", themes_value(v, &s->themes));
	struct value *att = value_map(a);
	value_set_bool(a, att, "known", s->attendance >= 0);
	if (s->attendance >= 0)
		value_set_int(a, att, "count", s->attendance);
	value_set(a, it, "attendance", att);
	value_set_str(a, it, "venue", s->venue);
	view_set_list(v, it, "guests", str_list(v, &s->guests));
	view_set_list(v, it, "organizers", str_list(v, &s->organizers));
	view_set_list(v, it, "images", images_value(v, &s->images));
	struct value *pl = value_list(a);
	for (size_t i = 0; i < s->nprojects; i++)
		value_push(a, pl, project_link(v, s->projects[i]));
	view_set_list(v, it, "projects", pl);
	value_set_str(a, it, "summary", nonempty(s->summary));
	value_set_str(a, it, "body", nonempty(s->body_html));
	value_set(a, it, "source", source_value(v, s->path));
	const struct session_rel *rel = index_rel(v->ix, s);
	if (rel && rel->prev)
		value_set(a, it, "prev", session_link(v, rel->prev));
	if (rel && rel->next)
		value_set(a, it, "next", session_link(v, rel->next));
	struct value *rl = value_list(a);
	for (size_t i = 0; rel && i < rel->nrelated; i++) {
		struct value *r = session_link(v, rel->related[i]);
		value_set_int(a, r, "shared", shared_themes(rel, index_rel(v->ix, rel->related[i])));
		value_push(a, rl, r);
	}
	view_set_list(v, it, "related", rl);
	value_set_bool(a, it, "has_series_nav", rel && (rel->prev || rel->next));
	value_set_str(a, it, "jsonld", jsonld(v, s, url));
	v->sessions[s->idx] = it;
	return it;
}

struct value *view_sessions(struct view *v, struct session *const *s, size_t n)
{
	struct value *list = value_list(v->a);
	for (size_t i = 0; i < n; i++)
		value_push(v->a, list, view_session(v, s[i]));
	return list;
}

struct value *view_project(struct view *v, const struct project *p)
{
	if (v->projects[p->idx])
		return v->projects[p->idx];
	struct arena *a = v->a;
	const char *url;
	struct value *it = item_head(v, "projects", p->slug, p->title, &url);
	/* Without a status the keys are still set (to null), so a template
	 * inside a status group does not pick up the group's status. */
	value_set_str(a, it, "status", p->status ? project_status_name(p->status) : NULL);
	value_set_str(a, it, "status_ja", p->status ? project_status_ja(p->status) : NULL);
	if (p->started.y)
		value_set(a, it, "started", date_value(v, p->started));
	view_set_list(v, it, "themes", themes_value(v, &p->themes));
	view_set_list(v, it, "partners", str_list(v, &p->partners));
	view_set_list(v, it, "images", images_value(v, &p->images));
	value_set_str(a, it, "summary", nonempty(p->summary));
	value_set_str(a, it, "body", nonempty(p->body_html));
	value_set(a, it, "source", source_value(v, p->path));
	view_set_list(v, it, "sessions", view_sessions(v, p->sessions, p->nsessions));
	value_set_int(a, it, "session_count", (long long)p->nsessions);
	v->projects[p->idx] = it;
	return it;
}

struct value *view_projects(struct view *v, struct project *const *p, size_t n)
{
	struct value *list = value_list(v->a);
	for (size_t i = 0; i < n; i++)
		value_push(v->a, list, view_project(v, p[i]));
	return list;
}

struct value *view_free_page(struct view *v, const struct page *p)
{
	struct value *it = value_map(v->a);
	value_set_str(v->a, it, "title", p->title);
	value_set_str(v->a, it, "body", nonempty(p->body_html));
	value_set_str(v->a, it, "summary", nonempty(p->summary));
	value_set(v->a, it, "source", source_value(v, p->path));
	return it;
}

/* ---- groups, aggregates, charts ------------------------------------------------ */

const char *view_group_path(struct view *v, const struct group *g)
{
	buf_reset(&v->tmp);
	url_group(&v->tmp, URL_FILE, g);
	return keep(v, &v->tmp);
}

const char *view_group_url(struct view *v, const struct group *g)
{
	buf_reset(&v->tmp);
	url_group(&v->tmp, URL_HREF, g);
	return keep(v, &v->tmp);
}

static const char *x10(struct view *v, long val)
{
	buf_reset(&v->tmp);
	index_put_x10(&v->tmp, val);
	return keep(v, &v->tmp);
}

struct value *view_agg(struct view *v, const struct agg *g)
{
	struct arena *a = v->a;
	struct value *it = value_map(a);
	value_set_int(a, it, "sessions", g->sessions);
	value_set_int(a, it, "known", g->known);
	value_set_int(a, it, "unknown", g->sessions - g->known);
	value_set_int(a, it, "total", g->total);
	value_set_bool(a, it, "has_known", g->known > 0);
	value_set_bool(a, it, "has_unknown", g->sessions > g->known);
	if (g->known > 0) {
		value_set_str(a, it, "mean", x10(v, g->mean_x10));
		value_set_str(a, it, "median", x10(v, g->median_x10));
		value_set_int(a, it, "min", g->min);
		value_set_int(a, it, "max", g->max);
	}
	return it;
}

struct value *view_group(struct view *v, const struct group *g)
{
	struct arena *a = v->a;
	struct value *it = value_map(a);
	value_set_str(a, it, "key", g->key);
	value_set_str(a, it, "name", g->label);
	value_set_str(a, it, "label_era", g->label_alt);
	value_set_str(a, it, "url", view_group_url(v, g));
	view_set_list(v, it, "sessions", view_sessions(v, g->sessions, g->nsessions));
	view_set_list(v, it, "projects", view_projects(v, g->projects, g->nprojects));
	value_set(a, it, "agg", view_agg(v, &g->agg));
	return it;
}

/* Horizontal bars: one row per value, labels left, figures right of the
 * bar. Integer geometry, so the SVG is byte-stable. */
#define CHART_W 640
#define CHART_LABEL 180
#define CHART_BAR 380
#define CHART_ROW 28
#define CHART_BAR_H 18
#define CHART_PAD 8

struct value *view_chart(struct view *v, const char *id, const char *title, const char *desc,
                         const char *const *labels, const long *values, size_t n,
                         const char *unit)
{
	struct arena *a = v->a;
	struct value *c = value_map(a);
	long max = 0;
	for (size_t i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	value_set_str(a, c, "id", id);
	value_set_str(a, c, "title", title);
	value_set_str(a, c, "desc", desc);
	value_set_str(a, c, "unit", unit);
	value_set_int(a, c, "width", CHART_W);
	value_set_int(a, c, "height", (long long)(2 * CHART_PAD + n * CHART_ROW));
	value_set_int(a, c, "axis_x", CHART_LABEL);
	struct value *bars = value_list(a), *rows = value_list(a);
	for (size_t i = 0; i < n; i++) {
		long w = max > 0 ? (values[i] * CHART_BAR + max / 2) / max : 0;
		if (values[i] > 0 && w < 1)
			w = 1;
		long y = CHART_PAD + (long)i * CHART_ROW;
		struct value *b = value_map(a);
		value_set_int(a, b, "x", CHART_LABEL);
		value_set_int(a, b, "y", y + (CHART_ROW - CHART_BAR_H) / 2);
		value_set_int(a, b, "w", w);
		value_set_int(a, b, "h", CHART_BAR_H);
		value_set_str(a, b, "label", labels[i]);
		value_set_int(a, b, "value", values[i]);
		value_set_int(a, b, "label_x", CHART_LABEL - 8);
		value_set_int(a, b, "label_y", y + CHART_ROW / 2 + 5);
		value_set_int(a, b, "value_x", CHART_LABEL + w + 6);
		value_set_int(a, b, "value_y", y + CHART_ROW / 2 + 5);
		value_push(a, bars, b);
		struct value *r = value_map(a);
		value_set_str(a, r, "label", labels[i]);
		value_set_int(a, r, "value", values[i]);
		value_push(a, rows, r);
	}
	value_set(a, c, "bars", bars);
	value_set(a, c, "rows", rows);
	return c;
}
