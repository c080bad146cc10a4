/* index.c — the index stage: groups, aggregates and relations.
 *
 * Every kind of group is a row of the table kinds[] (one per enum
 * group_kind): how a session gives its key(s) for the kind, how a group
 * is named (slug, labels, year, month) from its key, the order of the
 * kind's groups, and where a group's projects come from. One grouping
 * routine, group_record, files each session (newest first) in its groups
 * of every kind, and each project (by slug) in the groups of the kinds
 * that projects name (themes). Appending in that order leaves every
 * group's session list already newest first, and a session's position in
 * each of its groups known without searching. One finishing routine,
 * finish_kind, then sorts each kind's groups, copies them into the
 * index's arena and aggregates them; the figures by series and the
 * public figures follow, once the series' final order is known.
 * Relations (series neighbours, related sessions, repeated titles) are
 * computed last from the final groups. The vocabularies of the model
 * (themes.yaml, series.yaml) enter through the key and label functions:
 * a theme is folded into its vocabulary theme when keyed, and a group
 * takes its slug and description from its entry when labelled. Nothing here
 * reads the clock or the environment, and every sort is a total order, so
 * the same model always gives the same index.
 *
 * To add a kind of group (say, by venue):
 *   1. index.h: its value in enum group_kind, before GROUP_KINDS (the
 *      enum's order is the order of open data);
 *   2. here: its row in kinds[], with its key function (one or no key per
 *      session, like series_key; several, like theme_key) and its label
 *      function (like label_series), and its name for index_kind_name.
 * Nothing else in this file changes: the kind gets its groups, their
 * aggregates and project lists, index_group lookups, and its entry in
 * every session_rel.in[]. Its pages are url.c's and output.c's business.
 */
#include "index.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "arena.h"
#include "date.h"

/* ---- the state of one build -------------------------------------------- */

/* A group while it is being filled. Its lists grow in malloc'd memory
 * (ms, mp, util.h vectors) and are copied to the arena, exactly sized,
 * when finished. */
struct gb {
	struct group g;
	struct session **ms;
	size_t scap;
	struct project **mp;
	size_t pcap;
	const char *path;  /* first file naming it, for diagnostics */
	size_t final;      /* its position in the finished, sorted array */
	size_t rank;       /* a series: its index in model->series (else nseries) */
};

/* A session's place in one of its groups: the group's id (its index in
 * grouping.v) and the session's position in the group's session list. */
struct place {
	size_t id, pos;
};

/* The groups of one kind while they are filled, found by key, and every
 * session's places in them: those of the session with idx i are
 * pl[start[i] .. start[i] + count[i]), in the order its keys came. */
struct grouping {
	struct gb *v;
	size_t n, cap;
	struct strmap ids;      /* key (v[id].g.key, in the arena) -> id */
	struct place *pl;
	size_t npl, plcap;
	size_t *start, *count;  /* by session idx */
};

/* site.yaml's theme_slugs with its keys normalised like theme names:
 * keys[i] (NULL when not valid UTF-8) maps to site.theme_slug_values.v[i];
 * used[i] once a theme took it. */
struct slugmap {
	char **keys;
	int *used;
	size_t n;
};

/* Everything one index_build works with besides the index itself. */
struct build {
	const struct model *m;
	struct arena *a;        /* the index's arena */
	struct diags *d;
	int fy_start;           /* first month of the fiscal year */
	struct grouping gr[GROUP_KINDS];
	struct slugmap tslugs;
	/* themes.yaml: the theme key of each name and alias -> the theme's
	 * index in model->themes; and by that index, its name's key (NULL
	 * when the name has none). */
	struct strmap tvocab;
	const char **tvkeys;
	struct strmap srank;    /* series name -> its index in model->series */
	struct buf key;         /* one key (or label) at a time */
	long *scratch;          /* for aggregate: room for every session */
	/* For the figures, by session idx: the final position of its series
	 * group (SIZE_MAX: none) and whether it is a public session. */
	size_t *spos;
	unsigned char *spublic;
	struct pick *picks;     /* for figures: room for every session */
	struct session **sel;   /* likewise */
};

/* What the grouping routine files: a session, or a project (s NULL). */
struct rec {
	struct session *s;
	struct project *p;
	const char *path;
};

static const char *const site_yaml = "content/site.yaml";
static const char *const series_yaml = "content/series.yaml";
static const char *const themes_yaml = "content/themes.yaml";

/* ---- the row of a group kind ------------------------------------------- */

/* One kind of group: a row of kinds[]. A group is identified by its key;
 * everything else about it (slug, labels, year, month) comes from the key
 * through label. */
struct kind {
	const char *name;  /* index_kind_name: "series", "theme", ... */
	/* How many keys record r has for this kind (a session's themes, its
	 * series or none, its one month), and its i-th key, appended to out:
	 * returns 0, or -1 when that one is no key (the reason recorded). */
	size_t (*nkeys)(const struct rec *r);
	int (*key)(struct buf *out, const struct rec *r, size_t i, const struct build *b);
	/* Sets g's slug, label, label_alt, year and month from its key. A
	 * slug that cannot be is left NULL, with an error recorded. */
	void (*label)(struct gb *g, struct build *b);
	/* The order of the kind's groups, over struct gb pointers. */
	int (*cmp)(const void *, const void *);
	/* 1 when a session may have several keys (themes): session_rel.in[]
	 * then has no group of the kind (session_rel.themes has them). */
	int several;
	/* A group's projects: those linked to its sessions, or (NAMING)
	 * those whose own keys name it (a project record goes through nkeys
	 * and key), which count toward no aggregate. */
	enum { PROJECTS_LINKED, PROJECTS_NAMING } projects;
};

