/* fuzz.c — make fuzz: a mutation fuzzer for what volunteers and theme
 * authors write: front matter + Markdown files, site.yaml, templates.
 *
 * Seeds are the files of content/ and tests/fixtures/ (and the default
 * theme's templates). Each round takes one seed, applies a few random
 * mutations (bit flips, bytes and syntax tokens inserted, ranges deleted
 * or duplicated, lines swapped, splices with another seed of the same
 * kind), then
 *
 * 1. in this process, runs the stage that reads that kind of file: the
 *    front matter split, the YAML parser and the Markdown renderer, or the
 *    template compiler and renderer. This program is built with ASan and
 *    UBSan, so a bad access stops it; a sanitizer death callback saves the
 *    input first;
 * 2. puts the file into a small archive (a copy of tests/fixtures/mini) and
 *    runs the whole pipeline on it: build/asan/kura build, with a time
 *    limit. Exit 0 (built) and 1 (refused, with diagnostics) are fine; a
 *    signal, a hang, a sanitizer's exit code or a sanitizer report on
 *    stderr is a crash. A kura run costs some 200 ms (ASan at -O0, every
 *    arena object a malloc), a thousand times an in-process round, so one
 *    runs at a time beside the in-process rounds, on another core, each
 *    taking the input of the round that finds no run going.
 *
 * A crashing input is saved under build/fuzz/crashes/<kind>-<seed>-<round>/:
 * the
 * mutated file (input, and its place in the archive in path), the whole
 * archive (archive/, to rebuild with build/asan/kura build --repo), and
 * kura's stderr. Inputs that kura built join the corpus, so that later
 * rounds start from them. The exit status is 1 when anything crashed.
 *
 * Environment: FUZZ_SECONDS (default 60), FUZZ_SEED (the random seed,
 * printed so that a run can be repeated), FUZZ_TIMEOUT (seconds per kura
 * run, default 10), FUZZ_KURA (default build/asan/kura), KURA_TEST_TMPDIR
 * (where the scratch archive goes; default /dev/shm, else /tmp). Run from
 * the repository root.
 */
#define _XOPEN_SOURCE 700 /* nftw */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

#include "arena.h"
#include "diag.h"
#include "frontmatter.h"
#include "markdown.h"
#include "tmpl.h"
#include "util.h"
#include "value.h"

#include "support.h"

#define CRASHES "build/fuzz/crashes"
#define BASE "tests/fixtures/mini"
#define MAX_LEN (64 * 1024)
#define MAX_CORPUS 2000

enum kind { K_MD, K_YAML, K_TMPL, NKINDS };
static const char *const kind_name[NKINDS] = {"markdown", "site-yaml", "template"};

struct input {
	enum kind kind;
	char *rel; /* where it goes in the archive, e.g. content/sessions/x.md */
	char *data;
	size_t len;
};

/* The corpus, per kind. */
static struct input *corpus[NKINDS];
static size_t ncorpus[NKINDS], capcorpus[NKINDS];

/* ---- randomness: xorshift64*, seeded from FUZZ_SEED ---- */

static uint64_t rng;

static uint64_t next_rand(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static size_t below(size_t n)
{
	return n ? (size_t)(next_rand() % n) : 0;
}

/* ---- seeds ---- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static void add_input(enum kind k, const char *rel, const char *data, size_t len)
{
	struct input in = {k, xstrdup(rel), xmalloc(len + 1), len};
	memcpy(in.data, data, len);
	in.data[len] = '\0';
	VEC_PUSH(corpus[k], ncorpus[k], capcorpus[k], in);
}

/* Where a seed goes in the archive: its path from "content/" or "themes/"
 * on (the fixtures' files keep their place: a mutation then replaces the
 * original), or for the default theme's templates the override path. */
static const char *archive_path(const char *path)
{
	const char *p = strstr(path, "content/");
	const char *t = strstr(path, "themes/");
	if (t && (!p || t < p))
		return t;
	return p ? p : path;
}

static void add_seed(const char *path)
{
	enum kind k;
	if (ends_with(path, ".md"))
		k = K_MD;
	else if (ends_with(path, "site.yaml"))
		k = K_YAML;
	else if (ends_with(path, ".mustache"))
		k = K_TMPL;
	else
		return;
	char *data;
	size_t len;
	if (file_read(path, &data, &len) != 0) {
		fprintf(stderr, "fuzz: cannot read %s: %s\n", path, strerror(errno));
		return;
	}
	if (len <= MAX_LEN)
		add_input(k, archive_path(path), data, len);
	free(data);
}

static void add_seeds(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			add_seeds(p);
		else if (S_ISREG(st.st_mode))
			add_seed(p);
		free(p);
	}
	closedir(d);
}

