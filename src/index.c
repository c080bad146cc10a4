/* index.c — the index stage: groups, aggregates and relations.
 *
 * One pass over the sessions, newest first, appends each session to its
 * theme, series, year, month and fiscal-year groups, so that every group's
 * list comes out already in newest-first order and a session's position
 * in each of its groups is known without searching. A second pass over the
 * projects (by slug) fills the theme groups' project lists. Groups are then
 * sorted, copied into the index's arena, and aggregated; relations (series
 * neighbours and related sessions) are computed last from the final
 * groups. Nothing here reads the clock or the environment, and every sort
 * is a total order, so the same model always gives the same index.
 */
#include "index.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "arena.h"
#include "date.h"

/* ---- group builders ---------------------------------------------------- */

/* A group while it is being filled. Its lists grow in malloc'd memory
 * (ms, mp: util.h vectors) and are copied to the arena, exactly sized,
 * when finished. */
struct gb {
	struct group g;
	struct session **ms;
	size_t scap;
	struct project **mp;
	size_t pcap;
	const char *path;  /* first file naming it, for diagnostics */
	size_t final;      /* its position in the finished, sorted array */
};

/* Groups of one kind, found by key. */
struct grouping {
	struct gb *v;
	size_t n, cap;
	struct strmap ids; /* key (v[id].g.key, in the arena) -> id */
};

/* The id of the group with this key, made (key copied to the arena) when
 * absent. */
static size_t group_get(struct grouping *gr, struct arena *a, const char *key,
                        const char *path)
{
	const size_t *id = strmap_get(&gr->ids, key);
	if (id)
		return *id;
	struct gb b = {.g = {.key = arena_strdup(a, key)}, .path = path};
	VEC_PUSH(gr->v, gr->n, gr->cap, b);
	strmap_put(&gr->ids, b.g.key, gr->n - 1, NULL);
	return gr->n - 1;
}

static void push_session(struct gb *b, struct session *s)
{
	VEC_PUSH(b->ms, b->g.nsessions, b->scap, s);
}

static void push_project(struct gb *b, struct project *p)
{
	VEC_PUSH(b->mp, b->g.nprojects, b->pcap, p);
}

