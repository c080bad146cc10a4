#!/bin/sh
# End-to-end: publishing on push. A bare repository made from the mini
# fixture gets kura's hooks (kura hooks install); pushes from a clone go
# through them for real: a good commit is published into the web root, a
# commit that does not build is refused with kura's located error and the
# site stays byte-for-byte the same, a fix is published. Then the example
# CI files under contrib/: they parse, and every make target, kura command
# and Debian package they use is the project's.
. tests/lib.sh

# Fixed names and dates, so that every commit id is the same on every run;
# no configuration of the machine's user or system is read.
export GIT_AUTHOR_NAME=kura GIT_AUTHOR_EMAIL=kura@example.org
export GIT_COMMITTER_NAME=kura GIT_COMMITTER_EMAIL=kura@example.org
export GIT_AUTHOR_DATE=2021-04-01T12:00:00+09:00 GIT_COMMITTER_DATE=2021-04-01T12:00:00+09:00
export GIT_CONFIG_NOSYSTEM=1 HOME="$TMP" TMPDIR="$TMP"
bare=$TMP/archive.git www=$TMP/www work=$TMP/work
session=content/sessions/2020/a-first.md

check "fixture repository made" mkrepo tests/fixtures/mini "$TMP/src"
git clone -q --bare "$TMP/src" "$bare"

# 1. Installing the hooks.
expect_exit 1 "hooks install refuses a repository that is not bare" \
	$KURA hooks install --repo "$TMP/src" --out "$www" 2>"$TMP/err"
check "the refusal says bare" grep -q 'bare' "$TMP/err"
expect_exit 2 "hooks install without --out is a usage error" \
	$KURA hooks install --repo "$bare" 2>/dev/null
printf '#!/bin/sh\necho mine\n' >"$bare/hooks/post-receive"
expect_exit 1 "a foreign hook is not replaced without --force" \
	$KURA hooks install --repo "$bare" --out "$www" 2>"$TMP/err"
check "the refusal names --force" grep -q -- '--force' "$TMP/err"
check "the foreign hook is untouched" grep -q mine "$bare/hooks/post-receive"
check "nothing is written when one hook is refused" test ! -e "$bare/hooks/pre-receive"
expect_exit 0 "hooks install --force" \
	$KURA hooks install --force --repo "$bare" --out "$www" >"$TMP/install"
check "the foreign hook is kept aside" grep -q mine "$bare/hooks/post-receive.kura-saved"
expect_exit 0 "installing again replaces kura's own hooks" \
	$KURA hooks install --repo "$bare" --out "$www" >"$TMP/install"
check "the install names the branch from HEAD" grep -q 'main' "$TMP/install"
for h in pre-receive post-receive; do
	check "$h is executable" test -x "$bare/hooks/$h"
	check "$h calls kura by absolute path" grep -q "^KURA='/" "$bare/hooks/$h"
	check "$h is POSIX sh (sh -n)" sh -n "$bare/hooks/$h"
done
check "post-receive builds into the web root" grep -qF "DOCROOT='$www'" "$bare/hooks/post-receive"

git clone -q "$bare" "$work"
commit() { # commit MESSAGE: commits every change in the clone
	git -C "$work" -c commit.gpgsign=false commit -qam "$1"
}
push() { # push LOG: pushes main; git's output (the hooks' too) into LOG
	git -C "$work" push origin main >"$1" 2>&1
}

# 2. A good commit: accepted and published.
sed -i 's/^title: .*/title: 第1回 困窮×コロナ（改訂）/' "$work/$session"
commit "Retitle the first session"
expect_exit 0 "a good push is accepted" push "$TMP/push1"
check "the pusher sees a one-line summary" \
	grep -qE '^remote: kura: サイトを更新しました（main [0-9a-f]{7}）— built [0-9]+ pages' "$TMP/push1"
check "the site appears in the web root" test -f "$www/sessions/a-first/index.html"
check "the site is the pushed commit's" grep -q '（改訂）' "$www/sessions/a-first/index.html"
tree_sums "$www" "$TMP/www1.sums"
good=$(git -C "$bare" rev-parse main)

# 3. A bad date: refused with kura's located error; nothing changes.
sed -i 's/^date: 2020-06-03/date: 2020-13-45/' "$work/$session"
commit "A date that does not exist"
expect_exit 1 "a push that does not build is refused" push "$TMP/push2"
check "the pusher sees kura's located error" \
	grep -q "^remote: $session:3:7: error: date: 2020-13-45" "$TMP/push2"
check "the refusal is in Japanese first" grep -q '^remote: \*\*\* kura: この push は受け付けませんでした' "$TMP/push2"
check "git reports the hook declined" grep -q 'pre-receive hook declined' "$TMP/push2"
check "the branch still points at the good commit" test "$(git -C "$bare" rev-parse main)" = "$good"
check "the web root is byte-for-byte unchanged" same_sums "$www" "$TMP/www1.sums"
check "the quarantine view is removed" test -z "$(ls -d "$TMP"/kura-pre-receive.* 2>/dev/null)"

