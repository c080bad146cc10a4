/* history.c — created and last-updated dates of every content file, from
 * one walk of git history (history.h).
 *
 * Why one walk: asking git for the log of each file (what Hugo's
 * enableGitInfo does) reads the whole history once per file. Here every
 * commit is read once, newest first, and its diff against its first parent
 * is matched against the set of names still being followed: a name maps to
 * the file it becomes at the built commit. A rename points the old name at
 * the same file; a non-merge commit that adds a name ends that name's story
 * (older commits hold another file of that name, if any), and once no name
 * is followed the walk stops early. A merge's diff is taken against its
 * first parent, so it counts as changing what it brought in (the day the
 * change reached the built line); its side branch's commits are walked too,
 * and being older they decide the created date.
 */
#include "history.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util.h"

#define DEAD ((size_t)-1)

struct entry {
	char *path;          /* at the built commit */
	git_oid blob;        /* its blob there */
	long long created, updated;
	int have;            /* created/updated are set */
	size_t *authors;     /* indices into h->names, newest first until the end */
	size_t nauthors, capauthors;
	const char **names;  /* authors as strings, earliest first (after the walk) */
};

struct history {
	char commit[GIT_OID_HEXSZ + 1];
	int has_commit;
	size_t ncommits;
	struct entry *v;
	size_t n, cap;
	struct strmap by_path;   /* entry path -> index */
	char **names;            /* distinct author names */
	size_t nnames, capnames;
	struct strmap by_name;
	char **aliases;          /* older names followed through renames */
	size_t naliases, capaliases;
};


static size_t add_entry(struct history *h, const char *path, const git_oid *blob)
{
	struct entry e;
	memset(&e, 0, sizeof e);
	e.path = xstrdup(path);
	if (blob)
		git_oid_cpy(&e.blob, blob);
	VEC_PUSH(h->v, h->n, h->cap, e);
	return h->n - 1;
}

struct tree_ctx {
	struct history *h;
	const char *prefix;
	struct buf path;
};

static int tree_cb(const char *root, const git_tree_entry *te, void *payload)
{
	struct tree_ctx *c = payload;
	if (git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		return 0;
	buf_reset(&c->path);
	buf_printf(&c->path, "%s/%s%s", c->prefix, root, git_tree_entry_name(te));
	add_entry(c->h, c->path.data, git_tree_entry_id(te));
	return 0;
}

/* One author name of an entry, interned. */
static void add_author(struct history *h, struct entry *e, const char *name)
{
	if (!name || !*name)
		return;
	size_t *k = strmap_get(&h->by_name, name);
	size_t idx;
	if (k) {
		idx = *k;
	} else {
		char *copy = xstrdup(name);
		VEC_PUSH(h->names, h->nnames, h->capnames, copy);
		idx = h->nnames - 1;
		strmap_put(&h->by_name, copy, idx, NULL);
	}
	for (size_t i = 0; i < e->nauthors; i++)
		if (e->authors[i] == idx)
			return;
	VEC_PUSH(e->authors, e->nauthors, e->capauthors, idx);
}

/* The entry followed under name, or DEAD. */
static size_t followed(const struct strmap *follow, const char *name)
{
	size_t *k = strmap_get(follow, name);
	return k ? *k : DEAD;
}

/* Follows name for entry idx from now on (older commits); name is copied. */
static void follow_name(struct history *h, struct strmap *follow, const char *name, size_t idx)
{
	size_t *k = strmap_get(follow, name);
	if (k) {
		*k = idx;
		return;
	}
	char *copy = xstrdup(name);
	VEC_PUSH(h->aliases, h->naliases, h->capaliases, copy);
	strmap_put(follow, copy, idx, NULL);
}

/* Reads one commit's diff against its first parent into the entries.
 * live counts the names still followed. */
static int walk_commit(struct history *h, git_repository *repo, git_commit *c,
                       const git_diff_options *opts, struct strmap *follow, long *live,
                       struct diags *d)
{
	git_commit *parent = NULL;
	git_tree *ptree = NULL, *ctree = NULL;
	git_diff *diff = NULL;
	int rc = -1;
	unsigned np = git_commit_parentcount(c);
	if (np > 0 && git_commit_parent(&parent, c, 0) < 0) {
		/* The parent is not in the object database: the boundary of a
		 * shallow clone. The commit counts as adding what it holds. */
		git_error_clear();
		np = 0;
	}
	if (git_commit_tree(&ctree, c) < 0 || (parent && git_commit_tree(&ptree, parent) < 0) ||
	    git_diff_tree_to_tree(&diff, repo, ptree, ctree, opts) < 0) {
		diag_error(d, "", 0, 0, "cannot read the history of commit %s: %s",
		           git_oid_tostr_s(git_commit_id(c)), source_git_error());
		goto done;
	}
	git_diff_find_options fo;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(diff, &fo) < 0) {
		diag_error(d, "", 0, 0, "cannot find renames in commit %s: %s",
		           git_oid_tostr_s(git_commit_id(c)), source_git_error());
		goto done;
	}
	long long t = (long long)git_commit_time(c);
	const git_signature *au = git_commit_author(c);
	size_t nd = git_diff_num_deltas(diff);
	for (size_t i = 0; i < nd; i++) {
		const git_diff_delta *dl = git_diff_get_delta(diff, i);
		if (dl->status == GIT_DELTA_DELETED) {
			/* Older commits hold another file of that name. */
			size_t *k = strmap_get(follow, dl->old_file.path);
			if (k && *k != DEAD) {
				*k = DEAD;
				(*live)--;
			}
			continue;
		}
		size_t idx = followed(follow, dl->new_file.path);
		if (idx == DEAD)
			continue;
		struct entry *e = &h->v[idx];
		if (!e->have) {
			e->updated = t;
			e->have = 1;
		}
		/* Every older commit that touches it moves created back. */
		e->created = t;
		if (np <= 1)
			add_author(h, e, au ? au->name : NULL);
		if (dl->status == GIT_DELTA_RENAMED) {
			size_t *k = strmap_get(follow, dl->new_file.path);
			*k = DEAD;
			size_t *o = strmap_get(follow, dl->old_file.path);
			if (o && *o != DEAD)
				(*live)--; /* the old name's own file ends here */
			follow_name(h, follow, dl->old_file.path, idx);
		} else if (dl->status == GIT_DELTA_ADDED && np <= 1) {
			size_t *k = strmap_get(follow, dl->new_file.path);
			*k = DEAD;
			(*live)--;
		}
	}
	rc = 0;
done:
	git_diff_free(diff);
	git_tree_free(ptree);
	git_tree_free(ctree);
	git_commit_free(parent);
	return rc;
}

