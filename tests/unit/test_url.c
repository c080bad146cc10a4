/* test_url.c — url_resolve: how a link written on a page leads to a file
 * of the site (kura check's links, links.h). */
#include "harness.h"
#include "url.h"

static struct buf F, G;

/* The target of link on page href of a site at base_url, with file and
 * fragment in F and G. */
static enum url_target at(const char *base_url, const char *base_path, const char *href,
                          const char *link)
{
	struct site s;
	memset(&s, 0, sizeof s);
	s.base_url = base_url;
	s.base_path = base_path;
	return url_resolve(&F, &G, &s, href, link);
}

#define INSIDE(base, bpath, href, link, file, frag)                              \
	do {                                                                      \
		CHECK_INT(at(base, bpath, href, link), URL_INSIDE);               \
		CHECK_STR(F.data, file);                                          \
		CHECK_STR(G.data, frag);                                          \
	} while (0)

int main(void)
{
	buf_init(&F);
	buf_init(&G);
	const char *u = "https://example.org/archive/", *p = "/archive/";
	INSIDE(u, p, "sessions/a/", "../b/", "sessions/b/index.html", "");
	INSIDE(u, p, "sessions/a/", "./", "sessions/a/index.html", "");
	INSIDE(u, p, "sessions/a/", "#fn-1", "sessions/a/index.html", "fn-1");
	INSIDE(u, p, "sessions/a/", "", "sessions/a/index.html", "");
	INSIDE(u, p, "sessions/a/", "/archive/media/x.pdf?dl=1#p2", "media/x.pdf", "p2");
	INSIDE(u, p, "", "https://example.org/archive/themes/%E3%82%B3/", "themes/コ/index.html", "");
	INSIDE(u, p, "", "media/a%2", "media/a%2", ""); /* a broken escape kept */
	INSIDE(u, p, "sessions/a/", "../../x/../y", "y", "");
	INSIDE("/", "/", "sessions/a/", "/media/p.jpg", "media/p.jpg", "");
	CHECK_INT(at(u, p, "sessions/a/", "/elsewhere/"), URL_OUTSIDE);
	CHECK_INT(at(u, p, "sessions/a/", "https://other.example/archive/"), URL_OUTSIDE);
	CHECK_INT(at(u, p, "sessions/a/", "//example.org/archive/"), URL_OUTSIDE);
	CHECK_INT(at(u, p, "sessions/a/", "mailto:x@example.org"), URL_OUTSIDE);
	CHECK_INT(at("/", "/", "", "https://example.org/"), URL_OUTSIDE);
	CHECK_INT(at(u, p, "sessions/a/", "../../../x"), URL_ESCAPES);
	buf_free(&F);
	buf_free(&G);
	return harness_done("url");
}
