"""The SQLite store: migrations, WAL and foreign keys, idempotent and replacing writes,
filtered keyset queries, and hostile filter text that must stay data."""
from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from store_docs import TEXT_A, doc_a, make_event
from tidings.document import TidingsDoc
from tidings.errors import NotFoundError, StoreError, UsageError
from tidings.model import Article, Rejection
from tidings.store import EventFilter, Store, date_span
from tidings.store import migrations as migrations_module
from tidings.store.migrations import Migration, available_migrations


@pytest.fixture()
def store(tmp_path):
    with Store.open(tmp_path / "t.db") as opened:
        yield opened


def put(store: Store, *docs: TidingsDoc) -> None:
    with store.transaction():
        for doc in docs:
            store.put_document(doc)


def many_docs(n: int) -> list[TidingsDoc]:
    """n articles, each with two events, on consecutive days."""
    docs = []
    for i in range(n):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i)
        doc = doc_a(article_id=f"art-{i:03d}", date=day.isoformat())
        for event in doc.events:
            event.date = dataclasses.replace(event.date, value=day.isoformat(), precision="day")
        docs.append(doc)
    return docs


def test_open_applies_migrations_with_wal_and_foreign_keys(store):
    assert store.schema_version == available_migrations()[-1].version >= 1
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    rows = store.conn.execute("SELECT version, name FROM schema_version").fetchall()
    assert (rows[0]["version"], rows[0]["name"]) == (1, "init")
    assert [r["version"] for r in rows] == [m.version for m in available_migrations()]
    assert set(store.counts()) >= {"articles", "events", "entities", "quotes", "rejections"}


def test_a_new_migration_file_is_applied_once(tmp_path, monkeypatch):
    Store.open(tmp_path / "t.db").close()
    known = available_migrations()
    extra = Migration(known[-1].version + 1, "test_extra",
                      "CREATE TABLE test_extra (x INTEGER);")
    monkeypatch.setattr(migrations_module, "available_migrations", lambda: [*known, extra])
    with Store.open(tmp_path / "t.db") as store:
        assert store.schema_version == extra.version
        store.conn.execute("INSERT INTO test_extra VALUES (1)")
    with Store.open(tmp_path / "t.db") as store:  # not applied again
        assert store.conn.execute("SELECT count(*) FROM test_extra").fetchone()[0] == 1


def test_a_failing_migration_leaves_the_previous_version(tmp_path, monkeypatch):
    Store.open(tmp_path / "t.db").close()
    known = available_migrations()
    broken = Migration(known[-1].version + 1, "broken",
                       "CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);")
    monkeypatch.setattr(migrations_module, "available_migrations", lambda: [*known, broken])
    with pytest.raises(StoreError, match="broken"):
        Store.open(tmp_path / "t.db")
    monkeypatch.undo()
    with Store.open(tmp_path / "t.db") as store:
        assert store.schema_version == known[-1].version
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert "half" not in tables


