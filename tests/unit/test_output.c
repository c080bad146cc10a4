/* test_output.c — the output table: the site is listed without rendering
 * (the plan of the mini fixture names exactly the files of its golden
 * site), each file's inputs name what it reads, a free page may not take
 * a name the table uses, and rendering with 1 and 4 threads gives the
 * same diagnostics and statistics. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "index.h"
#include "model.h"
#include "output.h"
#include "source.h"
#include "theme.h"
#include "util.h"

#define MINI "tests/fixtures/mini"
#define GOLDEN "tests/golden/mini"

struct built {
	struct diags d;
	struct source *src;
	struct model *m;
	struct index *ix;
	struct theme *t;
	struct output_plan *plan;
};

static int open_site(struct built *s, const char *repo)
{
	memset(s, 0, sizeof *s);
	diags_init(&s->d);
	if (source_open(&s->src, repo, NULL, &s->d) != 0 ||
	    model_load(&s->m, s->src, 0, &s->d) != 0 || index_build(&s->ix, s->m, &s->d) != 0 ||
	    theme_open(&s->t, s->src, s->m->site.theme, &s->d) != 0)
		return -1;
	return output_plan(&s->plan, s->m, s->ix, s->t, s->src, &s->d);
}

static void close_site(struct built *s)
{
	output_plan_free(s->plan);
	theme_close(s->t);
	index_free(s->ix);
	model_free(s->m);
	source_close(s->src);
	diags_free(&s->d);
}

/* Every file under dir (relative paths, sorted), the manifest left out. */
static void list_tree(const char *root, const char *rel, char ***v, size_t *n, size_t *cap)
{
	char *dir = xasprintf("%s/%s", root, rel);
	DIR *dh = opendir(dir);
	struct dirent *e;
	while (dh && (e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		char *r = *rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		char *full = xasprintf("%s/%s", root, r);
		struct stat st;
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			list_tree(root, r, v, n, cap);
			free(r);
		} else {
			VEC_PUSH(*v, *n, *cap, r);
		}
		free(full);
	}
	if (dh)
		closedir(dh);
	free(dir);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_plan_lists_the_golden_site(void)
{
	struct built s;
	CHECK(open_site(&s, MINI) == 0);
	char **want = NULL, **got = NULL;
	size_t nw = 0, cw = 0, ng = 0, cg = 0;
	list_tree(GOLDEN, "", &want, &nw, &cw);
	CHECK(nw > 20); /* the golden site is there */
	for (size_t i = 0; s.plan && i < output_count(s.plan); i++)
		VEC_PUSH(got, ng, cg, xstrdup(output_file(s.plan, i)->path));
	qsort(want, nw, sizeof *want, cmp_str);
	qsort(got, ng, sizeof *got, cmp_str);
	CHECK_INT(ng, nw);
	for (size_t i = 0; i < nw && i < ng; i++)
		CHECK_STR(got[i], want[i]);
	for (size_t i = 0; i < nw; i++)
		free(want[i]);
	for (size_t i = 0; i < ng; i++)
		free(got[i]);
	free(want);
	free(got);
	close_site(&s);
}

static const struct output_file *find(const struct output_plan *p, const char *path, size_t *at)
{
	for (size_t i = 0; i < output_count(p); i++)
		if (!strcmp(output_file(p, i)->path, path)) {
			*at = i;
			return output_file(p, i);
		}
	return NULL;
}

static int has_input(const struct output_inputs *in, enum output_input_kind k, const void *what)
{
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i].kind == k && in->v[i].what == what)
			return 1;
	return 0;
}

