/* feeds.c — open data: sessions.json, sessions.csv, attendance.csv and
 * sessions.ics, each appended to a struct buf.
 *
 * These files are read by programs (spreadsheets, calendars, scripts), so
 * each follows its format's rules to the letter: CSV per RFC 4180 with a
 * BOM for Excel, iCalendar per RFC 5545 with CRLF, 75-octet folding and
 * TEXT escaping. JSON is written by json.h, CSV fields are escaped by
 * escape.h; only the iCalendar TEXT rules live here, since nothing else
 * uses them. Nothing reads the clock: an event's DTSTAMP is derived from
 * its date, so the same commit gives the same bytes.
 */
#include "feeds.h"

#include <string.h>

#include "date.h"
#include "escape.h"
#include "json.h"
#include "url.h"

static const char BOM[] = "\xEF\xBB\xBF";

static void put_url(struct buf *b, const struct model *m, const struct session *s)
{
	buf_puts(b, m->site.base_url);
	url_session(b, URL_HREF, s->slug);
}

/* ---- the columns of sessions.json and sessions.csv ------------------------ */

/* A column: a row of the model's session table (f), or the session's
 * absolute URL (f == NULL), the one column computed here. */
struct column {
	const char *name;
	const struct field *f;
};

#define URL_JSON 2 /* the url's column in sessions.json */
#define URL_CSV 11 /* and in sessions.csv */
#define MAX_COLUMNS 32

/* The columns of sessions.json (csv == 0) or sessions.csv (csv == 1), in
 * order, into v; returns how many. The positions come from the session
 * table (struct field's json and csv); tests/unit/test_feeds.c checks
 * that they leave no gap and that no two are the same. */
static size_t columns(struct column v[MAX_COLUMNS], int csv)
{
	struct column slot[MAX_COLUMNS] = {{NULL, NULL}};
	slot[(csv ? URL_CSV : URL_JSON) - 1] = (struct column){"url", NULL};
	size_t nt, n = 0;
	const struct field *t = model_fields(RECORD_SESSION, &nt);
	for (size_t i = 0; i < nt; i++) {
		int pos = csv ? t[i].csv : t[i].json;
		if (pos > 0 && pos <= MAX_COLUMNS)
			slot[pos - 1] = (struct column){t[i].name, &t[i]};
	}
	for (size_t i = 0; i < MAX_COLUMNS; i++)
		if (slot[i].name)
			v[n++] = slot[i];
	return n;
}

static const void *at(const struct session *s, const struct field *f)
{
	return (const char *)s + f->off;
}

/* ---- JSON -------------------------------------------------------------- */

/* A time as "20:00", or null when unknown. */
static void jtime(struct json *j, struct buf *t, int minutes)
{
	if (minutes < 0) {
		json_null(j);
		return;
	}
	buf_reset(t);
	time_hm(t, minutes);
	json_str(j, t->data);
}

static void jlist(struct json *j, const struct strlist *l)
{
	json_array(j);
	for (size_t i = 0; i < l->n; i++)
		json_str(j, l->v[i]);
	json_end(j);
}

static void jimages(struct json *j, const struct images *im)
{
	json_array(j);
	for (size_t k = 0; k < im->n; k++) {
		json_object(j);
		json_key(j, "src");
		json_str(j, im->v[k].src);
		json_key(j, "alt");
		json_str(j, im->v[k].alt);
		json_key(j, "caption");
		json_str(j, im->v[k].caption);
		json_end(j);
	}
	json_end(j);
}

/* The value of column c of session s; an absent value is null. t is
 * scratch. */
static void jvalue(struct json *j, struct buf *t, const struct model *m,
                   const struct session *s, const struct column *c)
{
	const struct field *f = c->f;
	buf_reset(t);
	if (!f) {
		put_url(t, m, s);
		json_str(j, t->data);
		return;
	}
	long v;
	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_SLUG:
		json_str(j, *(const char *const *)at(s, f));
		break;
	case FIELD_COUNT:
		v = model_field_num(f, s);
		if (v == f->num_default)
			json_null(j);
		else
			json_int(j, v);
		break;
	case FIELD_BOOL:
		json_bool(j, model_field_num(f, s) != 0);
		break;
	case FIELD_ENUM:
		v = model_field_num(f, s);
		json_str(j, v > 0 ? f->names[v] : NULL);
		break;
	case FIELD_TIME:
		jtime(j, t, (int)model_field_num(f, s));
		break;
	case FIELD_DATE:
	case FIELD_YM: {
		const struct date *d = at(s, f);
		if (d->y) {
			date_iso(t, *d);
			json_str(j, t->data);
		} else {
			json_null(j);
		}
		break;
	}
	case FIELD_LIST:
		jlist(j, at(s, f));
		break;
	case FIELD_IMAGES:
		jimages(j, at(s, f));
		break;
	case FIELD_LINKS: /* a session's links are its merged projects */
		json_array(j);
		for (size_t k = 0; k < s->nprojects; k++)
			json_str(j, s->projects[k]->slug);
		json_end(j);
		break;
	case FIELD_CUSTOM:
		json_null(j);
		break;
	}
}

