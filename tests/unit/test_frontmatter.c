/* test_frontmatter.c — splitting content files and parsing YAML into the
 * node tree: kinds, positions, and every error with its message and place. */
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "harness.h"

/* ---- helpers ----------------------------------------------------------- */

static struct arena *A;
static struct diags D;

static void reset(void)
{
	diags_free(&D);
	diags_init(&D);
}

/* Parses s with first_line 1; returns the root or NULL. */
static struct fm_node *parse_at(const char *s, int first_line)
{
	struct fm_node *root = (struct fm_node *)1;
	reset();
	int rc = fm_parse_yaml(A, s, strlen(s), "f.md", first_line, &D, &root);
	CHECK((rc == 0) == (root != NULL));
	CHECK((rc == 0) == (D.errors == 0));
	return root;
}

static struct fm_node *parse(const char *s)
{
	return parse_at(s, 1);
}

/* Checks that the first recorded diagnostic is want at line:col; a
 * function rather than a macro, with the caller's line for failures. */
#define CHECK_DIAG(want, l, c) check_diag(__LINE__, want, l, c)
static void check_diag(int at, const char *want, int line, int col)
{
	int ok = D.n >= 1 && strcmp(D.v[0].msg, want) == 0 &&
	         strcmp(D.v[0].path, "f.md") == 0 && D.v[0].line == line &&
	         D.v[0].col == col;
	harness_record(ok);
	if (!ok)
		fprintf(stderr, "%s:%d: want %d:%d \"%s\", got %s%d:%d \"%s\"\n",
		        __FILE__, at, line, col, want, D.n ? "" : "nothing ",
		        D.n ? D.v[0].line : 0, D.n ? D.v[0].col : 0,
		        D.n ? D.v[0].msg : "");
}

/* Error-expecting parse: the root must be NULL and exactly one error. */
#define parse_err(s, want, l, c) parse_err_at(__LINE__, s, want, l, c)
static void parse_err_at(int at, const char *s, const char *want, int line,
                         int col)
{
	struct fm_node *root = parse(s);
	CHECK(root == NULL);
	CHECK(D.errors == 1);
	check_diag(at, want, line, col);
}

/* ---- fm_split ---------------------------------------------------------- */

struct split {
	int rc;
	struct span yaml, body;
	int yaml_line, body_line;
};

static struct split split_n(const char *s, size_t n)
{
	struct split r;
	memset(&r, 0, sizeof r);
	reset();
	r.rc = fm_split(s, n, "f.md", &r.yaml, &r.yaml_line, &r.body,
	                &r.body_line, &D);
	return r;
}

static struct split split(const char *s)
{
	return split_n(s, strlen(s));
}

static int span_is(struct span sp, const char *s)
{
	return sp.n == strlen(s) && memcmp(sp.p, s, sp.n) == 0;
}

static void test_split(void)
{
	struct split r = split("---\ntitle: a\ndate: 2020-06-03\n---\nHello\n\nworld\n");
	CHECK_INT(r.rc, 0);
	CHECK_INT(D.n, 0);
	CHECK(span_is(r.yaml, "title: a\ndate: 2020-06-03\n"));
	CHECK_INT(r.yaml_line, 2);
	CHECK(span_is(r.body, "Hello\n\nworld\n"));
	CHECK_INT(r.body_line, 5);

	/* BOM, CRLF and the "..." terminator. */
	r = split("\xEF\xBB\xBF---\r\ntitle: a\r\n...\r\nbody\r\n");
	CHECK_INT(r.rc, 0);
	CHECK(span_is(r.yaml, "title: a\r\n"));
	CHECK(span_is(r.body, "body\r\n"));
	CHECK_INT(r.yaml_line, 2);
	CHECK_INT(r.body_line, 4);

	/* Empty front matter, no body, closing line without a newline. */
	r = split("---\n---");
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.yaml.n, 0);
	CHECK_INT(r.body.n, 0);
	CHECK_INT(r.body_line, 3);

	/* Trailing blanks on the delimiters are forgiven. */
	r = split("--- \ta: 1\n");
	CHECK_INT(r.rc, -1); /* "--- \ta: 1" is not a delimiter line */
	r = split("---  \na: 1\n---\t\nx");
	CHECK_INT(r.rc, 0);
	CHECK(span_is(r.yaml, "a: 1\n"));
	CHECK(span_is(r.body, "x"));

	/* A "---" inside a YAML value does not close it; "----" is not one. */
	r = split("---\na: \"---\"\n----\n---\nbody");
	CHECK_INT(r.rc, 0);
	CHECK(span_is(r.yaml, "a: \"---\"\n----\n"));
	CHECK_INT(r.body_line, 5);

	/* Body line numbers: a later "---" (a Markdown rule) stays in it. */
	r = split("---\na: 1\nb: 2\n---\n\n# Title\n---\nmore\n");
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.body_line, 5);
	CHECK(span_is(r.body, "\n# Title\n---\nmore\n"));
}

