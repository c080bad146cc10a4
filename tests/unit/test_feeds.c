/* test_feeds.c — the open-data files on a hand-built model: each is parsed
 * by Python's json/csv modules (tests/unit/feedcheck.py) and checked for
 * the expected values; the iCalendar file's lines, folding, escaping and
 * time zone are checked here byte by byte. Run from the repository root
 * (as `make test` does). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "arena.h"
#include "feeds.h"
#include "index.h"
#include "model.h"

static struct arena *A;
static struct model M;
static struct session *S[4];
static struct project P1 = {.slug = "p1", .title = "P1"};

static const char LONG_TITLE[] =
	"第1回 オンライン情報交換会「コロナ禍における生活困窮者支援の現状と課題」"
	"——仙台・宮城の現場から考える、これからの支え合いのかたち";

static struct strlist sl2(const char *a, const char *b)
{
	struct strlist l = {arena_alloc(A, 2 * sizeof(char *)), 0};
	if (a)
		l.v[l.n++] = a;
	if (b)
		l.v[l.n++] = b;
	return l;
}

static void fixture(void)
{
	memset(&M, 0, sizeof M);
	M.arena = A;
	M.site.title = "せんだい・みやぎソーシャルハブ アーカイブ";
	M.site.base_url = "https://example.org/archive/";
	M.site.timezone = "Asia/Tokyo";
	M.site.utc_offset = "+09:00";
	M.site.tz_abbrev = "JST";
	M.site.fiscal_year_start = 4;

	struct session *a = S[0] = arena_alloc(A, sizeof *a);
	a->slug = "a";
	a->title = "第1回 オンライン情報交換会";
	a->date = (struct date){2020, 6, 3};
	a->start = 20 * 60;
	a->end = 21 * 60 + 30;
	a->series = "オンライン情報交換会";
	a->number = 1;
	a->themes = sl2("コロナ", "生活困窮");
	a->attendance = 12;
	a->venue = "オンライン（Zoom）";
	a->guests = sl2("ゲスト一", NULL);
	a->organizers = sl2("主催A", "主催B");
	a->images.v = arena_alloc(A, sizeof *a->images.v);
	a->images.v[0] = (struct image){"media/a.jpg", "集合写真", NULL};
	a->images.n = 1;
	a->summary = "Line one, with comma; semicolon \\ backslash\nsecond line";
	a->projects = arena_alloc(A, sizeof *a->projects);
	a->projects[0] = &P1;
	a->nprojects = 1;

	struct session *c = S[1] = arena_alloc(A, sizeof *c);
	c->slug = "第3回";
	c->title = "=SUM(1,2) \"x\" <b>";
	c->date = (struct date){2020, 7, 1};
	c->start = 19 * 60;
	c->end = -1;
	c->attendance = 0;

	struct session *b = S[2] = arena_alloc(A, sizeof *b);
	b->slug = "b";
	b->title = LONG_TITLE;
	b->date = (struct date){2020, 12, 31};
	b->start = b->end = -1;
	b->themes = sl2("a,b", NULL);
	b->attendance = -1;

	struct session *d = S[3] = arena_alloc(A, sizeof *d);
	d->slug = "d";
	d->title = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; /* 67 */
	d->date = (struct date){2021, 1, 5};
	d->start = d->end = -1;
	d->attendance = 5;

	M.sessions = S;
	M.nsessions = 4;
	for (size_t i = 0; i < 4; i++)
		S[i]->idx = i;
	static struct project *projects[1] = {&P1};
	M.projects = projects;
	M.nprojects = 1;
}

/* Writes data to a temporary file and runs feedcheck.py on it with the
 * checks (one Python expression a line). 1 when all pass. */
static int pycheck(const char *kind, const struct buf *data, const char *checks)
{
	char file[64], cfile[64];
	snprintf(file, sizeof file, "/tmp/kura-test-feeds-%ld.%s", (long)getpid(), kind);
	snprintf(cfile, sizeof cfile, "/tmp/kura-test-feeds-%ld.checks", (long)getpid());
	FILE *f = fopen(file, "wb");
	FILE *g = fopen(cfile, "wb");
	if (!f || !g) {
		if (f)
			fclose(f);
		if (g)
			fclose(g);
		return 0;
	}
	fwrite(data->data, 1, data->len, f);
	fputs(checks, g);
	fclose(f);
	fclose(g);
	char *cmd = xasprintf("python3 tests/unit/feedcheck.py %s %s %s", kind, file, cfile);
	int rc = system(cmd);
	free(cmd);
	unlink(file);
	unlink(cfile);
	return rc == 0;
}

