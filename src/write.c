/* write.c — staging directory, atomic files, the final swap.
 *
 * A build writes every file into <out>.kura-new-<pid>, a directory beside
 * the target (same parent, so the final rename never crosses a file
 * system). Each file goes to a temporary name in its own directory and is
 * renamed into place, so the staging tree never holds a half-written file
 * under a real name. Only write_commit makes the new site visible: it
 * writes the manifest (.kura-manifest, the list of files kura wrote),
 * syncs the file system once, and swaps the staging directory with the
 * target in one renameat2(RENAME_EXCHANGE), so a reader sees either the
 * whole old site or the whole new one and never a moment without a site.
 *
 * Before anything is written, the target is checked: kura replaces only a
 * directory that is absent, empty, or that it wrote itself (every file in
 * it is listed in its manifest). This is what keeps a mistyped --out from
 * deleting a volunteer's files; it is checked again at commit, since a
 * build can take a while.
 *
 * Everything goes through file descriptors (openat, mkdirat, renameat,
 * unlinkat) relative to the staging directory, and nothing follows a
 * symbolic link: neither the check nor the recursive removal ever leaves
 * the tree it was given.
 *
 * Creating files and directories is kernel work (inode allocation) that
 * scales with threads, so with write_set_jobs the writer keeps a pool of
 * worker threads: the caller's write_file checks the path, copies the
 * data and queues it; a worker does exactly what the synchronous path
 * does (put_file, the one function doing the I/O for both). Everything
 * that decides what the site is (the paths, their checks, the manifest)
 * stays in the caller's thread, so the output never depends on which
 * worker ran when. Workers report I/O errors as data (path and errno),
 * turned into diagnostics by write_commit in the caller's thread.
 *
 * The writer's functions are called from one thread only.
 */
#define _GNU_SOURCE /* syncfs, renameat2 flags */

#include "write.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "i18n.h"
#include "util.h"

#define MANIFEST ".kura-manifest"
#define MANIFEST_HEADER "# kura site manifest v1"
/* Segments starting with this are kura's own (the manifest, temporary
 * files): a page may not use them, so they never collide. */
#define RESERVED ".kura-"
#define TMP_NAME ".kura-tmp"
/* Bounds of the queue of files waiting for a worker: memory stays
 * bounded for any site, and 64 files keep two to a few dozen workers
 * busy. A single larger file is queued alone. */
#define QUEUE_JOBS 64
#define QUEUE_BYTES ((size_t)32 << 20)
#define MAX_JOBS 64

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static const char refuse_hint[] =
    N_("kura only replaces directories it wrote itself; choose another --out or empty it");

/* ---- sets of strings -------------------------------------------------------
 * The paths written (duplicates are refused in O(1)), the directories
 * they need, and the manifest of an old site are sets: kura's one hash
 * table (util.h's strmap), keys borrowed, values unused. */

static int set_has(const struct strmap *set, const char *s)
{
	return strmap_get(set, s) != NULL;
}

/* Adds s (not copied); returns 1 if it was already there, else 0. */
static int set_add(struct strmap *set, const char *s)
{
	int added;
	strmap_put(set, s, 0, &added);
	return !added;
}

/* ---- the writer ------------------------------------------------------------- */

struct pool;

struct writer {
	char *shown;   /* --out as given, for messages */
	char *target;  /* --out without trailing slashes */
	char *staging; /* <target>.kura-new-<pid>[.<n>] */
	char *parent;  /* the directory holding both */
	char *repo;    /* protected from replacement; may be NULL */
	int stagefd;   /* the staging directory, open */
	char **paths;  /* every path written, malloc'd each */
	size_t npaths, cap;
	struct strmap seen; /* points into paths */
	struct buf lastdir; /* the last directory known to exist */
	size_t files, bytes; /* written in the caller's thread */
	int failed; /* write_file calls that failed */
	struct pool *pool; /* the workers, or NULL: synchronous */
	struct strmap dirs; /* with workers: every directory the paths need (owned) */
	struct buf scratch;
};

static int no_exchange; /* write_test_no_exchange */
static size_t queue_bytes = QUEUE_BYTES; /* write_test_queue_bytes */

void write_test_no_exchange(int on)
{
	no_exchange = on;
}

void write_test_queue_bytes(size_t bytes)
{
	queue_bytes = bytes ? bytes : QUEUE_BYTES;
}

/* Appends s to b with control bytes shown as \xNN, so that a hostile path
 * cannot garble a message. */
static void put_shown(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
}

/* ---- recursive removal ------------------------------------------------------ */

/* Is entry e of the directory open as fd a directory (not following a
 * symbolic link)? d_type saves a stat on most file systems. */
