#!/usr/bin/env bash
# Builds the RANKING.md table: Dateline and the SQLite FTS5 baseline on the
# ir-dev collections, as shipped and re-flowed to one sentence per line.
#
# Usage: scripts/ranking_table.sh [WORK_DIR] [-- extra `dateline eval ranking` options]
# Needs a release build (cargo build --release) and python3 with sqlite3.
# WORK_DIR (default /tmp/dateline-ranking) receives the re-flowed copies,
# the indexes and the run files; nothing is written to the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/ir-dev
work=${1:-/tmp/dateline-ranking}
shift || true
[ "${1:-}" = "--" ] && shift
bin=${DATELINE_BIN:-target/release/dateline}
mkdir -p "$work"

printf '| collection | shape | system | MAP | nDCG@10 | P@10 | R@100 |\n|---|---|---|---|---|---|---|\n'
for c in cisi cranfield med; do
  for shape in original reflowed; do
    docs=$data/$c/docs
    if [ "$shape" = reflowed ]; then
      [ -d "$work/reflowed/$c/docs" ] || python3 scripts/reflow.py "$data/$c" "$work/reflowed/$c" 2>/dev/null
      docs=$work/reflowed/$c/docs
    fi
    index=$work/index-$c-$shape
    [ -d "$index" ] || "$bin" index "$docs" --index "$index" --quiet >/dev/null
    fts=$work/fts5-$c-$shape.run
    [ -f "$fts" ] || python3 scripts/fts5_baseline.py "$docs" "$data/$c/queries.tsv" "$fts" 2>/dev/null
    for system in dateline fts5; do
      if [ $system = dateline ]; then
        line=$("$bin" eval ranking --index "$index" --queries "$data/$c/queries.tsv" \
          --qrels "$data/$c/qrels.trec" --run-out "$work/dateline-$c-$shape.run" "$@")
      else
        line=$("$bin" eval ranking --run "$fts" --queries "$data/$c/queries.tsv" --qrels "$data/$c/qrels.trec")
      fi
      echo "$line" | awk -v c=$c -v s=$shape -v sys=$system -F'\t' \
        '{ split($2,a," "); split($3,b," "); split($4,d," "); split($5,e," ");
           printf "| %s | %s | %s | %s | %s | %s | %s |\n", c, s, sys, a[2], b[2], d[2], e[2] }'
    done
  done
done