static void test_json(const struct index *ix)
{
	struct buf b;
	buf_init(&b);
	feeds_sessions_json(&b, &M, ix);
	CHECK(pycheck("json", &b,
	              "d[\"generated_by\"] == \"kura\"\n"
	              "list(d) == [\"generated_by\", \"sessions\"]\n"
	              "[s[\"slug\"] for s in d[\"sessions\"]] == [\"a\", \"第3回\", \"b\", \"d\"]\n"
	              "list(d[\"sessions\"][0]) == [\"slug\", \"url\", \"title\", \"date\", \"start\", "
	              "\"end\", \"series\", \"number\", \"themes\", \"attendance\", \"venue\", "
	              "\"projects\", \"guests\", \"organizers\", \"images\"]\n"
	              "all(list(s) == list(d[\"sessions\"][0]) for s in d[\"sessions\"])\n"
	              "d[\"sessions\"][0] == {\"slug\": \"a\", "
	              "\"url\": \"https://example.org/archive/sessions/a/\", "
	              "\"title\": \"第1回 オンライン情報交換会\", \"date\": \"2020-06-03\", "
	              "\"start\": \"20:00\", \"end\": \"21:30\", \"series\": \"オンライン情報交換会\", "
	              "\"number\": 1, \"themes\": [\"コロナ\", \"生活困窮\"], \"attendance\": 12, "
	              "\"venue\": \"オンライン（Zoom）\", \"projects\": [\"p1\"], "
	              "\"guests\": [\"ゲスト一\"], \"organizers\": [\"主催A\", \"主催B\"], "
	              "\"images\": [{\"src\": \"media/a.jpg\", \"alt\": \"集合写真\", \"caption\": None}]}\n"
	              "d[\"sessions\"][1][\"title\"] == \"=SUM(1,2) \\\"x\\\" <b>\"\n"
	              "d[\"sessions\"][1][\"url\"] == "
	              "\"https://example.org/archive/sessions/%E7%AC%AC3%E5%9B%9E/\"\n"
	              "d[\"sessions\"][1][\"start\"] == \"19:00\" and d[\"sessions\"][1][\"end\"] is None\n"
	              "d[\"sessions\"][1][\"attendance\"] == 0\n"
	              "d[\"sessions\"][2][\"attendance\"] is None\n"
	              "d[\"sessions\"][2][\"start\"] is None and d[\"sessions\"][2][\"series\"] is None\n"
	              "d[\"sessions\"][2][\"number\"] is None and d[\"sessions\"][2][\"venue\"] is None\n"
	              "d[\"sessions\"][2][\"images\"] == [] and d[\"sessions\"][2][\"themes\"] == [\"a,b\"]\n"));
	/* "<" is escaped so the file can also sit inside a <script>. */
	CHECK(strstr(b.data, "<") == NULL);
	buf_free(&b);

	/* No sessions at all is still valid JSON. */
	struct model empty = M;
	empty.nsessions = 0;
	buf_init(&b);
	feeds_sessions_json(&b, &empty, ix);
	CHECK(pycheck("json", &b, "d == {\"generated_by\": \"kura\", \"sessions\": []}\n"));
	buf_free(&b);
}

