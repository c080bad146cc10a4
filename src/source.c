/* source.c — lists and reads the files of an archive, from one of three
 * places: the working tree of a git repository (as it is on disk), the
 * tree of a commit read straight from the object database, or a plain
 * directory. Everything above this file sees only relative paths with '/'
 * separators and blob ids, and cannot tell the three apart.
 *
 * The rules are chosen so that a build of the working tree gives what a
 * build of a commit of that working tree would give: in a working tree,
 * files git ignores (and are not tracked), nested repositories, symbolic
 * links and .git are all left out, both when listing and when reading.
 * On disk every path is walked one component at a time with O_NOFOLLOW,
 * so no symbolic link can lead a read outside the tree.
 *
 * libgit2 objects must not be used from two threads at once, so every
 * call that touches the source takes its lock; readers on several threads
 * are therefore safe, just serialized.
 */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct tree_entry {
	char *path;
	git_oid id;
	git_filemode_t mode;
};

struct source {
	enum source_kind kind;
	char *dir;             /* as given, for messages */
	char *desc;            /* source_describe */
	int rootfd;            /* WORKTREE, DIR: the root, opened once */
	git_repository *repo;  /* WORKTREE, TREE */
	git_index *index;      /* WORKTREE: tracked files are never "ignored" */
	git_odb *odb;          /* TREE */
	git_tree *tree;        /* TREE: the commit's root tree */
	struct tree_entry *entries; /* TREE: every entry, sorted by path */
	size_t nentries, capentries;
	int indexed;           /* entries are built (on first use) */
	char commit[GIT_OID_HEXSZ + 1]; /* TREE: the commit id in hex */
	int inited;            /* git_libgit2_init succeeded: shut down once */
	pthread_mutex_t lock;
	struct buf scratch;    /* file contents while hashing a listing */
};

const char *source_git_error(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown libgit2 error";
}

static int is_dots(const char *s, size_t n)
{
	return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

/* A path the rest of kura may ask for: util.h's path rule (relative,
 * '/'-separated, no empty, "." or ".." segment, no backslash or control
 * byte, within the length limits), with no rule of the source's own.
 * Anything else could name a file outside the tree (on disk) or be
 * spelled two ways (in a cache), so it is refused. */
static int plain_path(const char *p)
{
	return path_problem(p, strlen(p)) == NULL;
}

/* 1 when some segment of p is ".git": repository internals are never
 * content, whatever the kind of source. */
static int in_dot_git(const char *p)
{
	for (const char *seg = p;;) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n == 4 && !memcmp(seg, ".git", 4))
			return 1;
		if (!slash)
			return 0;
		seg = slash + 1;
	}
}

static void refuse_path(struct diags *d, const char *p)
{
	diag_error(d, p, 0, 0, "refused path \"%s\": not a relative path inside the archive", p);
	diag_hint(d, "paths are relative, use '/' and have no empty, '.' or '..' segment");
}

static void buf_truncate(struct buf *b, size_t n)
{
	b->len = n;
	if (b->cap)
		b->data[n] = '\0';
}

