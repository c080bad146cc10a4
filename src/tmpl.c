/* tmpl.c — the Mustache template engine.
 *
 * A template is compiled once into a flat array of ops whose text and names
 * are slices of the template's source (the set keeps the source alive), and
 * rendered any number of times by walking that array. Sections, parents and
 * blocks are ranges of the array: their op records the index just past
 * their content, so rendering never re-parses and skipping is a jump.
 *
 * Compiling runs in four passes over one template: tokenize (honouring set
 * delimiter tags), match opening and closing tags (the syntax errors), find
 * standalone lines (which the spec removes from the output), and emit ops.
 * Every surviving line that has content starts with an OP_LINE holding the
 * line's leading white space, so indentation (of standalone partials, and
 * the re-indentation of inherited blocks) is applied at render time by
 * that one op, never by copying template text.
 *
 * Rendering allocates nothing per lookup: the context stack is an array of
 * pointers (on the C stack until it is deeper than 32), the block overrides
 * of {{<parent}} tags are a chain of frames on the C stack, and indentation
 * strings live in one buffer per render call.
 */
#include "tmpl.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"

/* Partials, parents and overridden blocks may nest this deep: enough for
 * any real theme, small enough that a template including itself stops
 * long before the C stack does. */
#define MAX_INCLUDE 100
/* Sections may nest this deep inside one template. */
#define MAX_NEST 100
/* ...and this deep in all, across partials: each level is a C stack frame,
 * and a worker thread's stack is not the main thread's. */
#define MAX_SECTIONS 1000

enum op_kind {
	OP_TEXT,     /* s: literal text */
	OP_LINE,     /* s: leading white space of a source line */
	OP_VAR,      /* {{x}}: escaped */
	OP_RAW,      /* {{{x}}} or {{&x}} */
	OP_SECTION,  /* {{#x}} .. end */
	OP_INVERTED, /* {{^x}} .. end */
	OP_PARTIAL,  /* {{>x}}; s: indentation when standalone */
	OP_PARENT,   /* {{<x}} .. end (only OP_BLOCKs inside); s as for partials */
	OP_BLOCK,    /* {{$x}} .. end; s: the block's own indentation */
};

struct tmpl;

struct op {
	unsigned char kind;
	unsigned char standalone; /* the tag stood alone on its line */
	unsigned char dynamic;    /* {{>*name}}: the name is looked up */
	int line, col;            /* of the tag, for render-time errors */
	struct span s;            /* see enum op_kind */
	struct span name;         /* tag name, trimmed */
	size_t parts, nparts;     /* dotted name: t->parts[parts .. +nparts);
	                             nparts 0 is the implicit iterator "." */
	size_t end;               /* ranges: index just past the content */
	struct tmpl *target;      /* static partial or parent, once resolved */
};

enum tmpl_state { T_NEW, T_OK, T_FAILED, T_MISSING };

struct tmpl {
	char *name;
	size_t name_len;
	char *src; /* NUL-terminated; every span of the ops points into it */
	size_t len;
	char *path;
	enum tmpl_state state;
	int load_failed;  /* T_MISSING because the loader reported an error */
	int closure_ok;   /* this template and all it uses statically compiled */
	unsigned mark;    /* visit mark of the closure walk */
	struct op *ops;
	size_t nops, cap;
	struct span *parts;
	size_t nparts, partcap;
};

struct tmpl_set {
	tmpl_loader load;
	void *ctx;
	int flags;
	struct tmpl **all;   /* every template, each malloc'd: pointers are stable */
	size_t n, cap;
	struct strmap names; /* name -> index in all; keys are the tmpls' names */
	unsigned gen;
};

/* ---- the set ---- */

/* The template called name[0..n), or NULL. The map's keys are C strings,
 * so the name is copied to one (on the C stack when short: lookups happen
 * while rendering); a name holding a NUL is no C string and never found. */
static struct tmpl *find(const struct tmpl_set *set, const char *name, size_t n)
{
	char small[128];
	if (memchr(name, '\0', n))
		return NULL;
	char *key = n < sizeof small ? small : xmalloc(n + 1);
	memcpy(key, name, n);
	key[n] = '\0';
	size_t *i = strmap_get(&set->names, key);
	if (key != small)
		free(key);
	return i ? set->all[*i] : NULL;
}

/* A new template entry called name[0..n). One whose name holds a NUL is
 * kept (and freed with the set) but not entered in the map. */
static struct tmpl *insert(struct tmpl_set *set, const char *name, size_t n)
{
	struct tmpl *t = xcalloc(1, sizeof *t);
	t->name = xstrndup(name, n);
	t->name_len = n;
	if (!memchr(name, '\0', n))
		strmap_put(&set->names, t->name, set->n, NULL);
	VEC_PUSH(set->all, set->n, set->cap, t);
	return t;
}