static void test_csv(const struct index *ix)
{
	struct buf b;
	buf_init(&b);
	feeds_sessions_csv(&b, &M, ix);
	CHECK(b.len > 3 && memcmp(b.data, "\xEF\xBB\xBF", 3) == 0);
	CHECK(pycheck("csv", &b,
	              "len(r) == 5\n"
	              "r[0] == [\"slug\", \"date\", \"start\", \"end\", \"series\", \"number\", \"title\", "
	              "\"themes\", \"attendance\", \"venue\", \"url\"]\n"
	              "r[1] == [\"a\", \"2020-06-03\", \"20:00\", \"21:30\", \"オンライン情報交換会\", \"1\", "
	              "\"第1回 オンライン情報交換会\", \"コロナ;生活困窮\", \"12\", \"オンライン（Zoom）\", "
	              "\"https://example.org/archive/sessions/a/\"]\n"
	              "r[2][0] == \"第3回\" and r[2][2] == \"19:00\" and r[2][3] == \"\"\n"
	              "r[2][6] == \"'=SUM(1,2) \\\"x\\\" <b>\"\n"
	              "r[2][8] == \"0\"\n"
	              "r[3][0] == \"b\" and r[3][8] == \"\" and r[3][7] == \"a,b\" and r[3][5] == \"\"\n"
	              "all(len(row) == 11 for row in r)\n"));
	buf_free(&b);

	buf_init(&b);
	feeds_attendance_csv(&b, &M, ix);
	CHECK(b.len > 3 && memcmp(b.data, "\xEF\xBB\xBF", 3) == 0);
	/* Known: 12, 0, 5 (b unknown): total 17, mean 5.67 -> 5.7, median 5. */
	CHECK(pycheck("csv", &b,
	              "r[0] == [\"kind\", \"key\", \"label\", \"sessions\", \"known\", \"total\", "
	              "\"mean\", \"median\", \"min\", \"max\"]\n"
	              "r[1] == [\"all\", \"all\", \"すべて\", \"4\", \"3\", \"17\", \"5.7\", \"5.0\", \"0\", \"12\"]\n"
	              "r[2] == [\"series\", \"オンライン情報交換会\", \"オンライン情報交換会\", "
	              "\"1\", \"1\", \"12\", \"12.0\", \"12.0\", \"12\", \"12\"]\n"
	              "r[3] == [\"theme\", \"a,b\", \"a,b\", \"1\", \"0\", \"\", \"\", \"\", \"\", \"\"]\n"
	              "r[4][:2] == [\"theme\", \"コロナ\"] and r[5][:2] == [\"theme\", \"生活困窮\"]\n"
	              "[row[1] for row in r if row[0] == \"month\"] == "
	              "[\"2020-06\", \"2020-07\", \"2020-12\", \"2021-01\"]\n"
	              "[row for row in r if row[0] == \"month\"][1] == "
	              "[\"month\", \"2020-07\", \"2020年7月\", \"1\", \"1\", \"0\", \"0.0\", \"0.0\", \"0\", \"0\"]\n"
	              "[row[1] for row in r if row[0] == \"year\"] == [\"2020\", \"2021\"]\n"
	              "[row for row in r if row[0] == \"fy\"] == [[\"fy\", \"2020\", \"2020年度\", \"4\", "
	              "\"3\", \"17\", \"5.7\", \"5.0\", \"0\", \"12\"]]\n"
	              "len(r) == 1 + 1 + 1 + 3 + 4 + 2 + 1\n"));
	buf_free(&b);
}

/* The unfolded content lines of an iCalendar text (CRLF + space removed). */
static char *unfold(const char *s)
{
	struct buf b;
	buf_init(&b);
	for (const char *p = s; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		buf_putc(&b, *p);
	}
	return buf_detach(&b);
}

/* The VEVENT block of uid, unfolded; "" when missing. Caller frees. */
static char *event(const char *unfolded, const char *uid)
{
	const char *u = strstr(unfolded, uid);
	if (!u)
		return xstrdup("");
	const char *begin = u;
	while (begin > unfolded && strncmp(begin, "BEGIN:VEVENT", 12) != 0)
		begin--;
	const char *end = strstr(u, "END:VEVENT\r\n");
	return end ? xstrndup(begin, (size_t)(end - begin)) : xstrdup("");
}