/* ---- theme names ------------------------------------------------------- */

/* Unicode White_Space: the controls TAB..CR and NEL, and the separators
 * (Zs covers SPACE, NBSP, U+2000..U+200A, U+3000 and the rest). */
static int is_uspace(unsigned cp)
{
	if ((cp >= 9 && cp <= 13) || cp == 0x85)
		return 1;
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)cp);
	return k == UTF8PROC_CATEGORY_ZS || k == UTF8PROC_CATEGORY_ZL ||
	       k == UTF8PROC_CATEGORY_ZP;
}

int index_theme_key(struct buf *out, const char *s, size_t n)
{
	if (!utf8_valid(s, n, NULL))
		return -1;
	if (n == 0)
		return 0;
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
	                                    &dst, UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
	                                                  UTF8PROC_STABLE);
	if (len < 0)
		return -1; /* nothing was allocated */
	const char *p = (const char *)dst;
	size_t start = 0, end = 0, i = 0;
	int seen = 0;
	while (i < (size_t)len) {
		unsigned cp;
		int l = utf8_decode(p + i, (size_t)len - i, &cp);
		if (l <= 0)
			l = 1; /* cannot happen: utf8proc writes valid UTF-8 */
		if (!is_uspace(cp)) {
			if (!seen)
				start = i;
			seen = 1;
			end = i + (size_t)l;
		}
		i += (size_t)l;
	}
	if (seen)
		buf_put(out, p + start, end - start);
	free(dst);
	return 0;
}

/* ---- keys: what a record gives for each kind --------------------------- */

static const struct strlist *themes_of(const struct rec *r)
{
	return r->s ? &r->s->themes : &r->p->themes;
}

static size_t theme_keys(const struct rec *r)
{
	return themes_of(r)->n;
}

/* The normalised name (index_theme_key), folded through themes.yaml: a
 * name or alias there gives its theme's name's key. An empty one is no
 * theme. */
static int theme_key(struct buf *out, const struct rec *r, size_t i, const struct build *b)
{
	const char *name = themes_of(r)->v[i];
	if (index_theme_key(out, name, strlen(name)) < 0)
		return diag_error(b->d, r->path, 0, 0, "theme \"%s\" is not valid UTF-8", name);
	if (out->len == 0) {
		diag_error(b->d, r->path, 0, 0, "theme \"%s\" is empty", name);
		diag_hint(b->d, "remove it from themes: or write the theme's name");
		return -1;
	}
	const size_t *t = strmap_get(&b->tvocab, out->data);
	if (t && b->tvkeys[*t]) {
		buf_reset(out);
		buf_puts(out, b->tvkeys[*t]);
	}
	return 0;
}

static size_t series_keys(const struct rec *r)
{
	return r->s->series != NULL;
}

static int series_key(struct buf *out, const struct rec *r, size_t i, const struct build *b)
{
	(void)i, (void)b;
	buf_puts(out, r->s->series);
	return 0;
}

static size_t one_key(const struct rec *r)
{
	(void)r;
	return 1;
}

static int month_key(struct buf *out, const struct rec *r, size_t i, const struct build *b)
{
	(void)i, (void)b;
	buf_printf(out, "%04d-%02d", r->s->date.y, r->s->date.m);
	return 0;
}

static int year_key(struct buf *out, const struct rec *r, size_t i, const struct build *b)
{
	(void)i, (void)b;
	buf_printf(out, "%04d", r->s->date.y);
	return 0;
}

static int fy_key(struct buf *out, const struct rec *r, size_t i, const struct build *b)
{
	(void)i;
	buf_printf(out, "%04d", date_fiscal_year(r->s->date, b->fy_start));
	return 0;
}

/* ---- labels: slug, labels, year and month from the key ---------------- */

/* The hint for a theme or series slug that cannot be (which: "it", "one
 * of them"): where a slug of its own is given. */
static void hint_slug(struct diags *d, enum group_kind k, const char *which)
{
	if (k == GROUP_THEME)
		diag_hint(d, "give %s a slug: in content/themes.yaml (or under theme_slugs: in "
		             "content/site.yaml)", which);
	else
		diag_hint(d, "give %s a slug: in content/series.yaml, or rename it", which);
}

/* Sets g's slug from raw, made one safe path segment: each of / \ < > "
 * ' ? # % , and every control character becomes '-' (so no name climbs
 * out of its directory, ends an HTML attribute or cuts a URL short), and
 * trailing dots and spaces go (Windows drops them). What is left must
 * pass kura's path rule (util.h path_problem): "", "." and "..", or a
 * segment over 255 bytes, are refused (slug NULL, error recorded at
 * path). */
static void set_slug(struct gb *g, const char *raw, const char *path, struct build *b)
{
	const char *what = index_kind_name(g->g.kind);
	char *s = arena_strdup(b->a, raw);
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || strchr("/\\<>\"'?#%,", s[i]))
			s[i] = '-';
	while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
		s[--n] = '\0';
	if (path_problem(s, n)) {
		diag_error(b->d, path, 0, 0, "%s \"%s\" has the URL slug \"%s\", which cannot be a path",
		           what, g->g.key, raw);
		hint_slug(b->d, g->g.kind, "it");
		return;
	}
	g->g.slug = s;
}