/* Appends everything fd has to b. 0 or -1 with errno set. */
static int read_fd(int fd, struct buf *b)
{
	struct stat st;
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		buf_grow(b, (size_t)st.st_size + 1);
	for (;;) {
		if (b->cap <= b->len + 1)
			buf_grow(b, b->len ? b->len : 4096);
		ssize_t n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	if (b->cap)
		b->data[b->len] = '\0';
	return 0;
}

/* 1 when the directory fd holds a .git entry: a nested repository or a
 * checked-out submodule, whose files are not part of this tree. */
static int is_nested_repo(int fd)
{
	struct stat st;
	return fstatat(fd, ".git", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Opens the directory rel[0..n) below the root, one component at a time
 * without following symbolic links (and, in a working tree, without
 * entering nested repositories). Returns a new fd, or -1 with errno:
 * ENOENT or ENOTDIR when there is no such directory, ELOOP when a
 * component is a symbolic link. */
static int open_dir(const struct source *s, const char *rel, size_t n)
{
	int fd = openat(s->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t i = 0;
	while (fd >= 0 && i < n) {
		size_t j = i;
		while (j < n && rel[j] != '/')
			j++;
		char *seg = xstrndup(rel + i, j - i);
		int sub = openat(fd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		struct stat st;
		/* Linux says ENOTDIR for a link with O_DIRECTORY | O_NOFOLLOW. */
		if (sub < 0 && err == ENOTDIR && fstatat(fd, seg, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			err = ELOOP;
		free(seg);
		close(fd);
		if (sub >= 0 && s->kind == SOURCE_WORKTREE && is_nested_repo(sub)) {
			close(sub);
			sub = -1;
			err = ENOENT;
		}
		fd = sub;
		errno = err;
		i = j + 1;
	}
	return fd;
}

/* Working tree only: 1 when path (a file, or a directory when dir is set)
 * is left out because git ignores it. A tracked file is never left out,
 * even when it matches an ignore pattern (git add -f), and neither is a
 * directory holding one. The index lookup comes first because it is a
 * binary search, while an ignore check reads .gitignore stamps. */
static int ignored(struct source *s, const char *path, int dir, struct diags *d)
{
	size_t pos;
	int ign = 0;
	if (dir) {
		char *p = xasprintf("%s/", path);
		int tracked = git_index_find_prefix(&pos, s->index, p) == 0;
		if (!tracked && git_ignore_path_is_ignored(&ign, s->repo, p) < 0) {
			diag_error(d, path, 0, 0, "cannot apply .gitignore rules: %s", source_git_error());
			ign = 0;
		}
		free(p);
		return tracked ? 0 : ign;
	}
	if (git_index_find(&pos, s->index, path) == 0)
		return 0;
	if (git_ignore_path_is_ignored(&ign, s->repo, path) < 0) {
		diag_error(d, path, 0, 0, "cannot apply .gitignore rules: %s", source_git_error());
		return 0;
	}
	return ign;
}

/* ---- listing ---------------------------------------------------------- */

struct lister {
	struct source *s;
	struct source_list *out;
	size_t cap;
	struct buf path; /* the path being visited, relative to the root */
	struct diags *d;
	int failed;
};

static void add_file(struct lister *l, const char *path, const git_oid *id)
{
	l->out->v = xgrow(l->out->v, &l->cap, l->out->n + 1, sizeof *l->out->v);
	struct source_file *f = &l->out->v[l->out->n++];
	f->path = xstrdup(path);
	git_oid_tostr(f->id, sizeof f->id, id);
}

static void list_error(struct lister *l, const char *what)
{
	diag_error(l->d, l->path.data, 0, 0, "cannot %s: %s", what, strerror(errno));
	l->failed = 1;
}

/* The id is the git blob id of the content, so an unchanged file has the
 * same id in a working tree as in a commit (no filters such as autocrlf
 * are applied). Hashing means reading every file once while listing. */
static void hash_file(struct lister *l, int dirfd, const char *name)
{
	struct buf *b = &l->s->scratch;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		if (errno != ENOENT && errno != ELOOP) /* gone, or replaced by a link */
			list_error(l, "open");
		return;
	}
	buf_reset(b);
	if (fstat(fd, &st) != 0 || read_fd(fd, b) != 0) {
		list_error(l, "read");
	} else if (S_ISREG(st.st_mode)) {
		git_oid id;
		if (git_odb_hash(&id, b->data, b->len, GIT_OBJECT_BLOB) < 0) {
			diag_error(l->d, l->path.data, 0, 0, "cannot hash: %s", source_git_error());
			l->failed = 1;
		} else {
			add_file(l, l->path.data, &id);
		}
	}
	close(fd);
}

/* Walks the directory open as fd (closed here), whose path is l->path. */
static void walk_disk(struct lister *l, int fd)
{
	struct source *s = l->s;
	DIR *dp = fdopendir(fd);
	if (!dp) {
		list_error(l, "open directory");
		close(fd);
		return;
	}
	for (;;) {
		errno = 0;
		struct dirent *e = readdir(dp);
		if (!e) {
			if (errno)
				list_error(l, "read directory");
			break;
		}
		const char *name = e->d_name;
		if (is_dots(name, strlen(name)) || !strcmp(name, ".git"))
			continue;
		size_t mark = l->path.len;
		if (mark)
			buf_putc(&l->path, '/');
		buf_puts(&l->path, name);
		struct stat st;
		if (fstatat(dirfd(dp), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno != ENOENT)
				list_error(l, "stat");
		} else if (S_ISDIR(st.st_mode)) {
			if (s->kind != SOURCE_WORKTREE || !ignored(s, l->path.data, 1, l->d)) {
				int sub = openat(dirfd(dp), name,
				                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub < 0) {
					if (errno != ENOENT && errno != ELOOP && errno != ENOTDIR)
						list_error(l, "open directory");
				} else if (s->kind == SOURCE_WORKTREE && is_nested_repo(sub)) {
					close(sub);
				} else {
					walk_disk(l, sub);
				}
			}
		} else if (S_ISREG(st.st_mode)) {
			if (s->kind != SOURCE_WORKTREE || !ignored(s, l->path.data, 0, l->d))
				hash_file(l, dirfd(dp), name);
		}
		/* Symbolic links, sockets, fifos and devices are not content. */
		buf_truncate(&l->path, mark);
	}
	closedir(dp);
}

static int list_disk(struct lister *l, const char *prefix)
{
	struct source *s = l->s;
	if (*prefix && s->kind == SOURCE_WORKTREE && ignored(s, prefix, 1, l->d))
		return 0;
	int fd = open_dir(s, prefix, strlen(prefix));
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return 0; /* no such directory: nothing under it */
		diag_error(l->d, prefix, 0, 0, "cannot open directory: %s", strerror(errno));
		return -1;
	}
	buf_puts(&l->path, prefix);
	walk_disk(l, fd);
	return 0;
}

/* The commit's tree, flattened once into entries sorted by path (trees,
 * blobs, links and submodules alike), serves listings by prefix and reads
 * by binary search. Looking each path up with git_tree_entry_bypath
 * instead re-reads every tree on the way from the odb, since libgit2 does
 * not cache trees over 4 KiB: 75 us a read on a 10,000-file archive. */
static int tree_visit(const char *root, const git_tree_entry *e, void *payload)
{
	struct source *s = payload;
	const char *name = git_tree_entry_name(e);
	int is_tree = git_tree_entry_type(e) == GIT_OBJECT_TREE;
	/* git itself never writes these names, but a crafted tree could; they
	 * would make paths that leave the tree. Skipped with their subtree. */
	if (!*name || is_dots(name, strlen(name)) || !strcmp(name, ".git") || strchr(name, '/'))
		return is_tree ? 1 : 0;
	s->entries = xgrow(s->entries, &s->capentries, s->nentries + 1, sizeof *s->entries);
	struct tree_entry *te = &s->entries[s->nentries++];
	te->path = xasprintf("%s%s", root, name);
	git_oid_cpy(&te->id, git_tree_entry_id(e));
	te->mode = git_tree_entry_filemode(e);
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->path, ((const struct tree_entry *)b)->path);
}

static int index_tree(struct source *s, struct diags *d)
{
	if (s->indexed)
		return 0;
	if (git_tree_walk(s->tree, GIT_TREEWALK_PRE, tree_visit, s) < 0)
		return diag_error(d, "", 0, 0, "cannot read the tree of commit %s: %s", s->commit,
		                  source_git_error());
	if (s->nentries)
		xsort(s->entries, s->nentries, sizeof *s->entries, cmp_entry);
	s->indexed = 1;
	return 0;
}

/* For sorted_lower and sorted_find: a path against an entry. */
static int cmp_path_entry(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tree_entry *)elem)->path);
}

static int is_file_mode(git_filemode_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

static int list_tree(struct lister *l, const char *prefix)
{
	struct source *s = l->s;
	if (index_tree(s, l->d) < 0)
		return -1;
	/* Everything under "prefix/" is one run of the sorted entries. */
	char *key = *prefix ? xasprintf("%s/", prefix) : xstrdup("");
	size_t n = strlen(key);
	size_t first = sorted_lower(s->entries, s->nentries, sizeof *s->entries, key, cmp_path_entry);
	for (size_t i = first; i < s->nentries; i++) {
		const struct tree_entry *te = &s->entries[i];
		if (strncmp(te->path, key, n) != 0)
			break;
		if (is_file_mode(te->mode)) /* not trees, links, submodules */
			add_file(l, te->path, &te->id);
	}
	free(key);
	return 0;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct source_file *)a)->path, ((const struct source_file *)b)->path);
}

