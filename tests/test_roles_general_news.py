"""Actors the parser strands: subjects hung on a fronted phrase, by-phrases attached too high,
nominal events inside a verb's phrase (sentences written for the tests)."""
from __future__ import annotations

import pytest

from tidings.registry import make_component


@pytest.fixture(scope="module")
def code(make_doc):
    triggers = make_component("triggers", {})
    roles = make_component("roles", {})

    def run(text: str, event_type: str):
        doc = make_doc(text, "1999-03-02")
        triggers(doc)
        roles(doc)
        return [e for e in doc.events if e.event_type == event_type]

    return run


def texts(entities):
    return [e.text for e in entities]


def test_a_fronted_with_phrase_is_no_recipient_and_strands_no_subject(code):
    events = code("With the signing of a ceasefire accord in Nairobi, the Ugandan government and the LRA "
                  "have agreed to open roads to aid convoys.", "AGREE")
    assert events
    actors = texts(events[0].actor)
    assert any("Ugandan government" in a for a in actors)
    assert not any("signing" in r for r in texts(events[0].recipient))


def test_a_by_phrase_the_parser_attached_above_the_passive_verb_is_its_agent(code):
    events = code("The former mayor has been accused of stealing public money, some of it reportedly wired "
                  "abroad, by senior Peruvian prosecutors.", "ACCUSE")
    assert events
    assert any("Peruvian prosecutors" in a for a in texts(events[0].actor))


def test_a_nominal_charge_in_an_arrest_phrase_belongs_to_the_arresting_subject(code):
    events = code("Kenyan police detained nine students on allegations of sedition.", "ACCUSE")
    assert events
    assert texts(events[0].actor) == ["Kenyan police"]


def test_a_nominal_event_does_not_borrow_a_non_party_subject(code):
    events = code("The bank said its earnings rose on strong demand for loans.", "REQUEST")
    assert all(not e.actor for e in events)
