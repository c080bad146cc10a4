/* test_model.c — model_load on small archives written to a temp dir:
 * typed fields, link merging from both sides, drafts, slugs, and the
 * diagnostics a volunteer sees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "model.h"
#include "source.h"
#include "util.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void fresh(void)
{
	char cmd[128];
	if (root[0]) {
		snprintf(cmd, sizeof cmd, "rm -rf %s", root);
		if (system(cmd) != 0)
			fprintf(stderr, "cleanup failed\n");
	}
	strcpy(root, "/tmp/kura-model.XXXXXX");
	if (!mkdtemp(root))
		abort();
	put("content/site.yaml", "title: T\nbase_url: https://example.org/a\n");
}

/* Loads the archive; returns the model (or NULL) and fills d. */
static struct model *load(struct diags *d, int drafts)
{
	struct source *src = NULL;
	struct model *m = NULL;
	if (source_open(&src, root, NULL, d) != 0)
		return NULL;
	model_load(&m, src, drafts, d);
	source_close(src);
	return m;
}

/* The first diagnostic whose message contains needle, or NULL. */
static const struct diag *find(const struct diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, needle))
			return &d->v[i];
	return NULL;
}

static void test_fields_and_links(void)
{
	fresh();
	put("content/sessions/2020/b.md",
	    "---\ntitle: B\ndate: 令和2年6月5日\nstart: \"20:00\"\nend: \"21:30\"\n"
	    "series: S\nnumber: 2\nthemes: [コロナ, 仙台宮城]\nattendance: 28\n"
	    "venue: オンライン\nprojects: [p1]\nguests: [G]\n---\n本文 **B**\n");
	put("content/sessions/2020/a.md",
	    "---\ntitle: A\ndate: 2020-06-03\nthemes: コロナ\n---\n最初の段落。\n");
	put("content/sessions/2021/draft.md",
	    "---\ntitle: D\ndate: 2021-01-01\ndraft: true\nprojects: [p1]\n---\n");
	put("content/projects/p1.md",
	    "---\ntitle: P1\nstatus: active\nstarted: 2020年6月\nsessions: [a, b]\n---\nP\n");
	put("content/pages/about.md", "---\ntitle: About\nmenu: 2\n---\nx\n");
	struct diags d;
	diags_init(&d);
	struct model *m = load(&d, 0);
	CHECK(m != NULL);
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 0);
	CHECK_STR(m->site.base_url, "https://example.org/a/");
	CHECK_STR(m->site.base_path, "/a/");
	CHECK_INT(m->site.fiscal_year_start, 4);
	CHECK_INT(m->site.per_page, 20);
	CHECK_INT(m->nsessions, 2); /* the draft is gone */
	CHECK_STR(m->sessions[0]->slug, "a");
	CHECK_STR(m->sessions[1]->slug, "b");
	const struct session *b = m->sessions[1];
	CHECK_INT(b->date.y, 2020);
	CHECK_INT(b->date.m, 6);
	CHECK_INT(b->date.d, 5);
	CHECK_INT(b->start, 20 * 60);
	CHECK_INT(b->end, 21 * 60 + 30);
	CHECK_INT(b->number, 2);
	CHECK_INT(b->attendance, 28);
	CHECK_INT(b->themes.n, 2);
	CHECK_STR(b->themes.v[1], "仙台宮城");
	CHECK_STR(b->path, "content/sessions/2020/b.md");
	CHECK(strstr(b->body_html, "<strong>B</strong>") != NULL);
	CHECK_INT(m->sessions[0]->attendance, -1); /* unknown, not 0 */
	CHECK_INT(m->sessions[0]->themes.n, 1);    /* a single text is a list of one */
	CHECK_STR(m->sessions[0]->summary, "最初の段落。");
	/* p1 <-> a declared on the project side, p1 <-> b on both: merged once. */
	CHECK_INT(m->nprojects, 1);
	const struct project *p = m->projects[0];
	CHECK_INT(p->status, STATUS_ACTIVE);
	CHECK_INT(p->started.y, 2020);
	CHECK_INT(p->started.d, 0);
	CHECK_INT(p->nsessions, 2);
	CHECK_STR(p->sessions[0]->slug, "a");
	CHECK_INT(m->sessions[0]->nprojects, 1);
	CHECK_INT(b->nprojects, 1);
	CHECK(strcmp(m->sessions[0]->slug, "draft") && strcmp(m->sessions[1]->slug, "draft"));
	CHECK_INT(m->npages, 1);
	CHECK_INT(m->pages[0]->menu, 2);
	model_free(m);
	diags_free(&d);

	/* --drafts keeps it, linked. */
	diags_init(&d);
	m = load(&d, 1);
	CHECK_INT(m->nsessions, 3);
	CHECK_INT(m->projects[0]->nsessions, 3);
	model_free(m);
	diags_free(&d);
}

