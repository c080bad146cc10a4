/* test_write.c — the staging directory, atomic files and the swap
 * (src/write.c).
 *
 * Everything happens in a directory "work" inside a fresh mkdtemp
 * directory (so that whatever the checks look for around it, such as
 * "../x", is the test's own too); the test chdirs into it, so relative
 * --out values behave as on the command line. Trees are
 * compared through a snapshot: every entry's path, type and content (or
 * link target), in sorted order, as one string.
 *
 * Every scenario runs with 1, 2 and 4 jobs (write_set_jobs), each round in
 * a directory of its own: what the writer does must not depend on the
 * count, except that an I/O error in a worker is reported at the commit.
 *
 * Kept fast, since creating a file costs a quarter to half a millisecond
 * of kernel time on the project's ext4 disk:
 * - the directory is made in a RAM file system (/dev/shm) when there is
 *   one, else in /tmp (KURA_TEST_TMPDIR chooses). This test checks the
 *   writer's logic, the same on any file system with renameat2 (tmpfs and
 *   ext4 both have it); kura writing to a real disk is tests/e2e/sites.sh;
 * - the queue's byte bound is lowered to QB (write_test_queue_bytes), so
 *   that kilobytes fill it as megabytes would;
 * - "many files" means several hundred: still many times the queue's 64
 *   jobs, and several growths of the path set. */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "harness.h"
#include "util.h"
#include "write.h"

/* The queue's byte bound in these tests, instead of 32 MiB. */
#define QB ((size_t)32 << 10)
/* How many files "many" is (see above). */
#define MANY 600

static char *top; /* the directory the tests run in, absolute: "work" inside
                     a mkdtemp directory, so that "../x" is ours too */
static int jobs;  /* the job count of this round */

/* write_begin then write_set_jobs(jobs), as main.c does. */
static int begin_repo(struct writer **out, const char *outdir, const char *repo,
                      struct diags *d)
{
	int rc = write_begin(out, outdir, repo, d);
	if (rc == 0)
		write_set_jobs(*out, jobs);
	return rc;
}

