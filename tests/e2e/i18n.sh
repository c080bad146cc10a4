#!/bin/sh
# End-to-end: messages in the archive's language. Every message of the
# sources (build/kura.pot, extracted by make) has a Japanese translation
# in po/ja.po; an archive with language: ja (the default) prints its
# errors in Japanese under LANG=C, in English with LANGUAGE=en; the
# environment's language wins only when kura has it.
. tests/lib.sh
BAD=tests/fixtures/bad
POT=${KURA_POT:-build/kura.pot}
check "the extracted messages exist" test -s "$POT"
check "every message has a Japanese translation (msgcmp po/ja.po $POT)" \
	msgcmp po/ja.po "$POT"
# make test exports LANGUAGE=en (tests/run.sh): each case sets its own.
run() { # run ENV... -- writes stderr without hints to $TMP/out
	env -u LANGUAGE -u LC_MESSAGES -u LC_ALL "$@" $KURA check --repo $BAD 2>"$TMP/err" >/dev/null
	rc=$?
	grep -v '^  hint' "$TMP/err" >"$TMP/out"
	return $rc
}
expect_exit 1 "LANG=C, language: ja: refused" run LANG=C LC_ALL=C
grep -v '^kura:' "$TMP/out" >"$TMP/lines"
check "LANG=C, language: ja: the located lines in Japanese" cmp -s "$TMP/lines" $BAD/expected-ja.txt
check "... the closing count too" grep -qxF 'kura: エラー 11 件、警告 1 件。上を見てください' "$TMP/out"
check "... and the hints" grep -qxF '  hint: 数字だけを書きます: attendance: 32' "$TMP/err"
check "... every hint, a list of allowed values too" \
	grep -qxF '  hint: proposed, active または completed のどれかを書きます' "$TMP/err"
expect_exit 1 "LANGUAGE=en: refused" run LANGUAGE=en LANG=C
grep ': error: ' "$TMP/out" >"$TMP/lines"
check "LANGUAGE=en: English, as expected.txt" cmp -s "$TMP/lines" $BAD/expected.txt
expect_exit 1 "LC_MESSAGES=en_US.UTF-8: refused" run LC_MESSAGES=en_US.UTF-8
check "LC_MESSAGES=en_US.UTF-8: English" grep -qxF 'kura: 11 errors, 1 warning; see above' "$TMP/out"
expect_exit 1 "LANGUAGE=fr:ja: refused" run LANGUAGE=fr:ja
check "LANGUAGE=fr:ja: kura has no fr, so ja" grep -qxF 'kura: エラー 11 件、警告 1 件。上を見てください' "$TMP/out"
# An archive in English, and the environment asking for Japanese.
cp -r $BAD "$TMP/en"
printf 'language: en\n' >>"$TMP/en/content/site.yaml"
BAD=$TMP/en
expect_exit 1 "language: en: refused" run LANG=C
check "language: en: English" grep -qxF 'kura: 11 errors, 1 warning; see above' "$TMP/out"
expect_exit 1 "language: en, LANGUAGE=ja: refused" run LANGUAGE=ja
check "LANGUAGE=ja wins over the archive's language" grep -qxF 'kura: エラー 11 件、警告 1 件。上を見てください' "$TMP/out"
# The machine formats carry the translated text too.
BAD=tests/fixtures/bad
env -u LANGUAGE LANG=C $KURA check --repo $BAD --format json 2>/dev/null >"$TMP/json"
check "json: the message in Japanese" grep -qF '"message":"attendance: 整数を書いてください（書かれていたのは「32人」）"' "$TMP/json"
# A message made elsewhere and passed through "%s" (N_ in the code) is
# translated too: the hint of a refused --out.
mkdir "$TMP/foreign" && echo x >"$TMP/foreign/notes.txt"
env -u LANGUAGE LANG=C $KURA build --repo tests/fixtures/mini --out "$TMP/foreign" 2>"$TMP/err" >/dev/null
check "a message passed through %s: in Japanese" \
	grep -qxF '  hint: kura が置き換えるのは、kura 自身が書いたディレクトリだけです。別の --out を選ぶか、中を空にします' "$TMP/err"
summary i18n