static void test_split_errors(void)
{
	struct split r = split("title: a\n---\n");
	CHECK_INT(r.rc, -1);
	CHECK_INT(D.errors, 1);
	CHECK_DIAG("missing front matter: the file must start with a line \"---\"",
	           1, 1);
	CHECK(D.v[0].hint && strstr(D.v[0].hint, "title: ...") != NULL);

	r = split("");
	CHECK_INT(r.rc, -1);
	CHECK_DIAG("missing front matter: the file must start with a line \"---\"",
	           1, 1);

	r = split("\n---\na: 1\n---\n");
	CHECK_INT(r.rc, -1);
	CHECK_INT(D.v[0].line, 1);

	r = split("---\ntitle: a\nno end\n");
	CHECK_INT(r.rc, -1);
	CHECK_INT(D.errors, 1);
	CHECK_DIAG("front matter is not closed: add a line \"---\" after it", 1, 1);

	r = split("---");
	CHECK_INT(r.rc, -1);
	CHECK_DIAG("front matter is not closed: add a line \"---\" after it", 1, 1);

	/* Invalid UTF-8: line and code point column of the first bad byte
	 * ("タイトル: " is 6 code points, so the bad byte is column 7). */
	r = split("---\ntitle: a\n\xE3\x82\xBF\xE3\x82\xA4\xE3\x83\x88"
	          "\xE3\x83\xAB: \x82\xA0\n---\n");
	CHECK_INT(r.rc, -1);
	CHECK_INT(D.errors, 1);
	CHECK_DIAG("the file is not valid UTF-8", 3, 7);
	CHECK(D.v[0].hint != NULL);

	/* Bad UTF-8 in the body is refused too; an overlong "/" as well. */
	r = split("---\na: 1\n---\nok\nab\xC0\xAF\n");
	CHECK_INT(r.rc, -1);
	CHECK_DIAG("the file is not valid UTF-8", 5, 3);

	/* A NUL byte is valid UTF-8: fm_split passes it on to the YAML. */
	r = split_n("---\na: \0\n---\n", 13);
	CHECK_INT(r.rc, 0);
	CHECK_INT(r.yaml.n, 5);
}

/* ---- fm_parse_yaml: kinds ---------------------------------------------- */

