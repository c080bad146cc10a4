/* main.c — the command line: parse arguments, run the stages in order
 * (source → model → index → theme → output → write), print diagnostics and
 * a summary, and turn the outcome into an exit status.
 *
 * Nothing is written to the output until every earlier stage succeeded,
 * and the output appears only when the whole build succeeded (write.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "help.h"
#include "history.h"
#include "hooks.h"
#include "i18n.h"
#include "index.h"
#include "links.h"
#include "markdown.h"
#include "model.h"
#include "output.h"
#include "progress.h"
#include "scaffold.h"
#include "serve.h"
#include "source.h"
#include "theme.h"
#include "version.h"
#include "write.h"


/* Everything that reaches the pipeline from outside: the command line,
 * SOURCE_DATE_EPOCH and GITHUB_ACTIONS. (The clock is read only for the
 * summary line, never for the output: dates come from git history,
 * history.h.) */
struct ctx {
	const char *cmd;
	const char *repo;
	const char *ref;
	const char *out;
	int jobs;
	int drafts;
	int quiet;
	int inputs;
	long long epoch; /* SOURCE_DATE_EPOCH, or -1 when unset */
	/* Object directories git names to a hook (a push in quarantine), NULL
	 * terminated; objects_buf holds their text. */
	const char *objects[17];
	char *objects_buf;
	/* --format; without it github when GITHUB_ACTIONS=true (a GitHub
	 * Actions runner), else gcc. */
	enum diag_format format;
	/* kura new: the kind (argv[2]) and its title and options. */
	const char *kind, *title, *date, *series, *slug;
	int number;
	/* kura serve */
	const char *bind;
	int port;
	/* Seconds of work before the progress line appears on a terminal
	 * (KURA_PROGRESS_DELAY, for tests; default 1). */
	double progress_delay;
};

/* Everything main.c takes from the environment, into c (STYLE.md: the
 * pipeline sees the environment only through the context). -1 after
 * saying why when a value cannot be used. */
static int read_env(struct ctx *c)
{
	c->epoch = -1;
	/* reproducible-builds.org: a decimal count of seconds; anything else
	 * is refused rather than guessed at. */
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long e = strtoll(sde, &end, 10);
		if (*end || e < 0) {
			fprintf(stderr, i18n_tr("kura: SOURCE_DATE_EPOCH must be a number of seconds, not \"%s\"\n"),
			        sde);
			return -1;
		}
		c->epoch = e;
	}
	/* In a git hook, a pushed commit's objects wait in quarantine
	 * (GIT_OBJECT_DIRECTORY) until pre-receive accepts them; the repository's
	 * own objects are among GIT_ALTERNATE_OBJECT_DIRECTORIES. kura reads
	 * them all, so `kura check --ref <pushed>` sees the push. */
	const char *qdir = getenv("GIT_QUARANTINE_PATH");
	if (qdir && *qdir) {
		const char *objdir = getenv("GIT_OBJECT_DIRECTORY");
		const char *alt = getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
		c->objects_buf = xasprintf("%s:%s", objdir ? objdir : qdir, alt ? alt : "");
		size_t n = 0;
		char *save = NULL;
		for (char *p = strtok_r(c->objects_buf, ":", &save); p && n < 16;
		     p = strtok_r(NULL, ":", &save))
			c->objects[n++] = p;
		c->objects[n] = NULL;
	}
	const char *delay = getenv("KURA_PROGRESS_DELAY");
	c->progress_delay = delay && *delay ? atof(delay) : 1.0;
	const char *gha = getenv("GITHUB_ACTIONS");
	c->format = gha && !strcmp(gha, "true") ? DIAG_GITHUB : DIAG_GCC;
	return 0;
}

/* An option's whole-number value: 0 when s is digits whose value is in
 * [lo, hi], -1 when it is missing, empty, not a number or out of range. */
