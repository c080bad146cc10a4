/* test_index.c — the index stage on hand-built models with known figures:
 * theme normalisation and slugs, aggregates (unknown attendance, rounding,
 * medians), periods and fiscal years, series neighbours, related sessions,
 * lookups and the errors for unsafe or clashing slugs. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "arena.h"
#include "index.h"
#include "model.h"

static struct arena *A;

/* A strlist from "a|b|c" ("" is the empty list). */
static struct strlist sl(const char *pipes)
{
	struct strlist l = {0};
	if (!*pipes)
		return l;
	size_t n = 1;
	for (const char *p = pipes; *p; p++)
		n += *p == '|';
	l.v = arena_alloc(A, n * sizeof *l.v);
	const char *p = pipes;
	for (;;) {
		const char *e = strchr(p, '|');
		l.v[l.n++] = arena_strndup(A, p, e ? (size_t)(e - p) : strlen(p));
		if (!e)
			break;
		p = e + 1;
	}
	return l;
}

static struct session *ses(const char *slug, int y, int m, int d, int start,
                           const char *series, long att, const char *themes)
{
	struct session *s = arena_alloc(A, sizeof *s);
	s->slug = slug;
	s->path = arena_printf(A, "content/sessions/%s.md", slug);
	s->title = slug;
	s->date = (struct date){y, m, d};
	s->start = start;
	s->end = -1;
	s->series = series;
	s->attendance = att;
	s->themes = sl(themes);
	return s;
}

static struct project *proj(const char *slug, const char *themes)
{
	struct project *p = arena_alloc(A, sizeof *p);
	p->slug = slug;
	p->path = arena_printf(A, "content/projects/%s.md", slug);
	p->title = slug;
	p->themes = sl(themes);
	return p;
}

static int cmp_model_order(const void *pa, const void *pb)
{
	const struct session *a = *(struct session *const *)pa;
	const struct session *b = *(struct session *const *)pb;
	int c = date_cmp(a->date, b->date);
	if (c)
		return c;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return strcmp(a->slug, b->slug);
}

/* Fills m with sessions and projects in the model's order and idx. */
static void set_model(struct model *m, struct session **s, size_t n, struct project **p,
                      size_t np)
{
	memset(m, 0, sizeof *m);
	m->arena = A;
	m->site.title = "テスト";
	m->site.base_url = "https://example.org/archive/";
	m->site.fiscal_year_start = 4;
	m->sessions = arena_alloc(A, (n ? n : 1) * sizeof *s);
	if (n)
		memcpy(m->sessions, s, n * sizeof *s);
	qsort(m->sessions, n, sizeof *s, cmp_model_order);
	for (size_t i = 0; i < n; i++)
		m->sessions[i]->idx = i;
	m->nsessions = n;
	m->projects = p;
	m->nprojects = np;
	for (size_t i = 0; i < np; i++)
		p[i]->idx = i;
}

static void link_project(struct session *s, struct project *p)
{
	size_t cap = s->nprojects; /* the block holds exactly the links so far */
	s->projects = arena_grow(A, s->projects, &cap, s->nprojects + 1, sizeof *s->projects);
	s->projects[s->nprojects++] = p;
}

static int slugs_are(struct session **v, size_t n, const char *want)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_puts(&b, v[i]->slug);
	}
	int ok = strcmp(b.data, want) == 0;
	if (!ok)
		fprintf(stderr, "  sessions: got %s, want %s\n", b.data, want);
	buf_free(&b);
	return ok;
}

static int rel_are(const struct session_rel *r, const char *want)
{
	return slugs_are((struct session **)r->related, r->nrelated, want);
}

static int agg_is(struct agg g, int sessions, int known, long total, long min, long max,
                  long mean_x10, long median_x10)
{
	int ok = g.sessions == sessions && g.known == known && g.total == total &&
	         g.min == min && g.max == max && g.mean_x10 == mean_x10 &&
	         g.median_x10 == median_x10;
	if (!ok)
		fprintf(stderr, "  agg: got %d %d %ld %ld %ld %ld %ld\n", g.sessions, g.known,
		        g.total, g.min, g.max, g.mean_x10, g.median_x10);
	return ok;
}

static struct session *S[8];
static struct project *P[2];
static struct model M;

/* The main fixture (figures worked out by hand in the comments). */
static void fixture(void)
{
	S[0] = ses("ex1", 2020, 3, 31, 1200, "交換会", 10, "コロナ|生活困窮|仙台宮城");
	S[1] = ses("ex2", 2020, 4, 1, 1200, "交換会", 11, "コロナ |生活困窮");
	S[2] = ses("ex3", 2020, 6, 3, 1200, "交換会", -1, "ｺﾛﾅ|子ども");
	S[3] = ses("ex4", 2020, 6, 17, 1140, "交換会", 2, "子ども|\xe3\x80\x80仙台宮城\xe3\x80\x80");
	S[4] = ses("st1", 2021, 3, 31, -1, "勉強会", 1, "コロナ");
	S[5] = ses("st2", 2021, 4, 1, 840, "勉強会", 3, "コロナ|コロナ");
	S[6] = ses("talk", 2021, 1, 10, -1, NULL, -1, "");
	P[0] = proj("p1", "まちづくり|コロナ");
	P[1] = proj("p2", "子ども");
	link_project(S[0], P[0]);
	link_project(S[3], P[1]);
	link_project(S[3], P[0]);
	set_model(&M, S, 7, P, 2);
	static const char *keys[] = {"ｺﾛﾅ", "生活困窮", "未使用"};
	static const char *vals[] = {"corona", "poverty", "unused"};
	M.site.theme_slug_keys = (struct strlist){keys, 3};
	M.site.theme_slug_values = (struct strlist){vals, 3};
}

static void test_theme_key(void)
{
	struct buf b;
	buf_init(&b);
	const char *forms[] = {"コロナ", "コロナ ", "ｺﾛﾅ", "\xe3\x80\x80コロナ\xe3\x80\x80",
	                       "\xc2\xa0コロナ\t\n"};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		buf_reset(&b);
		CHECK_INT(index_theme_key(&b, forms[i], strlen(forms[i])), 0);
		CHECK_STR(b.data, "コロナ");
	}
	buf_reset(&b);
	CHECK_INT(index_theme_key(&b, "ＡＢＣ　ｄ", strlen("ＡＢＣ　ｄ")), 0);
	CHECK_STR(b.data, "ABC d"); /* inner space kept, as NFKC maps it */
	buf_reset(&b);
	CHECK_INT(index_theme_key(&b, "\xe3\x80\x80", 3), 0);
	CHECK_INT(b.len, 0);
	buf_reset(&b);
	CHECK_INT(index_theme_key(&b, "a\xff", 2), -1);
	CHECK_INT(b.len, 0);
	buf_free(&b);
}