static void test_kinds(void)
{
	struct fm_node *root = parse(
	    "title: 第1回 オンライン情報交換会\n"
	    "number: 1\n"
	    "quoted: \"123\"\n"
	    "single: 'it''s'\n"
	    "code: !code x\n"
	    "themes: [生活困窮, コロナ]\n"
	    "images:\n"
	    "  - src: a.jpg\n"
	    "    alt: 写真\n"
	    "empty:\n"
	    "block: |\n"
	    "  line 1\n"
	    "  line 2\n");
	CHECK(root != NULL);
	if (!root)
		return;
	CHECK_INT(root->kind, FM_MAP);
	CHECK_INT(root->n, 9);

	struct fm_node *v = fm_get(root, "title");
	CHECK(v && v->kind == FM_SCALAR);
	CHECK_STR(v ? v->str : NULL, "第1回 オンライン情報交換会");
	CHECK_INT(v ? v->len : 0, strlen("第1回 オンライン情報交換会"));
	CHECK(v && v->plain && v->tag == NULL);

	v = fm_get(root, "number");
	CHECK_STR(v ? v->str : NULL, "1");
	CHECK(v && v->plain);

	v = fm_get(root, "quoted");
	CHECK_STR(v ? v->str : NULL, "123");
	CHECK(v && !v->plain);

	v = fm_get(root, "single");
	CHECK_STR(v ? v->str : NULL, "it's");
	CHECK(v && !v->plain);

	v = fm_get(root, "code");
	CHECK_STR(v ? v->tag : NULL, "!code");
	CHECK_STR(v ? v->str : NULL, "x");

	v = fm_get(root, "themes");
	CHECK(v && v->kind == FM_SEQ && v->n == 2);
	if (v && v->n == 2) {
		CHECK_STR(v->items[0]->str, "生活困窮");
		CHECK_STR(v->items[1]->str, "コロナ");
	}

	v = fm_get(root, "images");
	CHECK(v && v->kind == FM_SEQ && v->n == 1);
	if (v && v->n == 1) {
		struct fm_node *img = v->items[0];
		CHECK_INT(img->kind, FM_MAP);
		CHECK_INT(img->n, 2);
		CHECK_STR(fm_get(img, "alt") ? fm_get(img, "alt")->str : NULL,
		          "写真");
	}

	v = fm_get(root, "empty");
	CHECK(v && v->kind == FM_SCALAR && v->len == 0 && v->plain);
	CHECK_STR(v ? v->str : NULL, "");

	v = fm_get(root, "block");
	CHECK_STR(v ? v->str : NULL, "line 1\nline 2\n");
	CHECK(v && !v->plain);

	CHECK(fm_get(root, "missing") == NULL);
	CHECK(fm_get(root, "titl") == NULL);
	CHECK(fm_get(fm_get(root, "themes"), "x") == NULL); /* not a map */
	CHECK(fm_get(NULL, "x") == NULL);

	/* Many keys: the items array grows past its first block. */
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "k%d: %d\n", i, i * 2);
	root = parse(b.data);
	buf_free(&b);
	CHECK(root && root->n == 100);
	CHECK_STR(fm_get(root, "k99") ? fm_get(root, "k99")->str : NULL, "198");
	CHECK_STR(fm_get(root, "k0") ? fm_get(root, "k0")->str : NULL, "0");
}

static void test_empty(void)
{
	const char *cases[] = { "", "\n\n", "# only a comment\n  # another\n",
	                        "---\n", "---\n...\n" };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct fm_node *root = parse(cases[i]);
		CHECK(root && root->kind == FM_MAP && root->n == 0);
	}

	/* A non-map root is returned as it is: model.c decides. */
	struct fm_node *root = parse("- a\n- b\n");
	CHECK(root && root->kind == FM_SEQ && root->n == 2);
	root = parse("just text");
	CHECK(root && root->kind == FM_SCALAR);
	CHECK_STR(root ? root->str : NULL, "just text");
}

/* ---- positions --------------------------------------------------------- */

static void test_positions(void)
{
	/* As if the YAML started at file line 2 (after "---"). */
	struct fm_node *root = parse_at(
	    "title: x\n"
	    "テーマ: [生活困窮, コロナ]\n"
	    "images:\n"
	    "  - src: a.jpg\n"
	    "    alt: 写真\n", 2);
	CHECK(root != NULL);
	if (!root)
		return;
	CHECK_INT(root->line, 2);
	CHECK_INT(root->col, 1);

	CHECK_INT(root->items[0]->line, 2); /* the key "title" */
	CHECK_INT(root->items[0]->col, 1);
	CHECK_INT(fm_get(root, "title")->line, 2);
	CHECK_INT(fm_get(root, "title")->col, 8);

	/* Columns count code points: "テーマ: [" is 6 of them. */
	struct fm_node *t = fm_get(root, "テーマ");
	CHECK(t && t->n == 2);
	if (t && t->n == 2) {
		CHECK_INT(t->line, 3);
		CHECK_INT(t->col, 6);
		CHECK_INT(t->items[0]->col, 7);
		CHECK_INT(t->items[1]->line, 3);
		CHECK_INT(t->items[1]->col, 13); /* after "生活困窮, " */
	}

	struct fm_node *imgs = fm_get(root, "images");
	CHECK(imgs && imgs->n == 1);
	if (imgs && imgs->n == 1) {
		CHECK_INT(imgs->line, 5);
		CHECK_INT(imgs->col, 3);
		struct fm_node *alt = fm_get(imgs->items[0], "alt");
		CHECK(alt != NULL);
		CHECK_INT(alt ? alt->line : 0, 6);
		CHECK_INT(alt ? alt->col : 0, 10);
	}

	/* CRLF line ends and a BOM do not shift columns. */
	root = parse("\xEF\xBB\xBF" "a: 1\r\nbb: 日本\r\nc: 2\r\n");
	CHECK(root && root->n == 3);
	if (root && root->n == 3) {
		CHECK_INT(root->items[0]->col, 1);
		CHECK_INT(fm_get(root, "bb")->line, 2);
		CHECK_INT(fm_get(root, "bb")->col, 5);
		CHECK_INT(fm_get(root, "c")->line, 3);
		CHECK_INT(fm_get(root, "c")->col, 4);
	}

	/* U+2028 is a line break for libyaml, not for editors: lines count
	 * "\n" only. */
	root = parse("a: \"x\xE2\x80\xA8y\"\nb: 2\n");
	CHECK(root && root->n == 2);
	if (root && root->n == 2) {
		CHECK_INT(fm_get(root, "b")->line, 2);
		CHECK_INT(fm_get(root, "b")->col, 4);
	}
}

