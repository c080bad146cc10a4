/* tmpl.h — the Mustache template engine.
 *
 * Implements the official Mustache specification (interpolation, sections,
 * inverted sections, comments, set delimiters, partials with standalone
 * indentation, template inheritance with {{<parent}} / {{$block}}, dynamic
 * names {{>*name}}); lambdas are out of scope. It knows nothing of
 * sessions or pages: it renders struct value trees (value.h).
 *
 * A struct tmpl_set holds named templates. Each is compiled once, on first
 * use, from source text given by tmpl_set_add or fetched through the
 * loader, and rendered any number of times. After tmpl_set_compile has
 * compiled a template and every partial it names statically, rendering it
 * does not modify the set, so threads may render concurrently (a dynamic
 * partial that was not compiled yet is the exception: compile the theme's
 * templates up front for threaded use).
 *
 * {{x}} escapes with escape_html (escape.h). An integer prints in decimal,
 * a bool as "true"/"false"; null, missing names, lists and maps print
 * nothing. Names are looked up as the spec says: the first part of a dotted
 * name from the top of the context stack down, the rest inside what it
 * found. Partials, parents and overridden blocks nest at most 100 levels
 * deep (a template including itself is an error, not a stack overflow);
 * sections nest at most 100 levels inside one template.
 */
#ifndef KURA_TMPL_H
#define KURA_TMPL_H

#include <stddef.h>

#include "diag.h"
#include "util.h"
#include "value.h"

/* Finds the source of the template called name. Returns 0 and sets *src
 * (malloc'd; the set takes ownership), *len and *path (malloc'd display
 * path for diagnostics, e.g. "themes/default/templates/header.mustache";
 * the set takes ownership) when found; 1 when there is no such template;
 * -1 after recording an error in d. */
typedef int (*tmpl_loader)(void *ctx, const char *name, size_t name_len, char **src,
                           size_t *len, char **path, struct diags *d);

enum {
	/* A partial or parent that cannot be found is an error (themes)
	 * instead of the empty string (what the spec asks for). */
	TMPL_STRICT = 1,
};

struct tmpl_set;

struct tmpl_set *tmpl_set_new(tmpl_loader load, void *ctx, int flags);
void tmpl_set_free(struct tmpl_set *set);
/* Adds a template from memory (copied) under name; path (copied; NULL
 * means name) names it in diagnostics. Replaces a template of the same
 * name not compiled yet; a compiled one is kept and the call is ignored. */
void tmpl_set_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
                  const char *path);
/* Compiles name and, recursively, every partial and parent it names
 * statically. Syntax errors (unclosed or mismatched sections, bad
 * delimiters, unclosed tags, and with TMPL_STRICT a missing partial or
 * parent) are recorded as path:line:col errors, col in code points; every
 * error of a template is recorded once, by the call that compiles it, and
 * later calls just return -1. A name that no template has is an error each
 * time. */
int tmpl_set_compile(struct tmpl_set *set, const char *name, struct diags *d);
/* Renders name with data (may be NULL) as the context stack's root,
 * appending to out. Compiles first if needed (see tmpl_set_compile for
 * which errors are recorded when). -1 on error; out may then hold part of
 * the output. */
int tmpl_render(struct tmpl_set *set, const char *name, const struct value *data,
                struct buf *out, struct diags *d);

#endif
