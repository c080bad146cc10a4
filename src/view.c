/* view.c — model and index to template values.
 *
 * Every name a template can use is set here and nowhere else;
 * docs/templates.md documents them. The file reads bottom-up: small
 * pieces (dates, links, aggregates, charts), then items (a session, a
 * project, a group), then one function per kind of page. Item values are
 * cached in the view, so a session listed on twenty pages a thread renders
 * is built once by that thread; a view is never shared between threads.
 */
#include "view.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "history.h"
#include "json.h"
#include "url.h"
#include "util.h"
#include "version.h"


/* Item values of one build, shared by its views: slot i holds the value
 * of session (project) i once some view has built it. A view builds an
 * item whole in its own arena, then publishes it with one atomic
 * compare-and-swap (release); readers load it (acquire) and only read it.
 * Two views may build the same item at once: one copy wins, the other
 * stays unused in its arena. So each item is built about once per build,
 * not once per thread. */
struct view_cache {
	_Atomic(struct value *) *sessions;
	_Atomic(struct value *) *projects;
};

struct view {
	struct arena *a;
	const struct model *m;
	const struct index *ix;
	struct value *site, *assets;
	struct view_cache *cache;
	const char *const *sections;
	struct buf tmp;          /* scratch, this view's (and so thread's) own */
};

struct view_cache *view_cache_new(const struct model *m)
{
	struct view_cache *c = xcalloc(1, sizeof *c);
	c->sessions = xcalloc(m->nsessions + 1, sizeof *c->sessions);
	c->projects = xcalloc(m->nprojects + 1, sizeof *c->projects);
	for (size_t i = 0; i <= m->nsessions; i++)
		atomic_init(&c->sessions[i], NULL);
	for (size_t i = 0; i <= m->nprojects; i++)
		atomic_init(&c->projects[i], NULL);
	return c;
}

void view_cache_free(struct view_cache *c)
{
	if (!c)
		return;
	free(c->sessions);
	free(c->projects);
	free(c);
}

static struct value *cached(_Atomic(struct value *) *slot)
{
	return atomic_load_explicit(slot, memory_order_acquire);
}

/* Publishes it in slot, or returns the value another view published
 * first. */
static struct value *publish(_Atomic(struct value *) *slot, struct value *it)
{
	struct value *old = NULL;
	if (atomic_compare_exchange_strong_explicit(slot, &old, it, memory_order_acq_rel,
	                                            memory_order_acquire))
		return it;
	return old;
}

/* The buffer's text copied into the arena. */
static const char *keep(struct view *v, const struct buf *b)
{
	return arena_strndup(v->a, b->data, b->len);
}

/* The href of a record's page, from url.h. */
static const char *href_of(struct view *v,
                           void (*url)(struct buf *, enum url_form, const char *),
                           const char *slug)
{
	buf_reset(&v->tmp);
	url(&v->tmp, URL_HREF, slug);
	return keep(v, &v->tmp);
}

