"""The attribution component: sources, certainty, paragraph attribution and quotes."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from tidings.document import TidingsDoc
from tidings.extract.attribution import make_attribution
from tidings.extract.time import make_time
from tidings.model import Article
from tidings.nlp import split_sentences

from time_events import event_at


@pytest.fixture(scope="module")
def components():
    return make_time({}), make_attribution({})


def annotate(doc, components):
    for comp in components:
        comp(doc)


def test_seed_attributions(make_doc, components, seed_text):
    doc = make_doc(seed_text)
    meeting = event_at(doc, "meet", occurrence=1, event_type="AGREE")  # 0 is "meetings"
    agreed = event_at(doc, "agreed", event_type="AGREE")
    engaging = event_at(doc, "engaging")
    cuffed = event_at(doc, "cuffed", event_type="COERCE")
    annotate(doc, components)
    assert meeting.status == "planned" and meeting.date.value == "2025-02-13"
    assert meeting.attribution.source == "Hindustan Times"
    assert meeting.attribution.certainty == "unconfirmed"
    assert agreed.attribution.source == "Rajnath Singh"
    assert agreed.attribution.cue == "wrote on X"
    assert cuffed.attribution.source == "The deportees"
    assert engaging.attribution.source == "S Jaishankar"
    speakers = {q.speaker.text: q for q in doc.quotes}
    assert speakers["Singh"].kind == "direct" and speakers["Singh"].cue == "wrote on X"
    assert agreed.event_id in speakers["Singh"].event_ids
    assert "The deportees" in speakers
    assert any("Jaishankar" in name for name in speakers)
    for quote in doc.quotes:
        assert doc.text[quote.start:quote.end] == quote.content
        assert doc.text[quote.speaker.start:quote.speaker.end] == quote.speaker.text


@pytest.mark.parametrize("text, word, source, certainty", [
    ("According to the interior ministry, police arrested 40 people.", "arrested",
     "interior ministry", "reported"),
    ("Police reportedly arrested 40 people.", "arrested", None, "unconfirmed"),
    ("Officials told Reuters that troops withdrew from the town.", "withdrew", "Officials", "reported"),
    ("The army denied that it shelled the village.", "shelled", "The army", "denied"),
    ("The rebels are said to have seized the airport.", "seized", None, "unconfirmed"),
    ("Troops seized the airport.", "seized", None, "asserted"),
])
def test_sources_and_certainty(make_doc, components, text, word, source, certainty):
    doc = make_doc(text)
    event = event_at(doc, word)
    annotate(doc, components)
    assert event.attribution.source == source
    assert event.attribution.certainty == certainty
    assert event.provenance["attribution"]


def test_direct_quote_with_inverted_speaker(make_doc, components):
    doc = make_doc("\u201cWe will not negotiate with terrorists,\u201d said Prime Minister Jane Roe.")
    event = event_at(doc, "negotiate")
    annotate(doc, components)
    assert [q.kind for q in doc.quotes] == ["direct"]
    assert doc.quotes[0].speaker.text == "Prime Minister Jane Roe"
    assert event.attribution.cue == "said"


def test_scare_quotes_are_not_quotes(make_doc, components):
    doc = make_doc("The deportation of 104 'illegal' immigrants drew \"outrage\" in Parliament.")
    annotate(doc, components)
    assert doc.quotes == []


def test_paragraph_report_attribution_carries(make_doc, components):
    doc = make_doc("According to a Reuters report, the two sides will meet in Oslo. "
                   "They are also expected to sign a trade pact.\n\nTroops withdrew.")
    sign = event_at(doc, "sign")
    withdrew = event_at(doc, "withdrew")
    annotate(doc, components)
    assert sign.attribution.source == "Reuters"
    assert withdrew.attribution.source is None


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(["\u201c", "\u201d", "\"", "said", "told", "Singh", "the",
                                 "minister", "wrote", "on", "X", ".", ",", "\n", "We", "will",
                                 "attack", "according", "to", "reports", "indicate", "''",
                                 "``", "he", "added", "not", "confirmed", "likely"]),
                max_size=40))
def test_unparsed_text_never_crashes_and_quotes_lie_within(words):
    text = " ".join(words)
    doc = TidingsDoc(article=Article(id="p", date=dt.date(2025, 2, 6), text=text))
    doc.sentences = split_sentences(text)
    make_attribution({})(doc)
    for quote in doc.quotes:
        assert text[quote.start:quote.end] == quote.content
        assert text[quote.speaker.start:quote.speaker.end] == quote.speaker.text


def test_inverted_speaker_with_title_and_pronoun_follow_up(make_doc, components):
    doc = make_doc("\u201cThe dispute turns on one point,\u201d said Chinese foreign ministry "
                   "spokesman Shen Guofang.\n\u201cWe hope the United States will keep its "
                   "agreements,\u201d he added.")
    keep = event_at(doc, "keep")
    annotate(doc, components)
    speakers = [q.speaker.text for q in doc.quotes]
    assert speakers == ["Chinese foreign ministry spokesman Shen Guofang", "he"]
    assert keep.attribution.source == "Chinese foreign ministry spokesman Shen Guofang" or \
        keep.attribution.source == "Shen Guofang"


def test_quotes_in_sentences_without_a_parse():
    text = ("Police arrested 40 protesters on Monday, the interior ministry said.\n"
            "The mayor told reporters that the water supply had been restored.\n"
            "\u201cWe will win,\u201d he said.\nPrices rose sharply in March.")
    doc = TidingsDoc(article=Article(id="u", date=dt.date(2025, 2, 6), text=text))
    doc.sentences = split_sentences(text)
    make_attribution({})(doc)
    found = [(q.kind, q.speaker.text, q.cue) for q in doc.quotes]
    assert found == [("indirect", "the interior ministry", "said"), ("indirect", "The mayor", "told"),
                     ("direct", "he", "said")]
    assert doc.quotes[1].content == "the water supply had been restored"