static int begin(struct writer **out, const char *outdir, struct diags *d)
{
	return begin_repo(out, outdir, NULL, d);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* The content of path, or "(missing)"; the caller frees it. */
static char *slurp(const char *path)
{
	char *s = NULL;
	size_t n;
	if (file_read(path, &s, &n) != 0)
		return xstrdup("(missing)");
	return s;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void snap(struct buf *b, const char *path, const char *rel)
{
	DIR *dir = opendir(path);
	if (!dir)
		return;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		VEC_PUSH(names, n, cap, xstrdup(e->d_name));
	}
	closedir(dir);
	qsort(names, n, sizeof *names, cmp_name);
	for (size_t i = 0; i < n; i++) {
		char *full = xasprintf("%s/%s", path, names[i]);
		char *r = xasprintf("%s%s%s", rel, *rel ? "/" : "", names[i]);
		struct stat st;
		lstat(full, &st);
		if (S_ISDIR(st.st_mode)) {
			buf_printf(b, "d %s\n", r);
			snap(b, full, r);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t k = readlink(full, target, sizeof target - 1);
			target[k < 0 ? 0 : k] = '\0';
			buf_printf(b, "l %s -> %s\n", r, target);
		} else {
			char *c = slurp(full);
			buf_printf(b, "f %s [%s]\n", r, c);
			free(c);
		}
		free(full);
		free(r);
		free(names[i]);
	}
	free(names);
}

/* A snapshot of the tree at path (entries, types, contents). */
static char *snapshot(const char *path)
{
	struct buf b;
	buf_init(&b);
	snap(&b, path, "");
	return buf_detach(&b);
}

/* Removes a tree made by a test (rm -rf, through the shell: the code
 * under test must not be used to clean up after itself). */
static void rm_rf(const char *path)
{
	char *cmd = xasprintf("rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", path);
	free(cmd);
}

/* 1 when the only entries of the test directory are those named
 * (NULL-terminated): no staging or old tree was left behind. */
static int only(const char *first, ...);

static int only_list(const char *const *want, size_t nwant)
{
	DIR *dir = opendir(".");
	struct dirent *e;
	int ok = 1;
	size_t seen = 0;
	while ((e = readdir(dir)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		int found = 0;
		for (size_t i = 0; i < nwant; i++)
			found |= !strcmp(e->d_name, want[i]);
		if (!found) {
			fprintf(stderr, "  unexpected entry: %s\n", e->d_name);
			ok = 0;
		}
		seen++;
	}
	closedir(dir);
	return ok && seen == nwant;
}

static int only(const char *first, ...)
{
	const char *want[16];
	size_t n = 0;
	va_list ap;
	va_start(ap, first);
	for (const char *s = first; s && n < 16; s = va_arg(ap, const char *))
		want[n++] = s;
	va_end(ap);
	return only_list(want, n);
}

/* The last diagnostic's message and hint ("" when none). */
static const char *last_msg(const struct diags *d)
{
	return d->n ? d->v[d->n - 1].msg : "";
}

static const char *last_hint(const struct diags *d)
{
	return d->n && d->v[d->n - 1].hint ? d->v[d->n - 1].hint : "";
}

static int wf(struct writer *w, const char *path, const char *text, struct diags *d)
{
	return write_file(w, path, text, strlen(text), d);
}

static void check_file(const char *path, const char *want)
{
	char *got = slurp(path);
	CHECK_STR(got, want);
	free(got);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_fresh_build(void)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	CHECK_INT(begin(&w, "site", &d), 0);
	CHECK(w != NULL);
	char *staging = xasprintf("site.kura-new-%ld", (long)getpid());
	CHECK(exists(staging));
	CHECK(!exists("site")); /* nothing visible before the commit */
	CHECK_INT(wf(w, "index.html", "<h1>home</h1>", &d), 0);
	CHECK_INT(wf(w, "sessions/s1/index.html", "s1", &d), 0);
	CHECK_INT(wf(w, "sessions/s2/index.html", "s2", &d), 0);
	CHECK_INT(wf(w, "sessions/index.html", "list", &d), 0);
	CHECK_INT(wf(w, "assets/css/site.css", "body{}", &d), 0);
	CHECK_INT(wf(w, "empty.txt", "", &d), 0);
	CHECK_INT(write_count(w), 6);
	CHECK_INT(write_bytes(w), 13 + 2 + 2 + 4 + 6 + 0);
	CHECK_INT(write_commit(w, &d), 0);
	CHECK_INT(d.n, 0);
	check_file("site/index.html", "<h1>home</h1>");
	check_file("site/sessions/s1/index.html", "s1");
	check_file("site/assets/css/site.css", "body{}");
	check_file("site/empty.txt", "");
	check_file("site/.kura-manifest", "# kura site manifest v1\n"
	                                  "assets/css/site.css\n"
	                                  "empty.txt\n"
	                                  "index.html\n"
	                                  "sessions/index.html\n"
	                                  "sessions/s1/index.html\n"
	                                  "sessions/s2/index.html\n");
	CHECK(!exists(staging));
	CHECK(only("site", NULL));
	/* No temporary file left in any directory. */
	char *s = snapshot("site");
	CHECK(strstr(s, ".kura-tmp") == NULL);
	free(s);
	/* Modes: 0644 and 0755 under the umask 022 set in main. */
	struct stat st;
	CHECK(stat("site/index.html", &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(stat("site/sessions/s1", &st) == 0 && (st.st_mode & 0777) == 0755);
	free(staging);
	diags_free(&d);
}

/* Rebuilds over the site of test_fresh_build. */
static void test_rebuild(int no_exchange)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	write_test_no_exchange(no_exchange);
	CHECK_INT(begin(&w, "site", &d), 0);
	CHECK_INT(wf(w, "index.html", no_exchange ? "v3" : "v2", &d), 0);
	CHECK_INT(wf(w, "sessions/s1/index.html", "s1 again", &d), 0);
	CHECK_INT(wf(w, "projects/p/index.html", "p", &d), 0);
	/* Until the commit the old site is what is visible. */
	check_file("site/sessions/s2/index.html", no_exchange ? "(missing)" : "s2");
	CHECK_INT(write_commit(w, &d), 0);
	CHECK_INT(d.n, 0);
	check_file("site/index.html", no_exchange ? "v3" : "v2");
	check_file("site/sessions/s1/index.html", "s1 again");
	check_file("site/projects/p/index.html", "p");
	CHECK(!exists("site/sessions/s2")); /* no longer written: gone */
	CHECK(!exists("site/assets"));
	CHECK(!exists("site/empty.txt"));
	check_file("site/.kura-manifest", "# kura site manifest v1\n"
	                                  "index.html\n"
	                                  "projects/p/index.html\n"
	                                  "sessions/s1/index.html\n");
	CHECK(only("site", NULL)); /* neither staging nor old tree left */
	write_test_no_exchange(0);
	diags_free(&d);
}

/* Refuses outdir; the error mentions each of the strings want, and the
 * tree at check (if not NULL) is byte for byte as it was. */
static void refused(const char *outdir, const char *check, const char *want_msg)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = (struct writer *)&d; /* must be reset to NULL */
	char *before = check ? snapshot(check) : NULL;
	CHECK_INT(begin(&w, outdir, &d), -1);
	CHECK(w == NULL);
	CHECK_INT(d.errors, 1);
	if (!strstr(last_msg(&d), want_msg)) {
		harness_record(0);
		fprintf(stderr, "  --out %s: message \"%s\" lacks \"%s\"\n", outdir, last_msg(&d),
		        want_msg);
	} else {
		harness_record(1);
	}
	if (check) {
		char *after = snapshot(check);
		CHECK_STR(after, before);
		free(after);
	}
	/* No staging directory was made next to it. */
	char *staging = xasprintf("%s.kura-new-%ld", outdir, (long)getpid());
	CHECK(!exists(staging));
	free(staging);
	free(before);
	diags_free(&d);
}

static void test_refuse_foreign(void)
{
	/* A directory kura wrote, plus a file of someone else's. */
	mkdir("mixed", 0755);
	mkdir("mixed/a", 0755);
	put("mixed/.kura-manifest", "# kura site manifest v1\na/x.html\nindex.html\n");
	put("mixed/index.html", "home");
	put("mixed/a/x.html", "x");
	put("mixed/notes.txt", "my notes");
	{
		struct diags d;
		diags_init(&d);
		struct writer *w = NULL;
		char *before = snapshot("mixed");
		CHECK_INT(begin(&w, "mixed", &d), -1);
		CHECK_STR(last_msg(&d), "--out mixed: refusing to replace mixed: it holds notes.txt, "
		                        "which kura did not write");
		CHECK_STR(last_hint(&d), "kura only replaces directories it wrote itself; choose "
		                         "another --out or empty it");
		char *after = snapshot("mixed");
		CHECK_STR(after, before);
		CHECK(strstr(after, "f notes.txt [my notes]") != NULL);
		free(before);
		free(after);
		diags_free(&d);
	}
	/* Without the stray file the same directory is kura's. */
	unlink("mixed/notes.txt");
	{
		struct diags d;
		diags_init(&d);
		struct writer *w = NULL;
		CHECK_INT(begin(&w, "mixed", &d), 0);
		write_abort(w);
		CHECK_INT(d.n, 0);
		diags_free(&d);
	}
	/* A file inside a directory kura made. */
	put("mixed/a/mine.txt", "mine");
	refused("mixed", "mixed", "it holds a/mine.txt, which kura did not write");
	unlink("mixed/a/mine.txt");
	/* A directory of someone else's, and the count of the rest. */
	mkdir("mixed/photos", 0755);
	put("mixed/photos/p.jpg", "jpg");
	put("mixed/zz.txt", "zz");
	refused("mixed", "mixed", "it holds photos/ (and 1 more), which kura did not write");
	rm_rf("mixed/photos");
	unlink("mixed/zz.txt");
	/* A symbolic link, even with a listed name. */
	unlink("mixed/index.html");
	if (symlink("/etc/passwd", "mixed/index.html") == 0)
		refused("mixed", "mixed", "it holds index.html, which kura did not write");
	unlink("mixed/index.html");
	put("mixed/index.html", "home");
	/* A manifest that is not kura's. */
	put("mixed/.kura-manifest", "a/x.html\nindex.html\n");
	refused("mixed", "mixed", "its .kura-manifest is not one kura wrote");
	rm_rf("mixed");

	/* No manifest at all. */
	mkdir("docs", 0755);
	put("docs/notes.txt", "keep me");
	refused("docs", "docs",
	        "--out docs: refusing to replace docs: it holds notes.txt, which kura did not "
	        "write, and no .kura-manifest");
	check_file("docs/notes.txt", "keep me");
	/* Trailing slashes name the same directory. */
	refused("docs/", "docs", "it holds notes.txt");
	rm_rf("docs");

	/* A file, and a symbolic link to a directory kura wrote. */
	put("afile", "data");
	refused("afile", NULL, "it is a file");
	check_file("afile", "data");
	unlink("afile");
	CHECK(symlink("site", "link") == 0);
	char *before = snapshot("site");
	refused("link", NULL, "it is a symbolic link");
	char *after = snapshot("site");
	CHECK_STR(after, before);
	CHECK(exists("link"));
	free(before);
	free(after);
	unlink("link");
}

static void test_refuse_places(void)
{
	refused(".", NULL, "refusing to write the site into the current directory");
	refused("./", NULL, "refusing to write the site into the current directory");
	refused("..", NULL, "refusing to write the site into a parent directory");
	refused("site/..", NULL, "a parent directory");
	refused("/", NULL, "it is the root directory");
	refused("//", NULL, "it is the root directory");
	refused(top, NULL, "it is the current directory");
	char *parent = xstrdup(top);
	*strrchr(parent, '/') = '\0';
	refused(parent, NULL, "it contains the current directory");
	free(parent);
	{
		struct diags d;
		diags_init(&d);
		struct writer *w = NULL;
		CHECK_INT(begin(&w, "", &d), -1);
		CHECK(w == NULL);
		CHECK_INT(d.errors, 1);
		diags_free(&d);
	}
	/* The repository, and a directory holding it, even when empty
	 * otherwise (checked before anything else about them). */
	mkdir("outer", 0755);
	mkdir("outer/repo", 0755);
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	CHECK_INT(begin_repo(&w, "outer", "outer/repo", &d), -1);
	CHECK(strstr(last_msg(&d), "it contains the repository") != NULL);
	CHECK_INT(begin_repo(&w, "outer/repo", "outer/repo", &d), -1);
	CHECK(strstr(last_msg(&d), "it is the repository") != NULL);
	/* Any other empty directory next to it is fine. */
	mkdir("outer/site", 0755);
	CHECK_INT(begin_repo(&w, "outer/site", "outer/repo", &d), 0);
	write_abort(w);
	CHECK_INT(d.errors, 2);
	CHECK(exists("outer/site") && exists("outer/repo"));
	rm_rf("outer");
	/* A missing parent directory is an error, not created. */
	CHECK_INT(begin(&w, "no/such/site", &d), -1);
	CHECK(strstr(last_msg(&d), "cannot create the staging directory") != NULL);
	CHECK(!exists("no"));
	diags_free(&d);
}

static void test_bad_paths(void)
{
	static const char *const bad[] = {
	    "../x", "/etc/x", "a//b", "a/./b", "a\\b", "", ".", "..", "a/..", "a/", "./a",
	    "a\nb", "a\tb", ".kura-manifest", "a/.kura-tmp", "x/.kura-anything",
	};
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	char *before = snapshot("site");
	CHECK_INT(begin(&w, "site", &d), 0);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		size_t errs = (size_t)d.errors;
		int rc = wf(w, bad[i], "evil", &d);
		if (rc != -1 || (size_t)d.errors != errs + 1 ||
		    !strstr(last_msg(&d), "refusing to write \"")) {
			harness_record(0);
			fprintf(stderr, "  path \"%s\" not refused as it should be: %s\n", bad[i],
			        last_msg(&d));
		} else {
			harness_record(1);
		}
	}
	/* The path is in the message, with control bytes made visible. */
	CHECK_INT(wf(w, "../../etc/passwd", "x", &d), -1);
	CHECK_STR(last_msg(&d), "refusing to write \"../../etc/passwd\" into the site: the path "
	                        "has a \".\" or \"..\" segment");
	CHECK_INT(wf(w, "a\nb", "x", &d), -1);
	CHECK(strstr(last_msg(&d), "\"a\\x0ab\"") != NULL);
	CHECK_INT(write_file(w, NULL, "x", 1, &d), -1);
	/* Lengths: a 255-byte segment is fine, 256 is not; 4095 bytes in
	 * all is fine, 4096 (PATH_MAX with no room for the NUL) is not. */
	char seg[300];
	memset(seg, 's', 256);
	seg[256] = '\0';
	CHECK_INT(wf(w, seg, "x", &d), -1);
	CHECK(strstr(last_msg(&d), "longer than 255") != NULL);
	seg[255] = '\0';
	CHECK_INT(wf(w, seg, "long name", &d), 0);
	struct buf p;
	buf_init(&p);
	while (p.len + 200 < 4096)
		buf_printf(&p, "%0199d/", (int)p.len);
	while (p.len < 4095)
		buf_putc(&p, 'f'); /* exactly 4095 bytes, last segment < 255 */
	CHECK_INT(p.len, 4095);
	CHECK_INT(wf(w, p.data, "deep", &d), 0);
	buf_putc(&p, 'f');
	CHECK_INT(wf(w, p.data, "too deep", &d), -1);
	CHECK(strstr(last_msg(&d), "4096 bytes or longer") != NULL);
	buf_free(&p);
	/* Nothing escaped: no file was written outside the staging dir. */
	CHECK(!exists("x") && !exists("a") && !exists("../x"));
	CHECK_INT(write_count(w), 2);
	/* A build with failed writes does not replace the site. */
	CHECK_INT(write_commit(w, &d), -1);
	CHECK(strstr(last_msg(&d), "the site was not replaced") != NULL);
	char *after = snapshot("site");
	CHECK_STR(after, before);
	free(before);
	free(after);
	CHECK(only("site", NULL));
	diags_free(&d);
}

static void test_duplicate_and_conflict(void)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	CHECK_INT(begin(&w, "site", &d), 0);
	CHECK_INT(wf(w, "a/index.html", "first", &d), 0);
	CHECK_INT(wf(w, "a/index.html", "second", &d), -1);
	CHECK_STR(last_msg(&d), "refusing to write \"a/index.html\" twice: two pages have the "
	                        "same path");
	/* A file where a directory is needed, and the other way round. */
	CHECK_INT(wf(w, "a/index.html/x", "x", &d), -1);
	CHECK(strstr(last_msg(&d), "cannot write \"a/index.html/x\"") != NULL);
	CHECK_INT(wf(w, "a", "x", &d), -1);
	CHECK(strstr(last_msg(&d), "cannot write \"a\"") != NULL);
	CHECK_INT(write_count(w), 1);
	/* Many files: the set grows, each one is still found. */
	char path[64];
	int ok = 1;
	for (int i = 0; i < MANY; i++) {
		snprintf(path, sizeof path, "many/%d/%d.html", i / 20, i);
		ok &= wf(w, path, "m", &d) == 0;
	}
	CHECK(ok);
	ok = 1;
	for (int i = 0; i < MANY; i += 7) {
		snprintf(path, sizeof path, "many/%d/%d.html", i / 20, i);
		ok &= wf(w, path, "again", &d) == -1;
	}
	CHECK(ok);
	CHECK_INT(write_count(w), MANY + 1);
	write_abort(w);
	CHECK(only("site", NULL));
	diags_free(&d);
}

