/* test_date.c — dates, times and fiscal years (src/date.c).
 *
 * Known day counts and weekdays were checked against Python's datetime;
 * date_days is also checked day by day over the whole range 0001..9999
 * against a successor function written here, and against timegm(). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "harness.h"

static struct date D(int y, int m, int d)
{
	struct date dt = {y, m, d};
	return dt;
}

/* 1 when s parses (full date, or year-month when ym) to y-m-d. */
static int parses(int ym, const char *s, int y, int m, int d)
{
	struct date dt = {-1, -1, -1};
	const char *err = NULL;
	int rc = ym ? date_parse_ym(s, strlen(s), &dt, &err)
	            : date_parse(s, strlen(s), &dt, &err);
	if (rc != 0) {
		fprintf(stderr, "  \"%s\": unexpected error: %s\n", s, err ? err : "(null)");
		return 0;
	}
	if (dt.y != y || dt.m != m || dt.d != d) {
		fprintf(stderr, "  \"%s\": got %d-%d-%d, want %d-%d-%d\n", s, dt.y, dt.m, dt.d,
		        y, m, d);
		return 0;
	}
	return 1;
}

/* 1 when s fails to parse, leaves *out alone, and the message contains
 * every one of the (up to two) given fragments. */
static int fails(int ym, const char *s, const char *frag1, const char *frag2)
{
	struct date dt = {-7, -7, -7};
	const char *err = NULL;
	int rc = ym ? date_parse_ym(s, strlen(s), &dt, &err)
	            : date_parse(s, strlen(s), &dt, &err);
	if (rc != -1 || err == NULL) {
		fprintf(stderr, "  \"%s\": parsed, want an error\n", s);
		return 0;
	}
	if (dt.y != -7 || dt.m != -7 || dt.d != -7) {
		fprintf(stderr, "  \"%s\": *out changed on error\n", s);
		return 0;
	}
	if ((frag1 && !strstr(err, frag1)) || (frag2 && !strstr(err, frag2))) {
		fprintf(stderr, "  \"%s\": message \"%s\" lacks \"%s\"/\"%s\"\n", s, err,
		        frag1 ? frag1 : "", frag2 ? frag2 : "");
		return 0;
	}
	return 1;
}

#define OK(s, y, m, d) CHECK(parses(0, s, y, m, d))
#define OK_YM(s, y, m, d) CHECK(parses(1, s, y, m, d))
#define BAD(s, f1, f2) CHECK(fails(0, s, f1, f2))
#define BAD_YM(s, f1, f2) CHECK(fails(1, s, f1, f2))

static int time_is(const char *s, int want)
{
	int got = -1;
	const char *err = NULL;
	if (time_parse(s, strlen(s), &got, &err) != 0) {
		fprintf(stderr, "  \"%s\": unexpected error: %s\n", s, err ? err : "(null)");
		return 0;
	}
	if (got != want)
		fprintf(stderr, "  \"%s\": got %d, want %d\n", s, got, want);
	return got == want;
}

static int time_fails(const char *s, const char *frag)
{
	int got = -5;
	const char *err = NULL;
	if (time_parse(s, strlen(s), &got, &err) != -1 || err == NULL || got != -5) {
		fprintf(stderr, "  \"%s\": parsed as a time\n", s);
		return 0;
	}
	if (frag && !strstr(err, frag)) {
		fprintf(stderr, "  \"%s\": message \"%s\" lacks \"%s\"\n", s, err, frag);
		return 0;
	}
	return 1;
}

/* Formats with f into a fresh string kept in a small ring, so several can
 * appear in one CHECK_STR; freed at exit by ring_free. */
static char *ring[16];
static int ring_at;

static const char *keep(struct buf *b)
{
	free(ring[ring_at]);
	ring[ring_at] = buf_detach(b);
	buf_free(b);
	const char *s = ring[ring_at];
	ring_at = (ring_at + 1) % 16;
	return s;
}

static void ring_free(void)
{
	for (int i = 0; i < 16; i++)
		free(ring[i]);
}

static const char *fmt(void (*f)(struct buf *, struct date), struct date dt)
{
	struct buf b;
	buf_init(&b);
	f(&b, dt);
	return keep(&b);
}

