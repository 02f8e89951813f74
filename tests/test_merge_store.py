"""Merged events in the SQLite store: incremental updates, replacements, rebuilds."""
from __future__ import annotations

import datetime as dt

import pytest

from merge_records import store_doc as doc
from tidings import merge
from tidings.document import TidingsDoc
from tidings.errors import NotFoundError
from tidings.service import merged as merged_service
from tidings.store import Store

def put(store: Store, *docs: TidingsDoc) -> merge.UpdateReport:
    with store.transaction():
        for d in docs:
            store.put_document(d)
        return merge.update_store(store)


@pytest.fixture()
def store(tmp_path):
    with Store.open(tmp_path / "t.db") as opened:
        yield opened


def _merged(store: Store) -> list[dict]:
    return list(merged_service.iter_merged(store))


def test_new_article_merges_into_the_stored_event(store):
    put(store, doc("a1", "2025-02-13", "Wire", "Modi met Trump at the White House."))
    report = put(store, doc("a2", "2025-02-14", "Daily", "Trump met Modi in Washington.",
                            date="2025-02-13"))
    assert (report.mentions, report.merged_into_existing, report.new_events) == (1, 1, 0)
    [event] = _merged(store)
    assert (event["num_mentions"], event["num_sources"], event["num_articles"]) == (2, 2, 2)
    assert event["mentions"][1]["why"].startswith("merged: type=1.00")


def test_update_loads_only_events_sharing_a_block(store, monkeypatch):
    put(store, doc("a1", "2025-02-13", "Wire", "Modi met Trump."),
        doc("a2", "2025-06-13", "Wire", "Modi met Macron.", recipient="macron"))
    loaded: list[set] = []
    original = merge._load_events
    monkeypatch.setattr(merge, "_load_events",
                        lambda conn, ids: loaded.append(set(ids)) or original(conn, ids))
    put(store, doc("a3", "2025-02-13", "Daily", "Modi and Trump met."))
    assert len(loaded[0]) == 1  # the June event was never read


def test_repeated_update_changes_nothing(store):
    put(store, doc("a1", "2025-02-13", "Wire", "Modi met Trump."))
    before = _merged(store)
    with store.transaction():
        report = merge.update_store(store)
    assert report.mentions == 0 and _merged(store) == before


def test_replaced_article_refreshes_its_merged_event(store):
    put(store, doc("a1", "2025-02-13", "Wire", "Modi met Trump."),
        doc("a2", "2025-02-13", "Daily", "Trump met Modi."))
    put(store, doc("a2", "2025-02-13", "Daily", "Modi met Macron in Paris.", recipient="macron"))
    counts = sorted(e["num_mentions"] for e in _merged(store))
    assert counts == [1, 1]


def test_planned_then_occurred_are_linked_in_the_store(store):
    put(store, doc("p", "2025-02-06", "HT", "Modi will meet Trump on February 13.",
                   date="2025-02-13", status="planned", event_type="AGREE",
                   certainty="unconfirmed"))
    put(store, doc("o", "2025-02-14", "Wire", "Modi met Trump on Thursday.", date="2025-02-13"))
    events = {e["status"]: e for e in _merged(store)}
    assert events["planned"]["linked"][0]["merged_id"] == events["occurred"]["merged_id"]
    assert events["occurred"]["linked"][0]["relation"] == "planned_as"
    rows = store.conn.execute("SELECT count(*) FROM merged_links").fetchone()[0]
    assert rows == 1


def test_rebuild_gives_the_same_events(store):
    put(store, doc("a1", "2025-02-13", "Wire", "Modi met Trump."),
        doc("a2", "2025-02-14", "Daily", "Trump met Modi.", date="2025-02-13"))
    before = sorted((e["merged_id"], e["num_mentions"]) for e in _merged(store))
    with store.transaction():
        merge.rebuild_store(store)
    assert sorted((e["merged_id"], e["num_mentions"]) for e in _merged(store)) == before


def test_service_filters_and_lookup(tmp_path):
    path = tmp_path / "s.db"
    with Store.open(path) as opened:
        with opened.transaction():  # stored without the hook: the service catches up
            opened.put_document(doc("a1", "2025-02-13", "Wire", "Modi met Trump."))
            opened.put_document(doc("a2", "2025-02-13", "Daily", "Trump met Modi."))
            opened.put_document(doc("a3", "2025-03-01", "Wire", "Modi met Macron.",
                                    recipient="macron"))
    page = merged_service.query_merged(path, country="FRA")
    assert [e["num_mentions"] for e in page.records] == [1]
    top = merged_service.query_merged(path, order="sources", limit=1).records[0]
    assert top["num_sources"] == 2
    by_event = merged_service.get_merged(path, top["mentions"][0]["event_id"])
    assert by_event["merged_id"] == top["merged_id"]
    with pytest.raises(NotFoundError):
        merged_service.get_merged(path, "me_nothing")
    assert merged_service.query_merged(path, since="2025-02-20").records[0]["recipient"][0][
        "country"] == "FRA"


def test_filters_by_evidence_text_and_article(tmp_path):
    path = tmp_path / "f.db"
    with Store.open(path) as opened:
        put(opened, doc("a1", "2025-02-13", "Wire", "Modi met Trump at the White House."),
            doc("a2", "2025-02-13", "Daily", "Trump met Modi."),
            doc("a3", "2025-03-01", "Wire", "Modi met Macron 100% warmly.", recipient="macron"))
    assert [r["num_mentions"] for r in
            merged_service.query_merged(path, text="White House").records] == [2]
    assert merged_service.query_merged(path, article_id="a3").records[0]["recipient"][0][
        "name"] == "Emmanuel Macron"
    assert len(merged_service.query_merged(path, text="100%").records) == 1
    assert merged_service.query_merged(path, text="_").records == []


def test_filters_by_one_side_entity_and_certainty(tmp_path):
    path = tmp_path / "e.db"
    with Store.open(path) as opened:
        put(opened, doc("a1", "2025-02-13", "Wire", "Modi met Trump."),
            doc("a2", "2025-02-13", "Daily", "Modi met Trump too.", certainty="reported"),
            doc("a3", "2025-03-01", "Wire", "Modi met Macron.", recipient="macron"))
    assert len(merged_service.query_merged(path, actor_entity="narendra-modi").records) == 2
    assert [r["recipient"][0]["name"] for r in merged_service.query_merged(
        path, recipient_entity="Emmanuel Macron").records] == ["Emmanuel Macron"]
    assert merged_service.query_merged(path, recipient_entity="narendra-modi").records == []
    confirmed = merged_service.query_merged(path, certainty="confirmed").records
    assert [r["num_sources"] for r in confirmed] == [2]
