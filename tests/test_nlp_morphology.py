"""The memoised attribute ruler + lemmatizer must annotate exactly like the model's own."""
from __future__ import annotations

import pytest

from tidings.morphology import COMPONENT_NAME, use_cached_morphology
from tidings.nlp import load_pipeline

SENTENCES = [
    "There is no deal yet, and there were talks on Tuesday.",
    "I told them we'd be there, but it wasn't me who called you.",
    "They ain't gonna sign it, and we gotta go, so let's wait.",
    "Ministers have been meeting; the envoy had left and did not return.",
    "Her aides said his visit to Paris is being planned for the autumn.",
    "Everyone knew something was wrong when nobody answered the phones.",
    "The rebels' leaders, who'd fled, were seen in Goma; y'all heard it.",
    "Protesters   marched\n\nthrough Nairobi, chanting slogans.",
    "Lula and Xi Jinping discussed tariffs, sanctions and the BRICS summit.",
]


def annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    plain = load_pipeline(cached_morphology=False)
    cached = load_pipeline(cached_morphology=True)
    return plain, cached


def test_the_component_replaces_both_pipes(pipelines):
    _, cached = pipelines
    assert COMPONENT_NAME in cached.pipe_names
    assert "attribute_ruler" not in cached.pipe_names and "lemmatizer" not in cached.pipe_names


@pytest.mark.parametrize("text", SENTENCES)
def test_same_annotations_as_the_model_pipes(pipelines, text):
    plain, cached = pipelines
    # twice: the second pass is served from the memo
    for _ in range(2):
        assert annotations(cached(text)) == annotations(plain(text))


def test_a_pipeline_without_the_pipes_is_left_alone():
    import spacy

    blank = spacy.blank("en")
    assert use_cached_morphology(blank).pipe_names == []