static const char *hm(int minutes)
{
	struct buf b;
	buf_init(&b);
	time_hm(&b, minutes);
	return keep(&b);
}

static const char *fy(int y)
{
	struct buf b;
	buf_init(&b);
	fy_label(&b, y);
	return keep(&b);
}

static const char *fy_era(int y, int start)
{
	struct buf b;
	buf_init(&b);
	fy_era_label(&b, y, start);
	return keep(&b);
}

/* ---- parsing ---- */

static void test_iso(void)
{
	OK("2020-06-03", 2020, 6, 3);
	OK("1970-01-01", 1970, 1, 1);
	OK("0001-01-01", 1, 1, 1);
	OK("9999-12-31", 9999, 12, 31);
	OK("  2020-06-03  ", 2020, 6, 3);
	OK("２０２０-０６-０３", 2020, 6, 3);
	OK("２０２０－０６－０３", 2020, 6, 3);
	OK("2020-06-03 (水)", 2020, 6, 3);
	BAD("2020-6-3", "two digits", "2020-06-03");
	BAD("2020-06-3", "two digits", "2020-06-03");
	BAD("20-06-03", "four digits", NULL);
	BAD("02020-06-03", "four digits", NULL);
	BAD("2020-006-03", "two digits", NULL);
	BAD("2020/06/03", "'/'", NULL);
	BAD("2020.06.03", "'.'", NULL);
	BAD("2020-06-03T10:00", "unexpected text", "T10:00");
	BAD("2020 - 06 - 03", NULL, NULL);
	BAD("0000-01-01", "out of range", "1-9999");
	BAD("2020-00-10", "month", NULL);
	BAD("2020-13-01", "month 13", NULL);
	BAD("2020-06-00", "day", NULL);
	BAD("2020-06-", "day", NULL);
	BAD("2020-", "month", NULL);
	/* A year-month is not a full date. */
	BAD("2019-06", "no day", NULL);
}

static void test_japanese(void)
{
	OK("2020年6月3日", 2020, 6, 3);
	OK("2020年06月03日", 2020, 6, 3);
	OK("２０２０年６月３日", 2020, 6, 3);
	OK("2020 年 6 月 3 日", 2020, 6, 3);
	OK("2020\xe3\x80\x80年\xe3\x80\x80" "6月3日", 2020, 6, 3); /* ideographic spaces */
	OK("2020年12月31日", 2020, 12, 31);
	OK("0005年1月1日", 5, 1, 1);
	BAD("20年6月3日", "four digits", "era");
	BAD("2年6月3日", "four digits", NULL);
	BAD("2020年6月", "no day", NULL);
	BAD("2020年6月3", "日", NULL);
	BAD("2020年6日", "month", NULL);
	BAD("2020年", "month", NULL);
	BAD("2020年123月3日", "month", NULL);
	BAD("2020年6月123日", "day", NULL);
	BAD("2020年6月0日", "day 0", NULL);
	BAD("2020年0月1日", "month 0", NULL);
	BAD("2020年6月3日です", "unexpected text", "です");
}

