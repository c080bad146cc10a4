/* source.h — where content comes from, behind one interface.
 *
 *  - a non-bare git repository without a ref: the working tree as it is on
 *    disk (uncommitted edits included);
 *  - a ref (branch, tag, commit id) or a bare repository: the commit's tree
 *    read straight from the object database (no checkout, no temp files);
 *  - a directory that is not in a git repository: the directory.
 *
 * Which kind is decided by the directory given alone: it must be the root
 * of a work tree (holding .git) or a bare repository to be read as git.
 * Parents are never searched, so a directory inside a repository is read
 * as a plain directory and paths stay relative to the directory given.
 * A git directory given by its own path (repo/.git) is read like a bare
 * repository, at HEAD.
 *
 * Paths are relative to the repository root (or the directory), with '/'
 * separators, e.g. "content/sessions/2020/0603.md". The rest of kura never
 * knows which kind it has: a working tree gives what a commit of it would
 * give, so files git ignores (unless tracked), nested repositories and
 * submodules, symbolic links and .git are left out of listings and read as
 * missing (symbolic links are refused with an error). A plain directory
 * has no ignore rules: every regular file outside .git is content. On disk
 * no symbolic link is ever followed, at any component of a path.
 *
 * A source may be used from several threads: calls are serialized inside.
 */
#ifndef KURA_SOURCE_H
#define KURA_SOURCE_H

#include <stddef.h>

#include "diag.h"

enum source_kind { SOURCE_WORKTREE, SOURCE_TREE, SOURCE_DIR };

struct source;

struct source_file {
	char *path;    /* relative path, malloc'd */
	char id[41];   /* git blob id in hex (computed from the content for
	                  worktree and directory files, without filters such
	                  as autocrlf, so an unchanged file has the id it has
	                  in the commit), for caches */
};

struct source_list {
	struct source_file *v;
	size_t n;
};

/* Opens dir (NULL = "."), at ref (NULL = none). On failure records an
 * error (e.g. "--ref REV: no such revision in DIR", a missing directory, a
 * ref given for a plain directory) into d, sets *out to NULL and returns
 * -1. The caller closes what it got (source_close(NULL) does nothing). */
int source_open(struct source **out, const char *dir, const char *ref, struct diags *d);
/* source_open that also reads objects from the object directories listed
 * (NULL-terminated; each an absolute path or relative to the current
 * directory), as alternates of the repository's own. That is how a git
 * hook sees a push that git keeps in quarantine until pre-receive accepts
 * it (GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES: main.c reads
 * them). objects may be NULL; it is ignored for a plain directory. */
int source_open_objects(struct source **out, const char *dir, const char *ref,
                        const char *const *objects, struct diags *d);
void source_close(struct source *s);
/* libgit2's message for its last error on this thread, for diagnostics of
 * every module that calls libgit2 (source, history, hooks). */
const char *source_git_error(void);
enum source_kind source_kind(const struct source *s);
/* "working tree of DIR", "commit 1a2b3c4 (REF as given, or HEAD) of DIR",
 * "directory DIR" — for messages; owned by s. */
const char *source_describe(const struct source *s);
/* The repository (SOURCE_WORKTREE and SOURCE_TREE; NULL for SOURCE_DIR),
 * owned by s, e.g. for a walk of history. Not to be used while another
 * thread calls into s. */
struct git_repository *source_repo(const struct source *s);
/* The commit read, as 40 hex digits (SOURCE_TREE; NULL otherwise); owned
 * by s. */
const char *source_commit(const struct source *s);

/* Every regular file under prefix (a directory path such as "content",
 * no trailing slash; "" for everything), recursively, sorted by path in
 * byte order. Symbolic links, submodules and files inside .git are
 * skipped. A missing prefix gives an empty list, not an error. In a working
 * tree and a directory every file is read once to compute its id. On
 * error the list is left empty. The caller frees the list with
 * source_list_free. */
int source_list(struct source *s, const char *prefix, struct source_list *out,
                struct diags *d);
void source_list_free(struct source_list *l);

/* Reads one file. *out is malloc'd, NUL-terminated (the NUL is not counted
 * in *out_len); the caller frees it. A missing file returns 1 with nothing
 * recorded; a read failure records an error and returns -1, and so does a
 * path that is absolute or has an empty, "." or ".." segment, a symbolic
 * link, or something that is not a regular file. */
int source_read(struct source *s, const char *path, char **out, size_t *out_len,
                struct diags *d);

#endif
