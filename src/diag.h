/* diag.h — diagnostics as data.
 *
 * Stages record problems into a struct diags passed down to them; only
 * main.c prints. Each diagnostic is printed as
 *     path:line:col: error: message
 *       hint: ...
 * (line/col 0 means unknown and is left out). Printing sorts by path, line,
 * column so the order never depends on the order of work.
 */
#ifndef KURA_DIAG_H
#define KURA_DIAG_H

#include <stdio.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag {
	enum diag_level level;
	char *path; /* malloc'd; may be "" */
	int line, col;
	char *msg;  /* malloc'd */
	char *hint; /* malloc'd or NULL */
	size_t seq; /* used by diags_print for a stable sort */
};

struct diags {
	struct diag *v;
	size_t n, cap;
	int errors, warnings;
};

void diags_init(struct diags *d);
void diags_free(struct diags *d);
/* Records a diagnostic; path may be NULL. Returns -1 for errors (so a
 * caller can write `return diag_error(...)`), 0 for warnings. */
int diag_error(struct diags *d, const char *path, int line, int col,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warn(struct diags *d, const char *path, int line, int col,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Attaches a hint to the most recent diagnostic. */
void diag_hint(struct diags *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Moves every diagnostic of src to the end of dst; src is left empty. */
void diags_move(struct diags *dst, struct diags *src);
/* Sorts (stable: path, line, col) and prints every diagnostic. */
void diags_print(struct diags *d, FILE *f);

#endif