static void test_era(void)
{
	OK("令和2年6月3日", 2020, 6, 3);
	OK("令和元年5月1日", 2019, 5, 1);
	OK("令和1年5月1日", 2019, 5, 1);
	OK("平成31年4月30日", 2019, 4, 30);
	OK("平成元年1月8日", 1989, 1, 8);
	OK("昭和64年1月7日", 1989, 1, 7);
	OK("昭和元年12月25日", 1926, 12, 25);
	OK("大正15年12月24日", 1926, 12, 24);
	OK("大正元年7月30日", 1912, 7, 30);
	OK("明治45年7月29日", 1912, 7, 29);
	OK("明治元年1月25日", 1868, 1, 25);
	OK("令和１０年１月１日", 2028, 1, 1);
	OK("令和２年６月３日", 2020, 6, 3);
	OK("令和 2 年 6 月 3 日", 2020, 6, 3);
	OK(" 令和 2年 4月 23日（木）", 2020, 4, 23);
	OK("令和 3 年 2月 13 日(土)", 2021, 2, 13);
	OK("令和 3 年 1 月 27 日(水)", 2021, 1, 27);
	OK("令和\xe3\x80\x80" "元\xe3\x80\x80年5月1日", 2019, 5, 1);
	OK("㋿2年6月3日", 2020, 6, 3);
	OK("㍻31年4月30日", 2019, 4, 30);
	OK("㍼64年1月7日", 1989, 1, 7);
	OK("令和100年1月1日", 2118, 1, 1);

	/* Each boundary from the other side: the message names the era's end
	 * or start and suggests the right spelling. */
	BAD("平成31年5月1日", "after the end of 平成 (2019-04-30)", "令和元年5月1日");
	BAD("令和元年4月30日", "before the start of 令和 (2019-05-01)", "平成31年4月30日");
	BAD("平成元年1月7日", "before the start of 平成 (1989-01-08)", "昭和64年1月7日");
	BAD("昭和64年1月8日", "after the end of 昭和 (1989-01-07)", "平成元年1月8日");
	BAD("昭和元年12月24日", "before the start of 昭和 (1926-12-25)", "大正15年12月24日");
	BAD("大正15年12月25日", "after the end of 大正 (1926-12-24)", "昭和元年12月25日");
	BAD("大正元年7月29日", "before the start of 大正 (1912-07-30)", "明治45年7月29日");
	BAD("明治45年7月30日", "after the end of 明治 (1912-07-29)", "大正元年7月30日");
	BAD("明治元年1月24日", "before the start of 明治 (1868-01-25)", "1868-01-24");
	BAD("平成32年1月1日", "after the end of 平成", "令和2年1月1日");
	BAD("昭和65年1月1日", "after the end of 昭和", "平成2年1月1日");

	BAD("令和0年1月1日", "元年", NULL);
	BAD("令和年1月1日", "year", NULL);
	BAD("令和2月3日", NULL, NULL);
	BAD("令和2年", "month", NULL);
	BAD("令和9999年1月1日", "out of range", NULL);
	BAD("令和元年5月", "no day", NULL);
	BAD("慶応3年1月1日", "expected a date", NULL);
	BAD("令和3年2月29日", "not a day", "28 days");
}

static void test_invalid_days(void)
{
	BAD("2021-02-29", "not a day", "February 2021 has 28 days");
	BAD("2020-02-30", "not a day", "February 2020 has 29 days");
	BAD("2020年6月31日", "not a day", "June 2020 has 30 days");
	BAD("2020-04-31", "not a day", "April");
	BAD("2020-09-31", "not a day", NULL);
	BAD("2020-11-31", "not a day", NULL);
	BAD("2020-01-32", "not a day", "31 days");
	OK("2020-01-31", 2020, 1, 31);
	OK("2020-12-31", 2020, 12, 31);

	/* Leap years: every 4th, not every 100th, again every 400th. */
	OK("2020-02-29", 2020, 2, 29);
	OK("2000-02-29", 2000, 2, 29);
	OK("1600-02-29", 1600, 2, 29);
	OK("2400-02-29", 2400, 2, 29);
	OK("0004-02-29", 4, 2, 29);
	BAD("1900-02-29", "not a day", "28 days");
	BAD("2100-02-29", "not a day", NULL);
	BAD("2019-02-29", "not a day", NULL);
	BAD("平成31年2月29日", "not a day", NULL);
	OK("平成12年2月29日", 2000, 2, 29);
	BAD("明治33年2月29日", "February 1900 has 28 days", NULL);

	CHECK(date_valid(D(2020, 2, 29)));
	CHECK(!date_valid(D(2021, 2, 29)));
	CHECK(!date_valid(D(1900, 2, 29)));
	CHECK(date_valid(D(2000, 2, 29)));
	CHECK(!date_valid(D(2020, 6, 31)));
	CHECK(!date_valid(D(2020, 6, 0)));
	CHECK(!date_valid(D(2020, 0, 1)));
	CHECK(!date_valid(D(2020, 13, 1)));
	CHECK(!date_valid(D(0, 1, 1)));
	CHECK(!date_valid(D(10000, 1, 1)));
	CHECK(date_valid(D(1, 1, 1)));
	CHECK(date_valid(D(9999, 12, 31)));
}