int source_list(struct source *s, const char *prefix, struct source_list *out,
                struct diags *d)
{
	struct lister l = {s, out, 0, {NULL, 0, 0}, d, 0};
	/* "content/" means "content". */
	char *pre = xstrdup(prefix ? prefix : "");
	size_t n = strlen(pre);
	int rc = -1;
	while (n && pre[n - 1] == '/')
		pre[--n] = '\0';
	out->v = NULL;
	out->n = 0;
	buf_init(&l.path);
	if (*pre && !plain_path(pre)) {
		refuse_path(d, pre);
		goto done;
	}
	if (*pre && in_dot_git(pre)) {
		rc = 0;
		goto done;
	}
	pthread_mutex_lock(&s->lock);
	int err = s->kind == SOURCE_TREE ? list_tree(&l, pre) : list_disk(&l, pre);
	pthread_mutex_unlock(&s->lock);
	if (err < 0 || l.failed)
		goto done;
	/* Tree order ("a/" sorts as "a/") and readdir order both differ from
	 * byte order; callers rely on one total order. */
	xsort(out->v, out->n, sizeof *out->v, cmp_file);
	rc = 0;
done:
	if (rc < 0)
		source_list_free(out);
	buf_free(&l.path);
	free(pre);
	return rc;
}

void source_list_free(struct source_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- reading ---------------------------------------------------------- */

static int read_tree_file(struct source *s, const char *path, struct buf *b, struct diags *d)
{
	git_odb_object *obj = NULL;
	int rc = -1;
	if (index_tree(s, d) < 0)
		goto done;
	const struct tree_entry *te =
	    sorted_find(s->entries, s->nentries, sizeof *s->entries, path, cmp_path_entry);
	if (!te) {
		rc = 1;
		goto done;
	}
	if (te->mode == GIT_FILEMODE_LINK) {
		diag_error(d, path, 0, 0, "cannot read: a symbolic link, which kura does not follow");
		goto done;
	}
	if (!is_file_mode(te->mode)) {
		diag_error(d, path, 0, 0, "cannot read: not a regular file");
		goto done;
	}
	if (git_odb_read(&obj, s->odb, &te->id) < 0) {
		diag_error(d, path, 0, 0, "cannot read: %s", source_git_error());
		goto done;
	}
	buf_put(b, git_odb_object_data(obj), git_odb_object_size(obj));
	rc = 0;
done:
	git_odb_object_free(obj);
	return rc;
}

static int read_disk_file(struct source *s, const char *path, struct buf *b, struct diags *d)
{
	int dirfd = -1, fd = -1, rc = -1;
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	struct stat st;
	if (s->kind == SOURCE_WORKTREE && ignored(s, path, 0, d)) {
		rc = 1;
		goto done;
	}
	dirfd = open_dir(s, path, slash ? (size_t)(slash - path) : 0);
	if (dirfd >= 0)
		fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			rc = 1;
		else if (errno == ELOOP)
			diag_error(d, path, 0, 0,
			           "cannot read: a symbolic link, which kura does not follow");
		else
			diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) != 0) {
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(d, path, 0, 0, "cannot read: not a regular file");
		goto done;
	}
	if (read_fd(fd, b) != 0) {
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
	return rc;
}

