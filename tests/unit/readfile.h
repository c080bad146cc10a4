/* readfile.h — the tests' and the fuzzer's way to read a whole file
 * (kura itself reads through source.h, so this is no part of src/). */
#ifndef KURA_TEST_READFILE_H
#define KURA_TEST_READFILE_H

#include <stdio.h>

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

#endif
