/* support.h — what the unit tests and the fuzzer need besides kura
 * itself: running a shell command (a whole file is read with util.h's
 * file_read). None of it is part of src/. */
#ifndef KURA_TEST_SUPPORT_H
#define KURA_TEST_SUPPORT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

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
