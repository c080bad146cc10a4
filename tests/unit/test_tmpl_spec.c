/* test_tmpl_spec.c — runs the official Mustache specification against
 * tmpl.c. Each case of the spec's YAML files (read with libyaml through
 * fm_parse_yaml) becomes a template set: its partials are added by name,
 * its data becomes a struct value tree, and the rendered template must equal
 * the expected text byte for byte. Every case counts once in the summary
 * line; a failing case prints its file, name, and both texts.
 *
 * The spec directory comes from MUSTACHE_SPEC_DIR, else
 * ../shared/mustache-spec/specs (tests run from the repository root). A
 * missing directory, an unreadable or empty spec file, or no case at all
 * counts as a failure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "diag.h"
#include "frontmatter.h"
#include "harness.h"
#include "tmpl.h"
#include "util.h"
#include "value.h"

static const char *const spec_files[] = {
	"comments.yml", "delimiters.yml", "interpolation.yml", "inverted.yml",
	"partials.yml", "sections.yml", "~inheritance.yml", "~dynamic-names.yml",
};

/* The name the case's template is added under; no spec partial uses it. */
#define MAIN "(spec template)"

static int is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int is_float(const char *s, double *out)
{
	char *end;
	if (!*s || strchr("0123456789+-.", *s) == NULL)
		return 0;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && errno == 0;
}

/* YAML's core schema for plain scalars: booleans, null, integers and
 * floats; everything else (and every quoted scalar) is a string. A float
 * becomes the string of its shortest round-trip form, which is how the
 * spec expects 1.210 to print ("1.21"). */
static struct value *to_value(struct arena *a, const struct fm_node *n)
{
	struct value *v;
	switch (n->kind) {
	case FM_MAP:
		v = value_map(a);
		for (size_t i = 0; i < n->n; i++)
			value_setn(a, v, n->items[2 * i]->str, n->items[2 * i]->len,
			           to_value(a, n->items[2 * i + 1]));
		return v;
	case FM_SEQ:
		v = value_list(a);
		for (size_t i = 0; i < n->n; i++)
			value_push(a, v, to_value(a, n->items[i]));
		return v;
	case FM_SCALAR:
		break;
	}
	const char *s = n->str;
	if (!n->plain)
		return value_strn(a, s, n->len);
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return value_bool(a, 1);
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return value_bool(a, 0);
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	    !strcmp(s, "NULL"))
		return value_str(a, NULL);
	if (is_int(s))
		return value_int(a, strtoll(s, NULL, 10));
	double f;
	if (is_float(s, &f)) {
		for (int prec = 1; prec <= 17; prec++) {
			char *t = arena_printf(a, "%.*g", prec, f);
			if (strtod(t, NULL) == f)
				return value_str(a, t);
		}
	}
	return value_strn(a, s, n->len);
}

/* Prints s with newlines and tabs visible, for failure reports. */
static void show(const char *s)
{
	fputc('"', stderr);
	for (; *s; s++) {
		switch (*s) {
		case '\n': fputs("\\n", stderr); break;
		case '\r': fputs("\\r", stderr); break;
		case '\t': fputs("\\t", stderr); break;
		default: fputc(*s, stderr);
		}
	}
	fputc('"', stderr);
}

static void run_case(const char *file, const struct fm_node *tc, struct arena *a)
{
	const struct fm_node *name = fm_get(tc, "name");
	const struct fm_node *data = fm_get(tc, "data");
	const struct fm_node *tmpl = fm_get(tc, "template");
	const struct fm_node *partials = fm_get(tc, "partials");
	const struct fm_node *expected = fm_get(tc, "expected");
	const char *cname = name && name->kind == FM_SCALAR ? name->str : "(unnamed)";
	if (!tmpl || tmpl->kind != FM_SCALAR || !expected || expected->kind != FM_SCALAR) {
		fprintf(stderr, "%s: %s: malformed case\n", file, cname);
		harness_record(0);
		return;
	}

	struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
	struct diags d;
	struct buf out;
	diags_init(&d);
	buf_init(&out);
	if (partials && partials->kind == FM_MAP)
		for (size_t i = 0; i < partials->n; i++)
			tmpl_set_add(set, partials->items[2 * i]->str, partials->items[2 * i + 1]->str,
			             partials->items[2 * i + 1]->len, partials->items[2 * i]->str);
	tmpl_set_add(set, MAIN, tmpl->str, tmpl->len, cname);
	const struct value *v = data ? to_value(a, data) : NULL;
	int rc = tmpl_render(set, MAIN, v, &out, &d);
	int ok = rc == 0 && d.n == 0 && out.len == expected->len &&
	         memcmp(out.data, expected->str, out.len) == 0;
	harness_record(ok);
	if (!ok) {
		fprintf(stderr, "%s: %s: FAILED\n  expected ", file, cname);
		show(expected->str);
		fputs("\n  got      ", stderr);
		show(out.data);
		fputc('\n', stderr);
		if (d.n)
			diags_print(&d, stderr);
	}
	buf_free(&out);
	diags_free(&d);
	tmpl_set_free(set);
}

static void run_file(const char *dir, const char *file)
{
	char *path = xasprintf("%s/%s", dir, file);
	char *text = NULL;
	size_t len = 0;
	struct arena *a = arena_new();
	struct diags d;
	struct fm_node *root = NULL;
	diags_init(&d);
	if (file_read(path, &text, &len) < 0) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		harness_record(0);
		goto done;
	}
	if (fm_parse_yaml(a, text, len, path, 1, &d, &root) < 0) {
		diags_print(&d, stderr);
		harness_record(0);
		goto done;
	}
	const struct fm_node *tests = fm_get(root, "tests");
	if (!tests || tests->kind != FM_SEQ || tests->n == 0) {
		fprintf(stderr, "%s: no tests\n", path);
		harness_record(0);
		goto done;
	}
	for (size_t i = 0; i < tests->n; i++)
		run_case(file, tests->items[i], a);
done:
	diags_free(&d);
	arena_free(a);
	free(text);
	free(path);
}

int main(void)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	if (!dir || !*dir)
		dir = "../shared/mustache-spec/specs";
	struct stat st;
	/* A missing spec is a failure, not a skip: a suite that checks
	 * nothing must not look green. */
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "mustache spec: no spec directory at %s (set MUSTACHE_SPEC_DIR, or "
		        "put the spec in ../shared/mustache-spec)\n", dir);
		harness_record(0);
		return harness_done("mustache spec");
	}
	for (size_t i = 0; i < sizeof spec_files / sizeof spec_files[0]; i++)
		run_file(dir, spec_files[i]);
	if (harness_pass + harness_fail == 0) {
		fprintf(stderr, "mustache spec: no case found in %s\n", dir);
		harness_record(0);
	}
	return harness_done("mustache spec");
}
