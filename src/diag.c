/* diag.c — the list of diagnostics and its printing, in the three formats
 * of diag.h: gcc's for people, JSON Lines for programs, and GitHub
 * workflow commands so a CI run shows each error on its line of a pull
 * request. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "json.h"
#include "util.h"

void diags_init(struct diags *d)
{
	memset(d, 0, sizeof *d);
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].msg);
		free(d->v[i].hint);
		free(d->v[i].msg_tr);
		free(d->v[i].hint_tr);
	}
	free(d->v);
	diags_init(d);
}

/* fmt formatted in the catalog's language, or NULL when it has no
 * translation (i18n.h). A format of "%s" passes on a message made
 * elsewhere (marked N_ there): that message is looked up. ap is left for
 * the caller to use. */
static char *translate(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	char *s = NULL;
	if (!strcmp(fmt, "%s")) {
		const char *t = i18n_lookup(va_arg(aq, const char *));
		s = t ? xstrdup(t) : NULL;
	} else {
		const char *t = i18n_lookup(fmt);
		s = t ? xvasprintf(t, aq) : NULL;
	}
	va_end(aq);
	return s;
}

/* The text a diagnostic is printed with. */
static const char *msg_of(const struct diag *g)
{
	return i18n_in_use() && g->msg_tr ? g->msg_tr : g->msg;
}

static const char *hint_of(const struct diag *g)
{
	return i18n_in_use() && g->hint_tr ? g->hint_tr : g->hint;
}

static void add(struct diags *d, enum diag_level level, const char *path,
                int line, int col, const char *fmt, va_list ap)
{
	d->v = xgrow(d->v, &d->cap, d->n + 1, sizeof *d->v);
	struct diag *g = &d->v[d->n++];
	g->level = level;
	g->path = xstrdup(path ? path : "");
	g->line = line;
	g->col = col;
	g->msg_tr = translate(fmt, ap);
	g->msg = xvasprintf(fmt, ap);
	g->hint = g->hint_tr = NULL;
	if (level == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
}

int diag_error(struct diags *d, const char *path, int line, int col,
               const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, DIAG_ERROR, path, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warn(struct diags *d, const char *path, int line, int col,
               const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, DIAG_WARNING, path, line, col, fmt, ap);
	va_end(ap);
}

void diag_hint(struct diags *d, const char *fmt, ...)
{
	if (!d->n)
		return;
	struct diag *g = &d->v[d->n - 1];
	va_list ap;
	va_start(ap, fmt);
	free(g->hint);
	free(g->hint_tr);
	g->hint_tr = translate(fmt, ap);
	g->hint = xvasprintf(fmt, ap);
	va_end(ap);
}

void diags_move(struct diags *dst, struct diags *src)
{
	for (size_t i = 0; i < src->n; i++)
		VEC_PUSH(dst->v, dst->n, dst->cap, src->v[i]);
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	free(src->v);
	diags_init(src);
}

static int cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	/* Same place: keep the order they were recorded in. */
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int diag_format_parse(const char *name, enum diag_format *out)
{
	static const char *const names[] = {[DIAG_GCC] = "gcc", [DIAG_JSON] = "json",
	                                    [DIAG_GITHUB] = "github"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(name, names[i])) {
			*out = (enum diag_format)i;
			return 0;
		}
	return -1;
}

static void print_gcc(const struct diag *g, FILE *f)
{
	const char *lv = g->level == DIAG_ERROR ? "error" : "warning";
	if (g->path[0] && g->line > 0)
		fprintf(f, "%s:%d:%d: %s: %s\n", g->path, g->line, g->col > 0 ? g->col : 1, lv,
		        msg_of(g));
	else if (g->path[0])
		fprintf(f, "%s: %s: %s\n", g->path, lv, msg_of(g));
	else
		fprintf(f, "kura: %s: %s\n", lv, msg_of(g));
	if (g->hint)
		fprintf(f, "  hint: %s\n", hint_of(g));
}

static void print_json(const struct diag *g, FILE *f, struct buf *b)
{
	struct json j;
	buf_reset(b);
	json_init(&j, b, JSON_COMPACT);
	json_object(&j);
	json_key(&j, "level");
	json_str(&j, g->level == DIAG_ERROR ? "error" : "warning");
	json_key(&j, "path");
	json_str(&j, g->path[0] ? g->path : NULL);
	json_key(&j, "line");
	if (g->line > 0)
		json_int(&j, g->line);
	else
		json_null(&j);
	json_key(&j, "col");
	if (g->col > 0)
		json_int(&j, g->col);
	else
		json_null(&j);
	json_key(&j, "message");
	json_str(&j, msg_of(g));
	json_key(&j, "hint");
	json_str(&j, g->hint ? hint_of(g) : NULL);
	json_end(&j);
	buf_putc(b, '\n');
	fwrite(b->data, 1, b->len, f);
}

static void print_github(const struct diag *g, FILE *f, struct buf *b)
{
	buf_reset(b);
	buf_puts(b, g->level == DIAG_ERROR ? "::error " : "::warning ");
	if (g->path[0]) {
		buf_puts(b, "file=");
		escape_github(b, g->path, strlen(g->path), 1);
		buf_putc(b, ',');
		if (g->line > 0) {
			buf_printf(b, "line=%d,", g->line);
			if (g->col > 0)
				buf_printf(b, "col=%d,", g->col);
		}
	}
	buf_puts(b, "title=kura::");
	escape_github(b, msg_of(g), strlen(msg_of(g)), 0);
	if (g->hint) {
		buf_puts(b, " — ");
		escape_github(b, hint_of(g), strlen(hint_of(g)), 0);
	}
	buf_putc(b, '\n');
	fwrite(b->data, 1, b->len, f);
}

void diags_print_as(struct diags *d, FILE *f, enum diag_format fmt)
{
	for (size_t i = 0; i < d->n; i++)
		d->v[i].seq = i;
	if (d->n)
		xsort(d->v, d->n, sizeof *d->v, cmp);
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		switch (fmt) {
		case DIAG_GCC: print_gcc(g, f); break;
		case DIAG_JSON: print_json(g, f, &b); break;
		case DIAG_GITHUB: print_github(g, f, &b); break;
		}
	}
	buf_free(&b);
}

void diags_print(struct diags *d, FILE *f)
{
	diags_print_as(d, f, DIAG_GCC);
}
