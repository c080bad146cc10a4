/* model.h — the archive as typed records: site settings, sessions,
 * projects and free pages, read from content/ and validated.
 *
 * model_load reads content/site.yaml and every content/{sessions,projects,
 * pages} Markdown files (recursively) through a source, parses front matter (frontmatter.h) into
 * the records below, renders each body to HTML (markdown.h), checks every
 * field, and merges session<->project links from both sides. All problems
 * of the whole archive are recorded in d; it returns -1 if any is an error.
 *
 * Everything (records, strings, arrays) lives in the model's arena and is
 * freed by model_free. Lists are sorted by a total order: sessions by
 * date, start time, then slug; projects and pages by slug. Drafts are
 * dropped at load time unless include_drafts is set, so nothing later can
 * publish them by mistake.
 */
#ifndef KURA_MODEL_H
#define KURA_MODEL_H

#include <stddef.h>

#include "arena.h"
#include "date.h"
#include "diag.h"
#include "source.h"

struct strlist {
	const char **v;
	size_t n;
};

struct image {
	const char *src, *alt, *caption; /* caption may be NULL */
};

struct images {
	struct image *v;
	size_t n;
};

struct site {
	const char *title;
	const char *base_url;   /* always ends with '/' */
	const char *base_path;  /* the path part of base_url, e.g. "/archive/" */
	const char *language;   /* default "ja" */
	const char *timezone;   /* default "Asia/Tokyo" */
	/* The UTC offset of timezone as "+09:00", or NULL when kura does not
	 * know the zone's rules (then times are floating local times). The one
	 * place this is decided is model.c; views and feeds only read it. */
	const char *utc_offset;
	int fiscal_year_start;  /* 1..12, default 4 */
	const char *theme;      /* default "default" */
	const char *repository; /* or NULL */
	int per_page;           /* default 20 */
	int unsafe_html;        /* default 0 */
	const char *description; /* or NULL */
	/* theme name -> URL slug overrides (site.yaml `theme_slugs:`) */
	struct strlist theme_slug_keys, theme_slug_values;
};

struct project;

struct session {
	size_t idx;              /* position in model->sessions */
	const char *slug, *path; /* path: e.g. "content/sessions/2020/x.md" */
	const char *title;
	struct date date;
	int start, end;          /* minutes after midnight, -1 when absent */
	const char *series;      /* or NULL */
	int number;              /* 第N回 within the series, 0 when absent */
	struct strlist themes;   /* as written, trimmed */
	long attendance;         /* -1 = unknown (never 0 for unknown) */
	const char *venue;       /* or NULL */
	struct strlist guests, organizers;
	struct images images;
	int draft;
	const char *body_html;   /* rendered Markdown */
	const char *summary;     /* plain text of the first paragraph */
	struct project **projects; /* merged links, sorted by slug */
	size_t nprojects;
};

enum project_status { STATUS_NONE, STATUS_PROPOSED, STATUS_ACTIVE, STATUS_COMPLETED };

struct project {
	size_t idx;              /* position in model->projects */
	const char *slug, *path;
	const char *title;
	enum project_status status;
	struct date started;     /* y == 0 when absent; d == 0 for year-month */
	struct strlist themes, partners;
	struct images images;
	int draft;
	const char *body_html, *summary;
	struct session **sessions; /* merged links, sorted like model sessions */
	size_t nsessions;
};

struct page {
	const char *slug, *path;
	const char *title;
	int menu;                /* menu position, 0 = not in the menu */
	const char *body_html, *summary;
};

struct model {
	struct arena *arena;
	struct site site;
	struct session **sessions;
	size_t nsessions;
	struct project **projects;
	size_t nprojects;
	struct page **pages;
	size_t npages;
};

int model_load(struct model **out, struct source *src, int include_drafts,
               struct diags *d);
void model_free(struct model *m);

/* Orders two sessions by when they happened: date, then start time (an
 * unknown start first). The model's total order adds the slug. */
int model_session_when_cmp(const struct session *a, const struct session *b);

const char *project_status_name(enum project_status s); /* "active", ... */
const char *project_status_ja(enum project_status s);   /* "進行中", ... */
struct project *model_find_project(const struct model *m, const char *slug);
struct session *model_find_session(const struct model *m, const char *slug);

#endif
