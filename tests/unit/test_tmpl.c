/* test_tmpl.c — what the Mustache spec does not cover: kura's error
 * messages and their positions, how values print, strict partials, the
 * recursion cap, rendering one compiled template many times, templates
 * served by a loader, rendering from several threads at once, and hostile
 * input that must not crash. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "harness.h"
#include "tmpl.h"
#include "util.h"
#include "value.h"

/* Compiles src as "t" (path "t.mustache") and returns the error count. */
static int compile_errors(const char *src, int flags, struct diags *d)
{
	struct tmpl_set *set = tmpl_set_new(NULL, NULL, flags);
	tmpl_set_add(set, "t", src, strlen(src), "t.mustache");
	int rc = tmpl_set_compile(set, "t", d);
	tmpl_set_free(set);
	CHECK_INT(rc, d->errors ? -1 : 0);
	return d->errors;
}

/* Checks that src gives exactly one error, at line:col, with message msg. */
static void expect_error(const char *src, int line, int col, const char *msg)
{
	struct diags d;
	diags_init(&d);
	CHECK_INT(compile_errors(src, 0, &d), 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].path, "t.mustache");
		CHECK_INT(d.v[0].line, line);
		CHECK_INT(d.v[0].col, col);
		CHECK_STR(d.v[0].msg, msg);
		CHECK(d.v[0].level == DIAG_ERROR);
	}
	diags_free(&d);
}

/* Renders src (as "t") with data and returns the malloc'd output, or NULL
 * when rendering failed. */
static char *render(struct tmpl_set *set, const char *src, const struct value *data,
                    struct diags *d)
{
	struct buf out;
	buf_init(&out);
	tmpl_set_add(set, "t", src, strlen(src), "t.mustache");
	if (tmpl_render(set, "t", data, &out, d) < 0) {
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}

static void test_syntax_errors(void)
{
	expect_error("a\n  {{#items}}x", 2, 3, "unclosed section \"items\"");
	expect_error("{{^none}}", 1, 1, "unclosed section \"none\"");
	expect_error("{{<layout}}{{$body}}x{{/body}}", 1, 1, "unclosed parent \"layout\"");
	expect_error("{{$body}}x", 1, 1, "unclosed block \"body\"");
	expect_error("{{#a}}\nfoo {{/b}}", 2, 5,
	             "closing tag \"b\" does not match the open section \"a\"");
	expect_error("x {{/a}}", 1, 3, "closing tag \"a\" has no open section");
	expect_error("ab {{name", 1, 4, "unclosed tag: no \"}}\" after \"{{\"");
	expect_error("ab {{{name}}", 1, 4, "unclosed tag: no \"}}}\" after \"{{\"");
	expect_error("{{=<% %>=}}\n <%name", 2, 2, "unclosed tag: no \"%>\" after \"<%\"");
	expect_error("{{! never closed", 1, 1, "unclosed tag: no \"}}\" after \"{{\"");
	const char *bad_delim = "bad set-delimiter tag: it takes two delimiters without "
	                        "spaces or \"=\", as in {{=<% %>=}}";
	expect_error("x\n{{=a=}}", 2, 1, bad_delim);
	expect_error("{{=}}", 1, 1, bad_delim);
	expect_error("{{= a b c =}}", 1, 1, bad_delim);
	expect_error("{{=a= b=}}", 1, 1, bad_delim);
	expect_error("{{ }}", 1, 1, "tag without a name");
	/* columns count code points, not bytes */
	expect_error("日本語 {{#x}}", 1, 5, "unclosed section \"x\"");
	/* a position after a multi-line comment */
	expect_error("{{!\none\ntwo}} {{/x}}", 3, 7, "closing tag \"x\" has no open section");

	/* the mismatch carries a hint pointing at the opening tag */
	struct diags d;
	diags_init(&d);
	compile_errors("\n  {{#a}}{{/b}}", 0, &d);
	CHECK_INT(d.n, 1);
	if (d.n == 1)
		CHECK_STR(d.v[0].hint, "\"a\" was opened at line 2, column 3");
	diags_free(&d);

	/* a typo in the closing tag of an inner section leaves the outer one
	 * matched, and a missing closing tag inside one is reported alone */
	diags_init(&d);
	CHECK_INT(compile_errors("{{#a}}{{#b}}{{/a}}", 0, &d), 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].msg, "unclosed section \"b\"");
		CHECK_INT(d.v[0].col, 7);
	}
	diags_free(&d);

	/* every problem of a template is reported, not only the first */
	diags_init(&d);
	CHECK_INT(compile_errors("{{=x=}}\n{{#a}}\n{{/b}}\n{{/c}}", 0, &d), 3);
	if (d.n == 3) {
		CHECK_INT(d.v[0].line, 1);
		CHECK_INT(d.v[1].line, 3);
		CHECK_INT(d.v[2].line, 4);
	}
	diags_free(&d);
}

