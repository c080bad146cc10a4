#!/usr/bin/env python3
"""Checks a built site: every internal link resolves to a written file,
XML files are well-formed, JSON parses, and (with --seed) the figures of
the seed archive are the report's facts.

usage: check_site.py SITE_DIR [--seed]
Prints one line per failed check and "check_site: N passed, M failed".
"""
import csv
import io
import json
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

site = sys.argv[1]
seed = "--seed" in sys.argv
passed = failed = 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", msg)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v is not None:
                self.links.append(v)
            if k == "id":
                self.ids.add(v)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# 1. Every internal link of every HTML page resolves.
html_files = []
for d, _, fs in os.walk(site):
    for f in fs:
        if f.endswith(".html"):
            html_files.append(os.path.join(d, f))
html_files.sort()
check(len(html_files) > 0, "no HTML pages")
broken = 0
for path in html_files:
    if os.path.basename(path) == "404.html":
        continue  # its links are absolute (base path), checked below
    p = Links()
    text = read(path)
    p.feed(text)
    check(text.count("<h1") == 1, f"{path}: exactly one <h1>")
    check('lang="ja"' in text, f"{path}: lang=ja")
    for link in p.links:
        u = urllib.parse.urlsplit(link)
        if u.scheme or u.netloc or link.startswith("#") or link.startswith("mailto:"):
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(u.path)))
        if link.endswith("/") or os.path.isdir(target):
            target = os.path.join(target, "index.html")
        if not os.path.isfile(target) or not os.path.realpath(target).startswith(os.path.realpath(site)):
            broken += 1
            if broken <= 20:
                print(f"FAIL: {path}: broken link {link}")
check(broken == 0, f"{broken} broken internal links")

# Names that can be told apart: every <title> of the site is distinct
# (404.html is served in place of any missing page, so it is left out).
titles = {}
for path in html_files:
    if os.path.basename(path) == "404.html":
        continue
    m = re.search(r"<title>(.*?)</title>", read(path), re.S)
    check(m is not None, f"{path}: has a <title>")
    if m:
        titles.setdefault(m.group(1).strip(), []).append(os.path.relpath(path, site))
dups = {t: ps for t, ps in titles.items() if len(ps) > 1}
check(not dups, f"every <title> is distinct (repeated: {list(dups.items())[:2]})")

# 2. Well-formed XML and a valid Atom feed; sitemap entries exist.
for name in ("feed.xml", "sitemap.xml"):
    try:
        root = ET.parse(os.path.join(site, name)).getroot()
        check(True, name)
    except Exception as e:  # noqa: BLE001 - report any parse failure
        check(False, f"{name}: not well-formed XML: {e}")
        root = None
    if name == "feed.xml" and root is not None:
        A = "{http://www.w3.org/2005/Atom}"
        check(root.tag == A + "feed", "feed.xml: Atom root")
        for req in ("id", "title", "updated"):
            check(root.find(A + req) is not None, f"feed.xml: <{req}>")
        for e in root.findall(A + "entry"):
            for req in ("id", "title", "updated"):
                check(e.find(A + req) is not None, f"feed.xml entry: <{req}>")
    if name == "sitemap.xml" and root is not None:
        S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        locs = [e.text for e in root.iter(S + "loc")]
        check(len(locs) > 0, "sitemap.xml: has URLs")

# 3. Open data parses.
data = json.loads(read(os.path.join(site, "data/sessions.json")))
sessions = data["sessions"]
check(len(sessions) > 0, "sessions.json: sessions")
raw = open(os.path.join(site, "data/sessions.csv"), "rb").read()
check(raw.startswith(b"\xef\xbb\xbf"), "sessions.csv: BOM")
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
check(len(rows) == len(sessions) + 1, "sessions.csv: one row per session")
raw = open(os.path.join(site, "data/attendance.csv"), "rb").read()
check(raw.startswith(b"\xef\xbb\xbf"), "attendance.csv: BOM")
list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
ics = open(os.path.join(site, "sessions.ics"), "rb").read()
check(all(len(l) <= 75 for l in ics.split(b"\r\n")), "sessions.ics: lines <= 75 octets")
check(ics.count(b"BEGIN:VEVENT") == len(sessions), "sessions.ics: one event per session")
unfolded = ics.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
summaries = [l[len("SUMMARY:"):] for l in unfolded if l.startswith("SUMMARY:")]
check(len(summaries) == len(set(summaries)), "sessions.ics: every SUMMARY is distinct")
froot = ET.parse(os.path.join(site, "feed.xml")).getroot()
ftitles = [e.find("{http://www.w3.org/2005/Atom}title").text
           for e in froot.findall("{http://www.w3.org/2005/Atom}entry")]
check(len(ftitles) == len(set(ftitles)), "feed.xml: every entry title is distinct")