static void grouping_free(struct grouping *gr)
{
	for (size_t i = 0; i < gr->n; i++) {
		free(gr->v[i].ms);
		free(gr->v[i].mp);
	}
	free(gr->v);
	strmap_free(&gr->ids);
	memset(gr, 0, sizeof *gr);
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

static int cmp_theme_order(const void *pa, const void *pb)
{
	const struct gb *a = *(struct gb *const *)pa, *b = *(struct gb *const *)pb;
	if (a->g.nsessions != b->g.nsessions)
		return a->g.nsessions > b->g.nsessions ? -1 : 1;
	return strcmp(a->g.key, b->g.key);
}

static int cmp_key(const void *pa, const void *pb)
{
	const struct gb *a = *(struct gb *const *)pa, *b = *(struct gb *const *)pb;
	return strcmp(a->g.key, b->g.key);
}

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

/* ---- aggregates -------------------------------------------------------- */

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
		qsort(scratch, k, sizeof *scratch, cmp_long);
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

/* ---- theme keys and slugs ---------------------------------------------- */

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

/* The slug of a name: '/' and '\' become '-', so a slug is one path
 * segment; empty, "." and ".." are refused. NULL after recording an
 * error. */
static const char *safe_slug(struct arena *a, const char *raw, const char *what,
                             const char *name, const char *path, struct diags *d)
{
	if (!*raw || strcmp(raw, ".") == 0 || strcmp(raw, "..") == 0) {
		diag_error(d, path, 0, 0, "%s \"%s\" has the URL slug \"%s\", which cannot be a path",
		           what, name, raw);
		if (strcmp(what, "theme") == 0)
			diag_hint(d, "give it another slug under theme_slugs: in content/site.yaml");
		else
			diag_hint(d, "rename the %s", what);
		return NULL;
	}
	char *s = arena_strdup(a, raw);
	for (char *c = s; *c; c++)
		if (*c == '/' || *c == '\\')
			*c = '-';
	return s;
}

/* Two groups of one kind must not share a slug: one page would overwrite
 * the other. Records one error per clash. */
static void check_slugs(struct grouping *gr, const char *what, struct diags *d)
{
	if (gr->n < 2)
		return;
	struct gb **v = xmalloc(gr->n * sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < gr->n; i++)
		if (gr->v[i].g.slug)
			v[k++] = &gr->v[i];
	qsort(v, k, sizeof *v, cmp_slug);
	for (size_t i = 1; i < k; i++) {
		if (strcmp(v[i - 1]->g.slug, v[i]->g.slug) != 0)
			continue;
		diag_error(d, v[i]->path, 0, 0,
		           "%s \"%s\" has the same URL slug \"%s\" as \"%s\"", what,
		           v[i]->g.key, v[i]->g.slug, v[i - 1]->g.key);
		if (strcmp(what, "theme") == 0)
			diag_hint(d, "give one of them its own slug under theme_slugs: in "
			             "content/site.yaml");
		else
			diag_hint(d, "rename one of them");
	}
	free(v);
}

/* Theme slugs: the site.yaml mapping (keys normalised like theme names)
 * or the key itself. A mapping entry that names no theme is a warning: it
 * is most likely a typo. */
static void theme_slugs(struct grouping *gr, const struct site *site, struct arena *a,
                        struct diags *d)
{
	const char *yaml = "content/site.yaml";
	size_t nmap = site->theme_slug_keys.n;
	if (site->theme_slug_values.n < nmap)
		nmap = site->theme_slug_values.n;
	char **keys = xcalloc(nmap ? nmap : 1, sizeof *keys);
	int *used = xcalloc(nmap ? nmap : 1, sizeof *used);
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < nmap; i++) {
		const char *k = site->theme_slug_keys.v[i];
		buf_reset(&b);
		if (index_theme_key(&b, k, strlen(k)) < 0) {
			diag_error(d, yaml, 0, 0, "theme_slugs: \"%s\" is not valid UTF-8", k);
			continue;
		}
		keys[i] = xstrdup(b.data);
	}
	for (size_t t = 0; t < gr->n; t++) {
		struct gb *g = &gr->v[t];
		const char *raw = g->g.key, *path = g->path;
		for (size_t i = 0; i < nmap; i++) {
			if (keys[i] && strcmp(keys[i], g->g.key) == 0) {
				if (raw != g->g.key && strcmp(raw, site->theme_slug_values.v[i]) != 0) {
					diag_error(d, yaml, 0, 0,
					           "theme_slugs: theme \"%s\" is given two slugs, \"%s\" and \"%s\"",
					           g->g.key, raw, site->theme_slug_values.v[i]);
				}
				if (raw == g->g.key)
					raw = site->theme_slug_values.v[i];
				path = yaml;
				used[i] = 1;
			}
		}
		g->g.label = g->g.key;
		g->g.slug = safe_slug(a, raw, "theme", g->g.key, path, d);
	}
	for (size_t i = 0; i < nmap; i++)
		if (keys[i] && !used[i])
			diag_warn(d, yaml, 0, 0,
			          "theme_slugs: \"%s\" is not a theme of any session or project",
			          site->theme_slug_keys.v[i]);
	check_slugs(gr, "theme", d);
	for (size_t i = 0; i < nmap; i++)
		free(keys[i]);
	free(keys);
	free(used);
	buf_free(&b);
}

/* ---- finishing groups -------------------------------------------------- */

/* Sorts the groups with cmp, copies them into an arena array, with their
 * lists exactly sized, and aggregates them. linked_projects: the group's
 * projects are those linked to its sessions (not the theme case). */