static void test_weekday_check(void)
{
	OK("2020-06-03(水)", 2020, 6, 3);
	OK("2020年6月3日（水）", 2020, 6, 3);
	OK("2020年6月3日 ( 水 )", 2020, 6, 3);
	OK("2020年6月3日(水曜日)", 2020, 6, 3);
	OK("2020年6月3日(水曜)", 2020, 6, 3);
	OK("令和2年6月3日（水）", 2020, 6, 3);
	OK("2020年6月7日(日)", 2020, 6, 7);
	BAD("2020年6月3日（木）", "Wednesday", "not 木");
	BAD("2020-06-03 (月)", "2020-06-03 is a Wednesday (水)", NULL);
	BAD("令和2年6月3日(火)", "令和2年6月3日 is a Wednesday", NULL);
	BAD("2020年6月3日(X)", "weekday", "日月火水木金土");
	BAD("2020年6月3日(水", "')'", NULL);
	BAD("2020年6月3日(水) 20:00", "unexpected text", NULL);
	BAD_YM("2019年6月(土)", "no day", "weekday");
}

static void test_misc_input(void)
{
	struct date dt = {0, 0, 0};
	const char *err = NULL;

	BAD("", "empty", NULL);
	BAD("   ", "empty", NULL);
	BAD("\xe3\x80\x80", "empty", NULL);
	BAD("yesterday", "expected a date like", NULL);
	BAD("2020-06-03\xff", "UTF-8", NULL);
	BAD("2020年6月3日\xe5\xb9", "UTF-8", NULL);

	/* Only n bytes are read: the rest of a front matter line is not. */
	CHECK_INT(date_parse("2020-06-03 trailing", 10, &dt, &err), 0);
	CHECK(dt.y == 2020 && dt.m == 6 && dt.d == 3);

	/* Overlong input is refused before anything else. */
	char big[400];
	memset(big, ' ', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "2020-06-03", 10);
	BAD(big, "too long", NULL);

	/* err may be NULL. */
	CHECK_INT(date_parse("2020-13-01", 10, &dt, NULL), -1);

	/* The message outlives nothing: a second call replaces the first. */
	CHECK_INT(date_parse("2020-13-01", 10, &dt, &err), -1);
	CHECK(strstr(err, "month 13") != NULL);
}

static void test_ym(void)
{
	OK_YM("2019-06", 2019, 6, 0);
	OK_YM("2019年6月", 2019, 6, 0);
	OK_YM("２０１９年６月", 2019, 6, 0);
	OK_YM("令和元年6月", 2019, 6, 0);
	OK_YM("令和 元 年 6 月", 2019, 6, 0);
	OK_YM("令和元年5月", 2019, 5, 0);
	OK_YM("平成31年4月", 2019, 4, 0);
	/* January 1989 holds days of both 昭和 and 平成. */
	OK_YM("昭和64年1月", 1989, 1, 0);
	OK_YM("平成元年1月", 1989, 1, 0);
	OK_YM("明治元年1月", 1868, 1, 0);
	/* Full dates still pass. */
	OK_YM("2020-06-03", 2020, 6, 3);
	OK_YM("令和2年6月3日(水)", 2020, 6, 3);

	BAD_YM("平成31年5月", "after the end of 平成", "令和元年5月");
	BAD_YM("令和元年4月", "before the start of 令和", "平成31年4月");
	BAD_YM("昭和64年2月", "after the end of 昭和", "平成元年2月");
	OK_YM("平成元年12月", 1989, 12, 0);
	BAD_YM("2019-6", "two digits", "2019-06");
	BAD_YM("2019-13", "month 13", NULL);
	BAD_YM("2019年13月", "month 13", NULL);
	BAD_YM("2019", "expected '-' or 年", NULL);
	BAD_YM("19年6月", "four digits", NULL);
	BAD_YM("June", "year-month like 2019-06", NULL);
	BAD("June", "expected a date like", NULL);
}

