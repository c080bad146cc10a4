/* test_source.c — the three kinds of source against a fixture repository
 * made by tests/fixtures/mkrepo.sh (see the list of its files there): the
 * working tree, commits at a ref, a bare clone, and plain directories.
 * Blob ids are checked against git itself. Runs from the repository root. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "harness.h"
#include "source.h"
#include "util.h"

static char tmp[] = "/tmp/kura-test-source-XXXXXX";
static char *repo, *bare, *plain;

/* The first line a command prints, malloc'd ("" when none). */
static char *output(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *output(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = xvasprintf(fmt, ap);
	va_end(ap);
	char line[256] = "";
	FILE *f = popen(cmd, "r");
	if (f) {
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
		pclose(f);
	}
	free(cmd);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

static struct source *open_ok(const char *dir, const char *ref)
{
	struct diags d;
	struct source *s = NULL;
	diags_init(&d);
	CHECK_INT(source_open(&s, dir, ref, &d), 0);
	CHECK_INT(d.n, 0);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "  diag: %s\n", d.v[i].msg);
	diags_free(&d);
	return s;
}

/* The listing under prefix as "path\n" lines; NULL when it failed. */
static char *list_str(struct source *s, const char *prefix)
{
	struct diags d;
	struct source_list l;
	struct buf b;
	diags_init(&d);
	buf_init(&b);
	int rc = source_list(s, prefix, &l, &d);
	CHECK_INT(rc, 0);
	CHECK_INT(d.n, 0);
	for (size_t i = 0; i < l.n; i++)
		buf_printf(&b, "%s\n", l.v[i].path);
	source_list_free(&l);
	diags_free(&d);
	if (rc) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void check_list(struct source *s, const char *prefix, const char *want)
{
	char *got = list_str(s, prefix);
	CHECK_STR(got, want);
	free(got);
}

/* The id of path in the full listing, malloc'd, or NULL. */
static char *id_of(struct source *s, const char *path)
{
	struct diags d;
	struct source_list l;
	char *id = NULL;
	diags_init(&d);
	if (source_list(s, "", &l, &d) == 0) {
		for (size_t i = 0; i < l.n; i++)
			if (!strcmp(l.v[i].path, path))
				id = xstrdup(l.v[i].id);
		source_list_free(&l);
	}
	diags_free(&d);
	return id;
}

/* Every id of a disk listing equals `git hash-object` of the file. */
static void check_ids_on_disk(struct source *s, const char *dir)
{
	struct diags d;
	struct source_list l;
	diags_init(&d);
	CHECK_INT(source_list(s, "", &l, &d), 0);
	CHECK(l.n > 0);
	for (size_t i = 0; i < l.n; i++) {
		char *want = output("git hash-object '%s/%s'", dir, l.v[i].path);
		CHECK_STR(l.v[i].id, want);
		free(want);
	}
	source_list_free(&l);
	diags_free(&d);
}

/* Every id of a tree listing equals git's id for REV:path. */
static void check_ids_in_tree(struct source *s, const char *gitdir, const char *rev)
{
	struct diags d;
	struct source_list l;
	diags_init(&d);
	CHECK_INT(source_list(s, "", &l, &d), 0);
	CHECK(l.n > 0);
	for (size_t i = 0; i < l.n; i++) {
		char *want = output("git --git-dir='%s' rev-parse '%s:%s'", gitdir, rev, l.v[i].path);
		CHECK_STR(l.v[i].id, want);
		free(want);
	}
	source_list_free(&l);
	diags_free(&d);
}

/* Reads path expecting content want. */
static void check_read(struct source *s, const char *path, const char *want)
{
	struct diags d;
	char *data = NULL;
	size_t len = 99;
	diags_init(&d);
	CHECK_INT(source_read(s, path, &data, &len, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK_STR(data, want);
	CHECK_INT(len, want ? strlen(want) : 0);
	free(data);
	diags_free(&d);
}

/* Reads path expecting rc 1 (missing, nothing recorded) or -1 (an error
 * whose message contains msg). */
static void check_read_fails(struct source *s, const char *path, int want_rc, const char *msg)
{
	struct diags d;
	char *data = NULL;
	size_t len = 0;
	diags_init(&d);
	int rc = source_read(s, path, &data, &len, &d);
	if (rc != want_rc)
		fprintf(stderr, "  reading %s\n", path);
	CHECK_INT(rc, want_rc);
	CHECK(data == NULL);
	if (want_rc == 1) {
		CHECK_INT(d.n, 0);
	} else {
		CHECK_INT(d.n, 1);
		CHECK_INT(d.errors, 1);
		if (d.n && msg && !strstr(d.v[0].msg, msg)) {
			fprintf(stderr, "  %s: message \"%s\" lacks \"%s\"\n", path, d.v[0].msg, msg);
			CHECK(0);
		}
	}
	free(data);
	diags_free(&d);
}

/* Opening must fail with exactly one error, path "", message want. */
static void check_open_fails(const char *dir, const char *ref, const char *want)
{
	struct diags d;
	struct source *s = (struct source *)&d; /* must be reset to NULL */
	diags_init(&d);
	CHECK_INT(source_open(&s, dir, ref, &d), -1);
	CHECK(s == NULL);
	CHECK_INT(d.n, 1);
	if (d.n) {
		CHECK_STR(d.v[0].path, "");
		CHECK_STR(d.v[0].msg, want);
	}
	source_close(s);
	diags_free(&d);
}

static const char *const head_files =
	".gitignore\n"
	"content/keep.tmp\n"
	"content/pages/c.md\n"
	"content/sessions/a.md\n"
	"content/sessions/b.md\n"
	"content/site.yaml\n";

static void test_worktree(void)
{
	struct source *s = open_ok(repo, NULL);
	if (!s)
		return;
	CHECK_INT(source_kind(s), SOURCE_WORKTREE);
	char *want = xasprintf("working tree of %s", repo);
	CHECK_STR(source_describe(s), want);
	free(want);
	CHECK(source_repo(s) != NULL);
	CHECK(source_commit(s) == NULL);

	/* Not listed: the symlinks link.md and escape, the ignored notes.tmp
	 * and build/, the nested repository sub/, .git. Listed: keep.tmp
	 * (ignored pattern but tracked) and the untracked new.md. */
	check_list(s, "",
	           ".gitignore\n"
	           "content/keep.tmp\n"
	           "content/new.md\n"
	           "content/pages/c.md\n"
	           "content/sessions/a.md\n"
	           "content/sessions/b.md\n"
	           "content/site.yaml\n");
	check_list(s, "content/sessions", "content/sessions/a.md\ncontent/sessions/b.md\n");
	check_list(s, "content/sessions/", "content/sessions/a.md\ncontent/sessions/b.md\n");
	check_list(s, "content/nope", "");
	check_list(s, "content/site.yaml", "");
	check_list(s, "content/escape", "");
	check_list(s, "content/sub", "");
	check_list(s, "build", "");
	check_list(s, ".git", "");
	check_ids_on_disk(s, repo);

	check_read(s, "content/sessions/b.md", "b edited\n"); /* the uncommitted edit */
	check_read(s, "content/sessions/a.md", "a2\n");
	check_read(s, "content/new.md", "new\n");
	check_read(s, "content/keep.tmp", "kept\n");
	check_read_fails(s, "content/nope.md", 1, NULL);
	check_read_fails(s, "content/site.yaml/x", 1, NULL);
	check_read_fails(s, "content/notes.tmp", 1, NULL);   /* ignored */
	check_read_fails(s, "build/out.html", 1, NULL);      /* ignored directory */
	check_read_fails(s, "content/sub/s.md", 1, NULL);    /* nested repository */
	check_read_fails(s, ".git/config", 1, NULL);
	check_read_fails(s, "content/link.md", -1, "symbolic link");
	check_read_fails(s, "content/escape/etc/passwd", -1, "symbolic link");
	check_read_fails(s, "content/sessions", -1, "not a regular file");
	check_read_fails(s, "../outside", -1, "refused");
	check_read_fails(s, "content/../content/site.yaml", -1, "refused");
	check_read_fails(s, "/etc/passwd", -1, "refused");
	check_read_fails(s, "content//site.yaml", -1, "refused");
	check_read_fails(s, "", -1, "refused");

	struct diags d;
	struct source_list l = {NULL, 7};
	diags_init(&d);
	CHECK_INT(source_list(s, "../x", &l, &d), -1);
	CHECK_INT(l.n, 0);
	CHECK_INT(d.errors, 1);
	diags_free(&d);
	source_close(s);
}

static void test_tree_at_main(void)
{
	struct source *s = open_ok(repo, "main");
	struct source *w = open_ok(repo, NULL);
	char *gitdir = xasprintf("%s/.git", repo);
	char *head = output("git --git-dir='%s' rev-parse main", gitdir);
	if (!s || !w)
		goto done;
	CHECK_INT(source_kind(s), SOURCE_TREE);
	char *want = xasprintf("commit %.7s (main) of %s", head, repo);
	CHECK_STR(source_describe(s), want);
	free(want);
	CHECK_STR(source_commit(s), head);
	CHECK(source_repo(s) != NULL);

	/* No symlink, no submodule, no untracked file. */
	check_list(s, "", head_files);
	check_list(s, "content/pages", "content/pages/c.md\n");
	check_list(s, "content/pages/", "content/pages/c.md\n");
	check_list(s, "content/nope", "");
	check_list(s, "content/site.yaml", "");
	check_list(s, "content/sub", "");
	check_ids_in_tree(s, gitdir, "main");

	/* An unchanged file has the same id in the working tree and the
	 * commit; the edited one does not. */
	char *wa = id_of(w, "content/sessions/a.md"), *ta = id_of(s, "content/sessions/a.md");
	char *wb = id_of(w, "content/sessions/b.md"), *tb = id_of(s, "content/sessions/b.md");
	CHECK_STR(wa, ta);
	CHECK(wb && tb && strcmp(wb, tb) != 0);
	free(wa);
	free(ta);
	free(wb);
	free(tb);

	check_read(s, "content/sessions/b.md", "b\n"); /* not the uncommitted edit */
	check_read(s, "content/sessions/a.md", "a2\n");
	check_read(s, "content/keep.tmp", "kept\n");
	check_read(s, ".gitignore", "*.tmp\nbuild/\n");
	check_read_fails(s, "content/new.md", 1, NULL);
	check_read_fails(s, "content/nope.md", 1, NULL);
	check_read_fails(s, "content/site.yaml/x", 1, NULL);
	check_read_fails(s, "content/sub/s.md", 1, NULL);
	check_read_fails(s, "content/sub", -1, "not a regular file");
	check_read_fails(s, "content/sessions", -1, "not a regular file");
	check_read_fails(s, "content/link.md", -1, "symbolic link");
	check_read_fails(s, "../x", -1, "refused");
	check_read_fails(s, "/content/site.yaml", -1, "refused");
done:
	source_close(s);
	source_close(w);
	free(head);
	free(gitdir);
}

static void test_tree_at_v1(void)
{
	struct source *s = open_ok(repo, "v1");
	char *gitdir = xasprintf("%s/.git", repo);
	char *commit = output("git --git-dir='%s' rev-parse 'v1^{commit}'", gitdir);
	if (!s)
		goto done;
	CHECK_INT(source_kind(s), SOURCE_TREE);
	char *want = xasprintf("commit %.7s (v1) of %s", commit, repo);
	CHECK_STR(source_describe(s), want);
	free(want);
	CHECK_STR(source_commit(s), commit); /* the annotated tag peeled */
	check_list(s, "",
	           ".gitignore\n"
	           "content/sessions/a.md\n"
	           "content/sessions/b.md\n"
	           "content/site.yaml\n");
	check_ids_in_tree(s, gitdir, "v1");
	check_read(s, "content/sessions/a.md", "a1\n");
	check_read_fails(s, "content/pages/c.md", 1, NULL);
done:
	source_close(s);
	free(commit);
	free(gitdir);
}

static void test_bare(void)
{
	struct source *s = open_ok(bare, NULL);
	char *head = output("git --git-dir='%s' rev-parse HEAD", bare);
	if (!s)
		goto done;
	CHECK_INT(source_kind(s), SOURCE_TREE);
	char *want = xasprintf("commit %.7s (HEAD) of %s", head, bare);
	CHECK_STR(source_describe(s), want);
	free(want);
	check_list(s, "", head_files);
	check_ids_in_tree(s, bare, "HEAD");
	check_read(s, "content/sessions/a.md", "a2\n");
	check_read(s, "content/sessions/b.md", "b\n");
	check_read_fails(s, "content/nope.md", 1, NULL);
	source_close(s);

	s = open_ok(bare, "v1");
	if (!s)
		goto done;
	check_read(s, "content/sessions/a.md", "a1\n");
done:
	source_close(s);
	free(head);
}

/* repo/.git given by its own path is read like a bare repository. */
static void test_git_dir(void)
{
	char *gitdir = xasprintf("%s/.git", repo);
	struct source *s = open_ok(gitdir, NULL);
	if (s) {
		CHECK_INT(source_kind(s), SOURCE_TREE);
		check_list(s, "", head_files);
		check_read(s, "content/sessions/b.md", "b\n");
	}
	source_close(s);
	free(gitdir);
}

static void test_open_errors(void)
{
	char *msg = xasprintf("--ref nope: no such revision in %s", repo);
	check_open_fails(repo, "nope", msg);
	free(msg);
	msg = xasprintf("--ref main~5: no such revision in %s", repo);
	check_open_fails(repo, "main~5", msg);
	free(msg);
	msg = xasprintf("--ref v1:content: not a commit in %s", repo);
	check_open_fails(repo, "v1:content", msg);
	free(msg);
	msg = xasprintf("--ref nope: no such revision in %s", bare);
	check_open_fails(bare, "nope", msg);
	free(msg);
	msg = xasprintf("--ref main: %s is not a git repository", plain);
	check_open_fails(plain, "main", msg);
	free(msg);
	char *missing = xasprintf("%s/missing", tmp);
	msg = xasprintf("cannot open %s: No such file or directory", missing);
	check_open_fails(missing, NULL, msg);
	free(msg);
	free(missing);
	char *file = xasprintf("%s/content/site.yaml", repo);
	msg = xasprintf("cannot open %s: not a directory", file);
	check_open_fails(file, NULL, msg);
	free(msg);
	free(file);
}

static void test_plain_dir(void)
{
	struct source *s = open_ok(plain, NULL);
	if (s) {
		CHECK_INT(source_kind(s), SOURCE_DIR);
		char *want = xasprintf("directory %s", plain);
		CHECK_STR(source_describe(s), want);
		free(want);
		CHECK(source_repo(s) == NULL);
		CHECK(source_commit(s) == NULL);
		/* No ignore rules outside git: notes.tmp is content here. The
		 * symbolic link is not. */
		check_list(s, "",
		           "content/notes.tmp\n"
		           "content/sessions/a.md\n"
		           "content/sessions/b.md\n"
		           "content/site.yaml\n");
		check_list(s, "content/sessions", "content/sessions/a.md\ncontent/sessions/b.md\n");
		check_list(s, "nope", "");
		check_ids_on_disk(s, plain);
		check_read(s, "content/sessions/b.md", "b edited\n");
		check_read(s, "content/notes.tmp", "ignored\n");
		check_read_fails(s, "content/nope.md", 1, NULL);
		check_read_fails(s, "content/link.md", -1, "symbolic link");
		check_read_fails(s, "content/../../x", -1, "refused");
	}
	source_close(s);

	/* A directory inside a repository is a plain directory, with paths
	 * relative to it. */
	char *sub = xasprintf("%s/content/sessions", repo);
	s = open_ok(sub, NULL);
	if (s) {
		CHECK_INT(source_kind(s), SOURCE_DIR);
		check_list(s, "", "a.md\nb.md\n");
		check_read(s, "b.md", "b edited\n");
	}
	source_close(s);
	free(sub);
}

int main(void)
{
	if (git_sandbox(tmp) != 0)
		return 1;
	repo = xasprintf("%s/repo", tmp);
	bare = xasprintf("%s/bare.git", tmp);
	plain = xasprintf("%s/plain", tmp);
	int made = sh("sh tests/fixtures/mkrepo.sh '%s'", repo) == 0 &&
	           sh("git clone -q --bare '%s' '%s'", repo, bare) == 0 &&
	           sh("mkdir -p '%s/content' && cp -R '%s/content/sessions' '%s/content/site.yaml' "
	              "'%s/content/notes.tmp' '%s/content/' && ln -s sessions/b.md '%s/content/link.md'",
	              plain, repo, repo, repo, plain, plain) == 0;
	CHECK(made);
	if (made) {
		test_worktree();
		test_tree_at_main();
		test_tree_at_v1();
		test_bare();
		test_git_dir();
		test_open_errors();
		test_plain_dir();
	}
	sh("rm -rf '%s'", tmp);
	free(repo);
	free(bare);
	free(plain);
	return harness_done("source");
}
