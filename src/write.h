/* write.h — writing the site atomically, in two layers.
 *
 * 1. Every file is written into a staging directory beside the target
 *    (<out>.kura-new-<pid>): to a temporary name, flushed, renamed.
 * 2. write_commit swaps the staging directory in for the target only when
 *    the whole build succeeded; write_abort removes it, leaving the
 *    previous site byte for byte as it was.
 *
 * The target may be absent, empty, or a directory that kura wrote before
 * (it holds kura's manifest, .kura-manifest, listing every file it wrote,
 * and nothing else). Any other directory is refused with an error that
 * says why, so that a mistyped --out never deletes a volunteer's files.
 */
#ifndef KURA_WRITE_H
#define KURA_WRITE_H

#include <stddef.h>

#include "diag.h"

struct writer;

/* Checks the target and creates the staging directory. -1 and an error
 * recorded in d when the target is refused or cannot be prepared. */
int write_begin(struct writer **out, const char *outdir, struct diags *d);
/* Writes relpath (e.g. "sessions/x/index.html") inside the staging
 * directory, creating directories as needed. relpath must be relative,
 * without "." or ".." segments, empty segments or backslashes: anything
 * else is refused with an error (content must never escape the output).
 * Writing the same path twice is an error too. */
int write_file(struct writer *w, const char *relpath, const void *data, size_t n,
               struct diags *d);
/* Writes the manifest, syncs, and swaps the staging directory in. Frees w. */
int write_commit(struct writer *w, struct diags *d);
/* Removes the staging directory. Frees w. Safe with w == NULL. */
void write_abort(struct writer *w);
/* How many files and bytes have been written so far. */
size_t write_count(const struct writer *w);
size_t write_bytes(const struct writer *w);

#endif