/* ---- mutations ---- */

static const char *const tokens[] = {
	/* YAML */
	"---\n", "...\n", ": ", "- ", "[", "]", "{", "}", ", ", "\"", "'", "# ", "&a ", "*a",
	"!!str ", "!!binary ", "? ", "|\n  ", ">-\n  ", "~", "null", "true", "no", "0", "-1",
	"0x1F", "1e400", "99999999999999999999", "2020-02-30", "2021-03-31", "令和元年5月1日",
	"平成31年5月1日", "昭和64年1月8日", "19:00", "25:61", "\"20:00\"", "\\u0000", "\\x00",
	"title: ", "date: ", "start: ", "end: ", "attendance: ", "themes: ", "projects: ",
	"sessions: ", "images: [{src: media/photo.svg, alt: a}]", "draft: true", "series: ",
	"number: ", "venue: ", "status: active", "menu: 1", "base_url: ", "timezone: ",
	"theme: ", "unsafe_html: true", "guests: [", "organizers: ", "partners: ",
	/* Markdown */
	"# ", "```\n", "`", "*", "**", "_", "[x](", ")", "![a](media/photo.svg)", "<script>",
	"|---|\n", "| a | b |\n", "[^1]", "[^1]: note\n", "- [ ] ", "> ", "<!--", "&amp;",
	"javascript:", "\\", "    ", "\n\n", "<https://a.example/>",
	/* Mustache */
	"{{", "}}", "{{{", "}}}", "{{#", "{{^", "{{/", "{{>", "{{<", "{{$", "{{!", "{{&",
	"{{=<% %>=}}", "{{.}}", "{{>*", "{{<*", "title", "site", "sessions", "items", "page",
	"{{#items}}", "{{/items}}", "{{>header}}", "{{>footer}}", "{{>layout}}",
	/* bytes */
	"\t", "\r\n", "\r", "\xef\xbb\xbf", "\xff", "\xc3", "\xe3\x81", "\0", " \n",
};

/* Replaces b[at, at+del) with ins[0..n). */
static void replace(struct buf *b, size_t at, size_t del, const char *ins, size_t n)
{
	struct buf t;
	buf_init(&t);
	buf_put(&t, b->data, at);
	buf_put(&t, ins, n);
	buf_put(&t, b->data + at + del, b->len - at - del);
	buf_free(b);
	*b = t;
}

/* The byte range [*s, *e) of a random line of b. */
static void pick_line(const struct buf *b, size_t *s, size_t *e)
{
	size_t at = below(b->len + 1);
	*s = at;
	while (*s > 0 && b->data[*s - 1] != '\n')
		(*s)--;
	*e = at;
	while (*e < b->len && b->data[*e] != '\n')
		(*e)++;
	if (*e < b->len)
		(*e)++;
}

static void mutate_once(struct buf *b, enum kind k)
{
	size_t at = below(b->len + 1);
	switch (below(10)) {
	case 0: /* flip a bit */
		if (b->len)
			b->data[below(b->len)] ^= (char)(1u << below(8));
		break;
	case 1: { /* a random byte */
		char c = (char)next_rand();
		replace(b, at, at < b->len, &c, 1);
		break;
	}
	case 2:
	case 3: { /* a token, inserted or written over */
		const char *t = tokens[below(sizeof tokens / sizeof *tokens)];
		size_t n = *t ? strlen(t) : 1; /* "\0" is one NUL byte */
		size_t del = below(2) ? below(b->len - at + 1) % 4 : 0;
		replace(b, at, del, t, n);
		break;
	}
	case 4: /* delete a range */
		replace(b, at, below(b->len - at + 1) % 32, "", 0);
		break;
	case 5: { /* duplicate a range */
		size_t n = below(b->len - at + 1) % 64;
		char *copy = xstrndup(b->data + at, n);
		replace(b, below(b->len + 1), 0, copy, n);
		free(copy);
		break;
	}
	case 6: { /* swap a line with the one after some other line */
		size_t s, e;
		pick_line(b, &s, &e);
		char *line = xstrndup(b->data + s, e - s);
		replace(b, s, e - s, "", 0);
		pick_line(b, &s, &e);
		replace(b, e, 0, line, strlen(line));
		free(line);
		break;
	}
	case 7: { /* a line of another input of the same kind */
		const struct input *o = &corpus[k][below(ncorpus[k])];
		struct buf ob = {o->data, o->len, o->len + 1};
		size_t s, e;
		pick_line(&ob, &s, &e);
		size_t ls, le;
		pick_line(b, &ls, &le);
		replace(b, ls, 0, o->data + s, e - s);
		break;
	}
	case 8: { /* splice: our head, another input's tail */
		const struct input *o = &corpus[k][below(ncorpus[k])];
		size_t from = below(o->len + 1);
		replace(b, at, b->len - at, o->data + from, o->len - from);
		break;
	}
	default: /* truncate */
		if (below(4) == 0)
			replace(b, at, b->len - at, "", 0);
		break;
	}
	if (b->len > MAX_LEN)
		replace(b, MAX_LEN, b->len - MAX_LEN, "", 0);
}