static void test_ics(const struct index *ix)
{
	struct buf b;
	buf_init(&b);
	feeds_sessions_ics(&b, &M, ix);

	/* Physical lines: CRLF only, at most 75 octets, each valid UTF-8
	 * (a fold never cuts a character). */
	int bare = 0, too_long = 0, bad_utf8 = 0, folds = 0;
	size_t start = 0;
	for (size_t i = 0; i < b.len; i++) {
		if (b.data[i] == '\n' && (i == 0 || b.data[i - 1] != '\r'))
			bare++;
		if (b.data[i] == '\r' && (i + 1 >= b.len || b.data[i + 1] != '\n'))
			bare++;
		if (b.data[i] == '\n') {
			size_t len = i - 1 - start;
			too_long += len > 75;
			bad_utf8 += !utf8_valid(b.data + start, len, NULL);
			folds += b.data[start] == ' ';
			start = i + 1;
		}
	}
	CHECK_INT(bare, 0);
	CHECK_INT(too_long, 0);
	CHECK_INT(bad_utf8, 0);
	CHECK(folds >= 2); /* the long title takes three lines or more */
	CHECK(b.len >= 2 && b.data[b.len - 2] == '\r' && b.data[b.len - 1] == '\n');
	CHECK(strncmp(b.data, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37) == 0);
	CHECK(strstr(b.data, "\r\nCALSCALE:GREGORIAN\r\n") != NULL);
	CHECK(strstr(b.data, "\r\nEND:VCALENDAR\r\n") == b.data + b.len - 17);
	/* Exactly 75 octets stays on one line. */
	CHECK(strstr(b.data, "\r\nSUMMARY:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\nURL:") != NULL);

	char *u = unfold(b.data);
	CHECK(strstr(u, "\r\nX-WR-CALNAME:せんだい・みやぎソーシャルハブ アーカイブ\r\n") != NULL);
	CHECK(strstr(u, "\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\n"
	                "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\n"
	                "TZNAME:JST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n") != NULL);

	char *ea = event(u, "UID:a@example.org\r\n");
	CHECK(strstr(ea, "\r\nDTSTAMP:20200603T000000Z\r\n") != NULL);
	CHECK(strstr(ea, "\r\nDTSTART;TZID=Asia/Tokyo:20200603T200000\r\n") != NULL);
	CHECK(strstr(ea, "\r\nDTEND;TZID=Asia/Tokyo:20200603T213000\r\n") != NULL);
	CHECK(strstr(ea, "\r\nSUMMARY:第1回 オンライン情報交換会\r\n") != NULL);
	CHECK(strstr(ea, "\r\nLOCATION:オンライン（Zoom）\r\n") != NULL);
	CHECK(strstr(ea, "\r\nCATEGORIES:コロナ,生活困窮\r\n") != NULL);
	CHECK(strstr(ea, "\r\nURL:https://example.org/archive/sessions/a/\r\n") != NULL);
	CHECK(strstr(ea, "\r\nDESCRIPTION:Line one\\, with comma\\; semicolon \\\\ backslash"
	                 "\\nsecond line\r\n") != NULL);

	char *eb = event(u, "UID:b@example.org\r\n");
	struct buf want;
	buf_init(&want);
	buf_printf(&want, "\r\nSUMMARY:%s\r\n", LONG_TITLE);
	CHECK(strstr(eb, want.data) != NULL); /* folding reassembles exactly */
	buf_free(&want);
	CHECK(strstr(eb, "\r\nDTSTART;VALUE=DATE:20201231\r\n") != NULL);
	CHECK(strstr(eb, "\r\nDTEND;VALUE=DATE:20210101\r\n") != NULL);
	CHECK(strstr(eb, "\r\nCATEGORIES:a\\,b\r\n") != NULL);
	CHECK(strstr(eb, "LOCATION") == NULL);
	CHECK(strstr(eb, "DESCRIPTION") == NULL);

	char *ec = event(u, "UID:%E7%AC%AC3%E5%9B%9E@example.org\r\n");
	CHECK(strstr(ec, "\r\nDTSTART;TZID=Asia/Tokyo:20200701T190000\r\n") != NULL);
	CHECK(strstr(ec, "DTEND") == NULL); /* start only: no invented end */
	CHECK(strstr(ec, "\r\nSUMMARY:=SUM(1\\,2) \"x\" <b>\r\n") != NULL);
	CHECK(strstr(ec, "\r\nURL:https://example.org/archive/sessions/%E7%AC%AC3%E5%9B%9E/\r\n") != NULL);

	/* The same lines through Python, as a second reader. */
	CHECK(pycheck("ics", &b,
	              "lines[0] == \"BEGIN:VCALENDAR\" and lines[-1] == \"END:VCALENDAR\"\n"
	              "lines.count(\"BEGIN:VEVENT\") == 4 and lines.count(\"END:VEVENT\") == 4\n"
	              "sum(l.startswith(\"DTSTAMP:\") for l in lines) == 4\n"
	              "\"SUMMARY:第1回 オンライン情報交換会「コロナ禍における生活困窮者支援の現状と課題」"
	              "——仙台・宮城の現場から考える、これからの支え合いのかたち\" in lines\n"));
	free(ea);
	free(eb);
	free(ec);
	free(u);

	/* UIDs are stable: another build, another base_url form, same host. */
	struct model m2 = M;
	m2.site.base_url = "http://kura@example.org:8080/other/";
	struct buf b2;
	buf_init(&b2);
	feeds_sessions_ics(&b2, &m2, ix);
	CHECK(strstr(b2.data, "\r\nUID:a@example.org\r\n") != NULL);
	CHECK(strstr(b2.data, "\r\nURL:http://kura@example.org:8080/other/sessions/a/\r\n") != NULL);
	buf_free(&b2);

	/* A zone whose offset the model does not know: floating local
	 * times, no VTIMEZONE, no TZID anywhere. */
	m2 = M;
	m2.site.timezone = "Europe/Berlin";
	m2.site.utc_offset = m2.site.tz_abbrev = NULL;
	buf_init(&b2);
	feeds_sessions_ics(&b2, &m2, ix);
	CHECK(strstr(b2.data, "VTIMEZONE") == NULL);
	CHECK(strstr(b2.data, "TZID") == NULL);
	CHECK(strstr(b2.data, "X-WR-TIMEZONE") == NULL);
	CHECK(strstr(b2.data, "\r\nDTSTART:20200603T200000\r\n") != NULL);
	buf_free(&b2);

	/* The zone's name and offset come from the model, not from here. */
	m2 = M;
	m2.site.timezone = "Etc/Test";
	m2.site.utc_offset = "-03:30";
	m2.site.tz_abbrev = NULL;
	buf_init(&b2);
	feeds_sessions_ics(&b2, &m2, ix);
	CHECK(strstr(b2.data, "\r\nBEGIN:VTIMEZONE\r\nTZID:Etc/Test\r\nBEGIN:STANDARD\r\n"
	                      "DTSTART:19700101T000000\r\nTZOFFSETFROM:-0330\r\nTZOFFSETTO:-0330\r\n"
	                      "END:STANDARD\r\n") != NULL);
	CHECK(strstr(b2.data, "\r\nDTSTART;TZID=Etc/Test:20200603T200000\r\n") != NULL);
	buf_free(&b2);
	buf_free(&b);
}

