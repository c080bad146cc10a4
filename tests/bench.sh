#!/bin/sh
# make bench: reports, never fails a build.
#  1. the template engine alone (tests/bench/bench_tmpl.c);
#  2. kura and Hugo on the same generated corpus, alternating runs, medians
#     and the ratio (needs ../shared/bench/gen_corpus.py; Hugo is Debian's
#     `hugo` package, installed here when missing and running as root).
# Environment: BENCH_N (sessions, default 1000), BENCH_RUNS (default 5),
# BENCH_DIR (default ../shared/bench).
set -u
N=${BENCH_N:-1000}
RUNS=${BENCH_RUNS:-5}
BENCH_DIR=${BENCH_DIR:-../shared/bench}
WORK=${TMPDIR:-/tmp}/kura-bench-$N

echo "== template engine"
./build/bench_tmpl || echo "bench_tmpl failed"

if [ ! -f "$BENCH_DIR/gen_corpus.py" ]; then
	echo "== site build: skipped (no $BENCH_DIR/gen_corpus.py)"
	exit 0
fi
mkdir -p "$WORK"
if [ ! -d "$WORK/corpus/content" ]; then
	python3 "$BENCH_DIR/gen_corpus.py" --n "$N" --seed 1 --out "$WORK/corpus" >/dev/null || exit 0
	printf 'title: Knowledge Core Archive\nbase_url: https://archive.example.org/\n' \
		>"$WORK/corpus/content/site.yaml"
fi

# Wall seconds of one run of "$@".
wall() {
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s.%N)
	echo "$s $e" | awk '{ printf "%.3f\n", $2 - $1 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

have_hugo=0
if command -v hugo >/dev/null 2>&1; then
	have_hugo=1
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "(installing Debian's hugo for the comparison: apt-get install -y hugo)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null 2>&1 && have_hugo=1
fi
if [ "$have_hugo" = 1 ]; then
	rm -rf "$WORK/hugo-site"
	mkdir -p "$WORK/hugo-site/content/archive"
	cp "$BENCH_DIR/hugo-site/config.toml" "$WORK/hugo-site/"
	cp -r "$BENCH_DIR/hugo-site/layouts" "$WORK/hugo-site/"
	ln -s "$WORK/corpus/content/sessions" "$WORK/hugo-site/content/sessions"
	ln -s "$WORK/corpus/content/projects" "$WORK/hugo-site/content/projects"
	printf -- '---\ntitle: 年月別アーカイブ\n---\n' >"$WORK/hugo-site/content/archive/_index.md"
	for yd in "$WORK"/corpus/content/sessions/*/; do
		y=$(basename "$yd")
		mkdir -p "$WORK/hugo-site/content/archive/$y"
		printf -- '---\ntitle: "%s年"\narchive_year: "%s"\n---\n' "$y" "$y" \
			>"$WORK/hugo-site/content/archive/$y/_index.md"
		for mo in $(ls "$yd" | cut -c6-7 | sort -u); do
			mkdir -p "$WORK/hugo-site/content/archive/$y/$mo"
			printf -- '---\ntitle: "%s年%s月"\narchive_month: "%s-%s"\n---\n' "$y" "$mo" "$y" "$mo" \
				>"$WORK/hugo-site/content/archive/$y/$mo/_index.md"
		done
	done
fi

echo "== site build, N=$N sessions, $RUNS runs each (alternating), wall seconds"
: >"$WORK/k.txt"
: >"$WORK/h.txt"
: >"$WORK/r.txt"
# Every run writes into a fresh directory: deleting thousands of files
# just before a run slows file creation on some file systems, whichever
# tool runs next. Outputs are removed after the timed loop.
rm -rf "$WORK"/out-*
wall ./kura build --quiet --repo "$WORK/corpus" --out "$WORK/out-kura-warm" >/dev/null
i=0
while [ "$i" -lt "$RUNS" ]; do
	k=$(wall ./kura build --quiet --repo "$WORK/corpus" --out "$WORK/out-kura-$i")
	echo "$k" >>"$WORK/k.txt"
	if [ "$have_hugo" = 1 ]; then
		h=$(wall hugo --quiet --source "$WORK/hugo-site" --destination "$WORK/out-hugo-$i" \
			--cacheDir "$WORK/out-hugo-cache-$i")
		echo "$h" >>"$WORK/h.txt"
		echo "$h $k" | awk '{ if ($2 > 0) printf "%.2f\n", $1 / $2 }' >>"$WORK/r.txt"
	fi
	i=$((i + 1))
done
pages=$(find "$WORK/out-kura-warm" -name '*.html' | wc -l)
rm -rf "$WORK"/out-*
echo "kura: median $(median <"$WORK/k.txt") s ($pages HTML pages)"
if [ "$have_hugo" = 1 ]; then
	echo "hugo: median $(median <"$WORK/h.txt") s"
	echo "hugo/kura wall-time ratio, pair by pair: median $(median <"$WORK/r.txt")x"
else
	echo "hugo: not available; no comparison"
fi
exit 0