static void test_time(void)
{
	CHECK(time_is("20:00", 1200));
	CHECK(time_is("00:00", 0));
	CHECK(time_is("0:00", 0));
	CHECK(time_is("9:05", 545));
	CHECK(time_is("09:05", 545));
	CHECK(time_is("23:59", 1439));
	CHECK(time_is("１８：３０", 1110));
	CHECK(time_is("18：30", 1110));
	CHECK(time_is(" 17:30 ", 1050));
	CHECK(time_fails("24:00", "hour 24"));
	CHECK(time_fails("25:00", "out of range"));
	CHECK(time_fails("12:60", "minute 60"));
	CHECK(time_fails("12:5", "HH:MM"));
	CHECK(time_fails("123:00", NULL));
	CHECK(time_fails("12:345", NULL));
	CHECK(time_fails("12", "20:00"));
	CHECK(time_fails("", "empty"));
	CHECK(time_fails("noon", NULL));
	CHECK(time_fails("12:00 pm", NULL));
	CHECK(time_fails("12.00", NULL));
	CHECK(time_fails("12:00\xff", "UTF-8"));

	CHECK_STR(hm(1200), "20:00");
	CHECK_STR(hm(0), "00:00");
	CHECK_STR(hm(545), "09:05");
	CHECK_STR(hm(1439), "23:59");
	/* time_hm and time_parse round-trip every minute of the day. */
	int bad = 0;
	for (int t = 0; t < 1440; t++) {
		const char *s = hm(t);
		int back = -1;
		if (time_parse(s, strlen(s), &back, NULL) != 0 || back != t)
			bad++;
	}
	CHECK_INT(bad, 0);
}

/* ---- arithmetic ---- */

static void test_days(void)
{
	CHECK_INT(date_days(D(1970, 1, 1)), 0);
	CHECK_INT(date_days(D(1970, 1, 2)), 1);
	CHECK_INT(date_days(D(1969, 12, 31)), -1);
	CHECK_INT(date_days(D(2000, 3, 1)), 11017);
	CHECK_INT(date_days(D(2020, 6, 3)), 18416);
	CHECK_INT(date_days(D(1900, 3, 1)), -25508);
	CHECK_INT(date_days(D(1600, 2, 29)), -135081);
	CHECK_INT(date_days(D(1868, 1, 25)), -37231);
	CHECK_INT(date_days(D(1989, 1, 8)), 6947);
	CHECK_INT(date_days(D(2019, 5, 1)), 18017);
	CHECK_INT(date_days(D(2038, 1, 19)), 24855);
	CHECK_INT(date_days(D(1, 1, 1)), -719162);
	CHECK_INT(date_days(D(9999, 12, 31)), 2932896);
	/* A year-month counts as its first day. */
	CHECK_INT(date_days(D(2020, 6, 0)), date_days(D(2020, 6, 1)));

	/* Walk every day of 0001..9999 with a successor written here: the
	 * count goes up by one, the weekday by one, and every day is valid. */
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct date dt = D(1, 1, 1);
	long prev = date_days(dt);
	int prev_wd = date_weekday(dt), steps = 0, bad_days = 0, bad_wd = 0, bad_valid = 0;
	int bad_inverse = date_cmp(date_from_days(prev), dt) != 0;
	for (;;) {
		int leap = (dt.y % 4 == 0 && dt.y % 100 != 0) || dt.y % 400 == 0;
		int last = dt.m == 2 && leap ? 29 : dim[dt.m - 1];
		if (dt.y == 9999 && dt.m == 12 && dt.d == 31)
			break;
		if (++dt.d > last) {
			dt.d = 1;
			if (++dt.m > 12) {
				dt.m = 1;
				dt.y++;
			}
		}
		long n = date_days(dt);
		int wd = date_weekday(dt);
		bad_days += n != prev + 1;
		bad_wd += wd != (prev_wd + 1) % 7;
		bad_valid += !date_valid(dt);
		bad_inverse += date_cmp(date_from_days(n), dt) != 0;
		prev = n;
		prev_wd = wd;
		steps++;
	}
	CHECK_INT(bad_days, 0);
	CHECK_INT(bad_wd, 0);
	CHECK_INT(bad_valid, 0);
	CHECK_INT(bad_inverse, 0);
	CHECK_INT(steps, 2932896 + 719162);

	/* date_from_days at the edges: leap days, the cycle ends, the range. */
	struct date f = date_from_days(0);
	CHECK(f.y == 1970 && f.m == 1 && f.d == 1);
	f = date_from_days(-1);
	CHECK(f.y == 1969 && f.m == 12 && f.d == 31);
	f = date_from_days(date_days(D(2020, 2, 28)) + 1);
	CHECK(f.y == 2020 && f.m == 2 && f.d == 29);
	f = date_from_days(date_days(D(2021, 2, 28)) + 1);
	CHECK(f.y == 2021 && f.m == 3 && f.d == 1);
	f = date_from_days(date_days(D(2000, 12, 31)));
	CHECK(f.y == 2000 && f.m == 12 && f.d == 31); /* last day of a 400-year cycle */
	f = date_from_days(date_days(D(1900, 12, 31)));
	CHECK(f.y == 1900 && f.m == 12 && f.d == 31); /* ... and of a 100-year run */
	f = date_from_days(date_days(D(2020, 12, 31)) + 1);
	CHECK(f.y == 2021 && f.m == 1 && f.d == 1);
	f = date_from_days(date_days(D(1, 1, 1)));
	CHECK(f.y == 1 && f.m == 1 && f.d == 1);
	f = date_from_days(date_days(D(1, 1, 1)) - 1);
	CHECK(f.y == 0 && f.m == 0 && f.d == 0 && !date_valid(f));
	/* A year-month's days count from its first day. */
	f = date_from_days(date_days(D(2020, 6, 0)));
	CHECK(f.y == 2020 && f.m == 6 && f.d == 1);

	/* And against the C library where time_t reaches. */
	int bad_tm = 0;
	for (int y = 1902; y <= 2100; y += 3) {
		for (int m = 1; m <= 12; m++) {
			struct tm tm = {0};
			tm.tm_year = y - 1900;
			tm.tm_mon = m - 1;
			tm.tm_mday = 28;
			time_t t = timegm(&tm);
			if ((long long)t / 86400 != date_days(D(y, m, 28)))
				bad_tm++;
		}
	}
	CHECK_INT(bad_tm, 0);
}

