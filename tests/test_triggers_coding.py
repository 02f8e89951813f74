"""Triggers on parsed sentences: type, mode, one event per occurrence, PLOVER's rules.

Sentences are written for these tests (not taken from any labelled set)."""
from __future__ import annotations

import pytest

from tidings.registry import make_component


@pytest.fixture(scope="module")
def code(make_doc):
    triggers = make_component("triggers", {})
    roles = make_component("roles", {})
    discard = make_component("discard", {})

    def run(text: str, date: str = "2024-03-05", keep_all: bool = False):
        doc = make_doc(text, date)
        triggers(doc)
        roles(doc)
        if not keep_all:
            discard(doc)
        return doc.events

    return run


def kinds(events):
    return [(e.event_type, e.mode) for e in events]


def test_phone_call_as_discontinuous_nominal(code):
    events = code("The Kenyan foreign minister held a telephone conversation with her "
                  "Ugandan counterpart on Monday.")
    assert kinds(events) == [("CONSULT", "phone")]
    ev = events[0]
    assert ev.evidence.trigger == "held ... telephone conversation"
    assert ev.provenance["event_type"] == "lexicon:consult/phone-call"
    text = ev.evidence.sentence
    assert text[ev.evidence.trigger_start - ev.evidence.start:][:4] == "held"


def test_nominal_deportation_with_its_arguments(code):
    events = code("Lawmakers protested against the deportation of 300 asylum seekers from "
                  "Denmark.", keep_all=True)
    deport = [e for e in events if e.event_type == "COERCE"]
    assert deport and deport[0].mode == "deport"
    assert "migration" in deport[0].contexts


def test_noun_without_event_context_is_not_an_event(code):
    assert code("Deportation is a sensitive topic in the election.") == []


def test_future_cooperation_becomes_agree(code):
    events = code("The Chilean president will visit Lima next month.")
    assert kinds(events) == [("AGREE", None)]
    assert "+future(aux:will):AGREE" in events[0].provenance["event_type"]


def test_future_retreat_becomes_concede(code):
    events = code("The army announced it will withdraw its troops from the border town.")
    assert [e.event_type for e in events] == ["CONCEDE"]


def test_speech_act_absorbs_its_content_and_takes_its_mode(code):
    assert kinds(code("The opposition refused to meet the prime minister.")) == [("REJECT", "meet")]
    assert kinds(code("The families demanded the release of the detained fishermen.")) == [
        ("REQUEST", "yield")]


def test_promised_violence_is_a_threat(code):
    events = code("The militia vowed to attack the convoy.")
    assert [e.event_type for e in events] == ["THREATEN"]
    assert events[0].mode == "violence"


def test_conditional_future_act_is_a_threat(code):
    events = code("The union will strike on Friday unless the ministry raises wages.")
    assert [e.event_type for e in events] == ["THREATEN"]


def test_stated_obligation_is_a_request(code):
    events = code("The envoy said that Serbia must recognise the court's authority.")
    assert [e.event_type for e in events] == ["REQUEST"]
    assert [r.text for r in events[0].recipient] == ["Serbia"]


def test_non_event_senses_are_rejected(code):
    assert code("The ministry released a statement on Tuesday.") == []
    assert code("The storm struck the coast overnight.") == []
    assert code("Critics stressed the need to crack down on smuggling.") == []


def test_verb_trigger_and_its_light_verb_noun_are_one_event(code):
    events = code("Washington imposed sanctions on three shipping firms.")
    assert kinds(events) == [("SANCTION", "discontinue")]
    assert events[0].evidence.trigger == "imposed sanctions"


def test_background_clause_event_is_dropped_when_a_main_event_exists(code):
    events = code("Students staged a sit-in outside the ministry to demand lower fees.")
    assert [e.event_type for e in events] == ["PROTEST"]


def test_attribution_verb_after_the_clause_is_not_a_second_event(code):
    events = code("Soldiers beat several detainees, a rights group charged on Sunday.")
    assert [e.event_type for e in events] == ["ASSAULT"]
    assert events[0].mode == "beat"


def test_mode_cues(code):
    assert kinds(code("Police fired tear gas at the crowd in the capital.")) == [
        ("ASSAULT", "crowd-control")]
    assert kinds(code("Farmers went on hunger strike in the square.")) == [("PROTEST", "hunger")]
    assert kinds(code("The navy deployed two warships near the strait.")) == [
        ("MOBILIZE", "weapons")]