static void test_errors(void)
{
	fresh();
	put("content/sessions/x.md",
	    "---\ntitle: X\ndate: 2020-06-03\nattendance: 32人\natendance: 3\n"
	    "projects: [nope]\nstart: \"21:00\"\nend: \"20:00\"\n---\n");
	put("content/sessions/2021/x.md", "---\ntitle: X2\ndate: 2021-01-01\n---\n");
	put("content/sessions/bad name.md", "---\ntitle: Y\ndate: 2021-01-02\n---\n");
	put("content/sessions/no-date.md", "---\ntitle: Z\n---\n");
	put("content/sessions/empty-title.md", "---\ntitle:\ndate: 2021-01-03\n---\n");
	put("content/projects/q.md",
	    "---\ntitle: Q\nstatus: done\nsessions: [missing]\nimages:\n  - src: ../etc/passwd\n"
	    "    alt: a\n  - src: media/ok.jpg\n  - src: media/missing.jpg\n    alt: b\n"
	    "  - src: media/ok.jpg\n    alt: c\n---\n");
	put("content/media/ok.jpg", "jpeg");
	struct diags d;
	diags_init(&d);
	struct model *m = load(&d, 0);
	/* A constructor that fails leaves nothing behind: *out is NULL. */
	CHECK(m == NULL);
	const struct diag *g = find(&d, "attendance: expected a whole number, got \"32人\"");
	CHECK(g != NULL);
	if (g) {
		CHECK_STR(g->path, "content/sessions/x.md");
		CHECK_INT(g->line, 4);
		CHECK_INT(g->col, 13);
		CHECK_STR(g->hint, "write only the number: attendance: 32");
	}
	g = find(&d, "unknown field \"atendance\"");
	CHECK(g != NULL && g->level == DIAG_WARNING);
	if (g)
		CHECK_STR(g->hint, "did you mean \"attendance\"?");
	g = find(&d, "projects: no project \"nope\"");
	CHECK(g != NULL && g->line == 6 && g->col == 12);
	CHECK(find(&d, "end (20:00) must be after start (21:00)") != NULL);
	g = find(&d, "duplicate session address \"x\"");
	CHECK(g != NULL);
	CHECK(find(&d, "bad file name") != NULL);
	g = find(&d, "date is required");
	CHECK(g != NULL && g->line == 2);
	CHECK(find(&d, "status: unknown status \"done\"") != NULL);
	g = find(&d, "title is required");
	CHECK(g != NULL && !strcmp(g->path, "content/sessions/empty-title.md") && g->line == 2);
	CHECK(find(&d, "sessions: no session \"missing\"") != NULL);
	CHECK(find(&d, "must be a path inside the archive") != NULL);
	CHECK(find(&d, "alt is required") != NULL);
	g = find(&d, "images: there is no file content/media/missing.jpg");
	CHECK(g != NULL && g->line == 9 && g->col == 10);
	CHECK(find(&d, "media/ok.jpg") == NULL); /* it exists */
	CHECK(d.errors >= 10);
	model_free(m);
	diags_free(&d);

	/* site.yaml problems. */
	fresh();
	put("content/site.yaml", "title: T\nbase_url: javascript:alert(1)\nper_page: 0\nfiscal_year_start: 13\n");
	diags_init(&d);
	m = load(&d, 0);
	CHECK(find(&d, "base_url: must start with") != NULL);
	CHECK(find(&d, "per_page: must be 1 or more") != NULL);
	CHECK(find(&d, "fiscal_year_start") != NULL);
	model_free(m);
	diags_free(&d);

	fresh();
	put("content/site.yaml", "base_url: /\n");
	diags_init(&d);
	m = load(&d, 0);
	CHECK(find(&d, "title is required") != NULL);
	model_free(m);
	diags_free(&d);
}