static void test_abort(void)
{
	char *before = snapshot("site");
	CHECK(strstr(before, "f index.html [v2]") != NULL);
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	CHECK_INT(begin(&w, "site", &d), 0);
	CHECK_INT(wf(w, "index.html", "never seen", &d), 0);
	CHECK_INT(wf(w, "deep/er/file.html", "never seen", &d), 0);
	CHECK_INT(write_count(w), 2); /* waits for the workers: deep/ exists */
	/* A symbolic link in the staging tree (kura never makes one; a
	 * hostile one must not make the removal leave the tree). */
	mkdir("outside", 0755);
	put("outside/precious", "keep");
	char *link = xasprintf("site.kura-new-%ld/deep/escape", (long)getpid());
	CHECK(symlink("../../outside", link) == 0);
	free(link);
	write_abort(w);
	char *after = snapshot("site");
	CHECK_STR(after, before);
	check_file("outside/precious", "keep");
	rm_rf("outside");
	CHECK(only("site", NULL));
	write_abort(NULL); /* safe */
	free(before);
	free(after);
	diags_free(&d);
}

static void test_empty_and_stale(void)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	mkdir("empty", 0755);
	/* Left by a crashed build with another pid: left alone. With our
	 * own pid (reused): stepped around, also left alone. */
	mkdir("empty.kura-new-999999999", 0755);
	put("empty.kura-new-999999999/junk", "old");
	char *mine = xasprintf("empty.kura-new-%ld", (long)getpid());
	mkdir(mine, 0755);
	char *minejunk = xasprintf("%s/junk", mine);
	put(minejunk, "mine");
	CHECK_INT(begin(&w, "empty", &d), 0);
	CHECK_INT(wf(w, "index.html", "hello", &d), 0);
	CHECK_INT(write_commit(w, &d), 0);
	CHECK_INT(d.n, 0);
	check_file("empty/index.html", "hello");
	check_file("empty/.kura-manifest", "# kura site manifest v1\nindex.html\n");
	check_file("empty.kura-new-999999999/junk", "old");
	check_file(minejunk, "mine");
	free(minejunk);
	CHECK(only("site", "empty", "empty.kura-new-999999999", mine, NULL));
	rm_rf("empty.kura-new-999999999");
	rm_rf(mine);
	rm_rf("empty");
	free(mine);

	/* A build with no file at all still leaves a manifest, so it can be
	 * replaced later. */
	CHECK_INT(begin(&w, "nothing", &d), 0);
	CHECK_INT(write_commit(w, &d), 0);
	check_file("nothing/.kura-manifest", "# kura site manifest v1\n");
	CHECK_INT(begin(&w, "nothing", &d), 0);
	write_abort(w);
	rm_rf("nothing");

	/* Output under a subdirectory that exists. */
	mkdir("public", 0755);
	CHECK_INT(begin(&w, "public/site/", &d), 0);
	CHECK_INT(wf(w, "a.txt", "a", &d), 0);
	CHECK_INT(write_commit(w, &d), 0);
	check_file("public/site/a.txt", "a");
	rm_rf("public");
	CHECK_INT(d.n, 0);
	diags_free(&d);
}

