/* output.c — the table of output kinds and their paths.
 *
 * Every row names a template and a function that enumerates the pages of
 * that kind, builds each page's values (view.h) and emits it. Files that
 * are data formats rather than pages (JSON, CSV, iCalendar) come from
 * feeds.c; assets and media are copied as they are.
 */
#include "output.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "feeds.h"
#include "tmpl.h"
#include "util.h"
#include "view.h"

#define HOME_LATEST 10
#define FEED_ENTRIES 20

struct out {
	const struct model *m;
	const struct index *ix;
	struct tmpl_set *tmpls;
	struct theme *theme;
	struct source *src;
	struct writer *w;
	struct view *v;
	struct diags *d;
	struct output_stats *stats;
	struct buf html;
	struct value *urls; /* sitemap entries, in the order written */
};

/* Writes one file; with no writer (kura check) renders only. */
static int put(struct out *o, const char *path, const void *data, size_t n)
{
	if (!o->w)
		return 0;
	return write_file(o->w, path, data, n, o->d);
}

/* Renders template `name` with `data` to `path` ("" or ".../" mean an
 * index.html there). */
static void emit(struct out *o, const char *name, const char *path, const char *url,
                 struct value *data)
{
	buf_reset(&o->html);
	if (tmpl_render(o->tmpls, name, data, &o->html, o->d) != 0)
		return;
	size_t n = strlen(path);
	int dir = n == 0 || path[n - 1] == '/';
	char *file = dir ? xasprintf("%sindex.html", path) : xstrdup(path);
	if (put(o, file, o->html.data, o->html.len) == 0) {
		o->stats->files++;
		if (dir || (n > 5 && !strcmp(path + n - 5, ".html"))) {
			o->stats->pages++;
			if (url && strcmp(path, "404.html") != 0) {
				struct arena *a = view_arena(o->v);
				struct value *u = value_map(a);
				value_set_str(a, u, "loc", arena_printf(a, "%s%s", o->m->site.base_url, url));
				value_push(a, o->urls, u);
			}
		}
	}
	free(file);
}

static void emit_data(struct out *o, const char *path, struct buf *b)
{
	if (put(o, path, b->data, b->len) == 0)
		o->stats->files++;
}

/* ---- rows ------------------------------------------------------------------- */

static struct value *year_rows(struct out *o)
{
	struct arena *a = view_arena(o->v);
	struct value *list = value_list(a);
	for (size_t i = 0; i < o->ix->groups[GROUP_YEAR].n; i++)
		value_push(a, list, view_group(o->v, &o->ix->groups[GROUP_YEAR].v[i]));
	return list;
}

static void home(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	struct value *p = view_page(o->v, tmpl, "", o->m->site.title, NULL);
	struct value *h = value_map(a);
	size_t n = o->ix->all.nsessions < HOME_LATEST ? o->ix->all.nsessions : HOME_LATEST;
	view_set_list(o->v, h, "latest", view_sessions(o->v, o->ix->all.sessions, n));
	struct value *act = value_list(a);
	for (size_t i = 0; i < o->m->nprojects; i++)
		if (o->m->projects[i]->status == STATUS_ACTIVE)
			value_push(a, act, view_project(o->v, o->m->projects[i]));
	view_set_list(o->v, h, "active_projects", act);
	value_set(a, h, "counts", value_get(value_get(p, "site", 4), "counts", 6));
	value_set(a, h, "years", year_rows(o));
	value_set(a, h, "all", view_agg(o->v, &o->ix->all.agg));
	value_set(a, p, "home", h);
	emit(o, tmpl, "", "", p);
}

