#!/bin/sh
# tests/run.sh SUITE...: runs every suite given (a test program, or a .sh
# script, run with sh) and adds up their "name: N passed, M failed" lines
# into one summary line. make test gives the unit test programs and the
# scripts of tests/e2e/ (but tsan.sh, which make tsan runs).
#
# The suites run concurrently, one per CPU (KURA_TEST_JOBS overrides), each
# into a log of its own; the logs are then printed in the order above, so
# the output is the same whatever ran first.
#
# Exits non-zero if anything failed. A suite also counts as one failure
# when it prints no summary line, when its summary says "0 passed, 0
# failed" (it checked nothing), when it was killed by a signal (exit 128 +
# the signal's number, as the shell reports it), or when it exits non-zero
# without a failed check.

# The suites compare kura's messages in English, the source strings:
# without this a fixture's language: ja would print them in Japanese
# (tests/e2e/i18n.sh chooses its languages itself).
export LANGUAGE=en

# run.sh --one DIR NUM COMMAND...: runs one suite with its output and exit
# status in DIR/NUM.log and DIR/NUM.rc (used below through xargs, and by
# tests/valgrind.sh). The shell's own messages ("Segmentation fault") go
# to the log too.
if [ "${1:-}" = --one ]; then
	dir=$2 num=$3
	shift 3
	exec >"$dir/$num.log" 2>&1
	"$@"
	echo $? >"$dir/$num.rc"
	exit 0
fi

jobs=${KURA_TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# python3 (check_site.py, feedcheck.py) is Debian's, which the Makefile
# installs, not whatever a version manager puts first on PATH: pyenv's shim
# costs 0.35 s a call on this machine, more than most suites.
if [ -x /usr/bin/python3 ]; then
	mkdir "$dir/bin" && ln -s /usr/bin/python3 "$dir/bin/python3"
	PATH=$dir/bin:$PATH
	export PATH
fi

# The list: a number (the report's order) and the command, one a line.
n=0
for t in "$@"; do
	n=$((n + 1))
	case $t in
	*.sh) echo "$n sh $t" ;;
	*) echo "$n $t" ;;
	esac
done >"$dir/list"
# The scripts, the longest suites, start first.
{
	grep ' sh ' "$dir/list"
	grep -v ' sh ' "$dir/list"
} | xargs -P "$jobs" -L 1 sh "$0" --one "$dir"

pass=0 fail=0
while read -r i name; do
	log=$dir/$i.log
	cat "$log"
	if [ ! -s "$dir/$i.rc" ]; then
		echo "$name: did not finish"
		fail=$((fail + 1))
		continue
	fi
	read -r rc <"$dir/$i.rc"
	if [ "$rc" -gt 128 ]; then
		echo "$name: killed by signal $((rc - 128))"
		fail=$((fail + 1))
	fi
	line=$(grep -E '^[^:]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$name: no summary line (exit $rc)"
		fail=$((fail + 1))
		continue
	fi
	line=${line##*: } # "P passed, F failed..."
	p=${line%% passed*}
	f=${line#* passed, }
	f=${f%% failed*}
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: ran no check"
		fail=$((fail + 1))
	elif [ "$rc" -ne 0 ] && [ "$rc" -le 128 ] && [ "$f" -eq 0 ]; then
		echo "$name: exit $rc with no failed check"
		fail=$((fail + 1))
	fi
done <"$dir/list"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
