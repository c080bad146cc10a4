/* feeds.h — the open-data files: sessions as JSON and CSV, attendance
 * figures as CSV, and every session as an iCalendar event.
 *
 * Each function appends one whole file to out (it writes no file: the
 * caller does) and cannot fail. The output depends only on the model and
 * its index (no clock, no environment), so the same commit always gives
 * byte-identical files. Sessions are in the model's order (date, start,
 * slug). They are the model's sessions: drafts are dropped when the model
 * is loaded (a --drafts preview has them everywhere, here too).
 *
 * URLs are absolute: site.base_url + "sessions/<slug>/", the slug
 * percent-encoded as one path segment.
 */
#ifndef KURA_FEEDS_H
#define KURA_FEEDS_H

#include "index.h"
#include "model.h"
#include "util.h"

/* The columns of sessions.json and sessions.csv are the session fields
 * whose row in the model's field table (model.h, struct field) names a
 * column there, in that order, plus url, computed here (column 2 of the
 * JSON, 11 of the CSV). An absent value is null in JSON and an empty
 * field in CSV: start, end, series, number (0), attendance (-1, unknown),
 * venue. Today the JSON has slug, url, title, date ("2020-06-03"), start,
 * end ("20:00"), series, number, themes (as written), attendance, venue,
 * projects (slugs of the merged links), guests, organizers, images
 * ([{src, alt, caption}]); the CSV has slug, date, start, end, series,
 * number, title, themes (joined with ";"), attendance, venue, url. */

/* /data/sessions.json: {"generated_by": "kura", "sessions": [...]}, one
 * object per session, one per line, every column's key always present. */
void feeds_sessions_json(struct buf *out, const struct model *m, const struct index *ix);

/* /data/sessions.csv: UTF-8 with a BOM (so Excel reads it as UTF-8), CRLF
 * line ends (RFC 4180), a header row of the column names, then one row
 * per session. */
void feeds_sessions_csv(struct buf *out, const struct model *m, const struct index *ix);

/* /data/attendance.csv: BOM, CRLF, header, then the rows of the index's
 * groups in this order: all, series, theme, month, year, fy (each kind in
 * the index's order). Columns: kind, key, label, sessions, known, total,
 * mean, median (one decimal), min, max. When no session of the group has
 * a known attendance (known == 0), total, mean, median, min and max are
 * empty: unknown is never shown as 0. */
void feeds_attendance_csv(struct buf *out, const struct model *m, const struct index *ix);

/* /sessions.ics (RFC 5545): CRLF lines folded at 75 octets (never inside
 * a UTF-8 sequence), a VCALENDAR named after the site, one VEVENT per
 * session: UID <slug, percent-encoded>@<host of base_url>, DTSTAMP the
 * session's date at 00:00:00Z (deterministic, unlike the clock), SUMMARY
 * (index_session_name: the title, or with its series and number leading
 * when another session has the same title), DTSTART/DTEND when the times are known (DTEND left out when only the
 * start is), else an all-day event (DTEND the next day), LOCATION,
 * CATEGORIES (themes), URL, DESCRIPTION (the summary). When the model
 * knows the UTC offset of site.timezone (site.utc_offset; for Asia/Tokyo
 * JST, +0900, no daylight saving), times carry TZID=<site.timezone> and
 * one VTIMEZONE describes the zone; otherwise they are floating local
 * times, without a VTIMEZONE. */
void feeds_sessions_ics(struct buf *out, const struct model *m, const struct index *ix);

#endif
