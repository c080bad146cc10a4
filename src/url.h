/* url.h — every address of the site, decided in one place.
 *
 * A page has two spellings: its href, root-relative and percent-encoded
 * ("themes/%E3%82%B3%E3%83%AD%E3%83%8A/"), which templates and feeds use,
 * and its file, the raw path it is written to ("themes/コロナ/", the
 * writer adding index.html to a path ending in '/'). Each function below
 * appends one of the two to b, chosen by form, so the two can never
 * disagree. Absolute URLs are site.base_url followed by the href.
 *
 * Which top-level names the site uses, and so which a free page may not
 * take, is decided by the output table (output.h), from these functions.
 */
#ifndef KURA_URL_H
#define KURA_URL_H

#include <stddef.h>

#include "index.h"
#include "model.h"
#include "util.h"

enum url_form {
	URL_HREF, /* percent-encoded segments: for links */
	URL_FILE  /* raw segments: for the writer */
};

/* sessions/<slug>/, projects/<slug>/, <slug>/ (a free page). */
void url_session(struct buf *b, enum url_form f, const char *slug);
void url_project(struct buf *b, enum url_form f, const char *slug);
void url_page(struct buf *b, enum url_form f, const char *slug);
/* A group's page: <dir>/<slug>/ where dir is the kind's directory
 * (url_group_dir); a month's slug "2020/06" gives two segments. */
void url_group(struct buf *b, enum url_form f, const struct group *g);
/* The page of a calendar month, archive/2020/06/ (a month group's page
 * when the month has sessions). */
void url_month(struct buf *b, int year, int month);
/* The directory of a kind's pages: "series", "themes", "archive" (years
 * and months), "fy". */
const char *url_group_dir(enum group_kind k);
/* Page n (1-based) of a paginated list under dir ("sessions"): dir/ for
 * the first page, dir/page/<n>/ after it. The same in both forms. */
void url_paged(struct buf *b, const char *dir, size_t n);
/* base_url + href: an absolute URL. */
void url_absolute(struct buf *b, const struct site *s, const char *href);

/* Where a link written on a page leads (url_resolve). */
enum url_target {
	URL_OUTSIDE, /* another scheme or host, or a path outside base_path */
	URL_INSIDE,  /* a file of this site */
	URL_ESCAPES  /* a relative path that climbs above the site's root */
};

/* Resolves link, written on the page whose href is page_href (root-
 * relative, as in the plan: "sessions/x/", "" for the home page), the way
 * a browser does. A fragment alone, a relative path, a path under
 * base_path or an absolute URL under base_url lead inside the site: then
 * file gets the file's path (URL_FILE form: percent-decoded, dot segments
 * resolved, "index.html" added to a directory) and frag the fragment
 * (decoded, without '#'; empty when none). A query is ignored. Both
 * buffers are reset first. */
enum url_target url_resolve(struct buf *file, struct buf *frag, const struct site *s,
                            const char *page_href, const char *link);

#endif
