#!/bin/sh
# End-to-end: dates and links from git history (src/history.c), and
# reproducible output. The repository is tests/fixtures/mkhistory.sh's
# (commits on 2020-01-15, 2021-06-01 and 2022 with a rename and a merge).
. tests/lib.sh

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
repo=$TMP/repo
check "history fixture made" sh tests/fixtures/mkhistory.sh "$repo"
commit=$(git -C "$repo" rev-parse HEAD)

# 1. Both dates on the record's page, in the site's zone (JST), 和暦 too.
expect_exit 0 "build at --ref main" $KURA build --quiet --repo "$repo" --ref main \
	--out "$TMP/ref" 2>"$TMP/err"
check "no diagnostics" test ! -s "$TMP/err"
a=$TMP/ref/sessions/a/index.html
check "a: 作成日 2020年1月15日" grep -q '作成日 <time datetime="2020-01-15T10:00:00+09:00">2020年1月15日</time> <span class="era">令和2年1月15日' "$a"
check "a: 最終更新 2021年6月2日 (23:30 UTC is 08:30 in Tokyo)" grep -q '最終更新 <time datetime="2021-06-02T08:30:00+09:00">2021年6月2日' "$a"
check "renamed c keeps b's created date" grep -q '作成日 <time datetime="2020-01-15T10:00:00+09:00">' "$TMP/ref/sessions/c/index.html"
check "merged page: created on its branch" grep -q '作成日 <time datetime="2022-01-10T09:00:00+09:00">' "$TMP/ref/about/index.html"
check "authors shown when show_authors is true" grep -q '<span class="author">Bob</span>' "$a"
no_match "no author e-mail address in the output" '(alice|bob|carol)@' "$TMP/ref"
check "edit link at the built commit" grep -q "href=\"https://github.com/example/archive/blob/$commit/content/sessions/2020/a.md\">このページを編集" "$a"
check "history link at the built commit" grep -q "href=\"https://github.com/example/archive/commits/$commit/content/sessions/2020/a.md\">変更履歴" "$a"
check "sitemap lastmod is the last change" grep -q 'sessions/a/</loc><lastmod>2021-06-02T08:30:00+09:00</lastmod>' "$TMP/ref/sitemap.xml"
check "feed entry updated is the last change" grep -q '<updated>2021-06-02T08:30:00+09:00</updated>' "$TMP/ref/feed.xml"

# 2. A --depth 1 clone builds, with exactly one warning saying what to do.
git clone -q --depth 1 "file://$repo" "$TMP/shallow" 2>/dev/null
expect_exit 0 "shallow clone builds" $KURA build --quiet --repo "$TMP/shallow" \
	--out "$TMP/sh" 2>"$TMP/sh.err"
check "exactly one warning" test "$(grep -c 'warning:' "$TMP/sh.err")" -eq 1
check "the warning says git fetch --unshallow" grep -q 'git fetch --unshallow' "$TMP/sh.err"
check "shallow dates fall back to the commit" grep -q '作成日 <time datetime="2022-02-02T12:00:00+09:00">' "$TMP/sh/sessions/a/index.html"

# 3. Reproducible: TZ, locale, -j and SOURCE_DATE_EPOCH change nothing
# (the clean working tree gives the commit's site too, below).
TZ=UTC LANG=C LC_ALL=C SOURCE_DATE_EPOCH=0 \
	$KURA build --quiet -j 1 --repo "$repo" --ref main --out "$TMP/r1" 2>/dev/null
TZ=Pacific/Auckland LANG=C.UTF-8 LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=2000000000 \
	$KURA build --quiet -j 4 --repo "$repo" --ref main --out "$TMP/r2" 2>/dev/null
check "identical builds under other TZ, locale, -j, SOURCE_DATE_EPOCH" diff -r "$TMP/r1" "$TMP/r2"
check "and equal to the default build" diff -r "$TMP/r1" "$TMP/ref"
check "working tree equals --ref build when clean" sh -c \
	"$KURA build --quiet --repo '$repo' --out '$TMP/wt' && diff -r '$TMP/wt' '$TMP/ref'"

# 4. Uncommitted edits take HEAD's time (or SOURCE_DATE_EPOCH), never the
# clock; explicit link patterns; no authors unless asked.
printf '\n未コミットの追記。\n' >>"$repo/content/sessions/2020/c.md"
cat >"$repo/content/site.yaml" <<'YAML'
title: 履歴のテスト
base_url: https://example.org/h/
edit_url: "https://git.example.org/edit?c={commit}&p={path}"
history_url: "https://git.example.org/log/{commit}/{path}"
YAML
mv "$repo/content/pages/about.md" "$repo/content/pages/このサイト.md"
expect_exit 0 "working tree with edits" $KURA build --quiet --repo "$repo" --out "$TMP/dirty"
c=$TMP/dirty/sessions/c/index.html
check "edited file: 最終更新 is HEAD's time" grep -q '最終更新 <time datetime="2022-02-02T12:00:00+09:00">' "$c"
SOURCE_DATE_EPOCH=1700000000 $KURA build --quiet --repo "$repo" --out "$TMP/dirty2"
check "edited file: or SOURCE_DATE_EPOCH's" grep -q '最終更新 <time datetime="2023-11-15T07:13:20+09:00">' "$TMP/dirty2/sessions/c/index.html"
check "edit_url pattern filled" grep -q "href=\"https://git.example.org/edit?c=$commit&amp;p=content/sessions/2020/c.md\"" "$c"
check "path percent-encoded per segment" grep -q "https://git.example.org/log/$commit/content/pages/%E3%81%93%E3%81%AE%E3%82%B5%E3%82%A4%E3%83%88.md" "$TMP/dirty/このサイト/index.html"
no_match "no authors unless show_authors" 'class="author"' "$TMP/dirty"

# 5. A plain directory: no history, no dates, no warning.
cp -r "$repo/content" "$TMP/plain"
mkdir -p "$TMP/plaindir" && mv "$TMP/plain" "$TMP/plaindir/content"
expect_exit 0 "plain directory builds" $KURA build --quiet --repo "$TMP/plaindir" \
	--out "$TMP/pd" 2>"$TMP/pd.err"
check "plain directory: no warning" test ! -s "$TMP/pd.err"
no_match "plain directory: no dates" 'page-history|<lastmod>' "$TMP/pd"

summary history
