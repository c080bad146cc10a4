/* model.h — the archive as typed records: site settings, sessions,
 * projects and free pages, read from content/ and validated.
 *
 * model_load reads content/site.yaml, the optional vocabularies
 * content/series.yaml and content/themes.yaml, and every Markdown file
 * under content/{sessions,projects,pages} (recursively) through a source,
 * parses front matter (frontmatter.h) into the records below, renders
 * each body to HTML (markdown.h), checks every field, and merges
 * session<->project links from both sides. All problems of the whole
 * archive are recorded in d; it returns -1 if any is an error. When a
 * vocabulary exists, a record's series or theme that it does not list is
 * a warning with a did-you-mean (themes compared by index.h's
 * index_theme_key, the one theme key).
 *
 * Which front-matter fields each kind of record has is data: one table per
 * kind (model_fields below), from which the reader, the unknown-field
 * warning, the open-data columns (feeds.h) and the field reference in
 * README.md (checked by tests/unit/test_model.c) all follow.
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

/* A link or an image in a record's Markdown body (markdown.h's md_link),
 * located in the content file: line and col (in code points) of the file,
 * 0 when unknown. Strings live in the model's arena. kura check resolves
 * them (links.h). */
struct body_link {
	const char *url;
	int line, col;
	int image, alt_empty;
};

struct body_links {
	struct body_link *v;
	size_t n;
};

struct site {
	const char *title;
	const char *base_url;   /* always ends with '/' */
	const char *base_path;  /* the path part of base_url, e.g. "/archive/" */
	const char *language;   /* default "ja" */
	const char *timezone;   /* default "Asia/Tokyo" */
	/* The UTC offset of timezone as "+09:00", or NULL when kura does not
	 * know the zone's rules (then times are floating local times). kura
	 * knows a zone only when it has had one offset all year since 1970
	 * (no daylight saving): today Asia/Tokyo. The one place this is
	 * decided is model.c; views and feeds only read it. */
	const char *utc_offset;
	const char *tz_abbrev;  /* "JST" when utc_offset is known, else NULL */
	int fiscal_year_start;  /* 1..12, default 4 */
	const char *theme;      /* default "default" */
	const char *repository; /* or NULL */
	/* Link patterns with {commit} and {path} (or NULL: made from
	 * repository's forge, view.c) */
	const char *edit_url, *history_url;
	int show_authors;       /* author names on pages; default 0 */
	int per_page;           /* default 20 */
	int unsafe_html;        /* default 0 */
	const char *description; /* or NULL */
	/* theme name -> URL slug overrides (site.yaml `theme_slugs:`) */
	struct strlist theme_slug_keys, theme_slug_values;
};

/* The kind of a series (content/series.yaml `kind:`): a public gathering
 * (情報交換会, 勉強会, トークセッション), a visit or interview (a company
 * hearing), or an internal operating meeting. Only sessions of a
 * SERIES_SESSION series, or of none, are public sessions (index.h's
 * public_agg and headline counts). */
enum series_kind { SERIES_SESSION, SERIES_HEARING, SERIES_MEETING };

/* A series: from content/series.yaml, or made for a series name a record
 * uses that the file does not list (kind SERIES_SESSION, description
 * NULL). */
struct series_def {
	const char *name;        /* as records write it (`series:`) */
	const char *slug;        /* series.yaml's ASCII slug, or NULL: the index makes one from the name */
	const char *description; /* or NULL */
	enum series_kind kind;
	int declared;            /* listed in series.yaml */
};

/* A theme of content/themes.yaml. */
struct theme_def {
	const char *name, *slug, *description; /* slug, description may be NULL */
	struct strlist aliases;
};

/* "session", "hearing", "meeting" (series.yaml's words). */
const char *series_kind_name(enum series_kind k);

struct project;
struct history;

struct session {
	size_t idx;              /* position in model->sessions */
	const char *slug, *path; /* path: e.g. "content/sessions/2020/x.md" */
	const char *title;
	struct date date;
	int start, end;          /* minutes after midnight, -1 when absent */
	const char *series;      /* or NULL */
	const struct series_def *series_def; /* model->series entry; NULL without a series */
	int number;              /* 第N回 within the series, 0 when absent */
	struct strlist themes;   /* as written, trimmed */
	long attendance;         /* -1 = unknown (never 0 for unknown) */
	const char *venue;       /* or NULL */
	struct strlist guests, organizers;
	struct strlist speakers;     /* 登壇者 */
	const char *visited;         /* 訪問先 (a hearing), or NULL */
	struct strlist interviewees; /* 話を伺った方 (a hearing) */
	struct strlist present;      /* 出席した団体 (a meeting) */
	struct images images;
	int draft;
	const char *body_html;   /* rendered Markdown */
	const char *summary;     /* plain text of the first paragraph */
	struct body_links links; /* the body's links and images */
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
	struct body_links links;
	struct session **sessions; /* merged links, sorted like model sessions */
	size_t nsessions;
};

