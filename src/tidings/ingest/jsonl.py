"""JSON Lines: one article object a line. Each line stands alone: a bad line is one
rejection (file and line named) and the lines after it are still read.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from tidings.ingest.checks import (Problem, ReaderOptions, check_article, check_binary,
                                   check_size, decode_utf8, parse_date, rejection)
from tidings.model import Article, Rejection

REQUIRED_FIELDS = ("date", "text")
OPTIONAL_FIELDS = ("title", "source", "url", "language")


def article_from_fields(fields: Mapping[str, Any], origin: str, line: int,
                        options: ReaderOptions) -> Article | Rejection:
    """Shared by JSONL and CSV: the same columns, the same checks, the same messages."""
    missing = [name for name in REQUIRED_FIELDS
               if fields.get(name) is None or fields.get(name) == ""]
    if missing:
        return rejection(origin, Problem("E106", "no " + " or ".join(repr(m) for m in missing)),
                         line=line)
    text = fields["text"]
    if not isinstance(text, str):
        return rejection(origin, Problem("E106", f"'text' must be a string, got "
                                                 f"{type(text).__name__}"), line=line)
    date, problem = parse_date(fields["date"])
    if problem:
        return rejection(origin, problem, line=line)
    raw_id = fields.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int, type(None))):
        return rejection(origin, Problem("E106", f"'id' must be a string, got {raw_id!r}"),
                         line=line)
    article_id = str(raw_id).strip() if raw_id is not None else ""
    # Optional fields that are not plain values (e.g. a list under "source") are left out
    # rather than rejected: the article is still good.
    extras = {name: str(fields[name]).strip() or None for name in OPTIONAL_FIELDS
              if isinstance(fields.get(name), (str, int, float))
              and not isinstance(fields.get(name), bool)}
    article = Article(id=article_id or Article.default_id(text), date=date, text=text,
                      origin=f"{origin}:{line}", **extras)
    problem = check_article(article, options)
    return rejection(origin, problem, line=line) if problem else article


def parse_jsonl_line(data: bytes, origin: str, line: int,
                     options: ReaderOptions = ReaderOptions()) -> Article | Rejection | None:
    """One line; None for a blank line (blank lines are allowed and skipped)."""
    if not data.strip():
        return None
    problem = check_size(len(data), options) or check_binary(data)
    if problem:
        return rejection(origin, Problem(problem.code, problem.detail), line=line)
    text, problem = decode_utf8(data)
    if problem:
        return rejection(origin, Problem("E101", problem.detail), line=line)
    try:
        fields = json.loads(text)
    except json.JSONDecodeError as exc:
        return rejection(origin, Problem("E105", f"{exc.msg} at column {exc.colno}"), line=line)
    except RecursionError:
        return rejection(origin, Problem("E105", "nested too deeply"), line=line)
    if not isinstance(fields, dict):
        return rejection(origin, Problem("E105", f"a JSON {type(fields).__name__}, "
                                                 f"not an object"), line=line)
    return article_from_fields(fields, origin, line, options)


def parse_jsonl(lines: Iterable[bytes], origin: str,
                options: ReaderOptions = ReaderOptions()) -> Iterator[Article | Rejection]:
    """Every article and rejection of a JSONL stream, in order."""
    for number, data in enumerate(lines, start=1):
        if number == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        result = parse_jsonl_line(data, origin, number, options)
        if result is not None:
            yield result