/* A value of the row's type that reads without a diagnostic, as YAML. */
static const char *sample(const struct field *f, const char *slug)
{
	switch (f->type) {
	case FIELD_TEXT: return !strcmp(f->name, "base_url") ? "https://example.org/" : "x";
	case FIELD_COUNT: return "1";
	case FIELD_BOOL: return "false";
	case FIELD_LIST: return "[a, b]";
	case FIELD_DATE: return "2020-06-03";
	case FIELD_YM: return "2020-06";
	case FIELD_TIME: return !strcmp(f->name, "end") ? "\"21:00\"" : "\"20:00\"";
	case FIELD_IMAGES: return "[{src: media/ok.jpg, alt: a}]";
	case FIELD_ENUM: return f->names[1];
	case FIELD_LINKS: return "[]";
	case FIELD_SLUG: return slug;
	case FIELD_CUSTOM: return "{a: b}";
	}
	return "";
}

/* Writes a file holding every field of kind k's table. */
static void put_all(enum record_kind k, const char *rel, const char *slug)
{
	size_t n;
	const struct field *t = model_fields(k, &n);
	struct buf b;
	buf_init(&b);
	if (k != RECORD_SITE)
		buf_puts(&b, "---\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s: %s\n", t[i].name, sample(&t[i], slug));
	if (k != RECORD_SITE)
		buf_puts(&b, "---\nbody\n");
	put(rel, b.data);
	buf_free(&b);
}

/* The tables: well-formed rows, and every row read (no "unknown field"
 * for any name the table lists, none dropped). */
static void test_tables(void)
{
	for (int k = 0; k < RECORD_KINDS; k++) {
		size_t n;
		const struct field *t = model_fields((enum record_kind)k, &n);
		CHECK(n > 0);
		for (size_t i = 0; i < n; i++) {
			const struct field *f = &t[i];
			CHECK(f->name && *f->name);
			CHECK(f->doc && *f->doc && !strchr(f->doc, '|') && !strchr(f->doc, '\n'));
			if (f->required && !strstr(f->doc, "必須"))
				fprintf(stderr, "%s: required, and its doc should say 必須\n", f->name);
			CHECK(!f->required || strstr(f->doc, "必須"));
			if (f->type == FIELD_COUNT || f->type == FIELD_BOOL || f->type == FIELD_ENUM)
				CHECK(f->size == sizeof(int) || f->size == sizeof(long));
			CHECK(f->type != FIELD_ENUM || (f->names && f->names[1]));
			CHECK(f->type != FIELD_CUSTOM || f->read);
			for (size_t j = 0; j < i; j++)
				CHECK(strcmp(t[j].name, f->name) != 0);
		}
	}

	fresh();
	put_all(RECORD_SITE, "content/site.yaml", NULL);
	put_all(RECORD_SESSION, "content/sessions/s.md", "s");
	put_all(RECORD_PROJECT, "content/projects/p.md", "p");
	put_all(RECORD_PAGE, "content/pages/g.md", "g");
	put("content/media/ok.jpg", "jpeg");
	struct diags d;
	diags_init(&d);
	struct model *m = load(&d, 1);
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 0);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "  %s:%d:%d: %s\n", d.v[i].path, d.v[i].line, d.v[i].col, d.v[i].msg);
	if (m && m->nsessions == 1 && m->nprojects == 1 && m->npages == 1) {
		const struct session *s = m->sessions[0];
		CHECK_STR(s->title, "x");
		CHECK_INT(s->number, 1);
		CHECK_INT(s->attendance, 1);
		CHECK_INT(s->start, 20 * 60);
		CHECK_INT(s->images.n, 1);
		CHECK_INT(s->guests.n, 2);
		CHECK_INT(m->projects[0]->status, STATUS_PROPOSED);
		CHECK_INT(m->projects[0]->started.d, 0);
		CHECK_INT(m->pages[0]->menu, 1);
		CHECK_INT(m->site.fiscal_year_start, 1);
		CHECK_INT(m->site.theme_slug_keys.n, 1);
		CHECK_STR(m->site.theme_slug_values.v[0], "b");
	} else {
		CHECK(0);
	}
	model_free(m);
	diags_free(&d);

	/* Defaults of site.yaml when a field is left out. */
	fresh();
	diags_init(&d);
	m = load(&d, 0);
	CHECK(m != NULL);
	if (m) {
		CHECK_STR(m->site.language, "ja");
		CHECK_STR(m->site.timezone, "Asia/Tokyo");
		CHECK_STR(m->site.utc_offset, "+09:00");
		CHECK_STR(m->site.tz_abbrev, "JST");
		CHECK_STR(m->site.theme, "default");
		CHECK_INT(m->site.per_page, 20);
		CHECK_INT(m->site.fiscal_year_start, 4);
		CHECK_INT(m->site.unsafe_html, 0);
		CHECK(m->site.repository == NULL);
	}
	model_free(m);
	diags_free(&d);

	/* A zone kura does not know: no offset, floating times. */
	put("content/site.yaml", "title: T\nbase_url: /\ntimezone: Europe/Berlin\n");
	diags_init(&d);
	m = load(&d, 0);
	CHECK(m && m->site.utc_offset == NULL && m->site.tz_abbrev == NULL);
	model_free(m);
	diags_free(&d);
}

