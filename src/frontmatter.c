/* frontmatter.c — the first stage a content file meets after being read.
 *
 * fm_split cuts the file into the YAML between its "---" lines and the
 * Markdown body, remembering the line each part starts on. fm_parse_yaml
 * turns the YAML into a small tree of scalars, sequences and maps with
 * libyaml's event parser; every node keeps its file line and column so
 * that model.c can say exactly where a wrong value is. The tree is built
 * with an explicit stack, so hostile nesting cannot overflow the C stack,
 * and everything it holds lives in the caller's arena.
 */
#include "frontmatter.h"

#include <string.h>
#include <yaml.h>

#include "i18n.h"

/* Deeper than any real front matter; shallow enough that a file of
 * thousands of '[' is refused at once. */
#define MAX_DEPTH 64

/* ---- fm_split ---------------------------------------------------------- */

/* Is line[0..n) (without its line end) a delimiter such as "---"? Trailing
 * blanks are forgiven: web editors leave them and they are invisible. */
static int is_delim(const char *line, size_t n, const char *delim)
{
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(line, delim, 3) == 0;
}

/* Length of the line at p (up to end), without its "\n" or "\r\n". */
static size_t line_len(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *stop = nl ? nl : end;
	*next = nl ? nl + 1 : end;
	if (stop > p && stop[-1] == '\r')
		stop--;
	return (size_t)(stop - p);
}

/* Records "not UTF-8" at the line and column of the byte at bad. */
static int utf8_error(const char *text, size_t bad, const char *path,
                      struct diags *d)
{
	int line = 1;
	size_t start = 0;
	for (size_t i = 0; i < bad; i++) {
		if (text[i] == '\n') {
			line++;
			start = i + 1;
		}
	}
	diag_error(d, path, line, utf8_column(text + start, bad - start),
	           "the file is not valid UTF-8");
	diag_hint(d, "save the file with the UTF-8 encoding (not Shift_JIS "
	             "or another Japanese encoding)");
	return -1;
}

int fm_split(const char *text, size_t n, const char *path, struct span *yaml,
             int *yaml_line, struct span *body, int *body_line, struct diags *d)
{
	size_t bad;
	if (!utf8_valid(text, n, &bad))
		return utf8_error(text, bad, path, d);

	const char *p = text, *end = text + n, *next;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a BOM, as some Windows editors write */

	size_t len = line_len(p, end, &next);
	if (!is_delim(p, len, "---")) {
		diag_error(d, path, 1, 1, "missing front matter: the file must "
		                          "start with a line \"---\"");
		diag_hint(d, "a minimal file starts with the three lines "
		             "\"---\", \"title: ...\", \"---\", then the text");
		return -1;
	}

	const char *yaml_start = next;
	int line = 2;
	for (p = next; p < end; p = next, line++) {
		len = line_len(p, end, &next);
		if (is_delim(p, len, "---") || is_delim(p, len, "...")) {
			yaml->p = yaml_start;
			yaml->n = (size_t)(p - yaml_start);
			*yaml_line = 2;
			body->p = next;
			body->n = (size_t)(end - next);
			*body_line = line + 1;
			return 0;
		}
	}
	diag_error(d, path, 1, 1, "front matter is not closed: add a line "
	                          "\"---\" after it");
	diag_hint(d, "the fields end at the next line that is exactly \"---\"");
	return -1;
}

/* ---- fm_parse_yaml ----------------------------------------------------- */

/* One open sequence or map while the tree is built. */
struct frame {
	struct fm_node *node;
	size_t count, cap; /* entries in node->items (keys and values) */
};

struct ctx {
	struct arena *a;
	const char *src; /* the bytes given to libyaml */
	size_t n;
	const char *path;
	int first_line;
	struct diags *d;
	int failed;      /* an error was recorded; keep going, return -1 */
	/* A cursor turning libyaml's marks (a code point index into the
	 * input) into line and column. Marks of successive events rarely go
	 * backwards, so moving it forward keeps the whole walk linear even for
	 * a huge one-line flow sequence. */
	size_t cur_cp, cur_byte;
	int cur_line, cur_col; /* 0-based line, 1-based code point column */
};

/* Moves the cursor to code point index cp (or the end of the input). */
static void seek(struct ctx *c, size_t cp)
{
	if (cp < c->cur_cp) {
		c->cur_cp = c->cur_byte = 0;
		c->cur_line = 0;
		c->cur_col = 1;
	}
	while (c->cur_cp < cp && c->cur_byte < c->n) {
		unsigned u;
		int l = utf8_decode(c->src + c->cur_byte, c->n - c->cur_byte, &u);
		if (c->src[c->cur_byte] == '\n') {
			c->cur_line++;
			c->cur_col = 1;
		} else {
			c->cur_col++;
		}
		c->cur_byte += l > 0 ? (size_t)l : 1;
		c->cur_cp++;
	}
}

