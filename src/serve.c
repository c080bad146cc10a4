/* serve.c — kura serve: build, serve on loopback, watch, rebuild, reload.
 *
 * Three kinds of threads meet here. The calling thread waits on inotify
 * and the signals and runs every build; libmicrohttpd runs one thread per
 * connection, each reading files of the last good site or, for an event
 * stream, waiting for the next build. They share struct state: the build
 * counter, the base path, the last failure's diagnostics (as HTML) under
 * `mu`, and the site's files under `site` (a build takes it for writing,
 * so that a request never sees a half-swapped directory).
 */
#include "serve.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "escape.h"
#include "i18n.h"
#include "util.h"
#include "write.h"

#define EVENTS "__kura/events"
#define QUIET_MS 50       /* changes closer than this are one change */
#define KEEPALIVE_S 10    /* an event stream's comment line, so proxies keep it */

struct state {
	pthread_mutex_t mu;
	pthread_cond_t built;   /* gen changed, or stopping */
	unsigned gen;           /* builds so far, failed ones included */
	int have_site;          /* a build has succeeded */
	int stopping;
	char *base_path;        /* the last good build's ("/" before one) */
	char *errors;           /* the last build's diagnostics as HTML, or NULL when it succeeded */
	pthread_rwlock_t site;  /* the files of dir */
	char dir[64];           /* the private directory; the site is dir/site */
};

/* ---- building ---------------------------------------------------------------- */


/* The diagnostics of d, as gcc prints them, HTML-escaped. */
static char *errors_html(struct diags *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		abort();
	diags_print(d, f);
	fclose(f);
	struct buf b;
	buf_init(&b);
	escape_html(&b, text, len);
	free(text);
	return buf_detach(&b);
}

/* One build; the state then says how it went and readers are woken. */
static void rebuild(struct state *st, const struct serve_opts *o)
{
	double t0 = monotonic_seconds();
	struct diags d;
	diags_init(&d);
	char out[96], *base = NULL;
	snprintf(out, sizeof out, "%s/site", st->dir);
	pthread_rwlock_wrlock(&st->site);
	int rc = o->build(o->ctx, out, &base, &d);
	pthread_rwlock_unlock(&st->site);
	diags_print(&d, stderr);
	if (rc == 0 && !d.errors)
		fprintf(stderr, i18n_tr("kura: built in %.2f s\n"), monotonic_seconds() - t0);
	else
		fprintf(stderr, i18n_tr("kura: %d error%s; serving the last good site\n"), d.errors,
		        d.errors == 1 ? "" : "s");
	char *html = rc == 0 && !d.errors ? NULL : errors_html(&d);
	pthread_mutex_lock(&st->mu);
	free(st->errors);
	st->errors = html;
	if (!html) {
		st->have_site = 1;
		free(st->base_path);
		st->base_path = base;
		base = NULL;
	}
	st->gen++;
	pthread_cond_broadcast(&st->built);
	pthread_mutex_unlock(&st->mu);
	free(base);
	diags_free(&d);
}

/* ---- serving ----------------------------------------------------------------- */

static const struct {
	const char *ext, *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},  {".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"}, {".json", "application/json"},
	{".xml", "application/xml"},           {".svg", "image/svg+xml"},
	{".png", "image/png"},                 {".jpg", "image/jpeg"},
	{".jpeg", "image/jpeg"},               {".webp", "image/webp"},
	{".gif", "image/gif"},                 {".pdf", "application/pdf"},
	{".csv", "text/csv; charset=utf-8"},   {".ics", "text/calendar; charset=utf-8"},
	{".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type,
                               struct buf *body)
{
	size_t len = body->len;
	struct MHD_Response *r =
	    MHD_create_response_from_buffer_with_free_callback(len, buf_detach(body), free);
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result redirect(struct MHD_Connection *c, const char *to)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Location", to);
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_FOUND, r);
	MHD_destroy_response(r);
	return ret;
}

