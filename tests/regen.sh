#!/bin/sh
# Rebuilds every golden site under tests/golden/ from tests/fixtures/,
# shows what changed, then replaces the golden files. Review the diff
# before committing.
set -eu
for name in mini; do
	tmp=$(mktemp -d)
	./kura build --quiet --repo "tests/fixtures/$name" --out "$tmp/site"
	if [ -d "tests/golden/$name" ]; then
		diff -ru "tests/golden/$name" "$tmp/site" || true
	fi
	rm -rf "tests/golden/$name"
	mkdir -p tests/golden
	cp -r "$tmp/site" "tests/golden/$name"
	rm -rf "$tmp"
	echo "regen: tests/golden/$name updated"
done
