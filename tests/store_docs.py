"""Hand-built documents and events for store and CLI tests: independent of how well the
extraction components do, so these tests check storage and querying only."""
from __future__ import annotations

import datetime as dt

from tidings.document import Sentence, TidingsDoc
from tidings.model import (Article, Attribution, Entity, Event, EventDate, Evidence, Location,
                           Quote)


def make_event(article: Article, sentence: str, trigger: str, event_type: str,
               actor: tuple[str, str | None], recipient: tuple[str, str | None] | None = None,
               date: str | None = None, status: str = "occurred",
               quad_class: str = "verbal_cooperation") -> Event:
    """An event whose evidence is `sentence` (which must occur in the article text)."""
    start = article.text.index(sentence)
    trigger_start = start + sentence.index(trigger)

    def entity(spec: tuple[str, str | None]) -> Entity:
        text, country = spec
        offset = start + sentence.index(text)
        return Entity(text=text, start=offset, end=offset + len(text), name=text,
                      kb_id=text.lower().replace(" ", "-"), country=country, sector="GOV",
                      provenance={"country": f"test:{text}"} if country else {})

    return Event(
        article_id=article.id, event_type=event_type, mode=None, status=status,
        evidence=Evidence(sentence=sentence, start=start, end=start + len(sentence),
                          trigger=trigger, trigger_start=trigger_start,
                          trigger_end=trigger_start + len(trigger)),
        actor=[entity(actor)], recipient=[entity(recipient)] if recipient else [],
        date=EventDate(value=date or article.date.isoformat(),
                       precision="week" if date and "W" in date else "day",
                       text=None, basis="text" if date else "article_date"),
        location=Location(text="Delhi", name="New Delhi", geonameid=1261481, lat=28.6,
                          lon=77.2, admin1="Delhi", country="IND", feature_code="PPLC",
                          precision="city"),
        attribution=Attribution(), quad_class=quad_class, score=1.0, cameo="040",
        provenance={"event_type": "test:lexicon", "date": "test:timex"}, confidence=0.7)


TEXT_A = ("India's minister met the American envoy in Delhi on Monday. "
          "Police arrested ten protesters outside the embassy. "
          "\"We talked about trade,\" the minister said.")


def doc_a(article_id: str = "art-a", text: str = TEXT_A, date: str = "2025-02-06") -> TidingsDoc:
    article = Article(id=article_id, date=dt.date.fromisoformat(date), text=text,
                      title="Meeting", source="Test Wire", origin="a.jsonl:1")
    doc = TidingsDoc(article=article, sentences=[
        Sentence(index=0, start=0, end=len(text), text=text)])
    meeting = "India's minister met the American envoy in Delhi on Monday."
    arrest = "Police arrested ten protesters outside the embassy."
    if meeting in text:
        doc.events.append(make_event(article, meeting, "met", "CONSULT",
                                     ("India's minister", "IND"), ("American envoy", "USA"),
                                     date="2025-02-03"))
    if arrest in text:
        doc.events.append(make_event(article, arrest, "arrested", "COERCE", ("Police", "IND"),
                                     ("ten protesters", "IND"), quad_class="material_conflict"))
    if "We talked" not in text:
        return doc
    quote_start = text.index("We talked")
    doc.quotes.append(Quote(quote_id=f"q_{article_id}_1", article_id=article_id, kind="direct",
                            speaker=doc.events[0].actor[0], cue="said",
                            content="We talked about trade,", start=quote_start,
                            end=quote_start + len("We talked about trade,")))
    return doc