/* The reload script and, after a failed build, the panel of errors, for
 * a page of build gen under base. */
static void serve_extras(struct buf *b, const char *base, unsigned gen, const char *errors)
{
	if (errors)
		buf_printf(b,
		           "<div id=\"kura-serve-errors\" role=\"alert\" style=\"position:fixed;left:0;"
		           "right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;padding:1rem;"
		           "background:#fff0f0;color:#5c0000;border-top:4px solid #c00;z-index:2147483647;"
		           "font:14px/1.5 monospace;white-space:pre-wrap\"><strong>%s</strong>\n%s</div>\n",
		           i18n_tr("kura serve: the build failed; this is the last good site."), errors);
	buf_printf(b,
	           "<script>/* kura serve only */(function(){var s=new EventSource(\"%s" EVENTS
	           "?since=%u\");s.addEventListener(\"reload\",function(){s.close();"
	           "location.reload();});})();</script>\n",
	           base, gen);
}

/* An HTML page with the extras before </body>. */
static void inject(struct buf *out, const char *html, size_t n, const char *base, unsigned gen,
                   const char *errors)
{
	static const char tag[] = "</body>";
	size_t at = n;
	for (size_t i = n; i >= sizeof tag - 1; i--)
		if (!memcmp(html + i - (sizeof tag - 1), tag, sizeof tag - 1)) {
			at = i - (sizeof tag - 1);
			break;
		}
	buf_put(out, html, at);
	serve_extras(out, base, gen, errors);
	buf_put(out, html + at, n - at);
}

/* Is dir/site/rel a directory? */
static int is_dir(const struct state *st, const char *rel)
{
	char *p = xasprintf("%s/site/%s", st->dir, rel);
	struct stat sb;
	int yes = stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
	free(p);
	return yes;
}

/* A file of the site at rel ("" or ending in '/': its index.html); the
 * site's 404.html with status 404 when there is none. */
static enum MHD_Result serve_file(struct MHD_Connection *c, struct state *st, const char *url,
                                  const char *rel, const char *base, unsigned gen,
                                  const char *errors)
{
	size_t n = strlen(rel);
	if (n && rel[n - 1] != '/' && !path_problem(rel, n) && is_dir(st, rel)) {
		char *to = xasprintf("%s/", url);
		enum MHD_Result r = redirect(c, to);
		free(to);
		return r;
	}
	const char *index = !n || rel[n - 1] == '/' ? "index.html" : "";
	char *path = NULL;
	if (!path_problem(rel, n ? n - (rel[n - 1] == '/') : 0) || !n)
		path = xasprintf("%s/site/%s%s", st->dir, rel, index);
	unsigned status = MHD_HTTP_OK;
	char *data = NULL;
	size_t len = 0;
	struct buf out;
	buf_init(&out);
	pthread_rwlock_rdlock(&st->site);
	if (!path || file_read(path, &data, &len) != 0) {
		free(path);
		path = xasprintf("%s/site/404.html", st->dir);
		status = MHD_HTTP_NOT_FOUND;
		if (file_read(path, &data, &len) != 0) {
			data = xstrdup("<!DOCTYPE html><title>404</title><body><p>404</p></body>");
			len = strlen(data);
		}
	}
	pthread_rwlock_unlock(&st->site);
	const char *type = type_of(path);
	if (!strncmp(type, "text/html", 9))
		inject(&out, data, len, base, gen, errors);
	else
		buf_put(&out, data, len);
	free(path);
	free(data);
	return respond(c, status, type, &out);
}

/* The page shown while no build has succeeded: the errors alone. */
static enum MHD_Result serve_no_site(struct MHD_Connection *c, const char *base, unsigned gen,
                                     const char *errors)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "<!DOCTYPE html><html lang=\"ja\"><meta charset=\"utf-8\">"
	             "<title>kura serve</title><body>");
	serve_extras(&b, base, gen, errors ? errors : "");
	buf_puts(&b, "</body></html>\n");
	return respond(c, MHD_HTTP_OK, "text/html; charset=utf-8", &b);
}

