/* output.c — the table of output kinds, the site's plan, and rendering.
 *
 * Each row of `rows` is one kind of file. Its columns say, separately,
 * how many files it makes and where (count, path: from url.h), what each
 * reads (inputs), and how to make one (a template and a view function,
 * or a function writing bytes). To add a kind of page: one row here, one
 * view function in view.c and one template.
 *
 * output_plan walks the table and lists every file. output_write renders
 * the files with N worker threads, each with a view of its own (view.h),
 * into a window of result slots; the caller's thread hands the finished
 * files to the writer strictly in the plan's order, so the site, the
 * manifest and the diagnostics do not depend on thread timing.
 */
#include "output.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "feeds.h"
#include "tmpl.h"
#include "url.h"
#include "view.h"

struct plan_ctx;
struct row;

/* A file's number within its row. */
typedef size_t count_fn(const struct output_plan *p, const struct row *r);
/* Appends file i's path (form URL_FILE) or href (URL_HREF). */
typedef void path_fn(const struct output_plan *p, const struct row *r, size_t i,
                     enum url_form f, struct buf *b);
typedef void inputs_fn(const struct output_plan *p, const struct row *r, size_t i,
                       struct output_inputs *out);
/* A page's values; w gives its template name and href. */
typedef struct value *page_fn(const struct output_plan *p, const struct row *r, size_t i,
                              struct view *v, const struct view_where *w);
/* A file's bytes, for files made without a template. -1 after recording
 * an error. */
typedef int bytes_fn(const struct output_plan *p, const struct row *r, size_t i,
                     struct buf *out, struct diags *d);

enum {
	ROW_SECTION = 1, /* its top-level directory is a navigation section */
	ROW_SITEMAP = 2, /* its pages are listed in the sitemap */
};

struct row {
	const char *name;  /* the kind; for a page, also its template */
	const char *top;   /* the top-level name it writes under; NULL: none of its own */
	int flags;
	int arg;           /* a group kind, for the group rows */
	const char *fixed; /* a single file at this path (count and path need no function) */
	count_fn *count;
	path_fn *path;
	inputs_fn *inputs;
	page_fn *page;     /* a page rendered through template `name`... */
	bytes_fn *bytes;   /* ...or a file written as bytes */
};

struct output_plan {
	const struct model *m;
	const struct index *ix;
	struct theme *theme;
	struct source *src;
	struct source_list media;
	struct arena *a;             /* paths, hrefs and the plan's lists */
	struct output_file *files;
	size_t n, cap;
	const char **sections;       /* NULL-terminated, from the table */
	output_seen_fn *seen;        /* output_observe's observer, or NULL */
	void *seen_ctx;
};

/* ---- counts and paths -------------------------------------------------------- */

static size_t one(const struct output_plan *p, const struct row *r)
{
	(void)p, (void)r;
	return 1;
}

static size_t n_sessions(const struct output_plan *p, const struct row *r)
{
	(void)r;
	return p->m->nsessions;
}

static size_t n_projects(const struct output_plan *p, const struct row *r)
{
	(void)r;
	return p->m->nprojects;
}

static size_t n_pages(const struct output_plan *p, const struct row *r)
{
	(void)r;
	return p->m->npages;
}

static size_t n_groups(const struct output_plan *p, const struct row *r)
{
	return p->ix->groups[r->arg].n;
}

static size_t n_list_pages(const struct output_plan *p, const struct row *r)
{
	(void)r;
	size_t per = (size_t)p->m->site.per_page, total = p->ix->all.nsessions;
	return total ? (total + per - 1) / per : 1;
}

static size_t n_assets(const struct output_plan *p, const struct row *r)
{
	(void)r;
	return theme_asset_count(p->theme);
}

static size_t n_media(const struct output_plan *p, const struct row *r)
{
	(void)r;
	return p->media.n;
}

/* A directory page of the row's own name: "themes/", "attendance/". */
static void dir_path(const struct output_plan *p, const struct row *r, size_t i,
                     enum url_form f, struct buf *b)
{
	(void)p, (void)i, (void)f;
	buf_puts(b, r->top);
	buf_putc(b, '/');
}

static void home_path(const struct output_plan *p, const struct row *r, size_t i,
                      enum url_form f, struct buf *b)
{
	(void)p, (void)r, (void)i, (void)f, (void)b; /* the root: "" */
}