static void test_groups(void)
{
	struct diags d;
	diags_init(&d);
	fixture();
	struct index *ix = NULL;
	CHECK_INT(index_build(&ix, &M, &d), 0);
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 1); /* theme_slugs: 未使用 names no theme */
	if (!ix)
		goto done;

	/* All: known 10, 11, 2, 1, 3 = 27; mean 5.4; median 3. */
	CHECK(agg_is(ix->all.agg, 7, 5, 27, 1, 11, 54, 30));
	CHECK(slugs_are(ix->all.sessions, ix->all.nsessions, "st2,st1,talk,ex4,ex3,ex2,ex1"));
	CHECK_INT(ix->counts.sessions, 7);
	CHECK_INT(ix->counts.participants, 27);
	CHECK_INT(ix->counts.unknown, 2);
	CHECK_INT(ix->counts.themes, 5);
	CHECK_INT(ix->counts.projects, 2);
	CHECK_INT(ix->counts.series, 2);

	/* Themes: コロナ (5), then the 2-session themes by key bytes
	 * (仙台宮城 E4.., 子ども E5.., 生活困窮 E7..), then まちづくり (0). */
	CHECK_INT(ix->groups[GROUP_THEME].n, 5);
	if (ix->groups[GROUP_THEME].n == 5) {
		const struct group *t = ix->groups[GROUP_THEME].v;
		CHECK_STR(t[0].key, "コロナ");
		CHECK_STR(t[0].label, "コロナ");
		CHECK_STR(t[0].slug, "corona");
		CHECK_STR(t[1].key, "仙台宮城");
		CHECK_STR(t[1].slug, "仙台宮城");
		CHECK_STR(t[2].key, "子ども");
		CHECK_STR(t[3].key, "生活困窮");
		CHECK_STR(t[3].slug, "poverty");
		CHECK_STR(t[4].key, "まちづくり");
		CHECK_INT(t[4].nsessions, 0);
		CHECK_INT(t[4].nprojects, 1);
		CHECK(agg_is(t[4].agg, 0, 0, 0, 0, 0, 0, 0));
		/* コロナ: ex1 10, ex2 11, ex3 ?, st1 1, st2 3 (listed twice,
		 * counted once): total 25, mean 6.25 -> 6.3, median (3+10)/2. */
		CHECK(slugs_are(t[0].sessions, t[0].nsessions, "st2,st1,ex3,ex2,ex1"));
		CHECK(agg_is(t[0].agg, 5, 4, 25, 1, 11, 63, 65));
		CHECK_INT(t[0].nprojects, 1);
		CHECK(t[0].nprojects == 1 && t[0].projects[0] == P[0]);
		/* 仙台宮城 written with full-width spaces around it. */
		CHECK(slugs_are(t[1].sessions, t[1].nsessions, "ex4,ex1"));
		CHECK(agg_is(t[1].agg, 2, 2, 12, 2, 10, 60, 60));
		/* 子ども: one unknown, counted as unknown. */
		CHECK(agg_is(t[2].agg, 2, 1, 2, 2, 2, 20, 20));
		CHECK(t[2].nprojects == 1 && t[2].projects[0] == P[1]);
		/* 生活困窮: 10, 11 -> 10.5. */
		CHECK(agg_is(t[3].agg, 2, 2, 21, 10, 11, 105, 105));
	}

	/* Series by key: 交換会 (E4 BA) before 勉強会 (E5 8B). */
	CHECK_INT(ix->groups[GROUP_SERIES].n, 2);
	if (ix->groups[GROUP_SERIES].n == 2) {
		CHECK_STR(ix->groups[GROUP_SERIES].v[0].key, "交換会");
		CHECK_STR(ix->groups[GROUP_SERIES].v[0].slug, "交換会");
		CHECK(slugs_are(ix->groups[GROUP_SERIES].v[0].sessions, ix->groups[GROUP_SERIES].v[0].nsessions, "ex4,ex3,ex2,ex1"));
		CHECK(agg_is(ix->groups[GROUP_SERIES].v[0].agg, 4, 3, 23, 2, 11, 77, 100));
		/* Projects linked from its sessions, each once, by slug. */
		CHECK_INT(ix->groups[GROUP_SERIES].v[0].nprojects, 2);
		CHECK(ix->groups[GROUP_SERIES].v[0].nprojects == 2 && ix->groups[GROUP_SERIES].v[0].projects[0] == P[0] &&
		      ix->groups[GROUP_SERIES].v[0].projects[1] == P[1]);
		CHECK_STR(ix->groups[GROUP_SERIES].v[1].key, "勉強会");
		CHECK_INT(ix->groups[GROUP_SERIES].v[1].nprojects, 0);
	}

	/* Calendar years and months, ascending. */
	CHECK_INT(ix->groups[GROUP_YEAR].n, 2);
	CHECK_STR(ix->groups[GROUP_YEAR].v[0].key, "2020");
	CHECK_STR(ix->groups[GROUP_YEAR].v[0].slug, "2020");
	CHECK_STR(ix->groups[GROUP_YEAR].v[0].label, "2020年");
	CHECK_INT(ix->groups[GROUP_YEAR].v[1].nsessions, 3);
	CHECK_INT(ix->groups[GROUP_MONTH].n, 6);
	const char *mkeys[] = {"2020-03", "2020-04", "2020-06", "2021-01", "2021-03", "2021-04"};
	for (size_t i = 0; i < 6 && i < ix->groups[GROUP_MONTH].n; i++)
		CHECK_STR(ix->groups[GROUP_MONTH].v[i].key, mkeys[i]);
	const struct group *jun = index_group(ix, GROUP_MONTH, "2020-06");
	CHECK(jun != NULL);
	if (jun) {
		CHECK_STR(jun->slug, "2020/06");
		CHECK_STR(jun->label, "2020年6月");
		CHECK(slugs_are(jun->sessions, jun->nsessions, "ex4,ex3"));
		CHECK(agg_is(jun->agg, 2, 1, 2, 2, 2, 20, 20));
	}
	CHECK(index_group(ix, GROUP_MONTH, "2020-05") == NULL);
	CHECK(index_group(ix, GROUP_YEAR, "2021") == &ix->groups[GROUP_YEAR].v[1]);
	CHECK(index_group(ix, GROUP_YEAR, "2019") == NULL);

	/* Fiscal years from April: 2020-03-31 is FY2019 (平成31年度: the FY
	 * starts 2019-04-01, still 平成), 2021-03-31 is FY2020, 2021-04-01
	 * FY2021. */
	CHECK_INT(ix->groups[GROUP_FY].n, 3);
	if (ix->groups[GROUP_FY].n == 3) {
		CHECK_STR(ix->groups[GROUP_FY].v[0].key, "2019");
		CHECK_STR(ix->groups[GROUP_FY].v[0].label, "2019年度");
		CHECK_STR(ix->groups[GROUP_FY].v[0].label_alt, "平成31年度");
		CHECK(slugs_are(ix->groups[GROUP_FY].v[0].sessions, ix->groups[GROUP_FY].v[0].nsessions, "ex1"));
		CHECK_STR(ix->groups[GROUP_FY].v[1].label, "2020年度");
		CHECK_STR(ix->groups[GROUP_FY].v[1].label_alt, "令和2年度");
		CHECK_STR(ix->groups[GROUP_FY].v[1].slug, "2020");
		CHECK(slugs_are(ix->groups[GROUP_FY].v[1].sessions, ix->groups[GROUP_FY].v[1].nsessions, "st1,talk,ex4,ex3,ex2"));
		/* 1, 2, 11: total 14, mean 4.67 -> 4.7, median 2. */
		CHECK(agg_is(ix->groups[GROUP_FY].v[1].agg, 5, 3, 14, 1, 11, 47, 20));
		CHECK(slugs_are(ix->groups[GROUP_FY].v[2].sessions, ix->groups[GROUP_FY].v[2].nsessions, "st2"));
		CHECK(index_group(ix, GROUP_FY, "2021") == &ix->groups[GROUP_FY].v[2]);
	}

	/* Lookups by the name as written. */
	const struct group *corona = index_group(ix, GROUP_THEME, "コロナ ");
	CHECK(corona != NULL && corona == &ix->groups[GROUP_THEME].v[0]);
	CHECK(index_group(ix, GROUP_THEME, "ｺﾛﾅ") == corona);
	CHECK(index_group(ix, GROUP_THEME, "\xe3\x80\x80仙台宮城") == &ix->groups[GROUP_THEME].v[1]);
	CHECK(index_group(ix, GROUP_THEME, "まちづくり") == &ix->groups[GROUP_THEME].v[4]);
	CHECK(index_group(ix, GROUP_THEME, "ない") == NULL);
	CHECK(index_group(ix, GROUP_SERIES, "勉強会") == &ix->groups[GROUP_SERIES].v[1]);
	CHECK(index_group(ix, GROUP_SERIES, "ない") == NULL);

	/* Relations. ex1: ex2 shares two themes; then by distance in days
	 * ex3 (64), ex4 (78), st1 (365), st2 (366). */
	const struct session_rel *r = index_rel(ix, S[0]);
	CHECK(r != NULL);
	if (r) {
		CHECK(rel_are(r, "ex2,ex3,ex4,st1,st2"));
		CHECK(r->prev == NULL);
		CHECK(r->next == S[1]);
		CHECK(r->in[GROUP_SERIES] == &ix->groups[GROUP_SERIES].v[0]);
		CHECK(r->in[GROUP_FY] == &ix->groups[GROUP_FY].v[0]);
		CHECK(r->in[GROUP_MONTH] == &ix->groups[GROUP_MONTH].v[0]);
		CHECK(r->in[GROUP_YEAR] == &ix->groups[GROUP_YEAR].v[0]);
		CHECK_INT(r->nthemes, 3);
		if (r->nthemes == 3) {
			CHECK_STR(r->themes[0]->key, "コロナ");
			CHECK_STR(r->themes[1]->key, "生活困窮");
			CHECK_STR(r->themes[2]->key, "仙台宮城");
		}
	}
	/* ex3 (2020-06-03): ex4 14 days, ex2 63, ex1 64, st1, st2. */
	r = index_rel(ix, S[2]);
	CHECK(r && rel_are(r, "ex4,ex2,ex1,st1,st2"));
	CHECK(r && r->prev == S[1] && r->next == S[3]);
	r = index_rel(ix, S[3]);
	CHECK(r && r->prev == S[2] && r->next == NULL);
	r = index_rel(ix, S[5]); /* st2 */
	CHECK(r && r->nthemes == 1 && r->prev == S[4] && r->next == NULL);
	r = index_rel(ix, S[6]); /* talk: no series, no themes */
	CHECK(r && r->nrelated == 0 && r->prev == NULL && r->next == NULL && r->in[GROUP_SERIES] == NULL);
	CHECK(r && r->nthemes == 0);
	/* A session never relates to itself. */
	for (size_t i = 0; i < M.nsessions; i++) {
		const struct session_rel *q = &ix->rel[i];
		for (size_t k = 0; k < q->nrelated; k++)
			CHECK(q->related[k] != M.sessions[i]);
	}
