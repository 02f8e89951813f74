"""The batched entity decoder must find exactly the entities, and set exactly the token IOB
tags, of the model's own `ner` pipe."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.entities import COMPONENT_NAME, REPLACED_PIPE, BatchedEntityRecogniser, use_batched_entities
from tidings.nlp import load_pipeline

# Own sentences: entities at the start and the end, adjacent ones, several sentences in one
# Doc (no entity may cross a sentence start), white space inside, numbers and dates.
SENTENCES = [
    "Kenya's foreign minister Musalia Mudavadi met Yoweri Museveni in Kampala on Monday.",
    "The European Union and the African Union signed the pact in Addis Ababa.",
    "Talks resumed.",
    "Paris",
    "Hamas fired 120 rockets at Tel Aviv, the Israel Defense Forces said on 4 March 2024.",
    "He met Lula. Xi Jinping arrived later. The United Nations Security Council voted.",
    "Protesters   marched\n\nthrough Nairobi\tchanting, and the police arrested 3,000 people.",
    "Prices rose 4.5% in the first quarter, according to the Reserve Bank of India.",
    "The World Health Organization sent $2 million of aid to Gaza last week.",
    "the minister said nothing about it at all",
]


@pytest.fixture(scope="module")
def pipelines():
    model = load_pipeline(cached_morphology=True)
    batched = load_pipeline(cached_morphology=True, batched_entities=True)
    return model, batched


def entities(doc):
    return [(e.start, e.end, e.label_) for e in doc.ents], [t.ent_iob_ for t in doc]


def test_the_component_replaces_the_model_pipe_under_its_name(pipelines):
    _, batched = pipelines
    assert isinstance(batched.get_pipe(REPLACED_PIPE), BatchedEntityRecogniser)
    assert COMPONENT_NAME not in batched.pipe_names


@pytest.mark.parametrize("text", SENTENCES)
def test_same_entities_as_the_model_pipe(pipelines, text):
    model, batched = pipelines
    assert entities(batched(text)) == entities(model(text))


def test_a_batch_decodes_like_its_documents_one_by_one(pipelines):
    model, batched = pipelines
    parsed = list(model.pipe(SENTENCES, disable=["ner"]))
    one_batch = list(batched.get_pipe("ner").pipe([d.copy() for d in parsed], batch_size=64))
    by_model = list(model.get_pipe("ner").pipe([d.copy() for d in parsed]))
    assert [entities(d) for d in one_batch] == [entities(d) for d in by_model]
    assert sum(len(d.ents) for d in one_batch) > 20


def test_preset_entities_are_left_to_the_model_pipe(pipelines):
    from spacy.tokens import Span

    model, batched = pipelines
    docs = []
    for nlp in (model, batched):
        doc = nlp("Acme Widgets opened an office in Lagos.", disable=["ner"])
        doc.set_ents([Span(doc, 0, 2, label="ORG")], default="unmodified")
        docs.append(nlp.get_pipe("ner")(doc))
    assert entities(docs[1]) == entities(docs[0])
    assert (0, 2, "ORG") in entities(docs[1])[0]


def test_an_empty_doc_gets_no_entities(pipelines):
    _, batched = pipelines
    assert list(batched("").ents) == []


def test_a_pipeline_without_the_pipe_is_left_alone():
    import spacy

    blank = spacy.blank("en")
    assert use_batched_entities(blank).pipe_names == []


WORDS = ["Nairobi", "Kenya", "Ruto", "William", "the", "of", "met", "said", "United", "Nations",
         "Bank", "2024", "March", "on", "in", ".", ",", "$", "5", "million", "and", "New", "York",
         "Times", "President", "\n", "  ", "Mr", "-", "'s", "minister", "Tuesday", "Red", "Cross"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40), min_size=1, max_size=6))
def test_random_batches_decode_like_the_model(pipelines, texts):
    model, batched = pipelines
    texts = [" ".join(words) for words in texts]
    parsed = list(model.pipe(texts, disable=["ner"]))
    ours = list(batched.get_pipe("ner").pipe([d.copy() for d in parsed]))
    theirs = list(model.get_pipe("ner").pipe([d.copy() for d in parsed]))
    assert [entities(d) for d in ours] == [entities(d) for d in theirs]