static void test_values(void)
{
	struct arena *a = arena_new();
	struct value *m = value_map(a);
	value_set_int(a, m, "n", 42);
	value_set_int(a, m, "neg", -7);
	value_set_int(a, m, "zero", 0);
	value_set_int(a, m, "big", 9007199254740993LL);
	value_set_bool(a, m, "yes", 1);
	value_set_bool(a, m, "no", 0);
	value_set(a, m, "nil", value_str(a, NULL));
	value_set_str(a, m, "empty", "");
	value_set_str(a, m, "html", "<a href=\"x\">Tom & 'Jerry'</a>");
	struct value *list = value_list(a);
	value_push(a, list, value_int(a, 1));
	value_push(a, list, value_bool(a, 0));
	value_push(a, list, value_str(a, "s"));
	value_set(a, m, "list", list);

	struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
	struct diags d;
	diags_init(&d);
	char *s = render(set, "{{n}} {{neg}} {{zero}} {{big}} {{yes}} {{no}} [{{nil}}] "
	                      "[{{missing}}] [{{empty}}]", m, &d);
	CHECK_STR(s, "42 -7 0 9007199254740993 true false [] [] []");
	free(s);
	tmpl_set_free(set);

	set = tmpl_set_new(NULL, NULL, 0);
	s = render(set, "{{html}}|{{{html}}}|{{&html}}", m, &d);
	CHECK_STR(s, "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;|"
	             "<a href=\"x\">Tom & 'Jerry'</a>|<a href=\"x\">Tom & 'Jerry'</a>");
	free(s);
	tmpl_set_free(set);

	/* truthiness: 0 and "" are true, false and null and [] are not */
	set = tmpl_set_new(NULL, NULL, 0);
	s = render(set, "{{#zero}}0{{/zero}}{{#empty}}e{{/empty}}{{#no}}F{{/no}}"
	                "{{^no}}!F{{/no}}{{#nil}}N{{/nil}}{{^nil}}!N{{/nil}}"
	                "{{#list}}({{.}}){{/list}}{{#yes}}{{.}}{{/yes}}",
	           m, &d);
	CHECK_STR(s, "0e!F!N(1)(false)(s)true");
	free(s);
	tmpl_set_free(set);
	CHECK_INT(d.n, 0);
	diags_free(&d);
	arena_free(a);
}

static void test_strict(void)
{
	struct diags d;
	diags_init(&d);
	CHECK_INT(compile_errors("x\n  {{>nope}}\n", TMPL_STRICT, &d), 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].path, "t.mustache");
		CHECK_INT(d.v[0].line, 2);
		CHECK_INT(d.v[0].col, 3);
		CHECK_STR(d.v[0].msg, "partial \"nope\" not found");
	}
	diags_free(&d);

	diags_init(&d);
	CHECK_INT(compile_errors("{{<base}}{{$a}}x{{/a}}{{/base}}", TMPL_STRICT, &d), 1);
	if (d.n == 1)
		CHECK_STR(d.v[0].msg, "parent \"base\" not found");
	diags_free(&d);

	/* without TMPL_STRICT a missing partial is the empty string (the spec) */
	diags_init(&d);
	struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
	char *s = render(set, "[{{>nope}}]", NULL, &d);
	CHECK_STR(s, "[]");
	CHECK_INT(d.n, 0);
	free(s);
	tmpl_set_free(set);

	/* a dynamic partial is checked when it is rendered */
	struct arena *a = arena_new();
	struct value *m = value_map(a);
	value_set_str(a, m, "which", "ghost");
	set = tmpl_set_new(NULL, NULL, TMPL_STRICT);
	s = render(set, "a {{>*which}}", m, &d);
	CHECK(s == NULL);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_INT(d.v[0].col, 3);
		CHECK_STR(d.v[0].msg, "partial \"ghost\" not found");
	}
	tmpl_set_free(set);
	arena_free(a);
	diags_free(&d);
}

