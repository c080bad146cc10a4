#!/bin/sh
# Bad input: every problem of the fixture is reported as
# path:line:col: error: ..., the exit status is 1, and the previous site
# is left exactly as it was.
. tests/lib.sh

$KURA build --quiet --repo tests/fixtures/mini --out "$TMP/site" || fail "mini build"
(cd "$TMP/site" && find . -type f | sort | xargs sha256sum) >"$TMP/before"

$KURA build --quiet --repo tests/fixtures/bad --out "$TMP/site" 2>"$TMP/stderr"
rc=$?
check "exit status 1" test "$rc" -eq 1
grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' "$TMP/stderr" >"$TMP/errors"
check "error lines as expected (tests/fixtures/bad/expected.txt)" \
	diff tests/fixtures/bad/expected.txt "$TMP/errors"
n=$(wc -l <"$TMP/errors")
check "one error line per bad file ($n)" test "$n" -eq "$(ls tests/fixtures/bad/content/*/*.md | wc -l)"
check "unknown field warned with a hint" grep -q 'did you mean "attendance"' "$TMP/stderr"
(cd "$TMP/site" && find . -type f | sort | xargs sha256sum) >"$TMP/after"
check "previous site untouched" cmp -s "$TMP/before" "$TMP/after"
check "no staging directory left" sh -c "! ls -d '$TMP'/site.kura-new-* 2>/dev/null"

# kura check reports the same and writes nothing.
$KURA check --repo tests/fixtures/bad 2>"$TMP/check" >/dev/null
check "check exits 1" test $? -eq 1
grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' "$TMP/check" >"$TMP/check-errors"
check "check reports the same errors" diff "$TMP/errors" "$TMP/check-errors"

# A broken theme override: the theme file's path, line and column.
$KURA build --quiet --repo tests/fixtures/badtheme --out "$TMP/site" 2>"$TMP/theme-err"
check "broken theme exits 1" test $? -eq 1
grep -E '^[^ ]+:[0-9]+:[0-9]+: error: ' "$TMP/theme-err" >"$TMP/theme-errors"
check "theme errors as expected (tests/fixtures/badtheme/expected.txt)" \
	diff tests/fixtures/badtheme/expected.txt "$TMP/theme-errors"
(cd "$TMP/site" && find . -type f | sort | xargs sha256sum) >"$TMP/after2"
check "previous site untouched after a theme error" cmp -s "$TMP/before" "$TMP/after2"

summary bad_input
