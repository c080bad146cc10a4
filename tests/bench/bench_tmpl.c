/* bench_tmpl.c — times the template engine: a ~5 KB template with a
 * 100-item list, compiled once and rendered many times. Prints the
 * median time per render over several rounds. A report, never a test. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "diag.h"
#include "tmpl.h"
#include "util.h"
#include "value.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	struct buf src;
	buf_init(&src);
	buf_puts(&src, "<!doctype html>\n<html lang=\"ja\">\n<head><title>{{page.title}} | "
	               "{{site.title}}</title></head>\n<body>\n<h1>{{page.title}}</h1>\n");
	/* Static filler, so the template is about 5 KB in all. */
	for (int i = 0; i < 36; i++)
		buf_puts(&src, "<p class=\"lead\">せんだい・みやぎソーシャルハブのアーカイブです。"
		               "テンプレートの静的な部分。</p>\n");
	buf_puts(&src, "<ul>\n{{#items}}<li><a href=\"{{root}}{{url}}\">{{title}}</a> "
	               "<time>{{date.ja}}</time> {{#attendance.known}}{{attendance.count}}人"
	               "{{/attendance.known}}{{^attendance.known}}不明{{/attendance.known}} "
	               "{{#themes}}<span>{{name}}</span>{{/themes}}</li>\n{{/items}}</ul>\n"
	               "</body>\n</html>\n");
	struct arena *a = arena_new();
	struct value *root = value_map(a);
	value_set_str(a, root, "root", "../../");
	struct value *site = value_map(a), *page = value_map(a);
	value_set_str(a, site, "title", "アーカイブ");
	value_set_str(a, page, "title", "一覧 <テスト>");
	value_set(a, root, "site", site);
	value_set(a, root, "page", page);
	struct value *items = value_list(a);
	for (int i = 0; i < 100; i++) {
		struct value *it = value_map(a), *date = value_map(a), *att = value_map(a);
		value_set_str(a, it, "url", arena_printf(a, "sessions/s-%03d/", i));
		value_set_str(a, it, "title", arena_printf(a, "第%d回 定例情報交換会 & \"勉強会\"", i));
		value_set_str(a, date, "ja", "2020年6月3日");
		value_set(a, it, "date", date);
		value_set_bool(a, att, "known", i % 5 != 0);
		value_set_int(a, att, "count", 10 + i % 30);
		value_set(a, it, "attendance", att);
		struct value *th = value_list(a);
		for (int k = 0; k < 3; k++) {
			struct value *t = value_map(a);
			value_set_str(a, t, "name", k ? "コロナ" : "仙台宮城");
			value_push(a, th, t);
		}
		value_set(a, it, "themes", th);
		value_push(a, items, it);
	}
	value_set(a, root, "items", items);

	struct diags d;
	diags_init(&d);
	struct tmpl_set *set = tmpl_set_new(NULL, NULL, 0);
	tmpl_set_add(set, "bench", src.data, src.len, "bench.mustache");
	if (tmpl_set_compile(set, "bench", &d) != 0) {
		diags_print(&d, stderr);
		return 1;
	}
	struct buf out;
	buf_init(&out);
	enum { ROUNDS = 15, PER = 400 };
	double t[ROUNDS];
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now();
		for (int i = 0; i < PER; i++) {
			buf_reset(&out);
			tmpl_render(set, "bench", root, &out, &d);
		}
		t[r] = (now() - t0) / PER;
	}
	qsort(t, ROUNDS, sizeof *t, cmp);
	printf("template: %zu-byte template, 100-item list -> %zu bytes of HTML: "
	       "median %.1f us per render (min %.1f, max %.1f; %d rounds of %d)\n",
	       src.len, out.len, t[ROUNDS / 2] * 1e6, t[0] * 1e6, t[ROUNDS - 1] * 1e6, ROUNDS, PER);
	buf_free(&out);
	buf_free(&src);
	tmpl_set_free(set);
	diags_free(&d);
	arena_free(a);
	return 0;
}