static void clear_compiled(struct tmpl *t)
{
	free(t->ops);
	free(t->parts);
	t->ops = NULL;
	t->parts = NULL;
	t->nops = t->cap = t->nparts = t->partcap = 0;
}

struct tmpl_set *tmpl_set_new(tmpl_loader load, void *ctx, int flags)
{
	struct tmpl_set *set = xcalloc(1, sizeof *set);
	set->load = load;
	set->ctx = ctx;
	set->flags = flags;
	strmap_init(&set->names);
	return set;
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		struct tmpl *t = set->all[i];
		clear_compiled(t);
		free(t->name);
		free(t->src);
		free(t->path);
		free(t);
	}
	strmap_free(&set->names);
	free(set->all);
	free(set);
}

void tmpl_set_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
                  const char *path)
{
	size_t n = strlen(name);
	struct tmpl *t = find(set, name, n);
	if (!t)
		t = insert(set, name, n);
	else if (t->state != T_NEW && t->state != T_MISSING)
		return; /* compiled ops of other templates may point into it */
	free(t->src);
	free(t->path);
	t->src = xmalloc(len + 1);
	memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;
	t->path = xstrdup(path ? path : name);
	t->state = T_NEW;
	t->load_failed = 0;
}

/* The entry for name, asking the loader when the set has none. A name
 * that cannot be found gets a T_MISSING entry, so the loader is asked once. */
static struct tmpl *get(struct tmpl_set *set, const char *name, size_t n, struct diags *d)
{
	struct tmpl *t = find(set, name, n);
	if (t)
		return t;
	char *src = NULL, *path = NULL;
	size_t len = 0;
	int rc = 1;
	if (set->load)
		rc = set->load(set->ctx, name, n, &src, &len, &path, d);
	t = insert(set, name, n);
	if (rc == 0) {
		t->src = src;
		t->len = len;
		t->path = path ? path : xstrndup(name, n);
		t->state = T_NEW;
	} else {
		free(src);
		free(path);
		t->path = xstrndup(name, n);
		t->state = T_MISSING;
		t->load_failed = rc < 0;
	}
	return t;
}

/* ---- compiling: tokens ---- */

enum tok_kind {
	TK_TEXT, TK_VAR, TK_RAW, TK_SECTION, TK_INVERTED, TK_CLOSE,
	TK_COMMENT, TK_DELIM, TK_PARTIAL, TK_PARENT, TK_BLOCK,
};

struct tok {
	enum tok_kind kind;
	size_t start, end;   /* bytes of the whole token in the source */
	struct span name;    /* trimmed tag content after the sigil */
	int dynamic;         /* name had a leading '*' (removed) */
	int line, col;
	int nl;              /* TK_TEXT ending with "\n" */
	int dropped;         /* white space of a standalone line */
	int standalone;
	int closes_parent;   /* TK_CLOSE matching a TK_PARENT */
	struct span ws;      /* standalone: leading white space of the line */
	struct span bws;     /* TK_BLOCK: the block's indentation */
};

struct compiler {
	struct tmpl *t;
	struct diags *d;
	struct tok *toks;
	size_t n, cap;
	int errors;
	/* position tracking for line:col */
	size_t scan, line_start;
	int line;
};

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static void add_tok(struct compiler *c, struct tok tk)
{
	VEC_PUSH(c->toks, c->n, c->cap, tk);
}

/* Advances the line counter to byte offset off (never backwards). */
static void advance(struct compiler *c, size_t off)
{
	const char *s = c->t->src;
	for (; c->scan < off; c->scan++) {
		if (s[c->scan] == '\n') {
			c->line++;
			c->line_start = c->scan + 1;
		}
	}
}

static int col_at(const struct compiler *c, size_t off)
{
	return utf8_column(c->t->src + c->line_start, off - c->line_start);
}

static void error_at(struct compiler *c, int line, int col, const char *msg)
{
	diag_error(c->d, c->t->path, line, col, "%s", msg);
	c->errors++;
}

static size_t find_str(const char *s, size_t from, size_t n, struct span needle)
{
	if (needle.n == 0 || needle.n > n)
		return (size_t)-1;
	for (size_t i = from; i + needle.n <= n; i++) {
		const char *p = memchr(s + i, needle.p[0], n - needle.n + 1 - i);
		if (!p)
			break;
		i = (size_t)(p - s);
		if (memcmp(p, needle.p, needle.n) == 0)
			return i;
	}
	return (size_t)-1;
}

/* Splits literal text into tokens that end at most at one newline each. */
static void add_text(struct compiler *c, size_t from, size_t to)
{
	const char *s = c->t->src;
	while (from < to) {
		const char *nl = memchr(s + from, '\n', to - from);
		size_t end = nl ? (size_t)(nl - s) + 1 : to;
		struct tok tk = {0};
		tk.kind = TK_TEXT;
		tk.start = from;
		tk.end = end;
		tk.nl = nl != NULL;
		add_tok(c, tk);
		from = end;
	}
}