static void test_inputs(void)
{
	struct built s;
	if (open_site(&s, MINI) != 0) {
		CHECK(!"mini site opens");
		close_site(&s);
		return;
	}
	/* A session page reads its session, the previous one in its series,
	 * its theme groups, the site and the theme. */
	size_t at = 0;
	const struct session *sess = NULL;
	const struct session_rel *rel = NULL;
	for (size_t i = 0; i < s.m->nsessions && !sess; i++) {
		rel = index_rel(s.ix, s.m->sessions[i]);
		if (rel && rel->prev && rel->nthemes)
			sess = s.m->sessions[i];
	}
	CHECK(sess != NULL);
	if (sess) {
		struct buf b;
		buf_init(&b);
		buf_printf(&b, "sessions/%s/index.html", sess->slug);
		const struct output_file *f = find(s.plan, b.data, &at);
		CHECK(f != NULL);
		CHECK_STR(f ? output_file_kind(s.plan, at) : NULL, "session");
		struct output_inputs in = {NULL, 0, 0};
		if (f)
			output_file_inputs(s.plan, at, &in);
		CHECK(has_input(&in, INPUT_SITE, NULL));
		CHECK(has_input(&in, INPUT_THEME, NULL));
		CHECK(has_input(&in, INPUT_SESSION, sess));
		CHECK(has_input(&in, INPUT_SESSION, rel->prev));
		CHECK(has_input(&in, INPUT_GROUP, rel->themes[0]));
		CHECK(!has_input(&in, INPUT_SESSIONS, NULL)); /* not every session */
		free(in.v);
		buf_free(&b);
	}
	/* The home page reads every session; a media file only itself. */
	struct output_inputs in = {NULL, 0, 0};
	CHECK(find(s.plan, "index.html", &at) != NULL);
	output_file_inputs(s.plan, at, &in);
	CHECK(has_input(&in, INPUT_SESSIONS, NULL));
	free(in.v);
	memset(&in, 0, sizeof in);
	const struct output_file *mf = find(s.plan, "media/photo.svg", &at);
	CHECK(mf != NULL && mf->href == NULL);
	if (mf) {
		output_file_inputs(s.plan, at, &in);
		CHECK_INT(in.n, 2); /* the site, and the file */
		CHECK(in.n == 2 && in.v[1].kind == INPUT_MEDIA &&
		      !strcmp(in.v[1].what, "content/media/photo.svg"));
	}
	free(in.v);
	/* Pages have hrefs, percent-encoded; data files none. */
	const struct output_file *json = find(s.plan, "data/sessions.json", &at);
	CHECK(json != NULL && json->href == NULL);
	const struct output_file *home = find(s.plan, "index.html", &at);
	CHECK(home != NULL && home->href && !strcmp(home->href, ""));
	close_site(&s);
}

/* A free page named like a top-level name of the table is refused. */
static void test_reserved(void)
{
	char dir[] = "/tmp/kura-output-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *cmd = xasprintf("mkdir -p %s/content/pages && printf 'title: t\\nbase_url: /\\n' > "
	                      "%s/content/site.yaml && printf -- '---\\ntitle: x\\n---\\nbody\\n' > "
	                      "%s/content/pages/attendance.md",
	                      dir, dir, dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	struct built s;
	CHECK(open_site(&s, dir) == -1);
	CHECK(s.plan == NULL);
	CHECK_INT(s.d.errors, 1);
	CHECK(s.d.n == 1 && strstr(s.d.v[0].msg, "/attendance/ is taken by kura itself"));
	close_site(&s);
	cmd = xasprintf("rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
}

/* The same statistics for any number of render threads. */
static void test_threads(void)
{
	struct built s;
	if (open_site(&s, MINI) != 0) {
		CHECK(!"mini site opens");
		close_site(&s);
		return;
	}
	struct output_stats one, four;
	CHECK(output_write(s.plan, NULL, 1, &one, &s.d) == 0);
	CHECK(output_write(s.plan, NULL, 4, &four, &s.d) == 0);
	CHECK_INT(one.files, output_count(s.plan));
	CHECK_INT(four.files, one.files);
	CHECK_INT(four.pages, one.pages);
	CHECK(one.pages > 10 && one.pages < one.files);
	CHECK_INT(s.d.n, 0);
	close_site(&s);
}

int main(void)
{
	test_plan_lists_the_golden_site();
	test_inputs();
	test_reserved();
	test_threads();
	return harness_done("output");
}
