#!/usr/bin/env python3
"""Re-flow a test collection to one sentence per line.

Real news often arrives one sentence per line; passage ranking must not
collapse on that shape. This writes a copy of every `docs/*.txt` of a
collection (line 1 title, blank line, text) with the text split into
sentences, one per line, and copies nothing else.

Usage: scripts/reflow.py SRC_COLLECTION_DIR OUT_DIR
  e.g. scripts/reflow.py ../shared/data/ir-dev/cisi /tmp/reflow/cisi
"""

import pathlib
import re
import sys

# A sentence ends at . ! or ? (also the spaced " ." of Cranfield and MED)
# followed by white space; abbreviations cut short are harmless here, since
# the point is a document made of many short lines.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def reflow(text: str) -> str:
    lines = text.split("\n")
    title = lines[0]
    body = " ".join(line.strip() for line in lines[1:] if line.strip())
    sentences = [s.strip() for s in SENTENCE_END.split(body) if s.strip()]
    return title + "\n\n" + "\n".join(sentences) + "\n"


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src = pathlib.Path(sys.argv[1]) / "docs"
    out = pathlib.Path(sys.argv[2]) / "docs"
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(src.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        (out / path.name).write_text(reflow(text), encoding="utf-8")
        count += 1
    print(f"{count} documents re-flowed into {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