/* Parses "{{=<% %>=}}"'s content into two delimiters. */
static int parse_delims(struct span in, struct span *open, struct span *close)
{
	struct span s = span_trim(in);
	size_t i = 0;
	while (i < s.n && !is_blank(s.p[i]) && s.p[i] != '\n' && s.p[i] != '\r')
		i++;
	open->p = s.p;
	open->n = i;
	struct span rest = {s.p + i, s.n - i};
	*close = span_trim(rest);
	if (!open->n || !close->n || close->n == rest.n)
		return -1;
	for (size_t k = 0; k < open->n; k++)
		if (open->p[k] == '=')
			return -1;
	for (size_t k = 0; k < close->n; k++)
		if (close->p[k] == '=' || close->p[k] == ' ' || close->p[k] == '\t' ||
		    close->p[k] == '\n' || close->p[k] == '\r')
			return -1;
	return 0;
}

static int tokenize(struct compiler *c)
{
	const char *s = c->t->src;
	size_t n = c->t->len, pos = 0;
	struct span otag = {"{{", 2}, ctag = {"}}", 2};

	for (;;) {
		size_t at = find_str(s, pos, n, otag);
		if (at == (size_t)-1) {
			add_text(c, pos, n);
			return 0;
		}
		add_text(c, pos, at);
		advance(c, at);
		struct tok tk = {0};
		tk.start = at;
		tk.line = c->line;
		tk.col = col_at(c, at);

		size_t q = at + otag.n;
		char sig = q < n ? s[q] : '\0';
		int triple = 0;
		switch (sig) {
		case '{': tk.kind = TK_RAW; triple = 1; q++; break;
		case '&': tk.kind = TK_RAW; q++; break;
		case '#': tk.kind = TK_SECTION; q++; break;
		case '^': tk.kind = TK_INVERTED; q++; break;
		case '/': tk.kind = TK_CLOSE; q++; break;
		case '!': tk.kind = TK_COMMENT; q++; break;
		case '=': tk.kind = TK_DELIM; q++; break;
		case '>': tk.kind = TK_PARTIAL; q++; break;
		case '<': tk.kind = TK_PARENT; q++; break;
		case '$': tk.kind = TK_BLOCK; q++; break;
		default: tk.kind = TK_VAR; break;
		}
		/* {{{x}}} ends with "}" + the closing delimiter, {{=a b=}} with
		 * "=" + it; find the close delimiter, then check the extra char. */
		size_t close = find_str(s, q, n, ctag);
		size_t content_end = close;
		if (close != (size_t)-1 && (triple || tk.kind == TK_DELIM)) {
			char want = triple ? '}' : '=';
			/* the extra char must directly precede the delimiter; for
			 * "}}}" the first "}}" found may be the one to use shifted */
			while (close != (size_t)-1 && s[close - 1] != want &&
			       !(close + ctag.n < n && s[close] == want &&
			         memcmp(s + close + 1, ctag.p, ctag.n) == 0))
				close = find_str(s, close + 1, n, ctag);
			if (close != (size_t)-1) {
				if (s[close - 1] == want) {
					/* "{{=}}": the sigil doubles as the end */
					content_end = close > q ? close - 1 : q;
				} else {
					content_end = close;
					close++;
				}
			}
		}
		if (close == (size_t)-1) {
			diag_error(c->d, c->t->path, tk.line, tk.col,
			           "unclosed tag: no \"%s%.*s\" after \"%.*s\"",
			           triple ? "}" : tk.kind == TK_DELIM ? "=" : "",
			           (int)ctag.n, ctag.p, (int)otag.n, otag.p);
			c->errors++;
			return -1;
		}
		tk.end = close + ctag.n;
		struct span content = {s + q, content_end - q};
		tk.name = span_trim(content);
		advance(c, tk.end);

		if ((tk.kind == TK_PARTIAL || tk.kind == TK_PARENT || tk.kind == TK_CLOSE) &&
		    tk.name.n && tk.name.p[0] == '*') {
			struct span rest = {tk.name.p + 1, tk.name.n - 1};
			tk.name = span_trim(rest);
			tk.dynamic = 1;
		}
		if (tk.kind == TK_DELIM) {
			struct span o, cl;
			if (parse_delims(content, &o, &cl) < 0) {
				error_at(c, tk.line, tk.col,
				         N_("bad set-delimiter tag: it takes two delimiters "
				         "without spaces or \"=\", as in {{=<% %>=}}"));
			} else {
				otag = o;
				ctag = cl;
			}
		} else if (tk.kind != TK_COMMENT && tk.name.n == 0) {
			/* recorded, then left out, so that "{{/}}" is one error */
			error_at(c, tk.line, tk.col, N_("tag without a name"));
			pos = tk.end;
			continue;
		}
		add_tok(c, tk);
		pos = tk.end;
	}
}

