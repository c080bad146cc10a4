/* diag.c — the list of diagnostics and its printing. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
	}
	free(d->v);
	diags_init(d);
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
	g->msg = xvasprintf(fmt, ap);
	g->hint = NULL;
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

void diags_print(struct diags *d, FILE *f)
{
	for (size_t i = 0; i < d->n; i++)
		d->v[i].seq = i;
	if (d->n)
		xsort(d->v, d->n, sizeof *d->v, cmp);
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		const char *lv = g->level == DIAG_ERROR ? "error" : "warning";
		if (g->path[0] && g->line > 0)
			fprintf(f, "%s:%d:%d: %s: %s\n", g->path, g->line,
			        g->col > 0 ? g->col : 1, lv, g->msg);
		else if (g->path[0])
			fprintf(f, "%s: %s: %s\n", g->path, lv, g->msg);
		else
			fprintf(f, "kura: %s: %s\n", lv, g->msg);
		if (g->hint)
			fprintf(f, "  hint: %s\n", g->hint);
	}
}
