#!/bin/sh
# The seed archive (content/): builds without errors or warnings, every
# internal link resolves, XML/JSON/CSV/ICS parse, the report's figures
# hold; and the same build under AddressSanitizer/UBSan/LeakSanitizer
# reports nothing.
. tests/lib.sh

expect_exit 0 "seed build" $KURA build --quiet --out "$TMP/site" 2>"$TMP/err"
[ -s "$TMP/err" ] && head -20 "$TMP/err"
check "seed build prints no warning" test ! -s "$TMP/err"
if python3 tests/check_site.py "$TMP/site" --seed >"$TMP/check" 2>&1; then ok; else
	cat "$TMP/check"
	fail "check_site.py on the seed site"
fi
grep -E '^check_site:' "$TMP/check"

ASAN_KURA=${ASAN_KURA:-build/asan/kura}
# Any sanitizer report fails.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
if [ -x "$ASAN_KURA" ]; then
	KURA_ARENA_DEBUG=1 "$ASAN_KURA" build --quiet --out "$TMP/asan" 2>"$TMP/asan.err"
	rc=$?
	check "seed build under ASan/UBSan exits 0 (exit $rc)" test "$rc" -eq 0
	check "ASan/UBSan/LSan report nothing" test ! -s "$TMP/asan.err"
	[ -s "$TMP/asan.err" ] && head -40 "$TMP/asan.err"
	check "ASan build output equals the normal build" diff -r "$TMP/site" "$TMP/asan"
	KURA_ARENA_DEBUG=1 "$ASAN_KURA" build --quiet --repo tests/fixtures/bad \
		--out "$TMP/asan-bad" 2>"$TMP/asan-bad.err"
	rc=$?
	check "bad input under ASan exits 1 (exit $rc)" test "$rc" -eq 1
	no_match "bad input under ASan: no sanitizer report" 'Sanitizer|runtime error:' \
		"$TMP/asan-bad.err"
	check "bad input under ASan: errors reported" grep -q ': error: ' "$TMP/asan-bad.err"
else
	fail "no sanitizer build at $ASAN_KURA (make test builds it)"
fi

summary seed
