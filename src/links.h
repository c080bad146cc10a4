/* links.h — kura check's link stage: every link and image that volunteers
 * wrote in a Markdown body, checked against the site's plan.
 *
 * A link inside the site (url.h's url_resolve: relative, under base_path
 * or under base_url) must lead to a file the plan has (a directory's
 * index.html; a path without its final '/' is accepted, as servers
 * redirect it), and its #fragment to an id attribute of that page as
 * rendered. An image must have alt text. Links to other hosts are not
 * fetched. Raw HTML in bodies (unsafe_html) is not looked into.
 *
 * Use: links_new(plan), then output_observe(plan, links_seen, l) before
 * output_write so that every page's ids are recorded, then links_check.
 */
#ifndef KURA_LINKS_H
#define KURA_LINKS_H

#include <stddef.h>

#include "diag.h"
#include "model.h"
#include "output.h"

struct links;

/* A checker for the files of p (which must outlive it); free it with
 * links_free. */
struct links *links_new(const struct output_plan *p);
void links_free(struct links *l);
/* An output_seen_fn (ctx: a struct links): records the id attributes of
 * file i when it is a page. */
void links_seen(void *ctx, size_t i, const char *data, size_t len);
/* Checks the links and images of every record of m (the model the plan
 * was made from) and records each problem, located, in d; -1 if any. */
int links_check(const struct links *l, const struct model *m, struct diags *d);

#endif
