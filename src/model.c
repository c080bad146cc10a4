/* model.c — content files to typed, validated records.
 *
 * Reads content/site.yaml and the Markdown files under content/sessions,
 * content/projects and content/pages through a source, gives the generic
 * front-matter tree (frontmatter.h) its types, renders bodies (markdown.h)
 * and merges the links between sessions and projects, which may be
 * declared on either side. Every problem in the archive is recorded, not
 * only the first, so a volunteer fixes everything in one round.
 *
 * The optional vocabularies, content/series.yaml and content/themes.yaml,
 * are read first, by field tables of their own, so that each record's
 * series and themes can be checked against them where they are written
 * (with line and column); themes are compared by index.h's
 * index_theme_key, the one theme key, so that what the model accepts is
 * exactly what the index folds.
 */
#include "model.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "i18n.h"
#include "index.h"
#include "markdown.h"
#include "util.h"

#define SUMMARY_CHARS 120

struct vocab;

/* The context of one file being loaded: where errors go. */
struct field_ctx {
	struct arena *a;
	struct diags *d;
	const char *path;
	int errors_before;
	const struct source_list *media; /* content/media, sorted; or NULL */
	const struct vocab *vocab;       /* series.yaml and themes.yaml; or NULL */
};

static int failed(const struct field_ctx *c)
{
	return c->d->errors > c->errors_before;
}

/* ---- values of each type --------------------------------------------------- */

static const char *kind_name(const struct fm_node *n)
{
	switch (n->kind) {
	case FM_SEQ: return "a list";
	case FM_MAP: return "a mapping";
	default: return "text";
	}
}

