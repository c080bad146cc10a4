/* test_history.c — the one walk of history (history.h) against the
 * repository made by tests/fixtures/mkhistory.sh (its header lists the
 * commits): created and updated dates across an edit, a rename and a
 * merge; authors without e-mail addresses; a working tree with an
 * uncommitted edit and an untracked file; a ref; a shallow clone (one
 * warning); a plain directory (nothing); and the time arithmetic. Runs
 * from the repository root. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "harness.h"
#include "history.h"
#include "source.h"
#include "util.h"

static char tmp[] = "/tmp/kura-test-history-XXXXXX";

/* Epoch seconds of the fixture's commits. */
#define T1 1579050000LL /* 2020-01-15T10:00:00+09:00 */
#define T2 1622590200LL /* 2021-06-01T23:30:00+00:00 */
#define TS 1641772800LL /* 2022-01-10T09:00:00+09:00, the side branch */
#define T3 1643770800LL /* 2022-02-02T12:00:00+09:00, the merge */

static struct history *open_at(const char *dir, const char *ref, long long now,
                               struct diags *d)
{
	struct source *s = NULL;
	struct history *h = NULL;
	if (source_open(&s, dir, ref, d) == 0)
		history_open(&h, s, "content", now, d);
	source_close(s);
	return h;
}

static void check_dates(const struct history *h, const char *path, long long created,
                        long long updated)
{
	struct history_dates hd;
	int got = history_get(h, path, &hd);
	CHECK(got);
	if (got) {
		CHECK_INT(hd.created, created);
		CHECK_INT(hd.updated, updated);
	}
}

static void test_committed(const char *repo)
{
	struct diags d;
	diags_init(&d);
	struct history *h = open_at(repo, "main", -1, &d);
	CHECK(h != NULL);
	CHECK_INT(d.n, 0);
	if (h) {
		CHECK_INT(strlen(history_commit(h)), 40);
		check_dates(h, "content/sessions/2020/a.md", T1, T2);
		/* Renamed in commit 2: created follows it back to commit 1. */
		check_dates(h, "content/sessions/2020/c.md", T1, T2);
		/* Added on a side branch, merged later. */
		check_dates(h, "content/pages/about.md", TS, T3);
		check_dates(h, "content/site.yaml", T1, T1);
		struct history_dates hd;
		CHECK(!history_get(h, "content/sessions/2020/b.md", &hd));
		CHECK(history_get(h, "content/sessions/2020/a.md", &hd));
		CHECK_INT(hd.nauthors, 2);
		if (hd.nauthors == 2) {
			CHECK_STR(hd.authors[0], "Alice");
			CHECK_STR(hd.authors[1], "Bob");
		}
		/* A merge is nobody's authorship. */
		CHECK(history_get(h, "content/pages/about.md", &hd));
		CHECK_INT(hd.nauthors, 1);
		if (hd.nauthors == 1)
			CHECK_STR(hd.authors[0], "Carol");
	}
	history_free(h);
	/* At the first commit: b.md exists, everything dated T1. */
	h = open_at(repo, "HEAD~2", -1, &d);
	CHECK(h != NULL);
	if (h) {
		check_dates(h, "content/sessions/2020/b.md", T1, T1);
		check_dates(h, "content/sessions/2020/a.md", T1, T1);
	}
	history_free(h);
	diags_free(&d);
}

static void test_worktree(const char *repo)
{
	struct diags d;
	diags_init(&d);
	CHECK(sh("printf '\\nまだ commit していない。\\n' >>'%s/content/sessions/2020/c.md' && "
	         "printf -- '---\\ntitle: new\\n---\\n' >'%s/content/pages/new.md'",
	         repo, repo) == 0);
	struct history *h = open_at(repo, NULL, -1, &d);
	CHECK(h != NULL);
	CHECK_INT(d.n, 0);
	if (h) {
		/* The uncommitted edit and the new file take HEAD's time. */
		check_dates(h, "content/sessions/2020/c.md", T1, T3);
		check_dates(h, "content/pages/new.md", T3, T3);
		check_dates(h, "content/sessions/2020/a.md", T1, T2);
	}
	history_free(h);
	/* ...or SOURCE_DATE_EPOCH when given. */
	h = open_at(repo, NULL, 2000000000LL, &d);
	if (h) {
		check_dates(h, "content/pages/new.md", 2000000000LL, 2000000000LL);
		check_dates(h, "content/sessions/2020/a.md", T1, T2);
	}
	history_free(h);
	diags_free(&d);
	CHECK(sh("cd '%s' && git checkout -q -- . && rm content/pages/new.md", repo) == 0);
}

static void test_shallow(const char *repo, const char *dir)
{
	struct diags d;
	diags_init(&d);
	CHECK(sh("git clone -q --depth 1 'file://%s' '%s' 2>/dev/null", repo, dir) == 0);
	struct history *h = open_at(dir, NULL, -1, &d);
	CHECK(h != NULL);
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 1);
	if (d.n == 1)
		CHECK(d.v[0].hint && strstr(d.v[0].hint, "git fetch --unshallow"));
	if (h) {
		/* Only the merge is there: every date falls back to it. */
		check_dates(h, "content/sessions/2020/a.md", T3, T3);
		check_dates(h, "content/pages/about.md", T3, T3);
	}
	history_free(h);
	diags_free(&d);
}

static void test_plain(const char *dir)
{
	struct diags d;
	diags_init(&d);
	CHECK(sh("mkdir -p '%s/content' && printf 'title: x\\n' >'%s/content/site.yaml'", dir,
	         dir) == 0);
	struct history *h = open_at(dir, NULL, -1, &d);
	CHECK(h != NULL);
	CHECK_INT(d.n, 0);
	struct history_dates hd;
	CHECK(!history_get(h, "content/site.yaml", &hd));
	CHECK(history_commit(h) == NULL);
	history_free(h);
	diags_free(&d);
}

int main(void)
{
	if (git_sandbox(tmp) != 0)
		return 1;
	char *repo = xasprintf("%s/repo", tmp), *shallow = xasprintf("%s/shallow", tmp),
	     *plain = xasprintf("%s/plain", tmp);
	int made = sh("sh tests/fixtures/mkhistory.sh '%s'", repo) == 0;
	CHECK(made);
	if (made) {
		test_committed(repo);
		test_worktree(repo);
		test_shallow(repo, shallow);
		test_plain(plain);
	}
	sh("rm -rf '%s'", tmp);
	free(repo);
	free(shallow);
	free(plain);
	return harness_done("history");
}
