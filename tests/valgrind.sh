#!/bin/sh
# make valgrind: kura's seed build (content/, with the default writer
# threads and with -j 1), the bad-input build, and every unit test program
# given as an argument, each under valgrind's memcheck with
# KURA_ARENA_DEBUG=1 (every arena object a malloc of its own, so that
# valgrind sees each one). A run passes when it exits as expected (the
# bad input 1, everything else 0) and valgrind reports nothing: no invalid
# read or write, no use of uninitialised memory, no definite or possible
# leak. The runs go concurrently, one per CPU, through tests/run.sh --one.
. tests/lib.sh

export KURA_ARENA_DEBUG=1
jobs=${KURA_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
vg="valgrind -q --error-exitcode=1 --leak-check=full --num-callers=40"

# One line per run: its name, then the command.
{
	echo "seed $vg --log-file=$TMP/seed.vg $KURA build --quiet --out $TMP/seed"
	echo "seed-j1 $vg --log-file=$TMP/seed-j1.vg $KURA build --quiet -j 1 --out $TMP/seed-j1"
	echo "bad-input $vg --log-file=$TMP/bad-input.vg $KURA build --quiet --repo tests/fixtures/bad --out $TMP/bad"
	for t in "$@"; do
		name=$(basename "$t")
		echo "$name $vg --log-file=$TMP/$name.vg $t"
	done
} >"$TMP/list"
xargs -P "$jobs" -L 1 sh tests/run.sh --one "$TMP" <"$TMP/list"

while read -r name cmd; do
	want=0
	[ "$name" = bad-input ] && want=1
	rc=255
	[ -f "$TMP/$name.rc" ] && read -r rc <"$TMP/$name.rc"
	if [ "$rc" -eq "$want" ] && [ -f "$TMP/$name.vg" ] && [ ! -s "$TMP/$name.vg" ]; then
		ok
		echo "valgrind: $name: clean"
	else
		fail "valgrind: $name (exit $rc, expected $want)"
		cat "$TMP/$name.vg" 2>/dev/null
		tail -n 20 "$TMP/$name.log"
	fi
done <"$TMP/list"

summary valgrind