static void list_path(const struct output_plan *p, const struct row *r, size_t i,
                      enum url_form f, struct buf *b)
{
	(void)p, (void)f;
	url_paged(b, r->top, i + 1);
}

static void session_path(const struct output_plan *p, const struct row *r, size_t i,
                         enum url_form f, struct buf *b)
{
	(void)r;
	url_session(b, f, p->m->sessions[i]->slug);
}

static void project_path(const struct output_plan *p, const struct row *r, size_t i,
                         enum url_form f, struct buf *b)
{
	(void)r;
	url_project(b, f, p->m->projects[i]->slug);
}

static void page_path(const struct output_plan *p, const struct row *r, size_t i,
                      enum url_form f, struct buf *b)
{
	(void)r;
	url_page(b, f, p->m->pages[i]->slug);
}

static void group_path(const struct output_plan *p, const struct row *r, size_t i,
                       enum url_form f, struct buf *b)
{
	url_group(b, f, &p->ix->groups[r->arg].v[i]);
}

static void asset_path(const struct output_plan *p, const struct row *r, size_t i,
                       enum url_form f, struct buf *b)
{
	(void)r, (void)f;
	buf_puts(b, theme_asset(p->theme, i)->url);
}

/* content/media/x.jpg is published as media/x.jpg. */
static void media_path(const struct output_plan *p, const struct row *r, size_t i,
                       enum url_form f, struct buf *b)
{
	(void)r, (void)f;
	buf_puts(b, p->media.v[i].path + strlen("content/"));
}

/* ---- inputs ------------------------------------------------------------------- */

static void add(struct output_inputs *out, enum output_input_kind k, const void *what)
{
	VEC_PUSH(out->v, out->n, out->cap, ((struct output_input){k, what}));
}

/* Site-wide pages (lists, figures, feeds) read every record. */
static void in_all(const struct output_plan *p, const struct row *r, size_t i,
                   struct output_inputs *out)
{
	(void)p, (void)r, (void)i;
	add(out, INPUT_SESSIONS, NULL);
	add(out, INPUT_PROJECTS, NULL);
}

/* The sitemap: every record, whose last-updated dates it shows. */
static void in_sitemap(const struct output_plan *p, const struct row *r, size_t i,
                       struct output_inputs *out)
{
	in_all(p, r, i, out);
	for (size_t k = 0; k < p->m->npages; k++)
		add(out, INPUT_PAGE, p->m->pages[k]);
}

static void in_session(const struct output_plan *p, const struct row *r, size_t i,
                       struct output_inputs *out)
{
	(void)r;
	const struct session *s = p->m->sessions[i];
	const struct session_rel *rel = index_rel(p->ix, s);
	add(out, INPUT_SESSION, s);
	for (size_t k = 0; k < s->nprojects; k++)
		add(out, INPUT_PROJECT, s->projects[k]);
	if (!rel)
		return;
	for (size_t k = 0; k < rel->nthemes; k++)
		add(out, INPUT_GROUP, rel->themes[k]);
	for (int k = 0; k < GROUP_KINDS; k++)
		if (rel->in[k])
			add(out, INPUT_GROUP, rel->in[k]);
	if (rel->prev)
		add(out, INPUT_SESSION, rel->prev);
	if (rel->next)
		add(out, INPUT_SESSION, rel->next);
	for (size_t k = 0; k < rel->nrelated; k++)
		add(out, INPUT_SESSION, rel->related[k]);
}

/* A page listing sessions reads each of them and what their cards show:
 * their projects and theme groups. */
static void in_sessions(const struct output_plan *p, struct session *const *v, size_t n,
                        struct output_inputs *out)
{
	for (size_t i = 0; i < n; i++) {
		add(out, INPUT_SESSION, v[i]);
		for (size_t k = 0; k < v[i]->nprojects; k++)
			add(out, INPUT_PROJECT, v[i]->projects[k]);
		const struct session_rel *rel = index_rel(p->ix, v[i]);
		for (size_t k = 0; rel && k < rel->nthemes; k++)
			add(out, INPUT_GROUP, rel->themes[k]);
	}
}

