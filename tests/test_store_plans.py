"""The store answers entity filters by two plans (walk the date order probing the entity
sets, or read the few named events through the entities index); both must return the
same pages and cursors, so the choice between them is only about speed."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import tidings.store as store_module
from store_docs import doc_a
from tidings.store import EventFilter, Store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """30 copies of the two-event article, on days 3 apart, some with a week date."""
    with Store.open(tmp_path_factory.mktemp("plans") / "t.db") as opened:
        with opened.transaction():
            for i in range(30):
                day = dt.date(2025, 1, 1) + dt.timedelta(days=3 * i)
                doc = doc_a(article_id=f"art-{i:02d}", date=day.isoformat())
                value, precision = ((f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}",
                                     "week") if i % 4 == 0 else (day.isoformat(), "day"))
                doc.events[0].date = dataclasses.replace(doc.events[0].date, value=value,
                                                         precision=precision)
                if i % 5 == 0:  # some undated events, which sort last
                    doc.events[1].date = None
                opened.put_document(doc)
        yield opened


def all_pages(store: Store, filters: EventFilter, newest_first: bool) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = store.query_events(filters, limit=4, cursor=cursor, newest_first=newest_first)
        pages.append([r["event_id"] for r in page.records])
        if not (cursor := page.next_cursor):
            return pages


@pytest.mark.parametrize("filters", [
    EventFilter(actor_country="IND", recipient_country="USA"),
    EventFilter(actor_country="IND", since="2025-02-01", until="2025-03-15"),
    EventFilter(country="usa", since="2025-01-20"),
    EventFilter(entity="Police", until="2025-02-20"),
    EventFilter(actor_entity="Police", recipient_entity="ten-protesters"),
    EventFilter(country="IND", event_type="COERCE", since="2025-01-10"),
    EventFilter(actor_country="USA"),
])
@pytest.mark.parametrize("newest_first", [False, True])
def test_both_plans_return_the_same_pages(store, monkeypatch, filters, newest_first):
    monkeypatch.setattr(store_module, "ENTITY_DRIVEN_MAX", 10**9)
    by_entities = all_pages(store, filters, newest_first)
    monkeypatch.setattr(store_module, "ENTITY_DRIVEN_MAX", 0)
    by_date_walk = all_pages(store, filters, newest_first)
    assert by_entities == by_date_walk
    flat = [i for page in by_entities for i in page]
    assert len(flat) == len(set(flat)) == store.count_events(filters)


def test_the_plan_follows_how_many_events_the_entities_name(store, monkeypatch):
    dyad = EventFilter(actor_country="IND", recipient_country="USA")
    monkeypatch.setattr(store_module, "ENTITY_DRIVEN_MAX", 30)
    assert store._entity_candidates(dyad) is not None  # 30 CONSULT events
    assert store._entity_candidates(EventFilter(country="IND")) is None  # 60 events
    assert store._entity_candidates(EventFilter(event_type="COERCE")) is None


def test_a_date_range_raises_the_bound(store, monkeypatch):
    monkeypatch.setattr(store_module, "ENTITY_DRIVEN_MAX", 20)
    monkeypatch.setattr(store_module, "DATED_FACTOR", 5)  # 100: above its 90 entity rows
    assert store._entity_candidates(EventFilter(country="IND")) is None  # 60 > 20
    assert store._entity_candidates(EventFilter(country="IND", since="2025-01-01")) is not None
