"""End to end on the example article through the default pipeline: dates, status,
attribution and quotes (issue: when, and says who)."""
from __future__ import annotations

import datetime as dt

import pytest

from tidings.model import Article
from tidings.pipeline import default_pipeline


@pytest.fixture(scope="module")
def seed_doc(seed_text):
    article = Article(id="seed", date=dt.date(2025, 2, 6), text=seed_text)
    return next(default_pipeline().process([article]))


def test_modi_trump_meeting_is_planned_dated_and_hedged(seed_doc):
    meetings = [e for e in seed_doc.events if "meet" in e.evidence.trigger
                and "Reports indicate" in e.evidence.sentence]
    assert meetings
    meeting = meetings[0]
    assert meeting.status == "planned"
    assert (meeting.date.value, meeting.date.basis) == ("2025-02-13", "text")
    assert meeting.attribution.source == "Hindustan Times"
    assert meeting.attribution.certainty == "unconfirmed"


def test_phone_call_and_deportation_dates(seed_doc):
    call = next(e for e in seed_doc.events if e.mode == "phone")
    assert (call.date.value, call.status) == ("2025-02-06", "occurred")
    deportations = [e for e in seed_doc.events if e.mode == "deport"]
    assert deportations and all(e.date.value == "2025-W06" for e in deportations)


def test_seed_quotes(seed_doc):
    by_speaker = {q.speaker.text: q for q in seed_doc.quotes}
    singh = by_speaker["Singh"]
    assert (singh.kind, singh.cue) == ("direct", "wrote on X")
    assert singh.speaker.name == "Rajnath Singh"  # filled by `resolve` from the quote speaker
    assert "The deportees" in by_speaker
    jaishankar = next(q for name, q in by_speaker.items() if "Jaishankar" in name)
    assert jaishankar.event_ids
    for event in seed_doc.events:
        assert {"date", "status", "attribution"} <= set(event.provenance)
