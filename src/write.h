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
 * Threads: every function here is called from ONE thread (the caller's).
 * With write_set_jobs(w, N >= 2) the writer runs N worker threads of its
 * own that do the file-system work of write_file; they are started there
 * and joined by write_commit or write_abort, so no thread outlives w.
 */
#ifndef KURA_WRITE_H
#define KURA_WRITE_H

#include <stddef.h>

#include "diag.h"

struct writer;

/* Checks the target and creates the staging directory. -1 and an error
 * recorded in d when the target is refused or cannot be prepared. Besides
 * a directory kura did not write, refused are: the repository `repo` (may
 * be NULL) or a directory containing it, a symbolic link or a file
 * as the target, "/", "." and ".." (as the last segment), and the current
 * directory or any directory containing it. The parent of outdir must
 * exist. A staging directory left by a build that crashed (another pid)
 * is left alone. On failure *out is NULL and nothing is left to free
 * (kura's constructor rule); on success the caller ends the writer with
 * write_commit or write_abort. */
int write_begin(struct writer **out, const char *outdir, const char *repo,
                struct diags *d);
/* Sets how many threads write files; call it once, right after
 * write_begin and before the first write_file (later
 * calls are ignored). jobs <= 1 keeps every write synchronous, in the
 * caller's thread. jobs >= 2 starts that many worker threads (at most 64;
 * if the system refuses some, fewer, and none means synchronous): then
 * write_file checks the path and queues a copy of the data, and a worker
 * makes the directories, writes and renames. The queue is bounded (64
 * files or 32 MiB, a single larger file alone), write_file waiting for
 * room, so memory stays bounded whatever the site's size. The files, the
 * manifest and the diagnostics are the same for every job count; only
 * when an I/O error is reported differs (see write_file). Safe with
 * w == NULL. */
void write_set_jobs(struct writer *w, int jobs);
/* Writes relpath (e.g. "sessions/x/index.html") inside the staging
 * directory, creating directories as needed. relpath must be relative,
 * without "." or ".." segments, empty segments or backslashes: anything
 * else is refused with an error (content must never escape the output).
 * Writing the same path twice is an error too, and so are control bytes,
 * segments over 255 bytes, paths of 4096 bytes or more, and segments starting
 * with ".kura-" (kura's own names). Files are 0644 and directories 0755,
 * less the umask. A failed write does not stop the writer (every problem
 * of a build is reported), but write_commit will refuse. data is copied
 * (or written) before the call returns: the caller may reuse it at once.
 *
 * With workers, the checks above, the refusal of a second write of a
 * path, and a file where an earlier path needs a directory (or the other
 * way round) are still reported here, in the caller's thread, with -1 and
 * the same message as without workers. An I/O error of the write itself
 * (disk full, a directory that cannot be made) happens later, in a
 * worker: write_file has returned 0, and the error is recorded into the
 * diags given to write_commit (sorted by path), which then refuses. */
int write_file(struct writer *w, const char *relpath, const void *data, size_t n,
               struct diags *d);
/* Waits for the queued files to be written, records the workers' I/O
 * errors into d, then writes the manifest (.kura-manifest: "# kura site
 * manifest v1", then every path written, sorted bytewise, one a line),
 * syncs, checks the target again, and swaps the staging directory in:
 * exchanged with the old site in one step (renameat2 RENAME_EXCHANGE),
 * then the old tree is removed (with workers, its subdirectories are
 * shared among them). Refused when any write_file failed, in the caller or
 * in a worker. Joins the workers and frees w, even on error (the staging
 * directory is then removed and the old site left as it was). */
int write_commit(struct writer *w, struct diags *d);
/* Stops the workers (a file being written is finished, the files still
 * queued and the workers' I/O errors are dropped), joins them, removes
 * the staging directory and frees w. Safe with w == NULL, and at any
 * point of a build. */
void write_abort(struct writer *w);
/* How many files and bytes have been written so far: counted when a file
 * is in place under its name, so a failed write never counts. With
 * workers they first wait until every queued file is finished, so the
 * figures are exact and the same for any job count: call them after the
 * last write_file, not once per file. */
size_t write_count(const struct writer *w);
size_t write_bytes(const struct writer *w);

/* Removes path and, when it is a directory, everything inside it
 * (symbolic links are removed, never followed): for kura serve's private
 * directory. -1 with errno set when something could not be removed. */
int write_remove(const char *path);

/* For tests only: with on != 0, write_commit acts as on a file system
 * without RENAME_EXCHANGE (the old site is moved aside, then the new one
 * moved in). */
void write_test_no_exchange(int on);
/* For tests only: the byte bound of the queue of writers started from now
 * on (0: the default, 32 MiB), so that a test can fill it, or queue a file
 * larger than it, with kilobytes instead of tens of megabytes. */
void write_test_queue_bytes(size_t bytes);
/* For tests only: the most files and bytes that were ever queued at once
 * (0 and 0 without workers). */
void write_test_queue_peak(const struct writer *w, size_t *out_jobs, size_t *out_bytes);

#endif