static int opens(enum tok_kind k)
{
	return k == TK_SECTION || k == TK_INVERTED || k == TK_PARENT || k == TK_BLOCK;
}

static const char *kind_word(enum tok_kind k)
{
	switch (k) {
	case TK_PARENT: return "parent";
	case TK_BLOCK: return "block";
	default: return "section";
	}
}

/* Pairs closing tags with opening ones; records the syntax errors. */
static void match(struct compiler *c)
{
	size_t *stack = NULL, sp = 0;
	stack = xmalloc((MAX_NEST + 1) * sizeof *stack);
	for (size_t i = 0; i < c->n; i++) {
		struct tok *tk = &c->toks[i];
		if (opens(tk->kind)) {
			if (sp == MAX_NEST) {
				diag_error(c->d, c->t->path, tk->line, tk->col,
				           "sections nested more than %d levels deep", MAX_NEST);
				c->errors++;
				goto done;
			}
			stack[sp++] = i;
			continue;
		}
		if (tk->kind != TK_CLOSE)
			continue;
		if (!sp) {
			diag_error(c->d, c->t->path, tk->line, tk->col,
			           "closing tag \"%.*s\" has no open section",
			           (int)tk->name.n, tk->name.p);
			c->errors++;
			continue;
		}
		/* Which open tag does it close? The innermost one of that name;
		 * those opened after it were left unclosed. None: a typo in the
		 * closing tag, which then closes the innermost section. */
		size_t k = sp;
		while (k > 0) {
			struct tok *o = &c->toks[stack[k - 1]];
			if (o->dynamic == tk->dynamic && o->name.n == tk->name.n &&
			    memcmp(o->name.p, tk->name.p, tk->name.n) == 0)
				break;
			k--;
		}
		if (k == 0) {
			struct tok *o = &c->toks[stack[sp - 1]];
			diag_error(c->d, c->t->path, tk->line, tk->col,
			           "closing tag \"%.*s\" does not match the open %s \"%.*s\"",
			           (int)tk->name.n, tk->name.p, kind_word(o->kind),
			           (int)o->name.n, o->name.p);
			diag_hint(c->d, "\"%.*s\" was opened at line %d, column %d",
			          (int)o->name.n, o->name.p, o->line, o->col);
			c->errors++;
			sp--;
			continue;
		}
		while (sp > k) {
			struct tok *o = &c->toks[stack[--sp]];
			diag_error(c->d, c->t->path, o->line, o->col, "unclosed %s \"%.*s\"",
			           kind_word(o->kind), (int)o->name.n, o->name.p);
			c->errors++;
		}
		sp--;
		tk->closes_parent = c->toks[stack[sp]].kind == TK_PARENT;
	}
	while (sp > 0) {
		struct tok *o = &c->toks[stack[--sp]];
		diag_error(c->d, c->t->path, o->line, o->col, "unclosed %s \"%.*s\"",
		           kind_word(o->kind), (int)o->name.n, o->name.p);
		diag_hint(c->d, "close it with a matching {{/%.*s}}", (int)o->name.n, o->name.p);
		c->errors++;
	}
done:
	free(stack);
}

static int standalone_kind(const struct tok *tk)
{
	return tk->kind != TK_TEXT && tk->kind != TK_VAR && tk->kind != TK_RAW;
}

/* Length of the white space (spaces, tabs) at s[from..n). */
static size_t blank_run(const char *s, size_t from, size_t n)
{
	size_t i = from;
	while (i < n && is_blank(s[i]))
		i++;
	return i - from;
}

/* White space only, apart from a final "\n" or "\r\n". */
static int blank_text(const char *s, size_t from, size_t to)
{
	if (to > from && s[to - 1] == '\n') {
		to--;
		if (to > from && s[to - 1] == '\r')
			to--;
	}
	return blank_run(s, from, to) == to - from;
}

/* Marks standalone lines: a line holding only white space and tags that
 * produce no text of their own (sections, comments, partials...). Parent
 * tags do not count, so "{{<parent}}{{$block}}" or "{{/block}}{{/parent}}"
 * is one standalone tag, as the inheritance spec asks. */
