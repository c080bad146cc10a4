/* scaffold.h — `kura new session|project|page`: a new content file,
 * correctly named, with every field of its kind's table.
 *
 * The archive is read through the normal stages (source_open, then
 * model_load with drafts) to learn the series, their numbers and the
 * addresses already taken; nothing is written when it has an error. Then
 * one file is written:
 *
 *   session  content/sessions/<yyyy>/<yyyy-mm-dd>-<slug>.md
 *   project  content/projects/<slug>.md
 *   page     content/pages/<slug>.md
 *
 * A session's slug is the one given, or the series' ASCII slug from
 * content/series.yaml followed by "-<number, two digits>" when the session
 * has a number, or the ASCII letters and digits of the title, or
 * "session". Its number is the one given, or, when its series already
 * numbers its sessions, the largest number plus one. A project's or a
 * page's slug is the one given or the ASCII letters and digits of the
 * title. The front matter has one line per row of model_fields (model.h):
 * "name: value  # doc" for the fields given, "# name:  # doc" (a YAML
 * comment) for the others, so the file loads as it is and a volunteer sees
 * every field with its Japanese description. Dates are written in ISO
 * form, whatever form (date.h) was given.
 *
 * Refused, with a message in Japanese and then English: a session without
 * a date or with a date that is not one (date.h's message), a series that
 * content/series.yaml (when it exists) does not list (with the nearest
 * name, model_nearest), a session of the series on the same day when
 * neither a number nor a slug is given (the same command run twice), an
 * address another record of the kind already has, an existing file (never overwritten: the file appears whole or not
 * at all, by link(2) from a temporary file), a slug that cannot be a file
 * name, and a bare repository or a commit (there is no working tree to
 * write into).
 */
#ifndef KURA_SCAFFOLD_H
#define KURA_SCAFFOLD_H

#include "diag.h"
#include "model.h"

struct scaffold {
	enum record_kind kind; /* RECORD_SESSION, RECORD_PROJECT or RECORD_PAGE */
	const char *repo;      /* the archive's directory (NULL: ".") */
	const char *title;     /* required */
	const char *slug;      /* or NULL: made as above */
	/* Sessions only (given for another kind: refused). */
	const char *date;      /* as the volunteer wrote it; required */
	const char *series;    /* or NULL */
	int number;            /* 0: the next in the series, if it has numbers */
};

/* Writes the new file. On success *out is its path relative to the
 * repository (malloc'd; the caller frees it) and 0 is returned; on
 * failure *out is NULL, nothing was written and -1 is returned with the
 * reasons in d. */
int scaffold_new(char **out, const struct scaffold *o, struct diags *d);

#endif
