/* view.h — the values templates see, built from the model and the index.
 *
 * The one place where template names are defined (docs/templates.md is
 * their reference). Values borrow the model's strings instead of copying
 * them; item values (a session, a project, a group) are built once per
 * build and shared by every page that lists them. Everything lives in the
 * view's arena, freed by view_free; the model, index and theme must
 * outlive the view.
 */
#ifndef KURA_VIEW_H
#define KURA_VIEW_H

#include "index.h"
#include "model.h"
#include "theme.h"
#include "value.h"

struct view;

struct view *view_new(const struct model *m, const struct index *ix, const struct theme *t);
void view_free(struct view *v);
struct arena *view_arena(struct view *v);

/* A page's root value with everything every page has (root, site,
 * assets, page, generator). url is the page's root-relative URL
 * ("sessions/x/", "" for home, "404.html"); kind is its template name. */
struct value *view_page(struct view *v, const char *kind, const char *url, const char *title,
                        const char *description);

struct value *view_session(struct view *v, const struct session *s);
struct value *view_project(struct view *v, const struct project *p);
struct value *view_free_page(struct view *v, const struct page *p);
struct value *view_group(struct view *v, const struct group *g);
struct value *view_agg(struct view *v, const struct agg *a);
/* Sets map.key = list and map.has_<key> = whether it has items. */
void view_set_list(struct view *v, struct value *map, const char *key, struct value *list);
/* A list of sessions / projects as item values. */
struct value *view_sessions(struct view *v, struct session *const *s, size_t n);
struct value *view_projects(struct view *v, struct project *const *p, size_t n);
/* A bar chart of n labelled values (see docs/templates.md). */
struct value *view_chart(struct view *v, const char *id, const char *title, const char *desc,
                         const char *const *labels, const long *values, size_t n,
                         const char *unit);

/* The root-relative URL of a group page, e.g. "themes/%E3%82%B3/" — and
 * the raw path it is written to ("themes/コ/"). */
const char *view_group_url(struct view *v, const struct group *g);
const char *view_group_path(struct view *v, const struct group *g);

#endif