static void in_project(const struct output_plan *p, const struct row *r, size_t i,
                       struct output_inputs *out)
{
	(void)r;
	const struct project *pr = p->m->projects[i];
	add(out, INPUT_PROJECT, pr);
	for (size_t k = 0; k < pr->themes.n; k++) {
		const struct group *g = index_group(p->ix, GROUP_THEME, pr->themes.v[k]);
		if (g)
			add(out, INPUT_GROUP, g);
	}
	in_sessions(p, pr->sessions, pr->nsessions, out);
}

static void in_page(const struct output_plan *p, const struct row *r, size_t i,
                    struct output_inputs *out)
{
	(void)r;
	add(out, INPUT_PAGE, p->m->pages[i]);
}

static void in_group(const struct output_plan *p, const struct row *r, size_t i,
                     struct output_inputs *out)
{
	const struct group *g = &p->ix->groups[r->arg].v[i];
	add(out, INPUT_GROUP, g);
	in_sessions(p, g->sessions, g->nsessions, out);
	for (size_t k = 0; k < g->nprojects; k++)
		add(out, INPUT_PROJECT, g->projects[k]);
	if (g->kind == GROUP_YEAR || g->kind == GROUP_FY)
		add(out, INPUT_SESSIONS, NULL); /* its months' figures */
}

static void in_list_page(const struct output_plan *p, const struct row *r, size_t i,
                         struct output_inputs *out)
{
	(void)r;
	size_t per = (size_t)p->m->site.per_page, from = i * per, total = p->ix->all.nsessions;
	size_t n = total - from < per ? total - from : per;
	in_sessions(p, p->ix->all.sessions + from, n, out);
	add(out, INPUT_SESSIONS, NULL); /* the page count */
}

static void in_none(const struct output_plan *p, const struct row *r, size_t i,
                    struct output_inputs *out)
{
	(void)p, (void)r, (void)i, (void)out;
}

static void in_asset(const struct output_plan *p, const struct row *r, size_t i,
                     struct output_inputs *out)
{
	(void)r;
	add(out, INPUT_THEME, theme_asset(p->theme, i));
}

static void in_media(const struct output_plan *p, const struct row *r, size_t i,
                     struct output_inputs *out)
{
	(void)r;
	add(out, INPUT_MEDIA, p->media.v[i].path);
}

/* ---- pages ------------------------------------------------------------------ */

static struct value *home(const struct output_plan *p, const struct row *r, size_t i,
                          struct view *v, const struct view_where *w)
{
	(void)p, (void)r, (void)i;
	return view_home(v, w);
}

static struct value *sessions_list(const struct output_plan *p, const struct row *r,
                                   size_t i, struct view *v, const struct view_where *w)
{
	(void)p, (void)r;
	return view_sessions_list(v, w, i + 1);
}

static struct value *session(const struct output_plan *p, const struct row *r, size_t i,
                             struct view *v, const struct view_where *w)
{
	(void)r;
	return view_session_page(v, w, p->m->sessions[i]);
}

static struct value *projects_list(const struct output_plan *p, const struct row *r,
                                   size_t i, struct view *v, const struct view_where *w)
{
	(void)p, (void)r, (void)i;
	return view_projects_list(v, w);
}

static struct value *project(const struct output_plan *p, const struct row *r, size_t i,
                             struct view *v, const struct view_where *w)
{
	(void)r;
	return view_project_page(v, w, p->m->projects[i]);
}

static struct value *free_page(const struct output_plan *p, const struct row *r, size_t i,
                               struct view *v, const struct view_where *w)
{
	(void)r;
	return view_free_page(v, w, p->m->pages[i]);
}

static struct value *themes_list(const struct output_plan *p, const struct row *r, size_t i,
                                 struct view *v, const struct view_where *w)
{
	(void)p, (void)r, (void)i;
	return view_themes_list(v, w);
}

static struct value *group(const struct output_plan *p, const struct row *r, size_t i,
                           struct view *v, const struct view_where *w)
{
	return view_group_page(v, w, &p->ix->groups[r->arg].v[i]);
}

static struct value *archive(const struct output_plan *p, const struct row *r, size_t i,
                             struct view *v, const struct view_where *w)
{
	(void)p, (void)r, (void)i;
	return view_archive_list(v, w);
}

static struct value *attendance(const struct output_plan *p, const struct row *r, size_t i,
                                struct view *v, const struct view_where *w)
{
	(void)p, (void)r, (void)i;
	return view_attendance(v, w);
}

