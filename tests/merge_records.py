"""Builders of event records (event-record.md) for the merge, analysis and export tests,
and the check that a merged record is a superset of that contract."""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from typing import Any

from tidings.document import TidingsDoc
from tidings.model import (CERTAINTIES, DATE_BASES, DATE_PRECISIONS, EVENT_TYPES,
                           LOCATION_PRECISIONS, QUAD_CLASSES, STATUSES, Article, Attribution,
                           Entity, Event, EventDate, Evidence)

_COUNTER = itertools.count()

PEOPLE = {
    "modi": {"text": "Narendra Modi", "name": "Narendra Modi", "kb_id": "narendra-modi",
             "wikidata": "Q1058", "country": "IND", "sector": "GOV", "office": "Prime Minister"},
    "trump": {"text": "Donald Trump", "name": "Donald Trump", "kb_id": "donald-trump",
              "wikidata": "Q22686", "country": "USA", "sector": "GOV", "office": "President"},
    "macron": {"text": "Emmanuel Macron", "name": "Emmanuel Macron", "kb_id": "emmanuel-macron",
               "wikidata": None, "country": "FRA", "sector": "GOV", "office": "President"},
    "india": {"text": "India", "name": "India", "kb_id": None, "wikidata": None,
              "country": "IND", "sector": "GOV", "office": None},
    "usa": {"text": "Washington", "name": "United States", "kb_id": None, "wikidata": None,
            "country": "USA", "sector": "GOV", "office": None},
    "protesters": {"text": "protesters", "name": None, "kb_id": None, "wikidata": None,
                   "country": "IND", "sector": "CVL", "office": None},
}

PLACES = {
    "washington": {"text": "Washington", "name": "Washington, D.C.", "geonameid": 4140963,
                   "lat": 38.9, "lon": -77.04, "admin1": "District of Columbia",
                   "country": "USA", "feature_code": "PPLC", "precision": "city"},
    "paris": {"text": "Paris", "name": "Paris", "geonameid": 2988507, "lat": 48.85,
              "lon": 2.35, "admin1": "Ile-de-France", "country": "FRA",
              "feature_code": "PPLC", "precision": "city"},
}

SCORES = {"CONSULT": ("verbal_cooperation", 1.0, "040"), "AGREE": ("verbal_cooperation", 3.0, "057"),
          "PROTEST": ("verbal_conflict", -4.0, "140"), "ASSAULT": ("material_conflict", -9.0, "190"),
          "ACCUSE": ("verbal_conflict", -2.0, "112")}


def entity(key: str, **changes: Any) -> dict[str, Any]:
    return dict(PEOPLE[key], start=0, end=len(PEOPLE[key]["text"]), **changes)


def record(event_type: str = "CONSULT", actor=("modi",), recipient=("trump",),
           date: str | None = "2025-02-13", precision: str = "day", basis: str = "text",
           status: str = "occurred", sentence: str = "Modi met Trump at the White House.",
           article_id: str | None = None, mode: str | None = None, location: str | None = None,
           certainty: str = "asserted", source: str | None = None, **extra: Any) -> dict:
    """One event record; ids are unique per call unless given."""
    n = next(_COUNTER)
    article_id = article_id or f"art{n}"
    quad, score, cameo = SCORES.get(event_type, ("verbal_cooperation", 1.0, None))
    rec = {
        "event_id": "ev_" + hashlib.sha1(f"{article_id}|{n}".encode()).hexdigest()[:16],
        "article_id": article_id, "event_type": event_type, "mode": mode,
        "contexts": ["diplomatic"], "status": status,
        "actor": [entity(a) for a in actor], "recipient": [entity(r) for r in recipient],
        "date": None if date is None else {"value": date, "precision": precision,
                                           "text": None, "basis": basis},
        "location": PLACES[location] if location else None,
        "attribution": {"source": source, "cue": None, "certainty": certainty},
        "quad_class": quad, "score": score, "cameo": cameo,
        "evidence": {"sentence": sentence, "start": 0, "end": len(sentence),
                     "trigger": sentence.split()[1], "trigger_start": 0, "trigger_end": 1},
        "provenance": {}, "confidence": 0.7,
    }
    rec.update(extra)
    return rec


