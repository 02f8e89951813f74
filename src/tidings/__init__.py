"""tidings: dated news articles in, explainable PLOVER political event records out.

The Python API is the product; the CLI and the HTTP API are thin layers over it.

    >>> import tidings
    >>> records = tidings.extract("Rajnath Singh phoned Pete Hegseth on Thursday.", "2025-02-06")
"""
from __future__ import annotations

import datetime as dt

__version__ = "0.1.0"


def extract(text: str, date: str | dt.date, article_id: str | None = None,
            **article_fields) -> list[dict]:
    """Code one article; return its event records (event-record.md), without a store."""
    from tidings.model import Article
    from tidings.pipeline import default_pipeline

    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    article = Article(id=article_id or Article.default_id(text), date=date, text=text,
                      **article_fields)
    doc = next(default_pipeline().process([article]))
    return [event.to_record() for event in doc.events]


__all__ = ["extract", "__version__"]