/* File line and code point column of a byte offset of the input, for the
 * few errors that know a byte offset rather than a mark. Lines are
 * counted by "\n" only, like editors and the other stages do (libyaml
 * also breaks lines at U+2028 and lone CRs, which would shift its count). */
static void pos_of_byte(const struct ctx *c, size_t off, int *line, int *col)
{
	int l = 0;
	size_t start = 0;
	if (off > c->n)
		off = c->n;
	for (size_t i = 0; i < off; i++) {
		if (c->src[i] == '\n') {
			l++;
			start = i + 1;
		}
	}
	*line = c->first_line + l;
	*col = utf8_column(c->src + start, off - start);
}

/* libyaml 0.2.5 counts mark.index and mark.column in characters, not
 * bytes, and its lines differ from ours at U+2028; going through the index
 * alone keeps us right. */
static void pos_of_mark(struct ctx *c, yaml_mark_t m, int *line, int *col)
{
	seek(c, m.index);
	*line = c->first_line + c->cur_line;
	*col = c->cur_col;
}

static int error_at(struct ctx *c, yaml_mark_t m, const char *msg)
{
	int line, col;
	pos_of_mark(c, m, &line, &col);
	diag_error(c->d, c->path, line, col, "%s", msg);
	c->failed = 1;
	return -1;
}

/* libyaml's problem text, at its mark, with advice for the mistakes
 * volunteers actually make. */
static void syntax_error(struct ctx *c, const yaml_parser_t *p)
{
	int line, col;
	const char *problem = p->problem ? p->problem : "unknown error";
	if (p->error == YAML_READER_ERROR)
		pos_of_byte(c, p->problem_offset, &line, &col);
	else
		pos_of_mark(c, p->problem_mark, &line, &col);
	if (p->error == YAML_MEMORY_ERROR)
		problem = "out of memory";
	diag_error(c->d, c->path, line, col, "YAML: %s", problem);
	c->failed = 1;

	if (strstr(problem, "mapping values are not allowed"))
		diag_hint(c->d, "a value that contains \": \" must be quoted, "
		                "e.g. title: \"Part 1: the start\"");
	else if (strstr(problem, "tab character"))
		diag_hint(c->d, "indent with spaces, not tabs");
	else if (strstr(problem, "cannot start any token"))
		diag_hint(c->d, "indent with spaces, not tabs; quote a value "
		                "that starts with @, ` or %%");
	else if (strstr(problem, "did not find expected key") ||
	         strstr(problem, "did not find expected '-'"))
		diag_hint(c->d, "check the indentation: every field of one "
		                "level starts in the same column");
	else if (strstr(problem, "found unexpected end of stream") ||
	         strstr(problem, "did not find expected"))
		diag_hint(c->d, "check for an unclosed quote or bracket");
	else if (p->context) {
		int cl, cc;
		pos_of_mark(c, p->context_mark, &cl, &cc);
		diag_hint(c->d, "%s that started at line %d", p->context, cl);
	}
}

static struct fm_node *new_node(struct ctx *c, enum fm_kind kind,
                                yaml_mark_t m, const yaml_char_t *tag)
{
	struct fm_node *node = arena_alloc(c->a, sizeof *node);
	node->kind = kind;
	pos_of_mark(c, m, &node->line, &node->col);
	if (tag)
		node->tag = arena_strdup(c->a, (const char *)tag);
	return node;
}

static const char *kind_name(enum fm_kind k)
{
	return k == FM_SEQ ? "a list" : k == FM_MAP ? "a map" : "text";
}

/* Appends child to the open collection f; in a map, checks every key. */
static void add_child(struct ctx *c, struct frame *f, struct fm_node *child)
{
	if (f->node->kind == FM_MAP && f->count % 2 == 0) {
		if (child->kind != FM_SCALAR) {
			diag_error(c->d, c->path, child->line, child->col,
			           "a key must be text, not %s",
			           kind_name(child->kind));
			c->failed = 1;
		} else {
			for (size_t i = 0; i < f->count; i += 2) {
				const struct fm_node *k = f->node->items[i];
				if (k->kind == FM_SCALAR && k->len == child->len &&
				    memcmp(k->str, child->str, k->len) == 0) {
					diag_error(c->d, c->path, child->line,
					           child->col,
					           "duplicate key \"%s\" (first at "
					           "line %d)", child->str, k->line);
					c->failed = 1;
					break;
				}
			}
		}
	}
	f->node->items = arena_grow(c->a, f->node->items, &f->cap, f->count + 1,
	                            sizeof *f->node->items);
	f->node->items[f->count++] = child;
	f->node->n = f->node->kind == FM_MAP ? f->count / 2 : f->count;
}