/* ---- the event stream ---------------------------------------------------------- */

struct stream {
	struct state *st;
	unsigned since; /* the build the page was made from */
};

/* Sends "event: reload" as soon as a build newer than s->since is done
 * (at once if one already is), a comment line every KEEPALIVE_S seconds,
 * and ends when the server stops. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct stream *s = cls;
	struct state *st = s->st;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += KEEPALIVE_S;
	pthread_mutex_lock(&st->mu);
	int timed_out = 0;
	while (!st->stopping && st->gen == s->since && !timed_out)
		timed_out = pthread_cond_timedwait(&st->built, &st->mu, &until) == ETIMEDOUT;
	int stop = st->stopping;
	unsigned gen = st->gen;
	pthread_mutex_unlock(&st->mu);
	if (stop)
		return MHD_CONTENT_READER_END_OF_STREAM;
	int n;
	if (gen != s->since) {
		s->since = gen;
		n = snprintf(out, max, "event: reload\ndata: %u\n\n", gen);
	} else {
		n = snprintf(out, max, ": keep-alive\n\n");
	}
	return n < 0 || (size_t)n >= max ? MHD_CONTENT_READER_END_WITH_ERROR : n;
}

static enum MHD_Result serve_events(struct MHD_Connection *c, struct state *st, unsigned gen)
{
	struct stream *s = xmalloc(sizeof *s);
	s->st = st;
	const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	s->since = since ? (unsigned)strtoul(since, NULL, 10) : gen;
	struct MHD_Response *r =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256, stream_read, s, free);
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
	(void)version, (void)upload, (void)upload_size, (void)con_cls;
	struct state *st = cls;
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		struct buf b;
		buf_init(&b);
		buf_puts(&b, "kura serve only reads\n");
		return respond(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", &b);
	}
	pthread_mutex_lock(&st->mu);
	char *base = xstrdup(st->base_path);
	char *errors = st->errors ? xstrdup(st->errors) : NULL;
	unsigned gen = st->gen;
	int have = st->have_site;
	pthread_mutex_unlock(&st->mu);
	size_t bl = strlen(base);
	enum MHD_Result r;
	/* "/" and the base path without its final '/' lead to the home page. */
	if (strncmp(url, base, bl) && (!strcmp(url, "/") || (strlen(url) + 1 == bl &&
	                                                       !strncmp(url, base, bl - 1))))
		r = redirect(c, base);
	else if (strncmp(url, base, bl) && strcmp(url, base))
		r = have ? serve_file(c, st, url, "404.html", base, gen, errors)
		         : serve_no_site(c, base, gen, errors);
	else if (!strcmp(url + bl, EVENTS))
		r = serve_events(c, st, gen);
	else if (!have)
		r = serve_no_site(c, base, gen, errors);
	else
		r = serve_file(c, st, url, url + bl, base, gen, errors);
	free(base);
	free(errors);
	return r;
}

/* ---- watching -------------------------------------------------------------------- */

#define WATCH_MASK (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
                    IN_DELETE_SELF)

/* Watches dir and every directory below it (hidden ones left out);
 * adding a watch twice is harmless, so this runs after every change to
 * catch new directories. */
static void watch_tree(int fd, const char *dir)
{
	if (inotify_add_watch(fd, dir, WATCH_MASK) < 0)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = xasprintf("%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
			watch_tree(fd, sub);
		free(sub);
	}
	closedir(d);
}

static void watch_all(int fd, const char *repo)
{
	static const char *const dirs[] = {"content", "themes"};
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		char *p = xasprintf("%s/%s", repo, dirs[i]);
		watch_tree(fd, p);
		free(p);
	}
}

/* Reads and drops every pending event; waits until none came for
 * QUIET_MS (an editor saving writes several files). */
static void drain(int fd)
{
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd p = {fd, POLLIN, 0};
	while (poll(&p, 1, QUIET_MS) > 0)
		if (read(fd, ev, sizeof ev) <= 0)
			break;
}

