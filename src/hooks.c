/* hooks.c — `kura hooks install` (see hooks.h): the two hook scripts and
 * their installation into a bare repository.
 *
 * The scripts are plain POSIX sh, written out with their settings (the
 * kura binary, the branch, the web root) as single-quoted assignments at
 * the top, so an administrator can read exactly what runs on each push.
 */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "util.h"

/* Marks a hook kura wrote (and may replace). */
#define MARK "# kura-hook:"

static const char usage[] =
    "usage: kura hooks install --repo BARE --out DOCROOT [--kura PATH] [--branch NAME] [--force]\n"
    "\n"
    "  Installs a pre-receive hook (kura check on each push to the branch;\n"
    "  a commit that does not build is refused with kura's errors) and a\n"
    "  post-receive hook (kura build of the branch into DOCROOT) into the\n"
    "  bare repository BARE. See docs/deploy.md.\n"
    "\n"
    "  --repo BARE    the bare repository volunteers push to\n"
    "  --out DOCROOT  the web root the site is built into\n"
    "  --kura PATH    the kura binary the hooks run (default: this one)\n"
    "  --branch NAME  the published branch (default: the one BARE's HEAD names)\n"
    "  --force        replace hooks kura did not write (kept as NAME.kura-saved)\n";

/* The body of pre-receive, after the settings KURA and BRANCH. */
static const char pre_receive[] =
    "# Each push to $BRANCH is checked with kura before git accepts it: a\n"
    "# commit that does not build is refused (exit 1) with kura's located\n"
    "# errors, so the archive never holds one. Other branches and deletions\n"
    "# pass.\n"
    "status=0\n"
    "repo=${GIT_DIR:-.}\n"
    "# git keeps the pushed objects in quarantine until this hook accepts\n"
    "# them; kura reads them through GIT_OBJECT_DIRECTORY and\n"
    "# GIT_ALTERNATE_OBJECT_DIRECTORIES, which git sets for the hook.\n"
    "while read -r old new ref; do\n"
    "\t[ \"$ref\" = \"refs/heads/$BRANCH\" ] || continue\n"
    "\tcase $new in *[!0]*) ;; *) continue ;; esac\n"
    "\tout=$(\"$KURA\" check --quiet --repo \"$repo\" --ref \"$new\" 2>&1)\n"
    "\trc=$?\n"
    "\tif [ \"$rc\" -eq 0 ]; then\n"
    "\t\t# warnings only: shown, the push goes on\n"
    "\t\tif [ -n \"$out\" ]; then printf '%s\\n' \"$out\" >&2; fi\n"
    "\t\tcontinue\n"
    "\tfi\n"
    "\tstatus=1\n"
    "\tshort=$(printf '%.7s' \"$new\")\n"
    "\techo '*** kura: この push は受け付けませんでした ***' >&2\n"
    "\tif [ \"$rc\" -eq 1 ]; then\n"
    "\t\techo \"$BRANCH に送られた記録（コミット $short）に誤りがあります。\" >&2\n"
    "\t\techo '下の「ファイル名:行:列: error:」の行が、直す場所と理由です。' >&2\n"
    "\t\techo '直してから、もう一度 commit して push してください。公開中のサイトはそのままです。' >&2\n"
    "\t\techo \"(kura refused commit $short on $BRANCH: it does not build. Fix the lines below, commit and push again; the public site is unchanged.)\" >&2\n"
    "\telse\n"
    "\t\techo \"サーバーで kura を動かせませんでした（終了コード $rc）。サーバーの管理者に知らせてください。\" >&2\n"
    "\t\techo \"(kura could not run on the server, exit status $rc: tell the server's administrator.)\" >&2\n"
    "\tfi\n"
    "\techo >&2\n"
    "\tprintf '%s\\n' \"$out\" >&2\n"
    "done\n"
    "exit $status\n";