/* The checks that span fields, after the table's loop. */
static void test_cross_field(void)
{
	fresh();
	put("content/sessions/a.md", "---\ntitle: A\ndate: 2020-06-03\nend: \"20:00\"\nnumber: 0\n---\n");
	put("content/sessions/b.md", "---\ntitle: B\ndate: 2020-06-03\nstart: 8時\nend: \"20:00\"\n"
	    "number: x\n---\n");
	put("content/pages/g.md", "---\ntitle: G\nmenu: 0\ndraft: true\n---\n");
	struct diags d;
	diags_init(&d);
	struct model *m = load(&d, 0);
	const struct diag *g = find(&d, "end is given but start is not");
	CHECK(g && !strcmp(g->path, "content/sessions/a.md") && g->line == 4 && g->col == 6);
	g = find(&d, "number: must be 1 or more");
	CHECK(g && !strcmp(g->path, "content/sessions/a.md") && g->line == 5);
	/* b: start is wrong, not missing; number is wrong, not 0: one error each. */
	int in_b = 0;
	for (size_t i = 0; i < d.n; i++)
		in_b += !strcmp(d.v[i].path, "content/sessions/b.md");
	CHECK_INT(in_b, 2);
	CHECK_INT(d.errors, 4);
	model_free(m);
	diags_free(&d);
}

/* Image sources: kura's one path rule plus no ':' '"' '<' '>' or space. */
static void test_image_src(void)
{
	static const char *const bad[] = {
		"/abs.jpg", "a:b.jpg", "https://x.org/a.jpg", "media//ok.jpg", "media/./ok.jpg",
		"../ok.jpg", "media/../media/ok.jpg", "media\\\\ok.jpg", "media/o k.jpg",
		"media/\\\"q.jpg", "media/<q.jpg", "media/q>.jpg", "media/", "media/\\x7f.jpg",
	};
	size_t nbad = sizeof bad / sizeof *bad;
	fresh();
	put("content/media/ok.jpg", "jpeg");
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "---\ntitle: P\nimages:\n  - {src: media/ok.jpg, alt: fine}\n");
	for (size_t i = 0; i < nbad; i++)
		buf_printf(&b, "  - {src: \"%s\", alt: a}\n", bad[i]);
	buf_puts(&b, "---\n");
	put("content/projects/p.md", b.data);
	buf_free(&b);
	struct diags d;
	diags_init(&d);
	struct model *m = load(&d, 0);
	CHECK(m == NULL);
	size_t refused = 0;
	for (size_t i = 0; i < d.n; i++)
		refused += strstr(d.v[i].msg, "must be a path inside the archive") != NULL;
	CHECK_INT(refused, nbad);
	CHECK_INT(d.errors, nbad);
	diags_free(&d);
}

