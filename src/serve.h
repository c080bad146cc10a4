/* serve.h — kura serve: a preview of the site on a loopback port that
 * rebuilds itself when content changes.
 *
 * serve_run builds the site (through the caller's build function, the
 * normal build path, drafts included) into a private temporary directory,
 * serves it with libmicrohttpd under the path of base_url, watches
 * <repo>/content and <repo>/themes with inotify, rebuilds after each
 * change (changes within 50 ms count as one), and tells every open page
 * to reload through server-sent events (GET <base>__kura/events). The
 * script that listens, and after a failed build a panel with the located
 * errors, are added to each HTML page as it is served: never written into
 * a site. A failed build leaves the last good site in place and served.
 * Runs until SIGINT or SIGTERM; removes its directory on the way out.
 */
#ifndef KURA_SERVE_H
#define KURA_SERVE_H

#include "diag.h"

/* Builds the site into the directory out (which kura owns: write.h's
 * rules), recording every problem in d; on success *base_path gets the
 * path of the site's base_url ("/archive/"), malloc'd. -1 on failure. */
typedef int serve_build_fn(void *ctx, const char *out, char **base_path, struct diags *d);

struct serve_opts {
	const char *repo; /* the archive: content/ and themes/ under it are watched */
	const char *bind; /* an IPv4 or IPv6 address; NULL: 127.0.0.1 */
	int port;         /* 0: a free port, chosen by the system */
	serve_build_fn *build;
	void *ctx;
};

/* Serves until a signal; prints the address on stdout
 * ("kura: serving http://127.0.0.1:8000/archive/") and each rebuild's
 * diagnostics on stderr. 0 after a clean stop; -1 (after saying why on
 * stderr) when the port cannot be opened or the files cannot be watched. */
int serve_run(const struct serve_opts *o);

#endif
