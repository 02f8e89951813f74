"""A test helper for KB resolution tests: resolve mentions as one event's participants."""
from __future__ import annotations

import datetime as dt

from tidings.document import TidingsDoc
from tidings.model import Article, Entity, Event, Evidence


def resolve_mentions(resolve, text: str, date: str, *spans: str) -> list[Entity]:
    """The first span is the actor, the others recipients, of one event in a one-sentence
    article of that date; returns the entities after the resolve component ran."""
    entities = [Entity(p, text.index(p), text.index(p) + len(p)) for p in spans]
    first = entities[0].start
    evidence = Evidence(sentence=text, start=0, end=len(text), trigger="x",
                        trigger_start=first, trigger_end=first + 1)
    doc = TidingsDoc(article=Article(id="t", date=dt.date.fromisoformat(date), text=text))
    doc.events = [Event(article_id="t", event_type="CONSULT", evidence=evidence,
                        actor=entities[:1], recipient=entities[1:])]
    resolve(doc)
    return entities