int source_read(struct source *s, const char *path, char **out, size_t *out_len,
                struct diags *d)
{
	struct buf b;
	int rc;
	buf_init(&b);
	*out = NULL;
	*out_len = 0;
	if (!plain_path(path)) {
		refuse_path(d, path);
		return -1;
	}
	if (in_dot_git(path))
		return 1;
	pthread_mutex_lock(&s->lock);
	rc = s->kind == SOURCE_TREE ? read_tree_file(s, path, &b, d) : read_disk_file(s, path, &b, d);
	pthread_mutex_unlock(&s->lock);
	if (rc == 0) {
		*out_len = b.len;
		*out = buf_detach(&b);
	}
	buf_free(&b);
	return rc;
}

/* ---- opening ---------------------------------------------------------- */

static int same_dir(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Resolves rev (or HEAD) to a commit and keeps its tree and the odb. */
static int open_tree(struct source *s, const char *ref, struct diags *d)
{
	git_object *obj = NULL, *commit = NULL;
	const char *rev = ref ? ref : "HEAD";
	int rc = -1;
	int err = git_revparse_single(&obj, s->repo, rev);
	if (err == GIT_ENOTFOUND || err == GIT_EINVALIDSPEC) {
		if (ref)
			diag_error(d, "", 0, 0, "--ref %s: no such revision in %s", ref, s->dir);
		else
			diag_error(d, "", 0, 0, "%s: the repository has no commit at HEAD", s->dir);
		goto done;
	}
	if (err < 0) {
		diag_error(d, "", 0, 0, "--ref %s: %s", rev, source_git_error());
		goto done;
	}
	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		diag_error(d, "", 0, 0, "--ref %s: not a commit in %s", rev, s->dir);
		goto done;
	}
	if (git_commit_tree(&s->tree, (git_commit *)commit) < 0 ||
	    git_repository_odb(&s->odb, s->repo) < 0) {
		diag_error(d, "", 0, 0, "--ref %s: %s", rev, source_git_error());
		goto done;
	}
	git_oid_tostr(s->commit, sizeof s->commit, git_object_id(commit));
	s->desc = xasprintf("commit %.7s (%s) of %s", s->commit, rev, s->dir);
	rc = 0;
done:
	git_object_free(commit);
	git_object_free(obj);
	return rc;
}