int fm_parse_yaml(struct arena *a, const char *yaml, size_t n, const char *path,
                  int first_line, struct diags *d, struct fm_node **out)
{
	struct ctx c = {
		.a = a, .src = yaml, .n = n, .path = path,
		.first_line = first_line, .d = d, .cur_col = 1,
	};
	struct frame stack[MAX_DEPTH];
	int depth = 0, docs = 0, done_parsing = 0;
	struct fm_node *root = NULL;
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = -1;
	size_t bad;

	*out = NULL;
	memset(&ev, 0, sizeof ev);
	/* Checked before libyaml, which would stop at a NUL without saying
	 * why, or name the bad UTF-8 octet without its line. */
	const char *nul = memchr(yaml, '\0', n);
	if (nul) {
		int line, col;
		pos_of_byte(&c, (size_t)(nul - yaml), &line, &col);
		return diag_error(d, path, line, col,
		                  "a NUL byte is not allowed in the front matter");
	}
	if (!utf8_valid(yaml, n, &bad)) {
		int line, col;
		pos_of_byte(&c, bad, &line, &col);
		diag_error(d, path, line, col, "the file is not valid UTF-8");
		diag_hint(d, "save the file with the UTF-8 encoding");
		return -1;
	}
	/* libyaml would skip a BOM too, but then its marks and ours differ. */
	if (n >= 3 && memcmp(yaml, "\xEF\xBB\xBF", 3) == 0) {
		c.src += 3;
		c.n -= 3;
	}

	yaml_parser_initialize(&parser);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&parser, (const unsigned char *)c.src, c.n);

	while (!done_parsing) {
		struct fm_node *node = NULL;
		if (!yaml_parser_parse(&parser, &ev)) {
			syntax_error(&c, &parser);
			goto done;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done_parsing = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				error_at(&c, ev.start_mark, N_("only one YAML document "
				         "is allowed in the front matter"));
				goto done;
			}
			break;
		case YAML_ALIAS_EVENT:
			error_at(&c, ev.start_mark,
			         N_("YAML anchors and aliases are not supported"));
			goto done;
		case YAML_SCALAR_EVENT:
			if (ev.data.scalar.anchor) {
				error_at(&c, ev.start_mark,
				         N_("YAML anchors and aliases are not supported"));
				goto done;
			}
			node = new_node(&c, FM_SCALAR, ev.start_mark,
			                ev.data.scalar.tag);
			node->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			node->len = ev.data.scalar.length;
			node->str = arena_strndup(a, (const char *)ev.data.scalar.value,
			                          node->len);
			/* "\0" in a double-quoted string decodes to a NUL that
			 * would silently cut the value short later on. */
			if (memchr(node->str, '\0', node->len)) {
				error_at(&c, ev.start_mark, N_("a NUL character (\\0) is "
				         "not allowed in a value"));
				goto done;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			int seq = ev.type == YAML_SEQUENCE_START_EVENT;
			const yaml_char_t *anchor = seq ? ev.data.sequence_start.anchor
			                                : ev.data.mapping_start.anchor;
			const yaml_char_t *tag = seq ? ev.data.sequence_start.tag
			                             : ev.data.mapping_start.tag;
			if (anchor) {
				error_at(&c, ev.start_mark,
				         N_("YAML anchors and aliases are not supported"));
				goto done;
			}
			if (depth == MAX_DEPTH) {
				error_at(&c, ev.start_mark, N_("the YAML is nested too "
				         "deeply (more than 64 levels)"));
				goto done;
			}
			struct frame *f = &stack[depth++];
			f->node = new_node(&c, seq ? FM_SEQ : FM_MAP, ev.start_mark, tag);
			f->count = f->cap = 0;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			/* libyaml pairs start and end events, so depth > 0. */
			node = stack[--depth].node;
			break;
		default: /* stream start, document end: nothing to build */
			break;
		}
		if (node) {
			if (depth > 0)
				add_child(&c, &stack[depth - 1], node);
			else
				root = node;
		}
		yaml_event_delete(&ev);
	}

	/* No document, only comments, or a bare "---": no fields at all. */
	if (!root || (root->kind == FM_SCALAR && root->plain && !root->tag &&
	              root->len == 0)) {
		int line, col;
		pos_of_byte(&c, 0, &line, &col);
		root = arena_alloc(a, sizeof *root);
		root->kind = FM_MAP;
		root->line = line;
		root->col = col;
	}
	if (!c.failed) {
		*out = root;
		rc = 0;
	}
done:
	yaml_event_delete(&ev);
	yaml_parser_delete(&parser);
	return rc;
}

struct fm_node *fm_get(const struct fm_node *map, const char *key)
{
	if (!map || map->kind != FM_MAP)
		return NULL;
	size_t klen = strlen(key);
	for (size_t i = 0; i < map->n; i++) {
		const struct fm_node *k = map->items[2 * i];
		if (k->kind == FM_SCALAR && k->len == klen &&
		    memcmp(k->str, key, klen) == 0)
			return map->items[2 * i + 1];
	}
	return NULL;
}
