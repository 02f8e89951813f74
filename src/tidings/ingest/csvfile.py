"""CSV with a header row naming the same columns as JSON Lines (`id`, `date`, `text`, ...).

Each data row is one article; a bad row is one rejection naming the file and the line
the row starts on (a quoted text may span lines), and the other rows are still read.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from tidings.ingest.checks import (Problem, ReaderOptions, check_binary, decode_utf8,
                                   rejection)
from tidings.ingest.jsonl import REQUIRED_FIELDS, article_from_fields
from tidings.model import Article, Rejection


def parse_csv(data: bytes, origin: str,
              options: ReaderOptions = ReaderOptions()) -> Iterator[Article | Rejection]:
    problem = check_binary(data)
    if problem:
        yield rejection(origin, problem)
        return
    text, problem = decode_utf8(data)
    if problem:
        yield rejection(origin, problem)
        return
    if not text.strip():
        yield rejection(origin, Problem("E104", "the file is empty", line=1))
        return
    # A text may be as large as the article size limit, beyond csv's default field size.
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as exc:
        yield rejection(origin, Problem("E112", f"the header row: {exc}", line=1))
        return
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        yield rejection(origin, Problem("E106", f"the header row {header!r} has no column "
                                                + " or ".join(repr(m) for m in missing),
                                        line=1))
        return
    while True:
        row_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield rejection(origin, Problem("E112", str(exc)), line=row_line)
            if reader.line_num < row_line:  # the reader could not move past the bad row
                return
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield rejection(origin, Problem("E112", f"row has {len(row)} fields, the header "
                                                    f"has {len(header)}"), line=row_line)
            continue
        yield article_from_fields(dict(zip(header, row)), origin, row_line, options)
