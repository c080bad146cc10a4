/* json.c — the JSON writer: separators and nesting tracked here.
 *
 * Every value goes through before_value, which writes what must come
 * before it (a comma, a newline, nothing) from the state of the innermost
 * open container, so the callers only say what they write, never how it
 * is separated. Open containers are a small fixed stack: kura's JSON is
 * a few levels deep, and a fixed stack keeps the writer allocation-free.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

static void misuse(const char *what)
{
	fprintf(stderr, "kura: json: %s\n", what);
	abort();
}

void json_init(struct json *j, struct buf *out, enum json_style style)
{
	memset(j, 0, sizeof *j);
	j->out = out;
	j->style = style;
}

/* The separator before an item of the innermost array, or the check that
 * a key came before a value in an object. */
static void before_value(struct json *j)
{
	if (j->want_value) {
		j->want_value = 0;
		return;
	}
	if (j->depth == 0) {
		if (j->started)
			misuse("a second value at the top level");
		j->started = 1;
		return;
	}
	if (j->open[j->depth - 1].close == '}')
		misuse("a value inside an object needs a key first");
	int first = j->open[j->depth - 1].empty;
	j->open[j->depth - 1].empty = 0;
	if (j->open[j->depth - 1].lines)
		buf_puts(j->out, first ? "\n" : ",\n");
	else if (!first)
		buf_puts(j->out, j->style == JSON_SPACED ? ", " : ",");
}

static void open_container(struct json *j, char open, char close, int lines)
{
	before_value(j);
	if (j->depth == JSON_MAX_DEPTH)
		misuse("nested too deep");
	j->open[j->depth].close = close;
	j->open[j->depth].lines = (char)lines;
	j->open[j->depth].empty = 1;
	j->depth++;
	buf_putc(j->out, open);
}

void json_object(struct json *j)
{
	open_container(j, '{', '}', 0);
}

void json_array(struct json *j)
{
	open_container(j, '[', ']', 0);
}

void json_array_lines(struct json *j)
{
	open_container(j, '[', ']', 1);
}

void json_end(struct json *j)
{
	if (j->depth == 0)
		misuse("json_end with nothing open");
	if (j->want_value)
		misuse("a key without its value");
	j->depth--;
	if (j->open[j->depth].lines && !j->open[j->depth].empty)
		buf_putc(j->out, '\n');
	buf_putc(j->out, j->open[j->depth].close);
}

static void put_string(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	escape_json(b, s, n);
	buf_putc(b, '"');
}

void json_key(struct json *j, const char *key)
{
	if (j->depth == 0 || j->open[j->depth - 1].close != '}')
		misuse("a key outside an object");
	if (j->want_value)
		misuse("two keys in a row");
	if (!j->open[j->depth - 1].empty)
		buf_puts(j->out, j->style == JSON_SPACED ? ", " : ",");
	j->open[j->depth - 1].empty = 0;
	put_string(j->out, key, strlen(key));
	buf_puts(j->out, j->style == JSON_SPACED ? ": " : ":");
	j->want_value = 1;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	before_value(j);
	put_string(j->out, s, strlen(s));
}

void json_int(struct json *j, long long v)
{
	before_value(j);
	buf_printf(j->out, "%lld", v);
}

void json_bool(struct json *j, int v)
{
	before_value(j);
	buf_puts(j->out, v ? "true" : "false");
}

void json_null(struct json *j)
{
	before_value(j);
	buf_puts(j->out, "null");
}