static void sessions_list(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	size_t per = (size_t)o->m->site.per_page;
	size_t total = o->ix->all.nsessions;
	size_t pages = total ? (total + per - 1) / per : 1;
	for (size_t pg = 1; pg <= pages; pg++) {
		const char *url = pg == 1 ? "sessions/" : arena_printf(a, "sessions/page/%zu/", pg);
		const char *title = pg == 1 ? "セッション一覧"
		                            : arena_printf(a, "セッション一覧（%zuページ目）", pg);
		struct value *p = view_page(o->v, tmpl, url, title, NULL);
		size_t from = (pg - 1) * per, n = total - from < per ? total - from : per;
		value_set(a, p, "list", view_sessions(o->v, o->ix->all.sessions + from, n));
		struct value *pag = value_map(a);
		value_set_int(a, pag, "page", (long long)pg);
		value_set_int(a, pag, "pages", (long long)pages);
		value_set_int(a, pag, "total", (long long)total);
		value_set_bool(a, pag, "has_prev", pg > 1);
		value_set_bool(a, pag, "has_next", pg < pages);
		value_set_bool(a, pag, "has_pages", pages > 1);
		if (pg > 1)
			value_set_str(a, pag, "prev_url", pg == 2 ? "sessions/"
			              : arena_printf(a, "sessions/page/%zu/", pg - 1));
		if (pg < pages)
			value_set_str(a, pag, "next_url", arena_printf(a, "sessions/page/%zu/", pg + 1));
		struct value *items = value_list(a);
		for (size_t k = 1; k <= pages; k++) {
			struct value *it = value_map(a);
			value_set_int(a, it, "number", (long long)k);
			value_set_str(a, it, "url", k == 1 ? "sessions/"
			              : arena_printf(a, "sessions/page/%zu/", k));
			value_set_bool(a, it, "current", k == pg);
			value_push(a, items, it);
		}
		value_set(a, pag, "items", items);
		value_set(a, p, "pagination", pag);
		emit(o, tmpl, url, url, p);
	}
}

static void sessions(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	for (size_t i = 0; i < o->m->nsessions; i++) {
		const struct session *s = o->m->sessions[i];
		struct value *sv = view_session(o->v, s);
		const char *url = value_get(sv, "url", 3)->u.str.s;
		struct value *p = view_page(o->v, tmpl, url, s->title, s->summary);
		value_set(a, p, "session", sv);
		emit(o, tmpl, arena_printf(a, "sessions/%s/", s->slug), url, p);
	}
}

static void projects_list(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	static const enum project_status order[] = {STATUS_ACTIVE, STATUS_PROPOSED,
	                                            STATUS_COMPLETED, STATUS_NONE};
	struct value *p = view_page(o->v, tmpl, "projects/", "プロジェクト一覧", NULL);
	struct value *groups = value_list(a);
	for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
		struct value *list = value_list(a);
		for (size_t i = 0; i < o->m->nprojects; i++)
			if (o->m->projects[i]->status == order[k])
				value_push(a, list, view_project(o->v, o->m->projects[i]));
		if (!list->u.list.n)
			continue;
		struct value *g = value_map(a);
		value_set_str(a, g, "status", order[k] == STATUS_NONE ? "other"
		                                                      : project_status_name(order[k]));
		value_set_str(a, g, "status_ja", order[k] == STATUS_NONE ? "その他"
		                                                           : project_status_ja(order[k]));
		value_set(a, g, "projects", list);
		value_push(a, groups, g);
	}
	value_set(a, p, "project_groups", groups);
	value_set(a, p, "projects", view_projects(o->v, o->m->projects, o->m->nprojects));
	emit(o, tmpl, "projects/", "projects/", p);
}

static void projects(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	for (size_t i = 0; i < o->m->nprojects; i++) {
		const struct project *pr = o->m->projects[i];
		struct value *pv = view_project(o->v, pr);
		const char *url = value_get(pv, "url", 3)->u.str.s;
		struct value *p = view_page(o->v, tmpl, url, pr->title, pr->summary);
		value_set(a, p, "project", pv);
		emit(o, tmpl, arena_printf(a, "projects/%s/", pr->slug), url, p);
	}
}

/* Top-level names a free page may not take. */
static const char *const reserved[] = {"sessions", "projects", "themes", "series", "archive",
                                       "fy", "attendance", "data", "assets", "media",
                                       "feed.xml", "sitemap.xml", "robots.txt", "404.html",
                                       "sessions.ics", "index.html", NULL};

static void pages(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	for (size_t i = 0; i < o->m->npages; i++) {
		const struct page *pg = o->m->pages[i];
		int bad = 0;
		for (const char *const *r = reserved; *r; r++)
			bad |= !strcmp(pg->slug, *r);
		if (bad) {
			diag_error(o->d, pg->path, 0, 0,
			           "the page address /%s/ is taken by kura itself: rename the file", pg->slug);
			continue;
		}
		buf_reset(&o->html);
		escape_url_segment(&o->html, pg->slug, strlen(pg->slug));
		const char *url = arena_printf(a, "%s/", o->html.data);
		struct value *p = view_page(o->v, tmpl, url, pg->title, pg->summary);
		value_set(a, p, "content", view_free_page(o->v, pg));
		emit(o, tmpl, arena_printf(a, "%s/", pg->slug), url, p);
	}
}

