"""Property tests for the store's parsers of outside input: cursors, date bounds and
filter text come from users (CLI, HTTP) and may be anything."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from store_docs import doc_a
from tidings.errors import UsageError
from tidings.store import EventFilter, Store, date_span


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with Store.open(tmp_path_factory.mktemp("props") / "t.db") as opened:
        with opened.transaction():
            opened.put_document(doc_a())
        yield opened


SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.text(max_size=80))
def test_any_cursor_is_a_page_or_a_usage_error(store, cursor):
    try:
        page = store.query_events(cursor=cursor or None, limit=5)
    except UsageError as exc:
        assert "cursor" in str(exc)
    else:
        assert len(page.records) <= 5


@SETTINGS
@given(st.text(max_size=30), st.text(max_size=30))
def test_any_date_bound_is_a_result_or_a_usage_error(store, since, until):
    try:
        store.query_events(EventFilter(since=since or None, until=until or None))
    except UsageError as exc:
        assert "since" in str(exc) or "until" in str(exc)


@SETTINGS
@given(st.text(max_size=40))
def test_any_filter_text_is_data(store, text):
    try:
        for filters in (EventFilter(text=text), EventFilter(country=text),
                        EventFilter(entity=text), EventFilter(event_type=text)):
            store.query_events(filters)
    except UsageError as exc:
        assert "\x00" in text and "NUL" in str(exc)
    assert store.counts()["events"] == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_date_span_is_an_ordered_pair_or_nothing(value):
    start, end = date_span(value)
    assert (start is None) == (end is None)
    if start is not None:
        assert start <= end and len(start) == len(end) == 10