static void test_recursion_cap(void)
{
	struct diags d;
	diags_init(&d);
	struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
	const char *self = "x{{>self}}";
	tmpl_set_add(set, "self", self, strlen(self), "self.mustache");
	char *s = render(set, "{{>self}}", NULL, &d);
	CHECK(s == NULL);
	CHECK_INT(d.errors, 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].path, "self.mustache");
		CHECK_INT(d.v[0].line, 1);
		CHECK_INT(d.v[0].col, 2);
		CHECK_STR(d.v[0].msg, "templates nested more than 100 levels deep at \"self\"");
	}
	tmpl_set_free(set);
	diags_free(&d);

	/* two parents including each other */
	diags_init(&d);
	set = tmpl_set_new(NULL, NULL, 0);
	tmpl_set_add(set, "a", "{{<b}}{{/b}}", 12, "a");
	tmpl_set_add(set, "b", "{{<a}}{{/a}}", 12, "b");
	s = render(set, "{{<a}}{{/a}}", NULL, &d);
	CHECK(s == NULL);
	CHECK_INT(d.errors, 1);
	tmpl_set_free(set);
	diags_free(&d);

	/* a block whose override names itself */
	diags_init(&d);
	set = tmpl_set_new(NULL, NULL, 0);
	tmpl_set_add(set, "p", "{{$a}}{{/a}}", 12, "p");
	s = render(set, "{{<p}}{{$a}}-{{$a}}x{{/a}}{{/a}}{{/p}}", NULL, &d);
	CHECK(s == NULL);
	CHECK_INT(d.errors, 1);
	tmpl_set_free(set);
	diags_free(&d);

	/* sections count across partials too: 100 per template, 10 deep */
	struct buf nest;
	buf_init(&nest);
	for (int i = 0; i < 100; i++)
		buf_puts(&nest, "{{#a}}");
	buf_puts(&nest, "{{>n}}");
	for (int i = 0; i < 100; i++)
		buf_puts(&nest, "{{/a}}");
	struct arena *yes = arena_new();
	struct value *ya = value_map(yes);
	value_set_bool(yes, ya, "a", 1);
	diags_init(&d);
	set = tmpl_set_new(NULL, NULL, 0);
	tmpl_set_add(set, "n", nest.data, nest.len, "n");
	s = render(set, "{{>n}}", ya, &d);
	CHECK(s == NULL);
	CHECK_INT(d.errors, 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].msg, "sections nested more than 1000 levels deep across partials");
		CHECK_INT(d.v[0].col, 1);
	}
	tmpl_set_free(set);
	diags_free(&d);
	arena_free(yes);
	buf_free(&nest);

	/* recursion that data ends is fine, however deep the data is (< cap) */
	struct arena *ar = arena_new();
	struct value *root = value_map(ar), *cur = root;
	for (int i = 0; i < 50; i++) {
		struct value *kid = value_map(ar);
		value_set_int(ar, cur, "n", i);
		value_set(ar, cur, "kid", kid);
		cur = kid;
	}
	/* the last one must say "no kid": a missing key would be looked up
	 * in the frames below, as the spec's context stack does */
	value_set_int(ar, cur, "n", 50);
	value_set_bool(ar, cur, "kid", 0);
	diags_init(&d);
	set = tmpl_set_new(NULL, NULL, 0);
	tmpl_set_add(set, "node", "{{n}}{{#kid}},{{>node}}{{/kid}}", 31, "node");
	s = render(set, "{{>node}}", root, &d);
	CHECK(s && strncmp(s, "0,1,2,", 6) == 0 && strstr(s, ",48,49,50") != NULL);
	free(s);
	tmpl_set_free(set);
	diags_free(&d);
	arena_free(ar);
}