static int is_dir_entry(int fd, const struct dirent *e)
{
	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_DIR;
	struct stat st;
	return fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static int is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

/* Removes name (relative to the directory open as at) and, when it is a
 * directory, everything inside. Symbolic links are removed, never
 * followed: O_NOFOLLOW on every open keeps the walk inside the tree.
 * Returns -1 (errno set) on the first failure but keeps going, so that as
 * much as possible is removed. */
static int remove_tree(int at, const char *name)
{
	struct stat st;
	if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(at, name, 0);
	int rc = 0, err = 0;
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (is_dot(e->d_name))
			continue;
		int r = is_dir_entry(fd, e) ? remove_tree(fd, e->d_name) : unlinkat(fd, e->d_name, 0);
		if (r != 0 && errno != ENOENT && !err) {
			err = errno;
			rc = -1;
		}
	}
	closedir(dir);
	if (unlinkat(at, name, AT_REMOVEDIR) != 0 && !err) {
		err = errno;
		rc = -1;
	}
	errno = err;
	return rc;
}

int write_remove(const char *path)
{
	return remove_tree(AT_FDCWD, path);
}

/* ---- is the target kura's? -------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* 1 when dir is path or one of its ancestors (both canonical). */
static int contains(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	if (!strcmp(dir, "/"))
		return 1;
	return !strncmp(dir, path, n) && (path[n] == '\0' || path[n] == '/');
}

/* What the walk of an old site found that kura did not write. */
struct foreign {
	char *first; /* the smallest such path, malloc'd */
	size_t n;
};

static void note_foreign(struct foreign *f, const char *rel, int dir)
{
	char *s = xasprintf("%s%s", rel, dir ? "/" : "");
	if (!f->first || strcmp(s, f->first) < 0) {
		free(f->first);
		f->first = s;
	} else {
		free(s);
	}
	f->n++;
}

/* Walks the directory open as fd (rel is its path inside the target, ""
 * at the top) and notes everything not accounted for by the manifest:
 * regular files must be listed, directories must hold a listed file,
 * anything else (symbolic links, devices, sockets) is never kura's. */
static int walk_old(int fd, struct buf *rel, const struct strmap *files,
                    const struct strmap *dirs, struct foreign *f)
{
	int rc = -1;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -1;
	}
	struct dirent *e;
	errno = 0;
	while ((e = readdir(dir)) != NULL) {
		if (is_dot(e->d_name) || (rel->len == 0 && !strcmp(e->d_name, MANIFEST)))
			continue;
		size_t keep = rel->len;
		if (keep)
			buf_putc(rel, '/');
		buf_puts(rel, e->d_name);
		struct stat st;
		if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			goto done;
		if (S_ISDIR(st.st_mode) && set_has(dirs, rel->data)) {
			int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0 || walk_old(sub, rel, files, dirs, f) != 0)
				goto done;
		} else if (!S_ISREG(st.st_mode) || !set_has(files, rel->data)) {
			note_foreign(f, rel->data, S_ISDIR(st.st_mode));
		}
		rel->len = keep;
		rel->data[keep] = '\0';
		errno = 0;
	}
	if (errno == 0)
		rc = 0;
done:
	{
		int err = errno;
		closedir(dir);
		errno = err;
	}
	return rc;
}

/* Reads the manifest of the directory open as fd into files (and the
 * directories those files need into dirs). text keeps the strings the
 * sets point at. Returns 0, or 1 when there is no manifest, or -1 (errno
 * set) when it cannot be read; *bad is set when it is not kura's. */
