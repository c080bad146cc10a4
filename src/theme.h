/* theme.h — where templates and assets come from.
 *
 * A theme is looked up first in the archive's own themes/<name>/ (read
 * through the source, so --ref builds see the committed theme), then in the
 * default theme compiled into the binary from themes/default/. Names are
 * paths relative to the theme root, e.g. "templates/session.mustache" or
 * "assets/style.css".
 */
#ifndef KURA_THEME_H
#define KURA_THEME_H

#include <stddef.h>

#include "diag.h"
#include "source.h"
#include "tmpl.h"

struct theme_file {
	const char *path;
	const unsigned char *data;
	size_t len;
};

/* The embedded default theme (build/theme_default.c, generated). */
extern const struct theme_file theme_default_files[];
extern const size_t theme_default_count;

struct theme_asset {
	const char *name;        /* path under assets/, e.g. "style.css" */
	const char *url;         /* e.g. "assets/style.3f9a1c0d.css": name with a
	                            content hash, so it can be cached forever */
	const unsigned char *data;
	size_t len;
};

struct theme;

/* Opens theme name: the archive's themes/<name>/ (through src) layered over
 * the embedded default theme. A name other than "default" must exist in
 * the archive. Records an error and returns -1 otherwise, with *out NULL
 * and nothing to free (kura's constructor rule, docs/architecture.md). */
int theme_open(struct theme **out, struct source *src, const char *name, struct diags *d);
void theme_close(struct theme *t);
/* The theme's templates: a strict set (a missing partial is an error)
 * whose loader reads templates/<name>.mustache. Owned by the theme. */
struct tmpl_set *theme_templates(struct theme *t);
/* The merged asset list, sorted by name. Owned by the theme. */
size_t theme_asset_count(const struct theme *t);
const struct theme_asset *theme_asset(const struct theme *t, size_t i);

#endif