done:
	index_free(ix);
	diags_free(&d);
}

/* Another fiscal-year start: with June, 2020-06-03 opens FY2020. */
static void test_fy_start(void)
{
	struct diags d;
	diags_init(&d);
	fixture();
	M.site.fiscal_year_start = 6;
	struct index *ix = NULL;
	CHECK_INT(index_build(&ix, &M, &d), 0);
	if (ix) {
		CHECK_INT(ix->groups[GROUP_FY].n, 2);
		CHECK(slugs_are(ix->groups[GROUP_FY].v[0].sessions, ix->groups[GROUP_FY].v[0].nsessions, "ex2,ex1"));
		CHECK(slugs_are(ix->groups[GROUP_FY].v[1].sessions, ix->groups[GROUP_FY].v[1].nsessions,
		                "st2,st1,talk,ex4,ex3"));
		CHECK_STR(ix->groups[GROUP_FY].v[1].label_alt, "令和2年度");
	}
	index_free(ix);
	diags_free(&d);
}

static struct index *build_att(const long *att, size_t n, struct diags *d)
{
	struct session **v = arena_alloc(A, n * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = ses(arena_printf(A, "r%02zu", i), 2020, 5, (int)i + 1, -1, "s", att[i], "t");
	static struct model m;
	set_model(&m, v, n, NULL, 0);
	struct index *ix = NULL;
	index_build(&ix, &m, d);
	return ix;
}

static void test_rounding(void)
{
	struct diags d;
	diags_init(&d);
	struct index *ix;

	const long a1[] = {1, 2, 2}; /* 1.67 -> 1.7, median 2 */
	ix = build_att(a1, 3, &d);
	CHECK(ix && agg_is(ix->all.agg, 3, 3, 5, 1, 2, 17, 20));
	CHECK(ix && agg_is(ix->groups[GROUP_SERIES].v[0].agg, 3, 3, 5, 1, 2, 17, 20));
	index_free(ix);

	const long a2[] = {0, 0, 0, 1}; /* 0.25 -> 0.3 (half away from zero) */
	ix = build_att(a2, 4, &d);
	CHECK(ix && agg_is(ix->all.agg, 4, 4, 1, 0, 1, 3, 0));
	index_free(ix);

	const long a3[] = {10, 11}; /* 10.5 both */
	ix = build_att(a3, 2, &d);
	CHECK(ix && agg_is(ix->all.agg, 2, 2, 21, 10, 11, 105, 105));
	index_free(ix);

	const long a4[] = {-1, -1}; /* nothing known: all zero, known tells */
	ix = build_att(a4, 2, &d);
	CHECK(ix && agg_is(ix->all.agg, 2, 0, 0, 0, 0, 0, 0));
	CHECK(ix && ix->counts.unknown == 2);
	index_free(ix);

	const long a5[] = {7, -1, 0, 4, 100}; /* 0 is a figure, -1 is not */
	ix = build_att(a5, 5, &d);
	CHECK(ix && agg_is(ix->all.agg, 5, 4, 111, 0, 100, 278, 55));
	index_free(ix);

	CHECK_INT(d.errors, 0);
	diags_free(&d);

	struct buf b;
	buf_init(&b);
	index_put_x10(&b, 105);
	buf_putc(&b, ' ');
	index_put_x10(&b, 3);
	buf_putc(&b, ' ');
	index_put_x10(&b, 0);
	buf_putc(&b, ' ');
	index_put_x10(&b, 12340);
	CHECK_STR(b.data, "10.5 0.3 0.0 1234.0");
	buf_free(&b);
}

static int has_diag(const struct diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR && strstr(d->v[i].msg, needle))
			return 1;
	return 0;
}

