# tests/lib.sh — shared by the end-to-end scripts in tests/e2e/.
# Each script sources this, calls ok/fail per check, and ends with
# `summary NAME`, which prints "NAME: N passed, M failed" and sets the exit
# status.
set -u
KURA=${KURA:-./kura}
PASS=0
FAIL=0
TMP=$(mktemp -d /tmp/kura-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
ok() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
	desc=$1
	shift
	if "$@"; then ok; else fail "$desc"; fi
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