static int read_manifest(int fd, char **text, struct strmap *files, struct strmap *dirs, int *bad)
{
	*bad = 0;
	int mfd = openat(fd, MANIFEST, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (mfd < 0)
		return errno == ENOENT || errno == ELOOP ? 1 : -1;
	struct stat st;
	struct buf b;
	buf_init(&b);
	int rc = -1;
	if (fstat(mfd, &st) != 0)
		goto done;
	if (!S_ISREG(st.st_mode)) {
		*bad = 1;
		rc = 0;
		goto done;
	}
	for (;;) {
		buf_grow(&b, 65536);
		ssize_t r = read(mfd, b.data + b.len, b.cap - b.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto done;
		if (r == 0)
			break;
		b.len += (size_t)r;
		b.data[b.len] = '\0';
	}
	size_t hl = strlen(MANIFEST_HEADER);
	if (b.len < hl + 1 || memcmp(b.data, MANIFEST_HEADER "\n", hl + 1) != 0 ||
	    memchr(b.data, '\0', b.len)) {
		*bad = 1;
		rc = 0;
		goto done;
	}
	/* Each line becomes a string in place; every prefix ending before a
	 * '/' is a directory the listed file needed. */
	char *p = b.data + hl + 1, *end = b.data + b.len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		*nl = '\0';
		if (*p) {
			set_add(files, p);
			for (char *s = p; *s; s++) {
				if (*s != '/')
					continue;
				*s = '\0';
				if (!set_has(dirs, p))
					set_add(dirs, xstrdup(p));
				*s = '/';
			}
		}
		p = nl + 1;
	}
	rc = 0;
done:
	{
		int err = errno;
		close(mfd);
		errno = err;
	}
	*text = buf_detach(&b);
	buf_free(&b);
	return rc;
}

/* Unlike the other sets, the set of directories owns its strings (they
 * are prefixes copied out of the manifest lines): frees them too. */
static void dirs_free(struct strmap *dirs)
{
	for (size_t i = 0; i < dirs->nslots; i++)
		free((char *)dirs->slots[i].key);
	strmap_free(dirs);
}

static int refuse(struct diags *d, const char *shown, const char *why)
{
	diag_error(d, NULL, 0, 0, "--out %s: refusing to replace %s: %s", shown, shown, why);
	diag_hint(d, "%s", refuse_hint);
	return -1;
}

/* The target's own name and kind: 1 when it does not exist (nothing to
 * check further), 0 when it is a directory, -1 (error recorded) when it
 * may not be replaced. */
static int check_kind(const char *target, const char *shown, struct diags *d)
{
	const char *base = base_name(target);
	if (!strcmp(base, ".") || !strcmp(base, "..")) {
		diag_error(d, NULL, 0, 0,
		           "--out %s: refusing to write the site into %s: kura replaces the whole "
		           "--out directory, so it must be a directory of its own",
		           shown, !strcmp(base, ".") ? "the current directory" : "a parent directory");
		diag_hint(d, "name a directory of its own, e.g. --out site");
		return -1;
	}
	struct stat st;
	if (lstat(target, &st) != 0) {
		if (errno == ENOENT)
			return 1;
		return diag_error(d, NULL, 0, 0, "--out %s: cannot examine %s: %s", shown, shown,
		                  strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return refuse(d, shown, "it is a symbolic link, and kura replaces only a real directory");
	if (!S_ISDIR(st.st_mode))
		return refuse(d, shown, "it is a file, not a directory kura wrote");
	return 0;
}

/* Never replace the root, the directory we run in, the repository, or a
 * directory holding either: they could never be kura's output. */
static int check_place(const char *target, const char *shown, const char *repo,
                       struct diags *d)
{
	int rc = -1;
	char *real = realpath(target, NULL), *cwd = realpath(".", NULL);
	char *realrepo = repo ? realpath(repo, NULL) : NULL;
	if (!real)
		diag_error(d, NULL, 0, 0, "--out %s: cannot resolve %s: %s", shown, shown,
		           strerror(errno));
	else if (!strcmp(real, "/"))
		refuse(d, shown, "it is the root directory");
	else if (cwd && contains(real, cwd))
		refuse(d, shown,
		       strcmp(real, cwd) ? "it contains the current directory"
		                         : "it is the current directory");
	else if (realrepo && contains(real, realrepo))
		refuse(d, shown,
		       strcmp(real, realrepo) ? "it contains the repository" : "it is the repository");
	else
		rc = 0;
	free(real);
	free(cwd);
	free(realrepo);
	return rc;
}

/* Every entry of the directory must be listed in its manifest: kura
 * replaces only what it wrote. */
static int check_manifest(const char *target, const char *shown, struct diags *d)
{
	int rc = -1, fd = -1, bad = 0;
	char *text = NULL;
	struct strmap files, dirs;
	struct foreign f = {NULL, 0};
	struct buf rel;
	buf_init(&rel);
	strmap_init(&files);
	strmap_init(&dirs);
	fd = open(target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		diag_error(d, NULL, 0, 0, "--out %s: cannot open %s: %s", shown, shown,
		           strerror(errno));
		goto done;
	}
	int m = read_manifest(fd, &text, &files, &dirs, &bad);
	if (m < 0) {
		diag_error(d, NULL, 0, 0, "--out %s: cannot read %s/%s: %s", shown, shown, MANIFEST,
		           strerror(errno));
		goto done;
	}
	if (bad) {
		refuse(d, shown, "its " MANIFEST " is not one kura wrote");
		goto done;
	}
	/* Without a manifest the files set is empty, so any entry at all is
	 * foreign: only an empty directory passes. */
	int wfd = dup(fd);
	if (wfd < 0 || walk_old(wfd, &rel, &files, &dirs, &f) != 0) {
		diag_error(d, NULL, 0, 0, "--out %s: cannot read %s: %s", shown, shown,
		           strerror(errno));
		goto done;
	}
	if (f.n) {
		struct buf why;
		buf_init(&why);
		buf_puts(&why, "it holds ");
		put_shown(&why, f.first);
		if (f.n > 1)
			buf_printf(&why, " (and %zu more)", f.n - 1);
		buf_puts(&why, ", which kura did not write");
		if (m == 1)
			buf_puts(&why, ", and no " MANIFEST);
		refuse(d, shown, why.data);
		buf_free(&why);
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	free(text);
	free(f.first);
	strmap_free(&files);
	dirs_free(&dirs);
	buf_free(&rel);
	return rc;
}

/* Decides whether target may be replaced; when it may (0), *out_exists
 * tells whether it exists. repo (may be NULL) is protected like the
 * current directory. */
static int check_target(const char *target, const char *shown, const char *repo,
                        int *out_exists, struct diags *d)
{
	int k = check_kind(target, shown, d);
	*out_exists = k == 0;
	if (k != 0)
		return k > 0 ? 0 : -1;
	if (check_place(target, shown, repo, d) != 0)
		return -1;
	return check_manifest(target, shown, d);
}

/* ---- begin ------------------------------------------------------------------ */

int write_begin(struct writer **out, const char *outdir, const char *repo,
                     struct diags *d)
{
	struct writer *w = NULL;
	int exists = 0, rc = -1;
	*out = NULL;
	if (!outdir || !*outdir) {
		diag_error(d, NULL, 0, 0, "--out: the output directory is empty");
		diag_hint(d, "name a directory of its own, e.g. --out site");
		return -1;
	}
	w = xcalloc(1, sizeof *w);
	w->stagefd = -1;
	buf_init(&w->lastdir);
	w->shown = xstrdup(outdir);
	w->repo = repo ? xstrdup(repo) : NULL;
	size_t n = strlen(outdir);
	while (n > 1 && outdir[n - 1] == '/')
		n--;
	w->target = xstrndup(outdir, n);
	if (!strcmp(w->target, "/")) {
		refuse(d, w->shown, "it is the root directory");
		goto done;
	}
	const char *slash = strrchr(w->target, '/');
	w->parent = !slash ? xstrdup(".")
	            : slash == w->target ? xstrdup("/")
	                                 : xstrndup(w->target, (size_t)(slash - w->target));

	if (check_target(w->target, w->shown, repo, &exists, d) != 0)
		goto done;

	/* The staging name carries our pid, so concurrent builds into the
	 * same --out never share one. A directory left by a build that
	 * crashed has another pid and is left alone: kura deletes nothing it
	 * cannot prove is its own, and a live build may still own it. The
	 * same name can exist only if a crashed build had our pid (pids are
	 * reused, in containers especially); a counter steps around it. */
	for (int i = 0; i < 100; i++) {
		free(w->staging);
		w->staging = i ? xasprintf("%s.kura-new-%ld.%d", w->target, (long)getpid(), i)
		               : xasprintf("%s.kura-new-%ld", w->target, (long)getpid());
		if (mkdir(w->staging, 0755) == 0)
			break;
		if (errno != EEXIST) {
			diag_error(d, NULL, 0, 0, "--out %s: cannot create the staging directory %s: %s",
			           w->shown, w->staging, strerror(errno));
			if (errno == ENOENT)
				diag_hint(d, "create the directory %s first", w->parent);
			free(w->staging);
			w->staging = NULL;
			goto done;
		}
		if (i == 99) {
			diag_error(d, NULL, 0, 0, "--out %s: cannot create a staging directory: %s exists",
			           w->shown, w->staging);
			diag_hint(d, "remove the stale %s.kura-new-* directories", w->target);
			free(w->staging);
			w->staging = NULL;
			goto done;
		}
	}
	w->stagefd = open(w->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (w->stagefd < 0) {
		diag_error(d, NULL, 0, 0, "--out %s: cannot open %s: %s", w->shown, w->staging,
		           strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (rc != 0) {
		write_abort(w);
		w = NULL;
	}
	*out = w;
	return rc;
}

/* ---- files ------------------------------------------------------------------ */

/* Why relpath may not be written, or NULL when it may: util.h's path
 * rule (which keeps every file inside the staging directory and the
 * manifest readable, one path per line), plus one rule of the writer's
 * own: no segment may start with ".kura-", kura's names for the manifest
 * and temporary files. A C string cannot hold a NUL, so no path does. */
static const char *bad_path(const char *p)
{
	const char *why = path_problem(p, strlen(p));
	if (why)
		return why;
	for (const char *seg = p;; seg++) {
		if (!strncmp(seg, RESERVED, strlen(RESERVED)))
			return "names starting with \".kura-\" are kura's own";
		seg = strchr(seg, '/');
		if (!seg)
			return NULL;
	}
}

/* Creates dir (relative to the staging directory open as stagefd) and its
 * parents. Many files share a directory, and files come grouped by
 * directory, so the last directory made (and so its parents) is
 * remembered in lastdir and skipped; each thread has its own. Another
 * worker may make the same directory at the same moment: EEXIST is
 * success. */
static int make_dirs(int stagefd, struct buf *lastdir, const char *dir, size_t n)
{
	if (n == 0)
		return 0;
	if (lastdir->len >= n && !memcmp(lastdir->data, dir, n) &&
	    (lastdir->len == n || lastdir->data[n] == '/'))
		return 0;
	char *path = xstrndup(dir, n);
	int rc = -1;
	/* Try the whole path first: usually only the last level is new. */
	if (mkdirat(stagefd, path, 0755) != 0 && errno != EEXIST) {
		if (errno != ENOENT)
			goto done;
		for (char *s = path; *s; s++) {
			if (*s != '/')
				continue;
			*s = '\0';
			int r = mkdirat(stagefd, path, 0755);
			*s = '/';
			if (r != 0 && errno != EEXIST)
				goto done;
		}
		if (mkdirat(stagefd, path, 0755) != 0 && errno != EEXIST)
			goto done;
	}
	buf_reset(lastdir);
	buf_put(lastdir, dir, n);
	rc = 0;
done:
	free(path);
	return rc;
}

/* Writes n bytes to fd, through short writes and signals. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t r = write(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Writes one file into the staging directory: to a temporary name in its
 * directory, then renamed. The descriptor is written directly (no stdio:
 * the data is already one buffer, and there is nothing to flush), and
 * close is checked, since some file systems report write errors only
 * there. There is no fsync here: the staging directory is invisible until
 * the commit, which syncs everything at once (see write_commit). Files
 * are created 0644 and directories 0755, less the umask: a user whose
 * umask is 027 asked for a site others cannot read, and gets one.
 *
 * This is the one function doing a file's I/O, in the caller's thread or
 * in a worker; tmpname is the thread's own temporary name (two workers
 * may write into one directory at once), lastdir its make_dirs cache.
 * -1 with errno set on failure. */
static int put_file(int stagefd, struct buf *lastdir, const char *tmpname, const char *relpath,
                    const void *data, size_t n)
{
	const char *slash = strrchr(relpath, '/');
	size_t dn = slash ? (size_t)(slash - relpath) : 0;
	char *tmp = slash ? xasprintf("%.*s/%s", (int)dn, relpath, tmpname) : xstrdup(tmpname);
	int rc = -1, fd = -1;
	if (make_dirs(stagefd, lastdir, relpath, dn) != 0)
		goto done;
	fd = openat(stagefd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		goto done;
	if (write_all(fd, data, n) != 0)
		goto done;
	int c = close(fd);
	fd = -1;
	if (c != 0)
		goto done;
	if (renameat(stagefd, tmp, stagefd, relpath) != 0)
		goto done;
	rc = 0;
done:
	if (rc != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		unlinkat(stagefd, tmp, 0);
		errno = err;
	}
	free(tmp);
	return rc;
}

/* ---- the workers ------------------------------------------------------------ */

/* A file to write, or (during the commit) an entry of the old site to
 * remove. */
struct job {
	struct job *next;
	const char *path; /* a write: points into w->paths (freed after the join) */
	char *data;       /* a write: the copy of the content, malloc'd */
	size_t n;
	int dirfd;        /* a removal: the directory holding name, borrowed */
	char *name;       /* a removal: malloc'd; NULL for a write */
};

/* An I/O error of a worker, as data: write_commit turns it into a
 * diagnostic in the caller's thread (strerror is not thread-safe). */
struct failure {
	char *path; /* malloc'd */
	int err;
};

struct worker {
	pthread_t thread;
	struct pool *pool;
	struct buf lastdir; /* its own make_dirs cache */
	char tmp[32];       /* its own temporary name */
};

/* One mutex guards every field from mu on. A job is a whole file, so the
 * mutex is taken twice per file and never held during I/O. */
struct pool {
	int stagefd; /* borrowed from the writer, closed after the join */
	struct worker *workers;
	int nalloc, nworkers; /* allocated, started */
	pthread_mutex_t mu;
	pthread_cond_t more; /* a job was queued, or stop was set */
	pthread_cond_t room; /* a job was taken from the queue */
	pthread_cond_t idle; /* the queue is empty and no job is running */
	struct job *head, *tail;
	size_t queued, queued_bytes, running;
	size_t max_bytes; /* QUEUE_BYTES, or the tests' bound */
	int stop;
	size_t files, bytes; /* written by the workers */
	struct failure *fail;
	size_t nfail, capfail;
	size_t peak_jobs, peak_bytes;
};

static void job_free(struct job *j)
{
	free(j->data);
	free(j->name);
	free(j);
}

static void *work(void *arg)
{
	struct worker *me = arg;
	struct pool *p = me->pool;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->head && !p->stop)
			pthread_cond_wait(&p->more, &p->mu);
		/* On stop the jobs still queued are dropped (pool_free frees
		 * them); write_commit drains the queue before it stops. */
		if (p->stop)
			break;
		struct job *j = p->head;
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		p->queued--;
		p->queued_bytes -= j->n;
		p->running++;
		pthread_cond_signal(&p->room);
		pthread_mutex_unlock(&p->mu);

		int rc = 0, err = 0, removal = j->name != NULL;
		const char *path = j->path;
		size_t n = j->n;
		if (removal) {
			/* Its errors are left to the sequential removal that
			 * follows, which tries again and reports. */
			remove_tree(j->dirfd, j->name);
		} else if (put_file(p->stagefd, &me->lastdir, me->tmp, path, j->data, n) != 0) {
			rc = -1;
			err = errno;
		}
		job_free(j);

		pthread_mutex_lock(&p->mu);
		if (!removal && rc == 0) {
			p->files++;
			p->bytes += n;
		} else if (!removal) {
			VEC_PUSH(p->fail, p->nfail, p->capfail, ((struct failure){xstrdup(path), err}));
		}
		p->running--;
		if (!p->head && !p->running)
			pthread_cond_broadcast(&p->idle);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Queues j, waiting while the queue is full. A job larger than the byte
 * bound is queued once the queue is empty, so it cannot wait forever. */
static void enqueue(struct pool *p, struct job *j)
{
	pthread_mutex_lock(&p->mu);
	while (p->head && (p->queued >= QUEUE_JOBS || p->queued_bytes + j->n > p->max_bytes))
		pthread_cond_wait(&p->room, &p->mu);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	p->queued++;
	p->queued_bytes += j->n;
	if (p->queued > p->peak_jobs)
		p->peak_jobs = p->queued;
	if (p->queued_bytes > p->peak_bytes)
		p->peak_bytes = p->queued_bytes;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->mu);
}

/* Waits until every queued job is done. */
static void drain(struct pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->head || p->running)
		pthread_cond_wait(&p->idle, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

/* Stops and joins the workers (a job running is finished, the queued
 * ones dropped) and frees everything. */
static void pool_free(struct pool *p)
{
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nworkers; i++)
		pthread_join(p->workers[i].thread, NULL);
	while (p->head) {
		struct job *j = p->head;
		p->head = j->next;
		job_free(j);
	}
	for (size_t i = 0; i < p->nfail; i++)
		free(p->fail[i].path);
	free(p->fail);
	for (int i = 0; i < p->nalloc; i++)
		buf_free(&p->workers[i].lastdir);
	free(p->workers);
	pthread_cond_destroy(&p->idle);
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/* Notes the directories relpath needs (with workers, for conflict). */
static void note_dirs(struct writer *w, const char *relpath)
{
	const char *slash = strrchr(relpath, '/');
	if (!slash)
		return;
	buf_reset(&w->scratch);
	buf_put(&w->scratch, relpath, (size_t)(slash - relpath));
	if (set_has(&w->dirs, w->scratch.data))
		return; /* and so are its parents */
	for (const char *s = relpath; (s = strchr(s, '/')) != NULL; s++) {
		char *dir = xstrndup(relpath, (size_t)(s - relpath));
		if (set_add(&w->dirs, dir))
			free(dir);
	}
}

/* Without workers, a file where an earlier path needs a directory (or
 * the other way round) fails in the file system, deterministically since
 * the writes come in order. With workers, which of the two is written
 * first depends on timing, so the conflict is found here, before
 * queuing, from the paths alone: 0, or the errno the synchronous write
 * fails with (EISDIR renaming a file onto a directory, ENOTDIR making a
 * directory below a file), for the same message. */
static int conflict(struct writer *w, const char *relpath)
{
	if (set_has(&w->dirs, relpath))
		return EISDIR;
	const char *slash = strrchr(relpath, '/');
	if (!slash)
		return 0;
	buf_reset(&w->scratch);
	buf_put(&w->scratch, relpath, (size_t)(slash - relpath));
	if (set_has(&w->dirs, w->scratch.data))
		return 0; /* a known directory: so are its parents, none a file */
	for (const char *s = relpath; (s = strchr(s, '/')) != NULL; s++) {
		buf_reset(&w->scratch);
		buf_put(&w->scratch, relpath, (size_t)(s - relpath));
		if (set_has(&w->seen, w->scratch.data))
			return ENOTDIR;
	}
	return 0;
}

void write_set_jobs(struct writer *w, int jobs)
{
	if (!w || w->pool || jobs <= 1)
		return;
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	struct pool *p = xcalloc(1, sizeof *p);
	p->stagefd = w->stagefd;
	p->max_bytes = queue_bytes;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->more, NULL);
	pthread_cond_init(&p->room, NULL);
	pthread_cond_init(&p->idle, NULL);
	p->workers = xcalloc((size_t)jobs, sizeof *p->workers);
	p->nalloc = jobs;
	for (int i = 0; i < jobs; i++) {
		p->workers[i].pool = p;
		buf_init(&p->workers[i].lastdir);
		snprintf(p->workers[i].tmp, sizeof p->workers[i].tmp, "%s-%d", TMP_NAME, i);
	}
	/* Fewer threads than asked (a limit on threads) still work; none
	 * leaves the writer synchronous. */
	while (p->nworkers < jobs &&
	       pthread_create(&p->workers[p->nworkers].thread, NULL, work, &p->workers[p->nworkers]) == 0)
		p->nworkers++;
	if (!p->nworkers) {
		pool_free(p);
		return;
	}
	w->pool = p;
	for (size_t i = 0; i < w->npaths; i++)
		note_dirs(w, w->paths[i]);
}

void write_test_queue_peak(const struct writer *w, size_t *out_jobs, size_t *out_bytes)
{
	*out_jobs = *out_bytes = 0;
	if (!w || !w->pool)
		return;
	pthread_mutex_lock(&w->pool->mu);
	*out_jobs = w->pool->peak_jobs;
	*out_bytes = w->pool->peak_bytes;
	pthread_mutex_unlock(&w->pool->mu);
}

static int cmp_failure(const void *a, const void *b)
{
	const struct failure *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->err > y->err) - (x->err < y->err);
}

/* Moves the workers' I/O errors into d, sorted by path (the order they
 * happened in depends on timing), and counts them as failed writes. */
static void take_failures(struct writer *w, struct diags *d)
{
	struct pool *p = w->pool;
	drain(p);
	pthread_mutex_lock(&p->mu);
	struct failure *fail = p->fail;
	size_t n = p->nfail;
	p->fail = NULL;
	p->nfail = p->capfail = 0;
	pthread_mutex_unlock(&p->mu);
	if (n)
		xsort(fail, n, sizeof *fail, cmp_failure);
	struct buf shown;
	buf_init(&shown);
	for (size_t i = 0; i < n; i++) {
		buf_reset(&shown);
		put_shown(&shown, fail[i].path);
		diag_error(d, NULL, 0, 0, "cannot write \"%s\" into %s: %s", shown.data, w->staging,
		           strerror(fail[i].err));
		free(fail[i].path);
		w->failed++;
	}
	buf_free(&shown);
	free(fail);
}

/* ---- write_file ------------------------------------------------------------- */

int write_file(struct writer *w, const char *relpath, const void *data, size_t n,
               struct diags *d)
{
	struct buf shown;
	buf_init(&shown);
	int rc = -1;
	put_shown(&shown, relpath ? relpath : "");
	const char *why = relpath ? bad_path(relpath) : "the path is empty";
	if (why) {
		diag_error(d, NULL, 0, 0, "refusing to write \"%s\" into the site: %s", shown.data, why);
		diag_hint(d, "output paths must be relative, with segments separated by '/' and no "
		             "empty, \".\" or \"..\" segment");
		goto done;
	}
	if (set_has(&w->seen, relpath)) {
		diag_error(d, NULL, 0, 0, "refusing to write \"%s\" twice: two pages have the same path",
		           shown.data);
		diag_hint(d, "give one of them another slug");
		goto done;
	}
	int err = 0;
	if (w->pool)
		err = conflict(w, relpath);
	else if (put_file(w->stagefd, &w->lastdir, TMP_NAME, relpath, data, n) != 0)
		err = errno;
	if (err) {
		diag_error(d, NULL, 0, 0, "cannot write \"%s\" into %s: %s", shown.data, w->staging,
		           strerror(err));
		goto done;
	}
	char *copy = xstrdup(relpath);
	VEC_PUSH(w->paths, w->npaths, w->cap, copy);
	set_add(&w->seen, copy);
	if (w->pool) {
		/* The path string lives in w->paths until after the join; the
		 * data is copied, since the caller reuses its buffer. */
		note_dirs(w, copy);
		struct job *j = xcalloc(1, sizeof *j);
		j->path = copy;
		j->data = xmalloc(n);
		if (n)
			memcpy(j->data, data, n);
		j->n = n;
		j->dirfd = -1;
		enqueue(w->pool, j);
	} else {
		w->files++;
		w->bytes += n;
	}
	rc = 0;
done:
	if (rc != 0)
		w->failed++;
	buf_free(&shown);
	return rc;
}

/* Files and bytes in place: the caller's own writes plus, with workers,
 * theirs once the queue has drained. */
static void totals(const struct writer *w, size_t *files, size_t *bytes)
{
	*files = w ? w->files : 0;
	*bytes = w ? w->bytes : 0;
	if (w && w->pool) {
		drain(w->pool);
		pthread_mutex_lock(&w->pool->mu);
		*files += w->pool->files;
		*bytes += w->pool->bytes;
		pthread_mutex_unlock(&w->pool->mu);
	}
}

size_t write_count(const struct writer *w)
{
	size_t files, bytes;
	totals(w, &files, &bytes);
	return files;
}

size_t write_bytes(const struct writer *w)
{
	size_t files, bytes;
	totals(w, &files, &bytes);
	return bytes;
}

/* ---- commit ----------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* renameat2 through the system call, since older C libraries lack the
 * wrapper; ENOSYS where there is no such call. */
static int rename2(const char *from, const char *to, unsigned flags)
{
	if (flags & RENAME_EXCHANGE && no_exchange) {
		errno = EINVAL;
		return -1;
	}
#if defined(__linux__) && defined(SYS_renameat2)
	return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
#else
	(void)from, (void)to, (void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

/* Makes the staging tree durable before it becomes visible. One fsync
 * per file would cost a journal commit each (seconds for 10,000 files);
 * syncfs writes back the whole file system in one call. Without syncfs,
 * sync() does the same for every file system. */
static int sync_tree(int fd)
{
#ifdef __linux__
	return syncfs(fd);
#else
	(void)fd;
	sync();
	return 0;
#endif
}

/* Makes a rename in dir durable. */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int err = errno;
	close(fd);
	errno = err;
	return rc;
}

/* Puts the staging directory at the target. With an old site there, the
 * two are exchanged in one step and *out_old names where the old tree
 * now is (to be removed); where the file system cannot exchange, the old
 * site is moved aside first, leaving a moment without a site. */
static int swap_in(struct writer *w, int exists, char **out_old, struct diags *d)
{
	*out_old = NULL;
	if (!exists) {
		/* NOREPLACE: a directory that appeared since the check is not
		 * silently replaced. */
		if (rename2(w->staging, w->target, RENAME_NOREPLACE) == 0)
			goto ok;
		if ((errno == EINVAL || errno == ENOSYS) && rename(w->staging, w->target) == 0)
			goto ok;
		goto fail;
	}
	if (rename2(w->staging, w->target, RENAME_EXCHANGE) == 0) {
		*out_old = xstrdup(w->staging);
		goto ok;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		goto fail;
	char *old = xasprintf("%s.kura-old-%ld", w->target, (long)getpid());
	if (rename(w->target, old) != 0) {
		free(old);
		goto fail;
	}
	if (rename(w->staging, w->target) != 0) {
		int err = errno;
		rename(old, w->target); /* put the old site back */
		free(old);
		errno = err;
		goto fail;
	}
	*out_old = old;
ok:
	return 0;
fail:
	diag_error(d, NULL, 0, 0, "--out %s: cannot move the new site into place: %s", w->shown,
	           strerror(errno));
	if (errno == EXDEV || errno == EBUSY)
		diag_hint(d, "--out must not be a mount point: kura builds beside it and renames");
	return -1;
}

/* Reads the names in the directory open as fd (not closed) and queues
 * each as a removal job. The names are read first, then queued, so that
 * the listing is never read while the workers delete from it. */
static void queue_children(struct pool *p, int fd)
{
	int rfd = dup(fd);
	if (rfd < 0)
		return;
	DIR *dir = fdopendir(rfd);
	if (!dir) {
		close(rfd);
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (is_dot(e->d_name))
			continue;
		VEC_PUSH(names, n, cap, xstrdup(e->d_name));
	}
	closedir(dir);
	for (size_t i = 0; i < n; i++) {
		struct job *j = xcalloc(1, sizeof *j);
		j->dirfd = fd;
		j->name = names[i];
		enqueue(p, j);
	}
	free(names);
}

/* Removes most of the old tree old on the workers. A site keeps nearly
 * all its files a level or more down (sessions/<slug>/index.html), and one
 * top-level directory can hold nearly all of them, so the jobs are the
 * entries of each top-level directory, not the top-level entries. What is
 * left (the top-level entries themselves, and whatever a job could not
 * remove) is for the sequential remove_tree that follows, which reports
 * errors. No symbolic link is followed: each top-level directory is
 * opened with O_NOFOLLOW, each job removes one entry relative to it, and
 * remove_tree follows none. */
static void remove_shared(struct pool *p, const char *old)
{
	int fd = open(old, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	int *subs = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (is_dot(e->d_name) || !is_dir_entry(fd, e))
			continue;
		int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		VEC_PUSH(subs, n, cap, sub);
		queue_children(p, sub);
	}
	/* The jobs borrow the descriptors: closed only when all are done. */
	drain(p);
	for (size_t i = 0; i < n; i++)
		close(subs[i]);
	free(subs);
	closedir(dir);
}

int write_commit(struct writer *w, struct diags *d)
{
	int rc = -1, exists = 0;
	char *old = NULL;
	struct buf m;
	buf_init(&m);

	/* The workers stay (idle) until write_abort below joins them: they
	 * remove the old tree after the swap. */
	if (w->pool)
		take_failures(w, d);
	if (w->failed) {
		diag_error(d, NULL, 0, 0, "--out %s: the site was not replaced: %d file%s could not "
		           "be written", w->shown, w->failed, w->failed == 1 ? "" : "s");
		goto done;
	}
	xsort(w->paths, w->npaths, sizeof *w->paths, cmp_str);
	buf_puts(&m, MANIFEST_HEADER "\n");
	for (size_t i = 0; i < w->npaths; i++) {
		buf_puts(&m, w->paths[i]);
		buf_putc(&m, '\n');
	}
	if (put_file(w->stagefd, &w->lastdir, TMP_NAME, MANIFEST, m.data, m.len) != 0) {
		diag_error(d, NULL, 0, 0, "cannot write %s/%s: %s", w->staging, MANIFEST,
		           strerror(errno));
		goto done;
	}
	if (sync_tree(w->stagefd) != 0) {
		diag_error(d, NULL, 0, 0, "cannot sync %s: %s", w->staging, strerror(errno));
		goto done;
	}
	/* Checked again: the build may have taken a while, and whatever is
	 * at the target now is what the swap would remove. */
	if (check_target(w->target, w->shown, w->repo, &exists, d) != 0)
		goto done;
	if (swap_in(w, exists, &old, d) != 0)
		goto done;
	/* From here the new site is in place: what fails is only worth a
	 * warning. */
	if (sync_dir(w->parent) != 0)
		diag_warn(d, NULL, 0, 0, "--out %s: cannot sync %s: %s", w->shown, w->parent,
		          strerror(errno));
	if (old && w->pool)
		remove_shared(w->pool, old);
	if (old && remove_tree(AT_FDCWD, old) != 0)
		diag_warn(d, NULL, 0, 0, "--out %s: the new site is in place, but the old one "
		          "could not be removed from %s: %s", w->shown, old, strerror(errno));
	free(w->staging);
	w->staging = NULL; /* now the target: write_abort must not remove it */
	rc = 0;
done:
	free(old);
	buf_free(&m);
	write_abort(w);
	return rc;
}

/* ---- abort ------------------------------------------------------------------ */

void write_abort(struct writer *w)
{
	if (!w)
		return;
	/* Joined first: the workers write through stagefd. */
	if (w->pool)
		pool_free(w->pool);
	if (w->stagefd >= 0)
		close(w->stagefd);
	if (w->staging)
		remove_tree(AT_FDCWD, w->staging);
	for (size_t i = 0; i < w->npaths; i++)
		free(w->paths[i]);
	free(w->paths);
	strmap_free(&w->seen);
	dirs_free(&w->dirs);
	buf_free(&w->lastdir);
	buf_free(&w->scratch);
	free(w->shown);
	free(w->target);
	free(w->staging);
	free(w->parent);
	free(w->repo);
	free(w);
}
