/* date.c — calendar dates in Japan, times of day, fiscal years.
 *
 * Volunteers write dates the way the report does: ISO 8601, 2020年6月3日,
 * or in the Japanese era calendar (令和2年6月3日, 令和元年5月1日), often
 * with full-width digits and with spaces around the numbers
 * ("令和 2 年 6 月 3 日（水）"). Parsing first normalises the text into a
 * small stack buffer (full-width digits and punctuation to ASCII, every kind
 * of space to one ASCII space, era ligatures such as ㋿ to their two-letter
 * names), then reads the normalised text with a cursor. All checks that need
 * the calendar (day of month, era boundaries, a written weekday) run after
 * the syntax is read, so the message can name the whole date.
 *
 * Day arithmetic is proleptic Gregorian, counted from 0001-01-01 so that
 * every division is on non-negative numbers, then shifted to the Unix epoch.
 */
#include "date.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"

/* Longer input cannot be a date; the cap keeps normalisation on the stack.
 * A normalised byte sequence is at most twice its input (a 3-byte ligature
 * becomes two 3-byte kanji), hence NORM_CAP. */
#define MAX_INPUT 160
#define NORM_CAP (2 * MAX_INPUT + 1)

/* Dynamic error messages live here: valid until the next call into this
 * module from the same thread (documented in date.h). */
static _Thread_local char errbuf[320];

/* The eras of the modern calendar with their exact first and last days
 * (proleptic Gregorian). 明治 begins on 1868-01-25, the Gregorian date of
 * 明治元年1月1日 in the old calendar, as the brief for this module fixes. */
struct era {
	const char *name;
	struct date first, last;
};

static const struct era eras[] = {
	{"明治", {1868, 1, 25}, {1912, 7, 29}},
	{"大正", {1912, 7, 30}, {1926, 12, 24}},
	{"昭和", {1926, 12, 25}, {1989, 1, 7}},
	{"平成", {1989, 1, 8}, {2019, 4, 30}},
	{"令和", {2019, 5, 1}, {9999, 12, 31}},
};
#define NERAS ((int)(sizeof eras / sizeof eras[0]))

static const char *const month_en[12] = {
	"January", "February", "March",     "April",   "May",      "June",
	"July",    "August",   "September", "October", "November", "December",
};
static const char *const weekday_ja[7] = {"日", "月", "火", "水", "木", "金", "土"};
static const char *const weekday_en[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};

/* ---- calendar arithmetic ---- */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

/* Days from 0001-01-01 to dt (0 for that day). Year-months count as their
 * first day. Only called for years >= 1, so nothing here is negative. */
static long days_from_year1(struct date dt)
{
	static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	long y1 = dt.y - 1;
	long days = y1 * 365 + y1 / 4 - y1 / 100 + y1 / 400;
	days += before[dt.m - 1];
	if (dt.m > 2 && is_leap(dt.y))
		days++;
	days += (dt.d > 0 ? dt.d : 1) - 1;
	return days;
}

/* days_from_year1 of 1970-01-01. */
#define EPOCH_FROM_YEAR1 719162L

int date_valid(struct date dt)
{
	return dt.y >= 1 && dt.y <= 9999 && dt.m >= 1 && dt.m <= 12 && dt.d >= 1 &&
	       dt.d <= days_in_month(dt.y, dt.m);
}

