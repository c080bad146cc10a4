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
 *
 * A writer is used from one thread at a time.
 */
#ifndef KURA_WRITE_H
#define KURA_WRITE_H

#include <stddef.h>

#include "diag.h"

struct writer;

/* Checks the target and creates the staging directory. -1 and an error
 * recorded in d when the target is refused or cannot be prepared. Besides
 * a directory kura did not write, refused are: a symbolic link or a file
 * as the target, "/", "." and ".." (as the last segment), and the current
 * directory or any directory containing it. The parent of outdir must
 * exist. A staging directory left by a build that crashed (another pid)
 * is left alone; the caller frees w with write_commit or write_abort. */
int write_begin(struct writer **out, const char *outdir, struct diags *d);
/* write_begin that also refuses an outdir that is the repository `repo`
 * or contains it (repo may be NULL: then it is write_begin). */
int write_begin_repo(struct writer **out, const char *outdir, const char *repo,
                     struct diags *d);
/* Writes relpath (e.g. "sessions/x/index.html") inside the staging
 * directory, creating directories as needed. relpath must be relative,
 * without "." or ".." segments, empty segments or backslashes: anything
 * else is refused with an error (content must never escape the output).
 * Writing the same path twice is an error too, and so are control bytes,
 * segments over 255 bytes, paths of 4096 bytes or more, and segments starting
 * with ".kura-" (kura's own names). Files are 0644 and directories 0755,
 * less the umask. A failed write does not stop the writer (every problem
 * of a build is reported), but write_commit will refuse. */
int write_file(struct writer *w, const char *relpath, const void *data, size_t n,
               struct diags *d);
/* Writes the manifest (.kura-manifest: "# kura site manifest v1", then
 * every path written, sorted bytewise, one a line), syncs, checks the
 * target again, and swaps the staging directory in: exchanged with the old
 * site in one step (renameat2 RENAME_EXCHANGE), then the old tree is
 * removed. Refused when any write_file failed. Frees w, even on error (the
 * staging directory is then removed and the old site left as it was). */
int write_commit(struct writer *w, struct diags *d);
/* Removes the staging directory. Frees w. Safe with w == NULL. */
void write_abort(struct writer *w);
/* How many files and bytes have been written so far. */
size_t write_count(const struct writer *w);
size_t write_bytes(const struct writer *w);

/* For tests only: with on != 0, write_commit acts as on a file system
 * without RENAME_EXCHANGE (the old site is moved aside, then the new one
 * moved in). */
void write_test_no_exchange(int on);

#endif
