#!/bin/sh
# End-to-end: kura serve on a free loopback port, driven by a real HTTP
# client (python3's urllib): fetch a page, edit its file, receive the
# reload event on the event stream, fetch the new content; break the
# file, see the located error over the last good page; fix it. Drafts
# show the 下書き banner; a built site never carries the reload script.
# No fixed sleeps: every wait is a read with a timeout.
. tests/lib.sh
A=$TMP/a
cp -r tests/fixtures/mini "$A"
printf -- '---\ntitle: 準備中のページ\ndraft: true\n---\n下書きの本文。\n' >"$A/content/pages/junbi.md"
mkdir -p "$TMP/tmpdir"
check "serve: edit, reload, break, fix" env TMPDIR="$TMP/tmpdir" python3 - "$KURA" "$A" <<'PY'
import re, subprocess, sys, urllib.error, urllib.request
kura, repo = sys.argv[1], sys.argv[2]
page_file = repo + "/content/sessions/2020/a-first.md"
p = subprocess.Popen([kura, "serve", "--repo", repo, "--port", "0"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
failed = []
def check(what, ok):
    if not ok:
        failed.append(what)
        print("FAIL:", what)
def get(path):
    try:
        with urllib.request.urlopen(url + path, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
def gen_of(html):
    return re.search(r"__kura/events\?since=(\d+)", html).group(1)
def next_reload(stream):
    while True:
        line = stream.readline().decode()
        if not line:
            return None
        if line == "event: reload\n":
            return stream.readline().decode()
def edit(old, new):
    with open(page_file, encoding="utf-8") as f:
        text = f.read()
    assert old in text, old
    with open(page_file, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new))
try:
    m = re.fullmatch(r"kura: serving (http://127\.0\.0\.1:\d+/mini/) \(Ctrl\+C to stop\)\n",
                     p.stdout.readline())
    url = m.group(1)
    st, html = get("sessions/a-first/")
    check("a page", st == 200 and "<h1>第1回 困窮×コロナ</h1>" in html)
    check("the reload script, in serve mode", "EventSource" in html)
    st, draft = get("junbi/")
    check("a draft, with the 下書き banner", st == 200 and "draft-banner" in draft and "下書き" in draft)
    st, _ = get("nothing-here/")
    check("404 for a missing page", st == 404)
    with urllib.request.urlopen(url[:-1], timeout=5) as r:
        check("the base path without its / leads home", r.geturl() == url)
    events = urllib.request.urlopen(url + "__kura/events?since=" + gen_of(html), timeout=5)
    check("an event stream", events.headers["Content-Type"] == "text/event-stream")
    edit("title: 第1回 困窮×コロナ", "title: 第1回 改題しました")
    check("a reload event after an edit", next_reload(events) is not None)
    st, html = get("sessions/a-first/")
    check("the new content", "<h1>第1回 改題しました</h1>" in html and "kura-serve-errors" not in html)
    edit("attendance: 32", "attendance: 三十二")
    check("a reload event after breaking the file", next_reload(events) is not None)
    st, html = get("sessions/a-first/")
    check("the located error over the last good page", "kura-serve-errors" in html
          and "content/sessions/2020/a-first.md:9:13: error: attendance" in html
          and "<h1>第1回 改題しました</h1>" in html)
    edit("attendance: 三十二", "attendance: 32")
    check("a reload event after the fix", next_reload(events) is not None)
    st, html = get("sessions/a-first/")
    check("fixed: no error panel", st == 200 and "kura-serve-errors" not in html)
    events.close()
finally:
    p.terminate()
    check("a clean stop on SIGTERM", p.wait(timeout=5) == 0)
sys.exit(1 if failed else 0)
PY
check "serve removed its directory" test -z "$(ls -A "$TMP/tmpdir")"
no_match "a built site has no reload script" "EventSource|__kura" tests/golden/mini
summary serve