static void find_standalone(struct compiler *c)
{
	const char *s = c->t->src;
	size_t n = c->t->len;
	for (size_t a = 0; a < c->n;) {
		size_t b = a;
		while (b < c->n && !(c->toks[b].kind == TK_TEXT && c->toks[b].nl))
			b++;
		size_t last = b < c->n ? b : c->n - 1; /* line is toks[a..last] */
		int ok = 1, tags = 0, counted = 0;
		for (size_t i = a; i <= last && ok; i++) {
			struct tok *tk = &c->toks[i];
			if (tk->kind == TK_TEXT) {
				ok = blank_text(s, tk->start, tk->end);
			} else if (!standalone_kind(tk)) {
				ok = 0;
			} else {
				tags++;
				if (tk->kind != TK_PARENT && !tk->closes_parent)
					counted++;
			}
		}
		if (ok && tags && counted <= 1) {
			struct span ws = {s + c->toks[a].start, 0};
			if (c->toks[a].kind == TK_TEXT)
				ws.n = blank_run(s, c->toks[a].start, c->toks[a].end);
			size_t line_end = c->toks[last].end;
			/* the line after it, for a standalone block's indentation */
			struct span next = {s + line_end, blank_run(s, line_end, n)};
			for (size_t i = a; i <= last; i++) {
				struct tok *tk = &c->toks[i];
				if (tk->kind == TK_TEXT) {
					tk->dropped = 1;
					continue;
				}
				tk->standalone = 1;
				tk->ws = ws;
				if (tk->kind == TK_BLOCK)
					tk->bws = next;
			}
		} else {
			/* an inline block is indented like its line */
			struct span lead = {s + c->toks[a].start, 0};
			if (c->toks[a].kind == TK_TEXT)
				lead.n = blank_run(s, c->toks[a].start, c->toks[a].end);
			for (size_t i = a; i <= last; i++)
				if (c->toks[i].kind == TK_BLOCK)
					c->toks[i].bws = lead;
		}
		a = last + 1;
	}
}

/* ---- compiling: ops ---- */

static struct op *add_op(struct tmpl *t, enum op_kind kind)
{
	t->ops = xgrow(t->ops, &t->cap, t->nops + 1, sizeof *t->ops);
	struct op *op = &t->ops[t->nops++];
	memset(op, 0, sizeof *op);
	op->kind = (unsigned char)kind;
	return op;
}

static void set_name(struct tmpl *t, struct op *op, const struct tok *tk)
{
	op->name = tk->name;
	op->line = tk->line;
	op->col = tk->col;
	op->dynamic = (unsigned char)tk->dynamic;
	op->standalone = (unsigned char)tk->standalone;
	op->parts = t->nparts;
	if (tk->name.n == 1 && tk->name.p[0] == '.')
		return; /* the implicit iterator: no parts */
	const char *p = tk->name.p, *end = tk->name.p + tk->name.n;
	for (;;) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		const char *e = dot ? dot : end;
		VEC_PUSH(t->parts, t->nparts, t->partcap, ((struct span){p, (size_t)(e - p)}));
		op->nparts++;
		if (!dot)
			break;
		p = dot + 1;
	}
}

/* One frame per open section while emitting: the op index it opened, or
 * (size_t)-1 for a section inside a parent's body, which emits nothing. */
#define DROPPED ((size_t)-1)

static void emit(struct compiler *c)
{
	struct tmpl *t = c->t;
	const char *s = t->src;
	size_t stack[MAX_NEST + 1], sp = 0;
	int line_start = 1; /* the next token begins a source line */

	for (size_t i = 0; i < c->n; i++) {
		struct tok *tk = &c->toks[i];
		int at_bol = line_start;
		line_start = tk->kind == TK_TEXT && tk->nl;
		/* Inside a parent only blocks count; inside anything dropped,
		 * nothing does. */
		int in_parent = sp && stack[sp - 1] != DROPPED &&
		                t->ops[stack[sp - 1]].kind == OP_PARENT;
		int dropped = (sp && stack[sp - 1] == DROPPED) ||
		              (in_parent && tk->kind != TK_BLOCK && tk->kind != TK_CLOSE);
		if (tk->kind == TK_CLOSE) {
			size_t o = stack[--sp];
			if (o != DROPPED)
				t->ops[o].end = t->nops;
			continue;
		}
		if (dropped) {
			if (opens(tk->kind))
				stack[sp++] = DROPPED;
			continue;
		}
		struct op *op;
		switch (tk->kind) {
		case TK_TEXT: {
			if (tk->dropped)
				break;
			size_t from = tk->start;
			size_t len = tk->end - tk->start;
			int bare_newline = (len == 1 && s[from] == '\n') ||
			                   (len == 2 && s[from] == '\r' && s[from + 1] == '\n');
			if (at_bol && !bare_newline) {
				op = add_op(t, OP_LINE);
				op->s.p = s + from;
				op->s.n = blank_run(s, from, tk->end);
				from += op->s.n;
			}
			if (from < tk->end) {
				op = add_op(t, OP_TEXT);
				op->s.p = s + from;
				op->s.n = tk->end - from;
			}
			break;
		}
		case TK_COMMENT:
		case TK_DELIM:
			if (at_bol && !tk->standalone)
				add_op(t, OP_LINE)->s.p = s + tk->start;
			break;
		default: {
			static const enum op_kind map[] = {
				[TK_VAR] = OP_VAR, [TK_RAW] = OP_RAW,
				[TK_SECTION] = OP_SECTION, [TK_INVERTED] = OP_INVERTED,
				[TK_PARTIAL] = OP_PARTIAL, [TK_PARENT] = OP_PARENT,
				[TK_BLOCK] = OP_BLOCK,
			};
			/* a parent's body holds only its blocks, no lines */
			if (at_bol && !tk->standalone && !in_parent)
				add_op(t, OP_LINE)->s.p = s + tk->start;
			op = add_op(t, map[tk->kind]);
			set_name(t, op, tk);
			if (tk->kind == TK_PARTIAL || tk->kind == TK_PARENT)
				op->s = tk->ws;
			else if (tk->kind == TK_BLOCK)
				op->s = tk->bws;
			if (opens(tk->kind))
				stack[sp++] = t->nops - 1;
			break;
		}
		}
	}
}