static struct group *finish(struct grouping *gr, struct arena *a,
                            int (*cmp)(const void *, const void *), int linked_projects,
                            long *scratch)
{
	struct gb **order = xmalloc((gr->n ? gr->n : 1) * sizeof *order);
	for (size_t i = 0; i < gr->n; i++)
		order[i] = &gr->v[i];
	qsort(order, gr->n, sizeof *order, cmp);
	struct group *out = arena_alloc(a, (gr->n ? gr->n : 1) * sizeof *out);
	for (size_t i = 0; i < gr->n; i++) {
		struct gb *b = order[i];
		struct group *g = &out[i];
		b->final = i;
		*g = b->g;
		g->sessions = arena_alloc(a, (g->nsessions ? g->nsessions : 1) * sizeof *g->sessions);
		if (g->nsessions)
			memcpy(g->sessions, b->ms, g->nsessions * sizeof *g->sessions);
		if (linked_projects) {
			for (size_t s = 0; s < g->nsessions; s++)
				for (size_t p = 0; p < g->sessions[s]->nprojects; p++)
					push_project(b, g->sessions[s]->projects[p]);
			if (b->g.nprojects)
				qsort(b->mp, b->g.nprojects, sizeof *b->mp, cmp_project_slug);
			size_t k = 0;
			for (size_t p = 0; p < b->g.nprojects; p++)
				if (k == 0 || b->mp[k - 1] != b->mp[p])
					b->mp[k++] = b->mp[p];
			g->nprojects = k;
		}
		g->projects = arena_alloc(a, (g->nprojects ? g->nprojects : 1) * sizeof *g->projects);
		if (g->nprojects)
			memcpy(g->projects, b->mp, g->nprojects * sizeof *g->projects);
		aggregate(&g->agg, g->sessions, g->nsessions, scratch);
	}
	free(order);
	return out;
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

/* A session's place in one of its theme groups. */
struct tpos {
	size_t id, pos;
};

/* What relate() needs besides the session: every session's theme places
 * (tp[tstart[idx] .. + tcount[idx]]) and scratch space. score[] is all
 * zero between calls; tmark[] holds, per theme id, the last session
 * (idx + 1) that marked it; cands has room for every session. */
struct relctx {
	const struct group *themes;
	const struct grouping *gr;
	const struct tpos *tp;
	const size_t *tstart, *tcount;
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
	size_t idx = s->idx, nt = x->tcount[idx], nc = 0;
	const struct tpos *mine = x->tp + x->tstart[idx];
	size_t w = INDEX_RELATED_WINDOW;
	if (nt && 2 * w * nt > INDEX_RELATED_BUDGET) {
		w = INDEX_RELATED_BUDGET / (2 * nt);
		if (w < 8)
			w = 8;
	}
	int cut = 0;
	long day = date_days(s->date);
	for (size_t t = 0; t < nt; t++) {
		const struct group *g = &x->themes[x->gr->v[mine[t].id].final];
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
			const struct tpos *theirs = x->tp + x->tstart[ci];
			sc = 0;
			for (size_t t = 0; t < x->tcount[ci]; t++)
				sc += x->tmark[theirs[t].id] == idx + 1;
		}
		x->cands[i].score = sc;
		x->score[ci] = 0;
	}
	qsort(x->cands, nc, sizeof *x->cands, cmp_cand);
	r->nrelated = nc < INDEX_RELATED_MAX ? nc : INDEX_RELATED_MAX;
	for (size_t i = 0; i < r->nrelated; i++)
		r->related[i] = x->cands[i].s;
}

/* ---- the build --------------------------------------------------------- */

#define NONE SIZE_MAX