static struct value *not_found(const struct output_plan *p, const struct row *r, size_t i,
                               struct view *v, const struct view_where *w)
{
	(void)p, (void)r, (void)i;
	return view_not_found(v, w);
}

static struct value *feed(const struct output_plan *p, const struct row *r, size_t i,
                          struct view *v, const struct view_where *w)
{
	(void)p, (void)r, (void)i;
	return view_feed(v, w);
}

static struct value *robots(const struct output_plan *p, const struct row *r, size_t i,
                            struct view *v, const struct view_where *w)
{
	(void)p, (void)r, (void)i;
	return view_robots(v, w);
}

/* Defined after the table, whose rows it reads. */
static page_fn sitemap;

/* ---- bytes ------------------------------------------------------------------- */

static int sessions_json(const struct output_plan *p, const struct row *r, size_t i,
                         struct buf *out, struct diags *d)
{
	(void)r, (void)i, (void)d;
	feeds_sessions_json(out, p->m, p->ix);
	return 0;
}

static int sessions_csv(const struct output_plan *p, const struct row *r, size_t i,
                        struct buf *out, struct diags *d)
{
	(void)r, (void)i, (void)d;
	feeds_sessions_csv(out, p->m, p->ix);
	return 0;
}

static int attendance_csv(const struct output_plan *p, const struct row *r, size_t i,
                          struct buf *out, struct diags *d)
{
	(void)r, (void)i, (void)d;
	feeds_attendance_csv(out, p->m, p->ix);
	return 0;
}

static int sessions_ics(const struct output_plan *p, const struct row *r, size_t i,
                        struct buf *out, struct diags *d)
{
	(void)r, (void)i, (void)d;
	feeds_sessions_ics(out, p->m, p->ix);
	return 0;
}

static int asset(const struct output_plan *p, const struct row *r, size_t i, struct buf *out,
                 struct diags *d)
{
	(void)r, (void)d;
	const struct theme_asset *ta = theme_asset(p->theme, i);
	buf_put(out, ta->data, ta->len);
	return 0;
}

/* A media file, copied as it is. */
static int media(const struct output_plan *p, const struct row *r, size_t i, struct buf *out,
                 struct diags *d)
{
	(void)r;
	char *data = NULL;
	size_t len = 0;
	if (source_read(p->src, p->media.v[i].path, &data, &len, d) != 0)
		return -1;
	buf_put(out, data, len);
	free(data);
	return 0;
}

/* ---- the table ----------------------------------------------------------------- */

#define PAGE (ROW_SECTION | ROW_SITEMAP)

static const struct row rows[] = {
	/* name            top             flags        arg           fixed */
	{"home",          "index.html",   ROW_SITEMAP, 0,            NULL,
	 one, home_path, in_all, home, NULL},
	{"sessions",      "sessions",     PAGE,        0,            NULL,
	 n_list_pages, list_path, in_list_page, sessions_list, NULL},
	{"session",       "sessions",     PAGE,        0,            NULL,
	 n_sessions, session_path, in_session, session, NULL},
	{"projects",      "projects",     PAGE,        0,            NULL,
	 one, dir_path, in_all, projects_list, NULL},
	{"project",       "projects",     PAGE,        0,            NULL,
	 n_projects, project_path, in_project, project, NULL},
	{"page",          NULL,           ROW_SITEMAP, 0,            NULL,
	 n_pages, page_path, in_page, free_page, NULL},
	{"themes",        "themes",       PAGE,        0,            NULL,
	 one, dir_path, in_all, themes_list, NULL},
	{"theme",         "themes",       PAGE,        GROUP_THEME,  NULL,
	 n_groups, group_path, in_group, group, NULL},
	{"series",        "series",       PAGE,        GROUP_SERIES, NULL,
	 n_groups, group_path, in_group, group, NULL},
	{"archive",       "archive",      PAGE,        0,            NULL,
	 one, dir_path, in_all, archive, NULL},
	{"archive-year",  "archive",      PAGE,        GROUP_YEAR,   NULL,
	 n_groups, group_path, in_group, group, NULL},
	{"archive-month", "archive",      PAGE,        GROUP_MONTH,  NULL,
	 n_groups, group_path, in_group, group, NULL},
	{"fy",            "fy",           PAGE,        GROUP_FY,     NULL,
	 n_groups, group_path, in_group, group, NULL},
	{"attendance",    "attendance",   PAGE,        0,            NULL,
	 one, dir_path, in_all, attendance, NULL},
	{"404",           "404.html",     0,           0,            "404.html",
	 NULL, NULL, in_none, not_found, NULL},
	{"feed.xml",      "feed.xml",     0,           0,            "feed.xml",
	 NULL, NULL, in_all, feed, NULL},
	{"robots.txt",    "robots.txt",   0,           0,            "robots.txt",
	 NULL, NULL, in_none, robots, NULL},
	{"sessions.json", "data",         0,           0,            "data/sessions.json",
	 NULL, NULL, in_all, NULL, sessions_json},
	{"sessions.csv",  "data",         0,           0,            "data/sessions.csv",
	 NULL, NULL, in_all, NULL, sessions_csv},
	{"attendance.csv", "data",        0,           0,            "data/attendance.csv",
	 NULL, NULL, in_all, NULL, attendance_csv},
	{"sessions.ics",  "sessions.ics", 0,           0,            "sessions.ics",
	 NULL, NULL, in_all, NULL, sessions_ics},
	{"asset",         "assets",       0,           0,            NULL,
	 n_assets, asset_path, in_asset, NULL, asset},
	{"media",         "media",        0,           0,            NULL,
	 n_media, media_path, in_media, NULL, media},
	{"sitemap.xml",   "sitemap.xml",  0,           0,            "sitemap.xml",
	 NULL, NULL, in_sitemap, sitemap, NULL},
};

