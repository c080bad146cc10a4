#!/usr/bin/env python3
"""feedcheck.py — checks an open-data file with Python's own parsers.

usage: feedcheck.py KIND FILE CHECKS

KIND is json, csv or ics. FILE is parsed strictly (json.load; for csv: a
UTF-8 BOM first, every line break CRLF, then csv.reader; for ics: CRLF
only, every physical line at most 75 octets, then unfolded). CHECKS is a
file of Python expressions, one a line, each evaluated with the parsed
file in scope (json: d; csv: r, the list of rows; ics: lines, the unfolded
lines) and required to be true. Prints every failure; exits 1 if any.
"""
import csv
import io
import json
import sys


def load(kind, path):
    raw = open(path, "rb").read()
    if kind == "json":
        if raw.startswith(b"\xef\xbb\xbf"):
            raise ValueError("JSON must not start with a BOM")
        return {"d": json.loads(raw.decode("utf-8"))}
    if kind == "csv":
        if not raw.startswith(b"\xef\xbb\xbf"):
            raise ValueError("CSV does not start with a UTF-8 BOM")
        for i, c in enumerate(raw):
            if c == 0x0A and (i == 0 or raw[i - 1] != 0x0D):
                raise ValueError("bare LF at byte %d" % i)
        if not raw.endswith(b"\r\n"):
            raise ValueError("CSV does not end with CRLF")
        text = raw.decode("utf-8-sig")
        return {"r": list(csv.reader(io.StringIO(text, newline=""), strict=True))}
    if kind == "ics":
        if not raw.endswith(b"\r\n"):
            raise ValueError("ICS does not end with CRLF")
        phys = raw[:-2].split(b"\r\n")
        for n, line in enumerate(phys, 1):
            if b"\n" in line or b"\r" in line:
                raise ValueError("bare CR or LF in line %d" % n)
            if len(line) > 75:
                raise ValueError("line %d is %d octets" % (n, len(line)))
            line.decode("utf-8")  # a fold never splits a character
        text = raw.decode("utf-8").replace("\r\n ", "")
        return {"lines": text[:-2].split("\r\n")}
    raise ValueError("unknown kind " + kind)


def main():
    kind, path, checks = sys.argv[1:4]
    try:
        env = load(kind, path)
    except Exception as e:  # the parse itself is the first check
        print("feedcheck: %s: %s" % (path, e))
        return 1
    failed = 0
    for expr in open(checks, encoding="utf-8").read().splitlines():
        if not expr.strip():
            continue
        try:
            # as globals, so comprehensions see the names too
            ok = eval(expr, dict(env))
        except Exception as e:
            ok = False
            print("feedcheck: %s: %s raised %r" % (kind, expr, e))
        if not ok:
            failed += 1
            print("feedcheck: %s: failed: %s" % (kind, expr))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
