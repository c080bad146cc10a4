#!/bin/sh
# End-to-end: kura check --format gcc|json|github. The located lines of
# tests/fixtures/bad/expected.txt must come back from the JSON Lines and
# from the GitHub workflow commands, parsed (not grepped), and the count
# of errors stays on stderr in every format.
. tests/lib.sh
BAD=tests/fixtures/bad

expect_exit 1 "json: bad input refused" \
	$KURA check --repo $BAD --format json >"$TMP/json" 2>"$TMP/json-err"
expect_exit 1 "github: bad input refused" \
	$KURA check --repo $BAD --format github >"$TMP/gh" 2>"$TMP/gh-err"
expect_exit 1 "gcc: bad input refused" \
	$KURA check --repo $BAD --format gcc >"$TMP/gcc-out" 2>"$TMP/gcc"
for f in json gh; do
	check "$f: the count of errors is on stderr, alone" \
		test "$(cat "$TMP/$f-err")" = "kura: 11 errors, 1 warning; see above"
done
check "gcc: nothing on stdout" test ! -s "$TMP/gcc-out"
check "gcc: today's located lines" grep -qxF "$(head -n 1 $BAD/expected.txt)" "$TMP/gcc"

# Both machine formats, parsed into gcc's located lines (message without
# the hint) and compared with expected.txt; the hints must agree too.
check "json and github carry expected.txt's lines and the same hints" \
	python3 - "$TMP/json" "$TMP/gh" $BAD/expected.txt <<'PY'
import json, re, sys
js = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
gh = open(sys.argv[2], encoding="utf-8").read().splitlines()
want = open(sys.argv[3], encoding="utf-8").read().splitlines()
def unesc(s, prop):
    if prop:
        s = s.replace("%3A", ":").replace("%2C", ",")
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
keys = ["level", "path", "line", "col", "message", "hint"]
assert all(list(j) == keys for j in js), "json keys"
assert len(js) == len(gh) == 12, (len(js), len(gh))
got_j, got_g = [], []
for j, g in zip(js, gh):
    if j["level"] == "error":
        got_j.append("%s:%d:%d: error: %s" % (j["path"], j["line"], j["col"], j["message"]))
    m = re.fullmatch(r"::(error|warning) ([^:]*)::(.*)", g)
    assert m, g
    props = dict(p.split("=", 1) for p in m.group(2).split(","))
    props = {k: unesc(v, True) for k, v in props.items()}
    assert props["title"] == "kura", props
    msg = unesc(m.group(3), False)
    assert m.group(1) == j["level"], g
    assert (props["file"], int(props["line"]), int(props["col"])) == \
        (j["path"], j["line"], j["col"]), g
    assert msg == j["message"] + (" — " + j["hint"] if j["hint"] else ""), g
    if m.group(1) == "error":
        got_g.append("%s:%s:%s: error: %s" % (props["file"], props["line"], props["col"],
                                              msg.split(" — ")[0]))
assert got_j == want, (got_j, want)
assert got_g == want, (got_g, want)
PY

# Escaping: a file name with , and : (properties) and a message with %.
mkdir -p "$TMP/esc/content/sessions"
printf 'title: t\nbase_url: /\n' >"$TMP/esc/content/site.yaml"
printf -- '---\ntitle: x\ndate: 2021-03-18\nattendance: 50%%\n---\n' \
	>"$TMP/esc/content/sessions/a,b:c.md"
expect_exit 1 "escaping: refused" $KURA check --repo "$TMP/esc" --format github >"$TMP/esc.out" 2>/dev/null
check "escaping: , : % as GitHub wants them" grep -qF \
	'::error file=content/sessions/a%2Cb%3Ac.md,line=4,col=13,title=kura::attendance: expected a whole number, got "50%25"' \
	"$TMP/esc.out"
expect_exit 1 "escaping: json refused" $KURA check --repo "$TMP/esc" --format json >"$TMP/esc.json" 2>/dev/null
check "json: the file name and the message as they are" grep -qF \
	'{"level":"error","path":"content/sessions/a,b:c.md","line":4,"col":13,"message":"attendance: expected a whole number, got \"50%\"","hint":"write only the number: attendance: 50"}' \
	"$TMP/esc.json"

# The default: github on a GitHub Actions runner, else gcc; --format wins.
GITHUB_ACTIONS=true $KURA check --repo $BAD >"$TMP/d1" 2>/dev/null
check "GITHUB_ACTIONS=true: github by default" cmp -s "$TMP/d1" "$TMP/gh"
GITHUB_ACTIONS=true $KURA check --repo $BAD --format gcc >"$TMP/d2" 2>"$TMP/d2-err"
check "GITHUB_ACTIONS=true --format gcc: gcc" cmp -s "$TMP/d2-err" "$TMP/gcc"
expect_exit 2 "an unknown format is a usage error" $KURA check --format xml --repo $BAD 2>/dev/null
# kura build takes --format too, and writes nothing on errors.
expect_exit 1 "build --format json refused" \
	$KURA build --repo $BAD --out "$TMP/site" --format json >"$TMP/b.json" 2>/dev/null
check "build: the same JSON lines as check" cmp -s "$TMP/b.json" "$TMP/json"
check "build: nothing written" test ! -e "$TMP/site"
# A clean check in json: stdout stays JSON (empty), the summary on stderr.
expect_exit 0 "json: a clean archive" \
	$KURA check --repo tests/fixtures/mini --format json >"$TMP/ok.json" 2>"$TMP/ok.err"
check "json: nothing on stdout when clean" test ! -s "$TMP/ok.json"
check "json: the summary on stderr" grep -q '^kura: checked ' "$TMP/ok.err"

summary format
