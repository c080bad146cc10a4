/* json.h — kura's one JSON writer.
 *
 * Appends one JSON text to a struct buf (util.h) value by value: the
 * writer puts the commas, colons and closing brackets itself, so a caller
 * cannot leave one out or put one too many. Strings are escaped by
 * escape_json (escape.h), which also escapes '<', so the text may sit
 * inside an HTML <script> element.
 *
 * Misuse is a bug in kura, not bad input: a value in an object without a
 * key, a key outside an object, json_end with nothing open, a second
 * top-level value, or nesting deeper than JSON_MAX_DEPTH abort with a
 * "kura: json:" message.
 *
 *     struct json j;
 *     json_init(&j, &out, JSON_COMPACT);
 *     json_object(&j);
 *     json_key(&j, "name");
 *     json_str(&j, title);      // {"name":"..."}
 *     json_end(&j);
 *
 * The writer owns nothing: out belongs to the caller, and a struct json
 * needs no freeing.
 */
#ifndef KURA_JSON_H
#define KURA_JSON_H

#include <stddef.h>

#include "util.h"

enum json_style {
	JSON_COMPACT, /* {"a":1,"b":[1,2]} */
	JSON_SPACED,  /* {"a": 1, "b": [1, 2]} */
};

#define JSON_MAX_DEPTH 16

struct json {
	struct buf *out;
	enum json_style style;
	int started;     /* the top-level value has begun */
	int depth;       /* open objects and arrays */
	int want_value;  /* a key was written: its value comes next */
	struct {
		char close;  /* '}' or ']' */
		char lines;  /* an array with each item on a line of its own */
		char empty;  /* nothing written inside yet */
	} open[JSON_MAX_DEPTH];
};

void json_init(struct json *j, struct buf *out, enum json_style style);

void json_object(struct json *j); /* { */
void json_array(struct json *j);  /* [ */
/* [ with every item on a line of its own: "[\n" item ",\n" item "\n]"
 * ("[]" when empty), for files read line by line. */
void json_array_lines(struct json *j);
void json_end(struct json *j);    /* closes the innermost object or array */

/* A key of the innermost object (escaped like a string). */
void json_key(struct json *j, const char *key);

/* Values. */
void json_str(struct json *j, const char *s); /* NULL writes null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);

#endif
