#!/bin/sh
# Runs every test binary given, then the end-to-end scripts in tests/e2e/,
# and adds up their "name: N passed, M failed" lines into one summary line.
# Exits non-zero if anything failed or a suite crashed.
pass=0 fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() {
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
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
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
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
