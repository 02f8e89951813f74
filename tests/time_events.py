"""Test helper: an Event at a given trigger word, as the triggers component would set it."""
from __future__ import annotations

from tidings.model import Event, Evidence


def event_at(doc, word: str, occurrence: int = 0, event_type: str = "CONSULT") -> Event:
    """An Event whose trigger is the given word (as the triggers component would set it)."""
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(word, start + 1)
    sent = doc.sentence_at(start)
    head = next(t.i for t in sent.doc if sent.token_start(t) == start)
    event = Event(article_id=doc.article.id, event_type=event_type,
                  evidence=Evidence(sent.text, sent.start, sent.end, word, start, start + len(word)),
                  sentence_index=sent.index, trigger_head=head)
    doc.events.append(event)
    return event