# 4. The fix: accepted, and the site follows.
sed -i 's/^date: 2020-13-45/date: 2020-06-04/' "$work/$session"
commit "Fix the date"
expect_exit 0 "the fix is accepted" push "$TMP/push3"
check "the branch moved to the fix" \
	test "$(git -C "$bare" rev-parse main)" = "$(git -C "$work" rev-parse HEAD)"
check "the site follows the fix" grep -q '2020-06-04' "$www/sessions/a-first/index.html"
if same_sums "$www" "$TMP/www1.sums"; then fail "the site changed with the fix"; else ok; fi

# 5. Other branches are neither checked nor published.
sed -i 's/^date: 2020-06-04/date: 2020-13-45/' "$work/$session"
commit "Work in progress"
tree_sums "$www" "$TMP/www3.sums"
expect_exit 0 "a push to another branch is accepted" \
	git -C "$work" push -q origin HEAD:refs/heads/draft 2>"$TMP/push4"
check "another branch is not published" same_sums "$www" "$TMP/www3.sums"

# 6. The example CI files: each parses (YAML, JSON); every make target and
# kura command in them exists; their apt-get lines install every Debian
# package the Makefile needs; the problem matcher reads kura's own lines.
$KURA check --repo "$work" >"$TMP/bad.out" 2>&1
$KURA --help >"$TMP/help"
if python3 - "$TMP/help" "$TMP/bad.out" contrib/github/kura.yml contrib/gitlab/gitlab-ci.yml \
	contrib/github/kura-matcher.json >"$TMP/ci" 2>&1 <<'EOF'; then ok; else
import json, re, shlex, sys
import yaml
help_text, bad_out, gh, gl, matcher = sys.argv[1:]
problems = []
help_text = open(help_text).read()
subcommands = set(re.findall(r"^(?:usage:|\s+)\s*kura ([a-z]+)", help_text, re.M))
makefile = open("Makefile").read()
targets = set(re.findall(r"^([A-Za-z][\w.-]*):(?!=)", makefile, re.M))
deb = set(re.search(r"DEB_PKGS\s*:=((?:.*\\\n)*.*)", makefile).group(1).replace("\\\n", " ").split())

def runs(node):
    """Every shell line a workflow runs (run:, script:, before_script:)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("run", "script", "before_script", "after_script"):
                for s in (v if isinstance(v, list) else [v]):
                    yield from str(s).replace("\\\n", " ").splitlines()
            else:
                yield from runs(v)
    elif isinstance(node, list):
        for v in node:
            yield from runs(v)

for path in (gh, gl):
    doc = yaml.safe_load(open(path))
    lines = list(runs(doc))
    if not lines:
        problems.append(f"{path}: runs nothing")
    made = kura_cmds = 0
    for line in lines:
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        for i, w in enumerate(words):
            starts = i == 0 or words[i - 1] in (";", "&&", "||", "then", "else", "do")
            if w == "make" and starts:
                made += 1
                args, j = [], i + 1
                while j < len(words) and words[j] not in (";", "&&", "||", "then", "fi"):
                    a = words[j]
                    if a in ("-C", "-j", "-f"):
                        j += 2
                        continue
                    if not a.startswith("-") and "=" not in a:
                        args.append(a)
                    j += 1
                for t in args:
                    if t not in targets:
                        problems.append(f"{path}: make {t}: no such target in the Makefile")
            if (w == "$KURA" or w.endswith("/kura")) and i + 1 < len(words) \
                    and re.fullmatch(r"[a-z]+", words[i + 1]):
                kura_cmds += 1
                if words[i + 1] not in subcommands:
                    problems.append(f"{path}: kura {words[i + 1]}: not in kura --help")
        if "apt-get install" in line:
            missing = deb - set(line.split())
            if missing:
                problems.append(f"{path}: apt-get install lacks {' '.join(sorted(missing))}")
    if not made or not kura_cmds:
        problems.append(f"{path}: no make ({made}) or no kura command ({kura_cmds}) found")
    if not any("apt-get install" in l for l in lines):
        problems.append(f"{path}: installs no Debian packages")
if "pages" not in yaml.safe_load(open(gl)):
    problems.append(f"{gl}: no pages job")

# The matcher, as GitHub would apply it, to kura's real output.
pat = json.load(open(matcher))["problemMatcher"][0]["pattern"][0]
rx = re.compile(pat["regexp"])
hits = [m for m in map(rx.match, open(bad_out).read().splitlines()) if m]
want = ("content/sessions/2020/a-first.md", "3", "7", "error")
got = [(m[pat["file"]], m[pat["line"]], m[pat["column"]], m[pat["severity"]]) for m in hits]
if got != [want]:
    problems.append(f"{matcher}: matched {got}, expected [{want}]")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF
	cat "$TMP/ci"
	fail "the example CI files (contrib/)"
fi

summary publish