static int is_null(const struct fm_node *n)
{
	return n->kind == FM_SCALAR && n->plain &&
	       (n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

/* Text: a scalar, trimmed; empty counts as absent. */
static const char *get_text(struct field_ctx *c, const char *field, const struct fm_node *n)
{
	if (!n || is_null(n))
		return NULL;
	if (n->kind != FM_SCALAR) {
		diag_error(c->d, c->path, n->line, n->col, "%s: expected text, got %s", field,
		           kind_name(n));
		return NULL;
	}
	struct span s = span_trim((struct span){n->str, n->len});
	if (!s.n)
		return NULL;
	if (memchr(s.p, '\0', s.n)) {
		diag_error(c->d, c->path, n->line, n->col, "%s: text holds a NUL byte", field);
		return NULL;
	}
	return arena_strndup(c->a, s.p, s.n);
}

/* A whole number >= 0; -1 when absent or wrong (error recorded). */
static long get_count(struct field_ctx *c, const char *field, const struct fm_node *n,
                      long max)
{
	if (!n || is_null(n))
		return -1;
	if (n->kind != FM_SCALAR) {
		diag_error(c->d, c->path, n->line, n->col,
		           "%s: expected a whole number, got %s", field, kind_name(n));
		return -1;
	}
	long v = 0;
	size_t i = 0;
	for (; i < n->len && n->str[i] >= '0' && n->str[i] <= '9'; i++) {
		v = v * 10 + (n->str[i] - '0');
		if (v > max)
			break;
	}
	if (i == 0 || i != n->len || v > max) {
		diag_error(c->d, c->path, n->line, n->col,
		           "%s: expected a whole number, got \"%s\"", field, n->str);
		if (i > 0 && i < n->len && v <= max)
			diag_hint(c->d, "write only the number: %s: %ld", field, v);
		else if (v > max)
			diag_hint(c->d, "%s must be at most %ld", field, max);
		return -1;
	}
	return v;
}

/* 1 / 0, or -1 when absent or wrong. */
static int get_bool(struct field_ctx *c, const char *field, const struct fm_node *n)
{
	if (!n || is_null(n))
		return -1;
	if (n->kind == FM_SCALAR && n->plain) {
		if (!strcmp(n->str, "true"))
			return 1;
		if (!strcmp(n->str, "false"))
			return 0;
	}
	diag_error(c->d, c->path, n->line, n->col, "%s: expected true or false, got \"%s\"",
	           field, n->kind == FM_SCALAR ? n->str : kind_name(n));
	return -1;
}

/* A list of texts. A single text is taken as a list of one. */
static struct strlist get_list(struct field_ctx *c, const char *field, const struct fm_node *n)
{
	struct strlist l = {NULL, 0};
	if (!n || is_null(n))
		return l;
	if (n->kind == FM_SCALAR) {
		const char *s = get_text(c, field, n);
		if (s) {
			l.v = arena_alloc(c->a, sizeof *l.v);
			l.v[l.n++] = s;
		}
		return l;
	}
	if (n->kind != FM_SEQ) {
		diag_error(c->d, c->path, n->line, n->col, "%s: expected a list, got %s", field,
		           kind_name(n));
		return l;
	}
	l.v = arena_alloc(c->a, (n->n ? n->n : 1) * sizeof *l.v);
	for (size_t i = 0; i < n->n; i++) {
		const struct fm_node *it = n->items[i];
		if (it->kind != FM_SCALAR) {
			diag_error(c->d, c->path, it->line, it->col,
			           "%s: each item must be text, got %s", field, kind_name(it));
			continue;
		}
		const char *s = get_text(c, field, it);
		if (!s)
			continue;
		int dup = 0;
		for (size_t j = 0; j < l.n; j++)
			dup |= !strcmp(l.v[j], s);
		if (dup)
			diag_warn(c->d, c->path, it->line, it->col, "%s: \"%s\" is listed twice",
			          field, s);
		else
			l.v[l.n++] = s;
	}
	return l;
}

/* Finds the list item node for value s, for positioned errors later. */
static const struct fm_node *list_item_node(const struct fm_node *n, const char *s)
{
	if (n && n->kind == FM_SEQ)
		for (size_t i = 0; i < n->n; i++)
			if (n->items[i]->kind == FM_SCALAR) {
				struct span t = span_trim((struct span){n->items[i]->str, n->items[i]->len});
				if (span_eq(t, s))
					return n->items[i];
			}
	return n;
}

/* 0 ok, 1 absent, -1 wrong (error recorded; *out untouched). */
static int get_date(struct field_ctx *c, const char *field, const struct fm_node *n,
                    int allow_ym, struct date *out)
{
	if (!n || is_null(n))
		return 1;
	if (n->kind != FM_SCALAR) {
		diag_error(c->d, c->path, n->line, n->col, "%s: expected a date, got %s", field,
		           kind_name(n));
		return -1;
	}
	const char *err = NULL;
	struct span s = span_trim((struct span){n->str, n->len});
	int rc = allow_ym ? date_parse_ym(s.p, s.n, out, &err) : date_parse(s.p, s.n, out, &err);
	if (rc != 0) {
		diag_error(c->d, c->path, n->line, n->col, "%s: %s", field,
		           err ? err : "not a date");
		if (!err || !strstr(err, "write"))
			diag_hint(c->d, "write the date as 2020-06-03, 2020年6月3日 or 令和2年6月3日");
		return -1;
	}
	return 0;
}

/* Minutes after midnight, or -1 when absent or wrong. */
static int get_time(struct field_ctx *c, const char *field, const struct fm_node *n)
{
	if (!n || is_null(n))
		return -1;
	if (n->kind != FM_SCALAR) {
		diag_error(c->d, c->path, n->line, n->col, "%s: expected a time, got %s", field,
		           kind_name(n));
		return -1;
	}
	const char *err = NULL;
	int minutes = -1;
	struct span s = span_trim((struct span){n->str, n->len});
	if (time_parse(s.p, s.n, &minutes, &err) != 0) {
		diag_error(c->d, c->path, n->line, n->col, "%s: %s (got \"%s\")", field,
		           err ? err : "not a time", n->str);
		diag_hint(c->d, "write the time as \"19:00\" (24-hour clock)");
		return -1;
	}
	return minutes;
}

/* One of names[1..]: its index, or 0 when absent or unknown (error
 * recorded, with the allowed names as the hint). */
static int get_enum(struct field_ctx *c, const char *field, const struct fm_node *n,
                    const char *const *names)
{
	const char *s = get_text(c, field, n);
	if (!s)
		return 0;
	for (int i = 1; names[i]; i++)
		if (!strcmp(s, names[i]))
			return i;
	diag_error(c->d, c->path, n->line, n->col, "%s: unknown %s \"%s\"", field, field, s);
	/* "use a, b or c": the list but its last name, then the last. */
	struct buf h;
	buf_init(&h);
	int last = 1;
	while (names[last + 1])
		last++;
	for (int i = 1; i < last; i++)
		buf_printf(&h, "%s%s", i == 1 ? "" : ", ", names[i]);
	if (last > 1)
		diag_hint(c->d, "use %s or %s", h.data, names[last]);
	else
		diag_hint(c->d, "use %s", names[last]);
	buf_free(&h);
	return 0;
}

/* An image src must stay inside the site: kura's one path rule
 * (path_problem: relative, no "." or ".." or empty segment, no backslash
 * or control byte), and on top of it no ':' (a scheme such as
 * javascript: or https://another.host) and none of the characters that
 * would end the HTML attribute or the URL it is written into: '"', '<',
 * '>' and the space. So no volunteer's typo loads another host or
 * escapes the archive. */
static int safe_src(const char *s)
{
	return !path_problem(s, strlen(s)) && !strpbrk(s, ":\"<> ");
}

/* Orders "content/" + key against a media file's path. */
static int cmp_media(const void *key, const void *elem)
{
	const char *path = ((const struct source_file *)elem)->path;
	int c = strncmp("content/", path, 8);
	return c ? c : strcmp(key, path + 8);
}

static int has_media(const struct source_list *media, const char *src)
{
	return sorted_find(media->v, media->n, sizeof *media->v, src, cmp_media) != NULL;
}

static struct images get_images(struct field_ctx *c, const char *field, const struct fm_node *n)
{
	struct images im = {NULL, 0};
	if (!n || is_null(n))
		return im;
	if (n->kind != FM_SEQ) {
		diag_error(c->d, c->path, n->line, n->col,
		           "%s: expected a list of {src, alt, caption}, got %s", field, kind_name(n));
		return im;
	}
	static const char *const keys[] = {"src", "alt", "caption"};
	char what[3][64]; /* "images: src", ... for messages */
	for (size_t k = 0; k < 3; k++)
		snprintf(what[k], sizeof what[k], "%s: %s", field, keys[k]);
	im.v = arena_alloc(c->a, (n->n ? n->n : 1) * sizeof *im.v);
	for (size_t i = 0; i < n->n; i++) {
		const struct fm_node *it = n->items[i];
		if (it->kind != FM_MAP) {
			diag_error(c->d, c->path, it->line, it->col,
			           "%s: each image must be a mapping with src and alt", field);
			continue;
		}
		for (size_t k = 0; k < it->n; k++) {
			const char *key = it->items[2 * k]->str;
			if (strcmp(key, "src") && strcmp(key, "alt") && strcmp(key, "caption"))
				diag_warn(c->d, c->path, it->items[2 * k]->line, it->items[2 * k]->col,
				          "%s: unknown field \"%s\"", field, key);
		}
		struct image g = {get_text(c, what[0], fm_get(it, "src")),
		                  get_text(c, what[1], fm_get(it, "alt")),
		                  get_text(c, what[2], fm_get(it, "caption"))};
		if (!g.src) {
			diag_error(c->d, c->path, it->line, it->col, "%s: src is required", field);
			continue;
		}
		if (!safe_src(g.src)) {
			const struct fm_node *sn = fm_get(it, "src");
			diag_error(c->d, c->path, sn->line, sn->col,
			           "%s: src \"%s\" must be a path inside the archive", field, g.src);
			diag_hint(c->d, "put the file under content/media/ and write src: media/photo.jpg");
			continue;
		}
		if (c->media && !has_media(c->media, g.src)) {
			const struct fm_node *sn = fm_get(it, "src");
			diag_error(c->d, c->path, sn->line, sn->col,
			           "%s: there is no file content/%s", field, g.src);
			diag_hint(c->d, "image files go under content/media/, e.g. src: media/photo.jpg");
			continue;
		}
		if (!g.alt) {
			diag_error(c->d, c->path, it->line, it->col,
			           "%s: alt is required (a short description for readers who cannot see the image)",
			           field);
			continue;
		}
		im.v[im.n++] = g;
	}
	return im;
}

/* The file's own slug is at off; a slug: written in the file must match. */
static void check_slug(struct field_ctx *c, const struct fm_node *n, const char *slug)
{
	const char *s = get_text(c, "slug", n);
	if (s && slug && strcmp(s, slug) != 0) {
		diag_error(c->d, c->path, n->line, n->col,
		           "slug: \"%s\" differs from the file name \"%s.md\"", s, slug);
		diag_hint(c->d, "the address comes from the file name: rename the file or remove slug:");
	}
}

/* site.yaml's theme_slugs: a mapping of theme names to URL slugs. */
static void read_theme_slugs(struct field_ctx *c, const struct fm_node *ts, void *rec)
{
	struct site *s = rec;
	if (ts->kind != FM_MAP) {
		diag_error(c->d, c->path, ts->line, ts->col,
		           "theme_slugs: expected a mapping like  コロナ: corona");
		return;
	}
	s->theme_slug_keys.v = arena_alloc(c->a, (ts->n + 1) * sizeof(char *));
	s->theme_slug_values.v = arena_alloc(c->a, (ts->n + 1) * sizeof(char *));
	for (size_t i = 0; i < ts->n; i++) {
		const char *v = get_text(c, "theme_slugs", ts->items[2 * i + 1]);
		if (!v)
			continue;
		s->theme_slug_keys.v[s->theme_slug_keys.n++] = ts->items[2 * i]->str;
		s->theme_slug_values.v[s->theme_slug_values.n++] = v;
	}
}

/* ---- the field tables ------------------------------------------------------ */

#define AT(type, member) offsetof(type, member), sizeof(((type *)0)->member)
#define S(member) AT(struct session, member)
#define P(member) AT(struct project, member)
#define G(member) AT(struct page, member)
#define W(member) AT(struct site, member)
#define SD(member) AT(struct series_def, member)
#define TD(member) AT(struct theme_def, member)

#define DOC_DRAFT "`true` にすると公開されません"
#define DOC_SLUG "書かなくてかまいません。書くときはファイル名（`.md` を除く）と同じに"
#define DOC_IMAGES "`[{src: media/photo.jpg, alt: 説明, caption: キャプション}]`" \
	"（`alt` 必須、ファイルは `content/media/` に）"

/* The order of the rows is the order of reading and of the did-you-mean
 * search (the first name within two edits wins). json and csv: the
 * field's column in /data/sessions.json and /data/sessions.csv, with url
 * (computed in feeds.c) at json 2 and csv 11. */
static const struct field session_fields[] = {
	{"title", FIELD_TEXT, S(title), .required = 1, .json = 3, .csv = 7,
	 .doc = "題名（必須）"},
	{"date", FIELD_DATE, S(date), .required = 1, .json = 4, .csv = 2,
	 .doc = "開催日（必須）。`2020-06-03`、`2020年6月3日`、`令和2年6月3日`、`令和元年5月1日`"},
	{"start", FIELD_TIME, S(start), .json = 5, .csv = 3,
	 .doc = "開始時刻 `\"19:00\"`"},
	{"end", FIELD_TIME, S(end), .json = 6, .csv = 4,
	 .doc = "終了時刻 `\"21:30\"`（開始より後。`start` と一緒に書きます）"},
	{"series", FIELD_TEXT, S(series), .json = 7, .csv = 5,
	 .doc = "シリーズ名（例: オンライン情報交換会）"},
	{"number", FIELD_COUNT, S(number), .max = 100000, .num_default = 0, .json = 8, .csv = 6,
	 .doc = "シリーズの第何回か（1 以上の整数）"},
	{"themes", FIELD_LIST, S(themes), .json = 9, .csv = 8,
	 .doc = "テーマのリスト。全角・半角の違いや前後の空白は同じテーマとして扱います"},
	{"attendance", FIELD_COUNT, S(attendance), .max = 10000000, .num_default = -1,
	 .json = 10, .csv = 9,
	 .doc = "参加者数（のべ人数、0 以上の整数）。不明なら書かない（0 と書かない）"},
	{"venue", FIELD_TEXT, S(venue), .json = 11, .csv = 10,
	 .doc = "会場"},
	{"projects", FIELD_LINKS, S(projects), .json = 12,
	 .doc = "このセッションから生まれたプロジェクト（`content/projects/` のファイル名）"},
	{"guests", FIELD_LIST, S(guests), .json = 13,
	 .doc = "ゲストのリスト"},
	{"organizers", FIELD_LIST, S(organizers), .json = 14,
	 .doc = "主催・運営のリスト"},
	{"speakers", FIELD_LIST, S(speakers),
	 .doc = "登壇者のリスト（トークセッションなど）"},
	{"visited", FIELD_TEXT, S(visited),
	 .doc = "訪問先（ヒアリングで訪ねた団体・企業）"},
	{"interviewees", FIELD_LIST, S(interviewees),
	 .doc = "話を伺った方のリスト（ヒアリング。`名前（役職）` のように）"},
	{"present", FIELD_LIST, S(present),
	 .doc = "出席した団体のリスト（ミーティング）"},
	{"images", FIELD_IMAGES, S(images), .json = 15,
	 .doc = DOC_IMAGES},
	{"draft", FIELD_BOOL, S(draft),
	 .doc = DOC_DRAFT},
	{"slug", FIELD_SLUG, S(slug), .json = 1, .csv = 1,
	 .doc = DOC_SLUG},
};

static const char *const status_names[] = {"", "proposed", "active", "completed", NULL};
static const char *const status_ja[] = {"", "構想中", "進行中", "完了"};

static const struct field project_fields[] = {
	{"title", FIELD_TEXT, P(title), .required = 1, .doc = "題名（必須）"},
	{"status", FIELD_ENUM, P(status), .names = status_names,
	 .doc = "`proposed`（構想中）、`active`（進行中）、`completed`（完了）のどれか"},
	{"started", FIELD_YM, P(started),
	 .doc = "始まった日、または月だけ（`2020-06`、`2020年6月`、`令和2年6月`）"},
	{"themes", FIELD_LIST, P(themes), .doc = "テーマのリスト"},
	{"partners", FIELD_LIST, P(partners), .doc = "協働する団体のリスト"},
	{"sessions", FIELD_LINKS, P(sessions),
	 .doc = "このプロジェクトが生まれたセッション（`content/sessions/` のファイル名）。"
	        "セッションの `projects` に書いても同じです"},
	{"images", FIELD_IMAGES, P(images), .doc = DOC_IMAGES},
	{"draft", FIELD_BOOL, P(draft), .doc = DOC_DRAFT},
	{"slug", FIELD_SLUG, P(slug), .doc = DOC_SLUG},
};

/* series.yaml's kind: names[i + 1] is enum series_kind i. */
static const char *const series_kind_names[] = {"", "session", "hearing", "meeting", NULL};

static void read_series_kind(struct field_ctx *c, const struct fm_node *n, void *rec)
{
	int v = get_enum(c, "kind", n, series_kind_names);
	((struct series_def *)rec)->kind = v ? (enum series_kind)(v - 1) : SERIES_SESSION;
}

#define DOC_VOCAB_SLUG(example) "アドレスに使う英小文字・数字・ハイフン（例: `" example "`）。" \
	"書かなければ名前から作ります"

static const struct field series_fields[] = {
	{"name", FIELD_TEXT, SD(name), .required = 1,
	 .doc = "シリーズ名（必須）。セッションの `series` と同じ書き方で"},
	{"slug", FIELD_TEXT, SD(slug), .doc = DOC_VOCAB_SLUG("joho-kokan")},
	{"kind", FIELD_CUSTOM, SD(kind), .read = read_series_kind,
	 .doc = "`session`（公開のセッション。書かなければこれ）、`hearing`（訪問・ヒアリング）、"
	        "`meeting`（運営のミーティング）のどれか"},
	{"description", FIELD_TEXT, SD(description), .doc = "シリーズのページに出す 1 行の説明"},
};

static const struct field theme_fields[] = {
	{"name", FIELD_TEXT, TD(name), .required = 1, .doc = "テーマ名（必須）"},
	{"slug", FIELD_TEXT, TD(slug), .doc = DOC_VOCAB_SLUG("corona")},
	{"description", FIELD_TEXT, TD(description), .doc = "テーマのページに出す 1 行の説明"},
	{"aliases", FIELD_LIST, TD(aliases),
	 .doc = "このテーマにまとめる別の書き方のリスト（全角・半角や前後の空白の違いは書かなくても同じテーマです）"},
};

static const struct field page_fields[] = {
	{"title", FIELD_TEXT, G(title), .required = 1, .doc = "題名（必須）"},
	{"menu", FIELD_COUNT, G(menu), .max = 1000, .num_default = 0,
	 .doc = "メニューでの順番（小さい数ほど前）。書かなければメニューに出ません"},
	{"draft", FIELD_BOOL, G(draft), .doc = DOC_DRAFT},
	{"slug", FIELD_SLUG, G(slug), .doc = DOC_SLUG},
};

static const struct field site_fields[] = {
	{"title", FIELD_TEXT, W(title), .required = 1, .doc = "サイトの名前（必須）"},
	{"base_url", FIELD_TEXT, W(base_url), .required = 1,
	 .doc = "公開するアドレス（必須）。`https://example.org/archive/` や `/`"},
	{"language", FIELD_TEXT, W(language), .text_default = "ja", .doc = "言語（既定 `ja`）"},
	{"timezone", FIELD_TEXT, W(timezone), .text_default = "Asia/Tokyo",
	 .doc = "時刻のタイムゾーン（既定 `Asia/Tokyo`）"},
	{"fiscal_year_start", FIELD_COUNT, W(fiscal_year_start), .max = 12, .num_default = 4,
	 .doc = "年度の始まりの月（1〜12、既定 4）"},
	{"theme", FIELD_TEXT, W(theme), .text_default = "default",
	 .doc = "見た目のテーマ（`themes/` の下のフォルダ名、既定 `default`）"},
	{"repository", FIELD_TEXT, W(repository),
	 .doc = "「編集」「履歴」リンクに使うリポジトリのアドレス（GitHub、GitLab、Forgejo/Gitea）"},
	{"edit_url", FIELD_TEXT, W(edit_url),
	 .doc = "「このページを編集」リンクの形（`{commit}` と `{path}` を置き換えます）。`repository` より優先"},
	{"history_url", FIELD_TEXT, W(history_url),
	 .doc = "「変更履歴」リンクの形（`{commit}` と `{path}` を置き換えます）。`repository` より優先"},
	{"show_authors", FIELD_BOOL, W(show_authors),
	 .doc = "`true` のとき、ページに git の作者名を出します（メールアドレスは出しません）"},
	{"per_page", FIELD_COUNT, W(per_page), .max = 1000, .num_default = 20,
	 .doc = "一覧の 1 ページの件数（既定 20）"},
	{"unsafe_html", FIELD_BOOL, W(unsafe_html),
	 .doc = "`true` のときだけ Markdown の中の HTML をそのまま通します"},
	{"description", FIELD_TEXT, W(description), .doc = "サイトの説明"},
	{"theme_slugs", FIELD_CUSTOM, W(theme_slug_keys), .read = read_theme_slugs,
	 .doc = "テーマ名からアドレスへの対応（例: `{コロナ: corona}`）"},
};

#define NFIELDS(t) (sizeof t / sizeof *t)
/* A record's "read without error" flags fit one word. */
#define MAX_FIELDS 32
_Static_assert(NFIELDS(session_fields) <= MAX_FIELDS, "too many session fields");
_Static_assert(NFIELDS(project_fields) <= MAX_FIELDS, "too many project fields");
_Static_assert(NFIELDS(page_fields) <= MAX_FIELDS, "too many page fields");
_Static_assert(NFIELDS(site_fields) <= MAX_FIELDS, "too many site fields");
_Static_assert(NFIELDS(series_fields) <= MAX_FIELDS, "too many series fields");
_Static_assert(NFIELDS(theme_fields) <= MAX_FIELDS, "too many theme fields");

static const struct {
	const struct field *v;
	size_t n;
} tables[RECORD_KINDS] = {
	[RECORD_SESSION] = {session_fields, NFIELDS(session_fields)},
	[RECORD_PROJECT] = {project_fields, NFIELDS(project_fields)},
	[RECORD_PAGE] = {page_fields, NFIELDS(page_fields)},
	[RECORD_SITE] = {site_fields, NFIELDS(site_fields)},
	[RECORD_SERIES] = {series_fields, NFIELDS(series_fields)},
	[RECORD_THEME] = {theme_fields, NFIELDS(theme_fields)},
};

const struct field *model_fields(enum record_kind k, size_t *n)
{
	*n = tables[k].n;
	return tables[k].v;
}

long model_field_num(const struct field *f, const void *rec)
{
	const char *p = (const char *)rec + f->off;
	return f->size == sizeof(int) ? *(const int *)p : *(const long *)p;
}

/* ---- reading a record by its table ---------------------------------------- */

/* What one pass over a table found, for the checks that span fields. */
struct fields_read {
	enum record_kind kind;
	uint32_t ok;                   /* bit i: row i written, read without error */
	const struct fm_node *links;   /* the FIELD_LINKS node, for merge_links */
};

static void put_num(void *p, size_t size, long v)
{
	if (size == sizeof(int))
		*(int *)p = (int)v;
	else
		*(long *)p = v;
}

/* Reads row f from node n (NULL when the field is not written) into rec.
 * Returns 1 when a value was written down, 0 when the field is absent
 * (or empty, or wrong). */
static int read_field(struct field_ctx *c, const struct field *f, const struct fm_node *n,
                      void *rec)
{
	void *p = (char *)rec + f->off;
	switch (f->type) {
	case FIELD_TEXT: {
		const char *s = get_text(c, f->name, n);
		*(const char **)p = s ? s : f->text_default;
		return s != NULL;
	}
	case FIELD_COUNT: {
		long v = get_count(c, f->name, n, f->max);
		put_num(p, f->size, v < 0 ? f->num_default : v);
		return v >= 0;
	}
	case FIELD_BOOL: {
		int v = get_bool(c, f->name, n);
		put_num(p, f->size, v == 1);
		return v >= 0;
	}
	case FIELD_LIST:
		*(struct strlist *)p = get_list(c, f->name, n);
		return ((struct strlist *)p)->n > 0;
	case FIELD_DATE:
	case FIELD_YM:
		return get_date(c, f->name, n, f->type == FIELD_YM, p) == 0;
	case FIELD_TIME:
		*(int *)p = get_time(c, f->name, n);
		return *(int *)p >= 0;
	case FIELD_IMAGES:
		*(struct images *)p = get_images(c, f->name, n);
		return ((struct images *)p)->n > 0;
	case FIELD_ENUM: {
		int v = get_enum(c, f->name, n, f->names);
		put_num(p, f->size, v);
		return v > 0;
	}
	case FIELD_LINKS: /* read by merge_links, once every record is known */
		return n && !is_null(n);
	case FIELD_SLUG:
		check_slug(c, n, *(const char **)p);
		return n && !is_null(n);
	case FIELD_CUSTOM:
		if (!n || is_null(n))
			return 0;
		f->read(c, n, rec);
		return 1;
	}
	return 0;
}

#define MAX_NAME_CPS 64

/* The code points of s into out (at most max; a malformed byte counts as
 * one); how many, or max + 1 when s has more. */
static size_t code_points(const char *s, unsigned *out, size_t max)
{
	size_t n = 0, len = strlen(s);
	for (size_t i = 0; i < len; n++) {
		unsigned cp;
		int l = utf8_decode(s + i, len - i, &cp);
		if (l <= 0) {
			cp = (unsigned char)s[i];
			l = 1;
		}
		if (n == max)
			return max + 1;
		out[n] = cp;
		i += (size_t)l;
	}
	return n;
}

/* Levenshtein distance in code points (so こども and 子ども are one edit
 * apart, not three); 99 when a name is longer than MAX_NAME_CPS. */
static size_t edit_distance(const char *a, const char *b)
{
	unsigned ca[MAX_NAME_CPS], cb[MAX_NAME_CPS];
	size_t la = code_points(a, ca, MAX_NAME_CPS), lb = code_points(b, cb, MAX_NAME_CPS);
	if (la > MAX_NAME_CPS || lb > MAX_NAME_CPS)
		return 99;
	size_t row[MAX_NAME_CPS + 1];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (ca[i - 1] != cb[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Warns about every key of map that is not a row of t, with the first row
 * name within two edits as the hint. */
static void check_unknown(struct field_ctx *c, const struct fm_node *map,
                          const struct field *t, size_t nt)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct fm_node *k = map->items[2 * i];
		int ok = 0;
		for (size_t f = 0; f < nt && !ok; f++)
			ok = !strcmp(k->str, t[f].name);
		if (ok)
			continue;
		const char *near = NULL;
		for (size_t f = 0; f < nt && !near; f++)
			if (edit_distance(k->str, t[f].name) <= 2)
				near = t[f].name;
		diag_warn(c->d, c->path, k->line, k->col, "unknown field \"%s\" (ignored)", k->str);
		if (near)
			diag_hint(c->d, "did you mean \"%s\"?", near);
	}
}

/* Reads every field of a record of kind k from map into rec: warns about
 * unknown fields, reads each row by its type, and reports a required
 * field that is missing or empty (at its key when written, else at the
 * start of the front matter) unless reading it already failed. */
static struct fields_read read_fields(struct field_ctx *c, enum record_kind k,
                                      const struct fm_node *map, void *rec)
{
	struct fields_read r = {k, 0, NULL};
	size_t nt;
	const struct field *t = model_fields(k, &nt);
	check_unknown(c, map, t, nt);
	for (size_t i = 0; i < nt; i++) {
		const struct fm_node *n = fm_get(map, t[i].name);
		int errors = c->d->errors;
		int got = read_field(c, &t[i], n, rec);
		int bad = c->d->errors > errors;
		if (got && !bad)
			r.ok |= (uint32_t)1 << i;
		if (t[i].type == FIELD_LINKS)
			r.links = n;
		if (t[i].required && !got && !bad)
			diag_error(c->d, c->path, n ? n->line : map->line, n ? n->col : map->col,
			           "%s is required", t[i].name);
	}
	return r;
}

/* Was field name written and read without error? */
static int read_ok(const struct fields_read *r, const char *name)
{
	size_t nt;
	const struct field *t = model_fields(r->kind, &nt);
	for (size_t i = 0; i < nt; i++)
		if (!strcmp(t[i].name, name))
			return (r->ok >> i) & 1;
	return 0;
}

/* ---- slugs ------------------------------------------------------------- */

/* model.h: the rule is documented there. */
const char *model_slug_problem(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.')
		return "it is empty or starts with \".\"";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == 0x7f || (ch && strchr("/\\ #?%\"<>", ch)))
			return "it holds a space or one of / \\ # ? % \" < >";
	}
	return NULL;
}

/* The file name without ".md". Slugs become URL path segments and
 * directory names, so they must be one safe segment. */
static const char *slug_of(struct field_ctx *c, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base) - 3; /* callers only pass *.md */
	const char *bad = model_slug_problem(base, n);
	if (bad) {
		diag_error(c->d, path, 0, 0, "bad file name for a page address: %s", bad);
		diag_hint(c->d, "use letters, digits and -, e.g. 2020-06-03-joho-kokan-01.md");
		return NULL;
	}
	return arena_strndup(c->a, base, n);
}

