"""The typed records that flow between stages.

Every stage boundary speaks in these dataclasses, so a stage can be replaced without
touching the others. `Event.to_record()` is the contract of `event-record.md`; the store,
the CLI and the HTTP API all emit exactly that dict.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
STATUSES = ("occurred", "ongoing", "planned", "hypothetical", "negated", "historical")
CERTAINTIES = ("asserted", "reported", "unconfirmed", "denied")
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
DATE_BASES = ("text", "article_date", "inferred")
LOCATION_PRECISIONS = ("point", "city", "admin1", "country")
QUAD_CLASSES = ("verbal_cooperation", "material_cooperation", "verbal_conflict",
                "material_conflict")


@dataclass(frozen=True)
class Article:
    """One dated article, as every reader produces it."""

    id: str
    date: dt.date
    text: str
    title: str | None = None
    source: str | None = None  # the outlet
    url: str | None = None
    language: str | None = None
    origin: str | None = None  # "path:line" the article was read from

    @staticmethod
    def default_id(text: str) -> str:
        """SHA-256 of the whitespace-normalised text (event-record.md, Input)."""
        normalised = " ".join(text.split())
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Rejection:
    """An input that could not become an Article. Recorded, never raised past the batch."""

    origin: str  # file path
    line: int | None  # 1-based line (JSONL/CSV row) or None for a whole file
    code: str  # an error code from tidings.errors
    reason: str  # a clear, human message naming what was wrong
    article_id: str | None = None

    def where(self) -> str:
        return f"{self.origin}:{self.line}" if self.line is not None else self.origin


@dataclass
class Entity:
    """An actor or recipient. `extract.roles` sets text/start/end; `resolve` the identity."""

    text: str
    start: int
    end: int
    name: str | None = None
    kb_id: str | None = None
    wikidata: str | None = None
    country: str | None = None
    sector: str | None = None
    office: str | None = None
    # Internal: what set each identity field, e.g. {"country": "kb:rajnath-singh@2025-02-06"}.
    provenance: dict[str, str] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        return {
            "text": self.text, "name": self.name, "kb_id": self.kb_id,
            "wikidata": self.wikidata, "country": self.country, "sector": self.sector,
            "office": self.office, "start": self.start, "end": self.end,
        }


@dataclass
class EventDate:
    value: str  # ISO date, YYYY-MM, YYYY-Www or YYYY
    precision: str  # one of DATE_PRECISIONS
    text: str | None
    basis: str  # one of DATE_BASES

    def to_record(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Location:
    text: str
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    admin1: str | None
    country: str | None
    feature_code: str | None
    precision: str  # one of LOCATION_PRECISIONS

    def to_record(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Attribution:
    source: str | None = None
    cue: str | None = None
    certainty: str = "asserted"  # one of CERTAINTIES

    def to_record(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Evidence:
    sentence: str
    start: int
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int

    def to_record(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Timex:
    """A normalised time expression (TIMEX3-style) found in an article."""

    text: str
    start: int
    end: int
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3 value, e.g. 2025-02-06, 2025-W07, P3D, PRESENT_REF
    precision: str  # one of DATE_PRECISIONS
    rule: str  # the rule that produced it, e.g. "timex:weekday-relative"
    anchor: str | None = None  # what it was resolved against, e.g. the article date

    def to_record(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Place:
    """A resolved toponym in the article (not necessarily an event location)."""

    text: str
    start: int
    end: int
    location: Location | None  # None when unresolvable; kept so nothing is silently lost
    role: str = "place"  # "place", "metonym" (a capital used as a government actor), "demonym"
    rule: str = ""
    score: float = 0.0

    def to_record(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["location"] = self.location.to_record() if self.location else None
        return out


@dataclass
class Quote:
    """A direct or indirect quotation, stored as its own record."""

    quote_id: str
    article_id: str
    kind: str  # "direct" or "indirect"
    speaker: Entity | None
    cue: str | None
    content: str
    start: int
    end: int
    date: EventDate | None = None
    event_ids: list[str] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        return {
            "quote_id": self.quote_id, "article_id": self.article_id, "kind": self.kind,
            "speaker": self.speaker.to_record() if self.speaker else None, "cue": self.cue,
            "content": self.content, "start": self.start, "end": self.end,
            "date": self.date.to_record() if self.date else None,
            "event_ids": list(self.event_ids),
        }


@dataclass
class Event:
    """One coded event mention. Each field has one owning component (architecture.md)."""

    article_id: str
    event_type: str
    evidence: Evidence
    mode: str | None = None
    contexts: list[str] = field(default_factory=list)
    status: str = "occurred"
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    date: EventDate | None = None
    location: Location | None = None
    attribution: Attribution = field(default_factory=Attribution)
    quad_class: str | None = None
    score: float | None = None
    cameo: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    confidence: float = 0.5
    # Internal hand-offs between components, not part of the record:
    # the token index of the trigger head within its sentence, and the sentence index.
    sentence_index: int = -1
    trigger_head: int = -1

    @property
    def event_id(self) -> str:
        """Stable for the same article, text, trigger and tidings version."""
        from tidings import __version__

        key = "|".join([__version__, self.article_id, self.event_type,
                        str(self.evidence.trigger_start), str(self.evidence.trigger_end)])
        return "ev_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def to_record(self) -> dict[str, Any]:
        provenance = dict(self.provenance)
        for role in ("actor", "recipient"):
            for i, ent in enumerate(getattr(self, role)):
                for key, value in ent.provenance.items():
                    provenance[f"{role}[{i}].{key}"] = value
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "contexts": list(self.contexts),
            "status": self.status,
            "actor": [e.to_record() for e in self.actor],
            "recipient": [e.to_record() for e in self.recipient],
            "date": self.date.to_record() if self.date else None,
            "location": self.location.to_record() if self.location else None,
            "attribution": self.attribution.to_record(),
            "quad_class": self.quad_class,
            "score": self.score,
            "cameo": self.cameo,
            "evidence": self.evidence.to_record(),
            "provenance": provenance,
            "confidence": round(self.confidence, 3),
        }
