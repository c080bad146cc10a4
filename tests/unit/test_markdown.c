/* test_markdown.c — the extensions render, safe mode keeps raw HTML and
 * dangerous links out, unsafe mode lets HTML through but not <script>,
 * and summaries are cut on code points. */
#include <pthread.h>
#include <string.h>

#include "harness.h"
#include "markdown.h"

static struct buf H, S;

/* Renders s into H (and its summary into S), both emptied first. */
static const char *render(const char *s, int unsafe_html, size_t max_chars)
{
	buf_reset(&H);
	buf_reset(&S);
	markdown_render(s, strlen(s), unsafe_html, &H, &S, max_chars);
	return H.data;
}

static int has(const char *s)
{
	return strstr(H.data, s) != NULL;
}

static void test_extensions(void)
{
	render("| 回 | 参加者 |\n|---|--:|\n| 1 | 15 |\n", 0, 0);
	CHECK(has("<table>"));
	CHECK(has("<th>回</th>"));
	CHECK(has("<td align=\"right\">15</td>"));

	render("~~消した~~ 残す\n", 0, 0);
	CHECK(has("<del>消した</del> 残す"));

	render("詳しくは https://example.org/a?b=1 を見てください\n", 0, 0);
	CHECK(has("<a href=\"https://example.org/a?b=1\">https://example.org/a?b=1</a>"));
	render("www.example.org\n", 0, 0);
	CHECK(has("<a href=\"http://www.example.org\">"));

	render("- [x] 済み\n- [ ] まだ\n", 0, 0);
	CHECK(has("<input type=\"checkbox\" checked=\"\" disabled=\"\" /> 済み"));
	CHECK(has("<input type=\"checkbox\" disabled=\"\" /> まだ"));

	render("本文[^1]\n\n[^1]: 注の内容\n", 0, 0);
	CHECK(has("<sup class=\"footnote-ref\"><a href=\"#fn-1\""));
	CHECK(has("<section class=\"footnotes\""));
	CHECK(has("注の内容"));

	/* Plain CommonMark, and no smart punctuation. */
	render("# 見出し\n\n\"quoted\" -- x...\n", 0, 0);
	CHECK(has("<h1>見出し</h1>"));
	CHECK(has("<p>&quot;quoted&quot; -- x...</p>"));

	/* Appends rather than overwrites. */
	buf_reset(&H);
	buf_puts(&H, "<!--before-->");
	markdown_render("x", 1, 0, &H, NULL, 0);
	CHECK_STR(H.data, "<!--before--><p>x</p>\n");
}

static void test_safe(void)
{
	render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
	       "text <span onclick=\"alert(1)\">x</span>\n", 0, 0);
	CHECK(!has("<script"));
	CHECK(!has("onerror"));
	CHECK(!has("onclick"));
	CHECK(has("raw HTML omitted"));

	render("[x](javascript:alert(1)) [y](JavaScript:alert(1)) "
	       "[z](vbscript:msgbox) [w](file:///etc/passwd)\n\n"
	       "<javascript:alert(1)>\n", 0, 0);
	/* The link text stays; every href is emptied. */
	CHECK(!has("href=\"javascript:"));
	CHECK(!has("href=\"JavaScript:"));
	CHECK(!has("href=\"vbscript:"));
	CHECK(!has("href=\"file:"));
	int hrefs = 0, empty = 0;
	for (const char *p = H.data; (p = strstr(p, "href=")) != NULL; p++) {
		hrefs++;
		empty += strncmp(p, "href=\"\"", 7) == 0;
	}
	CHECK_INT(hrefs, 5);
	CHECK_INT(empty, 5);

	/* Safe links and images still work. */
	render("[a](https://example.org/) ![alt](media/a.jpg)\n", 0, 0);
	CHECK(has("<a href=\"https://example.org/\">a</a>"));
	CHECK(has("<img src=\"media/a.jpg\" alt=\"alt\" />"));
}

static void test_unsafe(void)
{
	render("<div class=\"note\">注意</div>\n\ntext <b>bold</b>\n", 1, 0);
	CHECK(has("<div class=\"note\">注意</div>"));
	CHECK(has("<b>bold</b>"));

	/* tagfilter still disarms <script>, <iframe> and friends. */
	render("<script>alert(1)</script>\n\nx <iframe src=x></iframe>\n", 1, 0);
	CHECK(!has("<script"));
	CHECK(has("&lt;script>"));
	CHECK(!has("<iframe"));
	CHECK(has("&lt;iframe"));
}