/* ---- the vocabularies: content/series.yaml and content/themes.yaml ----- */

static const char series_yaml[] = "content/series.yaml";
static const char themes_yaml[] = "content/themes.yaml";

/* A theme name or alias of themes.yaml, by its theme key. */
struct vkey {
	const char *key;           /* index_theme_key of what is written */
	size_t theme;              /* its theme: index in model->themes */
	int alias;                 /* 1: an alias; 0: the theme's name */
	const struct fm_node *at;  /* where it is written */
};

/* What the vocabularies tell the loading of records. Keys and names are
 * borrowed from the model's arena. */
struct vocab {
	const struct model *m;
	int have_series, have_themes;  /* the file exists */
	struct strmap series;          /* series name -> its index in m->series */
	const char **snames;           /* series.yaml's names, for did-you-mean */
	size_t nsnames;
	struct strmap keys;            /* theme key -> its index in tk */
	struct vkey *tk;
	size_t ntk, tkcap;
	const char **tkeys, **tnames;  /* tk's keys and their themes' names */
};

static void vocab_free(struct vocab *v)
{
	strmap_free(&v->series);
	strmap_free(&v->keys);
	free(v->tk);
}

/* Reads the YAML file at path into *out (nodes in the model's arena).
 * Returns 0; 1 when there is no such file (nothing recorded); -1 when it
 * cannot be read or parsed (the problem recorded). */
