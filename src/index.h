/* index.h — the archive's cross-links and figures, computed once.
 *
 * index_build reads a validated model and groups its sessions by theme
 * (folded through the model's theme vocabulary), series, calendar year,
 * calendar month and fiscal year (年度), with attendance aggregates per
 * group and overall -- all sessions, public sessions only, and split by
 * series -- and relates each session to its neighbours in its series and
 * to up to INDEX_RELATED_MAX sessions that share its themes. The index is
 * read-only afterwards: the renderer and the feeds only read it, from any
 * number of threads.
 *
 * Ownership: every group, list and string of the index lives in the index's
 * own arena and is freed by index_free. Session and project pointers point
 * into the model, which must outlive the index and must not change after
 * index_build. The index never writes to the model. The constructor rule:
 * index_build sets *out to NULL first; on failure it frees everything it
 * made and *out stays NULL, so the caller frees *out (index_free) only
 * after success.
 *
 * The model's contract is relied on: m->sessions sorted by date, start,
 * slug with sessions[i]->idx == i; m->projects sorted by slug with
 * projects[i]->idx == i; theme names valid UTF-8. m->series gives the
 * series' order and kinds; a series it does not list (a model built by
 * hand) is a public session series, after the listed ones, by name.
 */
#ifndef KURA_INDEX_H
#define KURA_INDEX_H

#include <stddef.h>

#include "diag.h"
#include "model.h"
#include "util.h"

/* Attendance figures of one group of sessions. Unknown attendance
 * (session.attendance < 0) is counted in `sessions` but never as zero:
 * total, min, max, mean and median are over the `known` sessions only,
 * and are all 0 when known == 0 (known tells the two cases apart).
 *
 * mean_x10 and median_x10 are in tenths of a participant, rounded half
 * away from zero (attendance is never negative, so: half up):
 * 10, 11 -> 105 (10.5); 1, 2, 2 -> 17 (1.67 -> 1.7); 0, 0, 0, 1 -> 3
 * (0.25 -> 0.3). The median of an even count is the mean of the two
 * middle values, which is always exact in tenths. */
struct agg {
	int sessions;     /* sessions in the group */
	int known;        /* of those, with known attendance */
	long total;       /* sum over known */
	long min, max;    /* over known; 0 when known == 0 */
	long mean_x10;    /* over known, in tenths; 0 when known == 0 */
	long median_x10;  /* over known, in tenths; 0 when known == 0 */
};

/* The kinds of group, one row each in index.c's table of group kinds
 * (a session's key or keys, label, slug, order, where its projects come
 * from). The enum's order is the order open data lists them in
 * (attendance.csv). A new kind is a value here, before GROUP_KINDS, and
 * a row in that table (index.c's opening comment says how). */
enum group_kind {
	GROUP_SERIES,
	GROUP_THEME,
	GROUP_MONTH,
	GROUP_YEAR,
	GROUP_FY,
	GROUP_KINDS
};

/* "series", "theme", "month", "year", "fy": the kind's name in open data. */
const char *index_kind_name(enum group_kind k);

struct group;

/* A group's sessions split by series: one row per series that has
 * sessions in the group, in the model's series order; sessions without a
 * series in a last row with series NULL. */
struct series_figure {
	const struct group *series; /* the series group, or NULL */
	struct agg agg;
};

/* A group of sessions (and projects) sharing a theme, a series or a
 * period.
 *
 *            key          slug                     label        label_alt
 * theme      NFKC name    themes.yaml slug, or     the name     NULL
 *                         site.yaml theme_slugs,
 *                         or the key (made safe)
 * series     name         series.yaml slug, or     name         NULL
 *                         the name (made safe)
 * year       "2020"       "2020"                   "2020年"     NULL
 * month      "2020-06"    "2020/06"                "2020年6月"  NULL
 * fy         "2020"       "2020"                   "2020年度"   "令和2年度"
 *
 * A theme of content/themes.yaml (model.themes) is keyed by its name's
 * key and labelled with its name; every record theme that is its name or
 * one of its aliases (compared by index_theme_key) falls into it. Any
 * other theme is keyed and labelled by its own key.
 *
 * slug is the raw UTF-8 path segment(s) of the group's page under its
 * kind's directory (url.h decides the directory): file paths use it as is;
 * URLs percent-encode each segment. Made safe: each of / \ < > " ' ? # %
 * , and every control character becomes '-', and trailing dots and spaces
 * are dropped; a slug that is then empty, ".", ".." or longer than 255
 * bytes is an error. So a slug holds none of those characters, except a
 * month's one '/'.
 *
 * sessions: newest first (date desc, start desc, then slug ascending).
 * projects: by slug. For a theme, the projects whose own `themes` name it
 * (these count toward no session aggregate). For every other kind, the
 * projects linked to the group's sessions, each once. */
struct group {
	enum group_kind kind;
	const char *key, *slug, *label, *label_alt;
	/* A theme's from themes.yaml, a series' from series.yaml, else NULL. */
	const char *description;
	const struct series_def *series_def; /* GROUP_SERIES groups; else NULL */
	int year, month;          /* year, month and fy groups; else 0 */
	struct session **sessions;
	size_t nsessions;
	struct project **projects;
	size_t nprojects;
	struct agg agg;           /* over every session of the group */
	/* agg split by series (struct series_figure); a series group has one
	 * row, itself. */
	struct series_figure *by_series;
	size_t nby_series;
	/* The aggregate over the group's public sessions: those of a
	 * SERIES_SESSION series or of none. Hearings and meetings never
	 * enter it. */
	struct agg public_agg;
};