/* The walk itself, from the commit id. */
static int walk(struct history *h, git_repository *repo, const git_oid *head,
                const char *prefix, struct diags *d)
{
	git_commit *hc = NULL;
	git_tree *root = NULL, *sub = NULL;
	git_tree_entry *te = NULL;
	git_revwalk *rw = NULL;
	struct strmap follow;
	struct tree_ctx tc = {h, prefix, {NULL, 0, 0}};
	int rc = -1;
	strmap_init(&follow);
	buf_init(&tc.path);

	if (git_commit_lookup(&hc, repo, head) < 0 || git_commit_tree(&root, hc) < 0) {
		diag_error(d, "", 0, 0, "cannot read commit %s: %s", git_oid_tostr_s(head), source_git_error());
		goto done;
	}
	/* Every file of the built commit under prefix is followed. */
	int err = git_tree_entry_bypath(&te, root, prefix);
	if (err == GIT_ENOTFOUND) {
		git_error_clear();
		rc = 0;
		goto done;
	}
	if (err < 0 || git_tree_entry_type(te) != GIT_OBJECT_TREE ||
	    git_tree_lookup(&sub, repo, git_tree_entry_id(te)) < 0 ||
	    git_tree_walk(sub, GIT_TREEWALK_PRE, tree_cb, &tc) < 0) {
		if (err < 0 || git_tree_entry_type(te) == GIT_OBJECT_TREE) {
			diag_error(d, "", 0, 0, "cannot read %s in commit %s: %s", prefix,
			           git_oid_tostr_s(head), source_git_error());
			goto done;
		}
		rc = 0; /* prefix is a file: nothing to follow */
		goto done;
	}
	for (size_t i = 0; i < h->n; i++) {
		strmap_put(&h->by_path, h->v[i].path, i, NULL);
		follow_name(h, &follow, h->v[i].path, i);
	}
	long live = (long)h->n;

	char *paths[1] = {(char *)prefix};
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.pathspec.strings = paths;
	opts.pathspec.count = 1;
	opts.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH | GIT_DIFF_SKIP_BINARY_CHECK;
	/* GIT_DIFF_DISABLE_PATHSPEC_MATCH makes "content" a plain prefix. */

	/* Each commit's tree is its child's parent tree: keep trees of any
	 * size in libgit2's object cache (by default only those under 4 KiB,
	 * so a directory of a few hundred sessions would be inflated from
	 * the pack twice per commit). */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, (int)GIT_OBJECT_TREE, (size_t)16 << 20);
	if (git_revwalk_new(&rw, repo) < 0 ||
	    git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0 ||
	    git_revwalk_push(rw, head) < 0) {
		diag_error(d, "", 0, 0, "cannot walk the history of %s: %s", git_oid_tostr_s(head),
		           source_git_error());
		goto done;
	}
	git_oid id;
	while (live > 0 && (err = git_revwalk_next(&id, rw)) == 0) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, repo, &id) < 0) {
			diag_error(d, "", 0, 0, "cannot read commit %s: %s", git_oid_tostr_s(&id),
			           source_git_error());
			goto done;
		}
		h->ncommits++;
		int r = walk_commit(h, repo, c, &opts, &follow, &live, d);
		git_commit_free(c);
		if (r != 0)
			goto done;
	}
	if (live > 0 && err != GIT_ITEROVER) {
		/* libgit2 may stop at a shallow clone's boundary, whose parents
		 * it cannot load: what was read stands. */
		if (!git_repository_is_shallow(repo)) {
			diag_error(d, "", 0, 0, "cannot walk the history of %s: %s",
			           git_oid_tostr_s(head), source_git_error());
			goto done;
		}
		git_error_clear();
	}
	rc = 0;
