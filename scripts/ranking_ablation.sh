#!/usr/bin/env bash
# MAP of Dateline on ir-dev with one ranking choice changed at a time, for
# RANKING.md. Run scripts/ranking_table.sh first (it builds the indexes).
#
# Usage: scripts/ranking_ablation.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/ir-dev
work=${1:-/tmp/dateline-ranking}
bin=${DATELINE_BIN:-target/release/dateline}

# A schema with English stop words, to measure them (needs its own indexes).
sed 's/^stop_words = "none"/stop_words = "english"/' index-schema/news.toml > "$work/stop.toml"
for c in cisi cranfield med; do
  [ -d "$work/stop-$c-original" ] || "$bin" index "$data/$c/docs" --index "$work/stop-$c-original" --schema "$work/stop.toml" --quiet >/dev/null 2>&1
  [ -d "$work/stop-$c-reflowed" ] || "$bin" index "$work/reflowed/$c/docs" --index "$work/stop-$c-reflowed" --schema "$work/stop.toml" --quiet >/dev/null 2>&1
done

row() {
  local name=$1 prefix=$2; shift 2
  local cells="" o=0 r=0
  for c in cisi cranfield med; do
    for shape in original reflowed; do
      m=$("$bin" eval ranking --index "$work/$prefix-$c-$shape" --queries "$data/$c/queries.tsv" \
        --qrels "$data/$c/qrels.trec" "$@" | awk -F'\t' '{split($2,a," "); print a[2]}')
      cells="$cells | $m"
      if [ $shape = original ]; then o=$(echo "$o + $m" | bc -l); else r=$(echo "$r + $m" | bc -l); fi
    done
  done
  printf '| %s | `%s`%s | %.4f | %.4f |\n' "$name" "$*" "$cells" "$(echo "$o/3" | bc -l)" "$(echo "$r/3" | bc -l)"
}

echo '| variant | flags | CISI | CISI reflowed | Cranfield | Cranfield reflowed | MED | MED reflowed | mean | mean reflowed |'
echo '|---|---|---|---|---|---|---|---|---|---|'
row "defaults" index
row "no feedback" index --feedback-docs 0
row "per-word best passage, separate title BM25 x2, k1 1.2, no feedback (close to the code before this work)" index --aggregation words --k1 1.2 --title-weight 0 --title-boost 2 --feedback-docs 0
row "best passage" index --aggregation best
row "sum of top 3 passages" index --aggregation top-k --top-k 3
row "per-word best passage" index --aggregation words
row "mix 0.8 article + 0.2 best passage" index --aggregation mix --mix 0.8
row "mix 0.5" index --aggregation mix --mix 0.5
row "headline not in the article score, separate title BM25 x1" index --title-weight 0 --title-boost 1
row "headline weight 1" index --title-weight 1
row "headline weight 5" index --title-weight 5
row "k1 1.2" index --k1 1.2
row "b 0.5" index --b 0.5
row "passage proximity 0.3" index --proximity 0.3
row "feedback 5 articles" index --feedback-docs 5
row "feedback 20 words" index --feedback-terms 20
row "feedback weight 1" index --feedback-weight 1
row "English stop words (index and query)" stop