/* g's slug in site.yaml's theme_slugs (its first entry), or NULL. */
static const char *site_theme_slug(struct gb *g, struct build *b)
{
	const struct strlist *vals = &b->m->site.theme_slug_values;
	const char *raw = NULL;
	for (size_t i = 0; i < b->tslugs.n; i++) {
		if (!b->tslugs.keys[i] || strcmp(b->tslugs.keys[i], g->g.key) != 0)
			continue;
		if (raw && strcmp(raw, vals->v[i]) != 0)
			diag_error(b->d, site_yaml, 0, 0,
			           "theme_slugs: theme \"%s\" is given two slugs, \"%s\" and \"%s\"",
			           g->g.key, raw, vals->v[i]);
		if (!raw)
			raw = vals->v[i];
		b->tslugs.used[i] = 1;
	}
	return raw;
}

/* A theme of themes.yaml is labelled with its name and described; its
 * slug is themes.yaml's, else its site.yaml theme_slugs entry, else its
 * key. The two files must not give one theme two slugs. */
static void label_theme(struct gb *g, struct build *b)
{
	const size_t *t = strmap_get(&b->tvocab, g->g.key);
	const struct theme_def *def = t ? b->m->themes[*t] : NULL;
	const char *raw = site_theme_slug(g, b), *path = raw ? site_yaml : g->path;
	g->g.label = def ? def->name : g->g.key;
	g->g.description = def ? def->description : NULL;
	if (def && def->slug) {
		if (raw && strcmp(raw, def->slug) != 0) {
			diag_error(b->d, site_yaml, 0, 0,
			           "theme_slugs: theme \"%s\" has the slug \"%s\" in %s and \"%s\" here",
			           def->name, def->slug, themes_yaml, raw);
			diag_hint(b->d, "keep one: remove it from theme_slugs: or its slug: from %s",
			          themes_yaml);
		}
		raw = def->slug;
		path = themes_yaml;
	}
	set_slug(g, raw ? raw : g->g.key, path, b);
}

/* A series of series.yaml gets its slug and description from there; its
 * rank is its place in the model's series order. */
static void label_series(struct gb *g, struct build *b)
{
	const size_t *i = strmap_get(&b->srank, g->g.key);
	const struct series_def *def = i ? b->m->series[*i] : NULL;
	g->rank = i ? *i : b->m->nseries;
	g->g.series_def = def;
	g->g.label = g->g.key;
	g->g.description = def ? def->description : NULL;
	if (def && def->slug)
		set_slug(g, def->slug, series_yaml, b);
	else
		set_slug(g, g->g.key, g->path, b);
}

static void label_month(struct gb *g, struct build *b)
{
	sscanf(g->g.key, "%d-%d", &g->g.year, &g->g.month);
	g->g.slug = arena_printf(b->a, "%04d/%02d", g->g.year, g->g.month);
	g->g.label = arena_printf(b->a, "%d年%d月", g->g.year, g->g.month);
}

static void label_year(struct gb *g, struct build *b)
{
	sscanf(g->g.key, "%d", &g->g.year);
	g->g.slug = g->g.key;
	g->g.label = arena_printf(b->a, "%d年", g->g.year);
}

/* "2020年度", and "令和2年度" as label_alt. */
static void label_fy(struct gb *g, struct build *b)
{
	sscanf(g->g.key, "%d", &g->g.year);
	g->g.slug = g->g.key;
	buf_reset(&b->key);
	fy_label(&b->key, g->g.year);
	g->g.label = arena_strdup(b->a, b->key.data);
	buf_reset(&b->key);
	fy_era_label(&b->key, g->g.year, b->fy_start);
	g->g.label_alt = arena_strdup(b->a, b->key.data);
}

/* ---- orders ------------------------------------------------------------ */

static int cmp_newest(const void *pa, const void *pb)
{
	const struct session *a = *(struct session *const *)pa;
	const struct session *b = *(struct session *const *)pb;
	int c = model_session_when_cmp(b, a);
	return c ? c : strcmp(a->slug, b->slug);
}

static int cmp_project_slug(const void *pa, const void *pb)
{
	const struct project *a = *(struct project *const *)pa;
	const struct project *b = *(struct project *const *)pb;
	return strcmp(a->slug, b->slug);
}

/* Themes: by session count desc, then key. */
static int cmp_theme_order(const void *pa, const void *pb)
{
	const struct gb *a = *(struct gb *const *)pa, *b = *(struct gb *const *)pb;
	if (a->g.nsessions != b->g.nsessions)
		return a->g.nsessions > b->g.nsessions ? -1 : 1;
	return strcmp(a->g.key, b->g.key);
}

/* Series: the model's series order (series.yaml's, then by name); a
 * series the model does not list (a model built by hand) last, by key. */
static int cmp_series_order(const void *pa, const void *pb)
{
	const struct gb *a = *(struct gb *const *)pa, *b = *(struct gb *const *)pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return strcmp(a->g.key, b->g.key);
}

/* Periods ascending; one kind's periods never share year and month. */
static int cmp_period(const void *pa, const void *pb)
{
	const struct gb *a = *(struct gb *const *)pa, *b = *(struct gb *const *)pb;
	if (a->g.year != b->g.year)
		return a->g.year < b->g.year ? -1 : 1;
	if (a->g.month != b->g.month)
		return a->g.month < b->g.month ? -1 : 1;
	return 0;
}

static int cmp_slug(const void *pa, const void *pb)
{
	const struct gb *a = *(struct gb *const *)pa, *b = *(struct gb *const *)pb;
	int c = strcmp(a->g.slug, b->g.slug);
	return c ? c : strcmp(a->g.key, b->g.key);
}

static int cmp_long(const void *pa, const void *pb)
{
	long a = *(const long *)pa, b = *(const long *)pb;
	return a < b ? -1 : a > b;
}