/* The target changed during the build: checked again at commit. */
static void test_commit_recheck(void)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	CHECK_INT(begin(&w, "late", &d), 0);
	CHECK_INT(wf(w, "index.html", "new", &d), 0);
	mkdir("late", 0755);
	put("late/diary.txt", "dear diary");
	CHECK_INT(write_commit(w, &d), -1);
	CHECK(strstr(last_msg(&d), "it holds diary.txt, which kura did not write") != NULL);
	check_file("late/diary.txt", "dear diary");
	CHECK(only("site", "late", NULL));
	rm_rf("late");
	diags_free(&d);
}

/* A worker's I/O error: a file put into the staging directory behind the
 * writer's back where later paths need a directory, so making it fails.
 * The commit refuses, reports each failed path (sorted, the same messages
 * for every job count) and leaves the previous site as it was. */
static void test_worker_error(void)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	char *before = snapshot("site");
	CHECK_INT(begin(&w, "site", &d), 0);
	char *staging = xasprintf("site.kura-new-%ld", (long)getpid());
	char *blocker = xasprintf("%s/blocked", staging);
	put(blocker, "not a directory");
	CHECK_INT(wf(w, "ok.html", "ok", &d), 0);
	/* With workers these are queued (0); without, they fail here. */
	CHECK_INT(wf(w, "blocked/y/z.html", "z", &d), jobs > 1 ? 0 : -1);
	CHECK_INT(wf(w, "blocked/x.html", "x", &d), jobs > 1 ? 0 : -1);
	CHECK_INT(wf(w, "fine/a.html", "a", &d), 0);
	CHECK_INT(d.errors, jobs > 1 ? 0 : 2);
	CHECK_INT(write_count(w), 2);
	CHECK_INT(write_bytes(w), 3);
	CHECK_INT(write_commit(w, &d), -1);
	CHECK_INT(d.n, 3);
	if (d.n == 3) {
		char *want;
		/* Without workers in the order written, with workers sorted:
		 * the test writes y/z first so that the two differ. */
		size_t x = jobs > 1 ? 0 : 1, z = jobs > 1 ? 1 : 0;
		want = xasprintf("cannot write \"blocked/x.html\" into %s: Not a directory", staging);
		CHECK_STR(d.v[x].msg, want);
		free(want);
		want = xasprintf("cannot write \"blocked/y/z.html\" into %s: Not a directory", staging);
		CHECK_STR(d.v[z].msg, want);
		free(want);
		CHECK_STR(d.v[2].msg, "--out site: the site was not replaced: 2 files could not be "
		                      "written");
	}
	char *after = snapshot("site");
	CHECK_STR(after, before);
	CHECK(only("site", NULL));
	free(before);
	free(after);
	free(blocker);
	free(staging);
	diags_free(&d);
}