static void test_slug_errors(void)
{
	struct diags d;
	struct index *ix;
	struct model m;
	struct session *v[3];

	/* "a/b" becomes "a-b", which is another theme's slug. */
	diags_init(&d);
	v[0] = ses("x1", 2020, 1, 1, -1, NULL, 1, "a/b");
	v[1] = ses("x2", 2020, 1, 2, -1, NULL, 1, "a-b");
	set_model(&m, v, 2, NULL, 0);
	ix = (struct index *)&m; /* must be reset to NULL on failure */
	CHECK_INT(index_build(&ix, &m, &d), -1);
	CHECK(ix == NULL);
	CHECK_INT(d.errors, 1);
	CHECK(has_diag(&d, "same URL slug \"a-b\""));
	diags_free(&d);

	/* Two themes mapped to one slug in site.yaml. */
	diags_init(&d);
	v[0] = ses("x1", 2020, 1, 1, -1, NULL, 1, "福祉");
	v[1] = ses("x2", 2020, 1, 2, -1, NULL, 1, "医療");
	set_model(&m, v, 2, NULL, 0);
	static const char *k2[] = {"福祉", "医療"};
	static const char *v2[] = {"care", "care"};
	m.site.theme_slug_keys = (struct strlist){k2, 2};
	m.site.theme_slug_values = (struct strlist){v2, 2};
	CHECK_INT(index_build(&ix, &m, &d), -1);
	CHECK(has_diag(&d, "same URL slug \"care\""));
	diags_free(&d);

	/* ".." as a theme name or slug; a theme of white space only. */
	diags_init(&d);
	v[0] = ses("x1", 2020, 1, 1, -1, NULL, 1, "..");
	v[1] = ses("x2", 2020, 1, 2, -1, NULL, 1, "\xe3\x80\x80");
	v[2] = ses("x3", 2020, 1, 3, -1, "a/.", 1, "");
	set_model(&m, v, 3, NULL, 0);
	CHECK_INT(index_build(&ix, &m, &d), -1);
	CHECK(has_diag(&d, "cannot be a path"));
	CHECK(has_diag(&d, "is empty"));
	CHECK_INT(d.errors, 2); /* "a/." is safe as "a-." */
	diags_free(&d);

	/* A series name of 300 bytes cannot be one path segment (255 at
	 * most); a tab inside a series name becomes '-'. */
	diags_init(&d);
	char longname[301];
	memset(longname, 'a', 300);
	longname[300] = '\0';
	v[0] = ses("x1", 2020, 1, 1, -1, longname, 1, "福祉");
	v[1] = ses("x2", 2020, 1, 2, -1, "a\tb", 1, "福祉");
	set_model(&m, v, 2, NULL, 0);
	CHECK_INT(index_build(&ix, &m, &d), -1);
	CHECK(has_diag(&d, "cannot be a path"));
	CHECK_INT(d.errors, 1);
	diags_free(&d);

	/* A mapping that makes a slug safe: "/" in a value becomes "-". */
	diags_init(&d);
	v[0] = ses("x1", 2020, 1, 1, -1, "a/b", 1, "福祉");
	set_model(&m, v, 1, NULL, 0);
	static const char *k3[] = {"福祉"};
	static const char *v3[] = {"care/welfare"};
	m.site.theme_slug_keys = (struct strlist){k3, 1};
	m.site.theme_slug_values = (struct strlist){v3, 1};
	CHECK_INT(index_build(&ix, &m, &d), 0);
	CHECK(ix && strcmp(ix->groups[GROUP_THEME].v[0].slug, "care-welfare") == 0);
	CHECK(ix && strcmp(ix->groups[GROUP_SERIES].v[0].slug, "a-b") == 0);
	CHECK(ix && strcmp(ix->groups[GROUP_SERIES].v[0].key, "a/b") == 0);
	index_free(ix);
	diags_free(&d);
}

/* 1 when session s is in g's list. */
static int has_session(const struct group *g, const struct session *s)
{
	for (size_t i = 0; i < g->nsessions; i++)
		if (g->sessions[i] == s)
			return 1;
	return 0;
}