# 4. The seed archive's facts (the report's figures), where the site shows them.
if seed:
    def text_of(rel):
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", read(os.path.join(site, rel))))

    NONPUBLIC = {"企業ヒアリング": "hearing", "運営ミーティング": "meeting"}
    public = [s for s in sessions if s.get("series") not in NONPUBLIC]
    ex = [s for s in sessions if s.get("series") == "オンライン情報交換会"]
    check(len(ex) == 24, f"24 exchange sessions in sessions.json (got {len(ex)})")
    check(sum(s["attendance"] for s in ex) == 319, "exchange sessions total 319")
    check(sorted(s["number"] for s in ex) == list(range(1, 25)), "numbered 1..24")
    june = [s for s in public if s["date"].startswith("2020-06")]
    check(len(june) == 5 and sum(s["attendance"] or 0 for s in june) == 112,
          "2020-06: 5 public sessions, 112 participants")

    # The eight operating meetings are there, and in no public total.
    meetings = [s for s in sessions if s.get("series") == "運営ミーティング"]
    check(len(meetings) == 8, f"8 operating meetings (got {len(meetings)})")
    check(all(s["attendance"] is None for s in meetings), "meetings carry no attendance")
    home = text_of("index.html")
    check("オンライン情報交換会 24 回・延べ参加者数 319 人" in home,
          "home: オンライン情報交換会 24 回 / のべ 319 人 first")
    check(home.find("オンライン情報交換会") < home.find("公開セッションの合計"),
          "home: the series before any total")
    npub = len(public)
    kpub = sum(s["attendance"] for s in public if s["attendance"] is not None)
    check(f"{npub} 回・延べ参加者数 {kpub} 人" in home and npub == len(sessions) - 9,
          f"home: the public total is {npub} 回 / {kpub} 人, without the meetings and the hearing")
    # No total across kinds without its label: every "328 人" (24 + 2 + 1
    # public records) sits next to the words that say what it adds up.
    for path in html_files:
        t = text_of(os.path.relpath(path, site))
        for m in re.finditer(r"(\d+) 回\S* 延べ参加者数 (\d+) 人|(\d+) 回・延べ参加者数 (\d+) 人", t):
            n = int(m.group(1) or m.group(3))
            if n not in (npub, npub + 9):
                continue
            before = t[max(0, m.start() - 80):m.start()]
            check("公開セッション" in before,
                  f"{os.path.relpath(path, site)}: {m.group(0)} is labelled as a public total")
    check(not any(re.search(r"(?<!\d)(28|36) 回", text_of(os.path.relpath(p, site)))
                  for p in html_files), "no page shows 28 or 36 回 (a sum across kinds)")

    # The home page's table of years counts public sessions, as its
    # caption says: 2020's row starts with the public sessions of 2020.
    for y in ("2020", "2021"):
        n = sum(1 for s in public if s["date"].startswith(y))
        check(re.search(rf"{y}年 {n} ", home) is not None, f"home: the {y} row counts {n} public sessions")

    series_dir = os.path.join("series", "joho-kokan", "index.html")
    check(re.search(r"24 回 / 延べ参加者数 319 人", text_of(series_dir)) is not None,
          "series page: 24 回 / 319 人")
    check(re.search(r"\b319\b", text_of("attendance/index.html")) is not None,
          "attendance page shows 319")
    # Every month of the exchange sessions: the month page's headline is
    # the month's public sessions and their known attendance.
    for ym in sorted({s["date"][:7] for s in ex}):
        ms = [s for s in public if s["date"].startswith(ym)]
        known = [s["attendance"] for s in ms if s["attendance"] is not None]
        want = f"公開セッション {len(ms)} 回 / 延べ参加者数 {sum(known)} 人"
        if len(known) < len(ms):
            want += f"（ほかに記録なし {len(ms) - len(known)} 回）"
        page = text_of(f"archive/{ym[:4]}/{ym[5:]}/index.html")
        check(want in page, f"archive/{ym}: {want}")
    fy = read(os.path.join(site, "fy/2020/index.html"))
    n_ex = sum(1 for s in ex if f'sessions/{s["slug"]}/' in fy)
    check(n_ex == 24, f"令和2年度 page holds all 24 exchange sessions (got {n_ex})")
    check("令和2年度" in fy, "fy page labelled 令和2年度")

    # Unknown is never zero: no seed record has a known attendance of 0,
    # so a "0 人" anywhere would be an unknown shown as zero.
    zero = [os.path.relpath(p, site) for p in html_files
            if re.search(r"延べ参加者数\s*0\s*人|延べ\s*0\s*人", text_of(os.path.relpath(p, site)))]
    check(not zero, f"no page shows 延べ 0 人 (found on {zero[:3]})")
    talk = [s for s in sessions if s.get("series") == "トークセッション"]
    check(len(talk) == 1 and talk[0]["attendance"] is None,
          "the talk session's attendance is null in sessions.json")
    att = list(csv.DictReader(io.StringIO(
        open(os.path.join(site, "data/attendance.csv"), "rb").read().decode("utf-8-sig"),
        newline="")))
    trow = [r for r in att if r["kind"] == "series" and r["key"] == "トークセッション"]
    check(len(trow) == 1 and trow[0]["total"] == "", "attendance.csv: the talk's total is empty")

print(f"check_site: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
