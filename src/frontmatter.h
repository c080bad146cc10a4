/* frontmatter.h — splitting a content file into YAML front matter and a
 * Markdown body, and parsing YAML (with libyaml) into a small node tree
 * that keeps each node's line and column for diagnostics.
 *
 * The tree knows nothing of sessions or projects; model.c gives it types.
 * The Mustache spec runner uses fm_parse_yaml for the spec files too.
 */
#ifndef KURA_FRONTMATTER_H
#define KURA_FRONTMATTER_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "util.h"

enum fm_kind { FM_SCALAR, FM_SEQ, FM_MAP };

struct fm_node {
	enum fm_kind kind;
	int line, col;     /* 1-based position in the file (col in code points) */
	const char *tag;   /* explicit tag such as "!code", or NULL */
	int plain;         /* scalar written without quotes (so `123` may be a
	                      number, `"123"` is always a string) */
	char *str;         /* FM_SCALAR: the value, NUL-terminated */
	size_t len;
	struct fm_node **items; /* FM_SEQ: n items; FM_MAP: n keys at items[2i]
	                           and their values at items[2i+1] */
	size_t n;          /* FM_SEQ: item count; FM_MAP: pair count */
};

/* Splits text into front matter and body. The file must start with a
 * "---" line (after an optional UTF-8 BOM) and the front matter ends at the
 * next line that is exactly "---" (or "..."); CRLF line ends and trailing
 * blanks on these two lines are accepted. yaml and body point into text.
 * *yaml_line is the file line of the first YAML line, *body_line that of
 * the first body line. Records an error (with path, line and column) and
 * returns -1 when the file is not valid UTF-8 (at the first bad byte),
 * there is no front matter (at 1:1) or it is not closed (at 1:1). */
int fm_split(const char *text, size_t n, const char *path, struct span *yaml,
             int *yaml_line, struct span *body, int *body_line, struct diags *d);

/* Parses one YAML document. Positions are shifted so that line 1 of yaml
 * is file line first_line. Syntax errors, anchors/aliases (refused: a
 * volunteer never needs them, and they allow billion-laughs input),
 * duplicate keys and non-scalar keys are recorded as errors with their
 * position, as are NUL bytes (raw or "\0"), invalid UTF-8, more than one
 * document and nesting deeper than 64 levels; returns -1 then, with *out
 * NULL (every duplicate or non-text key is reported; a syntax error, an
 * anchor or too deep nesting stops the parse at once). An empty
 * document (or only comments) gives an empty FM_MAP; another root (a list,
 * a scalar) is returned as it is, for the caller to refuse. All nodes and
 * strings are allocated from a; nothing else needs freeing. */
int fm_parse_yaml(struct arena *a, const char *yaml, size_t n, const char *path,
                  int first_line, struct diags *d, struct fm_node **out);

/* The value of key in a map node, or NULL (also when map is NULL or not a
 * map). A linear search: front matter maps are small. */
struct fm_node *fm_get(const struct fm_node *map, const char *key);

#endif