static int projects_are(const struct group *g, const char *want)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < g->nprojects; i++)
		buf_printf(&b, "%s%s", i ? "," : "", g->projects[i]->slug);
	int ok = strcmp(b.data, want) == 0;
	if (!ok)
		fprintf(stderr, "  projects of %s: got %s, want %s\n", g->key, b.data, want);
	buf_free(&b);
	return ok;
}

/* 1 when a comes before b in the documented order of kind k. */
static int in_order(enum group_kind k, const struct group *a, const struct group *b)
{
	switch (k) {
	case GROUP_THEME:
		if (a->nsessions != b->nsessions)
			return a->nsessions > b->nsessions;
		return strcmp(a->key, b->key) < 0;
	case GROUP_SERIES:
		return strcmp(a->key, b->key) < 0;
	default:
		return a->year < b->year || (a->year == b->year && a->month < b->month);
	}
}

/* Every kind the same way: its name, its groups in its order, each found
 * by its key, each session's one group (in[]) and the projects. */
static void test_kinds(void)
{
	CHECK_STR(index_kind_name(GROUP_SERIES), "series");
	CHECK_STR(index_kind_name(GROUP_THEME), "theme");
	CHECK_STR(index_kind_name(GROUP_MONTH), "month");
	CHECK_STR(index_kind_name(GROUP_YEAR), "year");
	CHECK_STR(index_kind_name(GROUP_FY), "fy");
	CHECK_STR(index_kind_name(GROUP_KINDS), "");

	struct diags d;
	diags_init(&d);
	fixture();
	struct index *ix = NULL;
	CHECK_INT(index_build(&ix, &M, &d), 0);
	if (!ix)
		goto done;
	const size_t want_n[GROUP_KINDS] = {[GROUP_SERIES] = 2, [GROUP_THEME] = 5,
	                                    [GROUP_MONTH] = 6, [GROUP_YEAR] = 2, [GROUP_FY] = 3};
	for (int ki = 0; ki < GROUP_KINDS; ki++) {
		enum group_kind k = (enum group_kind)ki;
		const struct group_list *gl = &ix->groups[k];
		CHECK_INT(gl->n, want_n[k]);
		CHECK(index_group(ix, k, "no such key") == NULL);
		for (size_t i = 0; i < gl->n; i++) {
			const struct group *g = &gl->v[i];
			CHECK_INT(g->kind, k);
			CHECK(index_group(ix, k, g->key) == g);
			CHECK(i == 0 || in_order(k, &gl->v[i - 1], g));
			/* A session's group of a one-key kind is its in[]. */
			for (size_t j = 0; j < g->nsessions; j++) {
				const struct session_rel *r = index_rel(ix, g->sessions[j]);
				CHECK(k == GROUP_THEME ? r->in[k] == NULL : r->in[k] == g);
			}
		}
	}
	for (size_t i = 0; i < M.nsessions; i++) {
		const struct session_rel *r = &ix->rel[i];
		for (int k = 0; k < GROUP_KINDS; k++)
			CHECK(!r->in[k] || has_session(r->in[k], M.sessions[i]));
		for (size_t t = 0; t < r->nthemes; t++)
			CHECK(r->themes[t]->kind == GROUP_THEME && has_session(r->themes[t], M.sessions[i]));
	}
	CHECK(index_group(ix, GROUP_KINDS, "2020") == NULL);

	/* Periods list the projects linked to their sessions (ex1 links p1;
	 * ex4 links p2 and p1); a theme lists the projects naming it: 子ども
	 * has ex4 but only p2 names it. */
	CHECK(projects_are(index_group(ix, GROUP_MONTH, "2020-03"), "p1"));
	CHECK(projects_are(index_group(ix, GROUP_MONTH, "2020-04"), ""));
	CHECK(projects_are(index_group(ix, GROUP_MONTH, "2020-06"), "p1,p2"));
	CHECK(projects_are(index_group(ix, GROUP_YEAR, "2020"), "p1,p2"));
	CHECK(projects_are(index_group(ix, GROUP_YEAR, "2021"), ""));
	CHECK(projects_are(index_group(ix, GROUP_FY, "2019"), "p1"));
	CHECK(projects_are(index_group(ix, GROUP_FY, "2020"), "p1,p2"));
	CHECK(projects_are(index_group(ix, GROUP_SERIES, "勉強会"), ""));
	CHECK(projects_are(index_group(ix, GROUP_THEME, "子ども"), "p2"));
	CHECK(projects_are(index_group(ix, GROUP_THEME, "まちづくり"), "p1"));
	CHECK(projects_are(&ix->all, "p1,p2"));
done:
	index_free(ix);
	diags_free(&d);
}

/* Projects' themes go through the same keys as sessions': normalised,
 * once per theme however spelt, an empty one an error at the project. */
static void test_project_themes(void)
{
	struct diags d;
	struct model m;
	struct session *v[1];
	struct project *p[2];
	struct index *ix = NULL;

	diags_init(&d);
	v[0] = ses("x1", 2020, 1, 1, -1, NULL, 1, "コロナ");
	p[0] = proj("pa", "ｺﾛﾅ|コロナ |新規");
	p[1] = proj("pb", "新規");
	set_model(&m, v, 1, p, 2);
	CHECK_INT(index_build(&ix, &m, &d), 0);
	CHECK_INT(d.errors, 0);
	if (ix) {
		const struct group *c = index_group(ix, GROUP_THEME, "コロナ");
		CHECK(c && projects_are(c, "pa") && c->nsessions == 1);
		const struct group *n = index_group(ix, GROUP_THEME, "新規");
		CHECK(n && projects_are(n, "pa,pb") && n->nsessions == 0);
		/* Themes named only by projects come last: no sessions. */
		CHECK(n == &ix->groups[GROUP_THEME].v[1]);
		CHECK(n && strcmp(n->slug, "新規") == 0 && strcmp(n->label, "新規") == 0);
	}
	index_free(ix);
	diags_free(&d);

	diags_init(&d);
	p[0] = proj("pa", "\xe3\x80\x80");
	set_model(&m, v, 1, p, 1);
	ix = (struct index *)&m; /* must be reset to NULL on failure */
	CHECK_INT(index_build(&ix, &m, &d), -1);
	CHECK(ix == NULL);
	CHECK_INT(d.errors, 1);
	CHECK(d.n == 1 && strcmp(d.v[0].path, "content/projects/pa.md") == 0);
	CHECK(has_diag(&d, "is empty"));
	diags_free(&d);
}

