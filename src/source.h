/* source.h — where content comes from, behind one interface.
 *
 *  - a non-bare git repository without a ref: the working tree as it is on
 *    disk (uncommitted edits included);
 *  - a ref (branch, tag, commit id) or a bare repository: the commit's tree
 *    read straight from the object database (no checkout, no temp files);
 *  - a directory that is not in a git repository: the directory.
 *
 * Paths are relative to the repository root (or the directory), with '/'
 * separators, e.g. "content/sessions/2020/0603.md". The rest of kura never
 * knows which kind it has.
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
	                  worktree and directory files), for caches */
};

struct source_list {
	struct source_file *v;
	size_t n;
};

/* Opens dir (NULL = "."), at ref (NULL = none). On failure records an
 * error (e.g. unknown ref) into d and returns -1. The caller closes it. */
int source_open(struct source **out, const char *dir, const char *ref, struct diags *d);
void source_close(struct source *s);
enum source_kind source_kind(const struct source *s);
/* "working tree", "commit 1a2b3c4 (main)", "directory" — for messages. */
const char *source_describe(const struct source *s);

/* Every regular file under prefix (a directory path such as "content",
 * no trailing slash; "" for everything), recursively, sorted by path in
 * byte order. Symbolic links, submodules and files inside .git are
 * skipped. A missing prefix gives an empty list, not an error. The caller
 * frees the list with source_list_free. */
int source_list(struct source *s, const char *prefix, struct source_list *out,
                struct diags *d);
void source_list_free(struct source_list *l);

/* Reads one file. *out is malloc'd, NUL-terminated (the NUL is not counted
 * in *out_len); the caller frees it. A missing file returns 1 with nothing
 * recorded; a read failure records an error and returns -1. */
int source_read(struct source *s, const char *path, char **out, size_t *out_len,
                struct diags *d);

#endif