/* Compiles one template (not the ones it names) and resolves the targets
 * of its static partials and parents. */
static void compile_one(struct tmpl_set *set, struct tmpl *t, struct diags *d)
{
	struct compiler c = {0};
	c.t = t;
	c.d = d;
	c.line = 1;
	clear_compiled(t);
	if (tokenize(&c) == 0)
		match(&c);
	if (c.errors)
		goto done;
	find_standalone(&c);
	emit(&c);
	for (size_t i = 0; i < t->nops; i++) {
		struct op *op = &t->ops[i];
		if ((op->kind != OP_PARTIAL && op->kind != OP_PARENT) || op->dynamic)
			continue;
		/* get() may grow the set's arrays but never moves a tmpl */
		struct tmpl *target = get(set, op->name.p, op->name.n, d);
		op->target = target;
		if (target->state != T_MISSING)
			continue;
		if (target->load_failed) {
			c.errors++;
		} else if (set->flags & TMPL_STRICT) {
			diag_error(d, t->path, op->line, op->col, "%s \"%.*s\" not found",
			           op->kind == OP_PARENT ? "parent" : "partial",
			           (int)op->name.n, op->name.p);
			c.errors++;
		}
	}
done:
	free(c.toks);
	if (c.errors) {
		clear_compiled(t);
		t->state = T_FAILED;
	} else {
		t->state = T_OK;
	}
}

/* Compiles t and every template it names statically, each once; 0 when all
 * of them compiled. Iterative, so a long chain of partials is no danger. */
static int compile_closure(struct tmpl_set *set, struct tmpl *root, struct diags *d)
{
	if (root->closure_ok)
		return 0;
	unsigned gen = ++set->gen;
	struct tmpl **todo = NULL, **seen = NULL;
	size_t ntodo = 0, nseen = 0, captodo = 0, capseen = 0;
	int ok = 1;

	root->mark = gen;
	VEC_PUSH(todo, ntodo, captodo, root);
	while (ntodo) {
		struct tmpl *t = todo[--ntodo];
		VEC_PUSH(seen, nseen, capseen, t);
		if (t->state == T_NEW)
			compile_one(set, t, d);
		if (t->state != T_OK) {
			ok = 0;
			continue;
		}
		for (size_t i = 0; i < t->nops; i++) {
			struct tmpl *u = t->ops[i].target;
			if (!u || u->mark == gen || u->state == T_MISSING)
				continue;
			u->mark = gen;
			VEC_PUSH(todo, ntodo, captodo, u);
		}
	}
	if (ok)
		for (size_t i = 0; i < nseen; i++)
			seen[i]->closure_ok = 1;
	free(todo);
	free(seen);
	return ok ? 0 : -1;
}

int tmpl_set_compile(struct tmpl_set *set, const char *name, struct diags *d)
{
	struct tmpl *t = get(set, name, strlen(name), d);
	if (t->state == T_MISSING) {
		if (!t->load_failed)
			diag_error(d, NULL, 0, 0, "template \"%s\" not found", name);
		return -1;
	}
	return compile_closure(set, t, d);
}

/* ---- rendering ---- */

/* Indentation in force: the string r->ind.data[off .. off+len) is written
 * at each line start, after removing strip bytes of the line's own leading
 * white space (a block override's indentation at its definition). */
struct ind {
	size_t off, len, strip;
};

/* The block overrides of one {{<parent}} tag: its OP_BLOCKs are the ops
 * t->ops[from..to) (each skipping to its end). */
struct ovr {
	const struct tmpl *t;
	size_t from, to;
	const struct ovr *prev;
};

struct render {
	struct tmpl_set *set;
	struct buf *out;
	struct diags *d;
	const struct value **stack;
	size_t sp, cap;
	struct buf ind;
	int depth; /* partials, parents and overridden blocks being rendered */
	int sections; /* sections being rendered */
};

static int render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to,
                      struct ind ind, const struct ovr *ov);

