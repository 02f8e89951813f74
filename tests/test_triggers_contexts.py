"""Document-level contexts: cue words across the article, appended with provenance."""
from __future__ import annotations

from tidings.extract.contexts import PROVENANCE_KEY, load_contexts, Contexts
from tidings.document import TidingsDoc
from tidings.model import Article, Event, Evidence
import datetime as dt


def _doc(text: str) -> TidingsDoc:
    doc = TidingsDoc(article=Article(id="c", date=dt.date(2024, 1, 1), text=text))
    doc.events.append(Event(article_id="c", event_type="CONSULT", contexts=["diplomatic"],
                            evidence=Evidence("s", 0, 1, "t", 0, 1)))
    return doc


def test_strong_cue_once_or_weak_cues_often_enough():
    cues, min_hits = load_contexts()
    contexts = Contexts(cues=cues, min_hits=min_hits)
    found = contexts.article_contexts("Ministers met after the earthquake. Talks covered trade.")
    assert "disasters" in found and "economic" in found
    assert "military" not in contexts.article_contexts("The minister met his counterpart.")


def test_appended_after_sentence_contexts_with_provenance():
    cues, min_hits = load_contexts()
    doc = _doc("The defence minister met the army chief to discuss troops on the border.")
    Contexts(cues=cues, min_hits=min_hits)(doc)
    ev = doc.events[0]
    assert ev.contexts[0] == "diplomatic" and "military" in ev.contexts
    assert ev.contexts.count("diplomatic") == 1
    assert "military=" in ev.provenance[PROVENANCE_KEY]


def test_whole_words_only():
    cues, min_hits = load_contexts()
    found = Contexts(cues=cues, min_hits=min_hits).article_contexts("The armystic oilman.")
    assert "military" not in found and "natural_resource" not in found
