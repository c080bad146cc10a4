/* scaffold.c — `kura new`: one new content file, named the way the
 * archive names its files, listing every field of its kind (scaffold.h).
 *
 * Everything is decided from the archive as the build sees it (the same
 * source and model), never from the clock: the date is the volunteer's.
 * Messages are for volunteers, so each says it in Japanese first, then
 * in English, as the hooks do.
 */
#include "scaffold.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "date.h"
#include "source.h"
#include "util.h"

static const char series_yaml[] = "content/series.yaml";

/* The ASCII letters and digits of s, lowercased, each run of anything
 * else one '-', none at either end: "Talk Session #3" gives
 * "talk-session-3"; a Japanese title gives "". */
static void ascii_slug(struct buf *b, const char *s)
{
	size_t start = b->len;
	int dash = 0;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')) {
			if (dash && b->len > start)
				buf_putc(b, '-');
			buf_putc(b, (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch));
			dash = 0;
		} else {
			dash = 1;
		}
	}
}

/* A text the volunteer gave, as it goes into the file: no control byte
 * (a YAML line break), valid UTF-8. */
static int bad_text(struct diags *d, const char *what, const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return diag_error(d, NULL, 0, 0, "%s に改行や制御文字は使えません "
			                  "(%s holds a line break or a control character)", what, what);
	if (!utf8_valid(s, strlen(s), NULL))
		return diag_error(d, NULL, 0, 0, "%s が UTF-8 ではありません (%s is not UTF-8)", what,
		                  what);
	return 0;
}

/* s as a YAML scalar: plain when YAML reads it back as the same string
 * (Japanese titles, words), else double-quoted. */