void feeds_sessions_json(struct buf *out, const struct model *m, const struct index *ix)
{
	(void)ix; /* every writer takes the model and its index (feeds.h) */
	struct column cols[MAX_COLUMNS];
	size_t ncols = columns(cols, 0);
	struct buf t;
	buf_init(&t);
	struct json j;
	json_init(&j, out, JSON_SPACED);
	json_object(&j);
	json_key(&j, "generated_by");
	json_str(&j, "kura");
	json_key(&j, "sessions");
	json_array_lines(&j);
	for (size_t i = 0; i < m->nsessions; i++) {
		json_object(&j);
		for (size_t c = 0; c < ncols; c++) {
			json_key(&j, cols[c].name);
			jvalue(&j, &t, m, m->sessions[i], &cols[c]);
		}
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	buf_putc(out, '\n');
	buf_free(&t);
}

/* ---- CSV --------------------------------------------------------------- */

static void cfield(struct buf *b, const char *s, int first)
{
	if (!first)
		buf_putc(b, ',');
	if (s)
		escape_csv(b, s, strlen(s));
}

static void crow_end(struct buf *b)
{
	buf_puts(b, "\r\n");
}

/* The text of column c of session s into t (empty when absent); lists
 * are joined with ';'. */
static void cvalue(struct buf *t, const struct model *m, const struct session *s,
                   const struct column *c)
{
	const struct field *f = c->f;
	buf_reset(t);
	if (!f) {
		put_url(t, m, s);
		return;
	}
	long v;
	switch (f->type) {
	case FIELD_TEXT:
	case FIELD_SLUG: {
		const char *x = *(const char *const *)at(s, f);
		if (x)
			buf_puts(t, x);
		break;
	}
	case FIELD_COUNT:
		v = model_field_num(f, s);
		if (v != f->num_default)
			buf_printf(t, "%ld", v);
		break;
	case FIELD_BOOL:
		buf_puts(t, model_field_num(f, s) ? "true" : "false");
		break;
	case FIELD_ENUM:
		v = model_field_num(f, s);
		if (v > 0)
			buf_puts(t, f->names[v]);
		break;
	case FIELD_TIME:
		v = model_field_num(f, s);
		if (v >= 0)
			time_hm(t, (int)v);
		break;
	case FIELD_DATE:
	case FIELD_YM: {
		const struct date *d = at(s, f);
		if (d->y)
			date_iso(t, *d);
		break;
	}
	case FIELD_LIST: {
		const struct strlist *l = at(s, f);
		for (size_t k = 0; k < l->n; k++)
			buf_printf(t, "%s%s", k ? ";" : "", l->v[k]);
		break;
	}
	case FIELD_IMAGES: {
		const struct images *im = at(s, f);
		for (size_t k = 0; k < im->n; k++)
			buf_printf(t, "%s%s", k ? ";" : "", im->v[k].src);
		break;
	}
	case FIELD_LINKS:
		for (size_t k = 0; k < s->nprojects; k++)
			buf_printf(t, "%s%s", k ? ";" : "", s->projects[k]->slug);
		break;
	case FIELD_CUSTOM:
		break;
	}
}

void feeds_sessions_csv(struct buf *out, const struct model *m, const struct index *ix)
{
	(void)ix; /* every writer takes the model and its index (feeds.h) */
	struct column cols[MAX_COLUMNS];
	size_t ncols = columns(cols, 1);
	struct buf t;
	buf_init(&t);
	buf_puts(out, BOM);
	for (size_t c = 0; c < ncols; c++)
		cfield(out, cols[c].name, c == 0);
	crow_end(out);
	for (size_t i = 0; i < m->nsessions; i++) {
		for (size_t c = 0; c < ncols; c++) {
			cvalue(&t, m, m->sessions[i], &cols[c]);
			cfield(out, t.data, c == 0);
		}
		crow_end(out);
	}
	buf_free(&t);
}

static void agg_row(struct buf *out, const char *kind, const struct group *g)
{
	const struct agg *a = &g->agg;
	cfield(out, kind, 1);
	cfield(out, g->key, 0);
	cfield(out, g->label, 0);
	buf_printf(out, ",%d,%d", a->sessions, a->known);
	if (a->known) {
		buf_printf(out, ",%ld,", a->total);
		index_put_x10(out, a->mean_x10);
		buf_putc(out, ',');
		index_put_x10(out, a->median_x10);
		buf_printf(out, ",%ld,%ld", a->min, a->max);
	} else {
		buf_puts(out, ",,,,,");
	}
	crow_end(out);
}

void feeds_attendance_csv(struct buf *out, const struct model *m, const struct index *ix)
{
	(void)m; /* every writer takes the model and its index (feeds.h) */
	buf_puts(out, BOM);
	buf_puts(out, "kind,key,label,sessions,known,total,mean,median,min,max");
	crow_end(out);
	agg_row(out, "all", &ix->all);
	for (int k = 0; k < GROUP_KINDS; k++)
		for (size_t i = 0; i < ix->groups[k].n; i++)
			agg_row(out, index_kind_name((enum group_kind)k), &ix->groups[k].v[i]);
}

/* ---- iCalendar --------------------------------------------------------- */

#define ICS_FOLD 75

/* Appends one content line to out, folded: no line longer than 75 octets
 * (CRLF not counted), each continuation starting with a space, which
 * counts toward its 75. A cut is moved back to the start of a UTF-8
 * sequence, so no character is split (RFC 5545, 3.1). */
static void ics_line(struct buf *out, const struct buf *line)
{
	const char *s = line->data;
	size_t n = line->len, i = 0, limit = ICS_FOLD;
	while (n - i > limit) {
		size_t cut = i + limit;
		while (cut > i && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
		buf_put(out, s + i, cut - i);
		buf_puts(out, "\r\n ");
		i = cut;
		limit = ICS_FOLD - 1;
	}
	buf_put(out, s + i, n - i);
	buf_puts(out, "\r\n");
}

/* A TEXT value: backslash, semicolon and comma escaped, any line break
 * (CRLF, CR or LF) as \n, other control characters (not allowed in TEXT)
 * dropped. */
static void ics_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '\\': buf_puts(b, "\\\\"); break;
		case ';': buf_puts(b, "\\;"); break;
		case ',': buf_puts(b, "\\,"); break;
		case '\r':
			if (s[1] == '\n')
				s++;
			buf_puts(b, "\\n");
			break;
		case '\n': buf_puts(b, "\\n"); break;
		default:
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				break;
			buf_putc(b, (char)c);
		}
	}
}

