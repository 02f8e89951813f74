"""The temporal tagger: seed expressions, anchoring rules, and a property test."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st

from tidings.extract.timex import tag_text

THURSDAY = dt.date(2025, 2, 6)


def values(text: str, anchor: dt.date = THURSDAY) -> dict[str, str]:
    return {t.text: t.value for t in tag_text(text, anchor)}


def test_seed_expressions_resolve(seed_text):
    found = values(seed_text)
    assert found["Thursday"] == "2025-02-06"
    assert found["earlier this week"] == "2025-W06"
    assert found["next week"] == "2025-W07"
    assert found["February 13"] == "2025-02-13"
    assert found["February 12"] == "2025-02-12"  # "reach the US last on February 12"


def test_weekday_direction_follows_tense():
    assert values("They met on Monday.")["Monday"] == "2025-02-03"
    assert values("He will travel on Monday.")["Monday"] == "2025-02-10"
    assert values("The ministers will meet on Friday.")["Friday"] == "2025-02-07"
    assert values("The ministers met on Friday.")["Friday"] == "2025-01-31"
    assert values("Talks were held on Thursday.")["Thursday"] == "2025-02-06"


def test_relative_units_and_offsets():
    found = values("It happened two days ago, last month and in 2019; more talks next year.")
    assert found["two days ago"] == "2025-02-04"
    assert found["last month"] == "2025-01"
    assert found["2019"] == "2019"
    assert found["next year"] == "2026"


def test_durations_sets_and_references_are_not_dates():
    kinds = {t.text: (t.type, t.value) for t in tag_text(
        "The truce lasted three weeks. Patrols run daily. Talks are now over.", THURSDAY)}
    assert kinds["three weeks"] == ("DURATION", "P3W")
    assert kinds["daily"] == ("SET", "P1D")
    assert kinds["now"] == ("DATE", "PRESENT_REF")


def test_counts_are_not_years():
    assert "1500" not in values("Some 1500 troops crossed the border.")


def test_month_without_year_takes_the_near_side():
    assert values("The accord was signed in December.")["December"] == "2024-12"
    assert values("Elections are due in April.")["April"] == "2025-04"


def test_rules_are_named():
    for tx in tag_text("On Tuesday, March 4, 2025, they said so.", THURSDAY):
        assert tx.rule.startswith("timex:")
    assert values("On Tuesday, March 4, 2025, they said so.")["Tuesday, March 4, 2025"] == "2025-03-04"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
       st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_any_text_never_crashes_and_spans_lie_within(text, anchor):
    for tx in tag_text(text, anchor):
        assert 0 <= tx.start < tx.end <= len(text)
        assert text[tx.start:tx.end] == tx.text


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["on", "Friday", "last", "next", "week", "three", "days", "ago",
                                 "March", "12", "1998", "the", "quarter", "fiscal", "will", "met",
                                 "early", "late", "this", "year", "a", "'s", ",", ".", "Q3",
                                 "Sept.", "30", "2/30/2020", "a.m.", "10:35", "every", "daily"]),
                max_size=25),
       st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2050, 12, 31)))
def test_time_word_soup_never_crashes(words, anchor):
    text = " ".join(words)
    for tx in tag_text(text, anchor):
        assert text[tx.start:tx.end] == tx.text
