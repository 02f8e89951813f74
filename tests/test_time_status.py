"""The time component: governing timex, carry-over, article-date fallback, status cues."""
from __future__ import annotations

import pytest

from tidings.extract.time import make_time

from time_events import event_at


@pytest.fixture(scope="module")
def time_component():
    return make_time({})


def run(make_doc, time_component, text, word, date="2025-02-06", occurrence=0):
    doc = make_doc(text, date)
    event = event_at(doc, word, occurrence)
    time_component(doc)
    return event


def test_seed_meeting_is_planned_on_february_13(make_doc, time_component):
    event = run(make_doc, time_component,
                "Reports indicate that PM Modi is also likely to meet with Trump next week on February 13.",
                "meet")
    assert event.status == "planned"
    assert (event.date.value, event.date.basis) == ("2025-02-13", "text")
    assert event.provenance["status"] == "status:cue:likely"


def test_phone_call_on_thursday(make_doc, time_component):
    event = run(make_doc, time_component,
                "Defence Minister Rajnath Singh held a telephonic conversation with his American "
                "counterpart on Thursday.", "held")
    assert event.date.value == "2025-02-06"
    assert event.status == "occurred"
    assert event.provenance["date"].startswith("timex:weekday")


def test_governing_timex_beats_nearest(make_doc, time_component):
    event = run(make_doc, time_component,
                "On Monday the envoys met to prepare the summit that opens on Friday.", "met")
    assert event.date.value == "2025-02-03"


def test_date_is_carried_to_the_next_sentence(make_doc, time_component):
    doc = make_doc("The talks began on Monday. They ended without agreement.", "2025-02-06")
    event = event_at(doc, "ended")
    time_component(doc)
    assert event.date.value == "2025-02-03"
    assert event.date.basis == "inferred"
    assert event.provenance["date"].startswith("date:carried-from-previous-sentence")


def test_article_date_fallback(make_doc, time_component):
    event = run(make_doc, time_component, "Police arrested two protesters.", "arrested")
    assert (event.date.value, event.date.basis) == ("2025-02-06", "article_date")


@pytest.mark.parametrize("text, word, status", [
    ("Modi is slated to visit Washington next week.", "visit", "planned"),
    ("The minister will meet his counterpart.", "meet", "planned"),
    ("The army plans to withdraw its troops.", "withdraw", "planned"),
    ("If the rebels attack, the army would respond.", "attack", "hypothetical"),
    ("The talks could collapse.", "collapse", "hypothetical"),
    ("Troops did not attack the village.", "attack", "negated"),
    ("The government denied attacking the convoy.", "attacking", "negated"),
    ("Rebels are shelling the city.", "shelling", "ongoing"),
    ("Soldiers shelled the city.", "shelled", "occurred"),
    ("The two countries fought a war in 1971.", "fought", "historical"),
])
def test_status_cues(make_doc, time_component, text, word, status):
    assert run(make_doc, time_component, text, word).status == status


def test_refusal_itself_is_not_negated(make_doc, time_component):
    event = run(make_doc, time_component, "The president refused to meet the delegation.", "refused")
    assert event.status == "occurred"


def test_timexes_cover_unparsed_sentences(make_doc, time_component):
    doc = make_doc("Nothing happened. The vote is on March 3.", "2025-02-06")
    for sent in doc.sentences:
        sent.doc = None
    time_component(doc)
    assert [t.value for t in doc.timexes] == ["2025-03-03"]


def test_repeated_definite_mention_keeps_first_date(make_doc, time_component):
    doc = make_doc("Troops deported 40 migrants earlier this week. On Thursday, lawmakers "
                   "protested against the deportation of the migrants.", "2025-02-06")
    first = event_at(doc, "deported", event_type="COERCE")
    first.mode = "deport"
    again = event_at(doc, "deportation", event_type="COERCE")
    again.mode = "deport"
    time_component(doc)
    assert first.date.value == "2025-W06"
    assert (again.date.value, again.date.basis) == ("2025-W06", "inferred")
    assert again.provenance["date"] == "date:same-event-earlier-mention"
