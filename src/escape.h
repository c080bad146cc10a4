/* escape.h — every escaping kura does, in one place. Each function appends
 * the escaped form of s[0..n) to out. */
#ifndef KURA_ESCAPE_H
#define KURA_ESCAPE_H

#include <stddef.h>

#include "util.h"

/* HTML and XML text and attribute values: & < > " ' become entities.
 * (This is what Mustache's {{x}} does; it is valid XML escaping too.) */
void escape_html(struct buf *out, const char *s, size_t n);
/* A JSON string body (no surrounding quotes): " \ and control
 * characters; non-ASCII is kept as UTF-8. */
void escape_json(struct buf *out, const char *s, size_t n);
/* One CSV field per RFC 4180: quoted when it holds , " CR or LF (or
 * starts with = + - @, which spreadsheets would run as a formula: those
 * are prefixed with ' inside quotes), with " doubled. */
void escape_csv(struct buf *out, const char *s, size_t n);
/* A URL path segment: unreserved ASCII kept, every other byte %XX. */
void escape_url_segment(struct buf *out, const char *s, size_t n);

/* A GitHub Actions workflow command's data (the message), and with
 * property set a property's value (file=, title=), which also ends at ':'
 * and ',': the runner's own rules (% CR LF, and : , in properties). */
void escape_github(struct buf *out, const char *s, size_t n, int property);

#endif