static void group_pages(struct out *o, const char *tmpl, const struct group *g, size_t n,
                        const char *kind, const char *title_fmt)
{
	struct arena *a = view_arena(o->v);
	for (size_t i = 0; i < n; i++) {
		struct value *gv = view_group(o->v, &g[i]);
		const char *url = value_get(gv, "url", 3)->u.str.s;
		struct value *p = view_page(o->v, tmpl, url, arena_printf(a, title_fmt, g[i].label),
		                            NULL);
		value_set(a, p, "group", gv);
		emit(o, tmpl, view_group_path(o->v, &g[i]), url, p);
	}
}

static struct value *group_rows(struct out *o, const struct group *g, size_t n,
                                const char *kind)
{
	struct arena *a = view_arena(o->v);
	struct value *list = value_list(a);
	for (size_t i = 0; i < n; i++) {
		struct value *it = value_map(a);
		value_set_str(a, it, "name", g[i].label);
		value_set_str(a, it, "label_era", g[i].label_alt);
		value_set_str(a, it, "url", view_group_url(o->v, &g[i]));
		value_set(a, it, "agg", view_agg(o->v, &g[i].agg));
		value_push(a, list, it);
	}
	return list;
}

/* A chart of one figure over groups: sessions (field 0) or total
 * attendance (field 1). */
static struct value *group_chart(struct out *o, const char *id, const char *title,
                                 const char *desc, const struct group *g, size_t n, int field,
                                 const char *unit)
{
	const char **labels = xcalloc(n + 1, sizeof *labels);
	long *vals = xcalloc(n + 1, sizeof *vals);
	for (size_t i = 0; i < n; i++) {
		labels[i] = g[i].label;
		vals[i] = field ? g[i].agg.total : g[i].agg.sessions;
	}
	struct value *c = view_chart(o->v, id, title, desc, labels, vals, n, unit);
	free(labels);
	free(vals);
	return c;
}

static void themes_list(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	struct value *p = view_page(o->v, tmpl, "themes/", "テーマ一覧", NULL);
	value_set(a, p, "themes", group_rows(o, o->ix->groups[GROUP_THEME].v, o->ix->groups[GROUP_THEME].n, "themes"));
	value_set(a, p, "chart",
	          group_chart(o, "chart-themes", "テーマ別のセッション数",
	                      "テーマごとのセッション数の横棒グラフ。同じ数値を下の表に示します。",
	                      o->ix->groups[GROUP_THEME].v, o->ix->groups[GROUP_THEME].n, 0, "回"));
	emit(o, tmpl, "themes/", "themes/", p);
}

static void themes(struct out *o, const char *tmpl)
{
	group_pages(o, tmpl, o->ix->groups[GROUP_THEME].v, o->ix->groups[GROUP_THEME].n, "themes", "テーマ: %s");
}

static void series(struct out *o, const char *tmpl)
{
	group_pages(o, tmpl, o->ix->groups[GROUP_SERIES].v, o->ix->groups[GROUP_SERIES].n, "series", "シリーズ: %s");
}

static void archive_index(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	struct value *p = view_page(o->v, tmpl, "archive/", "年月別アーカイブ", NULL);
	value_set(a, p, "years", group_rows(o, o->ix->groups[GROUP_YEAR].v, o->ix->groups[GROUP_YEAR].n, "archive"));
	value_set(a, p, "fiscal_years", group_rows(o, o->ix->groups[GROUP_FY].v, o->ix->groups[GROUP_FY].n, "fy"));
	emit(o, tmpl, "archive/", "archive/", p);
}

static void archive_years(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	for (size_t i = 0; i < o->ix->groups[GROUP_YEAR].n; i++) {
		const struct group *g = &o->ix->groups[GROUP_YEAR].v[i];
		struct value *gv = view_group(o->v, g);
		const char *url = value_get(gv, "url", 3)->u.str.s;
		struct value *p = view_page(o->v, tmpl, url, g->label, NULL);
		size_t from = 0, n = 0;
		for (size_t k = 0; k < o->ix->groups[GROUP_MONTH].n; k++)
			if (o->ix->groups[GROUP_MONTH].v[k].year == g->year) {
				if (!n)
					from = k;
				n++;
			}
		value_set(a, p, "group", gv);
		value_set(a, p, "months", group_rows(o, o->ix->groups[GROUP_MONTH].v + from, n, "archive"));
		emit(o, tmpl, view_group_path(o->v, g), url, p);
	}
}

static void archive_months(struct out *o, const char *tmpl)
{
	group_pages(o, tmpl, o->ix->groups[GROUP_MONTH].v, o->ix->groups[GROUP_MONTH].n, "archive", "%s");
}

