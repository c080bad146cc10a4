#!/bin/sh
# End-to-end: kura help. Every command of the overview has its page
# (kura help NAME and kura NAME --help print the same) and its section in
# the manual page docs/kura.1; the pages are in Japanese when the
# language is ja.
. tests/lib.sh
expect_exit 0 "kura --help" $KURA --help >"$TMP/usage"
sed -n 's/^  \([a-z][a-z]*\)  *[^ ].*/\1/p' "$TMP/usage" >"$TMP/names"
check "the overview lists the commands" test "$(wc -l <"$TMP/names")" -ge 7
while read -r name; do
	expect_exit 0 "kura help $name" $KURA help "$name" >"$TMP/page-$name"
	check "kura help $name: its usage" grep -q "^usage: kura $name" "$TMP/page-$name"
	if [ "$name" != hooks ] && [ "$name" != help ]; then
		$KURA "$name" --help >"$TMP/dash-$name"
		check "kura $name --help is kura help $name" cmp -s "$TMP/page-$name" "$TMP/dash-$name"
	fi
	check "kura.1 has a section for $name" grep -qx ".B $name" docs/kura.1
done <"$TMP/names"
expect_exit 2 "an unknown command" $KURA help nothing 2>/dev/null
env -u LANGUAGE LANG=C $KURA help serve >"$TMP/ja"
check "the pages in Japanese (the default language)" grep -q 'Ctrl+C で終わります' "$TMP/ja"
summary help