static void test_render_many(void)
{
	struct arena *a = arena_new();
	struct value *one = value_map(a), *two = value_map(a);
	value_set_str(a, one, "title", "First");
	struct value *items = value_list(a);
	value_push(a, items, value_str(a, "a"));
	value_push(a, items, value_str(a, "b"));
	value_set(a, one, "items", items);
	value_set_str(a, two, "title", "Second & last");

	const char *src = "<h1>{{title}}</h1>\n<ul>\n  {{#items}}\n  <li>{{.}}</li>\n"
	                  "  {{/items}}\n</ul>\n{{^items}}<p>none</p>\n{{/items}}";
	struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
	struct diags d;
	diags_init(&d);
	tmpl_set_add(set, "page", src, strlen(src), "page.mustache");
	CHECK_INT(tmpl_set_compile(set, "page", &d), 0);
	struct buf out;
	buf_init(&out);
	CHECK_INT(tmpl_render(set, "page", one, &out, &d), 0);
	CHECK_STR(out.data, "<h1>First</h1>\n<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "page", two, &out, &d), 0);
	CHECK_STR(out.data, "<h1>Second &amp; last</h1>\n<ul>\n</ul>\n<p>none</p>\n");
	/* rendering appends */
	CHECK_INT(tmpl_render(set, "page", two, &out, &d), 0);
	CHECK_INT(out.len, 2 * strlen("<h1>Second &amp; last</h1>\n<ul>\n</ul>\n<p>none</p>\n"));
	/* a compiled template is not replaced by a later add */
	tmpl_set_add(set, "page", "other", 5, "page.mustache");
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "page", one, &out, &d), 0);
	CHECK(strncmp(out.data, "<h1>First</h1>", 14) == 0);
	CHECK_INT(d.n, 0);

	/* a broken template reports its errors once, then just fails */
	tmpl_set_add(set, "broken", "{{#x}}", 6, "broken.mustache");
	CHECK_INT(tmpl_render(set, "broken", one, &out, &d), -1);
	CHECK_INT(d.errors, 1);
	CHECK_INT(tmpl_render(set, "broken", one, &out, &d), -1);
	CHECK_INT(d.errors, 1);
	/* an unknown template is an error each time */
	CHECK_INT(tmpl_render(set, "nothing", one, &out, &d), -1);
	CHECK_INT(d.errors, 2);
	if (d.n == 2)
		CHECK_STR(d.v[1].msg, "template \"nothing\" not found");
	buf_free(&out);
	diags_free(&d);
	tmpl_set_free(set);
	arena_free(a);
}

/* A loader serving templates from a table, counting its calls. */
struct table {
	const char *const (*rows)[2];
	size_t n;
	int calls;
};

static int table_load(void *ctx, const char *name, size_t name_len, char **src, size_t *len,
                      char **path, struct diags *d)
{
	struct table *tb = ctx;
	tb->calls++;
	if (name_len == 4 && memcmp(name, "fail", 4) == 0)
		return diag_error(d, "themes/x", 0, 0, "cannot read \"fail\"");
	for (size_t i = 0; i < tb->n; i++) {
		if (strlen(tb->rows[i][0]) == name_len && !memcmp(tb->rows[i][0], name, name_len)) {
			*src = xstrdup(tb->rows[i][1]);
			*len = strlen(*src);
			*path = xasprintf("themes/x/%s.mustache", tb->rows[i][0]);
			return 0;
		}
	}
	return 1;
}

