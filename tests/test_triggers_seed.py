"""The example article through the event-coding components (types, modes, spans, cap).

Countries and dates come from other components; these checks stay on this area's fields."""
from __future__ import annotations

import pytest

from tidings.registry import make_component


@pytest.fixture(scope="module")
def events(make_doc, seed_text):
    doc = make_doc(seed_text, "2025-02-06", article_id="seed")
    for name in ("triggers", "roles", "contexts", "discard", "scores"):
        make_component(name, {})(doc)
    return doc.events


def find(events, event_type, mode=None, trigger=None):
    return [e for e in events if e.event_type == event_type and (mode is None or e.mode == mode)
            and (trigger is None or trigger in e.evidence.trigger)]


def texts(entities):
    return [e.text for e in entities]


def test_phone_consultation(events):
    (ev,) = find(events, "CONSULT", "phone")
    assert ev.evidence.trigger == "held ... telephonic conversation"
    assert texts(ev.actor) == ["Defence Minister Rajnath Singh"]
    assert texts(ev.recipient) == ["his American counterpart"]
    assert {"military", "diplomatic"} <= set(ev.contexts)
    assert (ev.quad_class, ev.score, ev.cameo) == ("verbal_cooperation", 1.5, "041")


def test_planned_modi_trump_meeting_is_agree(events):
    meetings = [e for e in find(events, "AGREE") if "Trump" in " ".join(texts(e.recipient))]
    assert meetings
    assert any("Modi" in " ".join(texts(e.actor)) for e in meetings)


def test_deportation_actor_and_recipient(events):
    (ev,) = find(events, "COERCE", "deport")
    assert texts(ev.actor) == ["the US"]
    assert "immigrants" in texts(ev.recipient)[0]


def test_opposition_disapproval(events):
    (ev,) = find(events, "ACCUSE", "disapprove")
    assert texts(ev.actor) == ["Opposition leaders"]


def test_we_agreed_is_singh(events):
    (ev,) = find(events, "AGREE", trigger="agreed")
    assert texts(ev.actor) == ["Singh"]


def test_at_most_ten_beyond_the_four_and_no_duplicates(events):
    assert len(events) <= 14
    keys = [(e.sentence_index, e.evidence.trigger_start) for e in events]
    assert len(keys) == len(set(keys))