static void push(struct render *r, const struct value *v)
{
	if (r->sp == r->cap) {
		r->cap *= 2;
		if (r->cap == 64) { /* leaving the initial array on the C stack */
			const struct value **heap = xmalloc(r->cap * sizeof *heap);
			memcpy(heap, r->stack, r->sp * sizeof *heap);
			r->stack = heap;
		} else {
			r->stack = xrealloc(r->stack, r->cap * sizeof *r->stack);
		}
	}
	r->stack[r->sp++] = v;
}

/* Context lookup as the spec says: the first name part is searched from
 * the top of the stack down, the others only inside what it found. */
static const struct value *lookup(const struct render *r, const struct tmpl *t,
                                  const struct op *op)
{
	if (op->nparts == 0)
		return r->stack[r->sp - 1];
	const struct span *p = &t->parts[op->parts];
	const struct value *v = NULL;
	for (size_t i = r->sp; i-- > 0;) {
		v = value_get(r->stack[i], p[0].p, p[0].n);
		if (v)
			break;
	}
	for (size_t k = 1; v && k < op->nparts; k++)
		v = value_get(v, p[k].p, p[k].n);
	return v;
}

static void interpolate(struct buf *out, const struct value *v, int escape)
{
	if (!v)
		return;
	switch (v->kind) {
	case VALUE_STR:
		if (escape)
			escape_html(out, v->u.str.s, v->u.str.n);
		else
			buf_put(out, v->u.str.s, v->u.str.n);
		break;
	case VALUE_INT:
		buf_printf(out, "%lld", v->u.i);
		break;
	case VALUE_BOOL:
		buf_puts(out, v->u.b ? "true" : "false");
		break;
	default:
		break; /* null prints nothing; so do lists and maps */
	}
}

/* A new indentation: cur followed by ws minus strip bytes. It is appended
 * to r->ind; the caller truncates r->ind back to its length afterwards. */
static struct ind indent_plus(struct render *r, struct ind cur, struct span ws)
{
	size_t skip = cur.strip < ws.n ? cur.strip : ws.n;
	struct ind ni = {r->ind.len, cur.len + ws.n - skip, 0};
	buf_grow(&r->ind, ni.len);
	/* buf_grow may move the data: copy from it only afterwards */
	memcpy(r->ind.data + r->ind.len, r->ind.data + cur.off, cur.len);
	r->ind.len += cur.len;
	r->ind.data[r->ind.len] = '\0';
	buf_put(&r->ind, ws.p + skip, ws.n - skip);
	return ni;
}

static int too_deep(struct render *r, const struct tmpl *t, const struct op *op)
{
	if (r->depth < MAX_INCLUDE)
		return 0;
	diag_error(r->d, t->path, op->line, op->col,
	           "templates nested more than %d levels deep at \"%.*s\"", MAX_INCLUDE,
	           (int)op->name.n, op->name.p);
	diag_hint(r->d, "is a partial including itself without a section that ends it?");
	return 1;
}

/* {{>x}} and {{<x}}: the target's ops, indented when the tag stood alone. */
static int render_include(struct render *r, const struct tmpl *t, const struct op *op,
                          struct ind ind, const struct ovr *ov)
{
	struct tmpl *target = op->target;
	if (op->dynamic) {
		const struct value *v = lookup(r, t, op);
		if (!v || v->kind != VALUE_STR)
			return 0; /* the spec: a failed resolution renders nothing */
		target = get(r->set, v->u.str.s, v->u.str.n, r->d);
	}
	if (!target)
		return 0;
	if (target->state == T_MISSING) {
		if (target->load_failed)
			return -1;
		if (!(r->set->flags & TMPL_STRICT))
			return 0;
		const struct span nm = {target->name, target->name_len};
		return diag_error(r->d, t->path, op->line, op->col, "%s \"%.*s\" not found",
		                  op->kind == OP_PARENT ? "parent" : "partial", (int)nm.n, nm.p);
	}
	/* a dynamic name met for the first time (or a template replaced) */
	if (!target->closure_ok && compile_closure(r->set, target, r->d) < 0)
		return -1;
	if (too_deep(r, t, op))
		return -1;

	size_t mark = r->ind.len;
	struct ind ni = {0, 0, 0};
	if (op->standalone)
		ni = indent_plus(r, ind, op->s);
	struct ovr frame = {t, 0, op->end, ov};
	if (op->kind == OP_PARENT) {
		frame.from = (size_t)(op - t->ops) + 1;
		ov = &frame;
	}
	r->depth++;
	int rc = render_ops(r, target, 0, target->nops, ni, ov);
	r->depth--;
	r->ind.len = mark;
	return rc;
}

/* {{$x}}: the override of the outermost parent tag that gives one, else
 * the default content. Override lines lose the indentation they had where
 * they were written and gain the one of this block. */