static int int_value(const char *s, long lo, long hi, int *out)
{
	char *end = NULL;
	long v = s && *s ? strtol(s, &end, 10) : lo - 1;
	if (!end || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_args(struct ctx *c, int argc, char **argv)
{
	memset(c, 0, sizeof *c);
	c->repo = ".";
	c->out = "site";
	c->port = 8000;
	if (read_env(c) != 0)
		return -1;
	/* Rendering is CPU work and writing files is kernel work; both scale
	 * with cores. */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	c->jobs = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
	if (argc < 2)
		return -1;
	c->cmd = argv[1];
	int new = !strcmp(c->cmd, "new"), i = 2;
	if (new) {
		if (argc < 3 || argv[2][0] == '-')
			return -1;
		c->kind = argv[i++];
	}
	for (; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;
		/* kura new's options, and options kura new has no use for. */
		int only_new = !strcmp(a, "--date") || !strcmp(a, "--series") ||
		               !strcmp(a, "--slug") || !strcmp(a, "--number");
		int not_new = !strcmp(a, "--ref") || !strcmp(a, "--out") || !strcmp(a, "-j") ||
		              !strcmp(a, "--drafts") || !strcmp(a, "--inputs");
		int only_serve = !strcmp(a, "--port") || !strcmp(a, "--bind");
		int serve = !strcmp(c->cmd, "serve");
		if ((only_new != new && (only_new || not_new)) || (only_serve && !serve) ||
		    (serve && not_new)) {
			fprintf(stderr, i18n_tr("kura: %s is not an option of kura %s\n"), a, c->cmd);
			return -1;
		}
		if (new && a[0] != '-' && !c->title) {
			c->title = a;
			continue;
		}
		if (!strcmp(a, "--repo"))
			val = &c->repo;
		else if (!strcmp(a, "--ref"))
			val = &c->ref;
		else if (!strcmp(a, "--out"))
			val = &c->out;
		else if (!strcmp(a, "--drafts"))
			c->drafts = 1;
		else if (!strcmp(a, "--quiet") || !strcmp(a, "-q"))
			c->quiet = 1;
		else if (!strcmp(a, "--inputs"))
			c->inputs = 1;
		else if (!strcmp(a, "--bind"))
			val = &c->bind;
		else if (!strcmp(a, "--port")) {
			if (int_value(i + 1 < argc ? argv[++i] : NULL, 0, 65535, &c->port) != 0) {
				fputs(i18n_tr("kura: --port needs a port number from 0 to 65535\n"), stderr);
				return -1;
			}
		} else if (!strcmp(a, "--date"))
			val = &c->date;
		else if (!strcmp(a, "--series"))
			val = &c->series;
		else if (!strcmp(a, "--slug"))
			val = &c->slug;
		else if (!strcmp(a, "--number")) {
			if (int_value(i + 1 < argc ? argv[++i] : NULL, 1, 100000, &c->number) != 0) {
				fputs(i18n_tr("kura: --number needs a whole number from 1 to 100000\n"), stderr);
				return -1;
			}
		}
		else if (!strcmp(a, "-j")) {
			if (i + 1 >= argc || atoi(argv[i + 1]) < 1) {
				fputs(i18n_tr("kura: -j needs a number of threads (1 or more)\n"), stderr);
				return -1;
			}
			c->jobs = atoi(argv[++i]);
		} else if (!strcmp(a, "--format")) {
			if (i + 1 >= argc || diag_format_parse(argv[i + 1], &c->format) != 0) {
				fputs(i18n_tr("kura: --format needs gcc, json or github\n"), stderr);
				return -1;
			}
			i++;
		} else {
			fprintf(stderr, i18n_tr("kura: unknown option \"%s\"\n"), a);
			return -1;
		}
		if (val) {
			if (i + 1 >= argc || !argv[i + 1][0]) {
				fprintf(stderr, i18n_tr("kura: %s needs a value\n"), a);
				return -1;
			}
			*val = argv[++i];
		}
	}
	return 0;
}

/* One input of a file, as "kind name". */
static void print_input(const struct output_input *in)
{
	switch (in->kind) {
	case INPUT_SITE: puts("\tsite content/site.yaml"); break;
	case INPUT_THEME:
		if (in->what)
			printf("\ttheme assets/%s\n", ((const struct theme_asset *)in->what)->name);
		else
			puts("\ttheme templates");
		break;
	case INPUT_SESSION: printf("\tsession %s\n", ((const struct session *)in->what)->path); break;
	case INPUT_PROJECT: printf("\tproject %s\n", ((const struct project *)in->what)->path); break;
	case INPUT_PAGE: printf("\tpage %s\n", ((const struct page *)in->what)->path); break;
	case INPUT_GROUP: {
		const struct group *g = in->what;
		printf("\tgroup %s %s\n", index_kind_name(g->kind), g->key);
		break;
	}
	case INPUT_SESSIONS: puts("\tsessions (all)"); break;
	case INPUT_PROJECTS: puts("\tprojects (all)"); break;
	case INPUT_MEDIA: printf("\tmedia %s\n", (const char *)in->what); break;
	}
}

/* kura list: the plan, one file a line ("path kind"), and with --inputs
 * each file's inputs indented below it. */
static void list(const struct ctx *c, const struct output_plan *p)
{
	for (size_t i = 0; i < output_count(p); i++) {
		printf("%s %s\n", output_file(p, i)->path, output_file_kind(p, i));
		if (!c->inputs)
			continue;
		struct output_inputs in = {NULL, 0, 0};
		output_file_inputs(p, i, &in);
		for (size_t k = 0; k < in.n; k++)
			print_input(&in.v[k]);
		free(in.v);
	}
}

/* What output_write shows of each file it made: kura check's links read
 * the ids of the pages, and the progress line counts the files. */
struct on_file {
	struct links *links;
	struct progress *progress;
	size_t total;
};

static void on_file(void *ctx, size_t i, const char *data, size_t len)
{
	struct on_file *o = ctx;
	if (o->links)
		links_seen(o->links, i, data, len);
	progress_set(o->progress, i + 1, o->total);
}

/* Runs kura build, check or list as c says. When it succeeds, a build
 * gives the path of its base_url to *base_path (malloc'd) when that is
 * not NULL, and build and check their summary line (without its end) to
 * summary, which main prints after the diagnostics. */
static int run(const struct ctx *c, struct diags *d, char **base_path, struct buf *summary)
{
	double t0 = monotonic_seconds();
	int build = !strcmp(c->cmd, "build");
	struct source *src = NULL;
	struct model *m = NULL;
	struct history *h = NULL;
	struct index *ix = NULL;
	struct theme *th = NULL;
	struct writer *w = NULL;
	struct output_plan *plan = NULL;
	struct output_stats st = {0};
	struct on_file seen = {NULL, NULL, 0};
	int rc = -1;

	if (source_open_objects(&src, c->repo, c->ref, c->objects, d) != 0)
		goto done;
	if (model_load(&m, src, c->drafts, d) != 0)
		goto done;
	/* Dates only matter to the pages a build writes. */
	if (build) {
		if (history_open(&h, src, "content", c->epoch, d) != 0)
			goto done;
		m->history = h;
	}
	if (index_build(&ix, m, d) != 0)
		goto done;
	if (theme_open(&th, src, m->site.theme, d) != 0)
		goto done;
	if (output_plan(&plan, m, ix, th, src, d) != 0)
		goto done;
	if (!strcmp(c->cmd, "list")) {
		list(c, plan);
		rc = 0;
		goto done;
	}
	if (build && write_begin(&w, c->out, c->repo, d) != 0)
		goto done;
	write_set_jobs(w, c->jobs);
	/* kura check follows every link of the bodies: the ids of the pages
	 * are read as they are rendered. */
	if (!build)
		seen.links = links_new(plan);
	double spent = monotonic_seconds() - t0;
	seen.progress = progress_begin(stderr, !c->quiet, c->progress_delay - spent);
	seen.total = output_count(plan);
	output_observe(plan, on_file, &seen);
	int out_rc = output_write(plan, w, c->jobs, &st, d);
	progress_end(seen.progress);
	seen.progress = NULL;
	if (out_rc != 0 || (seen.links && links_check(seen.links, m, d) != 0))
		goto done;
	size_t files = 0, bytes = 0;
	if (build) {
		struct writer *tmp = w;
		files = write_count(w);
		bytes = write_bytes(w);
		w = NULL;
		if (write_commit(tmp, d) != 0)
			goto done;
	}
	rc = 0;
	if (base_path)
		*base_path = xstrdup(m->site.base_path);
	double secs = monotonic_seconds() - t0;
	if (build)
		buf_printf(summary,
		           i18n_tr("kura: built %zu pages (%zu files, %.1f MB; media: %zu) from %s into %s/ in %.2f s"),
		           st.pages, files, (double)bytes / 1e6, st.media, source_describe(src), c->out,
		           secs);
	else
		buf_printf(summary,
		           i18n_tr("kura: checked %zu sessions, %zu projects, %zu pages from %s in %.2f s: no errors"),
		           m->nsessions, m->nprojects, m->npages, source_describe(src), secs);
done:
	write_abort(w);
	progress_end(seen.progress);
	links_free(seen.links);
	output_plan_free(plan);
	theme_close(th);
	index_free(ix);
	model_free(m);
	history_free(h);
	source_close(src);
	return rc;
}

/* kura serve's build: the normal build path, drafts included, quietly
 * (serve.c says what happened). */
static int serve_build(void *ctx, const char *out, char **base_path, struct diags *d)
{
	struct ctx c = *(const struct ctx *)ctx;
	c.cmd = "build";
	c.out = out;
	c.drafts = 1;
	c.quiet = 1;
	struct buf summary;
	buf_init(&summary);
	int rc = run(&c, d, base_path, &summary);
	buf_free(&summary);
	return rc;
}

static int run_serve(struct ctx *c)
{
	struct serve_opts o = {c->repo, c->bind, c->port, serve_build, c};
	return serve_run(&o);
}

/* kura new: the file is written by scaffold.c; its path is printed here. */
static int run_new(const struct ctx *c, struct diags *d)
{
	struct scaffold o = {RECORD_SESSION, c->repo, c->title, c->slug, c->date, c->series,
	                     c->number};
	if (!strcmp(c->kind, "project"))
		o.kind = RECORD_PROJECT;
	else if (!strcmp(c->kind, "page"))
		o.kind = RECORD_PAGE;
	char *path = NULL;
	if (scaffold_new(&path, &o, d) != 0)
		return -1;
	puts(path);
	free(path);
	return 0;
}

int main(int argc, char **argv)
{
	struct ctx c;
	i18n_init();
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	                  !strcmp(argv[1], "help"))) {
		help_usage(stdout);
		return 0;
	}
	/* kura help CMD, and kura CMD --help (kura hooks has its own). */
	if (argc == 3 && (!strcmp(argv[1], "help") ||
	                  (!strcmp(argv[2], "--help") && strcmp(argv[1], "hooks")))) {
		const char *name = !strcmp(argv[1], "help") ? argv[2] : argv[1];
		if (help_command(stdout, name) == 0)
			return 0;
		fprintf(stderr, i18n_tr("kura: no command \"%s\"\n"), name);
		help_usage(stderr);
		return 2;
	}
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		puts("kura " KURA_VERSION);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "hooks"))
		return hooks_main(argc - 1, argv + 1);
	if (parse_args(&c, argc, argv) != 0 ||
	    (strcmp(c.cmd, "build") != 0 && strcmp(c.cmd, "check") != 0 &&
	     strcmp(c.cmd, "list") != 0 && strcmp(c.cmd, "new") != 0 &&
	     strcmp(c.cmd, "serve") != 0) ||
	    (c.kind && strcmp(c.kind, "session") && strcmp(c.kind, "project") &&
	     strcmp(c.kind, "page"))) {
		help_usage(stderr);
		free(c.objects_buf);
		return 2;
	}
	if (!strcmp(c.cmd, "serve")) {
		int src = run_serve(&c);
		free(c.objects_buf);
		markdown_cleanup();
		i18n_free();
		return src ? 1 : 0;
	}
	struct diags d;
	struct buf summary;
	diags_init(&d);
	buf_init(&summary);
	int rc = c.kind ? run_new(&c, &d) : run(&c, &d, NULL, &summary);
	/* gcc's lines are for people, beside the summary on stderr; the
	 * other formats are for programs (a CI runner reads its workflow
	 * commands on stdout). */
	diags_print_as(&d, c.format == DIAG_GCC ? stderr : stdout, c.format);
	fflush(stdout);
	if (rc != 0 || d.errors) {
		/* (A translation may drop the plural endings with %.0s.) */
		fprintf(stderr, i18n_tr("kura: %d error%s, %d warning%s; %s\n"), d.errors,
		        d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s",
		        !strcmp(c.cmd, "build")
		            ? i18n_tr("nothing was written (the previous site is unchanged)")
		        : c.kind ? i18n_tr("nothing was written")
		                 : i18n_tr("see above"));
		rc = 1;
	} else if (summary.len && !c.quiet) {
		/* The one summary line, after the diagnostics; with --format
		 * json, stdout holds JSON and nothing else. */
		FILE *f = c.format == DIAG_JSON ? stderr : stdout;
		fputs(summary.data, f);
		if (d.warnings)
			fprintf(f, i18n_tr("; %d warning%s"), d.warnings, d.warnings == 1 ? "" : "s");
		fputc('\n', f);
	}
	buf_free(&summary);
	diags_free(&d);
	free(c.objects_buf);
	markdown_cleanup();
	i18n_free();
	return rc ? 1 : 0;
}
