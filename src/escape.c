/* escape.c — HTML/XML, JSON, CSV and URL escaping. Kept together so that
 * every output format's escaping can be read and tested in one file. */
#include "escape.h"

void escape_html(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_put(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_put(out, s + start, n - start);
}

void escape_json(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
				buf_put(out, e, 6);
			} else if (c == '<') {
				/* Safe inside a <script type="application/ld+json">. */
				buf_puts(out, "\\u003c");
			} else {
				buf_putc(out, (char)c);
			}
		}
	}
}

void escape_csv(struct buf *out, const char *s, size_t n)
{
	int formula = n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
	int quote = formula;
	for (size_t i = 0; i < n && !quote; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	if (!quote) {
		buf_put(out, s, n);
		return;
	}
	buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	buf_putc(out, '"');
}

void escape_url_segment(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_put(out, e, 3);
		}
	}
}

void escape_github(struct buf *out, const char *s, size_t n, int property)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '%': buf_puts(out, "%25"); break;
		case '\r': buf_puts(out, "%0D"); break;
		case '\n': buf_puts(out, "%0A"); break;
		case ':': buf_puts(out, property ? "%3A" : ":"); break;
		case ',': buf_puts(out, property ? "%2C" : ","); break;
		default: buf_putc(out, s[i]);
		}
	}
}
