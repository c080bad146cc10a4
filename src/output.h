/* output.h — what a build writes: the table of output kinds.
 *
 * Each kind of file (home, session, project, theme page, feed, data file,
 * asset...) is one row in output.c's table. A row names, separately:
 *   - which files it makes (how many, and each one's path and href, from
 *     url.h) — so the whole site can be listed without rendering anything;
 *   - which inputs each file reads (records, groups, the theme) — what an
 *     incremental build needs to know;
 *   - how to make one file: a template and the view function that builds
 *     its values (view.h), or a function that writes its bytes.
 * The names a free page may not take, the header's navigation sections
 * and the sitemap all derive from the table.
 *
 * output_plan lists the site; output_write renders every file, with N
 * threads, and hands the files to the writer in the plan's order, so the
 * bytes, the manifest and the diagnostics are the same for every N.
 */
#ifndef KURA_OUTPUT_H
#define KURA_OUTPUT_H

#include <stddef.h>

#include "diag.h"
#include "index.h"
#include "model.h"
#include "source.h"
#include "theme.h"
#include "util.h"
#include "write.h"

/* One file of the site. */
struct output_file {
	const char *path;  /* written here, raw UTF-8 ("themes/コロナ/index.html") */
	const char *href;  /* its root-relative URL ("themes/%E3%82%B3.../"), or
	                      NULL for files that are not pages */
	size_t row, i;     /* made by row `row` of the table, its i-th file */
};

/* What a file reads. `what` points to the record or group (NULL for the
 * kinds that name no single thing). */
enum output_input_kind {
	INPUT_SITE,     /* content/site.yaml: every file reads it */
	INPUT_THEME,    /* the theme's templates (every page) or one asset */
	INPUT_SESSION,  /* a struct session */
	INPUT_PROJECT,  /* a struct project */
	INPUT_PAGE,     /* a struct page */
	INPUT_GROUP,    /* a struct group: its members and figures */
	INPUT_SESSIONS, /* every session (site-wide lists and figures) */
	INPUT_PROJECTS, /* every project */
	INPUT_MEDIA,    /* a file under content/media: a const char *path */
};

struct output_input {
	enum output_input_kind kind;
	const void *what;
};

struct output_inputs {
	struct output_input *v;
	size_t n, cap;
};

struct output_plan;

/* Lists every file of the site for m, ix and theme t (media files through
 * src). Records an error for a free page whose address a row of the table
 * takes. On success *out is the plan (free it with output_plan_free); on
 * failure *out is NULL, nothing is left to free, and -1 is returned. The
 * model, index, theme and source must outlive the plan. */
int output_plan(struct output_plan **out, const struct model *m, const struct index *ix,
                struct theme *t, struct source *src, struct diags *d);
void output_plan_free(struct output_plan *p);

/* The plan's files, in the table's order, then each row's own order. */
size_t output_count(const struct output_plan *p);
const struct output_file *output_file(const struct output_plan *p, size_t i);
/* Appends the inputs of file i to out (the caller frees out->v). An input
 * may be listed more than once (a session that is both the previous one
 * and a related one). */
void output_file_inputs(const struct output_plan *p, size_t i, struct output_inputs *out);
/* The name of the row that makes file i ("session", "sessions.json"...). */
const char *output_file_kind(const struct output_plan *p, size_t i);

/* Called by output_write from the caller's thread, in the plan's order,
 * with the bytes of each file i it made (also when it writes nothing, for
 * kura check): how links.h learns the anchors of every page. */
typedef void output_seen_fn(void *ctx, size_t i, const char *data, size_t len);
/* Sets p's observer (fn NULL: none). */
void output_observe(struct output_plan *p, output_seen_fn *fn, void *ctx);

struct output_stats {
	size_t pages; /* HTML pages */
	size_t files; /* every file */
	size_t media; /* files of content/media, copied as they are */
};

/* Renders every file of the plan with `jobs` threads (1 = in the caller's
 * thread) and writes each through w, in the plan's order, from the
 * caller's thread (w == NULL renders only, for kura check). Every template
 * is compiled first, so every theme error is reported in one run. Every
 * problem is recorded in d, in the plan's order whatever the thread
 * count; returns -1 if any is an error (the caller then aborts the
 * writer). */
int output_write(const struct output_plan *p, struct writer *w, int jobs,
                 struct output_stats *stats, struct diags *d);

#endif