/* write_abort in the middle of a build, the queue full (by count, then
 * by bytes) and a worker error pending: the workers are joined, nothing
 * is left behind (valgrind: no leak, no thread). */
static void test_abort_busy(void)
{
	char *before = snapshot("site");
	size_t big = QB / 32 * 3; /* 3 KiB: 10 fit in QB, 11 do not */
	char *data = xmalloc(big);
	memset(data, 'b', big);
	for (int round = 0; round < 2; round++) {
		struct diags d;
		diags_init(&d);
		struct writer *w = NULL;
		CHECK_INT(begin(&w, "site", &d), 0);
		char *blocker = xasprintf("site.kura-new-%ld/blocked", (long)getpid());
		put(blocker, "x");
		free(blocker);
		CHECK_INT(write_file(w, "blocked/x.html", "x", 1, &d), jobs > 1 ? 0 : -1);
		char path[64];
		int ok = 1;
		for (int i = 0; i < (round ? 30 : 300); i++) {
			snprintf(path, sizeof path, "p/%d/%d.html", i % 17, i);
			ok &= write_file(w, path, data, round ? big : 100, &d) == 0;
		}
		CHECK(ok);
		/* The queue never holds more than its bound: 64 files, or
		 * 32 MiB. (How full it gets depends on the machine's speed, so
		 * only the bound is asserted: a test must not depend on
		 * timing; under ThreadSanitizer the writer is much slower.) */
		size_t pj, pb;
		write_test_queue_peak(w, &pj, &pb);
		if (jobs > 1 && round == 0)
			CHECK(pj >= 1 && pj <= 64);
		if (jobs > 1 && round == 1)
			CHECK(pj >= 1 && pj <= 11 && pb <= QB); /* 1 B + 10 x 3 KiB */
		write_abort(w);
		char *after = snapshot("site");
		CHECK_STR(after, before);
		free(after);
		CHECK(only("site", NULL));
		diags_free(&d);
	}
	free(data);
	free(before);
}

