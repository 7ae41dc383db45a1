#!/usr/bin/env python3
"""Cross-check Dateline's measures against pytrec_eval (trec_eval's code).

Usage: scripts/trec_check.py QRELS RUN DATELINE_EVAL_JSON
  where DATELINE_EVAL_JSON is the output of
  `dateline eval ranking --run RUN --queries Q --qrels QRELS --json`.
Needs `pip install pytrec-eval-terrier` (e.g. in a venv). Exits 1 on any
difference above 1e-6.
"""

import json
import sys

import pytrec_eval

MEASURES = {"map": "map", "ndcg_10": "ndcg_cut_10", "p_10": "P_10", "recall_100": "recall_100"}


def read_qrels(path):
    qrels = {}
    for line in open(path):
        if line.strip():
            qid, _, doc, grade = line.split()
            qrels.setdefault(qid, {})[doc] = int(grade)
    return qrels


def read_run(path):
    run = {}
    for line in open(path):
        if line.strip():
            qid, _, doc, _, score, _ = line.split()
            run.setdefault(qid, {})[doc] = float(score)
    return run


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    qrels, run = read_qrels(sys.argv[1]), read_run(sys.argv[2])
    ours = json.load(open(sys.argv[3]))
    evaluator = pytrec_eval.RelevanceEvaluator(qrels, set(MEASURES.values()))
    theirs = evaluator.evaluate(run)
    worst = 0.0
    for qid, measures in theirs.items():
        for key, name in MEASURES.items():
            worst = max(worst, abs(measures[name] - ours["per_query"][qid][key]))
    n = len(theirs)
    for key, name in MEASURES.items():
        mean = sum(m[name] for m in theirs.values()) / n
        print(f"{name:12} pytrec_eval {mean:.6f}  dateline {ours['mean'][key]:.6f}")
    print(f"queries: pytrec_eval {n}, dateline {ours['queries']}; largest per-query difference {worst:.2e}")
    return 0 if worst < 1e-6 and n == ours["queries"] else 1


if __name__ == "__main__":
    sys.exit(main())
