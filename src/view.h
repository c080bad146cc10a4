/* view.h — the values templates see, built from the model and the index.
 *
 * The one place where template names are defined (docs/templates.md is
 * their reference): every page's root value is built by one function
 * here, named after the page's kind. Values borrow the model's strings
 * instead of copying them; item values (a session, a project) are built
 * once per view and shared by every page it renders that lists them.
 *
 * Threads: a view belongs to one thread. Rendering with N threads takes N
 * views, which share the model, index and theme (read only) and one
 * view_cache of item values: an item (a session, a project) is built by
 * the first view that needs it, in that view's arena, and published for
 * the others to read. So every view of a build must stay alive until the
 * last of them has finished rendering; free the views, then the cache.
 * The model, index and theme must outlive them all.
 */
#ifndef KURA_VIEW_H
#define KURA_VIEW_H

#include "index.h"
#include "model.h"
#include "theme.h"
#include "value.h"

struct view;
struct view_cache;

/* The item cache the views of one build share; free it after them. */
struct view_cache *view_cache_new(const struct model *m);
void view_cache_free(struct view_cache *c);

/* sections: the top-level directories that are navigation sections
 * ("sessions", "themes"...: page.section.<name> is true on pages under
 * them), NULL-terminated, borrowed for the view's life. */
struct view *view_new(const struct model *m, const struct index *ix, const struct theme *t,
                      const char *const *sections, struct view_cache *cache);
void view_free(struct view *v);

/* Where a page is: its kind (the template's name, page.kind) and its
 * root-relative href (page.url; "" for home, "404.html"). */
struct view_where {
	const char *kind;
	const char *href;
};

/* The root value of one page of each kind (docs/templates.md). */
struct value *view_home(struct view *v, const struct view_where *w);
/* Page n (1-based) of the paginated list of every session. */
struct value *view_sessions_list(struct view *v, const struct view_where *w, size_t n);
struct value *view_session_page(struct view *v, const struct view_where *w,
                                const struct session *s);
struct value *view_projects_list(struct view *v, const struct view_where *w);
struct value *view_project_page(struct view *v, const struct view_where *w,
                                const struct project *p);
struct value *view_free_page(struct view *v, const struct view_where *w, const struct page *p);
struct value *view_themes_list(struct view *v, const struct view_where *w);
/* A group's page: theme, series, year, month or fiscal year. */
struct value *view_group_page(struct view *v, const struct view_where *w, const struct group *g);
struct value *view_archive_list(struct view *v, const struct view_where *w);
struct value *view_attendance(struct view *v, const struct view_where *w);
struct value *view_not_found(struct view *v, const struct view_where *w);
struct value *view_feed(struct view *v, const struct view_where *w);
struct value *view_robots(struct view *v, const struct view_where *w);
/* The sitemap of the n pages whose hrefs are given, in that order; srcs[i]
 * is the content file page i shows (its last-updated date is the page's
 * lastmod when the model has history), or NULL. */
struct value *view_sitemap(struct view *v, const struct view_where *w,
                           const char *const *hrefs, const char *const *srcs, size_t n);

#endif
