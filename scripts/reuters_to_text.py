#!/usr/bin/env python3
"""Converts Reuters-21578 SGML into one plain-text file per article.

The benchmark needs every engine (Dateline, raw tantivy, SQLite FTS5) to read
the same bytes, and the peers know nothing of SGML, so the collection is
turned into the shape Dateline reads as plain text: YAML front matter with
the title and the date (so date filters have something to filter), then the
dateline leading the first paragraph, then the body with blank lines between
paragraphs. Articles without a body are left out: they are headlines only,
and an engine cannot be compared on an empty document.

Usage: reuters_to_text.py SGML_DIR OUT_DIR
Writes OUT_DIR/NEWID.txt (UTF-8) and prints how many articles it wrote.
"""

import html
import json
import re
import sys
from pathlib import Path

MONTHS = {m: i + 1 for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}
REUTERS = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def decode(raw: bytes) -> str:
    # One file of the collection is not valid UTF-8; its stray bytes are
    # Latin-1, so fall back per file rather than dropping characters.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def element(text: str, name: str) -> str | None:
    match = re.search(rf"<{name}>(.*?)</{name}>", text, re.S)
    if match is None:
        return None
    return CONTROL.sub("", html.unescape(match.group(1)))


def iso_date(raw: str | None) -> str | None:
    # `26-FEB-1987 15:01:01.79`; a few values are malformed and then the
    # article simply has no date.
    if raw is None:
        return None
    match = re.match(r"\s*(\d{1,2})-([A-Z]{3})-(\d{4})", raw)
    if match is None or match.group(2) not in MONTHS:
        return None
    day, month, year = int(match.group(1)), MONTHS[match.group(2)], match.group(3)
    if not 1 <= day <= 31:
        return None
    return f"{year}-{month:02d}-{day:02d}"


def paragraphs(body: str) -> str:
    body = re.sub(r"\s*Reuter\s*$", "", body.strip())
    # A paragraph starts on a line indented by spaces; other lines are wraps.
    parts = re.split(r"\n\s{2,}", body)
    return "\n\n".join(p.strip() for p in parts if p.strip())


def convert(sgml_dir: Path, out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for sgm in sorted(sgml_dir.glob("*.sgm")):
        text = decode(sgm.read_bytes())
        for match in REUTERS.finditer(text):
            newid, inner = match.group(1), match.group(2)
            body = element(inner, "BODY")
            if body is None or not body.strip():
                continue
            title = " ".join((element(inner, "TITLE") or "").split())
            dateline = " ".join((element(inner, "DATELINE") or "").split())
            date = iso_date(element(inner, "DATE"))
            lines = ["---"]
            if title:
                # JSON strings are valid YAML scalars: quotes and colons stay safe.
                lines.append(f"title: {json.dumps(title, ensure_ascii=False)}")
            if date:
                lines.append(f"date: {date}")
            lines.append("---")
            text_body = paragraphs(body)
            if dateline:
                text_body = f"{dateline} {text_body}"
            lines.append(text_body)
            (out_dir / f"{newid}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            written += 1
    return written


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: reuters_to_text.py SGML_DIR OUT_DIR")
    count = convert(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{count} articles written to {sys.argv[2]}")


if __name__ == "__main__":
    main()