static int cmp_group_key(const void *pa, const void *pb)
{
	const struct group *a = *(const struct group *const *)pa;
	const struct group *b = *(const struct group *const *)pb;
	return strcmp(a->key, b->key);
}

/* ---- the table of group kinds ------------------------------------------ */

/* One row per enum group_kind (struct kind says what each column means):
 * name, nkeys, key, label, cmp, several, projects. */
static const struct kind kinds[GROUP_KINDS] = {
	[GROUP_SERIES] = {"series", series_keys, series_key, label_series, cmp_series_order, 0, PROJECTS_LINKED},
	[GROUP_THEME]  = {"theme",  theme_keys,  theme_key,  label_theme,  cmp_theme_order,  1, PROJECTS_NAMING},
	[GROUP_MONTH]  = {"month",  one_key,     month_key,  label_month,  cmp_period,       0, PROJECTS_LINKED},
	[GROUP_YEAR]   = {"year",   one_key,     year_key,   label_year,   cmp_period,       0, PROJECTS_LINKED},
	[GROUP_FY]     = {"fy",     one_key,     fy_key,     label_fy,     cmp_period,       0, PROJECTS_LINKED},
};

/* ---- the vocabularies: themes.yaml and series.yaml --------------------- */

/* Files s, a name or alias of theme i, under its key (the first theme to
 * claim a key keeps it: model.c refuses a file where two do); returns the
 * key, or NULL when s has none. */
static const char *vocab_key(struct build *b, const char *s, size_t i)
{
	buf_reset(&b->key);
	if (index_theme_key(&b->key, s, strlen(s)) < 0 || b->key.len == 0)
		return NULL;
	const char *k = arena_strdup(b->a, b->key.data);
	strmap_put(&b->tvocab, k, i, NULL);
	return k;
}

static void vocab_init(struct build *b)
{
	const struct model *m = b->m;
	b->tvkeys = arena_alloc(b->a, (m->nthemes + 1) * sizeof *b->tvkeys);
	for (size_t i = 0; i < m->nthemes; i++)
		b->tvkeys[i] = vocab_key(b, m->themes[i]->name, i);
	for (size_t i = 0; i < m->nthemes; i++)
		for (size_t j = 0; j < m->themes[i]->aliases.n; j++)
			vocab_key(b, m->themes[i]->aliases.v[j], i);
	for (size_t i = 0; i < m->nseries; i++)
		strmap_put(&b->srank, m->series[i]->name, i, NULL);
}

/* ---- site.yaml theme_slugs --------------------------------------------- */

/* Its keys are theme keys, folded through themes.yaml like records'
 * themes, so an entry for an alias is its theme's. */
static void slugmap_init(struct build *b)
{
	const struct site *site = &b->m->site;
	struct slugmap *sm = &b->tslugs;
	sm->n = site->theme_slug_keys.n;
	if (site->theme_slug_values.n < sm->n)
		sm->n = site->theme_slug_values.n;
	sm->keys = xcalloc(sm->n ? sm->n : 1, sizeof *sm->keys);
	sm->used = xcalloc(sm->n ? sm->n : 1, sizeof *sm->used);
	for (size_t i = 0; i < sm->n; i++) {
		const char *k = site->theme_slug_keys.v[i];
		buf_reset(&b->key);
		if (index_theme_key(&b->key, k, strlen(k)) < 0) {
			diag_error(b->d, site_yaml, 0, 0, "theme_slugs: \"%s\" is not valid UTF-8", k);
			continue;
		}
		const size_t *t = strmap_get(&b->tvocab, b->key.data);
		sm->keys[i] = xstrdup(t && b->tvkeys[*t] ? b->tvkeys[*t] : b->key.data);
	}
}

/* After naming: an entry that names no theme is most likely a typo. */
static void slugmap_check(const struct build *b)
{
	for (size_t i = 0; i < b->tslugs.n; i++)
		if (b->tslugs.keys[i] && !b->tslugs.used[i])
			diag_warn(b->d, site_yaml, 0, 0,
			          "theme_slugs: \"%s\" is not a theme of any session or project",
			          b->m->site.theme_slug_keys.v[i]);
}

static void slugmap_free(struct slugmap *sm)
{
	for (size_t i = 0; i < sm->n; i++)
		free(sm->keys[i]);
	free(sm->keys);
	free(sm->used);
}

/* ---- grouping ---------------------------------------------------------- */

/* The id of kind k's group with this key, made (the key copied to the
 * arena, path kept for diagnostics) when absent. */
static size_t group_get(struct build *b, enum group_kind k, const char *key, const char *path)
{
	struct grouping *gr = &b->gr[k];
	const size_t *id = strmap_get(&gr->ids, key);
	if (id)
		return *id;
	struct gb g = {.g = {.kind = k, .key = arena_strdup(b->a, key)}, .path = path};
	VEC_PUSH(gr->v, gr->n, gr->cap, g);
	strmap_put(&gr->ids, g.g.key, gr->n - 1, NULL);
	return gr->n - 1;
}

/* The grouping routine: appends r to each of its groups of kind k (made
 * when new), once per group even when two of its keys are one (a theme
 * written twice, perhaps spelt two ways), and records a session's places. */