done:
	git_revwalk_free(rw);
	git_tree_entry_free(te);
	git_tree_free(sub);
	git_tree_free(root);
	git_commit_free(hc);
	strmap_free(&follow);
	buf_free(&tc.path);
	return rc;
}

/* A working tree: files changed or added since HEAD take now. */
static int worktree_changes(struct history *h, struct source *src, const char *prefix,
                            long long now, struct diags *d)
{
	struct source_list l = {NULL, 0};
	if (source_list(src, prefix, &l, d) != 0)
		return -1;
	for (size_t i = 0; i < l.n; i++) {
		size_t *k = strmap_get(&h->by_path, l.v[i].path);
		if (!k) {
			size_t idx = add_entry(h, l.v[i].path, NULL);
			strmap_put(&h->by_path, h->v[idx].path, idx, NULL);
			h->v[idx].created = h->v[idx].updated = now;
			h->v[idx].have = 1;
			continue;
		}
		struct entry *e = &h->v[*k];
		git_oid id;
		if (git_oid_fromstr(&id, l.v[i].id) < 0 || !git_oid_equal(&id, &e->blob)) {
			e->updated = now;
			if (!e->have)
				e->created = now;
			e->have = 1;
		}
	}
	source_list_free(&l);
	return 0;
}

int history_open(struct history **out, struct source *src, const char *prefix,
                 long long now, struct diags *d)
{
	struct history *h = xcalloc(1, sizeof *h);
	git_repository *repo = source_repo(src);
	git_commit *hc = NULL;
	int rc = -1;
	*out = NULL;
	strmap_init(&h->by_path);
	strmap_init(&h->by_name);
	if (!repo) {
		rc = 0;
		goto done;
	}
	git_oid head;
	const char *c = source_commit(src);
	if (c) {
		if (git_oid_fromstr(&head, c) < 0) {
			diag_error(d, "", 0, 0, "bad commit id %s", c);
			goto done;
		}
	} else if (git_reference_name_to_id(&head, repo, "HEAD") < 0) {
		/* No commit yet: no history. */
		git_error_clear();
		rc = 0;
		goto done;
	}
	git_oid_tostr(h->commit, sizeof h->commit, &head);
	h->has_commit = 1;
	if (git_commit_lookup(&hc, repo, &head) < 0) {
		diag_error(d, "", 0, 0, "cannot read commit %s: %s", h->commit, source_git_error());
		goto done;
	}
	if (now < 0)
		now = (long long)git_commit_time(hc);
	if (walk(h, repo, &head, prefix, d) != 0)
		goto done;
	if (git_repository_is_shallow(repo) == 1) {
		diag_warn(d, "", 0, 0,
		          "the repository is a shallow clone: pages changed before its oldest "
		          "commit show that commit's date as created and last-updated");
		diag_hint(d, "fetch the whole history first: git fetch --unshallow");
	}
	/* Files of the commit the walk never reached (a history cut short)
	 * keep the oldest date read. Authors earliest first. */
	for (size_t i = 0; i < h->n; i++) {
		struct entry *e = &h->v[i];
		if (!e->have) {
			e->created = e->updated = now;
			e->have = 1;
		}
		e->names = xmalloc((e->nauthors + 1) * sizeof *e->names);
		for (size_t k = 0; k < e->nauthors; k++)
			e->names[k] = h->names[e->authors[e->nauthors - 1 - k]];
	}
	if (source_kind(src) == SOURCE_WORKTREE && worktree_changes(h, src, prefix, now, d) != 0)
		goto done;
	rc = 0;
done:
	git_commit_free(hc);
	if (rc == 0) {
		*out = h;
	} else {
		history_free(h);
	}
	return rc;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].path);
		free(h->v[i].authors);
		free(h->v[i].names);
	}
	free(h->v);
	for (size_t i = 0; i < h->nnames; i++)
		free(h->names[i]);
	free(h->names);
	for (size_t i = 0; i < h->naliases; i++)
		free(h->aliases[i]);
	free(h->aliases);
	strmap_free(&h->by_path);
	strmap_free(&h->by_name);
	free(h);
}

const char *history_commit(const struct history *h)
{
	return h && h->has_commit ? h->commit : NULL;
}

size_t history_commits(const struct history *h)
{
	return h ? h->ncommits : 0;
}

int history_get(const struct history *h, const char *path, struct history_dates *out)
{
	if (!h || !path)
		return 0;
	size_t *k = strmap_get(&h->by_path, path);
	if (!k || !h->v[*k].have)
		return 0;
	const struct entry *e = &h->v[*k];
	out->created = e->created;
	out->updated = e->updated;
	out->authors = e->names;
	out->nauthors = e->names ? e->nauthors : 0;
	return 1;
}
