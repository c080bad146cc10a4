#!/bin/sh
# ThreadSanitizer (make tsan, which builds build/tsan/kura; make test does
# not run this script): the seed archive and the mini fixture built with 4
# threads (-j 4) report nothing (TSAN_OPTIONS halt_on_error=1 exitcode=66,
# stderr empty) and give the same bytes as the normal build with one.
. tests/lib.sh

TSAN_KURA=${TSAN_KURA:-build/tsan/kura}
if [ ! -x "$TSAN_KURA" ]; then
	fail "no ThreadSanitizer build at $TSAN_KURA (make tsan builds it)"
	summary tsan
	exit
fi
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"

expect_exit 0 "seed build under TSan with -j 4" \
	"$TSAN_KURA" build --quiet -j 4 --out "$TMP/seed" 2>"$TMP/seed.err"
check "TSan reports nothing on the seed build" test ! -s "$TMP/seed.err"
[ -s "$TMP/seed.err" ] && head -60 "$TMP/seed.err"
expect_exit 0 "seed build with -j 1" $KURA build --quiet -j 1 --out "$TMP/seed1"
check "-j 4 under TSan equals -j 1" diff -r "$TMP/seed1" "$TMP/seed"

expect_exit 0 "mini build under TSan with -j 4" \
	"$TSAN_KURA" build --quiet -j 4 --repo tests/fixtures/mini --out "$TMP/mini" 2>"$TMP/mini.err"
check "TSan reports nothing on the mini build" test ! -s "$TMP/mini.err"
[ -s "$TMP/mini.err" ] && head -60 "$TMP/mini.err"
check "mini site under TSan equals tests/golden/mini" diff -r tests/golden/mini "$TMP/mini"

summary tsan