/* The README's volunteer section documents every field of the session,
 * project, page, series.yaml and themes.yaml tables, in a table of its
 * own per kind whose rows are "| `name` | doc |" with the row's doc word
 * for word, and no field the tables do not have. Run from the repository
 * root. */
static void test_readme(void)
{
	static const struct {
		enum record_kind kind;
		const char *heading;
	} kinds[] = {
		{RECORD_SESSION, "### セッションの項目"},
		{RECORD_PROJECT, "### プロジェクトの項目"},
		{RECORD_PAGE, "### ページの項目"},
		{RECORD_SERIES, "### シリーズの項目"},
		{RECORD_THEME, "### テーマの項目"},
	};
	char *text = NULL;
	size_t len = 0;
	CHECK(file_read("README.md", &text, &len) == 0);
	if (!text)
		return;
	char *sec = strstr(text, "\n## セッション記録を書く");
	CHECK(sec != NULL);
	if (!sec) {
		free(text);
		return;
	}
	/* The section ends at the next level-2 heading outside a code block
	 * (the example holds a Markdown "## " of its own). */
	int fenced = 0;
	for (char *line = strchr(sec + 1, '\n'); line; line = strchr(line + 1, '\n')) {
		if (!strncmp(line + 1, "```", 3))
			fenced = !fenced;
		else if (!fenced && !strncmp(line + 1, "## ", 3)) {
			*line = '\0';
			break;
		}
	}
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		char *heading = xasprintf("\n%s\n", kinds[k].heading);
		char *h = strstr(sec, heading);
		free(heading);
		CHECK(h != NULL);
		if (!h) {
			fprintf(stderr, "README.md: no heading \"%s\"\n", kinds[k].heading);
			continue;
		}
		h += strlen(kinds[k].heading) + 2;
		char *end = strstr(h, "\n### ");
		size_t hlen = end ? (size_t)(end - h) : strlen(h);
		size_t nt;
		const struct field *t = model_fields(kinds[k].kind, &nt);
		/* Every field, with its doc. */
		for (size_t i = 0; i < nt; i++) {
			char *row = xasprintf("\n| `%s` | %s |\n", t[i].name, t[i].doc);
			char *hit = strstr(h, row);
			int ok = hit && hit < h + hlen;
			if (!ok)
				fprintf(stderr, "README.md, under \"%s\": this row is missing or differs:%s",
				        kinds[k].heading, row);
			CHECK(ok);
			free(row);
		}
		/* Nothing else. */
		for (char *r = strstr(h, "\n| `"); r && r < h + hlen; r = strstr(r + 1, "\n| `")) {
			char *name = r + 4, *close = strchr(name, '`');
			int known = 0;
			for (size_t i = 0; close && i < nt && !known; i++)
				known = strlen(t[i].name) == (size_t)(close - name) &&
				        !strncmp(t[i].name, name, (size_t)(close - name));
			if (!known)
				fprintf(stderr, "README.md, under \"%s\": `%.*s` is not a field of kura's table\n",
				        kinds[k].heading, close ? (int)(close - name) : 10, name);
			CHECK(known);
		}
	}
	free(text);
}

/* The diagnostic whose message contains needle, at path:line:col. */
static int at(const struct diags *d, const char *needle, const char *path, int line, int col)
{
	const struct diag *g = find(d, needle);
	if (!g)
		fprintf(stderr, "  no diagnostic \"%s\"\n", needle);
	else if (strcmp(g->path, path) || g->line != line || g->col != col)
		fprintf(stderr, "  \"%s\" at %s:%d:%d\n", needle, g->path, g->line, g->col);
	return g && !strcmp(g->path, path) && g->line == line && g->col == col;
}