static int read_yaml(struct model *m, struct source *src, const char *path, struct diags *d,
                     struct fm_node **out)
{
	char *text = NULL;
	size_t len = 0, bad;
	*out = NULL;
	int rc = source_read(src, path, &text, &len, d);
	if (rc != 0)
		return rc;
	if (!utf8_valid(text, len, &bad))
		rc = diag_error(d, path, 0, 0, "not valid UTF-8 (byte %zu)", bad);
	else
		rc = fm_parse_yaml(m->arena, text, len, path, 1, d, out);
	free(text);
	return rc;
}

/* A vocabulary file's entries while it is checked: each record (read by
 * the kind's table) and the mapping it was read from. */
struct entries {
	struct entry {
		void *rec;
		const struct fm_node *node;
	} *v;
	size_t n, cap;
};

/* Reads the optional vocabulary at c->path: a YAML list of mappings, each
 * read by kind k's table into a new record of size bytes. An entry
 * without a name is left out (the error recorded). Returns 1 when there
 * is no such file, else 0 (problems recorded); the caller frees out->v. */
static int read_vocab(struct field_ctx *c, struct model *m, struct source *src,
                      enum record_kind k, size_t size, struct entries *out)
{
	struct fm_node *root = NULL;
	int rc = read_yaml(m, src, c->path, c->d, &root);
	if (rc != 0)
		return rc == 1;
	if (root->kind == FM_MAP && root->n == 0)
		return 0; /* empty, or only comments */
	if (root->kind != FM_SEQ) {
		diag_error(c->d, c->path, root->line, root->col,
		           "expected a list of entries, each starting with \"- name:\"");
		return 0;
	}
	for (size_t i = 0; i < root->n; i++) {
		const struct fm_node *it = root->items[i];
		if (it->kind != FM_MAP) {
			diag_error(c->d, c->path, it->line, it->col,
			           "each entry must be a mapping (name: ..., slug: ...), got %s",
			           kind_name(it));
			continue;
		}
		void *rec = arena_alloc(c->a, size);
		struct fields_read r = read_fields(c, k, it, rec);
		if (read_ok(&r, "name"))
			VEC_PUSH(out->v, out->n, out->cap, ((struct entry){rec, it}));
	}
	return 0;
}

