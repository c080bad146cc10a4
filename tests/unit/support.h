/* support.h — what the unit tests and the fuzzer need besides kura
 * itself: reading a whole file (kura reads through source.h) and running
 * a shell command. None of it is part of src/. */
#ifndef KURA_TEST_SUPPORT_H
#define KURA_TEST_SUPPORT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

/* Reads a whole file (kura itself reads through source.h); 0 ok, -1 when
 * it cannot be opened or read. *out is malloc'd and NUL-terminated; the
 * caller frees it. */
static inline int read_file(const char *path, char **out, size_t *out_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct buf b;
	buf_init(&b);
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_put(&b, tmp, n);
	int err = ferror(f);
	fclose(f);
	if (err) {
		buf_free(&b);
		return -1;
	}
	*out_len = b.len;
	*out = buf_detach(&b);
	return 0;
}

/* Runs a shell command made like printf; its exit status as system()
 * gives it. */
static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = xvasprintf(fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

/* Makes the scratch directory tmpl (a mkdtemp template, changed in
 * place) and points HOME there, so that neither git nor libgit2 sees the
 * user's configuration (global excludes, safe.directory, signing). 0 ok,
 * -1 when the directory cannot be made. */
static inline int git_sandbox(char *tmpl)
{
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return -1;
	}
	setenv("HOME", tmpl, 1);
	setenv("XDG_CONFIG_HOME", tmpl, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	return 0;
}

#endif