static void test_summary(void)
{
	/* The first paragraph, not the heading; breaks become spaces, code
	 * keeps its text, HTML and footnote markers go. */
	render("# 題\n\n第1回は *オンライン*で\n`Zoom` を使い<br>開催[^n]。\n\n"
	       "二段落目\n\n[^n]: 注\n", 0, 0);
	CHECK_STR(S.data, "第1回は オンラインで Zoom を使い開催。");

	/* Cut at max_chars code points (never inside a UTF-8 sequence),
	 * then "…". */
	render("仙台市で生活困窮者の支援について話し合いました。\n", 0, 10);
	CHECK_STR(S.data, "仙台市で生活困窮者の…");
	render("仙台市で生活困窮者の\n", 0, 10);
	CHECK_STR(S.data, "仙台市で生活困窮者の"); /* exactly 10: no cut */
	render("仙台市で生活困窮者\n", 0, 10);
	CHECK_STR(S.data, "仙台市で生活困窮者");
	render("abc def ghi\n", 0, 4);
	CHECK_STR(S.data, "abc…"); /* no space before the ellipsis */
	render("🎉🎉🎉\n", 0, 2);
	CHECK_STR(S.data, "🎉🎉…");
	render("long text here\n", 0, 0); /* 0: no limit */
	CHECK_STR(S.data, "long text here");

	/* A first paragraph with no text (an image) is skipped; so is the
	 * alt text of an image inside a paragraph. */
	render("![写真](a.jpg)\n\nここから本文 ![図](b.png)です\n", 0, 50);
	CHECK_STR(S.data, "ここから本文 です");
	/* Link text is text. */
	render("[報告書](report.pdf)を公開\n", 0, 50);
	CHECK_STR(S.data, "報告書を公開");
	render("<p>raw</p>\n\n段落\n", 0, 50);
	CHECK_STR(S.data, "段落");
	/* No paragraph at all. */
	render("# only a title\n", 0, 50);
	CHECK_STR(S.data, "");
	render("", 0, 50);
	CHECK_STR(S.data, "");
	CHECK_STR(H.data, "");

	/* Appends to what the summary buffer held. */
	buf_reset(&S);
	buf_puts(&S, ">");
	markdown_render("x y", 3, 0, &H, &S, 10);
	CHECK_STR(S.data, ">x y");
}

/* Any bytes give some HTML: invalid UTF-8 and NULs are replaced. */
static void test_bad_input(void)
{
	const char bad[] = "a\xFF\xC0 b\0c\n\n| x |\n|---|\n| \xE3\x81 |\n";
	buf_reset(&H);
	buf_reset(&S);
	markdown_render(bad, sizeof bad - 1, 0, &H, &S, 3);
	CHECK(H.len > 0);
	CHECK(utf8_valid(H.data, H.len, NULL));
	CHECK(utf8_valid(S.data, S.len, NULL));
	CHECK(strlen(H.data) == H.len);
}

/* Several threads render at once (the render stage's worker pool). The
 * document mixes a table and strikethrough because cmark-gfm's global
 * table of inline characters made exactly this go wrong without a lock. */
static void *worker(void *arg)
{
	struct buf h, s;
	buf_init(&h);
	buf_init(&s);
	int *ok = arg;
	*ok = 1;
	for (int i = 0; i < 200; i++) {
		buf_reset(&h);
		buf_reset(&s);
		const char *md = "| a |\n|---|\n| ~~b~~ |\n\n- [x] c\n";
		markdown_render(md, strlen(md), 0, &h, &s, 5);
		if (!strstr(h.data, "<del>b</del>") || !strstr(h.data, "checkbox"))
			*ok = 0;
	}
	buf_free(&h);
	buf_free(&s);
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];
	int ok[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, &ok[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK(ok[i]);
	}
}

int main(void)
{
	buf_init(&H);
	buf_init(&S);
	test_threads(); /* first, so markdown_init races for real */
	test_extensions();
	test_safe();
	test_unsafe();
	test_summary();
	test_bad_input();
	buf_free(&H);
	buf_free(&S);
	markdown_cleanup();
	return harness_done("markdown");
}