int index_build(struct index **out, const struct model *m, struct diags *d)
{
	int rc = -1;
	int errors_before = d->errors;
	size_t n = m->nsessions, np = m->nprojects;
	struct arena *a = arena_new();
	struct index *ix = arena_alloc(a, sizeof *ix);
	struct grouping themes = {0}, series = {0}, years = {0}, months = {0}, fys = {0};
	struct buf kb;
	int fy_start = m->site.fiscal_year_start >= 1 && m->site.fiscal_year_start <= 12
	                   ? m->site.fiscal_year_start
	                   : 4;
	size_t nt_all = 0;
	for (size_t i = 0; i < n; i++)
		nt_all += m->sessions[i]->themes.n;
	struct tpos *tp = xmalloc((nt_all ? nt_all : 1) * sizeof *tp);
	size_t *tstart = xcalloc(n + 1, sizeof *tstart), *tcount = xcalloc(n + 1, sizeof *tcount);
	size_t *sid = xmalloc((n + 1) * sizeof *sid), *spos = xcalloc(n + 1, sizeof *spos);
	size_t *yid = xmalloc((n + 1) * sizeof *yid), *mid = xmalloc((n + 1) * sizeof *mid);
	size_t *fid = xmalloc((n + 1) * sizeof *fid);
	long *scratch = xmalloc((n + 1) * sizeof *scratch);
	int *score = xcalloc(n + 1, sizeof *score);
	struct cand *cands = xmalloc((n + 1) * sizeof *cands);
	size_t *pt = NULL, npt = 0, *tmark = NULL;
	buf_init(&kb);

	*out = NULL;
	ix->arena = a;
	ix->model = m;

	/* Newest first, the order of every group's session list. */
	struct session **newest = arena_alloc(a, (n ? n : 1) * sizeof *newest);
	if (n)
		memcpy(newest, m->sessions, n * sizeof *newest);
	qsort(newest, n, sizeof *newest, cmp_newest);
	/* m->projects is already by slug (the model's contract). */
	struct project **projects = arena_alloc(a, (np ? np : 1) * sizeof *projects);
	if (np)
		memcpy(projects, m->projects, np * sizeof *projects);

	size_t ntp = 0;
	for (size_t i = 0; i < n; i++) {
		struct session *s = newest[i];
		size_t idx = s->idx;
		tstart[idx] = ntp;
		for (size_t t = 0; t < s->themes.n; t++) {
			const char *name = s->themes.v[t];
			buf_reset(&kb);
			if (index_theme_key(&kb, name, strlen(name)) < 0) {
				diag_error(d, s->path, 0, 0, "theme \"%s\" is not valid UTF-8", name);
				continue;
			}
			if (kb.len == 0) {
				diag_error(d, s->path, 0, 0, "theme \"%s\" is empty", name);
				diag_hint(d, "remove it from themes: or write the theme's name");
				continue;
			}
			size_t id = group_get(&themes, a, kb.data, s->path);
			int dup = 0;
			for (size_t k = tstart[idx]; k < ntp; k++)
				dup |= tp[k].id == id;
			if (dup)
				continue; /* listed twice (perhaps spelt two ways): counts once */
			tp[ntp].id = id;
			tp[ntp].pos = themes.v[id].g.nsessions;
			ntp++;
			push_session(&themes.v[id], s);
		}
		tcount[idx] = ntp - tstart[idx];

		sid[idx] = NONE;
		if (s->series) {
			size_t id = group_get(&series, a, s->series, s->path);
			sid[idx] = id;
			spos[idx] = series.v[id].g.nsessions;
			push_session(&series.v[id], s);
		}

		char key[32];
		snprintf(key, sizeof key, "%04d", s->date.y);
		yid[idx] = group_get(&years, a, key, s->path);
		years.v[yid[idx]].g.year = s->date.y;
		push_session(&years.v[yid[idx]], s);

		snprintf(key, sizeof key, "%04d-%02d", s->date.y, s->date.m);
		mid[idx] = group_get(&months, a, key, s->path);
		months.v[mid[idx]].g.year = s->date.y;
		months.v[mid[idx]].g.month = s->date.m;
		push_session(&months.v[mid[idx]], s);

		int fy = date_fiscal_year(s->date, fy_start);
		snprintf(key, sizeof key, "%04d", fy);
		fid[idx] = group_get(&fys, a, key, s->path);
		fys.v[fid[idx]].g.year = fy;
		push_session(&fys.v[fid[idx]], s);
	}

	/* Project themes: the theme's project list, not its aggregates. */
	for (size_t i = 0; i < np; i++) {
		struct project *p = projects[i];
		free(pt);
		pt = xmalloc((p->themes.n ? p->themes.n : 1) * sizeof *pt);
		npt = 0;
		for (size_t t = 0; t < p->themes.n; t++) {
			const char *name = p->themes.v[t];
			buf_reset(&kb);
			if (index_theme_key(&kb, name, strlen(name)) < 0) {
				diag_error(d, p->path, 0, 0, "theme \"%s\" is not valid UTF-8", name);
				continue;
			}
			if (kb.len == 0) {
				diag_error(d, p->path, 0, 0, "theme \"%s\" is empty", name);
				diag_hint(d, "remove it from themes: or write the theme's name");
				continue;
			}
			size_t id = group_get(&themes, a, kb.data, p->path);
			int dup = 0;
			for (size_t k = 0; k < npt; k++)
				dup |= pt[k] == id;
			if (dup)
				continue;
			pt[npt++] = id;
			push_project(&themes.v[id], p);
		}
	}

	/* Slugs and labels. */
	theme_slugs(&themes, &m->site, a, d);
	for (size_t i = 0; i < series.n; i++) {
		struct gb *g = &series.v[i];
		g->g.label = g->g.key;
		g->g.slug = safe_slug(a, g->g.key, "series", g->g.key, g->path, d);
	}
	check_slugs(&series, "series", d);
	for (size_t i = 0; i < years.n; i++) {
		struct gb *g = &years.v[i];
		g->g.slug = g->g.key;
		g->g.label = arena_printf(a, "%d年", g->g.year);
	}
	for (size_t i = 0; i < months.n; i++) {
		struct gb *g = &months.v[i];
		g->g.slug = arena_printf(a, "%04d/%02d", g->g.year, g->g.month);
		g->g.label = arena_printf(a, "%d年%d月", g->g.year, g->g.month);
	}
	for (size_t i = 0; i < fys.n; i++) {
		struct gb *g = &fys.v[i];
		g->g.slug = g->g.key;
		buf_reset(&kb);
		fy_label(&kb, g->g.year);
		g->g.label = arena_strdup(a, kb.data);
		buf_reset(&kb);
		fy_era_label(&kb, g->g.year, fy_start);
		g->g.label_alt = arena_strdup(a, kb.data);
	}
	if (d->errors > errors_before)
		goto done;

	ix->all.key = "all";
	ix->all.slug = "";
	ix->all.label = "すべて";
	ix->all.sessions = newest;
	ix->all.nsessions = n;
	ix->all.projects = projects;
	ix->all.nprojects = np;
	aggregate(&ix->all.agg, newest, n, scratch);

	struct grouping *grs[GROUP_KINDS] = {&series, &themes, &months, &years, &fys};
	int (*cmps[GROUP_KINDS])(const void *, const void *) = {cmp_key, cmp_theme_order,
	                                                         cmp_period, cmp_period, cmp_period};
	for (int k = 0; k < GROUP_KINDS; k++) {
		struct group_list *gl = &ix->groups[k];
		gl->v = finish(grs[k], a, cmps[k], k != GROUP_THEME, scratch);
		gl->n = grs[k]->n;
		ix->by_key[k] = arena_alloc(a, (gl->n ? gl->n : 1) * sizeof *ix->by_key[k]);
		for (size_t i = 0; i < gl->n; i++) {
			gl->v[i].kind = (enum group_kind)k;
			ix->by_key[k][i] = &gl->v[i];
		}
		qsort(ix->by_key[k], gl->n, sizeof *ix->by_key[k], cmp_group_key);
	}
	const struct group *ixthemes = ix->groups[GROUP_THEME].v;
	ix->rel = arena_alloc(a, (n ? n : 1) * sizeof *ix->rel);
	tmark = xcalloc(themes.n + 1, sizeof *tmark);
	struct relctx rx = {ixthemes, &themes, tp, tstart, tcount, score, tmark, cands};
	for (size_t idx = 0; idx < n; idx++) {
		struct session *s = m->sessions[idx];
		struct session_rel *r = &ix->rel[idx];
		const struct tpos *mine = tp + tstart[idx];
		r->nthemes = tcount[idx];
		r->themes = arena_alloc(a, (r->nthemes ? r->nthemes : 1) * sizeof *r->themes);
		/* The themes were visited in the order written, so this keeps it. */
		for (size_t t = 0; t < r->nthemes; t++)
			r->themes[t] = &ixthemes[themes.v[mine[t].id].final];
		if (sid[idx] != NONE) {
			const struct group *g = &ix->groups[GROUP_SERIES].v[series.v[sid[idx]].final];
			size_t p = spos[idx];
			r->in[GROUP_SERIES] = g;
			r->next = p > 0 ? g->sessions[p - 1] : NULL; /* the list is newest first */
			r->prev = p + 1 < g->nsessions ? g->sessions[p + 1] : NULL;
		}
		r->in[GROUP_YEAR] = &ix->groups[GROUP_YEAR].v[years.v[yid[idx]].final];
		r->in[GROUP_MONTH] = &ix->groups[GROUP_MONTH].v[months.v[mid[idx]].final];
		r->in[GROUP_FY] = &ix->groups[GROUP_FY].v[fys.v[fid[idx]].final];
		relate(r, s, &rx);
	}

	ix->counts.sessions = n;
	ix->counts.themes = ix->groups[GROUP_THEME].n;
	ix->counts.projects = np;
	ix->counts.series = ix->groups[GROUP_SERIES].n;
	ix->counts.participants = ix->all.agg.total;
	ix->counts.unknown = ix->all.agg.sessions - ix->all.agg.known;

	*out = ix;
	rc = 0;
done:
	if (rc)
		arena_free(a);
	grouping_free(&themes);
	grouping_free(&series);
	grouping_free(&years);
	grouping_free(&months);
	grouping_free(&fys);
	free(tp);
	free(tstart);
	free(tcount);
	free(sid);
	free(spos);
	free(yid);
	free(mid);
	free(fid);
	free(scratch);
	free(score);
	free(cands);
	free(pt);
	free(tmark);
	buf_free(&kb);
	return rc;
}

void index_free(struct index *ix)
{
	if (ix)
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
		key = b.data;
	}
	const struct group *const *found =
	    sorted_find(ix->by_key[k], ix->groups[k].n, sizeof *ix->by_key[k], key, cmp_key_group);
	buf_free(&b);
	return found ? *found : NULL;
}

const char *index_kind_name(enum group_kind k)
{
	static const char *const names[GROUP_KINDS] = {"series", "theme", "month", "year", "fy"};
	return (unsigned)k < GROUP_KINDS ? names[k] : "";
}

const struct session_rel *index_rel(const struct index *ix, const struct session *s)
{
	const struct model *m = ix->model;
	if (s->idx < m->nsessions && m->sessions[s->idx] == s)
		return &ix->rel[s->idx];
	return NULL;
}

void index_put_x10(struct buf *b, long x10)
{
	if (x10 < 0) {
		buf_putc(b, '-');
		x10 = -x10;
	}
	buf_printf(b, "%ld.%ld", x10 / 10, x10 % 10);
}