#define NROWS (sizeof rows / sizeof *rows)

/* ---- the plan ------------------------------------------------------------------- */

/* The content file a row's file i shows, for a record's page; else NULL. */
static const char *record_path(const struct output_plan *p, const struct row *r, size_t i)
{
	if (r->page == session)
		return p->m->sessions[i]->path;
	if (r->page == project)
		return p->m->projects[i]->path;
	if (r->page == free_page)
		return p->m->pages[i]->path;
	return NULL;
}

/* The pages of every ROW_SITEMAP row, in the plan's order, with the path
 * of each one's record (for its last change). */
static struct value *sitemap(const struct output_plan *p, const struct row *r, size_t i,
                             struct view *v, const struct view_where *w)
{
	(void)r, (void)i;
	const char **hrefs = xcalloc(p->n + 1, sizeof *hrefs), **srcs = xcalloc(p->n + 1, sizeof *srcs);
	size_t n = 0;
	for (size_t k = 0; k < p->n; k++) {
		const struct output_file *f = &p->files[k];
		if (!f->href || !(rows[f->row].flags & ROW_SITEMAP))
			continue;
		hrefs[n] = f->href;
		srcs[n++] = record_path(p, &rows[f->row], f->i);
	}
	struct value *root = view_sitemap(v, w, hrefs, srcs, n);
	free(hrefs);
	free(srcs);
	return root;
}

static size_t row_count(const struct output_plan *p, const struct row *r)
{
	return r->fixed ? 1 : r->count(p, r);
}

static void row_path(const struct output_plan *p, const struct row *r, size_t i,
                     enum url_form f, struct buf *b)
{
	if (r->fixed)
		buf_puts(b, r->fixed);
	else
		r->path(p, r, i, f, b);
}

/* A free page may not take a name a row writes under. */
static int reserved(const char *slug)
{
	for (size_t k = 0; k < NROWS; k++)
		if (rows[k].top && !strcmp(rows[k].top, slug))
			return 1;
	return 0;
}

static int is_page_path(const char *path)
{
	size_t n = strlen(path);
	return n == 0 || path[n - 1] == '/' || (n > 5 && !strcmp(path + n - 5, ".html"));
}

static void plan_sections(struct output_plan *p)
{
	size_t n = 0;
	p->sections = arena_alloc(p->a, (NROWS + 1) * sizeof *p->sections);
	for (size_t k = 0; k < NROWS; k++) {
		if (!(rows[k].flags & ROW_SECTION))
			continue;
		int seen = 0;
		for (size_t j = 0; j < n; j++)
			seen |= !strcmp(p->sections[j], rows[k].top);
		if (!seen)
			p->sections[n++] = rows[k].top;
	}
}