/* Adds key to seen with value i; the value of the earlier entry that has
 * it, or SIZE_MAX when it is new. */
static size_t claim(struct strmap *seen, const char *key, size_t i)
{
	int added;
	size_t *prev = strmap_put(seen, key, i, &added);
	return added ? SIZE_MAX : *prev;
}

/* An entry's slug, which becomes a URL: ASCII [a-z0-9-]+, and no other
 * entry's (what: "series", "theme"). */
static void check_vocab_slug(struct field_ctx *c, const struct entries *e, size_t i,
                             const char *slug, struct strmap *slugs, const char *what)
{
	if (!slug)
		return;
	const struct fm_node *at = fm_get(e->v[i].node, "slug");
	if (slug[strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-")] != '\0') {
		diag_error(c->d, c->path, at->line, at->col,
		           "slug: \"%s\" must be ASCII lower-case letters, digits and -", slug);
		diag_hint(c->d, "e.g. slug: %s", *what == 's' ? "joho-kokan" : "corona");
		return;
	}
	size_t prev = claim(slugs, slug, i);
	if (prev == SIZE_MAX)
		return;
	const struct fm_node *first = fm_get(e->v[prev].node, "name");
	diag_error(c->d, c->path, at->line, at->col, "slug: \"%s\" is already the slug of %s \"%s\" (line %d)",
	           slug, what, first->str, first->line);
	diag_hint(c->d, "every %s needs a slug of its own", what);
}

static void load_series(struct model *m, struct source *src, struct vocab *v, struct diags *d)
{
	struct field_ctx c = {m->arena, d, series_yaml, d->errors, NULL, NULL};
	struct entries e = {NULL, 0, 0};
	struct strmap slugs = {NULL, 0, 0};
	v->have_series = read_vocab(&c, m, src, RECORD_SERIES, sizeof(struct series_def), &e) == 0;
	m->series = arena_alloc(m->arena, (e.n + 1) * sizeof *m->series);
	v->snames = arena_alloc(m->arena, (e.n + 1) * sizeof *v->snames);
	for (size_t i = 0; i < e.n; i++) {
		struct series_def *s = e.v[i].rec;
		s->declared = 1;
		m->series[m->nseries++] = s;
		v->snames[v->nsnames++] = s->name;
		check_vocab_slug(&c, &e, i, s->slug, &slugs, "series");
		size_t prev = claim(&v->series, s->name, i);
		if (prev == SIZE_MAX)
			continue;
		const struct fm_node *at = fm_get(e.v[i].node, "name");
		diag_error(d, series_yaml, at->line, at->col, "series \"%s\" is listed twice (first at line %d)",
		           s->name, fm_get(e.v[prev].node, "name")->line);
		diag_hint(d, "keep one of the two entries");
	}
	strmap_free(&slugs);
	free(e.v);
}

/* Files s, the name (alias 0) or an alias of theme i written at at, by
 * its theme key. A key may belong to one theme only: two names, an alias
 * and another theme's name, or two themes' aliases with one key are
 * errors. Names are added before aliases, so an alias meets every name. */
static void add_theme_key(struct field_ctx *c, struct vocab *v, size_t i, const char *s,
                          const struct fm_node *at, int alias)
{
	struct buf k;
	buf_init(&k);
	index_theme_key(&k, s, strlen(s)); /* YAML text is valid UTF-8 */
	const char *what = alias ? "aliases" : "name";
	if (k.len == 0) {
		diag_error(c->d, c->path, at->line, at->col, "%s: \"%s\" is only white space", what, s);
		goto done;
	}
	const char *key = arena_strndup(c->a, k.data, k.len);
	size_t prev = claim(&v->keys, key, v->ntk);
	if (prev == SIZE_MAX) {
		VEC_PUSH(v->tk, v->ntk, v->tkcap, ((struct vkey){key, i, alias, at}));
		goto done;
	}
	const struct vkey *p = &v->tk[prev];
	const char *other = v->m->themes[p->theme]->name;
	if (p->theme == i)
		diag_warn(c->d, c->path, at->line, at->col,
		          "aliases: \"%s\" is already this theme's name or alias (ignored)", s);
	else if (!alias)
		diag_error(c->d, c->path, at->line, at->col,
		           "theme \"%s\" is listed twice (as \"%s\" at line %d)", s, other, p->at->line);
	else if (!p->alias)
		diag_error(c->d, c->path, at->line, at->col,
		           "aliases: \"%s\" is the name of another theme, \"%s\" (line %d)", s, other,
		           p->at->line);
	else
		diag_error(c->d, c->path, at->line, at->col,
		           "aliases: \"%s\" is already an alias of \"%s\" (line %d)", s, other, p->at->line);
	if (p->theme != i)
		diag_hint(c->d, "a name or alias belongs to one theme only (full-width and half-width "
		                "forms are one)");
done:
	buf_free(&k);
}

/* Every name and alias of the themes, by key; then the arrays the
 * did-you-mean of a record's theme searches. */
static void file_theme_keys(struct field_ctx *c, struct vocab *v, const struct entries *e)
{
	for (size_t i = 0; i < e->n; i++)
		add_theme_key(c, v, i, v->m->themes[i]->name, fm_get(e->v[i].node, "name"), 0);
	for (size_t i = 0; i < e->n; i++) {
		const struct strlist *al = &v->m->themes[i]->aliases;
		const struct fm_node *an = fm_get(e->v[i].node, "aliases");
		for (size_t j = 0; j < al->n; j++)
			add_theme_key(c, v, i, al->v[j], list_item_node(an, al->v[j]), 1);
	}
	v->tkeys = arena_alloc(c->a, (v->ntk + 1) * sizeof *v->tkeys);
	v->tnames = arena_alloc(c->a, (v->ntk + 1) * sizeof *v->tnames);
	for (size_t i = 0; i < v->ntk; i++) {
		v->tkeys[i] = v->tk[i].key;
		v->tnames[i] = v->m->themes[v->tk[i].theme]->name;
	}
}

static void load_themes(struct model *m, struct source *src, struct vocab *v, struct diags *d)
{
	struct field_ctx c = {m->arena, d, themes_yaml, d->errors, NULL, NULL};
	struct entries e = {NULL, 0, 0};
	struct strmap slugs = {NULL, 0, 0};
	v->have_themes = read_vocab(&c, m, src, RECORD_THEME, sizeof(struct theme_def), &e) == 0;
	m->themes = arena_alloc(m->arena, (e.n + 1) * sizeof *m->themes);
	for (size_t i = 0; i < e.n; i++) {
		m->themes[m->nthemes++] = e.v[i].rec;
		check_vocab_slug(&c, &e, i, m->themes[i]->slug, &slugs, "theme");
	}
	file_theme_keys(&c, v, &e);
	strmap_free(&slugs);
	free(e.v);
}

/* model.h: the rule is documented there. */
size_t model_nearest(const char *s, const char *const *names, size_t n)
{
	/* utf8_column of the end is the length in code points, plus one. */
	size_t best = n, best_d = 99, ls = (size_t)utf8_column(s, strlen(s)) - 1;
	for (size_t i = 0; i < n; i++) {
		size_t ln = (size_t)utf8_column(names[i], strlen(names[i])) - 1;
		size_t dist = edit_distance(s, names[i]);
		size_t limit = ls <= 4 && ln <= 4 ? 1 : 2;
		if (dist <= limit && dist < best_d) {
			best = i;
			best_d = dist;
		}
	}
	for (size_t i = 0; i < n && best == n; i++)
		if (strstr(names[i], s) || strstr(s, names[i]))
			best = i;
	return best;
}

/* The hint for s, which a vocabulary does not list: the nearest of
 * names[0..n) (shown as shown[i]), or else what to do. */
static void hint_near(struct diags *d, const char *s, const char *const *names,
                      const char *const *shown, size_t n, const char *otherwise)
{
	size_t i = model_nearest(s, names, n);
	if (i < n)
		diag_hint(d, "did you mean \"%s\"?", shown[i]);
	else
		diag_hint(d, "%s", otherwise);
}

/* With series.yaml, a series it does not list is a warning: the series
 * is still made, as a plain session series (finish_series). */
static void check_series_name(struct field_ctx *c, const char *name, const struct fm_node *at)
{
	const struct vocab *v = c->vocab;
	if (!v || !v->have_series || !name || strmap_get(&v->series, name))
		return;
	diag_warn(c->d, c->path, at->line, at->col, "series: \"%s\" is not in %s", name, series_yaml);
	hint_near(c->d, name, v->snames, v->snames, v->nsnames,
	          N_("add it to content/series.yaml (name, slug, kind), or correct the name"));
}

/* With themes.yaml, a theme that is neither a name nor an alias there is
 * a warning: it still becomes a theme of its own. An empty theme is the
 * index's to report. */
static void check_theme_names(struct field_ctx *c, const struct strlist *themes,
                              const struct fm_node *node)
{
	const struct vocab *v = c->vocab;
	if (!v || !v->have_themes)
		return;
	struct buf k;
	buf_init(&k);
	for (size_t i = 0; i < themes->n; i++) {
		buf_reset(&k);
		if (index_theme_key(&k, themes->v[i], strlen(themes->v[i])) < 0 || k.len == 0 ||
		    strmap_get(&v->keys, k.data))
			continue;
		const struct fm_node *at = list_item_node(node, themes->v[i]);
		diag_warn(c->d, c->path, at->line, at->col, "themes: \"%s\" is not in %s", themes->v[i],
		          themes_yaml);
		hint_near(c->d, k.data, v->tkeys, v->tnames, v->ntk,
		          N_("add it to content/themes.yaml, as a theme or as an alias of one"));
	}
	buf_free(&k);
}

static int cmp_str(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* After publishing: m->series gets a series_def (kind session, not
 * declared) for every series a session names that series.yaml does not
 * list, by name after the declared ones, and every session its
 * series_def. */
static void finish_series(struct model *m, struct vocab *v)
{
	const char **extra = NULL;
	size_t ne = 0, cap = 0;
	for (size_t i = 0; i < m->nsessions; i++) {
		const char *name = m->sessions[i]->series;
		int added = 0;
		if (name)
			strmap_put(&v->series, name, SIZE_MAX, &added);
		if (added)
			VEC_PUSH(extra, ne, cap, name);
	}
	xsort(extra, ne, sizeof *extra, cmp_str);
	struct series_def **all = arena_alloc(m->arena, (m->nseries + ne + 1) * sizeof *all);
	if (m->nseries)
		memcpy(all, m->series, m->nseries * sizeof *all);
	for (size_t i = 0; i < ne; i++) {
		struct series_def *s = arena_alloc(m->arena, sizeof *s);
		s->name = extra[i];
		s->kind = SERIES_SESSION;
		*strmap_get(&v->series, extra[i]) = m->nseries;
		all[m->nseries++] = s;
	}
	m->series = all;
	for (size_t i = 0; i < m->nsessions; i++)
		if (m->sessions[i]->series)
			m->sessions[i]->series_def = all[*strmap_get(&v->series, m->sessions[i]->series)];
	free(extra);
}

/* ---- one content file ------------------------------------------------- */

struct loaded {
	const struct fm_node *fm;
	const char *body;
	size_t body_len;
	int body_line; /* the file's line of the body's first line */
};

static int parse_file(struct field_ctx *c, const char *text, size_t len, struct loaded *out)
{
	struct span yaml, body;
	int yaml_line, body_line;
	if (fm_split(text, len, c->path, &yaml, &yaml_line, &body, &body_line, c->d) != 0)
		return -1;
	struct fm_node *root = NULL;
	if (fm_parse_yaml(c->a, yaml.p, yaml.n, c->path, yaml_line, c->d, &root) != 0)
		return -1;
	if (root->kind != FM_MAP) {
		diag_error(c->d, c->path, root->line, root->col,
		           "front matter must be a mapping of fields (title: ..., date: ...)");
		return -1;
	}
	out->fm = root;
	out->body = body.p;
	out->body_len = body.n;
	out->body_line = body_line;
	return 0;
}

/* The links of one body as they are found: located in the file. The
 * links come in document order, so the start of the last link's line is
 * kept and the body is scanned once, not once a link. */
struct link_list {
	struct field_ctx *c;
	const struct loaded *l;
	struct body_link *v;
	size_t n, cap;
	const char *at; /* the start of body line `line`, or NULL */
	int line;
};

static void add_link(void *ctx, const struct md_link *ml)
{
	struct link_list *ll = ctx;
	struct body_link b = {arena_strdup(ll->c->a, ml->url), 0, 0, ml->image, ml->alt_empty};
	if (ml->line > 0) {
		/* cmark counts lines from the body and columns in bytes; a
		 * diagnostic counts from the file and in code points. */
		const char *end = ll->l->body + ll->l->body_len;
		if (!ll->at || ml->line < ll->line) {
			ll->at = ll->l->body;
			ll->line = 1;
		}
		const char *p = ll->at;
		for (; ll->line < ml->line && p < end; ll->line++) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
		}
		ll->at = p;
		b.line = ll->l->body_line + ml->line - 1;
		size_t off = ml->col > 0 ? (size_t)ml->col - 1 : 0, left = (size_t)(end - p);
		b.col = ml->col > 0 ? utf8_column(p, off < left ? off : left) : 0;
	}
	VEC_PUSH(ll->v, ll->n, ll->cap, b);
}

static void render_body(struct field_ctx *c, const struct model *m, const struct loaded *l,
                        const char **html, const char **summary, struct body_links *links)
{
	struct buf h, s;
	struct link_list ll = {c, l, NULL, 0, 0, NULL, 0};
	buf_init(&h);
	buf_init(&s);
	markdown_render_links(l->body, l->body_len, m->site.unsafe_html, &h, &s, SUMMARY_CHARS,
	                      add_link, &ll);
	*html = arena_strndup(c->a, h.data, h.len);
	*summary = arena_strndup(c->a, s.data, s.len);
	links->n = ll.n;
	links->v = ll.n ? arena_alloc(c->a, ll.n * sizeof *ll.v) : NULL;
	if (ll.n)
		memcpy(links->v, ll.v, ll.n * sizeof *ll.v);
	free(ll.v);
	buf_free(&h);
	buf_free(&s);
}

/* Is the field written, with a value (not empty or null)? */
static int written(const struct fm_node *map, const char *name)
{
	const struct fm_node *n = fm_get(map, name);
	return n && !is_null(n);
}

static struct session *load_session(struct field_ctx *c, struct model *m, const struct loaded *l,
                                    const char *slug, const struct fm_node **proj_node)
{
	const struct fm_node *fm = l->fm;
	struct session *s = arena_alloc(c->a, sizeof *s);
	s->slug = slug;
	s->path = c->path;
	struct fields_read r = read_fields(c, RECORD_SESSION, fm, s);
	*proj_node = r.links;
	if (s->end >= 0 && !written(fm, "start")) {
		const struct fm_node *n = fm_get(fm, "end");
		diag_error(c->d, c->path, n->line, n->col, "end is given but start is not");
	} else if (s->end >= 0 && s->start >= 0 && s->end <= s->start) {
		const struct fm_node *n = fm_get(fm, "end");
		diag_error(c->d, c->path, n->line, n->col, "end (%02d:%02d) must be after start (%02d:%02d)",
		           s->end / 60, s->end % 60, s->start / 60, s->start % 60);
	}
	if (s->number == 0 && read_ok(&r, "number")) {
		const struct fm_node *n = fm_get(fm, "number");
		diag_error(c->d, c->path, n->line, n->col, "number: must be 1 or more");
	}
	check_series_name(c, s->series, fm_get(fm, "series"));
	check_theme_names(c, &s->themes, fm_get(fm, "themes"));
	render_body(c, m, l, &s->body_html, &s->summary, &s->links);
	return s;
}

static struct project *load_project(struct field_ctx *c, struct model *m, const struct loaded *l,
                                    const char *slug, const struct fm_node **sess_node)
{
	struct project *p = arena_alloc(c->a, sizeof *p);
	p->slug = slug;
	p->path = c->path;
	*sess_node = read_fields(c, RECORD_PROJECT, l->fm, p).links;
	check_theme_names(c, &p->themes, fm_get(l->fm, "themes"));
	render_body(c, m, l, &p->body_html, &p->summary, &p->links);
	return p;
}

static struct page *load_page(struct field_ctx *c, struct model *m, const struct loaded *l,
                              const char *slug)
{
	struct page *p = arena_alloc(c->a, sizeof *p);
	p->slug = slug;
	p->path = c->path;
	read_fields(c, RECORD_PAGE, l->fm, p);
	render_body(c, m, l, &p->body_html, &p->summary, &p->links);
	return p;
}

/* ---- site.yaml --------------------------------------------------------- */

/* The time zones whose rules kura knows: one offset all year since 1970,
 * so a time there is an instant, and iCalendar can describe the zone with
 * one STANDARD block. For any other zone times stay floating local times
 * (never a guessed offset). */
static const struct {
	const char *name, *utc_offset, *abbrev;
} known_zones[] = {
	{"Asia/Tokyo", "+09:00", "JST"},
};

static void set_utc_offset(struct site *s)
{
	for (size_t i = 0; i < sizeof known_zones / sizeof *known_zones; i++)
		if (!strcmp(s->timezone, known_zones[i].name)) {
			s->utc_offset = known_zones[i].utc_offset;
			s->tz_abbrev = known_zones[i].abbrev;
		}
}

static int load_site(struct model *m, struct source *src, struct diags *d)
{
	static const char path[] = "content/site.yaml";
	struct field_ctx c = {m->arena, d, path, d->errors, NULL, NULL};
	struct site *s = &m->site;
	struct fm_node *fm = NULL;
	int rc = read_yaml(m, src, path, d, &fm);
	if (rc == 1) {
		diag_error(d, path, 0, 0, "missing: every archive needs content/site.yaml");
		diag_hint(d, "create it with at least:  title: ...  and  base_url: https://example.org/");
	}
	if (rc != 0)
		return -1;
	if (fm->kind != FM_MAP)
		return diag_error(d, path, fm->line, fm->col, "site.yaml must be a mapping of settings");
	struct fields_read r = read_fields(&c, RECORD_SITE, fm, s);
	set_utc_offset(s);

	const struct fm_node *bn = fm_get(fm, "base_url");
	const char *base = s->base_url ? s->base_url : "/";
	size_t bl = strlen(base);
	s->base_url = base[bl - 1] == '/' ? base : arena_printf(m->arena, "%s/", base);
	const char *scheme_end = strstr(s->base_url, "://");
	if (scheme_end) {
		if (strncmp(s->base_url, "https://", 8) && strncmp(s->base_url, "http://", 7))
			diag_error(d, path, bn->line, bn->col, "base_url: must start with https://, http:// or /");
		const char *slash = strchr(scheme_end + 3, '/');
		s->base_path = slash ? slash : "/";
	} else if (s->base_url[0] == '/') {
		s->base_path = s->base_url;
	} else if (bn) {
		diag_error(d, path, bn->line, bn->col, "base_url: must start with https://, http:// or /");
		s->base_path = "/";
	}
	for (const char *p = s->base_url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			diag_error(d, path, bn->line, bn->col, "base_url: must not hold spaces, quotes or < >");
	if (s->fiscal_year_start == 0 && read_ok(&r, "fiscal_year_start")) {
		const struct fm_node *n = fm_get(fm, "fiscal_year_start");
		diag_error(d, path, n->line, n->col, "fiscal_year_start: a month from 1 to 12");
	}
	if (strchr(s->theme, '/') || strchr(s->theme, '\\') || s->theme[0] == '.') {
		const struct fm_node *tn = fm_get(fm, "theme");
		diag_error(d, path, tn->line, tn->col, "theme: a theme is named by its folder under themes/, without / or ..");
	}
	if (s->per_page == 0 && read_ok(&r, "per_page")) {
		const struct fm_node *n = fm_get(fm, "per_page");
		diag_error(d, path, n->line, n->col, "per_page: must be 1 or more");
	}
	return failed(&c) ? -1 : 0;
}

/* ---- sorting and links -------------------------------------------------- */

int model_session_when_cmp(const struct session *a, const struct session *b)
{
	int c = date_cmp(a->date, b->date);
	if (c)
		return c;
	return a->start < b->start ? -1 : a->start > b->start;
}

static int cmp_session(const void *pa, const void *pb)
{
	const struct session *a = *(struct session *const *)pa, *b = *(struct session *const *)pb;
	int c = model_session_when_cmp(a, b);
	return c ? c : strcmp(a->slug, b->slug);
}

static int cmp_project(const void *pa, const void *pb)
{
	const struct project *a = *(struct project *const *)pa, *b = *(struct project *const *)pb;
	return strcmp(a->slug, b->slug);
}

static int cmp_session_slug(const void *pa, const void *pb)
{
	const struct session *a = *(struct session *const *)pa, *b = *(struct session *const *)pb;
	return strcmp(a->slug, b->slug);
}

static int cmp_page(const void *pa, const void *pb)
{
	const struct page *a = *(struct page *const *)pa, *b = *(struct page *const *)pb;
	return strcmp(a->slug, b->slug);
}

/* sorted_find keys: a slug against a record pointer. */
static int cmp_slug_session(const void *key, const void *elem)
{
	return strcmp(key, (*(struct session *const *)elem)->slug);
}

static int cmp_slug_project(const void *key, const void *elem)
{
	return strcmp(key, (*(struct project *const *)elem)->slug);
}

struct link {
	struct session *s;
	struct project *p;
};

static int cmp_link(const void *pa, const void *pb)
{
	const struct link *a = pa, *b = pb;
	if (a->s->idx != b->s->idx)
		return a->s->idx < b->s->idx ? -1 : 1;
	return a->p->idx < b->p->idx ? -1 : a->p->idx > b->p->idx;
}

/* ---- the whole archive -------------------------------------------------- */

struct pending {
	struct session **sv;
	size_t sn, scap;
	const struct fm_node **sproj; /* each session's projects: node */
	size_t sprojcap;
	struct project **pv;
	size_t pn, pcap;
	const struct fm_node **psess; /* each project's sessions: node */
	size_t psesscap;
	struct page **gv;
	size_t gn, gcap;
};

static int ends_with_md(const char *p)
{
	size_t n = strlen(p);
	return n > 3 && !strcmp(p + n - 3, ".md");
}

/* Loads the records of kind under dir; base gives each file's context
 * its arena, diagnostics, media list and vocabularies. */
static void load_dir(struct model *m, struct source *src, const char *dir, enum record_kind kind,
                     int include_drafts, const struct field_ctx *base, struct pending *pd)
{
	struct diags *d = base->d;
	struct source_list list = {NULL, 0};
	if (source_list(src, dir, &list, d) != 0)
		return;
	for (size_t i = 0; i < list.n; i++) {
		const char *fpath = list.v[i].path;
		if (!ends_with_md(fpath))
			continue;
		char *path = arena_strdup(m->arena, fpath);
		struct field_ctx c = *base;
		c.path = path;
		c.errors_before = d->errors;
		const char *slug = slug_of(&c, path);
		char *text = NULL;
		size_t len = 0;
		struct loaded l;
		if (source_read(src, path, &text, &len, d) != 0 || !slug ||
		    parse_file(&c, text, len, &l) != 0) {
			free(text);
			continue;
		}
		const struct fm_node *links = NULL;
		if (kind == RECORD_SESSION) {
			struct session *s = load_session(&c, m, &l, slug, &links);
			pd->sproj = xgrow(pd->sproj, &pd->sprojcap, pd->sn + 1, sizeof *pd->sproj);
			pd->sproj[pd->sn] = links;
			VEC_PUSH(pd->sv, pd->sn, pd->scap, s);
		} else if (kind == RECORD_PROJECT) {
			struct project *p = load_project(&c, m, &l, slug, &links);
			pd->psess = xgrow(pd->psess, &pd->psesscap, pd->pn + 1, sizeof *pd->psess);
			pd->psess[pd->pn] = links;
			VEC_PUSH(pd->pv, pd->pn, pd->pcap, p);
		} else {
			struct page *g = load_page(&c, m, &l, slug);
			if (!g->draft || include_drafts)
				VEC_PUSH(pd->gv, pd->gn, pd->gcap, g);
		}
		free(text);
	}
	source_list_free(&list);
}

/* Reports a second file with the same slug; arrays are sorted by slug. */
static void check_duplicates(void **v, size_t n, size_t slug_off, size_t path_off,
                             const char *what, struct diags *d)
{
	for (size_t i = 1; i < n; i++) {
		const char *a = *(const char **)((char *)v[i - 1] + slug_off);
		const char *b = *(const char **)((char *)v[i] + slug_off);
		if (strcmp(a, b))
			continue;
		const char *pa = *(const char **)((char *)v[i - 1] + path_off);
		const char *pb = *(const char **)((char *)v[i] + path_off);
		diag_error(d, pb, 0, 0, "duplicate %s address \"%s\": %s has the same file name", what,
		           b, pa);
		diag_hint(d, "file names become addresses (/%ss/%s/): rename one of them", what, b);
	}
}

static void merge_links(struct model *m, struct pending *pd, int include_drafts,
                        struct diags *d)
{
	struct link *links = NULL;
	size_t nl = 0, cap = 0;
	/* Look-ups by slug need slug-sorted arrays (projects already are). */
	struct session **by_slug = xmalloc((pd->sn ? pd->sn : 1) * sizeof *by_slug);
	if (pd->sn) /* memcpy from NULL is undefined, even of 0 bytes */
		memcpy(by_slug, pd->sv, pd->sn * sizeof *by_slug);
	xsort(by_slug, pd->sn, sizeof *by_slug, cmp_session_slug);
	for (size_t i = 0; i < pd->sn; i++) {
		struct session *s = pd->sv[i];
		const struct fm_node *pn = pd->sproj[i];
		struct field_ctx c = {m->arena, d, s->path, d->errors, NULL, NULL};
		struct strlist l = get_list(&c, "projects", pn);
		for (size_t k = 0; k < l.n; k++) {
			struct project **p = sorted_find(pd->pv, pd->pn, sizeof *pd->pv, l.v[k],
			                                 cmp_slug_project);
			if (!p) {
				const struct fm_node *it = list_item_node(pn, l.v[k]);
				diag_error(d, s->path, it->line, it->col,
				           "projects: no project \"%s\" (content/projects/%s.md does not exist)",
				           l.v[k], l.v[k]);
				continue;
			}
			VEC_PUSH(links, nl, cap, ((struct link){s, *p}));
		}
	}
	for (size_t i = 0; i < pd->pn; i++) {
		struct project *p = pd->pv[i];
		const struct fm_node *sn = pd->psess[i];
		struct field_ctx c = {m->arena, d, p->path, d->errors, NULL, NULL};
		struct strlist l = get_list(&c, "sessions", sn);
		for (size_t k = 0; k < l.n; k++) {
			struct session **s = sorted_find(by_slug, pd->sn, sizeof *by_slug, l.v[k],
			                                 cmp_slug_session);
			if (!s) {
				const struct fm_node *it = list_item_node(sn, l.v[k]);
				diag_error(d, p->path, it->line, it->col,
				           "sessions: no session \"%s\" (no content/sessions/**/%s.md)",
				           l.v[k], l.v[k]);
				continue;
			}
			VEC_PUSH(links, nl, cap, ((struct link){*s, p}));
		}
	}
	free(by_slug);
	/* Indexes are final (after sorting); drop duplicates and drafts. */
	if (nl)
		xsort(links, nl, sizeof *links, cmp_link);
	size_t *scount = xcalloc(pd->sn + 1, sizeof *scount);
	size_t *pcount = xcalloc(pd->pn + 1, sizeof *pcount);
	size_t u = 0;
	for (size_t i = 0; i < nl; i++) {
		if (u && links[u - 1].s == links[i].s && links[u - 1].p == links[i].p)
			continue;
		links[u++] = links[i];
	}
	nl = u;
	for (size_t i = 0; i < nl; i++) {
		scount[links[i].s->idx]++;
		pcount[links[i].p->idx]++;
	}
	for (size_t i = 0; i < pd->sn; i++)
		pd->sv[i]->projects = arena_alloc(m->arena, (scount[i] + 1) * sizeof(struct project *));
	for (size_t i = 0; i < pd->pn; i++)
		pd->pv[i]->sessions = arena_alloc(m->arena, (pcount[i] + 1) * sizeof(struct session *));
	/* links are in session order, so each project's sessions come out in
	 * model order; a session's projects in project (slug) order. */
	for (size_t i = 0; i < nl; i++) {
		struct session *s = links[i].s;
		struct project *p = links[i].p;
		if (!include_drafts && (s->draft || p->draft))
			continue;
		s->projects[s->nprojects++] = p;
		p->sessions[p->nsessions++] = s;
	}
	free(scount);
	free(pcount);
	free(links);
}

/* The records, sorted and linked, into the model: drafts leave here,
 * unless asked for; indexes follow the published order. */
static void publish(struct model *m, const struct pending *pd, int include_drafts)
{
	m->sessions = arena_alloc(m->arena, (pd->sn + 1) * sizeof *m->sessions);
	for (size_t i = 0; i < pd->sn; i++)
		if (include_drafts || !pd->sv[i]->draft) {
			pd->sv[i]->idx = m->nsessions;
			m->sessions[m->nsessions++] = pd->sv[i];
		}
	m->projects = arena_alloc(m->arena, (pd->pn + 1) * sizeof *m->projects);
	for (size_t i = 0; i < pd->pn; i++)
		if (include_drafts || !pd->pv[i]->draft) {
			pd->pv[i]->idx = m->nprojects;
			m->projects[m->nprojects++] = pd->pv[i];
		}
	m->pages = arena_alloc(m->arena, (pd->gn + 1) * sizeof *m->pages);
	for (size_t i = 0; i < pd->gn; i++)
		m->pages[m->npages++] = pd->gv[i];
}

int model_load(struct model **out, struct source *src, int include_drafts, struct diags *d)
{
	int errors_before = d->errors;
	struct model *m = xcalloc(1, sizeof *m);
	m->arena = arena_new();
	struct pending pd;
	memset(&pd, 0, sizeof pd);
	struct vocab v;
	memset(&v, 0, sizeof v);
	v.m = m;
	*out = NULL;

	struct source_list media = {NULL, 0};
	int site_ok = load_site(m, src, d) == 0;
	/* Messages are printed in the archive's language (i18n.h), decided
	 * here, as soon as it is known: the errors of a broken archive are
	 * the ones that must be read. */
	i18n_choose(m->site.language);
	if (!site_ok || source_list(src, "content/media", &media, d) != 0)
		goto done;
	load_series(m, src, &v, d);
	load_themes(m, src, &v, d);
	struct field_ctx base = {m->arena, d, NULL, d->errors, &media, &v};
	load_dir(m, src, "content/sessions", RECORD_SESSION, include_drafts, &base, &pd);
	load_dir(m, src, "content/projects", RECORD_PROJECT, include_drafts, &base, &pd);
	load_dir(m, src, "content/pages", RECORD_PAGE, include_drafts, &base, &pd);

	/* Sort: sessions by date; projects by slug; sessions also by slug for
	 * the duplicate check. Indexes follow the final order. */
	xsort(pd.pv, pd.pn, sizeof *pd.pv, cmp_project);
	check_duplicates((void **)pd.pv, pd.pn, offsetof(struct project, slug),
	                 offsetof(struct project, path), "project", d);
	xsort(pd.gv, pd.gn, sizeof *pd.gv, cmp_page);
	check_duplicates((void **)pd.gv, pd.gn, offsetof(struct page, slug),
	                 offsetof(struct page, path), "page", d);
	{
		struct session **tmp = xmalloc((pd.sn ? pd.sn : 1) * sizeof *tmp);
		if (pd.sn)
			memcpy(tmp, pd.sv, pd.sn * sizeof *tmp);
		xsort(tmp, pd.sn, sizeof *tmp, cmp_session_slug);
		check_duplicates((void **)tmp, pd.sn, offsetof(struct session, slug),
		                 offsetof(struct session, path), "session", d);
		free(tmp);
	}
	/* Keep each session's projects node aligned while sorting. */
	for (size_t i = 0; i < pd.sn; i++)
		pd.sv[i]->idx = i;
	{
		const struct fm_node **nodes = xmalloc((pd.sn ? pd.sn : 1) * sizeof *nodes);
		if (pd.sn)
			memcpy(nodes, pd.sproj, pd.sn * sizeof *nodes);
		xsort(pd.sv, pd.sn, sizeof *pd.sv, cmp_session);
		for (size_t i = 0; i < pd.sn; i++)
			pd.sproj[i] = nodes[pd.sv[i]->idx];
		free(nodes);
	}
	for (size_t i = 0; i < pd.sn; i++)
		pd.sv[i]->idx = i;
	for (size_t i = 0; i < pd.pn; i++)
		pd.pv[i]->idx = i;
	merge_links(m, &pd, include_drafts, d);
	publish(m, &pd, include_drafts);
	finish_series(m, &v);
done:
	vocab_free(&v);
	source_list_free(&media);
	free(pd.sv);
	free(pd.sproj);
	free(pd.pv);
	free(pd.psess);
	free(pd.gv);
	if (d->errors > errors_before) {
		model_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	arena_free(m->arena);
	free(m);
}

const char *series_kind_name(enum series_kind k)
{
	return (unsigned)k <= SERIES_MEETING ? series_kind_names[k + 1] : "";
}

const char *project_status_name(enum project_status s)
{
	return s > STATUS_NONE && s <= STATUS_COMPLETED ? status_names[s] : "";
}

const char *project_status_ja(enum project_status s)
{
	return s > STATUS_NONE && s <= STATUS_COMPLETED ? status_ja[s] : "";
}