static void ics_prop(struct buf *out, struct buf *line, const char *name, const char *text)
{
	buf_reset(line);
	buf_puts(line, name);
	buf_putc(line, ':');
	ics_text(line, text);
	ics_line(out, line);
}

static void ics_raw(struct buf *out, struct buf *line, const char *raw)
{
	buf_reset(line);
	buf_puts(line, raw);
	ics_line(out, line);
}

/* The host of a URL, for UIDs: between "://" and the path, without
 * user info or port. */
static void url_host(struct buf *b, const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, "/?#");
	const char *at = NULL;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '@')
			at = p + i;
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	size_t h = n;
	if (n && p[0] == '[') {
		const char *close = memchr(p, ']', n);
		if (close)
			h = (size_t)(close + 1 - p);
	} else {
		const char *colon = memchr(p, ':', n);
		if (colon)
			h = (size_t)(colon - p);
	}
	if (h)
		buf_put(b, p, h);
	else
		buf_puts(b, "kura.invalid");
}

static void ics_date(struct buf *b, struct date dt)
{
	buf_printf(b, "%04d%02d%02d", dt.y, dt.m, dt.d);
}

static void ics_when(struct buf *out, struct buf *line, const char *name, const char *tzid,
                     struct date dt, int minutes)
{
	buf_reset(line);
	buf_puts(line, name);
	if (tzid)
		buf_printf(line, ";TZID=%s", tzid);
	buf_putc(line, ':');
	ics_date(line, dt);
	buf_printf(line, "T%02d%02d00", minutes / 60, minutes % 60);
	ics_line(out, line);
}

/* The VTIMEZONE of a zone with one offset since 1970 (model.h): one
 * STANDARD block, the offset "+09:00" written "+0900" (RFC 5545's
 * UTC-OFFSET). */