/* Related sessions in a big theme: the window gives the nearest in time,
 * ties in distance broken by slug. Then a large archive stays fast. */
static void test_related_window(void)
{
	struct diags d;
	diags_init(&d);
	size_t n = 400;
	struct session **v = arena_alloc(A, n * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		long day = (long)i;
		/* One session a day from 2019-01-01 (no month arithmetic needed:
		 * day of year within 2019 and 2020, both < 366 + 365). */
		int y = day < 365 ? 2019 : 2020;
		long doy = day < 365 ? day : day - 365;
		static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int mo = 0;
		while (doy >= mdays[mo] + (y == 2020 && mo == 1)) {
			doy -= mdays[mo] + (y == 2020 && mo == 1);
			mo++;
		}
		v[i] = ses(arena_printf(A, "d%03zu", i), y, mo + 1, (int)doy + 1, -1, NULL, 1,
		           i == 300 || i == 10 ? "big|rare" : "big");
	}
	struct model m;
	set_model(&m, v, n, NULL, 0);
	struct index *ix = NULL;
	CHECK_INT(index_build(&ix, &m, &d), 0);
	if (ix) {
		/* d200: neighbours at 1, 1, 2, 2, 3 days. */
		CHECK(rel_are(index_rel(ix, v[200]), "d199,d201,d198,d202,d197"));
		/* d010 shares two themes with d300, far away but in "rare"'s
		 * small group, so it comes first. */
		CHECK(rel_are(index_rel(ix, v[10]), "d300,d009,d011,d008,d012"));
		CHECK(rel_are(index_rel(ix, v[0]), "d001,d002,d003,d004,d005"));
	}
	index_free(ix);

	/* 3,000 sessions x 40 of 60 themes: every theme group is large. */
	n = 3000;
	v = arena_alloc(A, n * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		struct buf t;
		buf_init(&t);
		for (size_t k = 0; k < 40; k++)
			buf_printf(&t, "%sテーマ%zu", k ? "|" : "", (i + k * 7) % 60);
		v[i] = ses(arena_printf(A, "b%04zu", i), 2000 + (int)(i / 300), (int)(i / 25 % 12) + 1,
		           (int)(i % 25) + 1, -1, i % 3 ? "s" : NULL, (long)(i % 50), t.data);
		buf_free(&t);
	}
	set_model(&m, v, n, NULL, 0);
	clock_t t0 = clock();
	CHECK_INT(index_build(&ix, &m, &d), 0);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK(secs < 10.0);
	if (ix) {
		CHECK_INT(ix->groups[GROUP_THEME].n, 60);
		CHECK_INT(ix->all.agg.sessions, 3000);
		for (size_t i = 0; i < n; i++)
			CHECK(ix->rel[i].nrelated == INDEX_RELATED_MAX);
	}
	index_free(ix);
	CHECK_INT(d.errors, 0);
	diags_free(&d);
}

/* An archive with nothing in it yet still indexes. */
static void test_empty(void)
{
	struct diags d;
	diags_init(&d);
	struct model m;
	set_model(&m, NULL, 0, NULL, 0);
	struct index *ix = NULL;
	CHECK_INT(index_build(&ix, &m, &d), 0);
	CHECK(ix != NULL);
	if (ix) {
		CHECK(agg_is(ix->all.agg, 0, 0, 0, 0, 0, 0, 0));
		CHECK_INT(ix->groups[GROUP_THEME].n + ix->groups[GROUP_SERIES].n + ix->groups[GROUP_YEAR].n + ix->groups[GROUP_MONTH].n + ix->groups[GROUP_FY].n, 0);
		CHECK(index_group(ix, GROUP_THEME, "コロナ") == NULL);
		CHECK(index_group(ix, GROUP_FY, "2020") == NULL);
	}
	index_free(ix);
	diags_free(&d);
}

/* ---- vocabularies, figures by series, names ----------------------------- */

static struct series_def *series_def(struct model *m, const char *name, const char *slug,
                                     enum series_kind kind, const char *desc, int declared)
{
	struct series_def *d = arena_alloc(A, sizeof *d);
	*d = (struct series_def){name, slug, desc, kind, declared};
	size_t cap = m->nseries; /* the block holds exactly the entries so far */
	m->series = arena_grow(A, m->series, &cap, m->nseries + 1, sizeof *m->series);
	m->series[m->nseries++] = d;
	for (size_t i = 0; i < m->nsessions; i++)
		if (m->sessions[i]->series && !strcmp(m->sessions[i]->series, name))
			m->sessions[i]->series_def = d;
	return d;
}

static void theme_def(struct model *m, const char *name, const char *slug, const char *desc,
                      const char *aliases)
{
	struct theme_def *t = arena_alloc(A, sizeof *t);
	*t = (struct theme_def){name, slug, desc, sl(aliases)};
	size_t cap = m->nthemes; /* the block holds exactly the entries so far */
	m->themes = arena_grow(A, m->themes, &cap, m->nthemes + 1, sizeof *m->themes);
	m->themes[m->nthemes++] = t;
}

static struct session *titled(struct session *s, const char *title, int number)
{
	s->title = title;
	s->number = number;
	return s;
}

static struct session *V[8];
static struct model MV;

/* Seven records: three of a declared session series (one unknown), a
 * hearing, a meeting, an undeclared series and one without a series;
 * "定例情報交換会" four times. */
static void vocab_fixture(void)
{
	V[0] = titled(ses("j1", 2020, 6, 3, 1200, "交換会", 30, "困窮|コロナ"), "定例情報交換会", 1);
	V[1] = titled(ses("j2", 2020, 7, 1, 1200, "交換会", -1, "生活困窮"), "定例情報交換会", 2);
	V[2] = titled(ses("j3", 2020, 8, 5, 1200, "交換会", 20, "ｺﾛﾅ"), "特別回", 3);
	V[3] = titled(ses("h1", 2020, 9, 1, 600, "ヒアリング", -1, "協働"), "訪問", 0);
	V[4] = titled(ses("mt1", 2020, 10, 1, 600, "定例ミーティング", 8, ""), "定例情報交換会", 0);
	V[5] = titled(ses("t1", 2020, 11, 1, -1, "トーク", 5, ""), "トーク", 0);
	V[6] = titled(ses("n1", 2020, 12, 1, -1, NULL, 10, ""), "定例情報交換会", 0);
	set_model(&MV, V, 7, NULL, 0);
	series_def(&MV, "交換会", "joho", SERIES_SESSION, "毎月", 1);
	series_def(&MV, "未開催", NULL, SERIES_SESSION, NULL, 1);
	series_def(&MV, "ヒアリング", NULL, SERIES_HEARING, NULL, 1);
	series_def(&MV, "定例ミーティング", "teirei", SERIES_MEETING, "運営", 1);
	series_def(&MV, "トーク", NULL, SERIES_SESSION, NULL, 0);
	theme_def(&MV, "生活困窮", "poverty", "暮らし", "困窮");
	theme_def(&MV, "市民協働", NULL, NULL, "協働");
	theme_def(&MV, "コロナ", NULL, NULL, "");
	static const char *keys[] = {"コロナ", "困窮"};
	static const char *vals[] = {"corona", "poverty"};
	MV.site.theme_slug_keys = (struct strlist){keys, 2};
	MV.site.theme_slug_values = (struct strlist){vals, 2};
}