static void test_weekday(void)
{
	CHECK_INT(date_weekday(D(1970, 1, 1)), 4);
	CHECK_INT(date_weekday(D(2020, 6, 3)), 3);
	CHECK_INT(date_weekday(D(2000, 1, 1)), 6);
	CHECK_INT(date_weekday(D(1, 1, 1)), 1);
	CHECK_INT(date_weekday(D(9999, 12, 31)), 5);
	CHECK_INT(date_weekday(D(1989, 1, 8)), 0);
	CHECK_INT(date_weekday(D(1868, 1, 25)), 6);
	CHECK_INT(date_weekday(D(1969, 12, 31)), 3);
	CHECK_STR(fmt(date_weekday_ja, D(2020, 6, 3)), "水");
	CHECK_STR(fmt(date_weekday_ja, D(2020, 6, 7)), "日");
	CHECK_STR(fmt(date_weekday_ja, D(2020, 6, 8)), "月");
	CHECK_STR(fmt(date_weekday_ja, D(2020, 6, 9)), "火");
	CHECK_STR(fmt(date_weekday_ja, D(2020, 6, 11)), "木");
	CHECK_STR(fmt(date_weekday_ja, D(2020, 6, 12)), "金");
	CHECK_STR(fmt(date_weekday_ja, D(2020, 6, 13)), "土");
}

static void test_cmp(void)
{
	CHECK(date_cmp(D(2020, 6, 3), D(2020, 6, 3)) == 0);
	CHECK(date_cmp(D(2020, 6, 3), D(2020, 6, 4)) < 0);
	CHECK(date_cmp(D(2020, 6, 4), D(2020, 6, 3)) > 0);
	CHECK(date_cmp(D(2020, 5, 31), D(2020, 6, 1)) < 0);
	CHECK(date_cmp(D(2019, 12, 31), D(2020, 1, 1)) < 0);
	CHECK(date_cmp(D(2021, 1, 1), D(2020, 12, 31)) > 0);
	CHECK(date_cmp(D(2020, 6, 0), D(2020, 6, 1)) < 0);
	CHECK(date_cmp(D(2020, 6, 0), D(2020, 5, 31)) > 0);
}