static const char *hint_of(const struct diags *d, const char *needle)
{
	const struct diag *g = find(d, needle);
	return g && g->hint ? g->hint : "";
}

/* series.yaml: its order, then the series records name that it does not
 * list, by name; kinds, slugs, descriptions; each session's series_def;
 * an unlisted series is a warning with the nearest name. The new session
 * fields are read. */
static void test_series_yaml(void)
{
	fresh();
	put("content/series.yaml",
	    "# the series\n- name: 交換会\n  slug: joho\n  kind: session\n  description: 毎月\n"
	    "- name: ヒアリング\n  kind: hearing\n- name: 定例ミーティング\n  kind: meeting\n");
	put("content/sessions/a.md", "---\ntitle: A\ndate: 2020-06-03\nseries: 交換会\n"
	    "speakers: [甲, 乙]\n---\n");
	put("content/sessions/b.md", "---\ntitle: B\ndate: 2020-06-04\nseries: ヒアリング\n"
	    "visited: KDDI\ninterviewees: [丙（部長）]\n---\n");
	put("content/sessions/c.md", "---\ntitle: C\ndate: 2020-06-05\nseries: 交流会\n---\n");
	put("content/sessions/d.md", "---\ntitle: D\ndate: 2020-06-06\nseries: 別の会\n"
	    "present: [団体A]\n---\n");
	struct diags d;
	diags_init(&d);
	struct model *m = load(&d, 0);
	CHECK(m != NULL);
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 2);
	CHECK(at(&d, "series: \"交流会\" is not in content/series.yaml", "content/sessions/c.md", 4, 9));
	CHECK_STR(hint_of(&d, "\"交流会\" is not in"), "did you mean \"交換会\"?");
	CHECK(at(&d, "series: \"別の会\" is not in", "content/sessions/d.md", 4, 9));
	CHECK_STR(hint_of(&d, "\"別の会\" is not in"),
	          "add it to content/series.yaml (name, slug, kind), or correct the name");
	if (!m)
		goto done;
	CHECK_INT(m->nseries, 5);
	if (m->nseries == 5) {
		const char *names[] = {"交換会", "ヒアリング", "定例ミーティング", "交流会", "別の会"};
		for (size_t i = 0; i < 5; i++) {
			CHECK_STR(m->series[i]->name, names[i]);
			CHECK_INT(m->series[i]->declared, i < 3);
		}
		CHECK_STR(m->series[0]->slug, "joho");
		CHECK_STR(m->series[0]->description, "毎月");
		CHECK(m->series[1]->slug == NULL && m->series[1]->description == NULL);
		CHECK_INT(m->series[0]->kind, SERIES_SESSION);
		CHECK_INT(m->series[1]->kind, SERIES_HEARING);
		CHECK_INT(m->series[2]->kind, SERIES_MEETING);
		CHECK_INT(m->series[3]->kind, SERIES_SESSION);
		CHECK(m->sessions[0]->series_def == m->series[0]);
		CHECK(m->sessions[1]->series_def == m->series[1]);
		CHECK(m->sessions[2]->series_def == m->series[3]);
		CHECK(m->sessions[3]->series_def == m->series[4]);
	}
	CHECK_INT(m->nthemes, 0);
	CHECK_INT(m->sessions[0]->speakers.n, 2);
	CHECK_STR(m->sessions[1]->visited, "KDDI");
	CHECK_STR(m->sessions[1]->interviewees.v[0], "丙（部長）");
	CHECK_STR(m->sessions[3]->present.v[0], "団体A");
	CHECK_STR(series_kind_name(SERIES_SESSION), "session");
	CHECK_STR(series_kind_name(SERIES_HEARING), "hearing");
	CHECK_STR(series_kind_name(SERIES_MEETING), "meeting");
