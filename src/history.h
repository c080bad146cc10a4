/* history.h — one walk of git history for the dates and contributors of
 * every content file.
 *
 * history_open walks the history of the commit a source builds (HEAD for a
 * working tree, the commit read for a ref or a bare repository) once, for
 * the whole site: each commit is diffed against its first parent (the empty
 * tree for a root commit), with rename detection, newest first. A file's
 * last-updated time is that of the newest commit that changed it; its
 * created time that of the commit that added it, following renames back to
 * where it was first added. Times are commit (committer) times, in seconds
 * since the epoch; date.h's date_of_time turns one into the site's zone.
 *
 *  - A working tree: HEAD's history. A file with uncommitted changes, or
 *    one git does not track yet, takes the build's "now" (below) as its
 *    last-updated time (and as its created time when untracked), so the
 *    same commit always gives the same dates.
 *  - A plain directory, or a repository without a commit: no history. No
 *    file has dates and nothing is recorded.
 *  - A shallow clone: the walk stops at the clone's oldest commits, which
 *    count as adding what they hold (so dates fall back to those commits'
 *    dates), and one warning says how to fetch the rest.
 *
 * The build's "now" is SOURCE_DATE_EPOCH when the caller passes it (>= 0),
 * else the built commit's time: nothing here reads the clock.
 *
 * Author names are kept (e-mail addresses are never read); whether they
 * reach the output is the caller's choice (site.yaml show_authors).
 */
#ifndef KURA_HISTORY_H
#define KURA_HISTORY_H

#include "date.h"
#include "diag.h"
#include "source.h"

struct history;

struct history_dates {
	long long created, updated;  /* seconds since 1970-01-01T00:00:00Z */
	/* Distinct author names of the commits that changed the file (merges
	 * left out), the earliest first; owned by the history. */
	const char *const *authors;
	size_t nauthors;
};

/* Walks the history of src's commit for the files under prefix (a
 * directory such as "content", no trailing slash). now: SOURCE_DATE_EPOCH,
 * or -1 for the built commit's time. On success *out is the history (also
 * for a plain directory: an empty one), which the caller frees with
 * history_free; on failure (a repository libgit2 cannot read) an error is
 * recorded in d, *out is NULL and -1 is returned. src must not be used by
 * another thread meanwhile. */
int history_open(struct history **out, struct source *src, const char *prefix,
                 long long now, struct diags *d);
void history_free(struct history *h);

/* The built commit as 40 hex digits (HEAD for a working tree), or NULL
 * without history; owned by h. */
const char *history_commit(const struct history *h);
/* How many commits the walk read (for tests and timings). */
size_t history_commits(const struct history *h);
/* 1 and *out filled when path (e.g. "content/sessions/2020/a.md") has
 * dates; 0 when it has none (no history, or not a file of the build). */
int history_get(const struct history *h, const char *path, struct history_dates *out);

#endif