static const char *group_href(struct view *v, const struct group *g)
{
	buf_reset(&v->tmp);
	url_group(&v->tmp, URL_HREF, g);
	return keep(v, &v->tmp);
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
static void set_list(struct view *v, struct value *map, const char *key, struct value *list)
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
	struct buf b;
	buf_init(&b);
	url_absolute(&b, &v->m->site, url);
	const char *s = keep(v, &b);
	buf_free(&b);
	return s;
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
	xsort(menu, nm, sizeof *menu, cmp_menu);
	struct value *mv = value_list(a);
	for (size_t i = 0; i < nm; i++) {
		struct value *it = value_map(a);
		value_set_str(a, it, "title", menu[i]->title);
		value_set_str(a, it, "url", href_of(v, url_page, menu[i]->slug));
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

struct view *view_new(const struct model *m, const struct index *ix, const struct theme *t,
                      const char *const *sections, struct view_cache *cache)
{
	struct view *v = xcalloc(1, sizeof *v);
	v->a = arena_new();
	v->m = m;
	v->ix = ix;
	v->sections = sections;
	buf_init(&v->tmp);
	v->cache = cache;
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

/* A page's root value with everything every page has (root, site,
 * assets, page, generator). */
static struct value *page_root(struct view *v, const struct view_where *w, const char *title,
                               const char *description)
{
	const char *kind = w->kind, *url = w->href;
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
	for (const char *const *sn = v->sections; sn && *sn; sn++) {
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
	buf_reset(&v->tmp);
	url_month(&v->tmp, dt.y, dt.m);
	value_set_str(a, d, "archive_url", keep(v, &v->tmp));
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

/* 2020-06-03T20:00:00+09:00; a floating local time when the site's UTC
 * offset is unknown (model.h), since kura carries no time-zone database. */
static const char *iso_time(struct view *v, struct date dt, int minutes)
{
	if (minutes < 0)
		return NULL;
	return arena_printf(v->a, "%04d-%02d-%02dT%02d:%02d:00%s", dt.y, dt.m, dt.d, minutes / 60,
	                    minutes % 60, v->m->site.utc_offset ? v->m->site.utc_offset : "");
}

/* The forges kura knows by their URL forms: a repository URL on
 * github.com, on gitlab.com (or a host named gitlab.*), or anywhere else
 * (read as Forgejo/Gitea). Forges edit only on a branch, so the edit link
 * shows the file at the built commit, where the forge offers its editor
 * for the branch; docs/templates.md lists each form. */
static const char *const forge_links[][2] = {
	{"/blob/{commit}/{path}", "/commits/{commit}/{path}"},               /* GitHub */
	{"/-/blob/{commit}/{path}", "/-/commits/{commit}/{path}"},           /* GitLab */
	{"/src/commit/{commit}/{path}", "/commits/commit/{commit}/{path}"}, /* Forgejo/Gitea */
};

static int forge_of(const char *repo, size_t n)
{
	const char *h = strstr(repo, "://");
	h = h ? h + 3 : repo;
	size_t hn = 0;
	while (h + hn < repo + n && h[hn] != '/')
		hn++;
	if (hn == 10 && !memcmp(h, "github.com", 10))
		return 0;
	if (hn >= 7 && !memcmp(h, "gitlab.", 7))
		return 1;
	return 2;
}

/* pattern with {commit} and {path} replaced (path percent-encoded one
 * segment at a time, its slashes kept), after prefix[0..np). */
static const char *fill_link(struct view *v, const char *prefix, size_t np,
                             const char *pattern, const char *commit, const char *path)
{
	buf_reset(&v->tmp);
	buf_put(&v->tmp, prefix, np);
	for (const char *p = pattern; *p;) {
		if (!strncmp(p, "{commit}", 8)) {
			buf_puts(&v->tmp, commit);
			p += 8;
		} else if (!strncmp(p, "{path}", 6)) {
			for (const char *seg = path;;) {
				const char *sl = strchr(seg, '/');
				size_t len = sl ? (size_t)(sl - seg) : strlen(seg);
				escape_url_segment(&v->tmp, seg, len);
				if (!sl)
					break;
				buf_putc(&v->tmp, '/');
				seg = sl + 1;
			}
			p += 6;
		} else {
			buf_putc(&v->tmp, *p++);
		}
	}
	return keep(v, &v->tmp);
}

/* Links to the file at the built commit (the branch main without one: a
 * plain directory), from site.yaml's edit_url / history_url patterns or
 * its repository's forge. */
static struct value *source_value(struct view *v, const char *path)
{
	struct arena *a = v->a;
	const struct site *site = &v->m->site;
	struct value *s = value_map(a);
	value_set_str(a, s, "path", path);
	const char *commit = history_commit(v->m->history);
	if (!commit)
		commit = "main";
	const char *repo = site->repository;
	size_t n = repo ? strlen(repo) : 0;
	while (n && repo[n - 1] == '/')
		n--;
	if (n > 4 && !memcmp(repo + n - 4, ".git", 4))
		n -= 4;
	const char *const *forge = repo ? forge_links[forge_of(repo, n)] : NULL;
	if (site->edit_url)
		value_set_str(a, s, "edit_url", fill_link(v, "", 0, site->edit_url, commit, path));
	else if (forge)
		value_set_str(a, s, "edit_url", fill_link(v, repo, n, forge[0], commit, path));
	if (site->history_url)
		value_set_str(a, s, "history_url",
		              fill_link(v, "", 0, site->history_url, commit, path));
	else if (forge)
		value_set_str(a, s, "history_url", fill_link(v, repo, n, forge[1], commit, path));
	return s;
}

/* A moment of history as RFC 3339 with the site's offset, kept. */
static const char *rfc3339(struct view *v, long long t)
{
	buf_reset(&v->tmp);
	time_rfc3339(&v->tmp, t, v->m->site.utc_offset);
	return keep(v, &v->tmp);
}

/* A moment of history in the site's zone: a date value (date_value) with
 * time (20:00) and datetime (RFC 3339 with the site's offset). */
static struct value *stamp_value(struct view *v, long long t)
{
	struct date day;
	int secs;
	date_of_time(t, v->m->site.utc_offset, &day, &secs);
	struct value *d = date_value(v, day);
	value_set_str(v->a, d, "time", hm(v, secs / 60));
	value_set_str(v->a, d, "datetime", rfc3339(v, t));
	return d;
}

/* history: {created, updated, authors, has_authors} of a record's file,
 * or null without history (a plain directory). Authors only when
 * site.yaml's show_authors is true; e-mail addresses never. */
static struct value *history_value(struct view *v, const char *path)
{
	struct history_dates hd;
	if (!history_get(v->m->history, path, &hd))
		return value_str(v->a, NULL);
	struct arena *a = v->a;
	struct value *h = value_map(a);
	value_set(a, h, "created", stamp_value(v, hd.created));
	value_set(a, h, "updated", stamp_value(v, hd.updated));
	struct value *au = value_list(a);
	for (size_t i = 0; v->m->site.show_authors && i < hd.nauthors; i++)
		value_push(a, au, value_str(a, hd.authors[i]));
	set_list(v, h, "authors", au);
	return h;
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
		value_set_str(v->a, it, "url", group_href(v, g));
		value_push(v->a, list, it);
	}
	return list;
}

/* The name that tells s apart from every other record (index.h). */
static const char *session_name(struct view *v, const struct session *s)
{
	buf_reset(&v->tmp);
	index_session_name(&v->tmp, v->ix, s);
	return keep(v, &v->tmp);
}

static const char *const kind_ja[] = {
	[SERIES_SESSION] = "セッション", [SERIES_HEARING] = "訪問", [SERIES_MEETING] = "ミーティング"};

static struct value *session_link(struct view *v, const struct session *s)
{
	struct value *it = value_map(v->a);
	value_set_str(v->a, it, "title", s->title);
	value_set_str(v->a, it, "name", session_name(v, s));
	value_set_str(v->a, it, "url", href_of(v, url_session, s->slug));
	value_set(v->a, it, "date", date_value(v, s->date));
	return it;
}

static struct value *project_link(struct view *v, const struct project *p)
{
	struct value *it = value_map(v->a);
	value_set_str(v->a, it, "title", p->title);
	value_set_str(v->a, it, "url", href_of(v, url_project, p->slug));
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
static const char *jsonld(struct view *v, const struct session *s, const char *name,
                          const char *url)
{
	struct buf b, day;
	struct json j;
	buf_init(&b);
	buf_init(&day);
	json_init(&j, &b, JSON_COMPACT);
	json_object(&j);
	json_key(&j, "@context");
	json_str(&j, "https://schema.org");
	json_key(&j, "@type");
	json_str(&j, "Event");
	json_key(&j, "name");
	json_str(&j, name);
	json_key(&j, "startDate");
	const char *st = iso_time(v, s->date, s->start);
	if (!st) {
		date_iso(&day, s->date);
		st = day.data;
	}
	json_str(&j, st);
	const char *en = iso_time(v, s->date, s->end);
	if (en) {
		json_key(&j, "endDate");
		json_str(&j, en);
	}
	if (s->venue) {
		json_key(&j, "location");
		json_object(&j);
		json_key(&j, "@type");
		json_str(&j, "Place");
		json_key(&j, "name");
		json_str(&j, s->venue);
		json_end(&j);
	}
	if (s->summary && *s->summary) {
		json_key(&j, "description");
		json_str(&j, s->summary);
	}
	if (s->organizers.n) {
		json_key(&j, "organizer");
		json_array(&j);
		for (size_t i = 0; i < s->organizers.n; i++) {
			json_object(&j);
			json_key(&j, "@type");
			json_str(&j, "Organization");
			json_key(&j, "name");
			json_str(&j, s->organizers.v[i]);
			json_end(&j);
		}
		json_end(&j);
	}
	json_key(&j, "url");
	json_str(&j, permalink(v, url));
	json_end(&j);
	const char *out = keep(v, &b);
	buf_free(&b);
	buf_free(&day);
	return out;
}

/* ---- items ------------------------------------------------------------------ */

/* fields.<name>: every text, list and whole-number field of the
 * record's table (model.h), as read, so a field added to model.c's table
 * reaches the templates with no code here. Absent texts and whole
 * numbers at their "absent" default (or below 0: unknown) are left out;
 * an absent list is empty. Under its own map, a field never shadows a
 * name of the page that a template looks up through the item. */
static struct value *table_fields(struct view *v, enum record_kind k, const void *rec)
{
	struct value *map = value_map(v->a);
	size_t n;
	const struct field *f = model_fields(k, &n);
	for (size_t i = 0; i < n; i++, f++) {
		const char *p = (const char *)rec + f->off;
		if (f->type == FIELD_TEXT) {
			value_set_str(v->a, map, f->name, *(const char *const *)p);
		} else if (f->type == FIELD_LIST) {
			set_list(v, map, f->name, str_list(v, (const struct strlist *)p));
		} else if (f->type == FIELD_COUNT) {
			long num = model_field_num(f, rec);
			if (num >= 0 && num != f->num_default)
				value_set_int(v->a, map, f->name, num);
		}
	}
	return map;
}



/* What every item has: slug, url (under dir), permalink and title. */
static struct value *item_head(struct view *v,
                               void (*href)(struct buf *, enum url_form, const char *),
                               const char *slug, const char *title, const char **out_url)
{
	struct value *it = value_map(v->a);
	const char *url = href_of(v, href, slug);
	value_set_str(v->a, it, "slug", slug);
	value_set_str(v->a, it, "url", url);
	value_set_str(v->a, it, "permalink", permalink(v, url));
	value_set_str(v->a, it, "title", title);
	*out_url = url;
	return it;
}

static struct value *session_item(struct view *v, const struct session *s)
{
	struct value *done = cached(&v->cache->sessions[s->idx]);
	if (done)
		return done;
	struct arena *a = v->a;
	const char *url;
	struct value *it = item_head(v, url_session, s->slug, s->title, &url);
	/* name: the title, or with its series and number leading when another
	 * record has the same title; title_repeats lets a theme word it
	 * differently from title, series.name and series.number. */
	const struct session_rel *rel = index_rel(v->ix, s);
	const char *name = session_name(v, s);
	value_set_str(a, it, "name", name);
	value_set_bool(a, it, "title_repeats", rel && rel->title_repeats);
	enum series_kind sk = s->series_def ? s->series_def->kind : SERIES_SESSION;
	value_set_bool(a, it, "is_public", sk == SERIES_SESSION);
	value_set_bool(a, it, "is_hearing", sk == SERIES_HEARING);
	value_set_bool(a, it, "is_meeting", sk == SERIES_MEETING);
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
			value_set_str(a, sr, "url", group_href(v, g));
		if (s->number)
			value_set_int(a, sr, "number", s->number);
		if (s->series_def) {
			value_set_str(a, sr, "kind", series_kind_name(s->series_def->kind));
			value_set_str(a, sr, "kind_ja", kind_ja[s->series_def->kind]);
		}
		value_set(a, it, "series", sr);
	}
	set_list(v, it, "themes", themes_value(v, &s->themes));
	struct value *att = value_map(a);
	value_set_bool(a, att, "known", s->attendance >= 0);
	if (s->attendance >= 0)
		value_set_int(a, att, "count", s->attendance);
	value_set(a, it, "attendance", att);
	value_set_str(a, it, "venue", s->venue);
	set_list(v, it, "guests", str_list(v, &s->guests));
	set_list(v, it, "organizers", str_list(v, &s->organizers));
	set_list(v, it, "images", images_value(v, &s->images));
	struct value *pl = value_list(a);
	for (size_t i = 0; i < s->nprojects; i++)
		value_push(a, pl, project_link(v, s->projects[i]));
	set_list(v, it, "projects", pl);
	value_set_str(a, it, "summary", nonempty(s->summary));
	value_set_str(a, it, "body", nonempty(s->body_html));
	value_set_bool(a, it, "draft", s->draft);
	value_set(a, it, "source", source_value(v, s->path));
	value_set(a, it, "history", history_value(v, s->path));
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
	set_list(v, it, "related", rl);
	value_set_bool(a, it, "has_series_nav", rel && (rel->prev || rel->next));
	value_set_str(a, it, "jsonld", jsonld(v, s, name, url));
	value_set(a, it, "fields", table_fields(v, RECORD_SESSION, s));
	return publish(&v->cache->sessions[s->idx], it);
}

static struct value *session_items(struct view *v, struct session *const *s, size_t n)
{
	struct value *list = value_list(v->a);
	for (size_t i = 0; i < n; i++)
		value_push(v->a, list, session_item(v, s[i]));
	return list;
}

static struct value *project_item(struct view *v, const struct project *p)
{
	struct value *done = cached(&v->cache->projects[p->idx]);
	if (done)
		return done;
	struct arena *a = v->a;
	const char *url;
	struct value *it = item_head(v, url_project, p->slug, p->title, &url);
	/* Without a status the keys are still set (to null), so a template
	 * inside a status group does not pick up the group's status. */
	value_set_str(a, it, "status", p->status ? project_status_name(p->status) : NULL);
	value_set_str(a, it, "status_ja", p->status ? project_status_ja(p->status) : NULL);
	if (p->started.y)
		value_set(a, it, "started", date_value(v, p->started));
	set_list(v, it, "themes", themes_value(v, &p->themes));
	set_list(v, it, "partners", str_list(v, &p->partners));
	set_list(v, it, "images", images_value(v, &p->images));
	value_set_str(a, it, "summary", nonempty(p->summary));
	value_set_str(a, it, "body", nonempty(p->body_html));
	value_set_bool(a, it, "draft", p->draft);
	value_set(a, it, "source", source_value(v, p->path));
	value_set(a, it, "history", history_value(v, p->path));
	set_list(v, it, "sessions", session_items(v, p->sessions, p->nsessions));
	value_set_int(a, it, "session_count", (long long)p->nsessions);
	value_set(a, it, "fields", table_fields(v, RECORD_PROJECT, p));
	return publish(&v->cache->projects[p->idx], it);
}

static struct value *project_items(struct view *v, struct project *const *p, size_t n)
{
	struct value *list = value_list(v->a);
	for (size_t i = 0; i < n; i++)
		value_push(v->a, list, project_item(v, p[i]));
	return list;
}

static struct value *page_item(struct view *v, const struct page *p)
{
	struct value *it = value_map(v->a);
	value_set_str(v->a, it, "title", p->title);
	value_set_str(v->a, it, "body", nonempty(p->body_html));
	value_set_bool(v->a, it, "draft", p->draft);
	value_set_str(v->a, it, "summary", nonempty(p->summary));
	value_set(v->a, it, "source", source_value(v, p->path));
	value_set(v->a, it, "history", history_value(v, p->path));
	value_set(v->a, it, "fields", table_fields(v, RECORD_PAGE, p));
	return it;
}

/* ---- groups, aggregates, charts ------------------------------------------------ */

static const char *x10(struct view *v, long val)
{
	buf_reset(&v->tmp);
	index_put_x10(&v->tmp, val);
	return keep(v, &v->tmp);
}

static struct value *agg_value(struct view *v, const struct agg *g)
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

/* A group's figures split by series: rows {name, url, kind, kind_ja,
 * is_public, agg} ("シリーズなし" for the sessions without one). */
static struct value *series_rows(struct view *v, const struct group *g)
{
	struct arena *a = v->a;
	struct value *list = value_list(a);
	for (size_t i = 0; i < g->nby_series; i++) {
		const struct series_figure *f = &g->by_series[i];
		const struct series_def *def = f->series ? f->series->series_def : NULL;
		enum series_kind k = def ? def->kind : SERIES_SESSION;
		struct value *it = value_map(a);
		value_set_str(a, it, "name", f->series ? f->series->label : "シリーズなし");
		if (f->series)
			value_set_str(a, it, "url", group_href(v, f->series));
		value_set_str(a, it, "kind", series_kind_name(k));
		value_set_str(a, it, "kind_ja", kind_ja[k]);
		value_set_bool(a, it, "is_public", k == SERIES_SESSION);
		value_set(a, it, "agg", agg_value(v, &f->agg));
		value_push(a, list, it);
	}
	return list;
}

/* The names of the public series among g's rows, joined with 「・」: what
 * a public total adds up. */
static const char *public_series(struct view *v, const struct group *g)
{
	buf_reset(&v->tmp);
	for (size_t i = 0; i < g->nby_series; i++) {
		const struct group *sg = g->by_series[i].series;
		if (sg && sg->series_def && sg->series_def->kind != SERIES_SESSION)
			continue;
		if (v->tmp.len)
			buf_puts(&v->tmp, "・");
		buf_puts(&v->tmp, sg ? sg->label : "シリーズなし");
	}
	return keep(v, &v->tmp);
}

static struct value *group_item(struct view *v, const struct group *g)
{
	struct arena *a = v->a;
	struct value *it = value_map(a);
	value_set_str(a, it, "key", g->key);
	value_set_str(a, it, "name", g->label);
	value_set_str(a, it, "label_era", g->label_alt);
	value_set_str(a, it, "description", g->description);
	value_set_str(a, it, "url", group_href(v, g));
	set_list(v, it, "sessions", session_items(v, g->sessions, g->nsessions));
	set_list(v, it, "projects", project_items(v, g->projects, g->nprojects));
	value_set(a, it, "agg", agg_value(v, &g->agg));
	set_list(v, it, "by_series", series_rows(v, g));
	value_set_bool(a, it, "has_several_series", g->nby_series > 1);
	value_set(a, it, "public_agg", agg_value(v, &g->public_agg));
	value_set_str(a, it, "public_series", nonempty(public_series(v, g)));
	/* The headline figure: a series counts its own records, in its own
	 * word (訪問, ミーティング); any other group its public sessions. */
	struct value *h = value_map(a);
	if (g->kind == GROUP_SERIES) {
		enum series_kind k = g->series_def ? g->series_def->kind : SERIES_SESSION;
		value_set_str(a, h, "label", kind_ja[k]);
		value_set(a, h, "agg", agg_value(v, &g->agg));
	} else {
		value_set_str(a, h, "label", "公開セッション");
		value_set(a, h, "agg", agg_value(v, &g->public_agg));
	}
	value_set(a, it, "headline", h);
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

/* known[i] == 0 marks a figure nobody recorded (known may be NULL: all
 * are known): it gets no bar, and "known" false so the chart and its
 * table say 記録なし instead of a number. */
static struct value *chart_value(struct view *v, const char *id, const char *title,
                                 const char *desc, const char *const *labels,
                                 const long *values, const unsigned char *known, size_t n,
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
		int k = !known || known[i];
		long w = k && max > 0 ? (values[i] * CHART_BAR + max / 2) / max : 0;
		if (k && values[i] > 0 && w < 1)
			w = 1;
		long y = CHART_PAD + (long)i * CHART_ROW;
		struct value *b = value_map(a);
		value_set_int(a, b, "x", CHART_LABEL);
		value_set_int(a, b, "y", y + (CHART_ROW - CHART_BAR_H) / 2);
		value_set_int(a, b, "w", w);
		value_set_int(a, b, "h", CHART_BAR_H);
		value_set_str(a, b, "label", labels[i]);
		value_set_bool(a, b, "known", k);
		if (k)
			value_set_int(a, b, "value", values[i]);
		value_set_int(a, b, "label_x", CHART_LABEL - 8);
		value_set_int(a, b, "label_y", y + CHART_ROW / 2 + 5);
		value_set_int(a, b, "value_x", CHART_LABEL + w + 6);
		value_set_int(a, b, "value_y", y + CHART_ROW / 2 + 5);
		value_push(a, bars, b);
		struct value *r = value_map(a);
		value_set_str(a, r, "label", labels[i]);
		value_set_bool(a, r, "known", k);
		if (k)
			value_set_int(a, r, "value", values[i]);
		value_push(a, rows, r);
	}
	value_set(a, c, "bars", bars);
	value_set(a, c, "rows", rows);
	return c;
}

/* ---- pages ------------------------------------------------------------------ */

#define HOME_LATEST 10
#define FEED_ENTRIES 20

/* Rows of a table of groups: name, era label, url and figures — a
 * series' own records, any other group's public sessions (the figures
 * its page leads with). */
static struct value *group_rows(struct view *v, const struct group *g, size_t n)
{
	struct arena *a = v->a;
	struct value *list = value_list(a);
	for (size_t i = 0; i < n; i++) {
		struct value *it = value_map(a);
		value_set_str(a, it, "name", g[i].label);
		value_set_str(a, it, "label_era", g[i].label_alt);
		value_set_str(a, it, "url", group_href(v, &g[i]));
		value_set(a, it, "agg",
		          agg_value(v, g[i].kind == GROUP_SERIES ? &g[i].agg : &g[i].public_agg));
		value_push(a, list, it);
	}
	return list;
}

static struct value *kind_rows(struct view *v, enum group_kind k)
{
	return group_rows(v, v->ix->groups[k].v, v->ix->groups[k].n);
}

enum chart_figure { CHART_SESSIONS, CHART_PARTICIPANTS };

/* A chart of one figure over groups; the unit and the description follow
 * from the figure. */
static struct value *group_chart(struct view *v, const char *id, const char *title,
                                 const char *over, const struct group *g, size_t n,
                                 enum chart_figure fig)
{
	const char **labels = xcalloc(n + 1, sizeof *labels);
	long *vals = xcalloc(n + 1, sizeof *vals);
	unsigned char *known = xcalloc(n + 1, 1);
	for (size_t i = 0; i < n; i++) {
		labels[i] = g[i].label;
		/* Participants are counted over public sessions only (hearings
		 * and meetings are no audience); a total over no known
		 * attendance is unknown, not 0. */
		vals[i] = fig == CHART_PARTICIPANTS ? g[i].public_agg.total : g[i].agg.sessions;
		known[i] = fig != CHART_PARTICIPANTS || g[i].public_agg.known > 0;
	}
	const char *desc = arena_printf(v->a, "%sごとの%sの横棒グラフ。同じ数値を下の表に示します。",
	                                over, fig == CHART_PARTICIPANTS
	                                          ? "公開セッションの延べ参加者数"
	                                          : "記録数");
	struct value *c = chart_value(v, id, title, desc, labels, vals, known, n,
	                              fig == CHART_PARTICIPANTS ? "人" : "回");
	free(labels);
	free(vals);
	free(known);
	return c;
}

/* The months of the month kind for which in(month) holds: they are
 * consecutive (months ascend, and a year or fiscal year is a run of
 * them). */
static const struct group *months_where(struct view *v, int (*in)(const struct group *mg,
                                                                   const struct group *g,
                                                                   int fy_start),
                                        const struct group *g, size_t *out_n)
{
	const struct group_list *ml = &v->ix->groups[GROUP_MONTH];
	size_t from = 0, n = 0;
	for (size_t k = 0; k < ml->n; k++)
		if (in(&ml->v[k], g, v->m->site.fiscal_year_start)) {
			if (!n)
				from = k;
			n++;
		}
	*out_n = n;
	return ml->v + from;
}

static int month_in_year(const struct group *mg, const struct group *g, int fy_start)
{
	(void)fy_start;
	return mg->year == g->year;
}

static int month_in_fy(const struct group *mg, const struct group *g, int fy_start)
{
	struct date first = {mg->year, mg->month, 1};
	return date_fiscal_year(first, fy_start) == g->year;
}

struct value *view_home(struct view *v, const struct view_where *w)
{
	struct arena *a = v->a;
	const struct index *ix = v->ix;
	struct value *p = page_root(v, w, v->m->site.title, NULL);
	struct value *h = value_map(a);
	size_t n = ix->all.nsessions < HOME_LATEST ? ix->all.nsessions : HOME_LATEST;
	set_list(v, h, "latest", session_items(v, ix->all.sessions, n));
	struct value *act = value_list(a);
	for (size_t i = 0; i < v->m->nprojects; i++)
		if (v->m->projects[i]->status == STATUS_ACTIVE)
			value_push(a, act, project_item(v, v->m->projects[i]));
	set_list(v, h, "active_projects", act);
	value_set(a, h, "counts", value_get(v->site, "counts", 6));
	value_set(a, h, "years", kind_rows(v, GROUP_YEAR));
	value_set(a, h, "all", agg_value(v, &ix->all.agg));
	set_list(v, h, "by_series", series_rows(v, &ix->all));
	value_set(a, h, "public_agg", agg_value(v, &ix->all.public_agg));
	value_set_str(a, h, "public_series", nonempty(public_series(v, &ix->all)));
	value_set(a, p, "home", h);
	return p;
}

struct value *view_sessions_list(struct view *v, const struct view_where *w, size_t pg)
{
	struct arena *a = v->a;
	size_t per = (size_t)v->m->site.per_page;
	size_t total = v->ix->all.nsessions;
	size_t pages = total ? (total + per - 1) / per : 1;
	const char *title = pg == 1 ? "セッション一覧"
	                            : arena_printf(a, "セッション一覧（%zuページ目）", pg);
	struct value *p = page_root(v, w, title, NULL);
	size_t from = (pg - 1) * per, n = total - from < per ? total - from : per;
	value_set(a, p, "list", session_items(v, v->ix->all.sessions + from, n));
	struct value *pag = value_map(a);
	value_set_int(a, pag, "page", (long long)pg);
	value_set_int(a, pag, "pages", (long long)pages);
	value_set_int(a, pag, "total", (long long)total);
	value_set_bool(a, pag, "has_prev", pg > 1);
	value_set_bool(a, pag, "has_next", pg < pages);
	value_set_bool(a, pag, "has_pages", pages > 1);
	struct value *items = value_list(a);
	for (size_t k = 1; k <= pages; k++) {
		buf_reset(&v->tmp);
		url_paged(&v->tmp, "sessions", k);
		const char *href = keep(v, &v->tmp);
		if (k + 1 == pg)
			value_set_str(a, pag, "prev_url", href);
		if (k == pg + 1)
			value_set_str(a, pag, "next_url", href);
		struct value *it = value_map(a);
		value_set_int(a, it, "number", (long long)k);
		value_set_str(a, it, "url", href);
		value_set_bool(a, it, "current", k == pg);
		value_push(a, items, it);
	}
	value_set(a, pag, "items", items);
	value_set(a, p, "pagination", pag);
	return p;
}

struct value *view_session_page(struct view *v, const struct view_where *w,
                                const struct session *s)
{
	struct value *it = session_item(v, s);
	struct value *p = page_root(v, w, value_get(it, "name", 4)->u.str.s, s->summary);
	value_set(v->a, p, "session", it);
	return p;
}

struct value *view_projects_list(struct view *v, const struct view_where *w)
{
	struct arena *a = v->a;
	static const enum project_status order[] = {STATUS_ACTIVE, STATUS_PROPOSED,
	                                            STATUS_COMPLETED, STATUS_NONE};
	struct value *p = page_root(v, w, "プロジェクト一覧", NULL);
	struct value *groups = value_list(a);
	for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
		struct value *list = value_list(a);
		for (size_t i = 0; i < v->m->nprojects; i++)
			if (v->m->projects[i]->status == order[k])
				value_push(a, list, project_item(v, v->m->projects[i]));
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
	value_set(a, p, "projects", project_items(v, v->m->projects, v->m->nprojects));
	return p;
}

struct value *view_project_page(struct view *v, const struct view_where *w,
                                const struct project *pr)
{
	struct value *p = page_root(v, w, pr->title, pr->summary);
	value_set(v->a, p, "project", project_item(v, pr));
	return p;
}

struct value *view_free_page(struct view *v, const struct view_where *w, const struct page *pg)
{
	struct value *p = page_root(v, w, pg->title, pg->summary);
	value_set(v->a, p, "content", page_item(v, pg));
	return p;
}

struct value *view_themes_list(struct view *v, const struct view_where *w)
{
	const struct group_list *tl = &v->ix->groups[GROUP_THEME];
	struct value *p = page_root(v, w, "テーマ一覧", NULL);
	value_set(v->a, p, "themes", kind_rows(v, GROUP_THEME));
	value_set(v->a, p, "chart",
	          group_chart(v, "chart-themes", "テーマ別の記録数", "テーマ", tl->v, tl->n,
	                      CHART_SESSIONS));
	return p;
}

struct value *view_group_page(struct view *v, const struct view_where *w, const struct group *g)
{
	struct arena *a = v->a;
	const char *title;
	switch (g->kind) {
	case GROUP_THEME: title = arena_printf(a, "テーマ: %s", g->label); break;
	case GROUP_SERIES: title = arena_printf(a, "シリーズ: %s", g->label); break;
	case GROUP_FY: title = arena_printf(a, "%s（%s）", g->label, g->label_alt); break;
	default: title = g->label; break;
	}
	struct value *p = page_root(v, w, title, NULL);
	value_set(a, p, "group", group_item(v, g));
	size_t n;
	const struct group *months;
	if (g->kind == GROUP_YEAR) {
		months = months_where(v, month_in_year, g, &n);
		value_set(a, p, "months", group_rows(v, months, n));
	} else if (g->kind == GROUP_FY) {
		months = months_where(v, month_in_fy, g, &n);
		value_set(a, p, "months", group_rows(v, months, n));
		value_set(a, p, "chart",
		          group_chart(v, arena_printf(a, "chart-fy-%s", g->slug),
		                      arena_printf(a, "%s 月別の延べ参加者数（公開セッション）", g->label), "月", months,
		                      n, CHART_PARTICIPANTS));
	}
	return p;
}

struct value *view_archive_list(struct view *v, const struct view_where *w)
{
	struct value *p = page_root(v, w, "年月別アーカイブ", NULL);
	value_set(v->a, p, "years", kind_rows(v, GROUP_YEAR));
	value_set(v->a, p, "fiscal_years", kind_rows(v, GROUP_FY));
	return p;
}

struct value *view_attendance(struct view *v, const struct view_where *w)
{
	struct arena *a = v->a;
	const struct group_list *gl = v->ix->groups;
	struct value *p = page_root(v, w, "参加者数の集計", NULL);
	struct value *at = value_map(a);
	value_set(a, at, "all", agg_value(v, &v->ix->all.agg));
	value_set(a, at, "public_agg", agg_value(v, &v->ix->all.public_agg));
	value_set_str(a, at, "public_series", nonempty(public_series(v, &v->ix->all)));
	value_set(a, at, "by_series", kind_rows(v, GROUP_SERIES));
	value_set(a, at, "by_theme", kind_rows(v, GROUP_THEME));
	value_set(a, at, "by_year", kind_rows(v, GROUP_YEAR));
	value_set(a, at, "by_month", kind_rows(v, GROUP_MONTH));
	value_set(a, at, "by_fy", kind_rows(v, GROUP_FY));
	struct value *charts = value_list(a);
	value_push(a, charts, group_chart(v, "chart-fy", "年度別の延べ参加者数（公開セッション）", "年度",
	                                  gl[GROUP_FY].v, gl[GROUP_FY].n, CHART_PARTICIPANTS));
	value_push(a, charts, group_chart(v, "chart-month", "月別の延べ参加者数（公開セッション）", "月",
	                                  gl[GROUP_MONTH].v, gl[GROUP_MONTH].n, CHART_PARTICIPANTS));
	value_push(a, charts, group_chart(v, "chart-theme", "テーマ別の記録数", "テーマ",
	                                  gl[GROUP_THEME].v, gl[GROUP_THEME].n, CHART_SESSIONS));
	value_set(a, at, "charts", charts);
	value_set(a, p, "attendance", at);
	return p;
}

struct value *view_not_found(struct view *v, const struct view_where *w)
{
	return page_root(v, w, "ページが見つかりません", NULL);
}

/* An Atom date: the session's day at 00:00 in the site's zone, or in UTC
 * when the zone's offset is unknown (Atom requires an offset). */
static const char *atom_date(struct view *v, struct date dt)
{
	const char *off = v->m->site.utc_offset;
	return arena_printf(v->a, "%04d-%02d-%02dT00:00:00%s", dt.y, dt.m, dt.d, off ? off : "Z");
}

struct value *view_feed(struct view *v, const struct view_where *w)
{
	struct arena *a = v->a;
	struct value *p = page_root(v, w, v->m->site.title, NULL);
	struct value *f = value_map(a);
	struct value *entries = value_list(a);
	size_t n = v->ix->all.nsessions < FEED_ENTRIES ? v->ix->all.nsessions : FEED_ENTRIES;
	const char *updated = "1970-01-01T00:00:00Z";
	long long newest = 0;
	int dated = 0;
	for (size_t i = 0; i < n; i++) {
		const struct session *s = v->ix->all.sessions[i];
		struct value *sv = session_item(v, s);
		struct value *e = value_map(a);
		/* The record's last change when history knows it (the feed's own
		 * updated is then the newest of them), else its day. */
		struct history_dates hd;
		const char *when;
		if (history_get(v->m->history, s->path, &hd)) {
			when = rfc3339(v, hd.updated);
			if (!dated || hd.updated > newest) {
				newest = hd.updated;
				updated = when;
			}
			dated = 1;
		} else {
			when = atom_date(v, s->date);
			if (i == 0 && !dated)
				updated = when;
		}
		value_set(a, e, "title", value_get(sv, "name", 4));
		value_set(a, e, "permalink", value_get(sv, "permalink", 9));
		value_set(a, e, "id", value_get(sv, "permalink", 9));
		value_set_str(a, e, "updated", when);
		value_set(a, e, "summary", value_get(sv, "summary", 7));
		value_push(a, entries, e);
	}
	value_set_str(a, f, "updated", updated);
	value_set(a, f, "entries", entries);
	value_set(a, p, "feed", f);
	return p;
}

struct value *view_robots(struct view *v, const struct view_where *w)
{
	return page_root(v, w, "robots", NULL);
}

struct value *view_sitemap(struct view *v, const struct view_where *w,
                           const char *const *hrefs, const char *const *srcs, size_t n)
{
	struct arena *a = v->a;
	struct value *p = page_root(v, w, "sitemap", NULL);
	struct value *urls = value_list(a);
	for (size_t i = 0; i < n; i++) {
		struct value *u = value_map(a);
		value_set_str(a, u, "loc", permalink(v, hrefs[i]));
		struct history_dates hd;
		if (srcs[i] && history_get(v->m->history, srcs[i], &hd))
			value_set_str(a, u, "lastmod", rfc3339(v, hd.updated));
		value_push(a, urls, u);
	}
	value_set(a, p, "urls", urls);
	return p;
}