static void fiscal_years(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	for (size_t i = 0; i < o->ix->groups[GROUP_FY].n; i++) {
		const struct group *g = &o->ix->groups[GROUP_FY].v[i];
		struct value *gv = view_group(o->v, g);
		const char *url = value_get(gv, "url", 3)->u.str.s;
		struct value *p = view_page(o->v, tmpl, url,
		                            arena_printf(a, "%s（%s）", g->label, g->label_alt), NULL);
		value_set(a, p, "group", gv);
		/* Attendance by month within the fiscal year. */
		size_t from = 0, n = 0;
		for (size_t k = 0; k < o->ix->groups[GROUP_MONTH].n; k++) {
			const struct group *mg = &o->ix->groups[GROUP_MONTH].v[k];
			struct date first = {mg->year, mg->month, 1};
			if (date_fiscal_year(first, o->m->site.fiscal_year_start) == g->year) {
				if (!n)
					from = k;
				n++;
			}
		}
		value_set(a, p, "months", group_rows(o, o->ix->groups[GROUP_MONTH].v + from, n, "archive"));
		value_set(a, p, "chart",
		          group_chart(o, arena_printf(a, "chart-fy-%s", g->slug),
		                      arena_printf(a, "%s 月別の延べ参加者数", g->label),
		                      "月ごとの延べ参加者数の横棒グラフ。同じ数値を下の表に示します。",
		                      o->ix->groups[GROUP_MONTH].v + from, n, 1, "人"));
		emit(o, tmpl, view_group_path(o->v, g), url, p);
	}
}

static void attendance(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	struct value *p = view_page(o->v, tmpl, "attendance/", "参加者数の集計", NULL);
	struct value *at = value_map(a);
	value_set(a, at, "all", view_agg(o->v, &o->ix->all.agg));
	value_set(a, at, "by_series", group_rows(o, o->ix->groups[GROUP_SERIES].v, o->ix->groups[GROUP_SERIES].n, "series"));
	value_set(a, at, "by_theme", group_rows(o, o->ix->groups[GROUP_THEME].v, o->ix->groups[GROUP_THEME].n, "themes"));
	value_set(a, at, "by_year", group_rows(o, o->ix->groups[GROUP_YEAR].v, o->ix->groups[GROUP_YEAR].n, "archive"));
	value_set(a, at, "by_month", group_rows(o, o->ix->groups[GROUP_MONTH].v, o->ix->groups[GROUP_MONTH].n, "archive"));
	value_set(a, at, "by_fy", group_rows(o, o->ix->groups[GROUP_FY].v, o->ix->groups[GROUP_FY].n, "fy"));
	struct value *charts = value_list(a);
	value_push(a, charts,
	           group_chart(o, "chart-fy", "年度別の延べ参加者数",
	                       "年度ごとの延べ参加者数の横棒グラフ。同じ数値を下の表に示します。",
	                       o->ix->groups[GROUP_FY].v, o->ix->groups[GROUP_FY].n, 1, "人"));
	value_push(a, charts,
	           group_chart(o, "chart-month", "月別の延べ参加者数",
	                       "月ごとの延べ参加者数の横棒グラフ。同じ数値を下の表に示します。",
	                       o->ix->groups[GROUP_MONTH].v, o->ix->groups[GROUP_MONTH].n, 1, "人"));
	value_push(a, charts,
	           group_chart(o, "chart-theme", "テーマ別のセッション数",
	                       "テーマごとのセッション数の横棒グラフ。同じ数値を下の表に示します。",
	                       o->ix->groups[GROUP_THEME].v, o->ix->groups[GROUP_THEME].n, 0, "回"));
	value_set(a, at, "charts", charts);
	value_set(a, p, "attendance", at);
	emit(o, tmpl, "attendance/", "attendance/", p);
}

static void not_found(struct out *o, const char *tmpl)
{
	struct value *p = view_page(o->v, tmpl, "404.html", "ページが見つかりません", NULL);
	emit(o, tmpl, "404.html", NULL, p);
}

