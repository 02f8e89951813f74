"""Small pipeline components for ingest/CLI tests, registered on import: they make the
tests independent of how well the real extraction components do."""
from __future__ import annotations

from tidings.document import TidingsDoc
from tidings.model import Entity, Event, EventDate, Evidence
from tidings.registry import component

ENGLISH = ("The foreign minister met the visiting envoy in the capital on Monday, and the "
           "two sides said that they would meet again before the end of the month.")


class MeetingsForTests:
    """One CONSULT per sentence holding "met"; the first word is the actor."""

    def prefilter_terms(self) -> set[str]:
        return {"met"}

    def __call__(self, doc: TidingsDoc) -> None:
        for sentence in doc.parsed():
            trigger = next((t for t in sentence.doc if t.text == "met"), None)
            if trigger is None:
                continue
            first = sentence.doc[0]
            start, end = sentence.token_start(trigger), sentence.token_end(trigger)
            doc.events.append(Event(
                article_id=doc.article.id, event_type="CONSULT",
                evidence=Evidence(sentence.text, sentence.start, sentence.end, trigger.text,
                                  start, end),
                actor=[Entity(first.text, sentence.token_start(first),
                              sentence.token_end(first), country="GBR")],
                date=EventDate(doc.article.date.isoformat(), "day", None, "article_date"),
                provenance={"event_type": "test:met"}))


class ExplodesForTests:
    """Fails on articles that mention "detonator", like a component with a bug."""

    def __call__(self, doc: TidingsDoc) -> None:
        if "detonator" in doc.text:
            raise ValueError("cannot handle this article")


component("test_meetings")(lambda config: MeetingsForTests())
component("test_explodes")(lambda config: ExplodesForTests())
