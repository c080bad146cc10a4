/* help.c — the text of kura --help and kura help COMMAND: one row per
 * command (its synopsis, a line for the overview, and its own page), so
 * the overview and the pages cannot disagree. The pages are messages of
 * the catalog (i18n.h), printed in the reader's language; kura.1 is the
 * manual page of the same commands (tests/e2e/help.sh keeps the two
 * together). */
#include "help.h"

#include <string.h>

#include "i18n.h"


static const struct command {
	const char *name;
	const char *synopsis; /* one or more lines, each starting "kura " */
	const char *line;     /* for the overview */
	const char *page;     /* for kura help NAME */
} commands[] = {
	{"build",
	 "kura build [--repo DIR] [--ref REV] [--out DIR] [-j N] [--drafts] [--quiet]\n"
	 "           [--format gcc|json|github]\n",
	 N_("build the site from DIR (default: .) into --out (default: site)"),
	 N_("Builds the whole site. It appears in --out only when everything succeeded:\n"
	    "after an error the previous site is left exactly as it was.\n"
	    "\n"
	    "  --repo DIR   the archive: a git repository (its working tree, or with\n"
	    "               --ref or when bare, a commit read from the object database)\n"
	    "               or a plain directory (default: .)\n"
	    "  --ref REV    build this branch, tag or commit instead of the working tree\n"
	    "  --out DIR    where the site goes (default: site); kura only replaces a\n"
	    "               directory it wrote\n"
	    "  -j N         threads rendering pages and writing files (default: the\n"
	    "               number of CPUs, at most 8); the site is the same for any N\n"
	    "  --drafts     include records marked draft: true (for previews only)\n"
	    "  --quiet      print nothing but diagnostics\n"
	    "  --format F   gcc (path:line:col: error: ..., on stderr), json (one JSON\n"
	    "               object a line, on stdout) or github (workflow commands, on\n"
	    "               stdout); default: github when GITHUB_ACTIONS=true, else gcc\n")},
	{"check", "kura check [--repo DIR] [--ref REV] [--drafts] [--format gcc|json|github]\n",
	 N_("validate content, links, images and templates; write nothing"),
	 N_("Reads and renders everything a build does and writes nothing. Besides\n"
	    "the content, vocabulary and template errors a build finds, it follows\n"
	    "every link and image of the Markdown bodies: broken internal links,\n"
	    "missing #anchors, missing images and documents, images without alt\n"
	    "text, each at path:line:col. Options as for kura build.\n")},
	{"list", "kura list [--repo DIR] [--ref REV] [--drafts] [--inputs]\n",
	 N_("print the path of every file the site has, rendering nothing"),
	 N_("Prints every file the site will have, one a line (path kind), without\n"
	    "rendering anything. With --inputs, each is followed by what it reads.\n")},
	{"new",
	 "kura new session --date DATE [--series NAME] [--number N] [--slug SLUG]\n"
	 "                 [--repo DIR] TITLE\n"
	 "kura new project|page [--slug SLUG] [--repo DIR] TITLE\n",
	 N_("write a new content file with every field, and print its path"),
	 N_("Writes a new record into the working tree and prints its path: a session\n"
	    "named from its date, its series and the series' next number (or --slug),\n"
	    "a project or a page named from --slug or the title. Every field is\n"
	    "listed, with a short description. Never overwrites a file; refuses a\n"
	    "date that does not exist and a series series.yaml does not list.\n"
	    "\n"
	    "  --date DATE    the day: 2021-03-18, 2021年3月18日 or 令和3年3月18日\n"
	    "  --series NAME  the series, as content/series.yaml names it\n"
	    "  --number N     its number in the series (default: the next one)\n"
	    "  --slug SLUG    the address, instead of the one made for it\n")},
	{"serve", "kura serve [--repo DIR] [--port 8000] [--bind 127.0.0.1]\n",
	 N_("preview the site in a browser, rebuilt and reloaded on every change"),
	 N_("Builds the site, drafts included (with a 下書き banner), and serves it at\n"
	    "http://127.0.0.1:8000/ plus the path of base_url. Whenever a file under\n"
	    "content/ or themes/ changes, it builds again and the open pages reload\n"
	    "by themselves. When the build fails, the errors are shown over the last\n"
	    "good page. Stop it with Ctrl+C.\n"
	    "\n"
	    "  --port N     the port (default: 8000; 0: any free port)\n"
	    "  --bind ADDR  the address to listen on (default: 127.0.0.1, this\n"
	    "               computer only)\n")},
	{"hooks",
	 "kura hooks install --repo BARE --out DOCROOT [--kura PATH] [--branch NAME] [--force]\n",
	 N_("install the git hooks that check each push and publish it"),
	 N_("Installs into a bare repository a pre-receive hook, which refuses a push\n"
	    "whose commit does not build (with kura's located errors), and a\n"
	    "post-receive hook, which builds the branch into DOCROOT. See\n"
	    "kura hooks --help and docs/deploy.md.\n")},
	{"help", "kura help [COMMAND]\n", N_("print this overview, or a command's page"),
	 N_("Prints the overview of the commands, or the page of one of them.\n")},
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

static void synopsis(const struct command *c, FILE *f, const char *first, const char *rest)
{
	for (const char *p = c->synopsis; *p;) {
		size_t n = strcspn(p, "\n");
		fprintf(f, "%s%.*s\n", p == c->synopsis ? first : rest, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void help_usage(FILE *f)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		synopsis(&commands[i], f, i ? "       " : "usage: ", "       ");
	fputs("       kura --help | --version\n\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-6s %s\n", commands[i].name, i18n_tr(commands[i].line));
	fputs(i18n_tr("\nkura help COMMAND prints a command's options; man kura the manual.\n"), f);
}

int help_command(FILE *f, const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name))
			continue;
		synopsis(&commands[i], f, "usage: ", "       ");
		fputc('\n', f);
		fputs(i18n_tr(commands[i].page), f);
		return 0;
	}
	return -1;
}
