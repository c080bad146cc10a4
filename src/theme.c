/* theme.c — templates and assets of the site's theme.
 *
 * Each file is looked up first in the archive's themes/<name>/ (read
 * through the source, so a --ref build sees the committed theme), then in
 * the default theme compiled into the binary. A site can therefore
 * override a single partial by adding just that file.
 */
#include "theme.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct theme {
	struct source *src;
	char *name;
	char *dir;                 /* "themes/<name>" in the archive */
	struct tmpl_set *tmpls;
	struct theme_asset *assets;
	size_t nassets;
	size_t capassets;
	char **owned;              /* malloc'd blobs and strings to free */
	size_t nowned, capowned;
};

static void own(struct theme *t, void *p)
{
	VEC_PUSH(t->owned, t->nowned, t->capowned, p);
}

/* Template names come from theme files ({{> name}}) and must not climb
 * out of templates/: util.h's path rule, plus two of the theme's own. A
 * name is at most 200 bytes (it becomes themes/<theme>/templates/<name>
 * .mustache, which must still be a path), and no segment starts with '.'
 * (no hidden files). */
static int safe_name(const char *s, size_t n)
{
	if (n > 200 || path_problem(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.' && (i == 0 || s[i - 1] == '/'))
			return 0;
	return 1;
}

static const struct theme_file *embedded(const char *path)
{
	for (size_t i = 0; i < theme_default_count; i++)
		if (!strcmp(theme_default_files[i].path, path))
			return &theme_default_files[i];
	return NULL;
}

static int load_template(void *ctx, const char *name, size_t name_len, char **src,
                         size_t *len, char **path, struct diags *d)
{
	struct theme *t = ctx;
	if (!safe_name(name, name_len))
		return 1;
	char *rel = xasprintf("templates/%.*s.mustache", (int)name_len, name);
	char *full = xasprintf("%s/%s", t->dir, rel);
	int rc = source_read(t->src, full, src, len, d);
	if (rc == 0) {
		*path = full;
		free(rel);
		return 0;
	}
	free(full);
	if (rc < 0) {
		free(rel);
		return -1;
	}
	const struct theme_file *f = embedded(rel);
	if (!f) {
		free(rel);
		return 1;
	}
	*src = xstrndup((const char *)f->data, f->len);
	*len = f->len;
	*path = xasprintf("themes/default/%s", rel);
	free(rel);
	return 0;
}

static void add_asset(struct theme *t, const char *name, const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < t->nassets; i++)
		if (!strcmp(t->assets[i].name, name))
			return; /* the archive's file came first and wins */
	t->assets = xgrow(t->assets, &t->capassets, t->nassets + 1, sizeof *t->assets);
	struct theme_asset *a = &t->assets[t->nassets++];
	char *nm = xstrdup(name);
	own(t, nm);
	/* The top 32 bits of the content's hash: enough to tell versions of
	 * an asset apart in its URL. */
	unsigned long long h = hash_bytes(data, len) >> 32;
	const char *dot = strrchr(nm, '.');
	const char *slash = strrchr(nm, '/');
	if (dot && (!slash || dot > slash))
		a->url = xasprintf("assets/%.*s.%08llx%s", (int)(dot - nm), nm, h, dot);
	else
		a->url = xasprintf("assets/%s.%08llx", nm, h);
	own(t, (char *)a->url);
	a->name = nm;
	a->data = data;
	a->len = len;
}

static int cmp_asset(const void *pa, const void *pb)
{
	const struct theme_asset *a = pa, *b = pb;
	return strcmp(a->name, b->name);
}

int theme_open(struct theme **out, struct source *src, const char *name, struct diags *d)
{
	struct theme *t = xcalloc(1, sizeof *t);
	struct source_list list = {NULL, 0};
	int rc = -1;
	*out = NULL;
	t->src = src;
	t->name = xstrdup(name);
	t->dir = xasprintf("themes/%s", name);
	if (source_list(src, t->dir, &list, d) != 0)
		goto done;
	if (list.n == 0 && strcmp(name, "default") != 0) {
		diag_error(d, "content/site.yaml", 0, 0,
		           "theme \"%s\": there is no folder themes/%s/ in the archive", name, name);
		diag_hint(d, "remove theme: to use the built-in theme, or add the folder");
		goto done;
	}
	size_t prefix = strlen(t->dir) + strlen("/assets/");
	for (size_t i = 0; i < list.n; i++) {
		const char *p = list.v[i].path;
		if (strncmp(p, t->dir, strlen(t->dir)) || strncmp(p + strlen(t->dir), "/assets/", 8))
			continue;
		char *data = NULL;
		size_t len = 0;
		if (source_read(src, p, &data, &len, d) != 0)
			goto done;
		own(t, data);
		add_asset(t, p + prefix, (const unsigned char *)data, len);
	}
	for (size_t i = 0; i < theme_default_count; i++) {
		const struct theme_file *f = &theme_default_files[i];
		if (!strncmp(f->path, "assets/", 7))
			add_asset(t, f->path + 7, f->data, f->len);
	}
	xsort(t->assets, t->nassets, sizeof *t->assets, cmp_asset);
	t->tmpls = tmpl_set_new(load_template, t, TMPL_STRICT);
	*out = t;
	rc = 0;
done:
	source_list_free(&list);
	if (rc != 0)
		theme_close(t);
	return rc;
}

void theme_close(struct theme *t)
{
	if (!t)
		return;
	tmpl_set_free(t->tmpls);
	for (size_t i = 0; i < t->nowned; i++)
		free(t->owned[i]);
	free(t->owned);
	free(t->assets);
	free(t->name);
	free(t->dir);
	free(t);
}

struct tmpl_set *theme_templates(struct theme *t)
{
	return t->tmpls;
}

size_t theme_asset_count(const struct theme *t)
{
	return t->nassets;
}

const struct theme_asset *theme_asset(const struct theme *t, size_t i)
{
	return &t->assets[i];
}
