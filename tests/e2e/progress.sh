#!/bin/sh
# End-to-end: the progress line and the summary. On a terminal (a
# pseudo-terminal from util-linux's script) a build longer than the delay
# draws one updating line ("\r", erase line) that the summary replaces;
# in a pipe, under CI=true, or when the work is quicker than the delay
# there is none. KURA_PROGRESS_DELAY=0 stands in for a build of over a
# second. Every run ends with one summary line.
. tests/lib.sh
MINI=tests/fixtures/mini
ESC=$(printf '\033')
tty_build() { # tty_build OUT ENV...: a build on a pseudo-terminal, its output in OUT
	out=$1
	shift
	env -u CI "$@" script -qefc "$KURA build --repo $MINI --out $TMP/site-$$-$#" /dev/null >"$out"
}
expect_exit 0 "a terminal, delay 0: built" tty_build "$TMP/tty" KURA_PROGRESS_DELAY=0
check "a terminal: the progress line, redrawn in place" \
	grep -qF "${ESC}[Kkura: 37/37 files (100%)" "$TMP/tty"
check "... then erased, and the summary on its own line" \
	grep -qE "^.*${ESC}\[Kkura: built 27 pages \(37 files, 0\.1 MB; media: 1\) from directory $MINI into .* in [0-9.]+ s.?$" "$TMP/tty"
expect_exit 0 "a terminal, the default delay: built" tty_build "$TMP/quick"
check "a quick build: no progress line" test -s "$TMP/quick"
no_match "... only the summary" "$ESC|files \(" "$TMP/quick"
expect_exit 0 "a terminal under CI=true: built" tty_build "$TMP/ci" KURA_PROGRESS_DELAY=0 CI=true
no_match "CI=true: no progress line" "$ESC" "$TMP/ci"
KURA_PROGRESS_DELAY=0 $KURA build --repo $MINI --out "$TMP/pipe-site" 2>&1 | cat >"$TMP/pipe"
check "a pipe: one line, the summary" test "$(wc -l <"$TMP/pipe")" -eq 1
no_match "a pipe: no progress line" "$ESC|files \(" "$TMP/pipe"
check "a pipe: the summary" grep -qE '^kura: built 27 pages \(37 files, 0\.1 MB; media: 1\) from ' "$TMP/pipe"
# Warnings are counted at the end of the summary.
KURA_PROGRESS_DELAY=0 $KURA check --repo tests/fixtures/vocab >"$TMP/check" 2>/dev/null
check "check's summary counts the warnings" grep -qE '^kura: checked 5 sessions, 1 projects, 0 pages from .* in [0-9.]+ s: no errors; 2 warnings$' "$TMP/check"
summary progress
