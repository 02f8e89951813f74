"""The store's SQL network aggregate must give what `tidings.analysis.actor_network`
computes from the same records in pandas, for every level and direction."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from store_docs import doc_a, make_event
from tidings import analysis
from tidings.document import TidingsDoc
from tidings.model import Article
from tidings.service import analysis as service
from tidings.store import EventFilter, Store

TEXT = ("Pakistan's army shelled Indian posts. The Indian army shelled them back. "
        "Officials in Kabul met envoys. Police detained a man.")


def doc_b(i: int) -> TidingsDoc:
    day = dt.date(2025, 1, 1) + dt.timedelta(days=5 * i)
    article = Article(id=f"art-b{i}", date=day, text=TEXT, source="Wire")
    doc = TidingsDoc(article=article)
    doc.events.append(make_event(article, "Pakistan's army shelled Indian posts.", "shelled",
                                 "ASSAULT", ("Pakistan's army", "PAK"), ("Indian posts", "IND"),
                                 quad_class="material_conflict"))
    doc.events.append(make_event(article, "The Indian army shelled them back.", "shelled",
                                 "ASSAULT", ("Indian army", "IND"), ("them", None),
                                 quad_class="material_conflict"))
    doc.events.append(make_event(article, "Officials in Kabul met envoys.", "met", "CONSULT",
                                 ("Officials", None), ("envoys", "USA")))
    doc.events.append(make_event(article, "Police detained a man.", "detained", "COERCE",
                                 ("Police", "AFG")))
    doc.events[0].score = -8.0 + i
    doc.events[1].score = None
    return doc


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("net") / "t.db"
    with Store.open(path) as store, store.transaction():
        for i in range(12):
            store.put_document(doc_b(i))
            store.put_document(doc_a(article_id=f"art-a{i}",
                                     date=(dt.date(2025, 1, 2) + dt.timedelta(days=4 * i))
                                     .isoformat()))
    return path


def pandas_network(db, level, directed, since, until) -> analysis.Network:
    with Store.open(db) as store:
        records = store.query_events(EventFilter(since=since, until=until),
                                     limit=10_000).records
    return analysis.actor_network(records, level=level, since=since, until=until,
                                  directed=directed)


@pytest.mark.parametrize("level", ["country", "entity"])
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("since, until", [(None, None), ("2025-01-20", "2025-02-10"),
                                          ("2025-02", None)])
def test_sql_network_equals_the_pandas_network(db, level, directed, since, until):
    expected = pandas_network(db, level, directed, since, until)
    got = service.actor_network(db, level=level, since=since, until=until,
                                directed=directed, unit="mention")
    assert len(got.edges) > 0
    pd.testing.assert_frame_equal(got.edges.reset_index(drop=True),
                                  expected.edges.reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(got.nodes.reset_index(drop=True),
                                  expected.nodes.reset_index(drop=True), check_dtype=False)


def test_an_empty_period_is_an_empty_network(db):
    got = service.actor_network(db, since="2030-01-01", unit="mention")
    assert got.edges.empty and got.nodes.empty
    assert list(got.edges.columns) == ["source", "target", "events", "sources",
                                       "score_sum", "score_mean"]


@pytest.mark.parametrize("by", ["day", "week", "month"])
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("a, b, since, until", [
    ("PAK", "IND", None, None), ("IND", "PAK", "2025-01-10", "2025-02-20"),
    ("IND", "USA", None, "2025-02"), ("usa", "ind", None, None), ("IND", "IND", None, None)])
def test_sql_dyad_series_equals_the_pandas_series(db, by, directed, a, b, since, until):
    with Store.open(db) as store:
        records = store.query_events(EventFilter(since=since, until=until),
                                     limit=10_000).records
    expected = analysis.dyad_series(records, a.upper(), b.upper(), by=by, directed=directed,
                                    since=since, until=until)
    got = service.dyad_series_of_mentions(db, a, b, by=by, directed=directed, since=since,
                                          until=until)
    if expected.empty:
        assert got.empty and list(got.columns) == list(expected.columns)
        return
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
