"""The nlp stage reuses the splitter's tokens for the parse: it must parse exactly what
tokenizing each sentence alone would, and keep the sentence offsets right."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.document import TidingsDoc
from tidings.model import Article
from tidings.nlp import load_pipeline, split_sentences


def _annotated(nlp_stage, text: str) -> TidingsDoc:
    doc = TidingsDoc(article=Article(id="t", date=dt.date(2024, 3, 5), text=text))
    nlp_stage.annotate([doc], terms=None)
    return doc


def _tokens(doc) -> list[tuple[str, str]]:
    return [(t.text, t.whitespace_) for t in doc]


def test_parsed_tokens_equal_tokenizing_the_sentence_alone(nlp_stage):
    text = ("  Rebels  seized the town on Monday.  Troops withdrew.\n\n"
            "'We left,' said a resident.'They shelled the market.' Talks resumed.\t \n")
    doc = _annotated(nlp_stage, text)
    tokenizer = load_pipeline().tokenizer
    assert [s.text for s in doc.sentences][:2] == ["Rebels  seized the town on Monday.",
                                                   "Troops withdrew."]
    for sent in doc.sentences:
        assert sent.doc is not None and sent.doc.text == sent.text
        assert _tokens(sent.doc) == _tokens(tokenizer(sent.text))
    glued = next(s for s in doc.sentences if s.text.startswith("'They"))
    assert glued.doc[0].text == "'"  # tokenized alone, the quote is its own token


def test_stage_and_plain_splitter_agree(nlp_stage):
    text = "Police detained 40 people. Officials said.\nA second line. Mr. Diaz met Ms. Ruiz."
    doc = _annotated(nlp_stage, text)
    assert [(s.start, s.end, s.text) for s in doc.sentences] == [
        (s.start, s.end, s.text) for s in split_sentences(text)]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab. '\"\n\t\u00a0?!,X")), max_size=80))
def test_offsets_point_at_the_sentence_text(text):
    for sent in split_sentences(text):
        assert text[sent.start:sent.end] == sent.text
        assert sent.text == sent.text.strip() and sent.text


class _RecordingClassifier:
    """Remembers which sentences it was asked to classify."""

    backend = "textcat"

    def __init__(self):
        self.asked: list[str] = []

    def predict(self, texts):
        self.asked += list(texts)
        return [{"COERCE": 0.7} for _ in texts]


def test_lexicon_layer_classifies_only_sentences_with_events(make_doc):
    from tidings.extract.typemodel import TypeModel
    from tidings.registry import make_component

    doc = make_doc("The weather was mild all week. Police arrested 40 protesters on Monday.")
    make_component("triggers", {})(doc)
    assert {e.sentence_index for e in doc.events} == {1}
    classifier = _RecordingClassifier()
    TypeModel(classifier, layer="lexicon")(doc)
    assert classifier.asked == [doc.sentences[1].text]
    assert all(e.provenance["event_type.model"].startswith("model:textcat@p=") for e in doc.events)
