# tests/lib.sh — shared by the end-to-end scripts in tests/e2e/.
# Each script sources this, calls ok/fail per check, and ends with
# `summary NAME`, which prints "NAME: N passed, M failed" and sets the exit
# status.
#
# Every check must fail when kura crashes or a file it should have written
# is missing: a crash exits with 128 + the signal (or 1 with a sanitizer
# report on stderr), so compare exit codes with the one expected (1 for
# refused input, never "non-zero"), and never grep or test a file that a
# crashed kura might not have written as if its absence were a pass.
set -u
KURA=${KURA:-./kura}
PASS=0
FAIL=0
# Scratch space in a RAM file system when there is one (creating files on
# this machine's disk costs 0.25-0.5 ms each, and the suites create
# thousands), else /tmp; KURA_TEST_TMPDIR chooses. tests/e2e/sites.sh
# keeps the disk, so writing a real file system stays covered.
if [ -z "${KURA_TEST_TMPDIR:-}" ]; then
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then KURA_TEST_TMPDIR=/dev/shm; else KURA_TEST_TMPDIR=/tmp; fi
fi
TMP=$(mktemp -d "$KURA_TEST_TMPDIR/kura-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
ok() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
	desc=$1
	shift
	if "$@"; then ok; else fail "$desc"; fi
}
expect_exit() { # expect_exit CODE DESCRIPTION COMMAND...
	want=$1 desc=$2
	shift 2
	"$@"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else fail "$desc (exit $got, expected $want)"; fi
}
no_match() { # no_match DESCRIPTION ERE FILE-OR-DIR...: grep finds nothing
	# (exit 1); a missing or unreadable file (exit 2) fails the check.
	desc=$1 pat=$2
	shift 2
	grep -rEq -- "$pat" "$@"
	got=$?
	if [ "$got" -eq 1 ]; then ok; else fail "$desc (grep exit $got)"; fi
}
# The sorted checksums of every file under DIR into FILE, which must then
# be non-empty: a site that is missing cannot pass for one unchanged.
tree_sums() { # tree_sums DIR FILE
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs -r sha256sum) >"$2" 2>/dev/null
	test -s "$2"
}
same_sums() { # same_sums DIR FILE: DIR's checksums (non-empty) equal FILE's
	tree_sums "$1" "$2.now" && cmp -s "$2" "$2.now"
}
summary() {
	echo "$1: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
# A git repository made from a fixture directory, with fixed dates and
# names so that commit ids are the same on every machine.
mkrepo() { # mkrepo FIXTURE_DIR DEST
	cp -r "$1" "$2"
	(
		cd "$2" || exit 1
		export GIT_AUTHOR_NAME=kura GIT_AUTHOR_EMAIL=kura@example.org
		export GIT_COMMITTER_NAME=kura GIT_COMMITTER_EMAIL=kura@example.org
		export GIT_AUTHOR_DATE=2021-03-31T12:00:00+09:00 GIT_COMMITTER_DATE=2021-03-31T12:00:00+09:00
		git -c init.defaultBranch=main init -q . &&
			git add -A && git -c commit.gpgsign=false commit -qm fixture
	) || return 1
}
