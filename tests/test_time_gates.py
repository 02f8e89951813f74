"""Gates only skip work: every rule scanned near its gate word finds what a scan of the
whole text finds."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.extract import timex
from tidings.extract.timex import default_tagger

PHRASES = [
    "on Thursday", "next week on February 13", "in the first half of fiscal 2019", "two years ago",
    "at 10 p.m. EST on Monday", "since the 1990s", "over the past three decades", "every other week",
    "in late spring", "on 4 July", "2025-02-06", "3/14/2024", "the same day", "this weekend",
    "in the third quarter of 2023", "a year-earlier period", "for months", "a decade-long war",
    "at midnight", "by Christmas", "in the 21st century", "nineteen ninety-five", "right now",
    "the rebels marched", "talks resumed", "officials said", "prices rose 5%", "100 km north",
    "on Christmas Eve", "last Thanksgiving", "on election day", "at the moment", "these days",
    "in the near future", "every day", "published weekly", "per year", "three days from now",
]


def _ungated(text: str, anchor: dt.date):
    original = timex._windows
    timex._windows = lambda text, gate, hits=None: [(0, len(text))]
    try:
        return default_tagger().tag(text, anchor)
    finally:
        timex._windows = original


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PHRASES), min_size=1, max_size=40),
       st.sampled_from([", ", ". ", " and ", " — ", ";\n"]))
def test_gated_scan_equals_a_whole_text_scan(parts, glue):
    text = glue.join(parts) + "."
    anchor = dt.date(2025, 2, 6)
    assert default_tagger().tag(text, anchor) == _ungated(text, anchor)


def test_windows_cover_each_gate_hit_and_merge():
    import re

    gate = re.compile("week")
    text = "x" * 500 + "week" + "y" * 50 + "week" + "z" * 500
    windows = timex._windows(text, gate)
    assert len(windows) == 1
    start, end = windows[0]
    assert start == 500 - timex.GATE_REACH and end == 558 + timex.GATE_REACH
    assert timex._windows(text, None) == [(0, len(text))]
