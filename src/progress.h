/* progress.h — one updating line on a terminal while a long stage runs.
 *
 * Only when the stream is a terminal (and TERM is not "dumb", and CI is
 * not set: a CI log is a file, whatever its runner pretends), and only
 * once the work has taken longer than a delay (a second): a quick build
 * prints nothing but its summary. The line is redrawn at most ten times a
 * second with "\r" and erased (ANSI "erase line") when the work ends, so
 * the summary takes its place. Called from one thread.
 */
#ifndef KURA_PROGRESS_H
#define KURA_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

struct progress;

/* A progress line on f when enabled and f is a terminal; delay is the
 * seconds of work before it appears. Free with progress_end. */
struct progress *progress_begin(FILE *f, int enabled, double delay);
/* done of the site's total files are made; the line shows
 * "kura: done/total files (percent)". Safe with p == NULL. */
void progress_set(struct progress *p, size_t done, size_t total);
/* Erases the line if it was drawn and frees p. Safe with p == NULL. */
void progress_end(struct progress *p);
/* Was a line drawn (for tests and the summary)? */
int progress_shown(const struct progress *p);

#endif
