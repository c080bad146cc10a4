#!/bin/sh
# End-to-end: kura check follows the links and images of Markdown bodies —
# broken internal links, missing #anchors, missing images and documents,
# images without alt text, each at its path:line:col — and writes
# nothing; links to other hosts are left alone.
. tests/lib.sh
A=$TMP/a
cp -r tests/fixtures/mini "$A"
S=$A/content/sessions/2020/a-first.md
cat >>"$S" <<'MD'

良い例：[次の回](../b-second/)、[根から](/mini/sessions/b-second/)、[絶対](https://example.org/mini/themes/)、[注](#fn-1)、[外](https://other.example/x)、![図](/mini/media/photo.svg)[^1]
[^1]: 脚注です。

壊れた例：[ない回](../nope/) と [錨](../b-second/#nowhere)
![](/mini/media/photo.svg)
![写真](media/photo.svg) [資料](/mini/media/report.pdf) [上へ](../../../../x)
MD
expect_exit 1 "broken links refused" $KURA check --repo "$A" >"$TMP/out" 2>"$TMP/err"
grep -v '^  hint' "$TMP/err" >"$TMP/got"
cat >"$TMP/want" <<'TXT'
content/sessions/2020/a-first.md:28:6: error: broken link "../nope/": the site has no sessions/nope/index.html
content/sessions/2020/a-first.md:28:24: error: link "../b-second/#nowhere": the page has no anchor #nowhere
content/sessions/2020/a-first.md:29:1: error: image without alt text
content/sessions/2020/a-first.md:30:1: error: image "media/photo.svg" not found: the site has no sessions/a-first/media/photo.svg
content/sessions/2020/a-first.md:30:24: error: broken link "/mini/media/report.pdf": the site has no media/report.pdf
content/sessions/2020/a-first.md:30:53: error: link "../../../../x" leads above the site's root
kura: 6 errors, 0 warnings; see above
TXT
check "every problem, located (code points), nothing else" diff -u "$TMP/want" "$TMP/got"
check "a relative address meant from the root gets the root form as a hint" grep -qF \
	'hint: links are read from this page'"'"'s address (/sessions/a-first/); from the site'"'"'s root write /mini/media/photo.svg' \
	"$TMP/err"
check "check writes nothing" test ! -e "$A/site"
# The fixed file passes; build does not follow links (check does).
sed -i '/^壊れた例/,$d' "$S"
expect_exit 0 "good links pass" $KURA check --repo "$A" >/dev/null 2>"$TMP/err2"
check "no diagnostics for good links" test ! -s "$TMP/err2"
summary links