struct page {
	const char *slug, *path;
	const char *title;
	int menu;                /* menu position, 0 = not in the menu */
	int draft;               /* only ever set with include_drafts */
	const char *body_html, *summary;
	struct body_links links;
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
	/* Every series: content/series.yaml's, in its order, then those that
	 * records name without the file listing them, by name (bytes). */
	struct series_def **series;
	size_t nseries;
	/* content/themes.yaml's themes in its order; 0 without the file. */
	struct theme_def **themes;
	size_t nthemes;
	/* Dates and authors of content files (history.h), or NULL: borrowed,
	 * set by the caller after model_load (main.c); the model never frees
	 * it. */
	const struct history *history;
};

/* Loads the archive. On success *out is the model (the caller frees it
 * with model_free) and 0 is returned. On failure -- any error recorded in
 * d while loading -- *out is NULL, everything made here is freed and -1 is
 * returned: the caller frees only on success (model_free(NULL) is safe).
 * Once site.yaml is read, its language chooses the language messages are
 * printed in (i18n_choose), so even a failed load's are in it. */
int model_load(struct model **out, struct source *src, int include_drafts,
               struct diags *d);
void model_free(struct model *m);

/* Orders two sessions by when they happened: date, then start time (an
 * unknown start first). The model's total order adds the slug. */
int model_session_when_cmp(const struct session *a, const struct session *b);

const char *project_status_name(enum project_status s); /* "active", ... */
const char *project_status_ja(enum project_status s);   /* "進行中", ... */

/* Why s[0..n) cannot be a record's address (its file name without .md),
 * or NULL when it can: not empty, no leading '.', no control byte, no
 * space or / \ # ? % " < > (an address is one URL path segment and one
 * directory name). */
const char *model_slug_problem(const char *s, size_t n);
/* For a did-you-mean: the index in names[0..n) of the name nearest to s
 * in code points -- the fewest edits, at most one when both are short (4
 * code points or fewer: こども and 子ども, not 別の会 and 交換会) and two
 * otherwise -- or else of the first name that contains s or is contained
 * in it (協働 and 市民協働); n when none is near. The one rule for every
 * did-you-mean of names a volunteer writes (series, themes; kura new). */
size_t model_nearest(const char *s, const char *const *names, size_t n);

/* ---- the field tables -------------------------------------------------------
 * Every front-matter field kura knows is one row of its record kind's table
 * (in model.c, static and constant: nobody frees or changes a row). A row
 * says what the volunteer writes (name, type, required), where the value
 * goes (off and size into the record struct), and a one-line Japanese
 * description: the text of the field's row in README.md. Reading is one
 * loop over the rows; a field not in the table is warned about ("unknown
 * field", with the nearest name as a hint). */

/* RECORD_SERIES and RECORD_THEME are the entries of content/series.yaml
 * and content/themes.yaml (struct series_def, struct theme_def). */
enum record_kind {
	RECORD_SESSION,
	RECORD_PROJECT,
	RECORD_PAGE,
	RECORD_SITE,
	RECORD_SERIES,
	RECORD_THEME,
	RECORD_KINDS
};

enum field_type {
	FIELD_TEXT,   /* const char *, trimmed; empty counts as absent; when
	                 absent NULL, or text_default */
	FIELD_COUNT,  /* a whole number 0..max, in an int or a long; when
	                 absent (or wrong) num_default */
	FIELD_BOOL,   /* true or false, in an int: 1 or 0 (also when absent) */
	FIELD_LIST,   /* struct strlist of texts; one text is a list of one */
	FIELD_DATE,   /* struct date (date.h's forms); y == 0 when absent */
	FIELD_YM,     /* struct date, or a year-month with d == 0 */
	FIELD_TIME,   /* "19:00" as an int, minutes after midnight; -1 absent */
	FIELD_IMAGES, /* struct images: [{src, alt, caption}], files in content/media */
	FIELD_ENUM,   /* one of names[1..] (NULL-terminated), its index in an
	                 int-sized enum; 0 when absent */
	FIELD_LINKS,  /* slugs of records of the other kind (a session's
	                 projects, a project's sessions): merged from both
	                 sides after loading into the array at off */
	FIELD_SLUG,   /* the address, which comes from the file name (the
	                 const char * at off); when written it must match */
	FIELD_CUSTOM, /* read by the row's read function */
};

struct field_ctx; /* model.c's reading context, for FIELD_CUSTOM */
struct fm_node;

struct field {
	const char *name;
	enum field_type type;
	size_t off, size;         /* where the value goes in the record */
	int required;             /* missing or empty is an error */
	long max;                 /* FIELD_COUNT */
	long num_default;         /* FIELD_COUNT */
	const char *text_default; /* FIELD_TEXT, or NULL */
	const char *const *names; /* FIELD_ENUM */
	/* FIELD_CUSTOM: reads node n (never NULL, not null) into rec; errors
	 * go through c. */
	void (*read)(struct field_ctx *c, const struct fm_node *n, void *rec);
	/* Sessions only: the field's column in /data/sessions.json and in
	 * /data/sessions.csv, counted from 1 together with the one column
	 * feeds.c computes (url); 0 = not in that file. */
	int json, csv;
	const char *doc;          /* for volunteers, in Japanese (README.md) */
};

/* The table of kind k, in reading order; *n gets its length. */
const struct field *model_fields(enum record_kind k, size_t *n);
/* The value of a FIELD_COUNT, FIELD_BOOL, FIELD_ENUM or FIELD_TIME row in
 * rec, a record of the row's kind. */
long model_field_num(const struct field *f, const void *rec);

#endif
