#!/usr/bin/env python3
"""SQLite FTS5 baseline: the same documents and queries, out of the box.

One row per whole file (title and text), `tokenize='porter unicode61'`;
each query is an OR of its double-quoted words, ranked `ORDER BY bm25()`.
Writes a TREC run (docid = file name without `.txt`) to evaluate with
`dateline eval ranking --run FILE` or scripts/trec_check.py.

Usage: scripts/fts5_baseline.py DOCS_DIR QUERIES_TSV RUN_OUT [DEPTH]
"""

import pathlib
import re
import sqlite3
import sys

WORD = re.compile(r"\w+")


def main() -> int:
    if len(sys.argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    docs = pathlib.Path(sys.argv[1])
    queries = pathlib.Path(sys.argv[2])
    run_out = pathlib.Path(sys.argv[3])
    depth = int(sys.argv[4]) if len(sys.argv) == 5 else 1000

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(docid UNINDEXED, text, tokenize='porter unicode61')")
    rows = [
        (path.stem, path.read_text(encoding="utf-8", errors="replace"))
        for path in sorted(docs.glob("*.txt"))
    ]
    db.executemany("INSERT INTO docs(docid, text) VALUES (?, ?)", rows)

    with run_out.open("w") as out:
        for line in queries.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            qid, text = line.split("\t", 1)
            words = WORD.findall(text)
            if not words:
                continue
            match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
            found = db.execute(
                "SELECT docid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                (match, depth),
            ).fetchall()
            for rank, (docid, score) in enumerate(found, 1):
                # bm25() is lower-is-better; a run file wants higher-is-better.
                out.write(f"{qid.strip()} Q0 {docid} {rank} {-score:.6f} fts5\n")
    print(f"{len(rows)} documents; run written to {run_out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
