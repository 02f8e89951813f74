"""The batched parser decoder must parse exactly like the model's own `parser` pipe: heads,
labels, sentence starts and the tree's edges."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.dependencies import COMPONENT_NAME, REPLACED_PIPE, BatchedParser, use_batched_parser
from tidings.nlp import load_pipeline

# Own sentences: questions, passives, coordination, relative clauses, quotes, a fragment,
# several sentences in one Doc, white space, a one-word Doc, non-projective attachments.
SENTENCES = [
    "Rebels who had crossed the border attacked an army post near Goma on Sunday.",
    "The talks, which the envoy said would resume, were called off by both sides.",
    "Did the minister meet the protesters, or was the meeting cancelled?",
    "\"We will not leave,\" said the mayor. The police then moved in. Dozens were arrested.",
    "Tanks.",
    "Protesters   marched\n\nthrough Nairobi\tchanting, and police fired tear gas at them.",
    "A hearing is scheduled today on the bill, which the senator who chairs it opposes.",
    "Kenya, Uganda and Tanzania agreed to open the border, cut tariffs and share power.",
    "What did the court rule that the government must do?",
    "Prices rose 4.5% in the first quarter according to the central bank's report",
]


@pytest.fixture(scope="module")
def pipelines():
    model = load_pipeline()
    batched = load_pipeline(batched_parser=True)
    return model, batched


def tree(doc):
    return [(t.head.i, t.dep_, t.is_sent_start, t.left_edge.i, t.right_edge.i, t.n_lefts,
             t.n_rights, t.lemma_, t.pos_) for t in doc]


def test_the_component_replaces_the_model_pipe_under_its_name(pipelines):
    _, batched = pipelines
    assert isinstance(batched.get_pipe(REPLACED_PIPE), BatchedParser)
    assert COMPONENT_NAME not in batched.pipe_names
    assert batched.pipe_names == load_pipeline().pipe_names


@pytest.mark.parametrize("text", SENTENCES)
def test_same_parse_as_the_model_pipe(pipelines, text):
    model, batched = pipelines
    assert tree(batched(text)) == tree(model(text))


def test_a_batch_parses_like_its_documents_one_by_one(pipelines):
    model, batched = pipelines
    ours = list(batched.pipe(SENTENCES, batch_size=64))
    theirs = [model(text) for text in SENTENCES]
    assert [tree(d) for d in ours] == [tree(d) for d in theirs]


def test_preset_heads_are_left_to_the_model_pipe(pipelines):
    import numpy as np
    from spacy.attrs import DEP, HEAD

    model, batched = pipelines
    parsed = []
    for nlp in (model, batched):
        doc = nlp("Troops left the city.", disable=["parser", "attribute_ruler", "lemmatizer", "ner"])
        doc.from_array([HEAD, DEP], np.array([[1, nlp.vocab.strings.add("nsubj")], [0, 0], [0, 0],
                                              [0, 0], [0, 0]], dtype=np.uint64))
        parsed.append(nlp.get_pipe("parser")(doc))
    assert [(t.head.i, t.dep_) for t in parsed[1]] == [(t.head.i, t.dep_) for t in parsed[0]]


def test_an_empty_doc_is_left_alone(pipelines):
    _, batched = pipelines
    assert len(batched("")) == 0


def test_a_pipeline_without_the_pipe_is_left_alone():
    import spacy

    blank = spacy.blank("en")
    assert use_batched_parser(blank).pipe_names == []


WORDS = ["the", "rebels", "attacked", "police", "who", "said", "that", "and", "or", "not",
         "Kenya", "agreed", "to", "talks", ",", ".", "?", "\"", "was", "arrested", "by", "in",
         "Nairobi", "on", "Monday", "it", "\n", "  ", "-", "will", "meet", "which", "them"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=45), min_size=1, max_size=6))
def test_random_batches_parse_like_the_model(pipelines, texts):
    model, batched = pipelines
    texts = [" ".join(words) for words in texts]
    assert [tree(d) for d in batched.pipe(texts)] == [tree(d) for d in model.pipe(texts)]
