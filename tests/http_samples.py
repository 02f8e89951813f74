"""Hand-built stored documents for the HTTP tests, independent of extraction quality.

Each sample article is written for these tests; its events are built with correct offsets
by locating their words in the text, so the dashboard's highlighting can be checked.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from tidings.document import TidingsDoc
from tidings.model import (Article, Attribution, Entity, Event, EventDate, Evidence,
                           Location)
from tidings.store import Store

XSS_TEXT = ('The mayor of Lisbon met <script>window.__pwned = 1</script> union leaders '
            'on Monday. <img src=x onerror="window.__pwned = 2"> Talks went on.')


def _span(text: str, words: str, after: int = 0) -> tuple[int, int]:
    start = text.index(words, after)
    return start, start + len(words)


def _entity(text: str, words: str, **identity) -> Entity:
    start, end = _span(text, words)
    return Entity(text=words, start=start, end=end, **identity)


def _event(article: Article, event_type: str, sentence: str, trigger: str, *,
           actor: list[Entity], recipient: list[Entity], date: str, date_text: str | None,
           quad_class: str, score: float, certainty: str = "asserted", status: str = "occurred",
           mode: str | None = None, location: Location | None = None) -> Event:
    s_start, s_end = _span(article.text, sentence)
    t_start, t_end = _span(article.text, trigger, s_start)
    return Event(
        article_id=article.id, event_type=event_type, mode=mode, status=status,
        evidence=Evidence(sentence=sentence, start=s_start, end=s_end, trigger=trigger,
                          trigger_start=t_start, trigger_end=t_end),
        actor=actor, recipient=recipient,
        date=EventDate(value=date, precision="day", text=date_text,
                       basis="text" if date_text else "article_date"),
        location=location, attribution=Attribution(certainty=certainty),
        quad_class=quad_class, score=score, confidence=0.8,
        provenance={"event_type": f"lexicon:{event_type.lower()}/test", "date": "timex:test"})


def sample_docs() -> list[TidingsDoc]:
    docs = []

    text = ("The foreign minister of Norway telephoned her Kenyan counterpart on Tuesday "
            "to discuss fisheries.\nOfficials in Oslo later denied that sanctions were planned.")
    art = Article(id="art-norway", date=dt.date(2025, 3, 5), text=text, title="Oslo calls Nairobi",
                  source="Test Wire")
    minister = _entity(text, "The foreign minister of Norway", name="Test Minister NOR",
                       kb_id="test-minister-nor", country="NOR", sector="GOV",
                       office="Minister of Foreign Affairs")
    minister.provenance = {"country": "kb:test-minister-nor@2025-03-05"}
    counterpart = _entity(text, "her Kenyan counterpart", name="Test Minister KEN",
                          kb_id="test-minister-ken", country="KEN", sector="GOV")
    oslo = Location(text="Oslo", name="Oslo", geonameid=3143244, lat=59.91, lon=10.75,
                    admin1="Oslo", country="NOR", feature_code="PPLC", precision="city")
    docs.append(TidingsDoc(article=art, events=[
        _event(art, "CONSULT", "The foreign minister of Norway telephoned her Kenyan "
               "counterpart on Tuesday to discuss fisheries.", "telephoned",
               actor=[minister], recipient=[counterpart], date="2025-03-04",
               date_text="on Tuesday", quad_class="verbal_cooperation", score=1.0, mode="phone",
               location=oslo),
        _event(art, "SANCTION", "Officials in Oslo later denied that sanctions were planned.",
               "sanctions", actor=[_entity(text, "Officials in Oslo", country="NOR", sector="GOV")],
               recipient=[], date="2025-03-05", date_text=None, quad_class="material_conflict",
               score=-4.0, certainty="denied", status="negated"),
    ]))

    text = "Kenyan police arrested twelve protesters in Nairobi on 3 April 2025."
    art = Article(id="art-kenya", date=dt.date(2025, 4, 4), text=text, source="Test Daily")
    nairobi = Location(text="Nairobi", name="Nairobi", geonameid=184745, lat=-1.28, lon=36.82,
                       admin1="Nairobi Area", country="KEN", feature_code="PPLC", precision="city")
    docs.append(TidingsDoc(article=art, events=[
        _event(art, "COERCE", text, "arrested",
               actor=[_entity(text, "Kenyan police", country="KEN", sector="COP")],
               recipient=[_entity(text, "twelve protesters", country="KEN", sector="CVL")],
               date="2025-04-03", date_text="on 3 April 2025", quad_class="material_conflict",
               score=-7.0, mode="arrest", location=nairobi),
    ]))

    art = Article(id="art-xss", date=dt.date(2025, 5, 12), text=XSS_TEXT,
                  title='<img src=x onerror="window.__pwned = 3">', source="<b>Bold FM</b>")
    docs.append(TidingsDoc(article=art, events=[
        _event(art, "CONSULT", "The mayor of Lisbon met <script>window.__pwned = 1</script> "
               "union leaders on Monday.", "met",
               actor=[_entity(XSS_TEXT, "The mayor of Lisbon", country="PRT", sector="GOV",
                              name='<svg onload="window.__pwned = 4">')],
               recipient=[_entity(XSS_TEXT, "union leaders", country="PRT", sector="LAB")],
               date="2025-05-12", date_text="on Monday", quad_class="verbal_cooperation",
               score=1.0),
    ]))
    return docs


def build_store(path: Path, docs: list[TidingsDoc] | None = None) -> Path:
    with Store.open(path) as store, store.transaction():
        for doc in docs if docs is not None else sample_docs():
            store.put_document(doc)
    return path


class LiveServer:
    """The app served by uvicorn on a free loopback port, in a thread of this process."""

    def __init__(self, app):
        import socket
        import threading

        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