done:
	model_free(m);
	diags_free(&d);

	/* Without the file: every series made, by name, no warning; a
	 * session without a series has no series_def. */
	fresh();
	put("content/sessions/a.md", "---\ntitle: A\ndate: 2020-06-03\nseries: 勉強会\n---\n");
	put("content/sessions/b.md", "---\ntitle: B\ndate: 2020-06-04\nseries: 交換会\n---\n");
	put("content/sessions/c.md", "---\ntitle: C\ndate: 2020-06-05\nseries: 勉強会\n---\n");
	put("content/sessions/e.md", "---\ntitle: E\ndate: 2020-06-06\n---\n");
	put("content/sessions/f.md", "---\ntitle: F\ndate: 2020-06-07\nseries: 下書き会\ndraft: true\n---\n");
	diags_init(&d);
	m = load(&d, 0);
	CHECK(m && d.warnings == 0 && d.errors == 0);
	if (m) {
		CHECK_INT(m->nseries, 2); /* a draft's series is not made */
		CHECK(m->nseries == 2 && !strcmp(m->series[0]->name, "交換会") &&
		      !strcmp(m->series[1]->name, "勉強会") && !m->series[0]->declared);
		CHECK(m->nseries == 2 && m->sessions[0]->series_def == m->series[1] &&
		      m->sessions[2]->series_def == m->series[1]);
		CHECK(m->sessions[3]->series_def == NULL);
	}
	model_free(m);
	diags_free(&d);
}

/* series.yaml's errors, located, and its unknown keys. */
static void test_series_yaml_errors(void)
{
	fresh();
	put("content/series.yaml",
	    "- name: 交換会\n  slug: joho\n  kind: seminar\n"
	    "- slug: nameless\n"
	    "- name: 勉強会\n  slug: Benkyo_Kai\n"
	    "- name: 交換会\n  slug: joho2\n"
	    "- name: 別の会\n  slug: joho\n  descripton: x\n"
	    "- just text\n");
	struct diags d;
	diags_init(&d);
	struct model *m = load(&d, 0);
	const char *p = "content/series.yaml";
	CHECK(m == NULL);
	CHECK(at(&d, "kind: unknown kind \"seminar\"", p, 3, 9));
	CHECK_STR(hint_of(&d, "unknown kind"), "use session, hearing or meeting");
	CHECK(at(&d, "name is required", p, 4, 3));
	CHECK(at(&d, "slug: \"Benkyo_Kai\" must be ASCII", p, 6, 9));
	CHECK(at(&d, "series \"交換会\" is listed twice (first at line 1)", p, 7, 9));
	CHECK(at(&d, "slug: \"joho\" is already the slug of series \"交換会\" (line 1)", p, 10, 9));
	CHECK(at(&d, "unknown field \"descripton\"", p, 11, 3));
	CHECK_STR(hint_of(&d, "unknown field \"descripton\""), "did you mean \"description\"?");
	CHECK(at(&d, "each entry must be a mapping", p, 12, 3));
	CHECK_INT(d.errors, 6);
	diags_free(&d);

	fresh();
	put("content/series.yaml", "name: 交換会\n");
	diags_init(&d);
	m = load(&d, 0);
	CHECK(m == NULL && at(&d, "expected a list of entries", "content/series.yaml", 1, 1));
	diags_free(&d);

	/* An empty file is an empty list. */
	fresh();
	put("content/series.yaml", "# nothing yet\n");
	put("content/sessions/a.md", "---\ntitle: A\ndate: 2020-06-03\nseries: 交換会\n---\n");
	diags_init(&d);
	m = load(&d, 0);
	CHECK(m && d.errors == 0 && d.warnings == 1);
	CHECK_STR(hint_of(&d, "is not in content/series.yaml"),
	          "add it to content/series.yaml (name, slug, kind), or correct the name");
	model_free(m);
	diags_free(&d);
}

/* themes.yaml: the themes in its order; a record's theme that is neither
 * a name nor an alias (after the theme key) is a warning with the
 * nearest name: by edits in code points, or by containment. */