static void group_record(struct build *b, enum group_kind k, const struct rec *r)
{
	const struct kind *row = &kinds[k];
	struct grouping *gr = &b->gr[k];
	size_t n = row->nkeys(r), first = gr->npl;
	for (size_t i = 0; i < n; i++) {
		buf_reset(&b->key);
		if (row->key(&b->key, r, i, b) < 0)
			continue;
		size_t id = group_get(b, k, b->key.data, r->path);
		struct gb *g = &gr->v[id];
		/* Records come one at a time: if r is in g, it is g's last. */
		if (r->s) {
			if (g->g.nsessions && g->ms[g->g.nsessions - 1] == r->s)
				continue;
			struct place p = {id, g->g.nsessions};
			VEC_PUSH(gr->pl, gr->npl, gr->plcap, p);
			VEC_PUSH(g->ms, g->g.nsessions, g->scap, r->s);
		} else if (!g->g.nprojects || g->mp[g->g.nprojects - 1] != r->p) {
			VEC_PUSH(g->mp, g->g.nprojects, g->pcap, r->p);
		}
	}
	if (r->s) {
		gr->start[r->s->idx] = first;
		gr->count[r->s->idx] = gr->npl - first;
	}
}

/* Files every session, newest first, in its groups of every kind, then
 * every project, by slug, in the groups of the kinds projects name. */
static void group_all(struct build *b, struct session **newest)
{
	for (size_t i = 0; i < b->m->nsessions; i++) {
		struct rec r = {newest[i], NULL, newest[i]->path};
		for (int k = 0; k < GROUP_KINDS; k++)
			group_record(b, (enum group_kind)k, &r);
	}
	for (size_t i = 0; i < b->m->nprojects; i++) {
		struct rec r = {NULL, b->m->projects[i], b->m->projects[i]->path};
		for (int k = 0; k < GROUP_KINDS; k++)
			if (kinds[k].projects == PROJECTS_NAMING)
				group_record(b, (enum group_kind)k, &r);
	}
}

/* Two groups of one kind must not share a slug: one page would overwrite
 * the other. Records one error per clash. */
static void check_slugs(const struct grouping *gr, enum group_kind k, struct diags *d)
{
	if (gr->n < 2)
		return;
	struct gb **v = xmalloc(gr->n * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < gr->n; i++)
		if (gr->v[i].g.slug)
			v[n++] = &gr->v[i];
	xsort(v, n, sizeof *v, cmp_slug);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i - 1]->g.slug, v[i]->g.slug) != 0)
			continue;
		diag_error(d, v[i]->path, 0, 0, "%s \"%s\" has the same URL slug \"%s\" as \"%s\"",
		           index_kind_name(k), v[i]->g.key, v[i]->g.slug, v[i - 1]->g.key);
		hint_slug(d, k, "one of them");
	}
	free(v);
}

/* Names kind k's groups in the order they were made (so diagnostics come
 * in the order of the files), then refuses slugs two of them share. */
static void label_kind(struct build *b, enum group_kind k)
{
	struct grouping *gr = &b->gr[k];
	for (size_t i = 0; i < gr->n; i++)
		kinds[k].label(&gr->v[i], b);
	check_slugs(gr, k, b->d);
}

/* ---- finishing --------------------------------------------------------- */

/* n elements of size bytes copied to the arena; never NULL. */
static void *dup_array(struct arena *a, const void *p, size_t n, size_t size)
{
	void *q = arena_alloc(a, (n ? n : 1) * size);
	if (n)
		memcpy(q, p, n * size);
	return q;
}

/* Tenths of num/den rounded half away from zero; num >= 0, den > 0. */
static long tenths(long num, long den)
{
	return (num * 20 + den) / (den * 2);
}

/* scratch has room for every session of the model. */
static void aggregate(struct agg *out, struct session *const *v, size_t n, long *scratch)
{
	struct agg g = {0};
	size_t k = 0;
	g.sessions = (int)n;
	for (size_t i = 0; i < n; i++)
		if (v[i]->attendance >= 0)
			scratch[k++] = v[i]->attendance;
	g.known = (int)k;
	if (k) {
		xsort(scratch, k, sizeof *scratch, cmp_long);
		for (size_t i = 0; i < k; i++)
			g.total += scratch[i];
		g.min = scratch[0];
		g.max = scratch[k - 1];
		g.mean_x10 = tenths(g.total, (long)k);
		/* Two middle values average to a multiple of 0.5: exact. */
		g.median_x10 = k % 2 ? scratch[k / 2] * 10
		                     : (scratch[k / 2 - 1] + scratch[k / 2]) * 5;
	}
	*out = g;
}

/* The projects linked to g's sessions, each once, by slug. */
static void link_projects(struct gb *g)
{
	for (size_t s = 0; s < g->g.nsessions; s++)
		for (size_t p = 0; p < g->ms[s]->nprojects; p++)
			VEC_PUSH(g->mp, g->g.nprojects, g->pcap, g->ms[s]->projects[p]);
	if (g->g.nprojects)
		xsort(g->mp, g->g.nprojects, sizeof *g->mp, cmp_project_slug);
	size_t k = 0;
	for (size_t p = 0; p < g->g.nprojects; p++)
		if (k == 0 || g->mp[k - 1] != g->mp[p])
			g->mp[k++] = g->mp[p];
	g->g.nprojects = k;
}

/* The finishing routine: sorts kind k's groups in the kind's order and
 * copies them, lists exactly sized and aggregated, into ix->groups[k],
 * and their pointers by key into ix->by_key[k]. */