/* Waits for changes and signals; rebuilds after each change. */
static void loop(struct state *st, const struct serve_opts *o, int ino, int sig)
{
	struct pollfd p[2] = {{ino, POLLIN, 0}, {sig, POLLIN, 0}};
	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents) {
			/* Taken, so that it is not pending when the mask is lifted. */
			struct signalfd_siginfo si;
			if (read(sig, &si, sizeof si) < 0)
				perror("kura: signalfd");
			break;
		}
		if (p[0].revents) {
			drain(ino);
			watch_all(ino, o->repo);
			rebuild(st, o);
		}
	}
}

/* Starts libmicrohttpd on o's address; NULL after saying why. */
static struct MHD_Daemon *listen_on(const struct serve_opts *o, struct state *st, int *port)
{
	const char *bind = o->bind ? o->bind : "127.0.0.1";
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	memset(&a4, 0, sizeof a4);
	memset(&a6, 0, sizeof a6);
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
	if (inet_pton(AF_INET, bind, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)o->port);
		sa = (const struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, bind, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)o->port);
		sa = (const struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, i18n_tr("kura: --bind needs an IP address such as 127.0.0.1, not \"%s\"\n"), bind);
		return NULL;
	}
	struct MHD_Daemon *dm = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, st,
	                                         MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_END);
	if (!dm) {
		fprintf(stderr, i18n_tr("kura: cannot listen on %s port %d (in use? try --port 8001)\n"), bind,
		        o->port);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(dm, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : o->port;
	return dm;
}

int serve_run(const struct serve_opts *o)
{
	struct state st = {.mu = PTHREAD_MUTEX_INITIALIZER, .built = PTHREAD_COND_INITIALIZER};
	pthread_rwlock_init(&st.site, NULL);
	st.base_path = xstrdup("/");
	int rc = -1, ino = -1, sig = -1, port = 0;
	struct MHD_Daemon *dm = NULL;
	/* The signals are read from a descriptor by this thread; blocked
	 * before any thread starts, so libmicrohttpd's inherit the mask. */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	const char *tmp = getenv("TMPDIR");
	snprintf(st.dir, sizeof st.dir, "%s/kura-serve-XXXXXX",
	         tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(st.dir)) {
		fprintf(stderr, i18n_tr("kura: cannot make a directory for the preview: %s\n"), strerror(errno));
		st.dir[0] = '\0';
		goto done;
	}
	ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	sig = signalfd(-1, &mask, SFD_CLOEXEC);
	if (ino < 0 || sig < 0) {
		fprintf(stderr, i18n_tr("kura: cannot watch files: %s\n"), strerror(errno));
		goto done;
	}
	watch_all(ino, o->repo);
	rebuild(&st, o);
	if (!(dm = listen_on(o, &st, &port)))
		goto done;
	pthread_mutex_lock(&st.mu);
	const char *host = strchr(o->bind ? o->bind : "", ':') ? "[%s]" : "%s";
	char h[80];
	snprintf(h, sizeof h, host, o->bind ? o->bind : "127.0.0.1");
	printf(i18n_tr("kura: serving http://%s:%d%s (Ctrl+C to stop)\n"), h, port, st.base_path);
	pthread_mutex_unlock(&st.mu);
	fflush(stdout);
	loop(&st, o, ino, sig);
	rc = 0;
done:
	pthread_mutex_lock(&st.mu);
	st.stopping = 1;
	pthread_cond_broadcast(&st.built);
	pthread_mutex_unlock(&st.mu);
	if (dm)
		MHD_stop_daemon(dm);
	if (ino >= 0)
		close(ino);
	if (sig >= 0)
		close(sig);
	if (st.dir[0])
		write_remove(st.dir);
	free(st.base_path);
	free(st.errors);
	pthread_rwlock_destroy(&st.site);
	pthread_sigmask(SIG_UNBLOCK, &mask, NULL);
	return rc;
}