static void test_themes_yaml(void)
{
	fresh();
	put("content/themes.yaml",
	    "- name: 生活困窮\n  slug: poverty\n  description: 暮らしに困ること\n  aliases: [困窮]\n"
	    "- name: 市民協働\n  aliases: [協働, ｺﾗﾎﾞ]\n"
	    "- name: 子ども\n");
	put("content/sessions/a.md", "---\ntitle: A\ndate: 2020-06-03\n"
	    "themes: [困窮, 生活困窮　, コラボ, こども, まちづくり, 協働する]\n---\n");
	put("content/projects/p.md", "---\ntitle: P\nthemes: [子ども, 市民]\n---\n");
	struct diags d;
	diags_init(&d);
	struct model *m = load(&d, 0);
	CHECK(m != NULL);
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 4);
	const char *sp = "content/sessions/a.md";
	CHECK(at(&d, "themes: \"こども\" is not in content/themes.yaml", sp, 4, 26));
	CHECK_STR(hint_of(&d, "\"こども\" is not"), "did you mean \"子ども\"?");
	CHECK(at(&d, "themes: \"まちづくり\" is not in", sp, 4, 31));
	CHECK_STR(hint_of(&d, "\"まちづくり\" is not"),
	          "add it to content/themes.yaml, as a theme or as an alias of one");
	CHECK_STR(hint_of(&d, "\"協働する\" is not"), "did you mean \"市民協働\"?");
	CHECK(at(&d, "themes: \"市民\" is not in", "content/projects/p.md", 3, 15));
	CHECK_STR(hint_of(&d, "\"市民\" is not"), "did you mean \"市民協働\"?");
	if (m && m->nthemes == 3) {
		CHECK_STR(m->themes[0]->name, "生活困窮");
		CHECK_STR(m->themes[0]->slug, "poverty");
		CHECK_STR(m->themes[0]->description, "暮らしに困ること");
		CHECK(m->themes[0]->aliases.n == 1 && !strcmp(m->themes[0]->aliases.v[0], "困窮"));
		CHECK(m->themes[1]->slug == NULL && m->themes[1]->aliases.n == 2);
		CHECK_STR(m->themes[2]->name, "子ども");
	} else {
		CHECK(0);
	}
	model_free(m);
	diags_free(&d);
}

/* themes.yaml's errors: one key belongs to one theme. */
static void test_themes_yaml_errors(void)
{
	fresh();
	put("content/themes.yaml",
	    "- name: ABC\n  slug: abc\n"
	    "- name: ＡＢＣ\n  slug: abc\n"
	    "- name: 福祉\n  aliases: [介護, 医療, 福祉]\n"
	    "- name: 医療\n  aliases: [\xe3\x80\x80介護]\n"
	    "- name: 教育\n  slug: 教育\n  alias: [学び]\n");
	struct diags d;
	diags_init(&d);
	struct model *m = load(&d, 0);
	const char *p = "content/themes.yaml";
	CHECK(m == NULL);
	CHECK(at(&d, "theme \"ＡＢＣ\" is listed twice (as \"ABC\" at line 1)", p, 3, 9));
	CHECK(at(&d, "slug: \"abc\" is already the slug of theme \"ABC\" (line 1)", p, 4, 9));
	CHECK(at(&d, "aliases: \"医療\" is the name of another theme, \"医療\" (line 7)", p, 6, 17));
	CHECK(at(&d, "aliases: \"福祉\" is already this theme's name or alias", p, 6, 21));
	CHECK(find(&d, "already this theme's")->level == DIAG_WARNING);
	CHECK(at(&d, "aliases: \"\xe3\x80\x80介護\" is already an alias of \"福祉\" (line 6)", p, 8, 13));
	CHECK(at(&d, "slug: \"教育\" must be ASCII", p, 10, 9));
	CHECK(at(&d, "unknown field \"alias\"", p, 11, 3));
	CHECK_STR(hint_of(&d, "unknown field \"alias\""), "did you mean \"aliases\"?");
	CHECK_INT(d.errors, 5);
	diags_free(&d);
}

int main(void)
{
	test_fields_and_links();
	test_errors();
	test_tables();
	test_cross_field();
	test_image_src();
	test_series_yaml();
	test_series_yaml_errors();
	test_themes_yaml();
	test_themes_yaml_errors();
	test_readme();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	return harness_done("model");
}
