"""Unit tests of the merge decisions, over hand-built event records."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from merge_records import record
from tidings.errors import ConfigError
from tidings.merge import (MergeConfig, Mention, Merger, default_config, merge_records,
                           parse_date_span)
from tidings.model import CERTAINTIES


def _merge(*records, articles=None):
    return merge_records(records, articles)


def test_two_outlets_same_meeting_merge_with_counts():
    a = record(article_id="a1", location="washington",
               sentence="Prime Minister Modi met President Trump at the White House on Thursday.")
    b = record(article_id="a2", sentence="Trump hosted Modi for talks at the White House.")
    c = record(article_id="a3", sentence="Modi and Trump held talks in the White House.")
    merged = _merge(a, b, c, articles={"a1": {"source": "Wire"}, "a2": {"source": "Daily"},
                                       "a3": {"source": "Wire"}})
    assert len(merged) == 1
    event = merged[0]
    assert (event["num_mentions"], event["num_articles"], event["num_sources"]) == (3, 3, 2)
    assert event["location"]["name"] == "Washington, D.C."
    reasons = [m["why"] for m in event["mentions"]]
    assert reasons[0].startswith("first mention")
    assert all(r.startswith("merged: type=1.00") for r in reasons[1:])


def test_same_dyad_another_week_stays_apart():
    a = record(date="2025-02-13")
    b = record(date="2025-02-20")
    assert len(_merge(a, b)) == 2


def test_one_day_apart_is_within_tolerance_but_three_is_not():
    base = record(date="2025-02-13")
    assert len(_merge(base, record(date="2025-02-14"))) == 1
    assert len(_merge(base, record(date="2025-02-16"))) == 2


def test_other_recipient_same_day_is_another_meeting():
    a = record(recipient=("trump",))
    b = record(recipient=("macron",), sentence="Modi met Macron on Thursday.")
    assert len(_merge(a, b)) == 2


def test_different_type_or_mode_stays_apart():
    a = record("CONSULT", mode="visit")
    b = record("CONSULT", mode="phone", sentence="Modi spoke to Trump by telephone.")
    c = record("ACCUSE", sentence="Modi accused Trump of unfair tariffs.")
    assert len(_merge(a, b, c)) == 3


def test_country_level_actor_matches_leader_of_that_country():
    a = record(actor=("modi",))
    b = record(actor=("india",), sentence="India held talks with Trump at the White House.")
    assert len(_merge(a, b)) == 1


def test_symmetric_type_merges_swapped_roles():
    a = record(actor=("modi",), recipient=("trump",))
    b = record(actor=("trump",), recipient=("modi",), sentence="Trump met Modi at the White House.")
    assert len(_merge(a, b)) == 1


def test_places_in_two_countries_block_a_merge():
    a = record(location="washington")
    b = record(location="paris")
    assert len(_merge(a, b)) == 2


def test_week_precision_date_overlaps_a_day_in_it():
    a = record(date="2025-02-13")
    b = record(date="2025-W07", precision="week")
    assert len(_merge(a, b)) == 1


def test_planned_and_occurred_are_linked_not_merged():
    plan = record("AGREE", status="planned", date="2025-W07", precision="week",
                  sentence="Modi will meet Trump next week in Washington.")
    plan2 = record("AGREE", status="planned", date="2025-02-13",
                   sentence="Modi is likely to meet Trump on February 13.")
    done = record("CONSULT", date="2025-02-13", sentence="Modi met Trump on Thursday.")
    merged = {m["status"]: m for m in _merge(plan, plan2, done)}
    assert set(merged) == {"planned", "occurred"}
    planned, occurred = merged["planned"], merged["occurred"]
    assert planned["num_mentions"] == 2 and occurred["num_mentions"] == 1
    assert [(link["merged_id"], link["relation"]) for link in planned["linked"]] == \
        [(occurred["merged_id"], "followed_by")]
    assert occurred["linked"][0]["relation"] == "planned_as"


def test_input_order_does_not_change_the_result():
    recs = [record(article_id=f"x{i}", date=d) for i, d in
            enumerate(["2025-02-13", "2025-02-13", "2025-02-20", "2025-02-14"])]
    articles = {r["article_id"]: {"date": r["date"]["value"]} for r in recs}
    forward = sorted(sorted(m["event_id"] for m in e["mentions"]) for e in _merge(*recs, articles=articles))
    backward = sorted(sorted(m["event_id"] for m in e["mentions"])
                      for e in _merge(*reversed(recs), articles=articles))
    assert forward == backward


def test_incremental_adds_join_existing_events():
    merger = Merger()
    first = merger.add(Mention(record(article_id="a")))
    merger.changed.clear()
    second = merger.add(Mention(record(article_id="b")))
    assert second.merged_id == first.merged_id and second.action == "merged"
    assert merger.changed == {first.merged_id}
    assert merger.add(Mention(merger.events[first.merged_id].mentions[0].record)).action == "known"


def test_two_named_sources_confirm_and_a_denial_stays_visible():
    a = record(certainty="reported", source="Ministry of External Affairs")
    b = record(certainty="reported", source="White House")
    single = _merge(a)[0]["combined_certainty"]
    both = _merge(a, b)[0]
    assert both["combined_certainty"]["certainty"] == "confirmed"
    assert both["combined_certainty"]["confidence"] > single["confidence"]
    assert both["attribution"]["certainty"] == "reported"  # the contract's own field
    disputed = _merge(a, b, record(certainty="denied", source="Kremlin"))[0]
    denied = disputed["combined_certainty"]
    assert denied["certainty"] == "disputed" and denied["denied_by"] == ["Kremlin"]
    assert denied["confidence"] < both["combined_certainty"]["confidence"]
    assert disputed["attribution"]["certainty"] in CERTAINTIES


def test_article_date_only_uses_a_lookback_window():
    a = record(date="2025-02-14", basis="article_date", article_id="p")
    b = record(date="2025-02-13")
    merged = _merge(a, b, articles={"p": {"date": "2025-02-14"}})
    assert len(merged) == 1


def test_bad_records_do_not_crash():
    odd = {"event_id": "ev_odd", "article_id": "z", "event_type": "CONSULT",
           "actor": "not a list", "date": {"value": "13 Feb", "precision": "day"},
           "evidence": None, "attribution": None, "location": "somewhere"}
    merged = merge_records([odd, {"event_id": "ev_empty"}])
    assert len(merged) == 2


def test_broken_config_is_a_config_error(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text("threshold: high\n", "utf-8")
    with pytest.raises(ConfigError):
        MergeConfig.load(path)


def test_threshold_is_a_knob():
    strict = default_config().with_overrides(threshold=0.999)
    a = record(sentence="Modi met Trump.")
    b = record(sentence="Talks were held between the two leaders at the White House.")
    assert len(merge_records([a, b])) == 1
    assert len(merge_records([a, b], config=strict)) == 2


@given(st.text(max_size=12))
def test_date_span_parser_never_raises(value):
    span = parse_date_span(value)
    assert span is None or span[0] <= span[1]


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_span_of_every_form_contains_the_day(day):
    iso_year, iso_week, _ = day.isocalendar()
    for value in (day.isoformat(), f"{day.year:04d}-{day.month:02d}",
                  f"{iso_year:04d}-W{iso_week:02d}", f"{day.year:04d}"):
        lo, hi = parse_date_span(value)
        assert lo <= day <= hi


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                     | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=12)
_field = st.sampled_from(["event_id", "article_id", "event_type", "mode", "status", "actor",
                          "recipient", "date", "location", "attribution", "evidence"])


@settings(deadline=None)  # the machine is shared; time is not what this checks
@given(st.lists(st.dictionaries(_field, _json, max_size=8), max_size=5))
def test_any_record_shape_is_merged_without_crashing(records):
    merged = merge_records(records)
    assert sum(e["num_mentions"] for e in merged) <= len(records)


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(["threshold", "weights", "gates", "types"]), _json))
def test_any_config_shape_is_accepted_or_a_config_error(raw):
    try:
        MergeConfig.from_dict(raw)
    except ConfigError:
        pass


def test_two_sentences_of_one_article_need_shared_words():
    call = record(article_id="same", mode=None, sentence="Singh held a phone call with Hegseth.")
    other = record(article_id="same", sentence="New Delhi was engaging with Washington on deportees.")
    assert len(_merge(call, other)) == 2
    retold = record(article_id="same", sentence="During the phone call Singh and Hegseth spoke.")
    assert len(_merge(call, retold)) == 1