static int render_block(struct render *r, const struct tmpl *t, size_t i, struct ind ind,
                        const struct ovr *ov)
{
	const struct op *op = &t->ops[i];
	const struct tmpl *ft = NULL;
	size_t k = 0;
	for (const struct ovr *f = ov; f; f = f->prev) {
		for (size_t j = f->from; j < f->to; j = f->t->ops[j].end) {
			const struct op *b = &f->t->ops[j];
			if (b->kind == OP_BLOCK && b->name.n == op->name.n &&
			    memcmp(b->name.p, op->name.p, op->name.n) == 0) {
				ft = f->t;
				k = j;
				break;
			}
		}
	}
	if (!ft)
		return render_ops(r, t, i + 1, op->end, ind, ov);
	if (too_deep(r, t, op))
		return -1;

	const struct op *def = &ft->ops[k];
	size_t mark = r->ind.len;
	struct ind ni = indent_plus(r, ind, op->s);
	ni.strip = def->s.n;
	size_t from = k + 1, to = def->end;
	if (from < to) {
		const struct op *first = &ft->ops[from];
		if (!op->standalone && first->kind == OP_LINE) {
			/* written inline: the output is mid-line already */
			size_t skip = ni.strip < first->s.n ? ni.strip : first->s.n;
			buf_put(r->out, first->s.p + skip, first->s.n - skip);
			from++;
		} else if (op->standalone && first->kind != OP_LINE) {
			buf_put(r->out, r->ind.data + ni.off, ni.len);
		}
	}
	r->depth++;
	int rc = render_ops(r, ft, from, to, ni, ov);
	r->depth--;
	r->ind.len = mark;
	return rc;
}

static int render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to,
                      struct ind ind, const struct ovr *ov)
{
	for (size_t i = from; i < to; i++) {
		const struct op *op = &t->ops[i];
		const struct value *v;
		switch ((enum op_kind)op->kind) {
		case OP_TEXT:
			buf_put(r->out, op->s.p, op->s.n);
			break;
		case OP_LINE: {
			size_t skip = ind.strip < op->s.n ? ind.strip : op->s.n;
			buf_put(r->out, r->ind.data + ind.off, ind.len);
			buf_put(r->out, op->s.p + skip, op->s.n - skip);
			break;
		}
		case OP_VAR:
		case OP_RAW:
			interpolate(r->out, lookup(r, t, op), op->kind == OP_VAR);
			break;
		case OP_SECTION:
		case OP_INVERTED:
			if (r->sections >= MAX_SECTIONS)
				return diag_error(r->d, t->path, op->line, op->col,
				                  "sections nested more than %d levels deep "
				                  "across partials", MAX_SECTIONS);
			v = lookup(r, t, op);
			r->sections++;
			if (op->kind == OP_INVERTED) {
				int rc = value_truthy(v) ? 0 : render_ops(r, t, i + 1, op->end, ind, ov);
				r->sections--;
				if (rc < 0)
					return -1;
				i = op->end - 1;
				break;
			}
			if (v && v->kind == VALUE_LIST) {
				for (size_t k = 0; k < v->u.list.n; k++) {
					push(r, v->u.list.items[k]);
					int rc = render_ops(r, t, i + 1, op->end, ind, ov);
					r->sp--;
					if (rc < 0) {
						r->sections--;
						return -1;
					}
				}
			} else if (value_truthy(v)) {
				push(r, v);
				int rc = render_ops(r, t, i + 1, op->end, ind, ov);
				r->sp--;
				if (rc < 0) {
					r->sections--;
					return -1;
				}
			}
			r->sections--;
			i = op->end - 1;
			break;
		case OP_PARTIAL:
		case OP_PARENT:
			if (render_include(r, t, op, ind, ov) < 0)
				return -1;
			if (op->kind == OP_PARENT)
				i = op->end - 1;
			break;
		case OP_BLOCK:
			if (render_block(r, t, i, ind, ov) < 0)
				return -1;
			i = op->end - 1;
			break;
		}
	}
	return 0;
}

int tmpl_render(struct tmpl_set *set, const char *name, const struct value *data,
                struct buf *out, struct diags *d)
{
	size_t n = strlen(name);
	struct tmpl *t = find(set, name, n);
	if (!t || !t->closure_ok) {
		if (tmpl_set_compile(set, name, d) < 0)
			return -1;
		t = find(set, name, n);
	}
	const struct value *stack0[32];
	struct render r = {0};
	r.set = set;
	r.out = out;
	r.d = d;
	r.stack = stack0;
	r.cap = 32;
	buf_init(&r.ind);
	push(&r, data);
	struct ind none = {0, 0, 0};
	int rc = render_ops(&r, t, 0, t->nops, none, NULL);
	if (r.stack != stack0)
		free(r.stack);
	buf_free(&r.ind);
	return rc;
}