static void test_loader(void)
{
	static const char *const rows[][2] = {
		{"page", "{{<layout}}{{$main}}<p>{{body}}</p>{{/main}}{{/layout}}"},
		{"layout", "<html>\n  {{>head}}\n  <body>{{$main}}{{/main}}</body>\n{{>ghost}}</html>\n"},
		{"head", "<title>{{title}}</title>\n<meta>\n"},
		{"bad", "ok\n{{>worse}}"},
		{"worse", "line\n\n   {{#open}}"},
		{"usesfail", "{{>fail}}"},
	};
	struct table tb = {rows, sizeof rows / sizeof rows[0], 0};
	struct tmpl_set *set = tmpl_set_new(table_load, &tb, 0);
	struct arena *a = arena_new();
	struct value *m = value_map(a);
	value_set_str(a, m, "title", "T");
	value_set_str(a, m, "body", "B");
	struct diags d;
	diags_init(&d);
	struct buf out;
	buf_init(&out);
	CHECK_INT(tmpl_render(set, "page", m, &out, &d), 0);
	CHECK_STR(out.data, "<html>\n  <title>T</title>\n  <meta>\n  <body><p>B</p></body>\n</html>\n");
	int calls = tb.calls; /* page, layout, head, ghost */
	CHECK_INT(calls, 4);
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "page", m, &out, &d), 0);
	CHECK_INT(tb.calls, calls); /* compiled once: no more loading */
	CHECK_INT(d.n, 0);

	/* an error in a loaded template carries the loader's path */
	CHECK_INT(tmpl_set_compile(set, "bad", &d), -1);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].path, "themes/x/worse.mustache");
		CHECK_INT(d.v[0].line, 3);
		CHECK_INT(d.v[0].col, 4);
		CHECK_STR(d.v[0].msg, "unclosed section \"open\"");
	}
	/* a loader error is the loader's to record; compiling just fails */
	CHECK_INT(tmpl_set_compile(set, "usesfail", &d), -1);
	CHECK_INT(d.n, 2);
	if (d.n == 2)
		CHECK_STR(d.v[1].msg, "cannot read \"fail\"");
	buf_free(&out);
	diags_free(&d);
	tmpl_set_free(set);
	arena_free(a);
}

/* {{<*name}}: the parent is chosen by the data, like {{>*name}}. */
static void test_dynamic_parent(void)
{
	struct arena *a = arena_new();
	struct value *m = value_map(a);
	value_set_str(a, m, "layout", "wide");
	struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
	tmpl_set_add(set, "wide", "<w>{{$a}}-{{/a}}</w>", 20, "wide");
	struct diags d;
	diags_init(&d);
	char *s = render(set, "{{<*layout}}{{$a}}X{{/a}}{{/*layout}}|{{<* layout }}{{/*layout}}",
	                 m, &d);
	CHECK_STR(s, "<w>X</w>|<w>-</w>");
	free(s);
	CHECK_INT(d.n, 0);
	tmpl_set_free(set);
	diags_free(&d);
	arena_free(a);
}

/* Template names: many templates in one set (its table grows), and a
 * dynamic name holding a NUL, which names no template (not even the one
 * called by the part before the NUL). */
static void test_names(void)
{
	struct arena *a = arena_new();
	struct value *m = value_map(a);
	value_set(a, m, "nul", value_strn(a, "p\0q", 3));
	value_set_str(a, m, "name", "t77");
	struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
	for (int i = 0; i < 200; i++) {
		char name[16], src[32];
		snprintf(name, sizeof name, "t%d", i);
		snprintf(src, sizeof src, "<%d>", i);
		tmpl_set_add(set, name, src, strlen(src), NULL);
	}
	tmpl_set_add(set, "p", "P", 1, NULL);
	struct diags d;
	diags_init(&d);
	char *s = render(set, "{{>t0}}{{>t199}}{{>*name}}[{{>*nul}}]{{>p}}", m, &d);
	CHECK_STR(s, "<0><199><77>[]P");
	free(s);
	CHECK_INT(d.n, 0);
	tmpl_set_free(set);
	/* strict: the NUL name is reported as not found */
	set = tmpl_set_new(NULL, NULL, TMPL_STRICT);
	tmpl_set_add(set, "p", "P", 1, NULL);
	s = render(set, "{{>*nul}}", m, &d);
	CHECK(s == NULL);
	CHECK_INT(d.errors, 1);
	free(s);
	tmpl_set_free(set);
	diags_free(&d);
	arena_free(a);
}

/* src/tmpl.h: after tmpl_set_compile, threads may render at once. A set
 * with partials, a parent with blocks, sections over lists and inverted
 * sections is compiled, rendered serially for each data set, then by 4
 * threads at once, each rendering every data set many times and comparing
 * with the serial result. Under ThreadSanitizer (make tsan) any shared
 * write during rendering is a report. */
#define NTHREADS 4
#define NDATA 3

struct render_job {
	struct tmpl_set *set;
	const struct value *data[NDATA];
	const char *want[NDATA];
	int mismatches, failures;
};