int date_cmp(struct date a, struct date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

long date_days(struct date dt)
{
	return days_from_year1(dt) - EPOCH_FROM_YEAR1;
}

struct date date_from_days(long days)
{
	/* Whole cycles of 400, 100, 4 and 1 years from 0001-01-01. A 400- or
	 * 4-year cycle ends with a leap day, one day more than four of the
	 * next smaller cycle: that day (a quotient of 4) stays in the last
	 * of them. */
	static const struct {
		long days;
		int years, most;
	} cycles[] = {{146097, 400, 0}, {36524, 100, 3}, {1461, 4, 0}, {365, 1, 3}};
	long n = days + EPOCH_FROM_YEAR1;
	if (n < 0)
		return (struct date){0, 0, 0};
	struct date dt = {1, 1, 1};
	for (size_t i = 0; i < sizeof cycles / sizeof *cycles; i++) {
		long q = n / cycles[i].days;
		if (cycles[i].most && q > cycles[i].most)
			q = cycles[i].most;
		n -= q * cycles[i].days;
		dt.y += (int)q * cycles[i].years;
	}
	while (n >= days_in_month(dt.y, dt.m)) {
		n -= days_in_month(dt.y, dt.m);
		dt.m++;
	}
	dt.d += (int)n;
	return dt;
}

int date_weekday(struct date dt)
{
	/* 0001-01-01 was a Monday in the proleptic Gregorian calendar. */
	return (int)((days_from_year1(dt) + 1) % 7);
}

int date_fiscal_year(struct date dt, int start_month)
{
	if (start_month < 1 || start_month > 12)
		start_month = 1;
	return dt.m >= start_month ? dt.y : dt.y - 1;
}

/* ---- eras ---- */

/* The era containing dt (a year-month counts as its first day), or -1 for
 * a day before 明治. */
static int era_of(struct date dt)
{
	struct date day = dt;
	if (day.d == 0)
		day.d = 1;
	for (int i = NERAS - 1; i >= 0; i--)
		if (date_cmp(day, eras[i].first) >= 0)
			return date_cmp(day, eras[i].last) <= 0 ? i : -1;
	return -1;
}

/* Writes "令和2年" / "令和元年" for year y of era e into out. */
static void era_year_text(char *out, size_t cap, int e, int y)
{
	int n = y - eras[e].first.y + 1;
	if (n == 1)
		snprintf(out, cap, "%s元年", eras[e].name);
	else
		snprintf(out, cap, "%s%d年", eras[e].name, n);
}

/* The era spelling of dt ("令和元年5月1日", "平成31年4月"), or its ISO
 * form when dt is before 明治. */
static void era_text(char *out, size_t cap, struct date dt)
{
	int e = era_of(dt);
	char yr[32];
	if (e < 0) {
		if (dt.d)
			snprintf(out, cap, "%04d-%02d-%02d", dt.y, dt.m, dt.d);
		else
			snprintf(out, cap, "%04d-%02d", dt.y, dt.m);
		return;
	}
	era_year_text(yr, sizeof yr, e, dt.y);
	if (dt.d)
		snprintf(out, cap, "%s%d月%d日", yr, dt.m, dt.d);
	else
		snprintf(out, cap, "%s%d月", yr, dt.m);
}

/* ---- normalisation ---- */

/* Copies s into out (NUL-terminated) with full-width digits and ( ) : -
 * folded to ASCII, ASCII/ideographic spaces and tabs to ' ', and the era
 * ligatures ㍾㍽㍼㍻㋿ spelled out. 0 ok, -1 on malformed UTF-8. */
static int normalise(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			return -1;
		const char *rep = NULL;
		char c = 0;
		if (cp >= 0xFF10 && cp <= 0xFF19)
			c = (char)('0' + (cp - 0xFF10));
		else if (cp == 0x3000 || cp == '\t' || cp == ' ')
			c = ' ';
		else if (cp == 0xFF08)
			c = '(';
		else if (cp == 0xFF09)
			c = ')';
		else if (cp == 0xFF1A)
			c = ':';
		else if (cp == 0xFF0D)
			c = '-';
		else if (cp == 0x337E)
			rep = "明治";
		else if (cp == 0x337D)
			rep = "大正";
		else if (cp == 0x337C)
			rep = "昭和";
		else if (cp == 0x337B)
			rep = "平成";
		else if (cp == 0x32FF)
			rep = "令和";
		if (c) {
			out[o++] = c;
		} else if (rep) {
			memcpy(out + o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			memcpy(out + o, s + i, (size_t)len);
			o += (size_t)len;
		}
		i += (size_t)len;
	}
	out[o] = '\0';
	return 0;
}

/* ---- the cursor ---- */

static void skip_sp(const char **p)
{
	while (**p == ' ')
		(*p)++;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads a run of ASCII digits; returns how many (0 when none). The value
 * saturates so that a long run cannot overflow; callers reject long runs. */
static int digits(const char **p, int *val)
{
	int n = 0, v = 0;
	while (is_digit(**p)) {
		if (v < 100000)
			v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*val = v;
	return n;
}

/* Consumes the UTF-8 literal lit if the cursor is on it. */
static int lit(const char **p, const char *l)
{
	size_t n = strlen(l);
	if (strncmp(*p, l, n) != 0)
		return 0;
	*p += n;
	return 1;
}

static const char *fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof errbuf, i18n_tr(fmt), ap);
	va_end(ap);
	return errbuf;
}

/* ---- parsing ---- */

enum form { FORM_ISO, FORM_JA, FORM_ERA };

struct parsed {
	enum form form;
	int era;      /* FORM_ERA: index into eras */
	int era_year; /* FORM_ERA: 1 for 元年 */
	int y, m, d;  /* d == 0: no day written */
	int wday;     /* -1: no weekday written */
};

/* The date as it was written (normalised), for messages. */
static void echo(char *out, size_t cap, const struct parsed *pd)
{
	char yr[32];
	switch (pd->form) {
	case FORM_ISO:
		if (pd->d)
			snprintf(out, cap, "%04d-%02d-%02d", pd->y, pd->m, pd->d);
		else
			snprintf(out, cap, "%04d-%02d", pd->y, pd->m);
		return;
	case FORM_JA:
		snprintf(yr, sizeof yr, "%04d年", pd->y);
		break;
	case FORM_ERA:
		if (pd->era_year == 1)
			snprintf(yr, sizeof yr, "%s元年", eras[pd->era].name);
		else
			snprintf(yr, sizeof yr, "%s%d年", eras[pd->era].name, pd->era_year);
		break;
	}
	if (pd->d)
		snprintf(out, cap, "%s%d月%d日", yr, pd->m, pd->d);
	else
		snprintf(out, cap, "%s%d月", yr, pd->m);
}

/* Reads "(水)" / "(水曜日)" at the cursor into pd->wday. */
static const char *parse_weekday(const char **p, struct parsed *pd)
{
	(*p)++; /* '(' */
	skip_sp(p);
	for (int i = 0; i < 7; i++) {
		if (lit(p, weekday_ja[i])) {
			pd->wday = i;
			if (lit(p, "曜"))
				lit(p, "日");
			skip_sp(p);
			if (**p != ')')
				return i18n_tr("expected ')' after the weekday");
			(*p)++;
			return NULL;
		}
	}
	return i18n_tr("expected a weekday (one of 日月火水木金土) in the parentheses");
}

/* Month, optional day and the closing 月/日 of the Japanese and era forms. */
static const char *parse_ja_md(const char **p, struct parsed *pd)
{
	int nd;
	skip_sp(p);
	nd = digits(p, &pd->m);
	if (nd == 0)
		return i18n_tr("expected the month after 年");
	if (nd > 2)
		return i18n_tr("the month has more than two digits");
	skip_sp(p);
	if (!lit(p, "月"))
		return i18n_tr("expected 月 after the month");
	skip_sp(p);
	if (!is_digit(**p))
		return NULL;
	nd = digits(p, &pd->d);
	if (nd > 2)
		return i18n_tr("the day has more than two digits");
	skip_sp(p);
	if (!lit(p, "日"))
		return i18n_tr("expected 日 after the day");
	if (pd->d == 0)
		return i18n_tr("day 0 is out of range");
	return NULL;
}

/* Syntax only: fills pd from the normalised text. */
static const char *parse_syntax(const char *p, struct parsed *pd, int allow_ym)
{
	const char *e;
	int nd;

	skip_sp(&p);
	if (*p == '\0')
		return i18n_tr("empty date");
	for (int i = 0; i < NERAS; i++) {
		if (!lit(&p, eras[i].name))
			continue;
		pd->form = FORM_ERA;
		pd->era = i;
		skip_sp(&p);
		if (lit(&p, "元")) {
			pd->era_year = 1;
		} else {
			nd = digits(&p, &pd->era_year);
			if (nd == 0)
				return fail("expected the year (a number or 元) after %s",
				            eras[i].name);
			if (nd > 4)
				return fail("the year after %s is too large", eras[i].name);
			if (pd->era_year == 0)
				return fail("%s0年 does not exist; the first year is %s元年",
				            eras[i].name, eras[i].name);
		}
		skip_sp(&p);
		if (!lit(&p, "年"))
			return i18n_tr("expected 年 after the year");
		pd->y = eras[i].first.y + pd->era_year - 1;
		if ((e = parse_ja_md(&p, pd)) != NULL)
			return e;
		goto tail;
	}
	if (!is_digit(*p))
		return allow_ym ? "expected a date like 2020-06-03, 2020年6月3日 or "
		                  "令和2年6月3日, or a year-month like 2019-06"
		                : "expected a date like 2020-06-03, 2020年6月3日 or 令和2年6月3日";
	nd = digits(&p, &pd->y);
	if (*p == '-') {
		/* ISO 8601: exactly YYYY-MM-DD (or YYYY-MM), no spaces inside. */
		int nm, ndd = 2, ndd_written = 0;
		pd->form = FORM_ISO;
		p++;
		nm = digits(&p, &pd->m);
		if (nm == 0)
			return i18n_tr("expected the month after '-'");
		if (*p == '-') {
			p++;
			ndd = digits(&p, &pd->d);
			ndd_written = 1;
			if (ndd == 0)
				return i18n_tr("expected the day after '-'");
		}
		if (nd != 4)
			return i18n_tr("the year of an ISO date needs four digits (2020-06-03)");
		if (nm != 2 || ndd != 2) {
			if (nm > 2 || ndd > 2)
				return i18n_tr("month and day of an ISO date have two digits (2020-06-03)");
			if (pd->d)
				return fail("month and day of an ISO date have two digits: "
				            "write %04d-%02d-%02d", pd->y, pd->m, pd->d);
			return fail("the month of an ISO date has two digits: write %04d-%02d",
			            pd->y, pd->m);
		}
		if (pd->d == 0 && ndd_written)
			return i18n_tr("day 00 is out of range");
		if (pd->m == 0)
			return i18n_tr("month 00 is out of range");
		goto tail;
	}
	if (*p == '/' || *p == '.')
		return fail("write dates with '-' as in ISO 8601 (2020-06-03), not '%c'", *p);
	skip_sp(&p);
	if (!lit(&p, "年"))
		return i18n_tr("expected '-' or 年 after the year");
	pd->form = FORM_JA;
	if (nd != 4)
		return fail("the year %d needs four digits (2020年) or an era name (令和2年)",
		            pd->y);
	if ((e = parse_ja_md(&p, pd)) != NULL)
		return e;
tail:
	skip_sp(&p);
	if (*p == '(') {
		if ((e = parse_weekday(&p, pd)) != NULL)
			return e;
		skip_sp(&p);
	}
	if (*p != '\0') {
		if (strlen(p) <= 40)
			return fail("unexpected text after the date: \"%s\"", p);
		return i18n_tr("unexpected text after the date");
	}
	return NULL;
}

/* Calendar checks on a syntactically good date. */
static const char *check(const struct parsed *pd, int allow_ym)
{
	char said[96], alt[96];
	struct date dt = {pd->y, pd->m, pd->d};

	echo(said, sizeof said, pd);
	if (pd->y < 1 || pd->y > 9999)
		return fail("%s: the year %d is out of range (1-9999)", said, pd->y);
	if (pd->m < 1 || pd->m > 12)
		return fail("%s: month %d is out of range (1-12)", said, pd->m);
	if (pd->d == 0) {
		if (!allow_ym)
			return fail("%s has no day; a full date is needed here", said);
		if (pd->wday >= 0)
			return fail("%s has no day, so it cannot have a weekday", said);
	} else if (pd->d > days_in_month(pd->y, pd->m)) {
		return fail("%s is not a day: %s %d has %d days", said, month_en[pd->m - 1],
		            pd->y, days_in_month(pd->y, pd->m));
	}
	if (pd->form == FORM_ERA) {
		const struct era *e = &eras[pd->era];
		/* A year-month belongs to the era if any of its days does. */
		struct date lo = dt, hi = dt;
		if (dt.d == 0) {
			lo.d = days_in_month(dt.y, dt.m);
			hi.d = 1;
		}
		if (date_cmp(lo, e->first) < 0) {
			era_text(alt, sizeof alt, dt);
			return fail("%s is before the start of %s (%04d-%02d-%02d); write %s", said,
			            e->name, e->first.y, e->first.m, e->first.d, alt);
		}
		if (date_cmp(hi, e->last) > 0) {
			era_text(alt, sizeof alt, dt);
			return fail("%s is after the end of %s (%04d-%02d-%02d); write %s", said,
			            e->name, e->last.y, e->last.m, e->last.d, alt);
		}
	}
	if (pd->wday >= 0) {
		int w = date_weekday(dt);
		if (w != pd->wday)
			return fail("%s is a %s (%s), not %s", said, weekday_en[w], weekday_ja[w],
			            weekday_ja[pd->wday]);
	}
	return NULL;
}

static int parse(const char *s, size_t n, int allow_ym, struct date *out, const char **err)
{
	char norm[NORM_CAP];
	struct parsed pd = {FORM_ISO, 0, 0, 0, 0, 0, -1};
	const char *e;

	if (n > MAX_INPUT) {
		e = i18n_tr("too long to be a date");
		goto done;
	}
	if (normalise(s, n, norm) < 0) {
		e = i18n_tr("not valid UTF-8");
		goto done;
	}
	if ((e = parse_syntax(norm, &pd, allow_ym)) != NULL)
		goto done;
	if ((e = check(&pd, allow_ym)) != NULL)
		goto done;
	out->y = pd.y;
	out->m = pd.m;
	out->d = pd.d;
done:
	if (e && err)
		*err = e;
	return e ? -1 : 0;
}

int date_parse(const char *s, size_t n, struct date *out, const char **err)
{
	return parse(s, n, 0, out, err);
}

int date_parse_ym(const char *s, size_t n, struct date *out, const char **err)
{
	return parse(s, n, 1, out, err);
}

int time_parse(const char *s, size_t n, int *out_minutes, const char **err)
{
	char norm[NORM_CAP];
	const char *p = norm, *e = NULL;
	int h, m, nh, nm;

	if (n > MAX_INPUT) {
		e = i18n_tr("too long to be a time");
		goto done;
	}
	if (normalise(s, n, norm) < 0) {
		e = i18n_tr("not valid UTF-8");
		goto done;
	}
	skip_sp(&p);
	if (*p == '\0') {
		e = i18n_tr("empty time");
		goto done;
	}
	nh = digits(&p, &h);
	if (nh == 0 || *p != ':') {
		e = i18n_tr("expected a time like 20:00");
		goto done;
	}
	p++;
	nm = digits(&p, &m);
	skip_sp(&p);
	if (nh > 2 || nm != 2 || *p != '\0') {
		e = i18n_tr("expected a time like 20:00 (H:MM or HH:MM)");
		goto done;
	}
	if (h > 23) {
		e = fail("hour %d is out of range (0-23)", h);
		goto done;
	}
	if (m > 59) {
		e = fail("minute %d is out of range (00-59)", m);
		goto done;
	}
	*out_minutes = h * 60 + m;
done:
	if (e && err)
		*err = e;
	return e ? -1 : 0;
}

/* ---- formatting ---- */

void date_iso(struct buf *b, struct date dt)
{
	if (dt.d)
		buf_printf(b, "%04d-%02d-%02d", dt.y, dt.m, dt.d);
	else
		buf_printf(b, "%04d-%02d", dt.y, dt.m);
}

void date_ja(struct buf *b, struct date dt)
{
	if (dt.d)
		buf_printf(b, "%04d年%d月%d日", dt.y, dt.m, dt.d);
	else
		buf_printf(b, "%04d年%d月", dt.y, dt.m);
}

void date_era(struct buf *b, struct date dt)
{
	char s[96];
	if (era_of(dt) < 0) {
		date_ja(b, dt);
		return;
	}
	era_text(s, sizeof s, dt);
	buf_puts(b, s);
}

void date_weekday_ja(struct buf *b, struct date dt)
{
	buf_puts(b, weekday_ja[date_weekday(dt)]);
}

void time_hm(struct buf *b, int minutes)
{
	buf_printf(b, "%02d:%02d", minutes / 60, minutes % 60);
}

void fy_label(struct buf *b, int fy)
{
	buf_printf(b, "%d年度", fy);
}

void fy_era_label(struct buf *b, int fy, int start_month)
{
	char yr[32];
	struct date first;
	int e;

	if (start_month < 1 || start_month > 12)
		start_month = 1;
	first = (struct date){fy, start_month, 1};
	e = era_of(first);
	if (e < 0) {
		fy_label(b, fy);
		return;
	}
	era_year_text(yr, sizeof yr, e, fy);
	buf_printf(b, "%s度", yr);
}

/* ---- instants ---------------------------------------------------------------- */

/* "+09:00" -> 32400; NULL or malformed -> 0 (UTC). */
static long offset_seconds(const char *o)
{
	if (!o || (o[0] != '+' && o[0] != '-') || strlen(o) != 6 || o[3] != ':')
		return 0;
	for (int i = 1; i < 6; i++)
		if (i != 3 && (o[i] < '0' || o[i] > '9'))
			return 0;
	long s = ((o[1] - '0') * 10 + (o[2] - '0')) * 3600L + ((o[4] - '0') * 10 + (o[5] - '0')) * 60L;
	return o[0] == '-' ? -s : s;
}

void date_of_time(long long t, const char *utc_offset, struct date *day, int *secs)
{
	long long l = t + offset_seconds(utc_offset);
	long long days = l / 86400, rem = l % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	*day = date_from_days((long)days);
	*secs = (int)rem;
}

void time_rfc3339(struct buf *b, long long t, const char *utc_offset)
{
	struct date day;
	int s;
	date_of_time(t, utc_offset, &day, &s);
	int valid = utc_offset && (offset_seconds(utc_offset) || !strcmp(utc_offset + 1, "00:00"));
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d%s", day.y, day.m, day.d, s / 3600,
	           s / 60 % 60, s % 60, valid ? utc_offset : "Z");
}
