#!/bin/sh
# End-to-end: kura new session|project|page in a copy of the vocab
# fixture (it has content/series.yaml, and 情報交換会 numbers 1 and 2): the
# file's name and number, every field of the table, a file that then
# checks clean, and the refusals (the same command again, a date that is
# not one, a series the vocabulary does not list), which write nothing.
. tests/lib.sh
A=$TMP/a
cp -r tests/fixtures/vocab "$A"
J=content/sessions/2021/2021-03-18-joho-kokan-03.md

expect_exit 0 "new session" $KURA new session --repo "$A" --date 令和3年3月18日 \
	--series 情報交換会 "定例情報交換会" >"$TMP/out" 2>"$TMP/err"
check "prints the path, named from the date, series slug and next number" \
	test "$(cat "$TMP/out")" = "$J"
check "writes that file" test -f "$A/$J"
check "the next number in the series (2 + 1)" grep -q '^number: 3  # ' "$A/$J"
check "the date in ISO form" grep -q '^date: 2021-03-18  # ' "$A/$J"
check "the title and series as given" \
	grep -q '^title: 定例情報交換会  # 題名（必須）$' "$A/$J"
check "a field without a value is a comment, with its description" \
	grep -qx '# venue:  # 会場' "$A/$J"
# The session table's 19 rows (model.c session_fields), each on a line.
check "every row of the field table, once" \
	test "$(grep -cE '^(# )?[a-z]+: (.+ )? # ' "$A/$J")" -eq 19
expect_exit 0 "the new file checks clean" $KURA check --quiet --repo "$A" 2>"$TMP/check-err"
check "  and adds no warning (the fixture's own two only)" \
	test "$(grep -c ': warning: ' "$TMP/check-err")" -eq 2

cp "$A/$J" "$TMP/before"
expect_exit 1 "the same command again is refused" $KURA new session --repo "$A" \
	--date 2021-03-18 --series 情報交換会 "定例情報交換会" >"$TMP/out2" 2>"$TMP/err2"
check "  leaving the file as it was" cmp -s "$A/$J" "$TMP/before"
check "  and writing no other" test "$(ls "$A/content/sessions/2021")" = "${J##*/}"
check "  saying why, in Japanese first" grep -q 'すでにあります.*(this series already has' "$TMP/err2"
expect_exit 1 "the same address is refused" \
	$KURA new session --repo "$A" --date 2021-03-18 --slug joho-kokan-03 x 2>"$TMP/err3"
check "  naming the file" grep -qF "$J" "$TMP/err3"

expect_exit 1 "a date that is not a date" \
	$KURA new session --repo "$A" --date 2021-02-30 x 2>"$TMP/err4"
check "  with the date module's message" grep -qF 'February 2021 has 28 days' "$TMP/err4"
expect_exit 1 "a series not in series.yaml" \
	$KURA new session --repo "$A" --date 2021-03-19 --series 情報交換 x 2>"$TMP/err5"
check "  with a did-you-mean" grep -qF 'did you mean "情報交換会"?' "$TMP/err5"
expect_exit 1 "no --date (kura reads no clock)" $KURA new session --repo "$A" x 2>/dev/null
check "nothing written by the refusals" test "$(ls "$A/content/sessions/2021")" = "${J##*/}"

# A series without numbers, --number, --slug; projects and pages.
expect_exit 0 "a hearing: no number" $KURA new session --repo "$A" --date 2021-04-01 \
	--series 企業ヒアリング "Visit" >"$TMP/o6" 2>&1
check "  named by the series slug alone" \
	test "$(cat "$TMP/o6")" = content/sessions/2021/2021-04-01-hearing.md
check "  number left as a comment" grep -q '^# number:  # ' "$A/content/sessions/2021/2021-04-01-hearing.md"
expect_exit 0 "--number" $KURA new session --repo "$A" --date 2021-04-02 --series 情報交換会 \
	--number 10 "定例" >"$TMP/o7" 2>&1
check "  in the name and the field" grep -q '^number: 10  # ' "$A/$(cat "$TMP/o7")"
expect_exit 0 "a project, its slug from the title" \
	$KURA new project --repo "$A" "Youth Support: 2021" >"$TMP/o8" 2>&1
check "  at content/projects/" test "$(cat "$TMP/o8")" = content/projects/youth-support-2021.md
check "  the title quoted where YAML needs it" \
	grep -q '^title: "Youth Support: 2021"  # ' "$A/content/projects/youth-support-2021.md"
expect_exit 1 "a Japanese project title needs --slug" $KURA new project --repo "$A" "若者" 2>/dev/null
expect_exit 0 "a page" $KURA new page --repo "$A" --slug about "このサイトについて" >"$TMP/o9" 2>&1
check "  at content/pages/" test "$(cat "$TMP/o9")" = content/pages/about.md
expect_exit 0 "everything written checks clean" $KURA check --quiet --repo "$A" 2>/dev/null

summary new
