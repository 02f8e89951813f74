"""The team's labelled whole articles (eval/events-articles.jsonl) are valid and sized."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from tidings.labelled import load_articles, split_for

from test_eval_data_sentences import manual, validate_event  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "eval" / "events-articles.jsonl"


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return [json.loads(line) for line in ARTICLES.read_text("utf-8").splitlines() if line.strip()]


def test_articles_are_valid(rows, manual):  # noqa: F811
    assert len(rows) >= 30
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        where = row["id"]
        assert 150 <= len(row["text"].split()) <= 600, where
        assert row["title"] and row["source"], where
        dt.date.fromisoformat(row["date"])
        assert row["split"] == split_for(where), where
        assert row["events"], where
        for event in row["events"]:
            assert event["evidence"] in row["text"], (where, event["evidence"])
            validate_event(event, event["evidence"], manual, where)


def test_articles_cover_many_types_and_both_splits(rows):
    types = Counter(e["event_type"] for r in rows for e in r["events"])
    assert len(types) == 16, types
    splits = Counter(r["split"] for r in rows)
    assert splits["test"] >= 3 and splits["train"] >= 20


def test_article_sentences_carry_their_events():
    for article in load_articles(ARTICLES):
        sentences = article.sentences()
        labelled = sum(len(s.events) for s in sentences)
        assert labelled >= len(article.events), article.id
        assert any(not s.events for s in sentences), article.id  # real text has quiet lines