/* vocab_fixture(), indexed (NULL, a failed check, when it fails). */
static struct index *vocab_index(struct diags *d)
{
	vocab_fixture();
	struct index *ix = NULL;
	CHECK_INT(index_build(&ix, &MV, d), 0);
	return ix;
}

static int row_is(const struct group *g, size_t i, const char *series, int sessions, int known,
                  long total)
{
	if (i >= g->nby_series)
		return 0;
	const struct series_figure *f = &g->by_series[i];
	int ok = (series ? f->series && !strcmp(f->series->key, series) : !f->series) &&
	         f->agg.sessions == sessions && f->agg.known == known && f->agg.total == total;
	if (!ok)
		fprintf(stderr, "  %s row %zu: %s %d %d %ld\n", g->key, i,
		        f->series ? f->series->key : "(none)", f->agg.sessions, f->agg.known,
		        f->agg.total);
	return ok;
}

/* series.yaml's order, slugs, descriptions and kinds; themes.yaml's
 * folding, labels, slugs and descriptions, with theme_slugs beside. */
static void test_vocab_groups(void)
{
	struct diags d;
	diags_init(&d);
	struct index *ix = vocab_index(&d);
	CHECK_INT(d.errors + d.warnings, 0);
	if (!ix)
		goto done;
	/* The model's order, not the keys' (ト < ヒ < 交 < 定 in bytes); a
	 * declared series without sessions has no group. */
	const struct group_list *se = &ix->groups[GROUP_SERIES];
	CHECK_INT(se->n, 4);
	const char *order[] = {"交換会", "ヒアリング", "定例ミーティング", "トーク"};
	const char *slugs[] = {"joho", "ヒアリング", "teirei", "トーク"};
	for (size_t i = 0; i < 4 && i < se->n; i++) {
		CHECK_STR(se->v[i].key, order[i]);
		CHECK_STR(se->v[i].slug, slugs[i]);
		CHECK(se->v[i].series_def == MV.series[i < 1 ? 0 : i + 1]);
		CHECK(index_group(ix, GROUP_SERIES, order[i]) == &se->v[i]);
	}
	CHECK_STR(se->v[0].description, "毎月");
	CHECK(se->v[1].description == NULL);
	CHECK_INT(ix->counts.series, 4);
	CHECK(ix->groups[GROUP_THEME].v[0].series_def == NULL);

	/* 困窮 and 生活困窮 are one theme; ｺﾛﾅ is コロナ; 協働 is 市民協働. */
	const struct group_list *th = &ix->groups[GROUP_THEME];
	CHECK_INT(th->n, 3);
	const struct group *pov = index_group(ix, GROUP_THEME, "困窮");
	CHECK(pov && pov == index_group(ix, GROUP_THEME, "生活困窮"));
	if (pov) {
		CHECK_STR(pov->key, "生活困窮");
		CHECK_STR(pov->label, "生活困窮");
		CHECK_STR(pov->slug, "poverty");
		CHECK_STR(pov->description, "暮らし");
		CHECK(slugs_are(pov->sessions, pov->nsessions, "j2,j1"));
	}
	const struct group *cor = index_group(ix, GROUP_THEME, "ｺﾛﾅ");
	CHECK(cor && !strcmp(cor->slug, "corona") && cor->nsessions == 2 && !cor->description);
	const struct group *kyo = index_group(ix, GROUP_THEME, "協働");
	CHECK(kyo && !strcmp(kyo->label, "市民協働") && !strcmp(kyo->slug, "市民協働"));
	const struct session_rel *r = index_rel(ix, V[0]);
	CHECK(r && r->nthemes == 2 && r->themes[0] == pov && r->themes[1] == cor);
done:
	index_free(ix);
	diags_free(&d);

	/* themes.yaml and theme_slugs giving one theme two slugs. */
	diags_init(&d);
	vocab_fixture();
	static const char *keys[] = {"生活困窮"};
	static const char *vals[] = {"seikatsu"};
	MV.site.theme_slug_keys = (struct strlist){keys, 1};
	MV.site.theme_slug_values = (struct strlist){vals, 1};
	CHECK_INT(index_build(&ix, &MV, &d), -1);
	CHECK(has_diag(&d, "theme \"生活困窮\" has the slug \"poverty\" in content/themes.yaml "
	                   "and \"seikatsu\" here"));
	CHECK_INT(d.errors, 1);
	diags_free(&d);
}

/* Figures by series and public figures: hearings and meetings never in
 * the public ones; unknown attendance never counted as 0. */