/* The body of post-receive, after the settings KURA, BRANCH and DOCROOT. */
static const char post_receive[] =
    "# After git accepted a push to $BRANCH, the branch's tip is built into\n"
    "# $DOCROOT. kura builds the whole site beside it and swaps it in only\n"
    "# when the build succeeded; on failure the previous site stays. One\n"
    "# build at a time (flock, when it exists), each of the tip as it is\n"
    "# then, so the last build is always of the newest commit.\n"
    "repo=$(cd \"${GIT_DIR:-.}\" && pwd -P) || exit 1\n"
    "pushed=\n"
    "while read -r old new ref; do\n"
    "\t[ \"$ref\" = \"refs/heads/$BRANCH\" ] || continue\n"
    "\tcase $new in\n"
    "\t*[!0]*) pushed=1 ;;\n"
    "\t*) echo \"kura: $BRANCH が削除されました。公開中のサイトはそのままです。($BRANCH was deleted; the site is unchanged.)\" >&2 ;;\n"
    "\tesac\n"
    "done\n"
    "[ -n \"$pushed\" ] || exit 0\n"
    "if command -v flock >/dev/null 2>&1; then\n"
    "\texec 9>>\"$repo/kura-publish.lock\" && flock 9\n"
    "fi\n"
    "tip=$(git --git-dir=\"$repo\" rev-parse --verify -q \"refs/heads/$BRANCH^{commit}\") || exit 0\n"
    "out=$(\"$KURA\" build --repo \"$repo\" --ref \"$tip\" --out \"$DOCROOT\" 2>&1)\n"
    "rc=$?\n"
    "short=$(printf '%.7s' \"$tip\")\n"
    "if [ \"$rc\" -eq 0 ]; then\n"
    "\tline=$(printf '%s\\n' \"$out\" | tail -n 1) # the summary, in the archive's language\n"
    "\techo \"kura: サイトを更新しました（$BRANCH $short）— ${line#kura: }\" >&2\n"
    "\texit 0\n"
    "fi\n"
    "echo \"*** kura: サイトを作れませんでした（$BRANCH $short）。公開中のサイトは前のままです。サーバーの管理者に知らせてください。***\" >&2\n"
    "echo \"(kura could not build $short into $DOCROOT, exit status $rc; the previous site is still published.)\" >&2\n"
    "printf '%s\\n' \"$out\" >&2\n"
    "exit 1\n";

/* s as one sh word: single-quoted, each ' written as '\''. */
static void sh_quote(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

static void setting(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, "%s=", name);
	sh_quote(b, value);
	buf_putc(b, '\n');
}

/* The whole text of hook name ("pre-receive" or "post-receive"). */
static char *hook_text(const char *name, const char *kura, const char *branch,
                       const char *docroot)
{
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "#!/bin/sh\n" MARK " %s, written by `kura hooks install`; run it again to change "
	               "the settings below (docs/deploy.md).\n", name);
	setting(&b, "KURA", kura);
	setting(&b, "BRANCH", branch);
	if (docroot)
		setting(&b, "DOCROOT", docroot);
	buf_puts(&b, docroot ? post_receive : pre_receive);
	return buf_detach(&b);
}

/* 1 when path exists and is not a hook kura wrote, 0 when it is absent
 * or kura's, -1 when it cannot be read (errno). */
static int foreign_hook(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISREG(st.st_mode))
		return 1;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[256];
	int ours = 0;
	/* The mark is on the second line; a few lines are enough. */
	for (int i = 0; i < 3 && fgets(line, sizeof line, f); i++)
		if (!strncmp(line, MARK, strlen(MARK)))
			ours = 1;
	fclose(f);
	return !ours;
}

/* Writes text to path through a temporary name in the same directory,
 * executable, then renames it into place. */
static int write_hook(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.kura-tmp-%ld", path, (long)getpid());
	size_t n = strlen(text);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (fd < 0)
		goto done;
	if (fchmod(fd, 0755) != 0 || write(fd, text, n) != (ssize_t)n || fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		goto done;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		goto done;
	}
	rc = 0;
done:
	free(tmp);
	return rc;
}