/* ---- the in-process stages ---- */

/* What is being tried, for the death callback. */
static struct input current;
static unsigned long round_no;
static uint64_t seed;    /* FUZZ_SEED */
static const char *kura; /* FUZZ_KURA */
static char *work;       /* the scratch directory, removed at the end */
static volatile sig_atomic_t stop; /* SIGINT or SIGTERM: end early */

static int write_all(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int bad = n && fwrite(data, 1, n, f) != n;
	return fclose(f) != 0 || bad ? -1 : 0;
}

static void mkdirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
	free(p);
}

/* Saves in (tried in round rno) into its crash directory,
 * build/fuzz/crashes/<kind>-<FUZZ_SEED>-<round>, and returns its name. */
static char *crash_dir(const struct input *in, unsigned long rno)
{
	char *dir = xasprintf("%s/%s-%llu-%lu", CRASHES, kind_name[in->kind],
	                      (unsigned long long)seed, rno);
	mkdirs(dir);
	char *file = xasprintf("%s/input", dir), *where = xasprintf("%s/path", dir);
	write_all(file, in->data, in->len);
	write_all(where, in->rel, strlen(in->rel));
	free(file);
	free(where);
	return dir;
}

static void rm_rf(const char *path);

/* Called by ASan or UBSan just before they end the process. */
static void on_death(void)
{
	char *dir = crash_dir(&current, round_no);
	fprintf(stderr, "fuzz: crashed in-process (round %lu); input saved in %s\n", round_no, dir);
	free(dir);
	if (work)
		rm_rf(work);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Templates for partials: the corpus's, by file name. */
static int load_partial(void *ctx, const char *name, size_t n, char **src, size_t *len,
                        char **path, struct diags *d)
{
	(void)ctx;
	(void)d;
	for (size_t i = 0; i < ncorpus[K_TMPL]; i++) {
		const struct input *t = &corpus[K_TMPL][i];
		const char *base = strrchr(t->rel, '/');
		base = base ? base + 1 : t->rel;
		if (!strncmp(base, name, n) && !strcmp(base + n, ".mustache")) {
			*src = xstrndup(t->data, t->len);
			*len = t->len;
			*path = xstrdup(t->rel);
			return 0;
		}
	}
	return 1;
}

static struct value *sample_data(struct arena *a)
{
	struct value *m = value_map(a), *items = value_list(a), *site = value_map(a);
	value_set_str(a, m, "title", "T <&> \"x\"");
	value_set_int(a, m, "n", 3);
	value_set_bool(a, m, "flag", 1);
	value_set_str(a, m, "name", "header");
	for (int i = 0; i < 3; i++) {
		struct value *it = value_map(a);
		value_set_int(a, it, "number", i);
		value_set_str(a, it, "title", i ? "b" : "a");
		value_push(a, items, it);
	}
	value_set(a, m, "items", items);
	value_set(a, m, "sessions", items);
	value_set_str(a, site, "title", "S");
	value_set(a, m, "site", site);
	return m;
}

static void run_stage(const struct input *in)
{
	struct arena *a = arena_new();
	struct diags d;
	struct buf html, summary;
	diags_init(&d);
	buf_init(&html);
	buf_init(&summary);
	struct fm_node *root = NULL;
	switch (in->kind) {
	case K_MD: {
		struct span yaml, body;
		int yl, bl;
		if (fm_split(in->data, in->len, in->rel, &yaml, &yl, &body, &bl, &d) == 0) {
			fm_parse_yaml(a, yaml.p, yaml.n, in->rel, yl, &d, &root);
			markdown_render(body.p, body.n, (int)(round_no & 1), &html, &summary, 80);
		}
		break;
	}
	case K_YAML:
		fm_parse_yaml(a, in->data, in->len, in->rel, 1, &d, &root);
		break;
	case K_TMPL: {
		struct tmpl_set *set = tmpl_set_new(load_partial, NULL, round_no & 1 ? TMPL_STRICT : 0);
		tmpl_set_add(set, "fuzz", in->data, in->len, in->rel);
		tmpl_render(set, "fuzz", sample_data(a), &html, &d);
		tmpl_set_free(set);
		break;
	}
	default:
		break;
	}
	buf_free(&summary);
	buf_free(&html);
	diags_free(&d);
	arena_free(a);
}

/* ---- the whole pipeline ---- */

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void rm_rf(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* cp -r, through the shell (only for saving a crash). */
static void copy_tree(const char *from, const char *to)
{
	char *cmd = xasprintf("cp -r '%s' '%s'", from, to);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: cannot copy %s to %s\n", from, to);
	free(cmd);
}

/* One kura run at a time goes on beside the in-process rounds (the
 * machine has two cores or more): its input is in the archive, and the
 * file it replaced is put back when it ends. */
struct job {
	pid_t pid; /* 0: none running */
	struct input in;
	unsigned long rno;
	char *dest; /* the input's file in the archive */
	char *orig; /* what was there, if had */
	size_t origlen;
	int had;
};

/* Puts in (taken over) into the archive and starts kura on it. */
static void start_kura(struct job *j, struct input in, const char *archive, const char *out,
                       const char *errpath, int timeout)
{
	j->in = in;
	j->rno = round_no;
	j->dest = xasprintf("%s/%s", archive, in.rel);
	j->orig = NULL;
	j->had = file_read(j->dest, &j->orig, &j->origlen) == 0;
	char *slash = strrchr(j->dest, '/');
	*slash = '\0';
	mkdirs(j->dest);
	*slash = '/';
	write_all(j->dest, in.data, in.len);
	fflush(stdout);
	j->pid = fork();
	if (j->pid < 0) {
		perror("fuzz: fork");
		exit(2);
	}
	if (j->pid == 0) {
		int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int nul = open("/dev/null", O_WRONLY);
		if (fd < 0 || nul < 0 || dup2(nul, 1) < 0 || dup2(fd, 2) < 0)
			_exit(2);
		alarm((unsigned)timeout); /* kept across execv */
		char *argv[] = {(char *)kura, (char *)"build", (char *)"--quiet", (char *)"--repo",
		                (char *)archive, (char *)"--out", (char *)out, (char *)"-j",
		                (char *)(j->rno % 3 ? "1" : "2"), NULL};
		execv(kura, argv);
		_exit(127);
	}
}

/* What kura's end (wait status st, stderr in errpath) means: 0 when it
 * built or refused cleanly, else 1; *why (malloc'd) says which. */
static int verdict(int st, const char *errpath, int timeout, char **why)
{
	char *err = NULL;
	size_t n = 0;
	file_read(errpath, &err, &n);
	int bad = 1;
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		*why = xasprintf("no result after %d s", timeout);
	else if (WIFSIGNALED(st))
		*why = xasprintf("killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (WEXITSTATUS(st) == 127) {
		fprintf(stderr, "fuzz: cannot run %s\n", kura);
		exit(2);
	} else if (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 1)
		*why = xasprintf("exit status %d (86: ASan, 87: UBSan)", WEXITSTATUS(st));
	else if (err && (strstr(err, "Sanitizer") || strstr(err, "runtime error:")))
		*why = xstrdup("sanitizer report");
	else
		bad = 0;
	if (!bad)
		*why = xstrdup(WEXITSTATUS(st) == 0 ? "built" : "refused");
	free(err);
	return bad;
}

/* Where the scratch archive goes: KURA_TEST_TMPDIR, /dev/shm, or /tmp. */
static const char *scratch_root(void)
{
	const char *dir = getenv("KURA_TEST_TMPDIR");
	if (dir && *dir)
		return dir;
	if (access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return "/tmp";
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long env_long(const char *name, long def)
{
	const char *s = getenv(name);
	return s && *s ? strtol(s, NULL, 10) : def;
}

int main(void)
{
	long seconds = env_long("FUZZ_SECONDS", 60);
	long timeout = env_long("FUZZ_TIMEOUT", 10);
	seed = (uint64_t)env_long("FUZZ_SEED", (long)(time(NULL) ^ getpid()));
	rng = seed ? seed : 1;

	kura = getenv("FUZZ_KURA");
	if (!kura || !*kura)
		kura = "build/asan/kura";
	if (access(kura, X_OK) != 0 || access(BASE, R_OK) != 0) {
		fprintf(stderr, "fuzz: run from the repository root after make asan (%s)\n", kura);
		return 2;
	}
	add_seeds("content");
	add_seeds("tests/fixtures");
	add_seeds("themes/default/templates");
	for (int k = 0; k < NKINDS; k++)
		if (!ncorpus[k]) {
			fprintf(stderr, "fuzz: no %s seed\n", kind_name[k]);
			return 2;
		}

	/* The children: every report stops kura with an exit status of its
	 * own. */
	char *ubsan = xstrdup("halt_on_error=1:exitcode=87:print_stacktrace=1");
	setenv("ASAN_OPTIONS", "detect_leaks=1:exitcode=86:abort_on_error=0", 1);
	setenv("UBSAN_OPTIONS", ubsan, 1);
	setenv("KURA_ARENA_DEBUG", "1", 1);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	__sanitizer_set_death_callback(on_death);

	work = xasprintf("%s/kura-fuzz-XXXXXX", scratch_root());
	if (!mkdtemp(work)) {
		perror("fuzz: mkdtemp");
		return 2;
	}
	char *archive = xasprintf("%s/archive", work), *out = xasprintf("%s/site", work);
	char *errpath = xasprintf("%s/stderr", work);
	copy_tree(BASE, archive);

	printf("fuzz: %zu markdown, %zu site.yaml and %zu template seeds; %ld s; FUZZ_SEED=%llu\n",
	       ncorpus[K_MD], ncorpus[K_YAML], ncorpus[K_TMPL], seconds, (unsigned long long)seed);
	fflush(stdout);

	unsigned long runs = 0, crashes = 0, built = 0;
	struct job job = {0};
	double start = now(), end = start + (double)seconds;
	for (;;) {
		int more = !stop && now() < end;
		if (!more && !job.pid)
			break;
		if (job.pid) {
			int st;
			pid_t r = waitpid(job.pid, &st, more ? WNOHANG : 0);
			if (r < 0 && errno != EINTR) {
				perror("fuzz: waitpid");
				return 2;
			}
			if (r == job.pid) {
				char *why = NULL;
				runs++;
				if (verdict(st, errpath, (int)timeout, &why)) {
					crashes++;
					char *dir = crash_dir(&job.in, job.rno);
					char *to = xasprintf("%s/archive", dir);
					char *err = xasprintf("%s/kura.stderr", dir);
					rm_rf(to);
					copy_tree(archive, to);
					copy_tree(errpath, err);
					printf("fuzz: round %lu: %s: %s (saved in %s)\n", job.rno, job.in.rel,
					       why, dir);
					free(to);
					free(err);
					free(dir);
				} else if (!strcmp(why, "built")) {
					built++;
					enum kind k = job.in.kind;
					if (ncorpus[k] < MAX_CORPUS && below(4) == 0)
						add_input(k, job.in.rel, job.in.data, job.in.len);
				}
				if (job.had)
					write_all(job.dest, job.orig, job.origlen);
				else
					remove(job.dest);
				free(why);
				free(job.orig);
				free(job.dest);
				free(job.in.data);
				job.pid = 0;
			}
		}
		if (!more)
			continue;

		round_no++;
		/* Markdown files are most of what volunteers write. */
		static const enum kind pick[] = {K_MD, K_MD, K_MD, K_YAML, K_TMPL, K_TMPL};
		enum kind k = pick[below(sizeof pick / sizeof *pick)];
		const struct input *seed_in = &corpus[k][below(ncorpus[k])];
		struct buf b;
		buf_init(&b);
		buf_put(&b, seed_in->data, seed_in->len);
		for (size_t i = 1 + below(6); i > 0; i--)
			mutate_once(&b, k);
		current.kind = k;
		current.rel = seed_in->rel; /* corpus strings are never freed early */
		current.len = b.len;
		current.data = buf_detach(&b);
		run_stage(&current);
		if (!job.pid)
			start_kura(&job, current, archive, out, errpath, (int)timeout);
		else
			free(current.data);
		current.data = NULL;
		current.len = 0;
	}

	rm_rf(work);
	markdown_cleanup();
	printf("fuzz: %lu rounds in %.0f s, %lu of them through kura (%lu built, %lu refused); "
	       "%lu crashes%s\n", round_no, now() - start, runs, built, runs - built - crashes, crashes,
	       crashes ? ", saved under " CRASHES "/" : "");
	for (int k = 0; k < NKINDS; k++) {
		for (size_t i = 0; i < ncorpus[k]; i++) {
			free(corpus[k][i].rel);
			free(corpus[k][i].data);
		}
		free(corpus[k]);
	}
	free(archive);
	free(out);
	free(errpath);
	free(work);
	free(ubsan);
	return crashes ? 1 : 0;
}