/* A path conflicting with one written before write_set_jobs. */
static void test_jobs_late(void)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	CHECK_INT(write_begin(&w, "late2", NULL, &d), 0);
	CHECK_INT(wf(w, "a/b.html", "b", &d), 0);
	write_set_jobs(w, jobs);
	write_set_jobs(w, 3); /* ignored */
	CHECK_INT(wf(w, "a", "x", &d), -1);
	CHECK(strstr(last_msg(&d), "cannot write \"a\" into ") != NULL);
	CHECK(strstr(last_msg(&d), ": Is a directory") != NULL);
	CHECK_INT(wf(w, "a/b.html/c", "x", &d), -1);
	CHECK(strstr(last_msg(&d), ": Not a directory") != NULL);
	CHECK_INT(wf(w, "a/c.html", "c", &d), 0);
	CHECK_INT(write_count(w), 2);
	write_abort(w);
	CHECK(!exists("late2"));
	diags_free(&d);
}

/* Builds `count` files into outdir with `n` jobs: pages in several
 * directories (sessions/<slug>/index.html, deeper and top-level ones) of
 * various sizes, from one buffer overwritten after each call. variant
 * changes which paths and contents. Returns write_count. */
static size_t build_many(const char *outdir, int n, int count, int variant, size_t *out_bytes)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	size_t files = 0;
	CHECK_INT(write_begin(&w, outdir, NULL, &d), 0);
	write_set_jobs(w, n);
	struct buf b;
	buf_init(&b);
	char path[128];
	int ok = 1;
	for (int i = 0; i < count; i++) {
		int k = i * 7 + variant;
		switch (k % 5) {
		case 0:
			snprintf(path, sizeof path, "sessions/s%d/index.html", k);
			break;
		case 1:
			snprintf(path, sizeof path, "projects/p%d/index.html", k);
			break;
		case 2:
			snprintf(path, sizeof path, "themes/t%d/page/%d/index.html", k % 13, k);
			break;
		case 3:
			snprintf(path, sizeof path, "archive/%d/%02d/%d.html", 2000 + k % 20, k % 12, k);
			break;
		default:
			snprintf(path, sizeof path, "f%d.txt", k);
			break;
		}
		buf_reset(&b);
		buf_printf(&b, "<p>%s v%d</p>\n", path, variant);
		for (int r = 0; r < (k * 37) % 400; r++)
			buf_puts(&b, "text text ");
		ok &= write_file(w, path, b.data, b.len, &d) == 0;
		memset(b.data, '#', b.len); /* the writer must have copied it */
	}
	CHECK(ok);
	files = write_count(w);
	*out_bytes = write_bytes(w);
	size_t pj, pb;
	write_test_queue_peak(w, &pj, &pb);
	if (n > 1)
		CHECK(pj >= 1 && pj <= 64 && pb <= QB);
	else
		CHECK(pj == 0 && pb == 0);
	CHECK_INT(write_commit(w, &d), 0);
	CHECK_INT(d.n, 0);
	buf_free(&b);
	diags_free(&d);
	return files;
}

