#!/bin/sh
# End-to-end: the vocabularies (content/series.yaml, content/themes.yaml)
# and names that cannot become unsafe paths.
. tests/lib.sh

# 1. Themes and series written like markup, "../..", and two themes that
# differ only in width: the site builds, and no file or folder name holds
# a character that would end an HTML attribute or a URL, or climb out.
expect_exit 0 "slugs build" $KURA build --quiet --repo tests/fixtures/slugs --out "$TMP/slugs" 2>"$TMP/err"
[ -s "$TMP/err" ] && head -20 "$TMP/err"
check "the slugs site has theme pages" test -f "$TMP/slugs/themes/index.html"
(cd "$TMP/slugs" && find . -mindepth 1) >"$TMP/names"
check "the slugs site lists its files" test -s "$TMP/names"
no_match "no name holds < > \" ' ? # % , or \\" "[<>\"'?#%,\\\\]" "$TMP/names"
no_match "no name ends with a dot or a space" '[. ]$' "$TMP/names"
check "<b>x</b> became -b-x--b-" test -f "$TMP/slugs/themes/-b-x--b-/index.html"
check "../.. stayed inside themes/" test -f "$TMP/slugs/themes/..-/index.html"
check "ＡＢＣ and ABC are one theme page" test -f "$TMP/slugs/themes/ABC/index.html"
check "no second page for ＡＢＣ" test ! -e "$TMP/slugs/themes/ＡＢＣ"
check "both sessions on the ABC page" \
	grep -q 'sessions/b-width/' "$TMP/slugs/themes/ABC/index.html"
check "both sessions on the ABC page (2)" \
	grep -q 'sessions/a-tags/' "$TMP/slugs/themes/ABC/index.html"

# Two distinct themes that map to one slug: refused, naming both.
expect_exit 1 "a/b and a\\b refused" \
	$KURA build --quiet --repo tests/fixtures/slugs-clash --out "$TMP/clash" 2>"$TMP/clash-err"
check "the clash names both themes" \
	grep -qF 'content/sessions/b-backslash.md: error: theme "a\b" has the same URL slug "a-b" as "a/b"' \
	"$TMP/clash-err"
check "the clash writes nothing" test ! -e "$TMP/clash"

# 2. series.yaml and themes.yaml: aliases fold into one theme page at the
# vocabulary's slug; series pages at their slugs; records outside the
# vocabularies are warnings with a did-you-mean, and still build.
expect_exit 0 "vocab build" $KURA build --quiet --repo tests/fixtures/vocab --out "$TMP/vocab" 2>"$TMP/vocab-err"
check "unlisted series warned, located, with the nearest name" \
	grep -q '^content/sessions/t1.md:4:9: warning: series: "情報交換会Ｘ" is not in content/series.yaml' "$TMP/vocab-err"
check "the hint names the listed series" grep -q 'did you mean "情報交換会"?' "$TMP/vocab-err"
check "unlisted theme warned, located" \
	grep -q '^content/sessions/t1.md:5:10: warning: themes: "まちづくり" is not in content/themes.yaml' "$TMP/vocab-err"
check "two warnings, no more" test "$(grep -c ': warning: ' "$TMP/vocab-err")" -eq 2
for s in j1 j2; do
	check "生活困窮 and its alias 困窮 on one page ($s)" \
		grep -q "sessions/$s/" "$TMP/vocab/themes/poverty/index.html"
done
check "the page is labelled with the vocabulary's name" \
	grep -q '生活困窮' "$TMP/vocab/themes/poverty/index.html"
check "the theme page shows the vocabulary's description" \
	grep -q '<p class="lead">暮らしに困っている人と、その支援について</p>' "$TMP/vocab/themes/poverty/index.html"
check "協働 folds into 市民協働 at kyodo/" grep -q 'sessions/h1/' "$TMP/vocab/themes/kyodo/index.html"
check "theme_slugs still works beside the vocabulary" test -f "$TMP/vocab/themes/corona/index.html"
for t in 困窮 生活困窮 協働 市民協働; do
	check "no page under the name $t" test ! -e "$TMP/vocab/themes/$t"
done
check "the series page shows series.yaml's description" \
	grep -q '<p class="lead">オンラインで開いた情報交換会</p>' "$TMP/vocab/series/joho-kokan/index.html"
for s in joho-kokan hearing teirei 情報交換会Ｘ; do
	check "series page $s" test -f "$TMP/vocab/series/$s/index.html"
done

summary vocab