static void finish_kind(struct build *b, struct index *ix, enum group_kind k)
{
	struct grouping *gr = &b->gr[k];
	struct group_list *gl = &ix->groups[k];
	struct gb **order = xmalloc((gr->n ? gr->n : 1) * sizeof *order);
	for (size_t i = 0; i < gr->n; i++)
		order[i] = &gr->v[i];
	xsort(order, gr->n, sizeof *order, kinds[k].cmp);
	gl->n = gr->n;
	gl->v = arena_alloc(b->a, (gl->n ? gl->n : 1) * sizeof *gl->v);
	ix->by_key[k] = arena_alloc(b->a, (gl->n ? gl->n : 1) * sizeof *ix->by_key[k]);
	for (size_t i = 0; i < gl->n; i++) {
		struct gb *g = order[i];
		struct group *out = &gl->v[i];
		if (kinds[k].projects == PROJECTS_LINKED)
			link_projects(g);
		g->final = i;
		*out = g->g;
		out->sessions = dup_array(b->a, g->ms, g->g.nsessions, sizeof *g->ms);
		out->projects = dup_array(b->a, g->mp, g->g.nprojects, sizeof *g->mp);
		aggregate(&out->agg, out->sessions, out->nsessions, b->scratch);
		ix->by_key[k][i] = out;
	}
	xsort(ix->by_key[k], gl->n, sizeof *ix->by_key[k], cmp_group_key);
	free(order);
}

/* ---- figures by series ------------------------------------------------ */

/* A session of a group, by its series' final position, then its own
 * place in the group (newest first). */
struct pick {
	size_t pos, i;
};