static void test_series_figures(void)
{
	struct diags d;
	diags_init(&d);
	struct index *ix = vocab_index(&d);
	if (!ix)
		goto done;
	CHECK(agg_is(ix->all.agg, 7, 5, 73, 5, 30, 146, 100));
	/* Public: j1 30, j2 ?, j3 20, t1 5, n1 10. */
	CHECK(agg_is(ix->all.public_agg, 5, 4, 65, 5, 30, 163, 150));
	CHECK_INT(ix->counts.sessions, 5);
	CHECK_INT(ix->counts.participants, 65);
	CHECK_INT(ix->counts.unknown, 1);
	CHECK_INT(ix->all.nby_series, 5);
	CHECK(row_is(&ix->all, 0, "交換会", 3, 2, 50));
	CHECK(row_is(&ix->all, 1, "ヒアリング", 1, 0, 0));
	CHECK(row_is(&ix->all, 2, "定例ミーティング", 1, 1, 8));
	CHECK(row_is(&ix->all, 3, "トーク", 1, 1, 5));
	CHECK(row_is(&ix->all, 4, NULL, 1, 1, 10));
	CHECK(ix->all.by_series[0].series == &ix->groups[GROUP_SERIES].v[0]);

	const struct group *fy = index_group(ix, GROUP_FY, "2020");
	CHECK(fy && fy->nby_series == 5 && fy->public_agg.total == 65);
	const struct group *jun = index_group(ix, GROUP_MONTH, "2020-06");
	CHECK(jun && jun->nby_series == 1 && row_is(jun, 0, "交換会", 1, 1, 30));
	const struct group *sep = index_group(ix, GROUP_MONTH, "2020-09");
	CHECK(sep && agg_is(sep->public_agg, 0, 0, 0, 0, 0, 0, 0) && row_is(sep, 0, "ヒアリング", 1, 0, 0));
	/* A series group: one row, itself; a hearing has no public figure. */
	const struct group *jo = index_group(ix, GROUP_SERIES, "交換会");
	CHECK(jo && jo->nby_series == 1 && jo->by_series[0].series == jo);
	CHECK(jo && agg_is(jo->public_agg, 3, 2, 50, 20, 30, 250, 250));
	const struct group *hr = index_group(ix, GROUP_SERIES, "ヒアリング");
	CHECK(hr && hr->public_agg.sessions == 0 && hr->agg.sessions == 1 && hr->agg.known == 0);
	const struct group *pov = index_group(ix, GROUP_THEME, "生活困窮");
	CHECK(pov && pov->nby_series == 1 && row_is(pov, 0, "交換会", 2, 1, 30));
done:
	index_free(ix);
	diags_free(&d);

	/* Without a series.yaml (hand-built, no model series): every series
	 * is public, by key, and the counts are every session's. */
	diags_init(&d);
	fixture();
	CHECK_INT(index_build(&ix, &M, &d), 0);
	if (ix) {
		CHECK(agg_is(ix->all.public_agg, 7, 5, 27, 1, 11, 54, 30));
		CHECK_INT(ix->all.nby_series, 3);
		CHECK(row_is(&ix->all, 0, "交換会", 4, 3, 23));
		CHECK(row_is(&ix->all, 1, "勉強会", 2, 2, 4));
		CHECK(row_is(&ix->all, 2, NULL, 1, 0, 0));
	}
	index_free(ix);
	diags_free(&d);
}

/* A title that repeats gets its series and number, or its date. */
static void test_session_names(void)
{
	struct diags d;
	diags_init(&d);
	struct index *ix = vocab_index(&d);
	if (!ix)
		goto done;
	const char *want[] = {
		"交換会 第1回：定例情報交換会", "交換会 第2回：定例情報交換会", "特別回", "訪問",
		"定例ミーティング（2020-10-01）：定例情報交換会", "トーク", "定例情報交換会（2020-12-01）",
	};
	const int repeats[] = {1, 1, 0, 0, 1, 0, 1};
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < 7; i++) {
		buf_reset(&b);
		index_session_name(&b, ix, V[i]);
		CHECK_STR(b.data, want[i]);
		CHECK_INT(index_rel(ix, V[i])->title_repeats, repeats[i]);
	}
	buf_free(&b);
done:
	index_free(ix);
	diags_free(&d);
}

/* Names become safe path segments: no / \ < > " ' ? # % , or control
 * character, no trailing dot or space; width-only variants are one theme;
 * two themes that still meet on one slug are an error naming both. */
static void test_safe_slugs(void)
{
	struct diags d;
	diags_init(&d);
	struct model m;
	struct session *v[4];
	v[0] = ses("x1", 2020, 1, 1, -1, "<i>s</i>", 1, "<b>x</b>|../..|ＡＢＣ");
	v[1] = ses("x2", 2020, 1, 2, -1, "s.. ", 1, "ABC|a,b?c#d%e'f\"g");
	v[2] = ses("x3", 2020, 1, 3, -1, NULL, 1, "x\x01y.");
	set_model(&m, v, 3, NULL, 0);
	struct index *ix = NULL;
	CHECK_INT(index_build(&ix, &m, &d), 0);
	CHECK_INT(d.errors, 0);
	if (ix) {
		const struct { const char *key, *slug; } want[] = {
			{"<b>x</b>", "-b-x--b-"}, {"../..", "..-"}, {"ABC", "ABC"},
			{"a,b?c#d%e'f\"g", "a-b-c-d-e-f-g"}, {"x\x01y.", "x-y"},
		};
		CHECK_INT(ix->groups[GROUP_THEME].n, 5);
		for (size_t i = 0; i < 5; i++) {
			const struct group *g = index_group(ix, GROUP_THEME, want[i].key);
			CHECK(g && !strcmp(g->slug, want[i].slug));
		}
		CHECK_INT(index_group(ix, GROUP_THEME, "ＡＢＣ")->nsessions, 2);
		CHECK_STR(index_group(ix, GROUP_SERIES, "<i>s</i>")->slug, "-i-s--i-");
		CHECK_STR(index_group(ix, GROUP_SERIES, "s.. ")->slug, "s");
		for (int k = 0; k < GROUP_KINDS; k++)
			for (size_t i = 0; i < ix->groups[k].n; i++) {
				const char *sl = ix->groups[k].v[i].slug;
				CHECK(!strpbrk(sl, "\\<>\"'?#%,") && (k == GROUP_MONTH || !strchr(sl, '/')));
			}
	}
	index_free(ix);
	diags_free(&d);

	/* a/b and a\b: two themes, one slug. */
	diags_init(&d);
	v[0] = ses("x1", 2020, 1, 1, -1, NULL, 1, "a/b");
	v[1] = ses("x2", 2020, 1, 2, -1, NULL, 1, "a\\b");
	set_model(&m, v, 2, NULL, 0);
	CHECK_INT(index_build(&ix, &m, &d), -1);
	CHECK(has_diag(&d, "theme \"a\\b\" has the same URL slug \"a-b\" as \"a/b\""));
	CHECK(d.n == 1 && !strcmp(d.v[0].path, "content/sessions/x2.md"));
	diags_free(&d);
}

int main(void)
{
	A = arena_new();
	test_theme_key();
	test_empty();
	test_groups();
	test_fy_start();
	test_rounding();
	test_slug_errors();
	test_kinds();
	test_project_themes();
	test_related_window();
	test_vocab_groups();
	test_series_figures();
	test_session_names();
	test_safe_slugs();
	arena_free(A);
	return harness_done("index");
}
