"""End to end: the seed article plus two reports of the same Modi-Trump meeting, one
before it and one after, through the real pipeline and the merger.

Expected: one planned event (the seed's AGREE plus the earlier report's plan) linked to
one occurred event (the later report's meeting): mentions from all three articles.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tidings.ingest import read_paths
from tidings.merge import merge_records
from tidings.model import Article

from conftest import ROOT, SEED_PATH
from merge_records import assert_contract

PAIR = ROOT / "eval" / "merge" / "modi_trump"


def _is_modi_trump(merged: dict, records: dict[str, dict]) -> bool:
    """Some mention of the merged event has Modi and Trump as its parties."""
    for mention in merged["mentions"]:
        record = records[mention["event_id"]]
        names = {e.get("name") for e in record["actor"] + record["recipient"]}
        if {"Narendra Modi", "Donald Trump"} <= names:
            return True
    return False


@pytest.fixture(scope="module")
def merged_modi_trump():
    from tidings.pipeline import default_pipeline

    articles = [a for a in read_paths([SEED_PATH, PAIR / "001_before.txt", PAIR / "002_after.txt"])
                if isinstance(a, Article)]
    assert len(articles) == 3
    outlets = {articles[0].id: "seed outlet", articles[1].id: "MEA wire",
               articles[2].id: "Capital daily"}
    records, meta = [], {}
    for doc in default_pipeline().process(articles):
        records += [e.to_record() for e in doc.events]
        meta[doc.article.id] = {"source": outlets[doc.article.id],
                                "date": doc.article.date.isoformat()}
    by_id = {r["event_id"]: r for r in records}
    merged = [m for m in merge_records(records, meta) if _is_modi_trump(m, by_id)]
    return articles, merged


def test_one_planned_event_linked_to_one_occurred_event(merged_modi_trump):
    articles, merged = merged_modi_trump
    seed, before, after = (a.id for a in articles)
    planned = [m for m in merged if m["status"] == "planned"]
    occurred = [m for m in merged if m["status"] == "occurred"
                and any(x["article_id"] == after for x in m["mentions"])]
    assert len(planned) == 1, f"planned Modi-Trump events: {[(m['event_type'], [x['article_id'][:8] for x in m['mentions']]) for m in planned]}"
    assert len(occurred) == 1, f"occurred Modi-Trump events: {occurred}"
    plan, meeting = planned[0], occurred[0]
    assert {x["article_id"] for x in plan["mentions"]} == {seed, before}
    assert {x["article_id"] for x in meeting["mentions"]} == {after}
    assert plan["num_sources"] == 2 and plan["num_articles"] == 2
    assert [(l["merged_id"], l["relation"]) for l in plan["linked"]] == \
        [(meeting["merged_id"], "followed_by")]
    assert meeting["date"]["value"] == "2025-02-13"


def test_merged_records_from_the_real_pipeline_keep_the_record_contract(merged_modi_trump):
    _, merged = merged_modi_trump
    for record in merged:
        assert_contract(record)