/* path made absolute without requiring it to exist: its parent must. */
static char *absolute(const char *path)
{
	char real[PATH_MAX];
	if (realpath(path, real))
		return xstrdup(real);
	if (errno != ENOENT)
		return NULL;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *parent = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
	char *r = NULL;
	if (*base && strcmp(base, ".") && strcmp(base, "..") && realpath(parent, real))
		r = xasprintf("%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
	free(parent);
	return r;
}

struct opts {
	const char *repo, *out, *kura, *branch;
	int force;
};

static int parse(struct opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;
		if (!strcmp(a, "--repo"))
			val = &o->repo;
		else if (!strcmp(a, "--out"))
			val = &o->out;
		else if (!strcmp(a, "--kura"))
			val = &o->kura;
		else if (!strcmp(a, "--branch"))
			val = &o->branch;
		else if (!strcmp(a, "--force"))
			o->force = 1;
		else {
			fprintf(stderr, "kura hooks install: unknown option \"%s\"\n", a);
			return -1;
		}
		if (val) {
			if (i + 1 >= argc || !argv[i + 1][0]) {
				fprintf(stderr, "kura hooks install: %s needs a value\n", a);
				return -1;
			}
			*val = argv[++i];
		}
	}
	if (!o->repo || !o->out) {
		fprintf(stderr, "kura hooks install: --repo and --out are required\n");
		return -1;
	}
	return 0;
}


/* The branch HEAD names ("main" for refs/heads/main), malloc'd, or NULL
 * when HEAD is detached. */
