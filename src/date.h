/* date.h — calendar dates in Japan, times of day, fiscal years.
 *
 * Dates are plain calendar dates (year, month, day), never instants: no
 * time zone can shift them. Parsing accepts ISO 8601 (2020-06-03), Japanese
 * notation (2020年6月3日) and era notation (令和2年6月3日, 令和元年5月1日,
 * 平成31年4月30日), checking each era's exact first and last day.
 * Full-width digits (２０２０年６月３日) are accepted too.
 * No function here allocates except those writing into a struct buf.
 */
#ifndef KURA_DATE_H
#define KURA_DATE_H

#include <stddef.h>

#include "util.h"

struct date {
	int y, m, d; /* d == 0: a year-month only (e.g. a project's start) */
};

/* Parses a full date. 0 ok; -1 with *err set to a static English message
 * saying what is wrong (e.g. "平成31年5月1日 is after the end of 平成 (2019-04-30)"). */
int date_parse(const char *s, size_t n, struct date *out, const char **err);
/* Like date_parse, but also accepts a year-month (2019-06, 2019年6月,
 * 令和元年6月), returned with d == 0. */
int date_parse_ym(const char *s, size_t n, struct date *out, const char **err);
/* "HH:MM" (also H:MM and full-width digits/colon) to minutes after
 * midnight, 0..1439. */
int time_parse(const char *s, size_t n, int *out_minutes, const char **err);

int date_valid(struct date dt);                  /* a real calendar day */
int date_cmp(struct date a, struct date b);      /* <0, 0, >0 */
long date_days(struct date dt);                  /* days since 1970-01-01 */
int date_weekday(struct date dt);                /* 0 = Sunday */
/* The fiscal year (年度) a date falls in, named by the calendar year in
 * which it starts: with start_month 4, 2021-03-31 is in 2020. */
int date_fiscal_year(struct date dt, int start_month);

/* Formatting appends to b. */
void date_iso(struct buf *b, struct date dt);       /* 2020-06-03 (or 2019-06) */
void date_ja(struct buf *b, struct date dt);        /* 2020年6月3日 */
void date_era(struct buf *b, struct date dt);       /* 令和2年6月3日, 令和元年5月1日 */
void date_weekday_ja(struct buf *b, struct date dt); /* 水 */
void time_hm(struct buf *b, int minutes);           /* 20:00 */
/* A fiscal year's labels: "2020年度" and "令和2年度" (era of the fiscal
 * year's first day; 元年 for the first year). */
void fy_label(struct buf *b, int fy);
void fy_era_label(struct buf *b, int fy, int start_month);

#endif