/* ---- errors ------------------------------------------------------------ */

static void test_syntax_errors(void)
{
	parse_err("title: a: b\n", "YAML: mapping values are not allowed in this "
	          "context", 1, 9);
	CHECK(D.n && D.v[0].hint && strstr(D.v[0].hint, "quoted"));

	/* Position in code points, shifted by first_line. */
	struct fm_node *root = parse_at("a: 1\nタイトル: 第1回: x\n", 2);
	CHECK(root == NULL);
	CHECK_DIAG("YAML: mapping values are not allowed in this context", 3, 10);

	parse_err("a: 1\n\tb: 2\n", "YAML: found a tab character that violates "
	          "indentation", 2, 1);
	CHECK(D.n && D.v[0].hint && strstr(D.v[0].hint, "tabs"));
	parse_err("a: 1\n@b: 2\n", "YAML: found character that cannot start "
	          "any token", 2, 1);
	CHECK(D.n && D.v[0].hint && strstr(D.v[0].hint, "tabs"));

	parse_err("a: [1, 2\n", "YAML: did not find expected ',' or ']'", 2, 1);

	parse_err("a: \"open\n", "YAML: found unexpected end of stream", 2, 1);

	parse_err("a:\n  - x\n  y: 2\n", "YAML: did not find expected '-' "
	          "indicator", 3, 3);
	CHECK(D.n && D.v[0].hint && strstr(D.v[0].hint, "indentation"));
	parse_err("a: 1\n b: 2\n", "YAML: mapping values are not allowed in this "
	          "context", 2, 3);

	/* A control character: libyaml's reader error, placed by byte. */
	parse_err("a: 1\nb: x\x01y\n", "YAML: control characters are not "
	          "allowed", 2, 5);
}

