#!/bin/sh
# Bad input: every problem of the fixture is reported as
# path:line:col: error: ..., the exit status is 1, and the previous site
# is left exactly as it was.
. tests/lib.sh

expect_exit 0 "mini build" $KURA build --quiet --repo tests/fixtures/mini --out "$TMP/site"
check "checksums of the mini site" tree_sums "$TMP/site" "$TMP/before"

expect_exit 1 "bad input build exits 1" \
	$KURA build --quiet --repo tests/fixtures/bad --out "$TMP/site" 2>"$TMP/stderr"
grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' "$TMP/stderr" >"$TMP/errors"
check "error lines as expected (tests/fixtures/bad/expected.txt)" \
	diff tests/fixtures/bad/expected.txt "$TMP/errors"
n=$(wc -l <"$TMP/errors")
check "one error line per bad file ($n)" test "$n" -eq "$(ls tests/fixtures/bad/content/*/*.md | wc -l)"
check "unknown field warned with a hint" grep -q 'did you mean "attendance"' "$TMP/stderr"
check "previous site untouched" same_sums "$TMP/site" "$TMP/before"
set -- "$TMP"/site.kura-new-*
check "no staging directory left" test ! -e "$1"

# kura check reports the same and writes nothing.
expect_exit 1 "check exits 1" $KURA check --repo tests/fixtures/bad 2>"$TMP/check" >/dev/null
grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' "$TMP/check" >"$TMP/check-errors"
check "check reports the same errors" diff tests/fixtures/bad/expected.txt "$TMP/check-errors"

# A broken theme override: the theme file's path, line and column.
expect_exit 1 "broken theme exits 1" \
	$KURA build --quiet --repo tests/fixtures/badtheme --out "$TMP/site" 2>"$TMP/theme-err"
grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' "$TMP/theme-err" >"$TMP/theme-errors"
check "theme errors as expected (tests/fixtures/badtheme/expected.txt)" \
	diff tests/fixtures/badtheme/expected.txt "$TMP/theme-errors"
check "previous site untouched after a theme error" same_sums "$TMP/site" "$TMP/before"

summary bad_input
