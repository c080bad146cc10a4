#!/bin/sh
# End-to-end: fixture archives built and compared with golden files;
# git sources (working tree, --ref, bare) give the same site; drafts never
# appear; the output directory guard.
KURA_TEST_TMPDIR=${KURA_TEST_TMPDIR:-/tmp} # a real disk (tests/lib.sh)
. tests/lib.sh

# 1. The mini fixture as a plain directory matches the golden site.
expect_exit 0 "mini build" $KURA build --quiet --repo tests/fixtures/mini --out "$TMP/mini" 2>"$TMP/err"
[ -s "$TMP/err" ] && head -20 "$TMP/err"
check "mini site equals tests/golden/mini (make regen shows the diff)" \
	diff -r tests/golden/mini "$TMP/mini"

if python3 tests/check_site.py "$TMP/mini" >"$TMP/check" 2>&1; then ok; else
	cat "$TMP/check"
	fail "check_site.py on the mini site"
fi

# 2. The same fixture as a git repository: working tree, --ref and bare.
check "fixture repository made" mkrepo tests/fixtures/mini "$TMP/repo"
expect_exit 0 "worktree build" $KURA build --quiet --repo "$TMP/repo" --out "$TMP/wt"
# A git build adds dates from history (作成日・最終更新, the sitemap's
# lastmod, the feed's updated), which a plain directory has not; without
# them it is the golden site (tests/e2e/history.sh checks the dates).
no_history() { # no_history DIR COPY: DIR without what history adds
	cp -r "$1" "$2" &&
		find "$2" -type f \( -name '*.html' -o -name '*.xml' \) -exec sed -i \
			-e '/class="page-history"/d' -e 's|<lastmod>[^<]*</lastmod>||' \
			-e 's|<updated>[^<]*</updated>|<updated/>|' {} +
}
same_but_dates() { # same_but_dates A B
	no_history "$1" "$TMP/a-nh" && no_history "$2" "$TMP/b-nh" && diff -r "$TMP/a-nh" "$TMP/b-nh"
}
check "worktree site equals golden but for its dates" same_but_dates tests/golden/mini "$TMP/wt"
git clone -q --bare "$TMP/repo" "$TMP/bare.git"
expect_exit 0 "bare build at --ref main" \
	$KURA build --quiet --repo "$TMP/bare.git" --ref main --out "$TMP/bare"
check "bare --ref site equals checkout site" diff -r "$TMP/wt" "$TMP/bare"
commit=$(git -C "$TMP/bare.git" rev-parse HEAD)
expect_exit 0 "bare build at --ref <commit id>" \
	$KURA build --quiet --repo "$TMP/bare.git" --ref "$commit" --out "$TMP/bare-id"
check "bare --ref <commit id> site equals checkout site" diff -r "$TMP/wt" "$TMP/bare-id"
expect_exit 0 "bare build at HEAD" $KURA build --quiet --repo "$TMP/bare.git" --out "$TMP/bare-head"
check "bare HEAD site equals checkout site" diff -r "$TMP/wt" "$TMP/bare-head"
# An uncommitted edit shows in the working tree, not at --ref.
printf '\n追加の段落。\n' >>"$TMP/repo/content/pages/about.md"
expect_exit 0 "worktree build with an uncommitted edit" \
	$KURA build --quiet --repo "$TMP/repo" --out "$TMP/wt2"
check "uncommitted edit is built from the working tree" grep -q 追加の段落 "$TMP/wt2/about/index.html"
expect_exit 0 "build at --ref HEAD" $KURA build --quiet --repo "$TMP/repo" --ref HEAD --out "$TMP/ref2"
check "--ref ignores the uncommitted edit" diff -r "$TMP/wt" "$TMP/ref2"
expect_exit 1 "a bad ref is an error" \
	$KURA build --quiet --repo "$TMP/repo" --ref no-such --out "$TMP/x" 2>"$TMP/err"
check "a bad ref names the ref" grep -q 'no-such' "$TMP/err"
check "a bad ref writes nothing" test ! -e "$TMP/x"

# 3. Drafts are never published (unless --drafts).
check "the mini site has sessions" test -f "$TMP/mini/data/sessions.json"
no_match "no draft in the site" '下書き' "$TMP/mini"
no_match "no draft in open data" e-draft "$TMP/mini/data/sessions.json"
expect_exit 0 "--drafts build" $KURA build --quiet --drafts --repo tests/fixtures/mini --out "$TMP/drafts"
check "--drafts shows the draft" test -f "$TMP/drafts/sessions/e-draft/index.html"

# 4. Deterministic: two builds are byte-identical.
expect_exit 0 "second mini build" $KURA build --quiet --repo tests/fixtures/mini --out "$TMP/mini2"
check "two builds are identical" diff -r "$TMP/mini" "$TMP/mini2"

# Whatever the number of writing threads, the same bytes.
expect_exit 0 "-j 1 build" $KURA build --quiet -j 1 --repo tests/fixtures/mini --out "$TMP/j1"
expect_exit 0 "-j 4 build" $KURA build --quiet -j 4 --repo tests/fixtures/mini --out "$TMP/j4"
check "-j 1 site equals golden" diff -r tests/golden/mini "$TMP/j1"
check "-j 4 site equals golden" diff -r tests/golden/mini "$TMP/j4"

# 5. The output guard: a directory kura did not write is never replaced.
mkdir -p "$TMP/foreign" && echo keep >"$TMP/foreign/notes.txt"
expect_exit 1 "foreign --out is refused" \
	$KURA build --quiet --repo tests/fixtures/mini --out "$TMP/foreign" 2>"$TMP/err"
check "refusal says why" grep -q 'notes.txt' "$TMP/err"
check "foreign file kept" grep -q keep "$TMP/foreign/notes.txt"
check "foreign directory holds nothing else" test "$(ls -A "$TMP/foreign")" = notes.txt

# 6. Rebuilding over a kura site replaces it.
expect_exit 0 "rebuild over own site" $KURA build --quiet --repo tests/fixtures/mini --out "$TMP/mini"
check "rebuilt site still equals golden" diff -r tests/golden/mini "$TMP/mini"

summary sites