static void test_fiscal(void)
{
	/* April start (Japan's default). */
	CHECK_INT(date_fiscal_year(D(2021, 3, 31), 4), 2020);
	CHECK_INT(date_fiscal_year(D(2021, 4, 1), 4), 2021);
	CHECK_INT(date_fiscal_year(D(2020, 4, 1), 4), 2020);
	CHECK_INT(date_fiscal_year(D(2020, 12, 31), 4), 2020);
	CHECK_INT(date_fiscal_year(D(2021, 1, 1), 4), 2020);
	CHECK_INT(date_fiscal_year(D(2020, 3, 0), 4), 2019);
	/* January start: the calendar year. */
	CHECK_INT(date_fiscal_year(D(2020, 1, 1), 1), 2020);
	CHECK_INT(date_fiscal_year(D(2020, 12, 31), 1), 2020);
	/* October start. */
	CHECK_INT(date_fiscal_year(D(2020, 9, 30), 10), 2019);
	CHECK_INT(date_fiscal_year(D(2020, 10, 1), 10), 2020);
	/* July start. */
	CHECK_INT(date_fiscal_year(D(2020, 6, 30), 7), 2019);
	CHECK_INT(date_fiscal_year(D(2020, 7, 1), 7), 2020);
	/* December start: only December is in the year it names. */
	CHECK_INT(date_fiscal_year(D(2020, 11, 30), 12), 2019);
	CHECK_INT(date_fiscal_year(D(2020, 12, 1), 12), 2020);
	/* Out of range start months behave as 1. */
	CHECK_INT(date_fiscal_year(D(2020, 3, 1), 0), 2020);
	CHECK_INT(date_fiscal_year(D(2020, 3, 1), 13), 2020);

	CHECK_STR(fy(2020), "2020年度");
	CHECK_STR(fy(1999), "1999年度");
	CHECK_STR(fy_era(2020, 4), "令和2年度");
	CHECK_STR(fy_era(2021, 4), "令和3年度");
	/* FY2019 from April begins 2019-04-01, still 平成 (the report writes
	 * 平成31年度（令和元年度）); from May or later it begins in 令和. */
	CHECK_STR(fy_era(2019, 4), "平成31年度");
	CHECK_STR(fy_era(2019, 5), "令和元年度");
	CHECK_STR(fy_era(2019, 1), "平成31年度");
	CHECK_STR(fy_era(2015, 4), "平成27年度");
	CHECK_STR(fy_era(1989, 4), "平成元年度");
	CHECK_STR(fy_era(1989, 1), "昭和64年度");
	CHECK_STR(fy_era(1926, 4), "大正15年度");
	CHECK_STR(fy_era(1927, 1), "昭和2年度");
	CHECK_STR(fy_era(1912, 4), "明治45年度");
	CHECK_STR(fy_era(1912, 8), "大正元年度");
	CHECK_STR(fy_era(1868, 4), "明治元年度");
	CHECK_STR(fy_era(1868, 1), "1868年度");
	CHECK_STR(fy_era(1800, 4), "1800年度");
}

/* ---- formatting ---- */

static void test_format(void)
{
	CHECK_STR(fmt(date_iso, D(2020, 6, 3)), "2020-06-03");
	CHECK_STR(fmt(date_iso, D(2019, 6, 0)), "2019-06");
	CHECK_STR(fmt(date_iso, D(5, 1, 2)), "0005-01-02");
	CHECK_STR(fmt(date_ja, D(2020, 6, 3)), "2020年6月3日");
	CHECK_STR(fmt(date_ja, D(2020, 12, 31)), "2020年12月31日");
	CHECK_STR(fmt(date_ja, D(2019, 6, 0)), "2019年6月");
	CHECK_STR(fmt(date_era, D(2020, 6, 3)), "令和2年6月3日");
	CHECK_STR(fmt(date_era, D(2019, 5, 1)), "令和元年5月1日");
	CHECK_STR(fmt(date_era, D(2019, 4, 30)), "平成31年4月30日");
	CHECK_STR(fmt(date_era, D(1989, 1, 8)), "平成元年1月8日");
	CHECK_STR(fmt(date_era, D(1989, 1, 7)), "昭和64年1月7日");
	CHECK_STR(fmt(date_era, D(1926, 12, 25)), "昭和元年12月25日");
	CHECK_STR(fmt(date_era, D(1926, 12, 24)), "大正15年12月24日");
	CHECK_STR(fmt(date_era, D(1912, 7, 30)), "大正元年7月30日");
	CHECK_STR(fmt(date_era, D(1912, 7, 29)), "明治45年7月29日");
	CHECK_STR(fmt(date_era, D(1868, 1, 25)), "明治元年1月25日");
	CHECK_STR(fmt(date_era, D(1868, 1, 24)), "1868年1月24日");
	CHECK_STR(fmt(date_era, D(2019, 6, 0)), "令和元年6月");
	CHECK_STR(fmt(date_era, D(2019, 5, 0)), "令和元年5月");
	CHECK_STR(fmt(date_era, D(2019, 4, 0)), "平成31年4月");
	CHECK_STR(fmt(date_era, D(1989, 1, 0)), "昭和64年1月");
	CHECK_STR(fmt(date_era, D(2118, 1, 1)), "令和100年1月1日");

	/* Appending keeps what was there. */
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "開催: ");
	date_era(&b, D(2020, 6, 3));
	buf_puts(&b, "（");
	date_weekday_ja(&b, D(2020, 6, 3));
	buf_puts(&b, "） ");
	time_hm(&b, 1200);
	CHECK_STR(b.data, "開催: 令和2年6月3日（水） 20:00");
	buf_free(&b);
}

