/* progress.c — the progress line (progress.h). */
#include "progress.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

struct progress {
	FILE *f;
	double start, last, delay;
	int shown;
};


struct progress *progress_begin(FILE *f, int enabled, double delay)
{
	const char *term = getenv("TERM"), *ci = getenv("CI");
	if (!enabled || !isatty(fileno(f)) || (term && !strcmp(term, "dumb")) || (ci && *ci))
		return NULL;
	struct progress *p = xcalloc(1, sizeof *p);
	p->f = f;
	p->start = monotonic_seconds();
	p->delay = delay;
	return p;
}

void progress_set(struct progress *p, size_t done, size_t total)
{
	if (!p)
		return;
	double t = monotonic_seconds();
	if (t - p->start < p->delay || (p->shown && t - p->last < 0.1 && done < total))
		return;
	p->last = t;
	p->shown = 1;
	fputs("\r\033[K", p->f);
	fprintf(p->f, i18n_tr("kura: %zu/%zu files (%d%%)"), done, total,
	        total ? (int)(100.0 * (double)done / (double)total) : 100);
	fflush(p->f);
}

int progress_shown(const struct progress *p)
{
	return p && p->shown;
}

void progress_end(struct progress *p)
{
	if (!p)
		return;
	if (p->shown) {
		fputs("\r\033[K", p->f);
		fflush(p->f);
	}
	free(p);
}