static int cmp_pick(const void *pa, const void *pb)
{
	const struct pick *a = pa, *b = pb;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* b->spos and b->spublic of every session, once the series are final. */
static void place_series(struct build *b)
{
	const struct grouping *gr = &b->gr[GROUP_SERIES];
	for (size_t idx = 0; idx < b->m->nsessions; idx++) {
		b->spos[idx] = SIZE_MAX;
		b->spublic[idx] = 1;
		if (!gr->count[idx])
			continue;
		const struct gb *g = &gr->v[gr->pl[gr->start[idx]].id];
		b->spos[idx] = g->final;
		b->spublic[idx] = !g->g.series_def || g->g.series_def->kind == SERIES_SESSION;
	}
}

/* g's by_series (its sessions by series in the series' order, those
 * without one last) and public_agg. */
static void figures(struct group *g, struct build *b, const struct index *ix)
{
	size_t n = g->nsessions, rows = 0, np = 0;
	for (size_t i = 0; i < n; i++)
		b->picks[i] = (struct pick){b->spos[g->sessions[i]->idx], i};
	xsort(b->picks, n, sizeof *b->picks, cmp_pick);
	for (size_t i = 0; i < n; i++)
		rows += i == 0 || b->picks[i].pos != b->picks[i - 1].pos;
	g->by_series = arena_alloc(b->a, (rows ? rows : 1) * sizeof *g->by_series);
	for (size_t i = 0, j; i < n; i = j) {
		size_t pos = b->picks[i].pos, k = 0;
		for (j = i; j < n && b->picks[j].pos == pos; j++)
			b->sel[k++] = g->sessions[b->picks[j].i];
		struct series_figure *f = &g->by_series[g->nby_series++];
		f->series = pos == SIZE_MAX ? NULL : &ix->groups[GROUP_SERIES].v[pos];
		aggregate(&f->agg, b->sel, k, b->scratch);
	}
	for (size_t i = 0; i < n; i++)
		if (b->spublic[g->sessions[i]->idx])
			b->sel[np++] = g->sessions[i];
	aggregate(&g->public_agg, b->sel, np, b->scratch);
}

/* The figures of every group and of ix->all. */
static void figures_all(struct build *b, struct index *ix)
{
	place_series(b);
	figures(&ix->all, b, ix);
	for (int k = 0; k < GROUP_KINDS; k++)
		for (size_t i = 0; i < ix->groups[k].n; i++)
			figures(&ix->groups[k].v[i], b, ix);
}

/* The finished group of kind k that had this id while grouping. */
static const struct group *final_group(const struct index *ix, const struct build *b,
                                       enum group_kind k, size_t id)
{
	return &ix->groups[k].v[b->gr[k].v[id].final];
}

/* ---- relations --------------------------------------------------------- */

struct cand {
	struct session *s;
	int score;
	long dist;
};

static int cmp_cand(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	return strcmp(a->s->slug, b->s->slug);
}

/* What relate() needs besides the session: the finished index, the
 * build's theme places, and scratch space. score[] is all zero between
 * calls; tmark[] holds, per theme id, the last session (idx + 1) that
 * marked it; cands has room for every session. */
struct relctx {
	const struct index *ix;
	const struct build *b;
	const struct grouping *th;  /* b->gr[GROUP_THEME] */
	int *score;
	size_t *tmark;
	struct cand *cands;
};

/* Related sessions of s. Candidates are the sessions within a window of s
 * in each of its theme groups (the groups are by date, so the nearest in
 * time); a candidate's score is the number of theme windows it was found
 * in, which is the number of shared themes whenever every group was
 * scanned whole. When a group was cut, scores are recounted exactly from
 * the candidates' own themes. */
static void relate(struct session_rel *r, struct session *s, const struct relctx *x)
{
	size_t idx = s->idx, nt = x->th->count[idx], nc = 0;
	const struct place *mine = x->th->pl + x->th->start[idx];
	size_t w = INDEX_RELATED_WINDOW;
	if (nt && 2 * w * nt > INDEX_RELATED_BUDGET) {
		w = INDEX_RELATED_BUDGET / (2 * nt);
		if (w < 8)
			w = 8;
	}
	int cut = 0;
	long day = date_days(s->date);
	for (size_t t = 0; t < nt; t++) {
		const struct group *g = final_group(x->ix, x->b, GROUP_THEME, mine[t].id);
		size_t pos = mine[t].pos;
		size_t lo = pos > w ? pos - w : 0;
		size_t hi = pos + w;
		if (hi >= g->nsessions)
			hi = g->nsessions - 1;
		cut |= lo > 0 || hi + 1 < g->nsessions;
		for (size_t j = lo; j <= hi; j++) {
			struct session *c = g->sessions[j];
			if (c == s)
				continue;
			if (x->score[c->idx]++ == 0) {
				x->cands[nc].s = c;
				long dd = date_days(c->date) - day;
				x->cands[nc].dist = dd < 0 ? -dd : dd;
				nc++;
			}
		}
	}
	if (cut)
		for (size_t t = 0; t < nt; t++)
			x->tmark[mine[t].id] = idx + 1;
	for (size_t i = 0; i < nc; i++) {
		size_t ci = x->cands[i].s->idx;
		int sc = x->score[ci];
		if (cut) {
			const struct place *theirs = x->th->pl + x->th->start[ci];
			sc = 0;
			for (size_t t = 0; t < x->th->count[ci]; t++)
				sc += x->tmark[theirs[t].id] == idx + 1;
		}
		x->cands[i].score = sc;
		x->score[ci] = 0;
	}
	xsort(x->cands, nc, sizeof *x->cands, cmp_cand);
	r->nrelated = nc < INDEX_RELATED_MAX ? nc : INDEX_RELATED_MAX;
	for (size_t i = 0; i < r->nrelated; i++)
		r->related[i] = x->cands[i].s;
}

/* The groups of the session with this idx: its one group of each kind
 * with one key (in[]), its theme groups in the order written, and its
 * neighbours in its series. */
static void place_session(struct session_rel *r, size_t idx, const struct relctx *x)
{
	for (int k = 0; k < GROUP_KINDS; k++) {
		const struct grouping *gr = &x->b->gr[k];
		if (!kinds[k].several && gr->count[idx])
			r->in[k] = final_group(x->ix, x->b, (enum group_kind)k, gr->pl[gr->start[idx]].id);
	}
	const struct place *mine = x->th->pl + x->th->start[idx];
	r->nthemes = x->th->count[idx];
	r->themes = arena_alloc(x->b->a, (r->nthemes ? r->nthemes : 1) * sizeof *r->themes);
	/* The themes were visited in the order written, so this keeps it. */
	for (size_t t = 0; t < r->nthemes; t++)
		r->themes[t] = final_group(x->ix, x->b, GROUP_THEME, mine[t].id);
	const struct grouping *se = &x->b->gr[GROUP_SERIES];
	const struct group *g = r->in[GROUP_SERIES];
	if (g) {
		size_t p = se->pl[se->start[idx]].pos;
		r->next = p > 0 ? g->sessions[p - 1] : NULL; /* the list is newest first */
		r->prev = p + 1 < g->nsessions ? g->sessions[p + 1] : NULL;
	}
}

/* rel[].title_repeats: 1 when another record (a session, a project or a
 * free page) has the same title: the session is then named with its
 * series and number (index_session_name), so no two records read the
 * same away from their pages. */
static void mark_repeated_titles(struct index *ix)
{
	const struct model *m = ix->model;
	struct strmap seen = {NULL, 0, 0};
	for (size_t i = 0; i < m->nsessions; i++)
		++*strmap_put(&seen, m->sessions[i]->title ? m->sessions[i]->title : "", 0, NULL);
	for (size_t i = 0; i < m->nprojects; i++)
		++*strmap_put(&seen, m->projects[i]->title ? m->projects[i]->title : "", 0, NULL);
	for (size_t i = 0; i < m->npages; i++)
		++*strmap_put(&seen, m->pages[i]->title ? m->pages[i]->title : "", 0, NULL);
	for (size_t i = 0; i < m->nsessions; i++)
		ix->rel[i].title_repeats =
		    *strmap_get(&seen, m->sessions[i]->title ? m->sessions[i]->title : "") > 1;
	strmap_free(&seen);
}

/* ix->rel, from the finished groups. */
static void relate_all(struct index *ix, const struct build *b)
{
	size_t n = ix->model->nsessions;
	const struct grouping *th = &b->gr[GROUP_THEME];
	int *score = xcalloc(n + 1, sizeof *score);
	size_t *tmark = xcalloc(th->n + 1, sizeof *tmark);
	struct cand *cands = xmalloc((n + 1) * sizeof *cands);
	struct relctx x = {ix, b, th, score, tmark, cands};
	ix->rel = arena_alloc(b->a, (n ? n : 1) * sizeof *ix->rel);
	for (size_t idx = 0; idx < n; idx++) {
		place_session(&ix->rel[idx], idx, &x);
		relate(&ix->rel[idx], ix->model->sessions[idx], &x);
	}
	mark_repeated_titles(ix);
	free(score);
	free(tmark);
	free(cands);
}

/* ---- the build --------------------------------------------------------- */

static void build_init(struct build *b, const struct model *m, struct diags *d)
{
	memset(b, 0, sizeof *b);
	b->m = m;
	b->a = arena_new();
	b->d = d;
	b->fy_start = m->site.fiscal_year_start >= 1 && m->site.fiscal_year_start <= 12
	                  ? m->site.fiscal_year_start
	                  : 4;
	for (int k = 0; k < GROUP_KINDS; k++) {
		b->gr[k].start = xcalloc(m->nsessions + 1, sizeof *b->gr[k].start);
		b->gr[k].count = xcalloc(m->nsessions + 1, sizeof *b->gr[k].count);
	}
	buf_init(&b->key);
	b->scratch = xmalloc((m->nsessions + 1) * sizeof *b->scratch);
	b->spos = xmalloc((m->nsessions + 1) * sizeof *b->spos);
	b->spublic = xmalloc(m->nsessions + 1);
	b->picks = xmalloc((m->nsessions + 1) * sizeof *b->picks);
	b->sel = xmalloc((m->nsessions + 1) * sizeof *b->sel);
	vocab_init(b);
	slugmap_init(b);
}

/* Frees what the build made, except its arena (the index's). */
static void build_free(struct build *b)
{
	for (int k = 0; k < GROUP_KINDS; k++) {
		struct grouping *gr = &b->gr[k];
		for (size_t i = 0; i < gr->n; i++) {
			free(gr->v[i].ms);
			free(gr->v[i].mp);
		}
		free(gr->v);
		strmap_free(&gr->ids);
		free(gr->pl);
		free(gr->start);
		free(gr->count);
	}
	slugmap_free(&b->tslugs);
	strmap_free(&b->tvocab);
	strmap_free(&b->srank);
	buf_free(&b->key);
	free(b->scratch);
	free(b->spos);
	free(b->spublic);
	free(b->picks);
	free(b->sel);
}

int index_build(struct index **out, const struct model *m, struct diags *d)
{
	int rc = -1, errors_before = d->errors;
	size_t n = m->nsessions, np = m->nprojects;
	struct build b;
	*out = NULL;
	build_init(&b, m, d);
	struct index *ix = arena_alloc(b.a, sizeof *ix);
	ix->arena = b.a;
	ix->model = m;

	/* Newest first, the order of every group's session list. */
	struct session **newest = dup_array(b.a, m->sessions, n, sizeof *newest);
	xsort(newest, n, sizeof *newest, cmp_newest);
	group_all(&b, newest);
	for (int k = 0; k < GROUP_KINDS; k++)
		label_kind(&b, (enum group_kind)k);
	slugmap_check(&b);
	if (d->errors > errors_before)
		goto done;

	ix->all.key = "all";
	ix->all.slug = "";
	ix->all.label = "すべて";
	ix->all.sessions = newest;
	ix->all.nsessions = n;
	/* m->projects is already by slug (the model's contract). */
	ix->all.projects = dup_array(b.a, m->projects, np, sizeof *ix->all.projects);
	ix->all.nprojects = np;
	aggregate(&ix->all.agg, newest, n, b.scratch);
	for (int k = 0; k < GROUP_KINDS; k++)
		finish_kind(&b, ix, (enum group_kind)k);
	figures_all(&b, ix);
	relate_all(ix, &b);
	/* index_group folds names as written through the vocabulary too. */
	ix->theme_vocab = b.tvocab;
	ix->theme_vocab_keys = b.tvkeys;
	memset(&b.tvocab, 0, sizeof b.tvocab);

	/* The headline counts only public sessions (index.h). */
	ix->counts.sessions = (size_t)ix->all.public_agg.sessions;
	ix->counts.themes = ix->groups[GROUP_THEME].n;
	ix->counts.projects = np;
	ix->counts.series = ix->groups[GROUP_SERIES].n;
	ix->counts.participants = ix->all.public_agg.total;
	ix->counts.unknown = ix->all.public_agg.sessions - ix->all.public_agg.known;

	*out = ix;
	rc = 0;
done:
	if (rc)
		arena_free(b.a);
	build_free(&b);
	return rc;
}

void index_free(struct index *ix)
{
	if (!ix)
		return;
	strmap_free(&ix->theme_vocab); /* its slots are malloc'd; ix is in the arena */
	arena_free(ix->arena);
}

/* ---- lookups ----------------------------------------------------------- */

static int cmp_key_group(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct group *const *)elem)->key);
}

