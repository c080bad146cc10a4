/* diag.h — diagnostics as data.
 *
 * Stages record problems into a struct diags passed down to them; only
 * main.c prints, in one of three formats (enum diag_format):
 *
 *   gcc     path:line:col: error: message
 *             hint: ...
 *   json    one JSON object a line (JSON Lines), keys in this order:
 *           {"level":"error","path":"...","line":3,"col":7,
 *            "message":"...","hint":"..."}
 *           level is "error" or "warning"; path, line, col and hint are
 *           null when unknown (path "" or line/col 0) or absent.
 *   github  GitHub Actions workflow commands, shown on the changed line
 *           of a pull request:
 *           ::error file=path,line=3,col=7,title=kura::message — hint
 *           (::warning for warnings), escaped as GitHub requires: in the
 *           message % CR LF become %25 %0D %0A, in the properties also
 *           : and , become %3A and %2C; file, line and col are left out
 *           when unknown.
 *
 * (In gcc, line/col 0 means unknown and is left out.) Messages and hints
 * are printed in the archive's language when i18n.h's translations are in
 * use: each format is looked up in the catalog when it is recorded (call
 * sites write English), the words error, warning and hint stay English
 * for the programs that match them. Printing sorts by
 * path, line, column so the order never depends on the order of work.
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
	/* The same in the loaded catalog's language (i18n.h), malloc'd, or
	 * NULL when it has no translation; printed when translations are in
	 * use. */
	char *msg_tr, *hint_tr;
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
enum diag_format { DIAG_GCC, DIAG_JSON, DIAG_GITHUB };

/* "gcc", "json" or "github" to *out; -1 for any other name. */
int diag_format_parse(const char *name, enum diag_format *out);
/* Sorts (stable: path, line, col) and prints every diagnostic in format
 * fmt. */
void diags_print_as(struct diags *d, FILE *f, enum diag_format fmt);
/* diags_print_as in the gcc format. */
void diags_print(struct diags *d, FILE *f);

#endif