static char *head_branch(git_repository *repo)
{
	git_reference *head = NULL;
	char *r = NULL;
	if (git_reference_lookup(&head, repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *t = git_reference_symbolic_target(head);
		if (!strncmp(t, "refs/heads/", 11) && t[11])
			r = xstrdup(t + 11);
	}
	git_reference_free(head);
	return r;
}

/* The repository must be bare, and git must run its hooks/ (no
 * core.hooksPath elsewhere). 0 when it may take the hooks. */
static int check_repo(git_repository *repo, const struct opts *o)
{
	if (!git_repository_is_bare(repo)) {
		fprintf(stderr, "kura: %s: リポジトリが bare ではありません。フックは push を受けるサーバーの bare "
		                "リポジトリ（git init --bare）に入れます。\n"
		                "  (%s is not a bare repository: hooks go into the bare repository "
		                "volunteers push to)\n",
		        o->repo, o->repo);
		return -1;
	}
	git_config *cfg = NULL;
	git_buf hp = {NULL, 0, 0};
	int has_hooks_path = git_repository_config_snapshot(&cfg, repo) == 0 &&
	                     git_config_get_path(&hp, cfg, "core.hooksPath") == 0;
	if (has_hooks_path)
		fprintf(stderr, "kura: %s: core.hooksPath is set (%s), so git would not run hooks/; "
		                "unset it (git --git-dir=%s config --unset core.hooksPath)\n",
		        o->repo, hp.ptr, o->repo);
	git_buf_dispose(&hp);
	git_config_free(cfg);
	return has_hooks_path ? -1 : 0;
}

/* The branch to publish: --branch, or the one HEAD names. malloc'd, or
 * NULL after saying why. */
static char *pick_branch(git_repository *repo, const struct opts *o)
{
	if (!o->branch) {
		char *b = head_branch(repo);
		if (!b)
			fprintf(stderr, "kura: %s: HEAD names no branch; say which with --branch NAME\n",
			        o->repo);
		return b;
	}
	char *full = xasprintf("refs/heads/%s", o->branch);
	int valid = 0;
	if (git_reference_name_is_valid(&valid, full) != 0 || !valid)
		fprintf(stderr, "kura: --branch %s: not a valid branch name\n", o->branch);
	free(full);
	return valid ? xstrdup(o->branch) : NULL;
}

/* Writes text[i] to path[i] for both hooks. Both are checked before
 * either is written: a hook kura did not write is refused without force,
 * and kept as <name>.kura-saved with it. */
static int place_hooks(char *const *path, char *const *text, const char *const *names,
                       int force)
{
	int refused = 0;
	for (int i = 0; i < 2; i++) {
		int f = foreign_hook(path[i]);
		if (f < 0) {
			fprintf(stderr, "kura: cannot read %s: %s\n", path[i], strerror(errno));
			return -1;
		}
		if (f && !force) {
			fprintf(stderr, "kura: %s: 別のフックがすでにあります（kura が書いたものではありません）。"
			                "置き換えるには --force を付けます（元のフックは %s.kura-saved に残します）。\n"
			                "  (%s exists and kura did not write it; --force replaces it, "
			                "keeping it as %s.kura-saved)\n",
			        path[i], names[i], path[i], names[i]);
			refused = 1;
		}
	}
	if (refused)
		return -1;
	for (int i = 0; i < 2; i++) {
		if (foreign_hook(path[i]) == 1) {
			char *saved = xasprintf("%s.kura-saved", path[i]);
			int bad = rename(path[i], saved) != 0;
			if (bad)
				fprintf(stderr, "kura: cannot keep %s as %s: %s\n", path[i], saved,
				        strerror(errno));
			else
				printf("kura: kept the previous %s as %s\n", names[i], saved);
			free(saved);
			if (bad)
				return -1;
		}
		if (write_hook(path[i], text[i]) != 0) {
			fprintf(stderr, "kura: cannot write %s: %s\n", path[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int install(const struct opts *o)
{
	git_repository *repo = NULL;
	char *branch = NULL, *kura = NULL, *docroot = NULL, *hooks = NULL;
	char *path[2] = {NULL, NULL}, *text[2] = {NULL, NULL};
	static const char *const names[2] = {"pre-receive", "post-receive"};
	int rc = 1;

	if (git_libgit2_init() < 0) {
		fprintf(stderr, "kura: cannot start libgit2: %s\n", source_git_error());
		return 1;
	}
	if (git_repository_open_ext(&repo, o->repo, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0) {
		fprintf(stderr, "kura: %s: not a git repository (%s)\n", o->repo, source_git_error());
		goto done;
	}
	if (check_repo(repo, o) != 0 || !(branch = pick_branch(repo, o)))
		goto done;
	kura = absolute(o->kura ? o->kura : "/proc/self/exe");
	if (!kura || access(kura, X_OK) != 0) {
		fprintf(stderr, "kura: --kura %s: not an executable file\n",
		        o->kura ? o->kura : "(this binary)");
		goto done;
	}
	docroot = absolute(o->out);
	if (!docroot) {
		fprintf(stderr, "kura: --out %s: its parent directory must exist (%s)\n", o->out,
		        strerror(errno));
		goto done;
	}
	hooks = xasprintf("%shooks", git_repository_path(repo));
	if (mkdir(hooks, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "kura: cannot make %s: %s\n", hooks, strerror(errno));
		goto done;
	}
	for (int i = 0; i < 2; i++) {
		path[i] = xasprintf("%s/%s", hooks, names[i]);
		text[i] = hook_text(names[i], kura, branch, i ? docroot : NULL);
	}
	if (place_hooks(path, text, names, o->force) != 0)
		goto done;
	printf("kura: フックを入れました。%s への push ごとに内容を確かめ、%s に公開します。\n"
	       "  %s   kura check on each push to %s; a commit that does not build is refused\n"
	       "  %s  kura build of %s into %s after each push\n"
	       "  kura: %s\n"
	       "今あるコミットを公開するには (to publish what is there now):\n"
	       "  %s build --repo %s --ref %s --out %s\n",
	       branch, docroot, path[0], branch, path[1], branch, docroot, kura, kura,
	       git_repository_path(repo), branch, docroot);
	rc = 0;
done:
	for (int i = 0; i < 2; i++) {
		free(path[i]);
		free(text[i]);
	}
	free(hooks);
	free(docroot);
	free(kura);
	free(branch);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

int hooks_main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	struct opts o;
	if (argc < 2 || strcmp(argv[1], "install") != 0 || parse(&o, argc - 2, argv + 2) != 0) {
		fputs(usage, stderr);
		return 2;
	}
	return install(&o);
}