const struct group *index_group(const struct index *ix, enum group_kind k, const char *key)
{
	if ((unsigned)k >= GROUP_KINDS)
		return NULL;
	struct buf b;
	buf_init(&b);
	if (k == GROUP_THEME) {
		if (index_theme_key(&b, key, strlen(key)) != 0) {
			buf_free(&b);
			return NULL;
		}
		const size_t *t = strmap_get(&ix->theme_vocab, b.data);
		key = t && ix->theme_vocab_keys[*t] ? ix->theme_vocab_keys[*t] : b.data;
	}
	const struct group *const *found =
	    sorted_find(ix->by_key[k], ix->groups[k].n, sizeof *ix->by_key[k], key, cmp_key_group);
	buf_free(&b);
	return found ? *found : NULL;
}

const char *index_kind_name(enum group_kind k)
{
	return (unsigned)k < GROUP_KINDS ? kinds[k].name : "";
}

const struct session_rel *index_rel(const struct index *ix, const struct session *s)
{
	const struct model *m = ix->model;
	if (s->idx < m->nsessions && m->sessions[s->idx] == s)
		return &ix->rel[s->idx];
	return NULL;
}

void index_session_name(struct buf *out, const struct index *ix, const struct session *s)
{
	const struct session_rel *r = index_rel(ix, s);
	if (!r || !r->title_repeats) {
		buf_puts(out, s->title);
	} else if (s->series && s->number > 0) {
		buf_printf(out, "%s 第%d回：%s", s->series, s->number, s->title);
	} else if (s->series) {
		buf_printf(out, "%s（", s->series);
		date_iso(out, s->date);
		buf_printf(out, "）：%s", s->title);
	} else {
		buf_printf(out, "%s（", s->title);
		date_iso(out, s->date);
		buf_puts(out, "）");
	}
}

void index_put_x10(struct buf *b, long x10)
{
	if (x10 < 0) {
		buf_putc(b, '-');
		x10 = -x10;
	}
	buf_printf(b, "%ld.%ld", x10 / 10, x10 % 10);
}