/* Every formatter's output parses back to the same date, over 1860..2040
 * (all era boundaries) day by day and over the whole range by months. */
static void test_round_trip(void)
{
	void (*fs[3])(struct buf *, struct date) = {date_iso, date_ja, date_era};
	int bad = 0, n = 0;
	struct date dt = D(1860, 1, 1);
	while (date_cmp(dt, D(2040, 12, 31)) <= 0) {
		for (int i = 0; i < 3; i++) {
			const char *s = fmt(fs[i], dt);
			struct date back = {0, 0, 0};
			const char *err = NULL;
			if (date_parse(s, strlen(s), &back, &err) != 0 || date_cmp(back, dt) != 0) {
				if (bad < 5)
					fprintf(stderr, "  round trip of \"%s\" failed: %s\n", s,
					        err ? err : "wrong date");
				bad++;
			}
			n++;
		}
		/* next day */
		dt.d++;
		if (!date_valid(dt)) {
			dt.d = 1;
			if (++dt.m > 12) {
				dt.m = 1;
				dt.y++;
			}
		}
	}
	CHECK_INT(bad, 0);
	CHECK(n > 3 * 65000);

	bad = 0;
	for (int y = 1; y <= 9999; y += 7) {
		for (int m = 1; m <= 12; m++) {
			for (int i = 0; i < 3; i++) {
				struct date ym = D(y, m, 0);
				const char *s = fmt(fs[i], ym);
				struct date back = {0, 0, -1};
				if (date_parse_ym(s, strlen(s), &back, NULL) != 0 ||
				    date_cmp(back, ym) != 0)
					bad++;
			}
		}
	}
	CHECK_INT(bad, 0);
}

#define T1 1579050000LL /* 2020-01-15T10:00:00+09:00 */
#define T2 1622590200LL /* 2021-06-01T23:30:00+00:00 */

/* Instants in a zone given by its offset: git commit times. */
static void test_instants(void)
{
	struct buf b;
	buf_init(&b);
	time_rfc3339(&b, T2, "+09:00");
	CHECK_STR(b.data, "2021-06-02T08:30:00+09:00");
	buf_reset(&b);
	time_rfc3339(&b, T2, NULL);
	CHECK_STR(b.data, "2021-06-01T23:30:00Z");
	buf_reset(&b);
	time_rfc3339(&b, T2, "-05:30");
	CHECK_STR(b.data, "2021-06-01T18:00:00-05:30");
	buf_reset(&b);
	time_rfc3339(&b, -1, "+00:00");
	CHECK_STR(b.data, "1969-12-31T23:59:59+00:00");
	struct date day;
	int secs;
	date_of_time(T1, "+09:00", &day, &secs);
	CHECK_INT(day.y, 2020);
	CHECK_INT(day.m, 1);
	CHECK_INT(day.d, 15);
	CHECK_INT(secs, 10 * 3600);
	buf_free(&b);
}

int main(void)
{
	test_iso();
	test_japanese();
	test_era();
	test_invalid_days();
	test_weekday_check();
	test_misc_input();
	test_ym();
	test_time();
	test_instants();
	test_days();
	test_weekday();
	test_cmp();
	test_fiscal();
	test_format();
	test_round_trip();
	ring_free();
	return harness_done("date");
}