def test_a_store_from_a_newer_tidings_is_refused(tmp_path):
    Store.open(tmp_path / "t.db").close()
    conn = sqlite3.connect(tmp_path / "t.db")
    conn.execute("INSERT INTO schema_version VALUES (999, 'future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(tmp_path / "t.db")


def test_not_a_database_and_missing_store(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        Store.open(junk)
    with pytest.raises(StoreError, match="tidings ingest"):
        Store.open(tmp_path / "absent.db", create=False)


def test_documents_events_entities_and_quotes_are_stored(store):
    doc = doc_a()
    put(store, doc)
    assert store.counts() == {"articles": 1, "events": 2, "entities": 4, "quotes": 1,
                              "rejections": 0}
    event = doc.events[0]
    assert store.get_event(event.event_id) == event.to_record()
    article = store.get_article("art-a")
    assert (article["n_events"], article["title"], article["text"]) == (2, "Meeting", TEXT_A)
    assert store.quotes("art-a")[0]["content"] == "We talked about trade,"
    with pytest.raises(NotFoundError):
        store.get_event("ev_missing")


def test_writing_the_same_document_twice_keeps_one_copy(store):
    put(store, doc_a())
    before = store.counts()
    put(store, doc_a())
    assert store.counts() == before


def test_changed_text_under_the_same_id_replaces_article_and_events(store):
    put(store, doc_a())
    shorter = TEXT_A.split(" Police")[0]
    old_ids = {r["event_id"] for r in store.query_events().records}
    put(store, doc_a(text=shorter))
    counts = store.counts()
    assert (counts["articles"], counts["events"], counts["entities"]) == (1, 1, 2)
    assert store.get_article("art-a")["text"] == shorter
    assert store.fingerprints(["art-a", "nope"]).keys() == {"art-a"}
    assert len(old_ids - {r["event_id"] for r in store.query_events().records}) == 1


def test_a_failed_batch_writes_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.put_document(doc_a())
            raise RuntimeError("boom")
    assert store.counts()["articles"] == 0


def test_rejections_are_recorded_once_per_problem(store):
    rejection = Rejection(origin="in.jsonl", line=3, code="E105", reason="not JSON")
    whole_file = Rejection(origin="bin.txt", line=None, code="E107", reason="binary")
    for _ in range(2):
        with store.transaction():
            store.put_rejection(rejection)
            store.put_rejection(whole_file)
    rows = store.rejections()
    assert store.counts()["rejections"] == 2
    assert {(r["origin"], r["line"], r["times_seen"]) for r in rows} == {
        ("in.jsonl", 3, 2), ("bin.txt", None, 2)}
    assert [r["code"] for r in store.rejections(code="e105")] == ["E105"]


@pytest.mark.parametrize("filters, expected_types", [
    (EventFilter(), {"CONSULT", "COERCE"}),
    (EventFilter(actor_country="ind"), {"CONSULT", "COERCE"}),
    (EventFilter(recipient_country="USA"), {"CONSULT"}),
    (EventFilter(actor_country="USA"), set()),
    (EventFilter(country="USA"), {"CONSULT"}),
    (EventFilter(actor_country="IND", recipient_country="USA"), {"CONSULT"}),
    (EventFilter(event_type="coerce"), {"COERCE"}),
    (EventFilter(event_type=["COERCE", "CONSULT"]), {"CONSULT", "COERCE"}),
    (EventFilter(quad_class="material_conflict"), {"COERCE"}),
    (EventFilter(status="planned"), set()),
    (EventFilter(text="arrested ten"), {"COERCE"}),
    (EventFilter(text="ARRESTED"), {"COERCE"}),
    (EventFilter(article_id="art-a"), {"CONSULT", "COERCE"}),
    (EventFilter(entity="american-envoy"), {"CONSULT"}),
    (EventFilter(entity="Police"), {"COERCE"}),
    (EventFilter(actor_entity="american-envoy"), set()),
    (EventFilter(recipient_entity="american-envoy"), {"CONSULT"}),
    (EventFilter(actor_entity="Police", recipient_entity="ten-protesters"), {"COERCE"}),
    (EventFilter(certainty="asserted"), {"CONSULT", "COERCE"}),
    (EventFilter(certainty=["reported", "denied"]), set()),
    # CONSULT is dated 2025-02-03, COERCE has the article date 2025-02-06
    (EventFilter(since="2025-02-04"), {"COERCE"}),
    (EventFilter(until="2025-02-04"), {"CONSULT"}),
    (EventFilter(since="2025-02", until="2025-02"), {"CONSULT", "COERCE"}),
    (EventFilter(since=dt.date(2025, 3, 1)), set()),
    (EventFilter(since="0001-01-01", until="9999-12-30"), {"CONSULT", "COERCE"}),
])
def test_filters(store, filters, expected_types):
    put(store, doc_a())
    records = store.query_events(filters).records
    assert {r["event_type"] for r in records} == expected_types
    assert store.count_events(filters) == len(records)


def test_week_dates_overlap_day_ranges(store):
    doc = doc_a()
    doc.events[0].date = dataclasses.replace(doc.events[0].date, value="2025-W07",
                                             precision="week")
    put(store, doc)
    assert {r["event_type"] for r in store.query_events(
        EventFilter(since="2025-02-13", until="2025-02-13")).records} == {"CONSULT"}
    assert date_span("2025-W07") == ("2025-02-10", "2025-02-16")
    assert date_span("2024-02") == ("2024-02-01", "2024-02-29")
    assert date_span("2025") == ("2025-01-01", "2025-12-31")
    for impossible in ("garbage", "0000", "2025-13", "2025-W60", "2025-02-30", "2025-W07-1",
                       "٢٠٢٥"):
        assert date_span(impossible) == (None, None), impossible


@pytest.mark.parametrize("hostile", [
    "'; DROP TABLE events; --", "\" OR 1=1 --", "%", "_", "\\", "100%_sure\\",
    "Robert'); DELETE FROM articles;--",
])
def test_hostile_filter_text_is_data(store, hostile):
    put(store, doc_a())
    for filters in (EventFilter(text=hostile), EventFilter(country=hostile),
                    EventFilter(entity=hostile), EventFilter(event_type=[hostile, "X"]),
                    EventFilter(article_id=hostile)):
        assert store.query_events(filters).records == []
    assert store.counts()["events"] == 2 and store.counts()["articles"] == 1


def test_a_nul_in_a_filter_is_refused_not_matched_to_everything(store):
    put(store, doc_a())
    for filters in (EventFilter(text="\x00"), EventFilter(event_type=["X", "a\x00b"])):
        with pytest.raises(UsageError, match="NUL"):
            store.query_events(filters)


def test_hostile_text_in_articles_round_trips(store):
    text = "The minister said 'x'); DROP TABLE events; -- and 100% of _all_ \\ agreed."
    article = Article(id="evil'id\"; --", date=dt.date(2025, 2, 6), text=text)
    doc = TidingsDoc(article=article)
    doc.events.append(make_event(article, text, "agreed", "AGREE", ("The minister", "GBR")))
    put(store, doc)
    assert store.query_events(EventFilter(text="100% of _all_ \\")).records[0][
        "article_id"] == "evil'id\"; --"
    assert store.query_events(EventFilter(text="100%% of")).records == []


def test_keyset_pages_cover_everything_once_in_date_order(store):
    put(store, *many_docs(25))
    seen, cursor, pages = [], None, 0
    while True:
        page = store.query_events(limit=7, cursor=cursor)
        seen += page.records
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 8 and len(seen) == 50 == len({r["event_id"] for r in seen})
    dates = [r["date"]["value"] for r in seen]
    assert dates == sorted(dates)
    newest = store.query_events(limit=3, newest_first=True)
    assert newest.records[0]["date"]["value"] == "2025-01-25"
    after = store.query_events(limit=3, newest_first=True, cursor=newest.next_cursor)
    assert after.records[0]["date"]["value"] <= newest.records[-1]["date"]["value"]
    filtered = store.query_events(EventFilter(event_type="COERCE"), limit=10)
    rest = store.query_events(EventFilter(event_type="COERCE"), limit=100,
                              cursor=filtered.next_cursor)
    assert len(filtered.records) + len(rest.records) == 25


def test_bad_cursor_limit_and_date_are_usage_errors(store):
    with pytest.raises(UsageError, match="cursor"):
        store.query_events(cursor="not-a-cursor!")
    with pytest.raises(UsageError, match="limit"):
        store.query_events(limit=0)
    with pytest.raises(UsageError, match="since"):
        store.query_events(EventFilter(since="last tuesday"))