/* MANY files with 4 jobs (and 2) give the same tree and manifest as with
 * 1, and so does a rebuild over it (the old tree removed on the
 * workers). */
static void test_same_tree(void)
{
	static const int counts[] = {1, 2, 4};
	char *snaps[3];
	for (int i = 0; i < 3; i++) {
		char out[16];
		size_t bytes, bytes2;
		snprintf(out, sizeof out, "many%d", counts[i]);
		CHECK_INT(build_many(out, counts[i], MANY, 0, &bytes), MANY);
		char *first = snapshot(out);
		CHECK(strstr(first, "f sessions/s0/index.html [<p>sessions/s0/index.html v0</p>") != NULL);
		CHECK(strstr(first, "f .kura-manifest [# kura site manifest v1\narchive/") != NULL);
		if (i == 0) {
			snaps[0] = first;
		} else {
			CHECK(!strcmp(first, snaps[0]));
			free(first);
		}
		/* The rebuild: other paths and contents. */
		CHECK_INT(build_many(out, counts[i], MANY * 5 / 6, 3, &bytes2), MANY * 5 / 6);
		CHECK(bytes2 > 0 && bytes > bytes2);
		char *second = snapshot(out);
		CHECK(strstr(second, "v0</p>") == NULL);
		CHECK(strstr(second, ".kura-tmp") == NULL);
		if (i == 0) {
			snaps[1] = second;
			snaps[2] = xasprintf("%zu %zu", bytes, bytes2);
		} else {
			CHECK(!strcmp(second, snaps[1]));
			char *b = xasprintf("%zu %zu", bytes, bytes2);
			CHECK_STR(b, snaps[2]);
			free(b);
			free(second);
		}
		rm_rf(out);
	}
	for (int i = 0; i < 3; i++)
		free(snaps[i]);
	CHECK(only("site", NULL));
}