/* The groups of one kind, in the kind's order: themes by session count
 * desc, then key (bytes); series in the model's series order
 * (series.yaml's, then the undeclared ones by name); periods ascending. */
struct group_list {
	struct group *v;
	size_t n;
};

#define INDEX_RELATED_MAX 5
/* Related sessions are looked for, in each theme group of a session,
 * among the INDEX_RELATED_WINDOW sessions either side of it by date (the
 * nearest in time), at most INDEX_RELATED_BUDGET in all (with many themes
 * the window narrows, to no fewer than 8 either side). Each candidate's
 * score is exact: the number of themes it shares. So the result is exact
 * whenever the session's theme groups are small enough to be scanned
 * whole (2 * 64 + 1 sessions each); beyond that, a session far apart in
 * time can be missed. The work is O(sessions x budget x themes per
 * session) instead of quadratic: 10,000 sessions x 40 themes stays within
 * seconds. Always deterministic. */
#define INDEX_RELATED_WINDOW 64
#define INDEX_RELATED_BUDGET 2048

/* What one session links to; ix->rel[s->idx]. */
struct session_rel {
	/* Neighbours in its series by date order (prev older, next newer);
	 * NULL at the ends and for sessions without a series. */
	struct session *prev, *next;
	/* Sessions sharing the most (normalised) themes with it: by number
	 * of shared themes desc, then absolute distance in days asc, then
	 * slug. Never the session itself. */
	struct session *related[INDEX_RELATED_MAX];
	size_t nrelated;
	/* Its theme groups in the order written, each once. */
	const struct group **themes;
	size_t nthemes;
	/* Its one group of every other kind: in[GROUP_YEAR] and so on;
	 * in[GROUP_SERIES] is NULL without a series; in[GROUP_THEME] is
	 * always NULL (see themes). */
	const struct group *in[GROUP_KINDS];
	/* 1 when another session, project or free page of the model has the
	 * same title (index_session_name then names it differently). */
	int title_repeats;
};

struct index {
	struct arena *arena;      /* owns everything below */
	const struct model *model;

	/* Every session (newest first), every project (by slug), and the
	 * overall aggregate (with by_series and public_agg). key "all",
	 * slug "", label "すべて". */
	struct group all;

	/* Every group of every kind: groups[GROUP_THEME].v[i] and so on. */
	struct group_list groups[GROUP_KINDS];
	/* For index_group: each kind's groups sorted by key. */
	const struct group **by_key[GROUP_KINDS];

	struct session_rel *rel;  /* model->nsessions entries, by idx */

	/* For index_group only: the theme key of every themes.yaml name and
	 * alias -> the index in model->themes of its theme; by that index,
	 * the key of the theme's group (NULL when its name has no key). */
	struct strmap theme_vocab;
	const char **theme_vocab_keys;

	/* Headline figures for the home page. sessions, participants and
	 * unknown are the PUBLIC figures (all.public_agg): sessions of a
	 * SERIES_SESSION series or of none; hearings and meetings are not
	 * counted. all.agg has every record. */
	struct {
		size_t sessions, themes, projects, series;
		long participants;    /* total of known attendance, public sessions */
		int unknown;          /* public sessions with unknown attendance */
	} counts;

};

/* Builds the index of m. Every problem (an empty or unsafe theme or
 * series slug, two themes or series sharing a slug, a theme given two
 * slugs by themes.yaml and site.yaml, an invalid theme name) is recorded
 * in d; returns -1 if any is an error, with *out NULL and nothing to
 * free. On success the caller frees *out with index_free. */
int index_build(struct index **out, const struct model *m, struct diags *d);
/* Frees ix and everything it owns; safe with NULL. */
void index_free(struct index *ix);

/* Appends the theme key of s[0..n): Unicode NFKC (utf8proc, compose +
 * compat + stable), then Unicode white space trimmed from both ends
 * (including U+3000 and NBSP), so "コロナ", "コロナ　" and half-width
 * "ｺﾛﾅ" are one key. -1 (out unchanged) when s is not valid UTF-8. */
int index_theme_key(struct buf *out, const char *s, size_t n);

/* The group of kind k with this key ("2020-06" for a month), or NULL.
 * For GROUP_THEME the key is normalised first (index_theme_key) and
 * folded through themes.yaml, so a theme name as written in a session or
 * project (or an alias) finds its group. */
const struct group *index_group(const struct index *ix, enum group_kind k, const char *key);
/* The relations of s, a session of the indexed model. */
const struct session_rel *index_rel(const struct index *ix, const struct session *s);

/* Appends the name that tells s apart from every other record wherever it
 * is named away from its own page: its title, or, when title_repeats,
 * "<series> 第<number>回：<title>" (without a number:
 * "<series>（<date ISO>）：<title>"; without a series:
 * "<title>（<date ISO>）"). */
void index_session_name(struct buf *out, const struct index *ix, const struct session *s);

/* Appends a tenths figure with one decimal: 105 -> "10.5", 3 -> "0.3". */
void index_put_x10(struct buf *b, long x10);

#endif
