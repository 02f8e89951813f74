"""Actor and recipient spans from the syntax around triggers (sentences written for the tests)."""
from __future__ import annotations

import pytest

from tidings.registry import make_component


@pytest.fixture(scope="module")
def code(make_doc):
    triggers = make_component("triggers", {})
    roles = make_component("roles", {})

    def run(text: str):
        doc = make_doc(text, "2024-05-02")
        triggers(doc)
        roles(doc)
        return doc, doc.events

    return run


def spans(entities):
    return [e.text for e in entities]


def test_subject_and_prepositional_recipient_with_full_phrases(code):
    doc, events = code("Foreign Minister Penny Wong held talks with her Indonesian counterpart "
                       "in Jakarta.")
    ev = events[0]
    assert spans(ev.actor) == ["Foreign Minister Penny Wong"]
    assert spans(ev.recipient) == ["her Indonesian counterpart"]
    for ent in ev.actor + ev.recipient:
        assert doc.text[ent.start:ent.end] == ent.text
        assert ent.country is None and ent.kb_id is None  # identity is resolve's field


def test_compound_actor_becomes_several_entities(code):
    _, events = code("Egypt and Qatar condemned the raid.")
    assert spans(events[0].actor) == ["Egypt", "Qatar"]


def test_passive_by_agent(code):
    _, events = code("Two reporters were arrested by border police on Friday.")
    ev = events[0]
    assert (ev.event_type, ev.mode) == ("COERCE", "arrest")
    assert spans(ev.actor) == ["border police"]
    assert spans(ev.recipient) == ["Two reporters"]


def test_control_verb_gives_the_subject(code):
    _, events = code("The Japanese premier is scheduled to meet the Dutch king on Tuesday.")
    ev = events[0]
    assert spans(ev.actor) == ["The Japanese premier"]
    assert spans(ev.recipient) == ["the Dutch king"]


def test_nominal_of_and_from_arguments(code):
    _, events = code("Activists decried the deportation of 60 Afghan refugees from Pakistan.")
    deport = next(e for e in events if e.event_type == "COERCE")
    assert spans(deport.actor) == ["Pakistan"]
    assert spans(deport.recipient) == ["60 Afghan refugees"]


def test_possessive_actor_of_a_nominal(code):
    _, events = code("Turkey's withdrawal of troops from the enclave began on Sunday.")
    ev = next(e for e in events if e.event_type == "RETREAT")
    assert spans(ev.actor) == ["Turkey"]


def test_received_aid_from_swaps_roles(code):
    _, events = code("Malawi received emergency aid from the World Bank.")
    ev = events[0]
    assert ev.event_type == "AID"
    assert spans(ev.actor) == ["the World Bank"]
    assert spans(ev.recipient) == ["Malawi"]


def test_host_makes_the_visitor_the_actor(code):
    _, events = code("King Abdullah hosted the Iraqi president in Amman.")
    ev = events[0]
    assert (ev.event_type, ev.mode) == ("CONSULT", "visit")
    assert spans(ev.actor) == ["the Iraqi president"]
    assert spans(ev.recipient) == ["King Abdullah"]


def test_we_in_a_quote_is_the_speaker(code):
    _, events = code("“We agreed to expand joint patrols,” Minister Okafor told reporters.")
    ev = next(e for e in events if e.event_type == "AGREE")
    assert spans(ev.actor) == ["Minister Okafor"]