int output_plan(struct output_plan **out, const struct model *m, const struct index *ix,
                struct theme *t, struct source *src, struct diags *d)
{
	int errors = d->errors;
	struct output_plan *p = xcalloc(1, sizeof *p);
	struct buf path, href;
	buf_init(&path);
	buf_init(&href);
	p->m = m;
	p->ix = ix;
	p->theme = t;
	p->src = src;
	p->a = arena_new();
	*out = NULL;
	for (size_t i = 0; i < m->npages; i++)
		if (reserved(m->pages[i]->slug))
			diag_error(d, m->pages[i]->path, 0, 0,
			           "the page address /%s/ is taken by kura itself: rename the file",
			           m->pages[i]->slug);
	if (d->errors > errors || source_list(src, "content/media", &p->media, d) != 0)
		goto done;
	plan_sections(p);
	for (size_t k = 0; k < NROWS; k++) {
		const struct row *r = &rows[k];
		size_t n = row_count(p, r);
		for (size_t i = 0; i < n; i++) {
			buf_reset(&path);
			buf_reset(&href);
			row_path(p, r, i, URL_FILE, &path);
			int page = r->page && is_page_path(path.data);
			if (page)
				row_path(p, r, i, URL_HREF, &href);
			if (path.len == 0 || path.data[path.len - 1] == '/')
				buf_puts(&path, "index.html");
			struct output_file f = {arena_strndup(p->a, path.data, path.len),
			                        page ? arena_strndup(p->a, href.data, href.len) : NULL,
			                        k, i};
			VEC_PUSH(p->files, p->n, p->cap, f);
		}
	}
done:
	buf_free(&path);
	buf_free(&href);
	if (d->errors > errors) {
		output_plan_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

void output_plan_free(struct output_plan *p)
{
	if (!p)
		return;
	source_list_free(&p->media);
	free(p->files);
	arena_free(p->a);
	free(p);
}

size_t output_count(const struct output_plan *p)
{
	return p->n;
}

const struct output_file *output_file(const struct output_plan *p, size_t i)
{
	return &p->files[i];
}

const char *output_file_kind(const struct output_plan *p, size_t i)
{
	return rows[p->files[i].row].name;
}

void output_file_inputs(const struct output_plan *p, size_t i, struct output_inputs *out)
{
	const struct output_file *f = &p->files[i];
	const struct row *r = &rows[f->row];
	add(out, INPUT_SITE, NULL);
	if (r->page)
		add(out, INPUT_THEME, NULL);
	r->inputs(p, r, f->i, out);
}

void output_observe(struct output_plan *p, output_seen_fn *fn, void *ctx)
{
	p->seen = fn;
	p->seen_ctx = ctx;
}

/* ---- rendering -------------------------------------------------------------------- */

/* One file being made: its bytes and the problems found making it. */
struct slot {
	struct buf data;
	struct diags d;
	int state; /* 0 free, 1 being made, 2 done */
	int ok;
};

/* The state shared by the render workers and the thread that writes. */
struct render {
	const struct output_plan *p;
	struct tmpl_set *tmpls;
	struct slot *slots;     /* WINDOW slots: file i uses slots[i % WINDOW] */
	size_t window;
	size_t next;            /* the next file a worker takes */
	size_t written;         /* files handed to the writer so far */
	pthread_mutex_t mu;
	pthread_cond_t done;    /* a slot became done */
	pthread_cond_t room;    /* a slot became free */
};

/* Makes file i into slot s with view v. */
static void make(struct render *rd, struct view *v, size_t i, struct slot *s)
{
	const struct output_plan *p = rd->p;
	const struct output_file *f = &p->files[i];
	const struct row *r = &rows[f->row];
	if (r->bytes) {
		s->ok = r->bytes(p, r, f->i, &s->data, &s->d) == 0;
		return;
	}
	/* A page's href is in the plan; a single file that is not a page
	 * (feed.xml, robots.txt) is addressed by its path. */
	struct view_where w = {r->name, f->href ? f->href : f->path};
	struct value *root = r->page(p, r, f->i, v, &w);
	s->ok = tmpl_render(rd->tmpls, r->name, root, &s->data, &s->d) == 0;
}

/* One render thread and its view. */
struct worker {
	struct render *rd;
	struct view *v;
	pthread_t tid;
};

static void *worker(void *arg)
{
	struct render *rd = ((struct worker *)arg)->rd;
	struct view *v = ((struct worker *)arg)->v;
	const struct output_plan *p = rd->p;
	pthread_mutex_lock(&rd->mu);
	while (rd->next < p->n) {
		if (rd->next >= rd->written + rd->window) {
			pthread_cond_wait(&rd->room, &rd->mu);
			continue;
		}
		size_t i = rd->next++;
		struct slot *s = &rd->slots[i % rd->window];
		s->state = 1;
		pthread_mutex_unlock(&rd->mu);
		make(rd, v, i, s);
		pthread_mutex_lock(&rd->mu);
		s->state = 2;
		pthread_cond_broadcast(&rd->done);
	}
	pthread_mutex_unlock(&rd->mu);
	return NULL;
}

/* Hands slot s, holding file i, to the writer and frees it. */
static void finish(const struct output_plan *p, struct slot *s, size_t i, struct writer *w,
                   struct output_stats *st, struct diags *d)
{
	const struct output_file *f = &p->files[i];
	diags_move(d, &s->d);
	if (s->ok && p->seen)
		p->seen(p->seen_ctx, i, s->data.data, s->data.len);
	if (s->ok && (!w || write_file(w, f->path, s->data.data, s->data.len, d) == 0)) {
		st->files++;
		st->media += rows[f->row].bytes == media;
		st->pages += is_page_path(f->path);
	}
	buf_reset(&s->data);
}

#define WINDOW_PER_JOB 16

int output_write(const struct output_plan *p, struct writer *w, int jobs,
                 struct output_stats *st, struct diags *d)
{
	int errors = d->errors;
	memset(st, 0, sizeof *st);
	struct render rd = {p, theme_templates(p->theme), NULL, 0, 0, 0,
	                    PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	                    PTHREAD_COND_INITIALIZER};
	/* Compile every template first: all theme errors in one run, and
	 * rendering then never changes the set (threads share it). */
	for (size_t k = 0; k < NROWS; k++)
		if (rows[k].page)
			tmpl_set_compile(rd.tmpls, rows[k].name, d);
	if (d->errors > errors)
		return -1;
	if (jobs < 1)
		jobs = 1;
	rd.window = (size_t)jobs * WINDOW_PER_JOB;
	rd.slots = xcalloc(rd.window, sizeof *rd.slots);
	for (size_t k = 0; k < rd.window; k++) {
		buf_init(&rd.slots[k].data);
		diags_init(&rd.slots[k].d);
	}
	/* Every view lives until the last page is rendered: they share the
	 * item values they build (view.h). */
	struct view_cache *cache = view_cache_new(p->m);
	struct worker *wk = xcalloc((size_t)jobs, sizeof *wk);
	for (int k = 0; k < jobs; k++) {
		wk[k].rd = &rd;
		wk[k].v = view_new(p->m, p->ix, p->theme, p->sections, cache);
	}
	int started = 0;
	for (int k = 0; jobs > 1 && k < jobs; k++)
		if (pthread_create(&wk[started].tid, NULL, worker, &wk[started]) == 0)
			started++;
	if (!started) {
		/* One job, or the system refused every thread: work here. */
		for (size_t i = 0; i < p->n; i++) {
			make(&rd, wk[0].v, i, &rd.slots[0]);
			finish(p, &rd.slots[0], i, w, st, d);
		}
	} else {
		pthread_mutex_lock(&rd.mu);
		while (rd.written < p->n) {
			struct slot *s = &rd.slots[rd.written % rd.window];
			if (s->state != 2) {
				pthread_cond_wait(&rd.done, &rd.mu);
				continue;
			}
			pthread_mutex_unlock(&rd.mu);
			finish(p, s, rd.written, w, st, d);
			pthread_mutex_lock(&rd.mu);
			s->state = 0;
			rd.written++;
			pthread_cond_broadcast(&rd.room);
		}
		pthread_mutex_unlock(&rd.mu);
		for (int k = 0; k < started; k++)
			pthread_join(wk[k].tid, NULL);
	}
	for (int k = 0; k < jobs; k++)
		view_free(wk[k].v);
	free(wk);
	view_cache_free(cache);
	for (size_t k = 0; k < rd.window; k++) {
		buf_free(&rd.slots[k].data);
		diags_free(&rd.slots[k].d);
	}
	free(rd.slots);
	pthread_mutex_destroy(&rd.mu);
	pthread_cond_destroy(&rd.done);
	pthread_cond_destroy(&rd.room);
	return d->errors > errors ? -1 : 0;
}