static void *render_many(void *arg)
{
	struct render_job *job = arg;
	struct buf out;
	struct diags d;
	buf_init(&out);
	diags_init(&d);
	for (int i = 0; i < 200; i++) {
		int k = i % NDATA;
		buf_reset(&out);
		if (tmpl_render(job->set, "page", job->data[k], &out, &d) != 0)
			job->failures++;
		else if (strcmp(out.data, job->want[k]) != 0)
			job->mismatches++;
	}
	diags_free(&d);
	buf_free(&out);
	return NULL;
}

static void test_concurrent_render(void)
{
	static const char *const rows[][2] = {
		{"page", "{{<layout}}{{$main}}{{#sessions}}{{>card}}{{/sessions}}"
		         "{{^sessions}}<p>none</p>{{/sessions}}{{/main}}{{/layout}}"},
		{"layout", "<html>\n  {{>head}}\n  <body>{{$main}}default{{/main}}</body>\n"
		           "  {{>foot}}\n</html>\n"},
		{"head", "<title>{{title}} &ndash; {{site.title}}</title>\n"},
		{"foot", "{{#site}}<footer>{{title}} {{{raw}}}</footer>{{/site}}\n"},
		{"card", "<article>\n  <h2>{{title}}</h2>{{#themes}} <i>{{.}}</i>{{/themes}}\n"
		         "</article>\n"},
	};
	struct table tb = {rows, sizeof rows / sizeof rows[0], 0};
	struct tmpl_set *set = tmpl_set_new(table_load, &tb, TMPL_STRICT);
	struct arena *a = arena_new();
	struct render_job job = {set, {NULL}, {NULL}, 0, 0};
	for (int k = 0; k < NDATA; k++) {
		struct value *m = value_map(a), *site = value_map(a), *list = value_list(a);
		value_set_str(a, site, "title", "Site <&>");
		value_set_str(a, site, "raw", "<b>raw</b>");
		value_set(a, m, "site", site);
		value_set_str(a, m, "title", k == 0 ? "Zero" : k == 1 ? "One & two" : "\"Three\"");
		for (int i = 0; i < k * 3; i++) {
			struct value *it = value_map(a), *themes = value_list(a);
			value_set(a, it, "title", value_str(a, arena_strdup(a, k == 2 && i == 1 ? "<x>" : "s")));
			for (int t = 0; t < i; t++)
				value_push(a, themes, value_int(a, t));
			value_set(a, it, "themes", themes);
			value_push(a, list, it);
		}
		value_set(a, m, "sessions", list);
		job.data[k] = m;
	}
	struct diags d;
	diags_init(&d);
	CHECK_INT(tmpl_set_compile(set, "page", &d), 0);
	int calls = tb.calls;
	char *want[NDATA];
	for (int k = 0; k < NDATA; k++) {
		struct buf out;
		buf_init(&out);
		CHECK_INT(tmpl_render(set, "page", job.data[k], &out, &d), 0);
		want[k] = buf_detach(&out);
		job.want[k] = want[k];
	}
	CHECK(strstr(want[0], "<p>none</p>") != NULL);
	CHECK(strstr(want[2], "<h2>&lt;x&gt;</h2> <i>0</i>") != NULL);
	CHECK(strstr(want[1], "<footer>Site &lt;&amp;&gt; <b>raw</b></footer>") != NULL);

	struct render_job jobs[NTHREADS];
	pthread_t th[NTHREADS];
	int started = 0;
	for (int i = 0; i < NTHREADS; i++) {
		jobs[i] = job;
		if (pthread_create(&th[i], NULL, render_many, &jobs[i]) == 0)
			started++;
		else
			break;
	}
	CHECK_INT(started, NTHREADS);
	for (int i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(jobs[i].failures, 0);
		CHECK_INT(jobs[i].mismatches, 0);
	}
	CHECK_INT(tb.calls, calls); /* nothing was loaded while rendering */
	CHECK_INT(d.n, 0);
	for (int k = 0; k < NDATA; k++)
		free(want[k]);
	diags_free(&d);
	tmpl_set_free(set);
	arena_free(a);
}

/* Input no template author would write: it must give errors or output,
 * never a crash (run this under ASan/UBSan and valgrind). */
