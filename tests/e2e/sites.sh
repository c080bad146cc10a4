#!/bin/sh
# End-to-end: fixture archives built and compared with golden files;
# git sources (working tree, --ref, bare) give the same site; drafts never
# appear; the output directory guard.
. tests/lib.sh

# 1. The mini fixture as a plain directory matches the golden site.
if $KURA build --quiet --repo tests/fixtures/mini --out "$TMP/mini" 2>"$TMP/err"; then
	ok
	check "mini site equals tests/golden/mini (make regen shows the diff)" \
		diff -r tests/golden/mini "$TMP/mini"
else
	fail "mini build failed: $(cat "$TMP/err")"
fi

if python3 tests/check_site.py "$TMP/mini" >"$TMP/check" 2>&1; then ok; else
	cat "$TMP/check"
	fail "check_site.py on the mini site"
fi

# 2. The same fixture as a git repository: working tree, --ref and bare.
mkrepo tests/fixtures/mini "$TMP/repo"
check "worktree build" $KURA build --quiet --repo "$TMP/repo" --out "$TMP/wt"
check "worktree site equals golden" diff -r tests/golden/mini "$TMP/wt"
git clone -q --bare "$TMP/repo" "$TMP/bare.git"
check "bare build at --ref main" $KURA build --quiet --repo "$TMP/bare.git" --ref main --out "$TMP/bare"
check "bare --ref site equals checkout site" diff -r "$TMP/wt" "$TMP/bare"
commit=$(git -C "$TMP/bare.git" rev-parse HEAD)
check "bare build at --ref <commit id>" $KURA build --quiet --repo "$TMP/bare.git" --ref "$commit" --out "$TMP/bare-id"
check "bare --ref <commit id> site equals checkout site" diff -r "$TMP/wt" "$TMP/bare-id"
check "bare build at HEAD" $KURA build --quiet --repo "$TMP/bare.git" --out "$TMP/bare-head"
check "bare HEAD site equals checkout site" diff -r "$TMP/wt" "$TMP/bare-head"
# An uncommitted edit shows in the working tree, not at --ref.
printf '\n追加の段落。\n' >>"$TMP/repo/content/pages/about.md"
$KURA build --quiet --repo "$TMP/repo" --out "$TMP/wt2"
check "uncommitted edit is built from the working tree" grep -q 追加の段落 "$TMP/wt2/about/index.html"
$KURA build --quiet --repo "$TMP/repo" --ref HEAD --out "$TMP/ref2"
check "--ref ignores the uncommitted edit" diff -r "$TMP/wt" "$TMP/ref2"
check "a bad ref is an error" sh -c "! $KURA build --quiet --repo '$TMP/repo' --ref no-such --out '$TMP/x' 2>/dev/null"

# 3. Drafts are never published (unless --drafts).
check "no draft in the site" sh -c "! grep -rq '下書き' '$TMP/mini'"
check "no draft in open data" sh -c "! grep -q e-draft '$TMP/mini/data/sessions.json'"
$KURA build --quiet --drafts --repo tests/fixtures/mini --out "$TMP/drafts"
check "--drafts shows the draft" test -f "$TMP/drafts/sessions/e-draft/index.html"

# 4. Deterministic: two builds are byte-identical.
$KURA build --quiet --repo tests/fixtures/mini --out "$TMP/mini2"
check "two builds are identical" diff -r "$TMP/mini" "$TMP/mini2"

# Whatever the number of writing threads, the same bytes.
$KURA build --quiet -j 1 --repo tests/fixtures/mini --out "$TMP/j1"
$KURA build --quiet -j 4 --repo tests/fixtures/mini --out "$TMP/j4"
check "-j 1 site equals golden" diff -r tests/golden/mini "$TMP/j1"
check "-j 4 site equals golden" diff -r tests/golden/mini "$TMP/j4"

# 5. The output guard: a directory kura did not write is never replaced.
mkdir -p "$TMP/foreign" && echo keep >"$TMP/foreign/notes.txt"
check "foreign --out is refused" sh -c "! $KURA build --quiet --repo tests/fixtures/mini --out '$TMP/foreign' 2>'$TMP/err'"
check "refusal says why" grep -q 'notes.txt' "$TMP/err"
check "foreign file kept" grep -q keep "$TMP/foreign/notes.txt"

# 6. Rebuilding over a kura site replaces it.
check "rebuild over own site" $KURA build --quiet --repo tests/fixtures/mini --out "$TMP/mini"
check "rebuilt site still equals golden" diff -r tests/golden/mini "$TMP/mini"

summary sites
