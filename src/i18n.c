/* i18n.c — the message catalog: a gettext .mo file read into memory and
 * searched by binary search (the .mo's table of msgids is sorted), and the
 * choice of language from the environment (i18n.h). */
#include "i18n.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static struct {
	char *data; /* the whole .mo file */
	size_t len;
	uint32_t n, orig, trans; /* strings, offsets of the two tables */
	int swap;                /* written with the other byte order */
	char lang[16];
} cat;

/* Whether translations are printed: set by i18n_choose after each read of
 * site.yaml, while kura serve's connection threads may be printing. */
static atomic_int use;

static uint32_t word(size_t off)
{
	uint32_t v;
	memcpy(&v, cat.data + off, 4);
	return cat.swap ? __builtin_bswap32(v) : v;
}

/* Copies the language of a locale name ("ja_JP.UTF-8" -> "ja") into out;
 * 0 for names that are no language ("", "C", "POSIX"). */
static int lang_of(const char *name, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	while (k < n && name[k] != '_' && name[k] != '.' && name[k] != '@' && k + 1 < cap) {
		out[k] = name[k];
		k++;
	}
	out[k] = '\0';
	return k > 0 && strcmp(out, "C") && strcmp(out, "POSIX");
}

/* Does kura have language l (English, or a catalog found for it)? */
static int has(const char *l);

const char *i18n_env_language(void)
{
	static char out[16];
	const char *v = getenv("LANGUAGE");
	for (const char *p = v; p && *p;) {
		size_t n = strcspn(p, ":");
		if (lang_of(p, n, out, sizeof out) && has(out))
			return out;
		p += n + (p[n] == ':');
	}
	v = getenv("LC_MESSAGES");
	if (v && lang_of(v, strlen(v), out, sizeof out) && has(out))
		return out;
	return NULL;
}

/* The path of lang's catalog under the k-th place, or NULL past the last. */
static char *place(int k, const char *lang)
{
	static const char *const under[] = {"build/locale", "locale", "../share/locale"};
	if (k >= (int)(sizeof under / sizeof *under))
		return NULL;
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return xstrdup("");
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	return xasprintf("%s/%s/%s/LC_MESSAGES/kura.mo", exe, under[k], lang);
}

static int has(const char *l)
{
	if (!strcmp(l, "en"))
		return 1;
	char *p;
	int found = 0;
	for (int k = 0; !found && (p = place(k, l)) != NULL; k++) {
		found = access(p, R_OK) == 0;
		free(p);
	}
	return found;
}

/* Reads and checks the .mo at path into cat; -1 when it is not one. */
static int read_mo(const char *path)
{
	if (file_read(path, &cat.data, &cat.len) != 0)
		return -1;
	uint32_t magic = cat.len >= 20 ? word(0) : 0;
	cat.swap = magic == 0xde120495;
	if (magic != 0x950412de && !cat.swap)
		goto bad;
	cat.n = word(8);
	cat.orig = word(12);
	cat.trans = word(16);
	if (cat.orig > cat.len || cat.trans > cat.len || cat.n > (cat.len - cat.orig) / 8 ||
	    cat.n > (cat.len - cat.trans) / 8)
		goto bad;
	for (uint32_t i = 0; i < cat.n; i++)
		for (int t = 0; t < 2; t++) {
			uint32_t len = word((t ? cat.trans : cat.orig) + 8 * i);
			uint32_t off = word((t ? cat.trans : cat.orig) + 8 * i + 4);
			if (off > cat.len || len >= cat.len - off || cat.data[off + len] != '\0')
				goto bad;
		}
	return 0;
bad:
	free(cat.data);
	memset(&cat, 0, sizeof cat);
	return -1;
}

int i18n_load(const char *lang)
{
	if (!lang || !strcmp(lang, "en") || cat.data || strlen(lang) >= sizeof cat.lang)
		return -1;
	char *p;
	for (int k = 0; (p = place(k, lang)) != NULL; k++) {
		int ok = read_mo(p) == 0;
		free(p);
		if (ok) {
			strcpy(cat.lang, lang);
			return 0;
		}
	}
	return -1;
}

const char *i18n_lookup(const char *msgid)
{
	size_t lo = 0, hi = cat.data ? cat.n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(msgid, cat.data + word(cat.orig + 8 * mid + 4));
		if (!c) {
			const char *t = cat.data + word(cat.trans + 8 * mid + 4);
			return *t ? t : NULL;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void i18n_init(void)
{
	const char *env = i18n_env_language();
	i18n_load(env ? env : "ja");
	i18n_choose(NULL);
}

void i18n_choose(const char *site_language)
{
	const char *want = i18n_env_language();
	char l[16];
	if (!want)
		want = site_language && lang_of(site_language, strcspn(site_language, "-"), l, sizeof l)
		       ? l : "ja";
	i18n_use(!strcmp(want, i18n_language()));
}

void i18n_use(int on)
{
	atomic_store_explicit(&use, on && cat.data, memory_order_relaxed);
}

int i18n_in_use(void)
{
	return atomic_load_explicit(&use, memory_order_relaxed);
}

const char *i18n_tr(const char *msgid)
{
	const char *t = i18n_in_use() ? i18n_lookup(msgid) : NULL;
	return t ? t : msgid;
}

const char *i18n_language(void)
{
	return cat.data ? cat.lang : "en";
}

void i18n_free(void)
{
	free(cat.data);
	memset(&cat, 0, sizeof cat);
	i18n_use(0);
}
