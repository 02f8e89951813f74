"""The seed format: `date YYYY-MM-DD` after optional white space, then the article text.

The text may start on the date's line (as in the example article) or on the next one.
Article offsets count from the first character of the text: the white space between
the date and the first word is not part of the article.
"""
from __future__ import annotations

import re

from tidings.ingest.checks import (Problem, ReaderOptions, check_article, check_binary,
                                   check_size, decode_utf8, parse_date, rejection)
from tidings.model import Article, Rejection

# The header: optional white space, the word "date", then a date-like token.
_HEADER = re.compile(r"\s*date(?:[ \t]*:[ \t]*|[ \t]+)(\S+)", re.IGNORECASE)


def parse_seed(data: bytes, origin: str, options: ReaderOptions = ReaderOptions()) -> Article | Rejection:
    """One seed-format file (or stdin) as an Article, or the reason it is not one."""
    if not data.strip():
        return rejection(origin, Problem("E104", "the file is empty", line=1))
    problem = check_size(len(data), options) or check_binary(data)
    if problem:
        return rejection(origin, problem, line=1)
    raw, problem = decode_utf8(data)
    if problem:
        return rejection(origin, problem)
    header = _HEADER.match(raw)
    if not header:
        first = raw.lstrip()[:40].splitlines()[0] if raw.strip() else ""
        line = raw[:len(raw) - len(raw.lstrip())].count("\n") + 1
        return rejection(origin, Problem("E102", f"the first line starts {first!r}", line=line))
    header_line = raw.count("\n", 0, header.start(1)) + 1
    if not any(ch.isdigit() for ch in header.group(1)):
        return rejection(origin, Problem("E102", f"'date' is followed by {header.group(1)!r}",
                                         line=header_line))
    date, problem = parse_date(header.group(1))
    if problem:
        return rejection(origin, problem, line=header_line)
    text = raw[header.end():].lstrip()
    article = Article(id=Article.default_id(text), date=date, text=text,
                      origin=f"{origin}:{header_line}")
    problem = check_article(article, options)
    if problem:
        return rejection(origin, problem, line=header_line)
    return article


def looks_like_seed(head: str) -> bool:
    return _HEADER.match(head) is not None
