"""The second cheap pass: the entity recogniser runs only on candidates the lexicon could
match (and on those naming a person the kept ones name); nothing it drops held an event."""
from __future__ import annotations

import datetime as dt

import pytest

from tidings.document import TidingsDoc
from tidings.model import Article
from tidings.nlp import NlpStage, load_pipeline
from tidings.pipeline import Pipeline

# Own sentences: events of several types, and candidates (a lexicon word) with no event.
SENTENCES = [
    "Rebels attacked an army post near Goma on Sunday.",
    "The foreign ministers of Chile and Peru met in Lima to discuss the border.",
    "Police arrested 40 protesters outside parliament.",
    "The union called off the strike after the government agreed to raise wages.",
    "Japan will send 200 tonnes of rice to the flood-hit provinces.",
    "Ambassador Karl Weber said Berlin rejected the proposal.",
    "Shares fell back to their March level.",
    "The march is the month when the river floods.",
    "He paid for the tickets with a card.",
    "The video of the meeting room went online.",
]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_config()


def _article(text: str) -> TidingsDoc:
    return TidingsDoc(article=Article(id="t", date=dt.date(2025, 3, 4), text=text))


@pytest.mark.parametrize("text", SENTENCES)
def test_may_match_whenever_the_full_parse_matches(pipeline, text):
    finder = dict(pipeline.components)["triggers"].finder
    nlp = load_pipeline(cached_morphology=True)
    without_entities = nlp(text, disable=["ner"])
    if finder.find(nlp(text), 0):
        assert finder.may_match(without_entities)


def test_the_pipeline_offers_a_second_pass(pipeline):
    assert pipeline._confirm is not None


def test_same_events_with_and_without_the_second_pass(pipeline):
    text = " ".join(SENTENCES)
    one_pass = Pipeline.from_config()
    one_pass.__dict__["_confirm"] = None  # the cached property, switched off
    with_second = [e.to_record() for d in pipeline.process([_article(text).article]) for e in d.events]
    without = [e.to_record() for d in one_pass.process([_article(text).article]) for e in d.events]
    strip = lambda r: {k: v for k, v in r.items() if k != "event_id"}  # noqa: E731
    assert [strip(r) for r in with_second] == [strip(r) for r in without]
    assert with_second


def test_unconfirmed_candidates_are_dropped_and_confirmed_get_entities():
    stage = NlpStage()
    doc = _article("Rebels attacked an army post near Goma on Sunday. Shares fell back to their March level.")
    stage.annotate([doc], terms={"attacked", "back"}, confirm=lambda sdoc: "attacked" in sdoc.text)
    attack, shares = doc.sentences
    assert attack.candidate and attack.doc is not None and attack.doc.has_annotation("ENT_IOB")
    assert shares.candidate and shares.doc is None


def test_a_dropped_candidate_naming_a_kept_persons_name_gets_entities():
    stage = NlpStage()
    doc = _article("The envoy Karl Weber flew back from Oslo. "
                   "Later, Weber accused the rebels of breaking the truce.")
    stage.annotate([doc], terms={"back", "accused"}, confirm=lambda sdoc: "accused" in sdoc.text)
    introduced, coded = doc.sentences
    assert coded.doc is not None
    assert introduced.doc is not None  # kept for the full name, though no entry matches it
    assert any(ent.label_ == "PERSON" and "Karl" in ent.text for ent in introduced.doc.ents)
