/* harness.h — the tiny unit-test harness. Each test file defines main()
 * that calls its test functions and ends with `return harness_done("name");`,
 * which prints "name: N passed, M failed" (tests/run.sh adds the lines up)
 * and returns the exit status. */
#ifndef KURA_HARNESS_H
#define KURA_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "support.h"

static int harness_pass, harness_fail;

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (cond) {                                                     \
			harness_pass++;                                         \
		} else {                                                        \
			harness_fail++;                                         \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,  \
			        __LINE__, #cond);                               \
		}                                                               \
	} while (0)

#define CHECK_INT(got, want)                                                    \
	do {                                                                    \
		long long g_ = (long long)(got), w_ = (long long)(want);        \
		if (g_ == w_) {                                                 \
			harness_pass++;                                         \
		} else {                                                        \
			harness_fail++;                                         \
			fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n",     \
			        __FILE__, __LINE__, #got, g_, w_);              \
		}                                                               \
	} while (0)

#define CHECK_STR(got, want)                                                    \
	do {                                                                    \
		const char *g_ = (got), *w_ = (want);                           \
		if (g_ && w_ && strcmp(g_, w_) == 0) {                          \
			harness_pass++;                                         \
		} else {                                                        \
			harness_fail++;                                         \
			fprintf(stderr, "%s:%d: %s:\n  got  \"%s\"\n  want \"%s\"\n", \
			        __FILE__, __LINE__, #got, g_ ? g_ : "(null)",   \
			        w_ ? w_ : "(null)");                            \
		}                                                               \
	} while (0)

/* Case-by-case reporting for data-driven suites (the Mustache spec). */
static inline void harness_record(int ok) { ok ? harness_pass++ : harness_fail++; }

static inline int harness_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, harness_pass, harness_fail);
	return harness_fail ? 1 : 0;
}

#endif