/* The session table's columns: with url (json 2, csv 11, in feeds.c) they
 * number 1..N in each file, no gap, no column twice. */
static void test_columns(void)
{
	size_t nt;
	const struct field *t = model_fields(RECORD_SESSION, &nt);
	for (int csv = 0; csv < 2; csv++) {
		int seen[64] = {0}, max = csv ? 11 : 2;
		seen[max]++;
		for (size_t i = 0; i < nt; i++) {
			int pos = csv ? t[i].csv : t[i].json;
			CHECK(pos >= 0 && pos < 64);
			if (pos > 0 && pos < 64) {
				seen[pos]++;
				if (pos > max)
					max = pos;
			}
		}
		int bad = 0;
		for (int p = 1; p <= max; p++)
			bad += seen[p] != 1;
		CHECK_INT(bad, 0);
	}
	/* Other kinds are not exported. */
	for (int k = RECORD_PROJECT; k < RECORD_KINDS; k++) {
		t = model_fields((enum record_kind)k, &nt);
		for (size_t i = 0; i < nt; i++)
			CHECK(t[i].json == 0 && t[i].csv == 0);
	}
}

/* The same model gives the same bytes, every file. */
static void test_deterministic(const struct index *ix)
{
	void (*fn[])(struct buf *, const struct model *, const struct index *) = {
		feeds_sessions_json, feeds_sessions_csv, feeds_attendance_csv, feeds_sessions_ics};
	for (size_t i = 0; i < sizeof fn / sizeof *fn; i++) {
		struct buf x, y;
		buf_init(&x);
		buf_init(&y);
		fn[i](&x, &M, ix);
		fn[i](&y, &M, ix);
		CHECK(x.len > 0 && x.len == y.len && memcmp(x.data, y.data, x.len) == 0);
		buf_free(&x);
		buf_free(&y);
	}
	/* A rebuilt index changes nothing either. */
	struct diags d;
	diags_init(&d);
	struct index *ix2 = NULL;
	CHECK_INT(index_build(&ix2, &M, &d), 0);
	if (ix2) {
		struct buf x, y;
		buf_init(&x);
		buf_init(&y);
		feeds_attendance_csv(&x, &M, ix);
		feeds_attendance_csv(&y, &M, ix2);
		CHECK(x.len == y.len && memcmp(x.data, y.data, x.len) == 0);
		buf_free(&x);
		buf_free(&y);
	}
	index_free(ix2);
	diags_free(&d);
}

int main(void)
{
	A = arena_new();
	fixture();
	struct diags d;
	diags_init(&d);
	struct index *ix = NULL;
	CHECK_INT(index_build(&ix, &M, &d), 0);
	if (ix) {
		test_json(ix);
		test_csv(ix);
		test_ics(ix);
		test_deterministic(ix);
		test_columns();
	}
	index_free(ix);
	diags_free(&d);
	arena_free(A);
	return harness_done("feeds");
}
