#!/bin/sh
# Runs every test binary given, then the end-to-end scripts in tests/e2e/,
# and adds up their "name: N passed, M failed" lines into one summary line.
# Exits non-zero if anything failed. A suite also counts as one failure
# when it prints no summary line, when its summary says "0 passed, 0
# failed" (it checked nothing), when it was killed by a signal (exit 128 +
# the signal's number, as the shell reports it), or when it exits non-zero
# without a failed check.
pass=0 fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() {
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	if [ "$rc" -gt 128 ]; then
		echo "$*: killed by signal $((rc - 128))"
		fail=$((fail + 1))
	fi
	line=$(grep -E '^[^:]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$*: no summary line (exit $rc)"
		fail=$((fail + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
	f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "$*: ran no check"
		fail=$((fail + 1))
	elif [ "$rc" -ne 0 ] && [ "$rc" -le 128 ] && [ "$f" -eq 0 ]; then
		echo "$*: exit $rc with no failed check"
		fail=$((fail + 1))
	fi
}
for t in "$@"; do
	run "$t"
done
for t in tests/e2e/*.sh; do
	[ -f "$t" ] && run sh "$t"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