static void feed(struct out *o, const char *tmpl)
{
	struct arena *a = view_arena(o->v);
	struct value *p = view_page(o->v, tmpl, "feed.xml", o->m->site.title, NULL);
	struct value *f = value_map(a);
	struct value *entries = value_list(a);
	size_t n = o->ix->all.nsessions < FEED_ENTRIES ? o->ix->all.nsessions : FEED_ENTRIES;
	const char *updated = "1970-01-01T00:00:00Z";
	for (size_t i = 0; i < n; i++) {
		const struct session *s = o->ix->all.sessions[i];
		struct value *sv = view_session(o->v, s);
		struct value *e = value_map(a);
		const char *when = arena_printf(a, "%04d-%02d-%02dT00:00:00+09:00", s->date.y,
		                                s->date.m, s->date.d);
		if (i == 0)
			updated = when;
		value_set(a, e, "title", value_get(sv, "title", 5));
		value_set(a, e, "permalink", value_get(sv, "permalink", 9));
		value_set(a, e, "id", value_get(sv, "permalink", 9));
		value_set_str(a, e, "updated", when);
		value_set(a, e, "summary", value_get(sv, "summary", 7));
		value_push(a, entries, e);
	}
	value_set_str(a, f, "updated", updated);
	value_set(a, f, "entries", entries);
	value_set(a, p, "feed", f);
	emit(o, tmpl, "feed.xml", NULL, p);
}

static void robots(struct out *o, const char *tmpl)
{
	emit(o, tmpl, "robots.txt", NULL, view_page(o->v, tmpl, "robots.txt", "robots", NULL));
}

static void sitemap(struct out *o, const char *tmpl)
{
	struct value *p = view_page(o->v, tmpl, "sitemap.xml", "sitemap", NULL);
	value_set(view_arena(o->v), p, "urls", o->urls);
	emit(o, tmpl, "sitemap.xml", NULL, p);
}

static void data_files(struct out *o, const char *tmpl)
{
	struct buf b;
	buf_init(&b);
	feeds_sessions_json(&b, o->m, o->ix);
	emit_data(o, "data/sessions.json", &b);
	buf_reset(&b);
	feeds_sessions_csv(&b, o->m, o->ix);
	emit_data(o, "data/sessions.csv", &b);
	buf_reset(&b);
	feeds_attendance_csv(&b, o->m, o->ix);
	emit_data(o, "data/attendance.csv", &b);
	buf_reset(&b);
	feeds_sessions_ics(&b, o->m, o->ix);
	emit_data(o, "sessions.ics", &b);
	buf_free(&b);
}

/* Theme assets under their content-hashed names. */
static void assets(struct out *o, const char *tmpl)
{
	for (size_t i = 0; i < theme_asset_count(o->theme); i++) {
		const struct theme_asset *ta = theme_asset(o->theme, i);
		if (put(o, ta->url, ta->data, ta->len) == 0)
			o->stats->files++;
	}
}

/* Files under content/media/ are copied to media/ as they are. */
static void media(struct out *o, const char *tmpl)
{
	struct source_list list = {NULL, 0};
	if (source_list(o->src, "content/media", &list, o->d) != 0)
		return;
	for (size_t i = 0; i < list.n; i++) {
		char *data = NULL;
		size_t len = 0;
		if (source_read(o->src, list.v[i].path, &data, &len, o->d) != 0)
			continue;
		if (put(o, list.v[i].path + strlen("content/"), data, len) == 0)
			o->stats->files++;
		free(data);
	}
	source_list_free(&list);
}

struct output_kind {
	const char *template; /* NULL: not a template (data, files) */
	void (*each)(struct out *o, const char *tmpl);
};

/* The sitemap comes last: it lists every page written before it. */
static const struct output_kind kinds[] = {
	{"home", home},
	{"sessions", sessions_list},
	{"session", sessions},
	{"projects", projects_list},
	{"project", projects},
	{"page", pages},
	{"themes", themes_list},
	{"theme", themes},
	{"series", series},
	{"archive", archive_index},
	{"archive-year", archive_years},
	{"archive-month", archive_months},
	{"fy", fiscal_years},
	{"attendance", attendance},
	{"404", not_found},
	{"feed.xml", feed},
	{"robots.txt", robots},
	{NULL, data_files},
	{NULL, assets},
	{NULL, media},
	{"sitemap.xml", sitemap},
};

int output_site(const struct model *m, const struct index *ix, struct theme *t,
                struct source *src, struct writer *w, struct output_stats *stats,
                struct diags *d)
{
	int errors = d->errors;
	struct out o = {m, ix, theme_templates(t), t, src, w, NULL, d, stats, {0}, NULL};
	buf_init(&o.html);
	memset(stats, 0, sizeof *stats);
	/* Compile every template first: all theme errors in one run. */
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (kinds[i].template)
			tmpl_set_compile(o.tmpls, kinds[i].template, d);
	if (d->errors > errors)
		goto done;
	o.v = view_new(m, ix, t);
	o.urls = value_list(view_arena(o.v));
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		kinds[i].each(&o, kinds[i].template);
done:
	view_free(o.v);
	buf_free(&o.html);
	return d->errors > errors ? -1 : 0;
}
