#!/bin/sh
# The seed archive (content/): builds without errors or warnings, every
# internal link resolves, XML/JSON/CSV/ICS parse, the report's figures
# hold; and the same build under AddressSanitizer/UBSan/LeakSanitizer
# reports nothing.
. tests/lib.sh

if $KURA build --quiet --out "$TMP/site" 2>"$TMP/err"; then ok; else fail "seed build: $(cat "$TMP/err")"; fi
check "seed build prints no warning" test ! -s "$TMP/err"
if python3 tests/check_site.py "$TMP/site" --seed >"$TMP/check" 2>&1; then ok; else
	cat "$TMP/check"
	fail "check_site.py on the seed site"
fi
grep -E '^check_site:' "$TMP/check"

ASAN_KURA=${ASAN_KURA:-build/asan/kura}
if [ -x "$ASAN_KURA" ]; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1 \
		KURA_ARENA_DEBUG=1 "$ASAN_KURA" build --quiet --out "$TMP/asan" 2>"$TMP/asan.err"
	rc=$?
	check "seed build under ASan/UBSan exits 0" test "$rc" -eq 0
	check "ASan/UBSan/LSan report nothing" test ! -s "$TMP/asan.err"
	[ -s "$TMP/asan.err" ] && head -40 "$TMP/asan.err"
	check "ASan build output equals the normal build" diff -r "$TMP/site" "$TMP/asan"
	KURA_ARENA_DEBUG=1 "$ASAN_KURA" build --quiet --repo tests/fixtures/bad --out "$TMP/asan-bad" 2>/dev/null
	check "bad input under ASan exits 1 (no crash)" test $? -eq 1
else
	fail "no sanitizer build at $ASAN_KURA (make test builds it)"
fi

summary seed