static void ics_timezone(struct buf *out, struct buf *line, const struct site *site)
{
	struct buf off;
	buf_init(&off);
	for (const char *p = site->utc_offset; *p; p++)
		if (*p != ':')
			buf_putc(&off, *p);
	ics_prop(out, line, "X-WR-TIMEZONE", site->timezone);
	ics_raw(out, line, "BEGIN:VTIMEZONE");
	ics_prop(out, line, "TZID", site->timezone);
	ics_raw(out, line, "BEGIN:STANDARD");
	ics_raw(out, line, "DTSTART:19700101T000000");
	ics_prop(out, line, "TZOFFSETFROM", off.data);
	ics_prop(out, line, "TZOFFSETTO", off.data);
	if (site->tz_abbrev)
		ics_prop(out, line, "TZNAME", site->tz_abbrev);
	ics_raw(out, line, "END:STANDARD");
	ics_raw(out, line, "END:VTIMEZONE");
	buf_free(&off);
}

/* A line "NAME:" followed by a date (YYYYMMDD) and suffix. */
static void ics_day(struct buf *out, struct buf *line, const char *name, struct date dt,
                    const char *suffix)
{
	buf_reset(line);
	buf_puts(line, name);
	buf_putc(line, ':');
	ics_date(line, dt);
	buf_puts(line, suffix);
	ics_line(out, line);
}

/* One session's VEVENT. tzid: the zone of its times, or NULL (floating). */
static void ics_event(struct buf *out, struct buf *line, const struct model *m,
                      const struct index *ix, const struct session *s, const char *tzid,
                      const char *host)
{
	ics_raw(out, line, "BEGIN:VEVENT");
	/* Percent-encoded like the URL: ASCII, and nothing to escape. */
	buf_reset(line);
	buf_puts(line, "UID:");
	escape_url_segment(line, s->slug, strlen(s->slug));
	buf_printf(line, "@%s", host);
	ics_line(out, line);
	ics_day(out, line, "DTSTAMP", s->date, "T000000Z");
	if (s->start >= 0) {
		ics_when(out, line, "DTSTART", tzid, s->date, s->start);
		if (s->end >= 0)
			ics_when(out, line, "DTEND", tzid, s->date, s->end);
	} else {
		ics_day(out, line, "DTSTART;VALUE=DATE", s->date, "");
		ics_day(out, line, "DTEND;VALUE=DATE", date_from_days(date_days(s->date) + 1), "");
	}
	/* The name that tells it apart from every other record (index.h). */
	struct buf name;
	buf_init(&name);
	index_session_name(&name, ix, s);
	ics_prop(out, line, "SUMMARY", name.data);
	buf_free(&name);
	if (s->venue)
		ics_prop(out, line, "LOCATION", s->venue);
	if (s->themes.n) {
		buf_reset(line);
		buf_puts(line, "CATEGORIES:");
		for (size_t k = 0; k < s->themes.n; k++) {
			if (k)
				buf_putc(line, ',');
			ics_text(line, s->themes.v[k]);
		}
		ics_line(out, line);
	}
	buf_reset(line);
	buf_puts(line, "URL:");
	put_url(line, m, s);
	ics_line(out, line);
	if (s->summary && *s->summary)
		ics_prop(out, line, "DESCRIPTION", s->summary);
	ics_raw(out, line, "END:VEVENT");
}

void feeds_sessions_ics(struct buf *out, const struct model *m, const struct index *ix)
{
	struct buf line, host;
	buf_init(&line);
	buf_init(&host);
	url_host(&host, m->site.base_url);
	/* Times are in the site's zone when the model knows its offset, else
	 * floating local times. */
	const char *tzid = m->site.utc_offset ? m->site.timezone : NULL;
	ics_raw(out, &line, "BEGIN:VCALENDAR");
	ics_raw(out, &line, "VERSION:2.0");
	ics_raw(out, &line, "PRODID:-//kura//kura static site generator//JA");
	ics_raw(out, &line, "CALSCALE:GREGORIAN");
	ics_raw(out, &line, "METHOD:PUBLISH");
	ics_prop(out, &line, "X-WR-CALNAME", m->site.title ? m->site.title : "kura");
	if (tzid)
		ics_timezone(out, &line, &m->site);
	for (size_t i = 0; i < m->nsessions; i++)
		ics_event(out, &line, m, ix, m->sessions[i], tzid, host.data);
	ics_raw(out, &line, "END:VCALENDAR");
	buf_free(&line);
	buf_free(&host);
}