static void yaml_scalar(struct buf *b, const char *s)
{
	static const char *const words[] = {"true", "false", "yes", "no", "on", "off",
	                                    "null", "y", "n", "~"};
	size_t n = strlen(s);
	int plain = n > 0 && !strchr("-?:,[]{}#&*!|>'\"%@`+.0123456789 ", s[0]) &&
	            s[n - 1] != ' ' && s[n - 1] != ':' && !strstr(s, ": ") && !strstr(s, " #");
	for (size_t i = 0; plain && i < sizeof words / sizeof *words; i++)
		if (!strcasecmp(s, words[i]))
			plain = 0;
	if (plain) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* The front matter and an empty body: a line for every row of the kind's
 * table, with its value (vals[i], or a YAML comment when NULL) and its
 * Japanese description. */
static void render(struct buf *b, enum record_kind kind, const char *const *vals)
{
	size_t n;
	const struct field *f = model_fields(kind, &n);
	buf_puts(b, "---\n");
	for (size_t i = 0; i < n; i++) {
		if (vals[i])
			buf_printf(b, "%s: %s  # %s\n", f[i].name, vals[i], f[i].doc);
		else
			buf_printf(b, "# %s:  # %s\n", f[i].name, f[i].doc);
	}
	buf_puts(b, "---\n\n");
}

/* Sets the value of the row named name (which the table must have). */
static void set_val(const char **vals, enum record_kind kind, const char *name, const char *v)
{
	size_t n;
	const struct field *f = model_fields(kind, &n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			vals[i] = v;
}

/* The series named name, after checking it against series.yaml when the
 * file exists; -1 (recorded) when it does not list it. *out is NULL for a
 * series no record uses yet and series.yaml does not list. */
static int find_series(const struct series_def **out, struct source *src, const struct model *m,
                       const char *name, struct diags *d)
{
	*out = NULL;
	for (size_t i = 0; i < m->nseries; i++)
		if (!strcmp(m->series[i]->name, name))
			*out = m->series[i];
	char *text = NULL;
	size_t len;
	int rc = source_read(src, series_yaml, &text, &len, d);
	free(text);
	if (rc < 0)
		return -1;
	if (rc == 1 || (*out && (*out)->declared))
		return 0;
	const char **names = xmalloc((m->nseries + 1) * sizeof *names);
	size_t nn = 0;
	for (size_t i = 0; i < m->nseries; i++)
		if (m->series[i]->declared)
			names[nn++] = m->series[i]->name;
	size_t near = model_nearest(name, names, nn);
	diag_error(d, NULL, 0, 0, "--series %s: %s にないシリーズです (not in %s)", name,
	           series_yaml, series_yaml);
	if (near < nn)
		diag_hint(d, "「%s」のことですか？ (did you mean \"%s\"?)", names[near], names[near]);
	else
		diag_hint(d, "%s に加えるか、名前を直してください "
		          "(add it to %s, or correct the name)", series_yaml, series_yaml);
	free(names);
	*out = NULL;
	return -1;
}

/* The next number of a series that numbers its sessions (the largest
 * plus one), or 0 when none of its sessions has a number. */
static int next_number(const struct model *m, const char *series)
{
	int max = 0;
	for (size_t i = 0; i < m->nsessions; i++) {
		const struct session *s = m->sessions[i];
		if (s->series && !strcmp(s->series, series) && s->number > max)
			max = s->number;
	}
	return max ? max + 1 : 0;
}

/* The record of kind with this slug, for a refusal; NULL when free. */
static const char *taken(const struct model *m, enum record_kind kind, const char *slug)
{
	if (kind == RECORD_SESSION) {
		for (size_t i = 0; i < m->nsessions; i++)
			if (!strcmp(m->sessions[i]->slug, slug))
				return m->sessions[i]->path;
	} else if (kind == RECORD_PROJECT) {
		for (size_t i = 0; i < m->nprojects; i++)
			if (!strcmp(m->projects[i]->slug, slug))
				return m->projects[i]->path;
	} else {
		for (size_t i = 0; i < m->npages; i++)
			if (!strcmp(m->pages[i]->slug, slug))
				return m->pages[i]->path;
	}
	return NULL;
}

/* mkdir -p of the directories of rel under root, refusing a symbolic link
 * on the way (the source never follows one, so neither does kura new). */
static int make_dirs(const char *root, const char *rel, struct diags *d)
{
	struct buf b;
	buf_init(&b);
	int rc = -1;
	buf_puts(&b, root);
	for (const char *p = rel; (p = strchr(p, '/')) != NULL; p++) {
		buf_reset(&b);
		buf_printf(&b, "%s/%.*s", root, (int)(p - rel), rel);
		struct stat st;
		if (mkdir(b.data, 0755) != 0 && errno != EEXIST) {
			diag_error(d, NULL, 0, 0, "%s を作れません (cannot make %s: %s)", b.data, b.data,
			           strerror(errno));
			goto done;
		}
		if (lstat(b.data, &st) != 0 || !S_ISDIR(st.st_mode)) {
			diag_error(d, NULL, 0, 0, "%s がフォルダーではありません "
			           "(%s is not a directory, or is a symbolic link)", b.data, b.data);
			goto done;
		}
	}
	rc = 0;
done:
	buf_free(&b);
	return rc;
}

/* Writes text to root/rel, which must not exist: into a temporary file
 * beside it, flushed, then link(2)ed to its name, which fails rather than
 * replace a file. So the file appears whole or not at all. */
static int write_new(const char *root, const char *rel, const char *text, size_t n,
                     struct diags *d)
{
	char *path = xasprintf("%s/%s", root, rel);
	const char *slash = strrchr(path, '/');
	char *tmp = xasprintf("%.*s/.kura-new-XXXXXX", (int)(slash - path), path);
	int rc = -1, fd = -1, made = 0;
	if (make_dirs(root, rel, d) != 0)
		goto done;
	fd = mkstemp(tmp);
	if (fd < 0) {
		diag_error(d, rel, 0, 0, "書き込めません (cannot write: %s)", strerror(errno));
		goto done;
	}
	made = 1;
	if (fchmod(fd, 0644) != 0 || write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) {
		diag_error(d, rel, 0, 0, "書き込めません (cannot write: %s)", strerror(errno));
		goto done;
	}
	if (close(fd) != 0) {
		fd = -1;
		diag_error(d, rel, 0, 0, "書き込めません (cannot write: %s)", strerror(errno));
		goto done;
	}
	fd = -1;
	if (link(tmp, path) != 0) {
		if (errno == EEXIST) {
			diag_error(d, rel, 0, 0, "このファイルはすでにあります。上書きはしません "
			           "(the file exists; kura new never overwrites a file)");
			diag_hint(d, "別の名前にするには --slug を付けます (give another name with --slug)");
		} else {
			diag_error(d, rel, 0, 0, "書き込めません (cannot write: %s)", strerror(errno));
		}
		goto done;
	}
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	if (made)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

/* What was given, before anything is read: a title, options that fit the
 * kind, a session's date (into *date), a usable --slug. */
static int check_options(const struct scaffold *o, struct date *date, struct diags *d)
{
	int session = o->kind == RECORD_SESSION;
	if (!o->title || !*o->title) {
		diag_error(d, NULL, 0, 0, "題名がありません (the title is missing)");
		diag_hint(d, "例 (e.g.): kura new session --date 2021-03-18 \"定例情報交換会\"");
		return -1;
	}
	if (bad_text(d, "題名 (the title)", o->title) != 0 ||
	    (o->series && bad_text(d, "--series", o->series) != 0))
		return -1;
	if (!session && (o->date || o->series || o->number))
		return diag_error(d, NULL, 0, 0, "--date、--series、--number はセッションだけのものです "
		                  "(--date, --series and --number are for kura new session only)");
	if (session && !o->date) {
		diag_error(d, NULL, 0, 0, "--date で開催日を書いてください "
		           "(--date is required: kura never takes a date from the clock)");
		diag_hint(d, "例 (e.g.): --date 2021-03-18、--date 2021年3月18日、--date 令和3年3月18日");
		return -1;
	}
	const char *err = NULL;
	if (session && date_parse(o->date, strlen(o->date), date, &err) != 0) {
		diag_error(d, NULL, 0, 0, "--date %s: 日付として読めません (not a date: %s)", o->date, err);
		diag_hint(d, "2021-03-18、2021年3月18日、令和3年3月18日 のように書きます "
		          "(write the date as 2021-03-18, 2021年3月18日 or 令和3年3月18日)");
		return -1;
	}
	const char *why = o->slug ? model_slug_problem(o->slug, strlen(o->slug)) : NULL;
	if (why)
		return diag_error(d, NULL, 0, 0,
		                  "--slug %s: ファイル名にできません。空白や / \\ # ? %% \" < > は使えず、"
		                  "「.」で始めることもできません (%s)",
		                  o->slug, why);
	return 0;
}

/* The same command twice would otherwise make the session twice,
 * numbered one more: a session of the series on that day is taken to be
 * this one, unless --number or --slug says it is another. */
static int same_day(const struct model *m, const struct scaffold *o, struct date date,
                    struct diags *d)
{
	if (o->kind != RECORD_SESSION || !o->series || o->number || o->slug)
		return 0;
	for (size_t i = 0; i < m->nsessions; i++) {
		const struct session *s = m->sessions[i];
		if (s->series && !strcmp(s->series, o->series) && !date_cmp(s->date, date)) {
			diag_error(d, s->path, 0, 0, "この日の「%s」はすでにあります。上書きはしません "
			           "(this series already has a session on %s; kura new never "
			           "overwrites a file)", o->series, o->date);
			diag_hint(d, "同じ日の二つ目なら --number か --slug を付けます "
			          "(for a second one that day, give --number or --slug)");
			return -1;
		}
	}
	return 0;
}

/* The address (slug) and the file (rel) of the new record: --slug, or
 * the series' slug and number, or ASCII from the title; a session's file
 * name starts with its date. Refused when taken. */
static int address(const struct model *m, const struct scaffold *o,
                   const struct series_def *sd, int number, struct date date, struct buf *slug,
                   struct buf *rel, struct diags *d)
{
	int session = o->kind == RECORD_SESSION;
	if (session) {
		date_iso(slug, date);
		buf_putc(slug, '-');
	}
	size_t start = slug->len;
	if (o->slug)
		buf_puts(slug, o->slug);
	else if (sd && sd->declared && sd->slug) {
		buf_puts(slug, sd->slug);
		if (number)
			buf_printf(slug, "-%02d", number);
	} else
		ascii_slug(slug, o->title);
	if (slug->len == start) {
		if (!session) {
			diag_error(d, NULL, 0, 0, "題名から英数字のアドレスを作れません。--slug を付けてください "
			           "(the title has no ASCII letters or digits to make the address from: "
			           "give one with --slug)");
			diag_hint(d, "例 (e.g.): --slug wakamono-koritsu-boshi");
			return -1;
		}
		buf_puts(slug, "session");
	}
	if (session)
		buf_printf(rel, "content/sessions/%04d/%s.md", date.y, slug->data);
	else
		buf_printf(rel, "content/%s/%s.md", o->kind == RECORD_PROJECT ? "projects" : "pages",
		           slug->data);
	const char *why = path_problem(rel->data, rel->len);
	if (why)
		return diag_error(d, rel->data, 0, 0, "ファイル名にできません (%s)", why);
	const char *other = taken(m, o->kind, slug->data);
	if (other) {
		diag_error(d, rel->data, 0, 0, "アドレス「%s」は %s がすでに使っています。上書きはしません "
		           "(the address \"%s\" is taken by %s; kura new never overwrites a file)",
		           slug->data, other, slug->data, other);
		diag_hint(d, "別の名前にするには --slug を付けます (give another name with --slug)");
		return -1;
	}
	return 0;
}

/* The new file's text: the front matter with title, and a session's
 * date, series and number, filled in. */
static void compose(struct buf *text, const struct scaffold *o, struct date date, int number)
{
	size_t nf;
	model_fields(o->kind, &nf);
	const char **vals = xcalloc(nf, sizeof *vals);
	struct buf title, series, iso, num;
	buf_init(&title);
	buf_init(&series);
	buf_init(&iso);
	buf_init(&num);
	yaml_scalar(&title, o->title);
	set_val(vals, o->kind, "title", title.data);
	if (o->kind == RECORD_SESSION) {
		date_iso(&iso, date);
		set_val(vals, o->kind, "date", iso.data);
		if (o->series) {
			yaml_scalar(&series, o->series);
			set_val(vals, o->kind, "series", series.data);
		}
		if (number) {
			buf_printf(&num, "%d", number);
			set_val(vals, o->kind, "number", num.data);
		}
	}
	render(text, o->kind, vals);
	buf_free(&title);
	buf_free(&series);
	buf_free(&iso);
	buf_free(&num);
	free(vals);
}

int scaffold_new(char **out, const struct scaffold *o, struct diags *d)
{
	const char *repo = o->repo ? o->repo : ".";
	struct source *src = NULL;
	struct model *m = NULL;
	struct diags load;
	struct buf slug, rel, text;
	struct date date = {0, 0, 0};
	int rc = -1;
	diags_init(&load);
	buf_init(&slug);
	buf_init(&rel);
	buf_init(&text);
	*out = NULL;
	if (check_options(o, &date, d) != 0)
		goto done;

	/* The archive, as a build reads it, drafts included: they hold
	 * numbers and addresses too. */
	if (source_open(&src, repo, NULL, d) != 0)
		goto done;
	if (source_kind(src) == SOURCE_TREE) {
		diag_error(d, NULL, 0, 0, "%s は bare リポジトリです。作業ツリーで kura new を使います "
		           "(%s is a bare repository: kura new writes into a working tree)", repo, repo);
		goto done;
	}
	if (model_load(&m, src, 1, &load) != 0) {
		diags_move(d, &load);
		diag_error(d, NULL, 0, 0, "アーカイブに誤りがあるので、新しいファイルは作りません。"
		           "先にここに挙げた誤りを直してください (the archive has the errors listed "
		           "here: fix them first, so that kura new can tell the names and numbers "
		           "already taken)");
		goto done;
	}
	int number = o->number;
	const struct series_def *sd = NULL;
	if (o->kind == RECORD_SESSION && o->series) {
		if (find_series(&sd, src, m, o->series, d) != 0)
			goto done;
		if (!number)
			number = next_number(m, o->series);
	}
	if (same_day(m, o, date, d) != 0 || address(m, o, sd, number, date, &slug, &rel, d) != 0)
		goto done;
	compose(&text, o, date, number);
	if (write_new(repo, rel.data, text.data, text.len, d) != 0)
		goto done;
	*out = buf_detach(&rel);
	rc = 0;
done:
	diags_free(&load);
	model_free(m);
	source_close(src);
	buf_free(&slug);
	buf_free(&rel);
	buf_free(&text);
	return rc;
}