static void test_semantic_errors(void)
{
	parse_err("title: a\ndate: 2020\ntitle: b\n",
	          "duplicate key \"title\" (first at line 1)", 3, 1);
	/* Quoting does not make a different key. */
	parse_err("a: 1\n\"a\": 2\n", "duplicate key \"a\" (first at line 1)", 2, 1);
	/* Duplicates are found at any depth, with first_line applied. */
	struct fm_node *root = parse_at("x:\n  k: 1\n  j: 2\n  k: 3\n", 2);
	CHECK(root == NULL);
	CHECK_DIAG("duplicate key \"k\" (first at line 3)", 5, 3);
	/* Every duplicate is reported, not only the first. */
	root = parse("a: 1\na: 2\nb: 1\nb: 2\n");
	CHECK(root == NULL);
	CHECK_INT(D.errors, 2);
	/* Not duplicates: same key in two different maps. */
	root = parse("- k: 1\n- k: 2\n");
	CHECK(root && root->n == 2);

	parse_err("[a, b]: 1\n", "a key must be text, not a list", 1, 1);
	parse_err("? {a: 1}\n: 2\n", "a key must be text, not a map", 1, 3);

	parse_err("a: &x 1\nb: *x\n", "YAML anchors and aliases are not supported",
	          1, 4);
	parse_err("a: &x [1]\n", "YAML anchors and aliases are not supported", 1, 4);
	parse_err("base: &b\n  k: 1\n", "YAML anchors and aliases are not "
	          "supported", 1, 7);
	parse_err("a: *x\n", "YAML anchors and aliases are not supported", 1, 4);

	parse_err("a: 1\n---\nb: 2\n", "only one YAML document is allowed in the "
	          "front matter", 2, 1);

	/* NUL bytes, raw or escaped. */
	reset();
	struct fm_node *out = (struct fm_node *)1;
	CHECK_INT(fm_parse_yaml(A, "a: 1\nb: x\0y\n", 12, "f.md", 1, &D, &out), -1);
	CHECK(out == NULL);
	CHECK_DIAG("a NUL byte is not allowed in the front matter", 2, 5);
	parse_err("a: \"x\\0y\"\n", "a NUL character (\\0) is not allowed in a "
	          "value", 1, 4);

	/* Invalid UTF-8 given straight to fm_parse_yaml. */
	parse_err("a: 日本\nb: \xE6\x97\n", "the file is not valid UTF-8", 2, 4);
}

static void test_deep_nesting(void)
{
	char s[1024];
	size_t i = 0;
	s[i++] = 'a';
	s[i++] = ':';
	s[i++] = ' ';
	for (int k = 0; k < 200; k++)
		s[i++] = '[';
	s[i] = '\0';
	parse_err(s, "the YAML is nested too deeply (more than 64 levels)", 1, 67);

	/* 64 levels is allowed (the root map plus 63 lists). */
	i = 3;
	for (int k = 0; k < 63; k++)
		s[i++] = '[';
	for (int k = 0; k < 63; k++)
		s[i++] = ']';
	s[i] = '\0';
	struct fm_node *root = parse(s);
	CHECK(root != NULL);
	struct fm_node *v = fm_get(root, "a");
	int depth = 1;
	while (v && v->kind == FM_SEQ) {
		depth++;
		v = v->n ? v->items[0] : NULL;
	}
	CHECK_INT(depth, 64);

	/* Block nesting, too. */
	struct buf b;
	buf_init(&b);
	for (int k = 0; k < 100; k++) {
		for (int j = 0; j < k; j++)
			buf_puts(&b, " ");
		buf_puts(&b, "k:\n");
	}
	root = parse(b.data);
	buf_free(&b);
	CHECK(root == NULL);
	CHECK_INT(D.errors, 1);
}

/* Malformed inputs must give an error or a tree, never a crash or a leak
 * (this file runs under valgrind). */
static void test_hostile(void)
{
	const char *cases[] = {
		"[", "{", "]", "}", ":", "- - - -", "? ? ?", "a: |\n x\n y",
		"%YAML 1.1\n%YAML 1.1\n---\na: 1", "!<tag:x> a", "a: !!binary x",
		"'", "\"\\x\"", "a:\n- b\n-c: d", "&a", "*a", "a: [&x 1, *x]",
		"{a: 1, a: 2}", "{[a]: 1}", "- !foo\n  - 1", "\xEF\xBB\xBF",
		"...", "--- a\n--- b", "a: {b: [c, {d: e}]}\n",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct fm_node *root = (struct fm_node *)1;
		reset();
		int rc = fm_parse_yaml(A, cases[i], strlen(cases[i]), "f.md", 1,
		                       &D, &root);
		CHECK(rc == 0 ? root != NULL && D.errors == 0
		              : root == NULL && D.errors >= 1);
		for (size_t j = 0; j < D.n; j++)
			CHECK(D.v[j].line >= 1 && D.v[j].col >= 1);
	}
}

int main(void)
{
	A = arena_new();
	diags_init(&D);
	test_split();
	test_split_errors();
	test_kinds();
	test_empty();
	test_positions();
	test_syntax_errors();
	test_semantic_errors();
	test_deep_nesting();
	test_hostile();
	diags_free(&D);
	arena_free(A);
	return harness_done("frontmatter");
}