/* Files larger than the queue's byte bound are queued alone, and several
 * large ones never exceed it together. */
static void test_large_files(void)
{
	struct diags d;
	diags_init(&d);
	struct writer *w = NULL;
	size_t big = QB / 32 * 40, mid = QB / 32 * 12; /* 40 and 12 KiB */
	char *data = xmalloc(big);
	memset(data, 'L', big);
	CHECK_INT(write_begin(&w, "large", NULL, &d), 0);
	write_set_jobs(w, 2);
	CHECK_INT(write_file(w, "big.bin", data, big, &d), 0);
	char path[32];
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof path, "mid/%d.bin", i);
		data[0] = (char)('0' + i);
		CHECK_INT(write_file(w, path, data, mid, &d), 0);
	}
	size_t pj, pb;
	CHECK_INT(write_bytes(w), big + 6 * mid);
	write_test_queue_peak(w, &pj, &pb);
	CHECK(pb <= big);
	CHECK(pj >= 1 && pj <= 3); /* 2 × 12 KiB fit in 32 KiB, 3 do not */
	CHECK_INT(write_commit(w, &d), 0);
	struct stat st;
	CHECK(stat("large/big.bin", &st) == 0 && (size_t)st.st_size == big);
	CHECK(stat("large/mid/5.bin", &st) == 0 && (size_t)st.st_size == mid);
	char c = 0;
	FILE *f = fopen("large/mid/3.bin", "rb");
	CHECK(f && fread(&c, 1, 1, f) == 1 && c == '3');
	if (f)
		fclose(f);
	rm_rf("large");
	free(data);
	diags_free(&d);
}

/* Where the test directories go: KURA_TEST_TMPDIR, else /dev/shm when it
 * is a writable directory, else /tmp. See the top of the file. */
static const char *scratch_root(void)
{
	const char *dir = getenv("KURA_TEST_TMPDIR");
	if (dir && *dir)
		return dir;
	struct stat st;
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return "/tmp";
}

int main(void)
{
	static const int counts[] = {1, 2, 4};
	umask(022);
	write_test_queue_bytes(QB);
	for (size_t r = 0; r < sizeof counts / sizeof *counts; r++) {
		char *root = xasprintf("%s/kura-write-XXXXXX", scratch_root());
		jobs = counts[r];
		if (!mkdtemp(root) || chdir(root) != 0 || mkdir("work", 0755) != 0 ||
		    chdir("work") != 0) {
			perror("mkdtemp");
			return 2;
		}
		top = realpath(".", NULL);
		test_fresh_build();
		test_rebuild(0);
		test_abort();
		test_refuse_foreign();
		test_refuse_places();
		test_bad_paths();
		test_duplicate_and_conflict();
		test_rebuild(1);
		test_empty_and_stale();
		test_commit_recheck();
		test_worker_error();
		test_abort_busy();
		test_jobs_late();
		if (r == 0) {
			test_same_tree();
			test_large_files();
		}
		if (chdir("/") == 0)
			rm_rf(root);
		free(root);
		free(top);
	}
	return harness_done("write");
}
