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

struct theme_file {
	const char *path;
	const unsigned char *data;
	size_t len;
};

/* The embedded default theme (build/theme_default.c, generated). */
extern const struct theme_file theme_default_files[];
extern const size_t theme_default_count;

#endif