static void test_hostile(void)
{
	static const char *const srcs[] = {
		"{{", "}}", "{{}}", "{{/}}", "{{=}}", "{{==}}", "{{= =}}", "{{{", "{{{x}}",
		"{{{x}}}}}", "{{#}}", "{{>}}", "{{<}}{{/}}", "{{$}}", "{{>*}}", "{{!}}",
		"{{=| |=}}|", "{{=| |=}}||", "{{=<< >>=}}<<{x}>>", "{{#a}}{{/a}}{{/a}}",
		"{{<p}}{{#s}}{{$b}}x{{/b}}{{/s}}text{{x}}{{/p}}", "\r\n\r{{#a}}\r\n{{/a}}\r",
		"{{=a b=}}", "{{=ab ab=}}abab", "{{.}}{{..}}{{a..b}}{{.a}}{{a.}}",
		"{{>p}}{{<p}}{{$x}}{{/x}}{{/p}}", "{{$a}}{{$a}}{{/a}}{{/a}}",
	};
	struct arena *a = arena_new();
	struct value *m = value_map(a);
	value_set_str(a, m, "x", "X");
	value_set_bool(a, m, "a", 1);
	for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
		struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
		tmpl_set_add(set, "p", "{{$x}}P{{/x}}{{>p}}", 19, "p");
		struct diags d;
		diags_init(&d);
		char *s = render(set, srcs[i], m, &d);
		CHECK(s != NULL || d.errors > 0);
		free(s);
		diags_free(&d);
		tmpl_set_free(set);
	}

	/* deep nesting stops at a limit with one error, not a stack overflow */
	struct buf deep;
	buf_init(&deep);
	for (int i = 0; i < 5000; i++)
		buf_puts(&deep, "{{#a}}");
	struct diags d;
	diags_init(&d);
	CHECK_INT(compile_errors(deep.data, 0, &d), 1);
	if (d.n == 1)
		CHECK_STR(d.v[0].msg, "sections nested more than 100 levels deep");
	diags_free(&d);
	/* 100 levels are allowed */
	buf_reset(&deep);
	for (int i = 0; i < 100; i++)
		buf_puts(&deep, "{{#a}}");
	buf_puts(&deep, "{{x}}");
	for (int i = 0; i < 100; i++)
		buf_puts(&deep, "{{/a}}");
	struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
	diags_init(&d);
	char *s = render(set, deep.data, m, &d);
	CHECK_STR(s, "X");
	free(s);
	diags_free(&d);
	tmpl_set_free(set);
	buf_free(&deep);

	/* random soup of tag fragments */
	static const char *const bits[] = {
		"{{", "}}", "{", "}", "#", "^", "/", "!", "=", ">", "<", "$", "&", "*",
		"a", "x", ".", " ", "\n", "\r\n", "p", "{{#a}}", "{{/a}}", "{{>p}}",
		"{{<p}}", "{{/p}}", "{{$x}}", "{{/x}}", "{{=<% %>=}}", "<%", "%>",
	};
	unsigned seed = 12345;
	int crashed = 0;
	for (int iter = 0; iter < 3000; iter++) {
		struct buf src;
		buf_init(&src);
		int len = 1 + (int)(seed % 24);
		for (int k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			buf_puts(&src, bits[(seed >> 16) % (sizeof bits / sizeof bits[0])]);
		}
		set = tmpl_set_new(NULL, NULL, iter & 1 ? TMPL_STRICT : 0);
		tmpl_set_add(set, "p", "{{$x}}P{{/x}}{{#a}}{{>p}}{{/a}}", 31, "p");
		diags_init(&d);
		s = render(set, src.data, m, &d);
		if (!s && d.errors == 0)
			crashed++;
		free(s);
		diags_free(&d);
		tmpl_set_free(set);
		buf_free(&src);
	}
	CHECK_INT(crashed, 0);
	arena_free(a);
}

int main(void)
{
	test_syntax_errors();
	test_values();
	test_strict();
	test_recursion_cap();
	test_render_many();
	test_loader();
	test_dynamic_parent();
	test_names();
	test_concurrent_render();
	test_hostile();
	return harness_done("tmpl");
}