int source_open(struct source **out, const char *dir, const char *ref, struct diags *d)
{
	return source_open_objects(out, dir, ref, NULL, d);
}

/* Adds each directory of objects as an alternate object store of s->repo. */
static int add_objects(struct source *s, const char *const *objects, struct diags *d)
{
	git_odb *odb = NULL;
	int rc = -1;
	if (git_repository_odb(&odb, s->repo) < 0) {
		diag_error(d, "", 0, 0, "cannot read the objects of %s: %s", s->dir, source_git_error());
		goto done;
	}
	for (const char *const *o = objects; *o; o++)
		if (git_odb_add_disk_alternate(odb, *o) < 0) {
			diag_error(d, "", 0, 0, "cannot read the objects in %s: %s", *o, source_git_error());
			goto done;
		}
	rc = 0;
done:
	git_odb_free(odb);
	return rc;
}

int source_open_objects(struct source **out, const char *dir, const char *ref,
                        const char *const *objects, struct diags *d)
{
	struct source *s = xcalloc(1, sizeof *s);
	struct stat st;
	int rc = -1;
	*out = NULL;
	s->dir = xstrdup(dir ? dir : ".");
	s->rootfd = -1;
	buf_init(&s->scratch);
	pthread_mutex_init(&s->lock, NULL);
	if (stat(s->dir, &st) != 0) {
		diag_error(d, "", 0, 0, "cannot open %s: %s", s->dir, strerror(errno));
		goto done;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_error(d, "", 0, 0, "cannot open %s: not a directory", s->dir);
		goto done;
	}
	if (git_libgit2_init() < 0) {
		diag_error(d, "", 0, 0, "cannot start libgit2: %s", source_git_error());
		goto done;
	}
	s->inited = 1;

	/* Only dir itself is looked at, never its parents: a directory inside
	 * a repository is read as a plain directory, so paths are always
	 * relative to the directory given. */
	int err = git_repository_open_ext(&s->repo, s->dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (err == GIT_ENOTFOUND) {
		git_error_clear();
		s->repo = NULL;
		if (ref) {
			diag_error(d, "", 0, 0, "--ref %s: %s is not a git repository", ref, s->dir);
			goto done;
		}
		s->kind = SOURCE_DIR;
	} else if (err < 0) {
		diag_error(d, "", 0, 0, "cannot open the repository %s: %s", s->dir, source_git_error());
		if (err == GIT_EOWNER)
			diag_hint(d, "git config --global --add safe.directory <the repository's full path>");
		goto done;
	} else if (!ref && !git_repository_is_bare(s->repo) &&
	           same_dir(s->dir, git_repository_workdir(s->repo))) {
		s->kind = SOURCE_WORKTREE;
	} else {
		/* A ref, a bare repository, or a git directory given by its own
		 * path (whose work tree is elsewhere): the committed tree. */
		s->kind = SOURCE_TREE;
	}

	if (s->repo && objects && *objects && add_objects(s, objects, d) != 0)
		goto done;
	if (s->kind == SOURCE_TREE) {
		if (open_tree(s, ref, d) != 0)
			goto done;
	} else {
		s->rootfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->rootfd < 0) {
			diag_error(d, "", 0, 0, "cannot open %s: %s", s->dir, strerror(errno));
			goto done;
		}
		if (s->kind == SOURCE_WORKTREE && git_repository_index(&s->index, s->repo) < 0) {
			diag_error(d, "", 0, 0, "cannot read the index of %s: %s", s->dir, source_git_error());
			goto done;
		}
		s->desc = xasprintf(s->kind == SOURCE_WORKTREE ? "working tree of %s" : "directory %s",
		                    s->dir);
	}
	rc = 0;
done:
	if (rc == 0)
		*out = s;
	else
		source_close(s);
	return rc;
}

void source_close(struct source *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nentries; i++)
		free(s->entries[i].path);
	free(s->entries);
	git_tree_free(s->tree);
	git_odb_free(s->odb);
	git_index_free(s->index);
	git_repository_free(s->repo);
	if (s->inited)
		git_libgit2_shutdown();
	if (s->rootfd >= 0)
		close(s->rootfd);
	buf_free(&s->scratch);
	pthread_mutex_destroy(&s->lock);
	free(s->desc);
	free(s->dir);
	free(s);
}

enum source_kind source_kind(const struct source *s)
{
	return s->kind;
}

const char *source_describe(const struct source *s)
{
	return s->desc;
}

struct git_repository *source_repo(const struct source *s)
{
	return s->repo;
}

const char *source_commit(const struct source *s)
{
	return s->kind == SOURCE_TREE ? s->commit : NULL;
}
