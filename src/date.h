/* date.h — calendar dates in Japan, times of day, fiscal years.
 *
 * Dates are plain calendar dates (year, month, day), never instants: no
 * time zone can shift them. Parsing accepts ISO 8601 (2020-06-03), Japanese
 * notation (2020年6月3日) and era notation (令和2年6月3日, 令和元年5月1日,
 * 平成31年4月30日), checking each era's exact first and last day.
 * Full-width digits (２０２０年６月３日) are accepted too.
 * No function here allocates except those writing into a struct buf.
 *
 * Accepted forms (decided here; tests/unit/test_date.c pins them):
 *   - ISO 8601, strict: YYYY-MM-DD with a four-digit year and two-digit
 *     month and day (2020-6-3 is rejected with the fix in the message);
 *     no spaces inside; '/' and '.' separators are rejected.
 *   - 2020年6月3日: four-digit year (a shorter year is most likely an era
 *     year missing its era name, so it is an error), 1-2 digit month/day.
 *   - 令和2年6月3日 / 令和元年5月1日 for 明治 大正 昭和 平成 令和 (also the
 *     one-character ligatures ㍾㍽㍼㍻㋿); the day must lie inside the era:
 *     明治 1868-01-25..1912-07-29, 大正 1912-07-30..1926-12-24,
 *     昭和 1926-12-25..1989-01-07, 平成 1989-01-08..2019-04-30,
 *     令和 2019-05-01.. . A year-month is inside an era when any of its
 *     days is (昭和64年1月 and 平成元年1月 are both fine).
 *   - In every form: full-width digits, （）：－ for ( ) : -, and ASCII or
 *     ideographic spaces between the parts of the 年月日 forms
 *     ("令和 2 年 6 月 3 日") and around the whole.
 *   - An optional trailing weekday in parentheses, (水) / （水） / (水曜日),
 *     checked against the real weekday; a mismatch is an error.
 *   - Years 1..9999 only.
 *
 * Error messages (*err) are short English sentences, translated when
 * i18n.h's translations are in use (the model reads dates after site.yaml
 * chose the language). They point to static
 * or thread-local storage that stays valid until the next call into this
 * module from the same thread: copy them if you need them longer.
 */
#ifndef KURA_DATE_H
#define KURA_DATE_H

#include <stddef.h>

#include "util.h"

struct date {
	int y, m, d; /* d == 0: a year-month only (e.g. a project's start) */
};

/* Parses a full date. 0 ok; -1 with *err set to an English message saying
 * what is wrong (e.g. "平成31年5月1日 is after the end of 平成 (2019-04-30);
 * write 令和元年5月1日"), valid until this thread's next call here; *out is
 * untouched on error. err may be NULL. */
int date_parse(const char *s, size_t n, struct date *out, const char **err);
/* Like date_parse, but also accepts a year-month (2019-06, 2019年6月,
 * 令和元年6月), returned with d == 0. */
int date_parse_ym(const char *s, size_t n, struct date *out, const char **err);
/* "HH:MM" (also H:MM and full-width digits/colon) to minutes after
 * midnight, 0..1439. */
int time_parse(const char *s, size_t n, int *out_minutes, const char **err);

int date_valid(struct date dt);                  /* a real calendar day, years 1..9999 (d == 0 is not) */
int date_cmp(struct date a, struct date b);      /* <0, 0, >0; a year-month sorts before its day 1 */
/* Days since 1970-01-01 (negative before), proleptic Gregorian, for years
 * 1..9999; a year-month counts as its first day. */
long date_days(struct date dt);
/* The inverse of date_days: the day that is days after 1970-01-01 (a full
 * date, d >= 1), proleptic Gregorian. Days before 0001-01-01 give
 * {0, 0, 0}, which date_valid refuses. So the next day is
 * date_from_days(date_days(dt) + 1). */
struct date date_from_days(long days);
int date_weekday(struct date dt);                /* 0 = Sunday */
/* The fiscal year (年度) a date falls in, named by the calendar year in
 * which it starts: with start_month 4, 2021-03-31 is in 2020. With 1 it is
 * the calendar year; a start_month outside 1..12 is treated as 1. */
int date_fiscal_year(struct date dt, int start_month);

/* Formatting appends to b; each output parses back to the same date.
 * Year-months (d == 0) print as 2019-06, 2019年6月, 令和元年6月. */
void date_iso(struct buf *b, struct date dt);       /* 2020-06-03 (or 2019-06) */
void date_ja(struct buf *b, struct date dt);        /* 2020年6月3日 (year zero-padded to 4 digits) */
/* 令和2年6月3日, 令和元年5月1日. A year-month takes the era of its first
 * day (1989-01 is 昭和64年1月). Before 明治 (1868-01-25) it falls back to
 * date_ja. */
void date_era(struct buf *b, struct date dt);
void date_weekday_ja(struct buf *b, struct date dt); /* 水 */
void time_hm(struct buf *b, int minutes);           /* 20:00, 09:05; minutes in 0..1439 */
/* A fiscal year's labels: "2020年度" and "令和2年度" (era of the fiscal
 * year's first day; 元年 for the first year). So fiscal 2019 starting in
 * April is "平成31年度" (its first day 2019-04-01 is in 平成), although
 * "令和元年度" is also used in practice and the seed report writes
 * "平成31年度（令和元年度）". Before 明治 it falls back to fy_label. */
void fy_label(struct buf *b, int fy);
void fy_era_label(struct buf *b, int fy, int start_month);

/* Instants (seconds since 1970-01-01T00:00:00Z, e.g. a git commit's
 * time) in a zone given by its UTC offset ("+09:00", "-05:30"; NULL or
 * malformed: UTC). Plain arithmetic: no time-zone database, no TZ.
 * date_of_time: the calendar day and the seconds after midnight there. */
void date_of_time(long long t, const char *utc_offset, struct date *day, int *secs);
/* Appends t as RFC 3339 in that zone: 2021-03-31T12:00:00+09:00, or with
 * "Z" when utc_offset is NULL. */
void time_rfc3339(struct buf *b, long long t, const char *utc_offset);

#endif