STORE_PEOPLE = {"modi": ("Narendra Modi", "IND", "narendra-modi"),
                "trump": ("Donald Trump", "USA", "donald-trump"),
                "macron": ("Emmanuel Macron", "FRA", "emmanuel-macron")}


def _entity(key: str) -> Entity:
    name, country, kb_id = STORE_PEOPLE[key]
    return Entity(text=name, start=0, end=len(name), name=name, kb_id=kb_id, country=country,
                  sector="GOV")


def store_doc(article_id: str, day: str, source: str, sentence: str, *,
              date: str | None = None, recipient: str = "trump", status: str = "occurred",
              event_type: str = "CONSULT", certainty: str = "asserted") -> TidingsDoc:
    """A document with one Modi event, as the pipeline would leave it, for store tests."""
    article = Article(id=article_id, date=dt.date.fromisoformat(day), text=sentence,
                      source=source)
    event = Event(article_id=article_id, event_type=event_type, status=status,
                  evidence=Evidence(sentence, 0, len(sentence), "met", 5, 8),
                  actor=[_entity("modi")], recipient=[_entity(recipient)],
                  date=EventDate(date or day, "day", None, "text"),
                  attribution=Attribution(certainty=certainty),
                  quad_class="verbal_cooperation", score=1.0)
    return TidingsDoc(article=article, events=[event])


# --------------------------------------------------------------------------- the contract

CONTRACT_KEYS = {"event_id", "article_id", "event_type", "mode", "contexts", "status", "actor",
                 "recipient", "date", "location", "attribution", "quad_class", "score", "cameo",
                 "evidence", "provenance", "confidence"}
MERGE_KEYS = {"merged_id", "num_mentions", "num_sources", "num_articles", "mentions", "linked",
              "first_seen", "last_seen", "combined_certainty"}
ENTITY_KEYS = {"text", "name", "kb_id", "wikidata", "country", "sector", "office", "start", "end"}
EVIDENCE_KEYS = {"sentence", "start", "end", "trigger", "trigger_start", "trigger_end"}


def assert_contract(merged: dict) -> None:
    """Every event-record.md field with a value the contract allows."""
    assert set(merged) >= CONTRACT_KEYS | MERGE_KEYS, CONTRACT_KEYS - set(merged)
    assert merged["event_type"] in EVENT_TYPES
    assert merged["mode"] is None or isinstance(merged["mode"], str)
    assert all(isinstance(c, str) for c in merged["contexts"])
    assert merged["status"] in STATUSES
    for role in ("actor", "recipient"):
        assert all(set(e) >= ENTITY_KEYS for e in merged[role]), role
    assert merged["actor"]
    date = merged["date"]
    assert date["precision"] in DATE_PRECISIONS and date["basis"] in DATE_BASES
    location = merged["location"]
    assert location is None or location["precision"] in LOCATION_PRECISIONS
    assert set(merged["attribution"]) == {"source", "cue", "certainty"}
    assert merged["attribution"]["certainty"] in CERTAINTIES
    assert merged["quad_class"] in QUAD_CLASSES
    assert -10 <= merged["score"] <= 10
    assert merged["cameo"] is None or isinstance(merged["cameo"], str)
    assert set(merged["evidence"]) >= EVIDENCE_KEYS
    assert isinstance(merged["provenance"], dict)
    assert 0 <= merged["confidence"] <= 1
    # event_id and article_id are those of one of its mentions (the representative's)
    mentions = {(m["event_id"], m["article_id"]) for m in merged["mentions"]}
    assert (merged["event_id"], merged["article_id"]) in mentions
    assert merged["num_mentions"] == len(merged["mentions"])
    combined = merged["combined_certainty"]
    assert set(combined) == {"certainty", "confidence", "confirmed_by", "denied_by"}
