/* output.h — what a build writes: the table of output kinds.
 *
 * Each kind of page (home, session, project, theme, archive, feed, ...)
 * is one row in output.c pairing "which paths" with "how to render", so a
 * new kind is one row and, usually, one template. output_site renders
 * every row through the theme's templates into the writer.
 */
#ifndef KURA_OUTPUT_H
#define KURA_OUTPUT_H

#include <stddef.h>

#include "diag.h"
#include "index.h"
#include "model.h"
#include "source.h"
#include "theme.h"
#include "write.h"

struct output_stats {
	size_t pages; /* HTML pages */
	size_t files; /* every file */
};

/* Renders and writes the whole site (with w == NULL: renders only, for
 * kura check). Every problem is recorded in d;
 * returns -1 if any is an error (the caller then aborts the writer). */
int output_site(const struct model *m, const struct index *ix, struct theme *t,
                struct source *src, struct writer *w, struct output_stats *stats,
                struct diags *d);

#endif
