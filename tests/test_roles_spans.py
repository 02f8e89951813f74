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


@pytest.fixture(scope="module")
def code_reciprocal(make_doc):
    """The roles component as the shipped pipeline configures it (PLOVER's reciprocal CONSULT)."""
    from tidings.pipeline import load_config

    roles_config = next(c for c in load_config()["components"] if c["name"] == "roles")
    triggers = make_component("triggers", {})
    roles = make_component("roles", roles_config)

    def run(text: str):
        doc = make_doc(text, "2024-05-02")
        triggers(doc)
        roles(doc)
        return doc.events

    return run


def test_a_meeting_without_host_puts_every_participant_in_actor(code_reciprocal):
    ev = next(e for e in code_reciprocal("The Kenyan trade minister held talks with Uganda's finance minister "
                                         "on Monday.") if e.event_type == "CONSULT")
    assert ev.mode not in ("visit", "phone")
    assert spans(ev.actor) == ["The Kenyan trade minister", "Uganda's finance minister"]
    assert ev.recipient == []
    assert ev.provenance["actor"].startswith("roles:reciprocal:")


@pytest.mark.parametrize("text, actor, recipient", [
    ("The Kenyan trade minister spoke by telephone with Uganda's finance minister on Monday.",
     "The Kenyan trade minister", "Uganda's finance minister"),
    ("King Abdullah hosted the Iraqi president in Amman.", "the Iraqi president", "King Abdullah"),
])
def test_phone_calls_and_visits_keep_their_recipient(code_reciprocal, text, actor, recipient):
    ev = next(e for e in code_reciprocal(text) if e.event_type == "CONSULT")
    assert ev.mode in ("phone", "visit")
    assert spans(ev.actor) == [actor] and spans(ev.recipient) == [recipient]


def test_non_consult_events_keep_their_recipient(code_reciprocal):
    ev = next(e for e in code_reciprocal("Ghana accused Togo of harbouring smugglers.") if e.event_type == "ACCUSE")
    assert spans(ev.actor) == ["Ghana"] and spans(ev.recipient) == ["Togo"]


def test_conjoined_countries_in_an_of_phrase_are_one_entity_each(code):
    _, events = code("The prime ministers of Portugal and Greece agreed to pool their fire-fighting aircraft.")
    ev = next(e for e in events if e.event_type == "AGREE")
    assert spans(ev.actor) == ["The prime ministers of Portugal", "Greece"]


@pytest.mark.parametrize("text, actor", [
    ("Two police officers were killed in a roadside bomb explosion outside Mogadishu.",
     "a roadside bomb explosion"),
    ("A shepherd was wounded in an air strike on Tuesday.", "an air strike"),
])
def test_a_passives_weapon_phrase_is_its_actor(code_reciprocal, text, actor):
    ev = next(e for e in code_reciprocal(text) if e.event_type == "ASSAULT")
    assert spans(ev.actor) == [actor]


def test_a_passive_place_phrase_is_no_actor(code_reciprocal):
    events = code_reciprocal("Two police officers were killed in Mogadishu on Tuesday.")
    ev = next(e for e in events if e.event_type == "ASSAULT")
    assert ev.actor == []


def test_a_possessive_pronoun_of_a_nominal_event_is_the_verbs_subject(code):
    _, events = code("Rwandan troops completed their pullout from the border district on Friday.")
    ev = next(e for e in events if e.event_type == "RETREAT")
    assert spans(ev.actor) == ["Rwandan troops"]


def test_a_list_the_parser_reads_as_an_apposition_is_still_one_entity_per_name(code):
    # the small English model parses "Fiji" as an apposition of "New Zealand"
    _, events = code("New Zealand, Fiji, Samoa and the Solomon Islands condemned the executions on Tuesday.")
    ev = next(e for e in events if e.event_type == "ACCUSE")
    assert spans(ev.actor) == ["New Zealand", "Fiji", "Samoa", "the Solomon Islands"]


@pytest.mark.parametrize("text, actor", [
    ("Drones launched by Russian forces hit a power station near Odesa.", "Russian forces"),
    ("Tanks sent by the army surrounded the parliament building.", "the army"),
])
def test_a_machine_sent_or_fired_by_someone_stands_for_them(code_reciprocal, text, actor):
    ev = next(e for e in code_reciprocal(text) if e.actor)
    assert spans(ev.actor) == [actor]


def test_other_participles_keep_their_head(code_reciprocal):
    events = code_reciprocal("Students backed by their teachers marched to the ministry to protest fees.")
    assert all("their teachers" not in spans(e.actor) for e in events)


def test_conjoined_nationalities_split_even_when_the_tagger_misreads_one(make_doc):
    from tidings.pipeline import default_pipeline
    from tidings.model import Article
    import datetime as dt

    text = "Indian and Bangladeshi border guards held a joint patrol along the river frontier."
    (doc,) = list(default_pipeline().process([Article(id="t", date=dt.date(2024, 5, 2), text=text)]))
    ev = next(e for e in doc.events if e.event_type == "COOPERATE")
    assert [(a.text, a.country, a.sector) for a in ev.actor] == [("Indian", "IND", "COP"),
                                                                  ("Bangladeshi", "BGD", "COP")]


@pytest.mark.parametrize("text, pronoun, expected", [
    ("Rwandan troops completed their pullout from the border district.", "their", "troops"),
    ("The UN criticised Israel for its bombing of the port.", "its", "its"),  # a verb's prepositional phrase
])
def test_which_possessive_pronouns_stand_for_the_subject(make_doc, text, pronoun, expected):
    from tidings.extract.roles import _possessor

    sdoc = make_doc(text).sentences[0].doc
    token = next(t for t in sdoc if t.lower_ == pronoun)
    assert _possessor(token).text == expected


def test_a_plural_noun_the_tagger_reads_as_a_verb_after_a_number_is_the_actor(code):
    _, events = code("Seventy inmates at a prison in Bahrain began a hunger strike on Friday.")
    ev = next(e for e in events if e.event_type == "PROTEST")
    assert spans(ev.actor) == ["Seventy inmates"]


def test_a_misparsed_participle_subject_still_gives_the_noun_before_it(code):
    _, events = code("The Red Cross operating in Iraq said US forces must ensure security.")
    assert any(spans(e.actor) == ["The Red Cross"] for e in events)


def test_a_time_after_a_recipient_preposition_is_no_recipient(code):
    _, events = code("Rebels opened fire on the convoy on Tuesday.")
    assert events
    assert all("Tuesday" not in span for ev in events for span in spans(ev.recipient))
