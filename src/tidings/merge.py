"""One record per real event: merge event mentions from many articles, explainably.

Why: outlets report one summit hundreds of times; counting reports is not counting events.
A mention joins an existing merged event when a weighted mean of per-criterion scores
(type, mode, actors, date, location, evidence) reaches the configured threshold and no
hard gate fails. Every criterion score is kept on the mention, so each merge can be
explained. A planned mention is never merged with an occurred one: the two merged events
are *linked* instead (planned, then occurred).

Scaling: mentions are blocked by (party, date bucket), so a mention is compared only with
merged events that share a country/entity and a week; the work per mention stays bounded
and a batch costs O(n log n) (the sort), not O(n^2). The same blocking index lets a new
article merge into an existing store without reprocessing it (`tidings.store.merged`).

Thresholds, weights and word lists live in `data/merge.yaml`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.errors import ConfigError

DEFAULT_CONFIG = "merge.yaml"
CRITERIA = ("type", "mode", "actors", "date", "location", "evidence")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STATUS_RANK = {"occurred": 0, "ongoing": 1, "planned": 2, "negated": 3,
                "hypothetical": 4, "historical": 5}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_LOCATION_RANK = {"point": 0, "city": 1, "admin1": 2, "country": 3}
_CERTAINTY_RANK = {"asserted": 0, "reported": 1, "unconfirmed": 2, "denied": 3}


# --------------------------------------------------------------------------- config

@dataclass(frozen=True)
class MergeConfig:
    """The knobs of `data/merge.yaml`, checked once at load time."""

    threshold: float
    link_threshold: float
    weights: dict[str, float]
    gates: dict[str, float]
    types: dict[str, Any]
    modes: dict[str, float]
    status_groups: dict[str, str]  # status -> group name
    entities: dict[str, float]
    date: dict[str, float]
    location: dict[str, float]
    evidence: dict[str, Any]
    certainty: dict[str, Any]
    stopwords: frozenset[str]

    @classmethod
    def load(cls, path: str | Path | None = None) -> "MergeConfig":
        try:
            if path is None:
                text = resources.files("tidings.data").joinpath(DEFAULT_CONFIG).read_text("utf-8")
            else:
                text = Path(path).read_text("utf-8")
            raw = yaml.safe_load(text)
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read merge config {path or DEFAULT_CONFIG}: {exc}") from exc
        return cls.from_dict(raw, str(path or DEFAULT_CONFIG))

    @classmethod
    def from_dict(cls, raw: Any, where: str = "merge config") -> "MergeConfig":
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: expected a mapping")
        try:
            weights = {k: float(raw["weights"][k]) for k in CRITERIA}
            groups = {status: group for group, statuses in raw["status_groups"].items()
                      for status in statuses}
            config = cls(
                threshold=float(raw["threshold"]), link_threshold=float(raw["link_threshold"]),
                weights=weights, gates={k: float(v) for k, v in raw["gates"].items()},
                types=dict(raw["types"]), modes={k: float(v) for k, v in raw["modes"].items()},
                status_groups=groups,
                entities={k: float(v) for k, v in raw["entities"].items()},
                date={k: float(v) for k, v in raw["date"].items()},
                location={k: float(v) for k, v in raw["location"].items()},
                evidence=dict(raw["evidence"]), certainty=dict(raw["certainty"]),
                stopwords=frozenset(str(w).lower() for w in raw.get("stopwords") or ()),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{where}: missing or malformed key ({exc!r})") from exc
        if config.evidence.get("measure") not in ("dice", "jaccard"):
            raise ConfigError(f"{where}: evidence.measure must be 'dice' or 'jaccard'")
        return config

    def with_overrides(self, **changes: Any) -> "MergeConfig":
        """A copy with some top-level knobs changed (for sweeps and tests)."""
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(changes)
        return MergeConfig(**values)


_DEFAULT: MergeConfig | None = None


def default_config() -> MergeConfig:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = MergeConfig.load()
    return _DEFAULT


# --------------------------------------------------------------------------- mentions

def _normalise_name(value: str | None) -> str:
    return " ".join(_WORD.findall((value or "").lower()))


def parse_date_span(value: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by an ISO date, YYYY-MM, YYYY-Www or YYYY; None if not one."""
    if not value or not isinstance(value, str):
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            return day, day
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + dt.timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            first = dt.date(int(m[1]), int(m[2]), 1)
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


_TEXT_FIELDS = ("event_id", "article_id", "event_type", "mode", "status", "quad_class", "cameo",
                "article_date")
_NUMBER_FIELDS = ("score", "confidence")
_OBJECT_FIELDS = ("date", "location", "attribution", "evidence")


def _scalar(value: Any) -> Any:
    return value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


def _flat(value: Any) -> dict[str, Any] | None:
    """A JSON object reduced to its scalar fields; None for anything else."""
    if not isinstance(value, dict):
        return None
    return {str(k): _scalar(v) for k, v in value.items()}


def clean_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """An event record from outside (a file, an old store) made safe to compare: wrong
    types become None, so a malformed record merges poorly instead of crashing a batch."""
    rec = dict(record)
    for name in _TEXT_FIELDS:
        rec[name] = record.get(name) if isinstance(record.get(name), str) else None
    for name in _NUMBER_FIELDS:
        value = _scalar(record.get(name))
        rec[name] = float(value) if isinstance(value, (int, float)) else None
    for name in _OBJECT_FIELDS:
        rec[name] = _flat(record.get(name))
    for role in ("actor", "recipient"):
        parties = record.get(role)
        rec[role] = [_flat(e) for e in parties if isinstance(e, dict)] \
            if isinstance(parties, list) else []
    contexts = record.get("contexts")
    rec["contexts"] = [c for c in contexts if isinstance(c, str)] \
        if isinstance(contexts, list) else []
    return rec


def _placed(entity: dict, country: str) -> dict:
    """An unresolved group with a sector ("riot police", "protesters") is taken to be of
    the country where the event happened, for comparison only (the record is unchanged)."""
    if entity.get("country") or entity.get("kb_id") or not entity.get("sector"):
        return entity
    return dict(entity, country=country, country_from="event location")


@dataclass
class Mention:
    """One extracted event record plus what merging needs from its article."""

    record: dict[str, Any]
    outlet: str | None = None
    article_date: dt.date | None = None

    def __post_init__(self) -> None:
        rec = self.record = clean_record(self.record)
        self.event_id: str = rec["event_id"] or ""
        self.article_id: str = rec["article_id"] or ""
        self.event_type: str = rec["event_type"] or ""
        self.mode: str | None = rec["mode"]
        self.status: str = rec["status"] or "occurred"
        self.location: dict | None = rec["location"]
        self.actor: list[dict] = rec["actor"]
        self.recipient: list[dict] = rec["recipient"]
        if self.location and self.location.get("country"):
            self.actor = [_placed(e, self.location["country"]) for e in self.actor]
            self.recipient = [_placed(e, self.location["country"]) for e in self.recipient]
        self.sentence: str = str((rec["evidence"] or {}).get("sentence") or "")
        attribution = rec["attribution"] or {}
        self.certainty: str = attribution.get("certainty") or "asserted"
        self.source: str | None = attribution.get("source")
        self.date: dict | None = rec["date"]
        if self.article_date is None and rec.get("article_date"):
            span = parse_date_span(rec["article_date"])
            self.article_date = span[0] if span else None

    @property
    def sort_key(self) -> tuple:
        start = (self.record.get("evidence") or {}).get("start") or 0
        return (self.article_date or dt.date.min, self.article_id, start, self.event_id)


@dataclass
class _Features:
    """What a mention contributes to comparison, computed once."""

    group: str
    interval: tuple[int, int] | None  # date ordinals, inclusive
    precise: bool
    tokens: frozenset[str]
    parties: tuple[str, ...]


def _features(m: Mention, cfg: MergeConfig) -> _Features:
    group = cfg.status_groups.get(m.status, "occurred")
    interval, precise = _interval(m, group, cfg)
    tokens = evidence_tokens(m.sentence, cfg)
    parties = {_party(e) for e in _identified(m.actor + m.recipient)}
    if m.location and m.location.get("country"):
        parties.add(f"l:{m.location['country']}")
    return _Features(group, interval, precise, tokens,
                     tuple(sorted(parties)) or (f"type:{m.event_type}",))


def _interval(m: Mention, group: str, cfg: MergeConfig) -> tuple[tuple[int, int] | None, bool]:
    date = m.date or {}
    precision = date.get("precision") or "unknown"
    span = parse_date_span(date.get("value")) if precision != "unknown" else None
    from_text = date.get("basis") != "article_date"
    if span is not None and from_text:
        return (span[0].toordinal(), span[1].toordinal()), precision == "day"
    anchor = m.article_date or (span[0] if span else None)
    if anchor is None:
        return None, False
    day = anchor.toordinal()
    if group == "planned":
        return (day, day + int(cfg.date["plan_horizon_days"])), False
    return (day - int(cfg.date["article_date_lookback_days"]), day), False


def _party(entity: Mapping[str, Any]) -> str:
    """The blocking key of an identified entity: its country, else its kb id."""
    return f"c:{entity['country']}" if entity.get("country") else f"k:{entity['kb_id']}"


def evidence_tokens(sentence: str, cfg: MergeConfig) -> frozenset[str]:
    """Content words of an evidence sentence, cut to a prefix as a cheap stem."""
    cut = int(cfg.evidence.get("prefix_chars") or 0) or None
    return frozenset(w[:cut] for w in _WORD.findall(sentence.lower())
                     if w not in cfg.stopwords and len(w) > 1)


# --------------------------------------------------------------------------- scores

def token_similarity(a: frozenset[str], b: frozenset[str], measure: str = "dice") -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    if measure == "jaccard":
        return common / len(a | b)
    return 2 * common / (len(a) + len(b))


def entity_similarity(a: Mapping[str, Any], b: Mapping[str, Any], cfg: MergeConfig) -> float:
    """How likely two entity records denote the same actor (kb id, else country+sector)."""
    s = cfg.entities
    if a.get("kb_id") and a.get("kb_id") == b.get("kb_id"):
        return s["same_kb_id"]
    ca, cb = a.get("country"), b.get("country")
    if ca and cb:
        if ca != cb:
            return 0.0
        sa, sb = a.get("sector"), b.get("sector")
        if not (sa and sb):
            return s["same_country"]
        if sa != sb:
            opposed = any({sa, sb} == set(pair) for pair in cfg.types.get("opposed_sectors", ()))
            return 0.0 if opposed else s["same_country_other_sector"]
        both_office_holders = (a.get("kb_id") and b.get("kb_id")
                               and a.get("office") and b.get("office"))
        return s["two_office_holders"] if both_office_holders else s["same_country_sector"]
    na = _normalise_name(a.get("name") or a.get("text"))
    nb = _normalise_name(b.get("name") or b.get("text"))
    return s["same_name"] if na and na == nb else 0.0


def _identified(entities: list[dict]) -> list[dict]:
    """Parties the resolver placed (country or kb id); unresolved spans are left out, as
    they are often not parties at all ("talks", a dateline, a place)."""
    return [e for e in entities if e.get("country") or e.get("kb_id")]


def _covered(mine: list[dict], theirs: list[dict], cfg: MergeConfig) -> float:
    return sum(max(entity_similarity(a, b, cfg) for b in theirs) for a in mine) / len(mine)


def _side(mine: list[dict], theirs: list[dict], cfg: MergeConfig) -> float | None:
    """How well one side's entities are covered by the other's (the better direction, so
    that a stray extra entity on one report does not sink the match); None if either is
    empty."""
    if not mine or not theirs:
        return None
    return max(_covered(mine, theirs, cfg), _covered(theirs, mine, cfg))


def _dyad(actor: float | None, recipient: float | None, cfg: MergeConfig) -> float | None:
    if actor is None and recipient is None:
        return None
    if actor is None or recipient is None:
        return (actor if recipient is None else recipient) * cfg.entities["one_side_only_factor"]
    return min(actor, recipient)


def _pooled(mine: list[dict], theirs: list[dict], cfg: MergeConfig) -> float | None:
    """Roles aside, every party of the smaller side must find its match in the other."""
    if not mine or not theirs:
        return None
    small, large = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
    score = min(max(entity_similarity(a, b, cfg) for b in large) for a in small)
    if len(small) < 2:
        score *= cfg.entities["one_side_only_factor"]
    return score


def actor_similarity(m: Mention, actors: list[dict], recipients: list[dict],
                     event_type: str, cfg: MergeConfig) -> float | None:
    """Best of: the directed dyad, the swapped dyad (symmetric types) and the pooled
    parties (scaled down for directed types, whose roles should agree)."""
    my_actors, my_recipients = _identified(m.actor), _identified(m.recipient)
    their_actors, their_recipients = _identified(actors), _identified(recipients)
    candidates = [_dyad(_side(my_actors, their_actors, cfg),
                        _side(my_recipients, their_recipients, cfg), cfg)]
    symmetric = event_type in cfg.types.get("symmetric", ())
    if symmetric:
        candidates.append(_dyad(_side(my_actors, their_recipients, cfg),
                                _side(my_recipients, their_actors, cfg), cfg))
    pooled = _pooled(my_actors + my_recipients, their_actors + their_recipients, cfg)
    if pooled is not None:
        candidates.append(pooled if symmetric else pooled * cfg.entities["role_mismatch_factor"])
    known = [c for c in candidates if c is not None]
    if known:
        return max(known)
    names = {_normalise_name(e.get("name") or e.get("text")) for e in m.actor + m.recipient}
    theirs = {_normalise_name(e.get("name") or e.get("text")) for e in actors + recipients}
    return cfg.entities["same_name"] if (names & theirs) - {""} else None


def date_similarity(a: tuple[int, int] | None, a_precise: bool,
                    b: tuple[int, int] | None, b_precise: bool, cfg: MergeConfig) -> float | None:
    if a is None or b is None:
        return None
    tolerance = int(cfg.date["day_tolerance_days"])
    if a_precise and b_precise:
        return max(0.0, 1.0 - abs(a[0] - b[0]) / (tolerance + 1))
    if a[0] - tolerance <= b[1] and b[0] - tolerance <= a[1]:
        return cfg.date["overlap_score"]
    return 0.0


def _km(a: Mapping[str, Any], b: Mapping[str, Any]) -> float | None:
    """Great-circle distance between two located places, or None without coordinates."""
    try:
        lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in
                                  (a["lat"], a["lon"], b["lat"], b["lon"]))
    except (KeyError, TypeError, ValueError):
        return None
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def location_similarity(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None,
                        cfg: MergeConfig) -> float | None:
    """Same place, a place inside the other (a city and its landmark), or far apart."""
    if not a or not b:
        return None
    s = cfg.location
    if a.get("geonameid") and a.get("geonameid") == b.get("geonameid"):
        return s["same_place"]
    if (_normalise_name(a.get("name")) and _normalise_name(a.get("name"))
            == _normalise_name(b.get("name")) and a.get("country") == b.get("country")):
        return s["same_place"]
    if a.get("country") and b.get("country") and a["country"] != b["country"]:
        return s["other_country"]
    if "country" in (a.get("precision"), b.get("precision")):
        return s["country_vs_finer"]
    if "admin1" in (a.get("precision"), b.get("precision")):
        same_region = a.get("admin1") and a.get("admin1") == b.get("admin1")
        return s["same_admin1"] if same_region else s["same_country_other_place"]
    distance = _km(a, b)
    if distance is not None and distance <= s["near_km"]:
        return s["near"]
    return s["same_country_other_place"]


def weighted_score(scores: Mapping[str, float | None], cfg: MergeConfig) -> float:
    known = [(cfg.weights[k], v) for k, v in scores.items() if v is not None and k in cfg.weights]
    total = sum(w for w, _ in known)
    return sum(w * v for w, v in known) / total if total else 0.0


# --------------------------------------------------------------------------- merged events

@dataclass
class MentionLink:
    """A mention inside a merged event, with the scores that put it there."""

    mention: Mention
    scores: dict[str, float | None] = field(default_factory=dict)
    total: float | None = None  # None for the mention that founded the event

    def explanation(self) -> str:
        if self.total is None:
            return "first mention: founded this event"
        parts = " ".join(f"{k}={'-' if v is None else f'{v:.2f}'}" for k, v in self.scores.items())
        return f"merged: {parts} -> {self.total:.2f}"

    def to_record(self) -> dict[str, Any]:
        m = self.mention
        rec = m.record
        return {
            "event_id": m.event_id, "article_id": m.article_id, "outlet": m.outlet,
            "article_date": m.article_date.isoformat() if m.article_date else None,
            "event_type": m.event_type, "mode": m.mode, "status": m.status,
            "date": rec.get("date"), "attribution": rec.get("attribution"),
            "evidence": rec.get("evidence"), "confidence": rec.get("confidence"),
            "merge_score": None if self.total is None else round(self.total, 3),
            "merge_scores": {k: None if v is None else round(v, 3)
                             for k, v in self.scores.items()},
            "why": self.explanation(),
        }


@dataclass
class MergedEvent:
    """One real-world event and every mention of it."""

    merged_id: str
    links: list[MentionLink] = field(default_factory=list)
    related: dict[str, dict[str, Any]] = field(default_factory=dict)  # merged_id -> link

    @classmethod
    def found(cls, mention: Mention) -> "MergedEvent":
        digest = hashlib.sha1(mention.event_id.encode("utf-8")).hexdigest()[:16]
        event = cls(merged_id=f"me_{digest}")
        event.links.append(MentionLink(mention))
        return event

    @property
    def mentions(self) -> list[Mention]:
        return [link.mention for link in self.links]

    # -- the fields of the merged record ---------------------------------------------
    def event_type(self) -> str:
        return Counter(m.event_type for m in self.mentions).most_common(1)[0][0]

    def best_location(self) -> dict | None:
        known = [m.location for m in self.mentions if m.location]
        return min(known, key=lambda loc: _LOCATION_RANK.get(loc.get("precision"), 9),
                   default=None)

    def representative(self) -> Mention:
        """The mention whose fields stand for the event: most precise and most identified."""
        def rank(m: Mention) -> tuple:
            identified = sum(1 for e in m.actor + m.recipient if e.get("kb_id") or e.get("country"))
            precision = _PRECISION_RANK.get((m.date or {}).get("precision") or "unknown", 9)
            return (-identified, precision, _CERTAINTY_RANK.get(m.certainty, 9),
                    -(m.record.get("confidence") or 0), m.sort_key)
        return min(self.mentions, key=rank)

    # -- combined status and certainty ----------------------------------------------
    def combined_status(self) -> str:
        statuses = Counter(m.status for m in self.mentions)
        if statuses.get("occurred"):
            return "occurred"
        return min(statuses, key=lambda s: (-statuses[s], _STATUS_RANK.get(s, 9)))

    def combined_certainty(self, cfg: MergeConfig) -> dict[str, Any]:
        """Distinct confirming sources raise certainty; denials stay listed and lower it."""
        support = cfg.certainty["support"]
        per_source: dict[str, float] = {}
        confirmed_by: list[str] = []
        denied_by: list[str] = []
        for m in self.mentions:
            who = m.source or m.outlet or m.article_id
            if m.certainty == "denied":
                if who not in denied_by:
                    denied_by.append(who)
                continue
            per_source[who] = max(per_source.get(who, 0.0), float(support.get(m.certainty, 0)))
            if m.certainty in ("asserted", "reported") and who not in confirmed_by:
                confirmed_by.append(who)
        belief = 1.0
        for value in per_source.values():
            belief *= 1.0 - value
        confidence = (1.0 - belief) * (1.0 - float(cfg.certainty["denial_penalty"])) ** len(denied_by)
        if denied_by and per_source:
            label = "disputed"
        elif denied_by:
            label = "denied"
        elif len(confirmed_by) >= int(cfg.certainty["confirmations_needed"]):
            label = "confirmed"
        else:
            label = min((m.certainty for m in self.mentions),
                        key=lambda c: _CERTAINTY_RANK.get(c, 9))
        return {"certainty": label, "confidence": round(confidence, 3),
                "confirmed_by": confirmed_by, "denied_by": denied_by}

    def to_record(self, cfg: MergeConfig | None = None) -> dict[str, Any]:
        """The merged event: a superset of the event-record contract (the representative
        mention's fields, contract values only), then the counts, the combined certainty
        and every mention."""
        cfg = cfg or default_config()
        rep = self.representative()
        rec = rep.record
        mentions = sorted(self.links, key=lambda link: link.mention.sort_key)
        event_type = self.event_type()
        # Modes are per type: only mentions of the chosen type may name the mode.
        modes = Counter(m.mode for m in self.mentions if m.mode and m.event_type == event_type)
        dates = [m.article_date for m in self.mentions if m.article_date]
        attribution = rec.get("attribution") or {}
        return {
            "event_id": rep.event_id,
            "article_id": rep.article_id,
            "merged_id": self.merged_id,
            "event_type": event_type,
            "mode": modes.most_common(1)[0][0] if modes else None,
            "contexts": sorted({c for m in self.mentions for c in m.record.get("contexts") or []}),
            "status": self.combined_status(),
            "actor": rec.get("actor") or [],
            "recipient": rec.get("recipient") or [],
            "date": rec.get("date"),
            "location": self.best_location(),
            "attribution": {"source": attribution.get("source"), "cue": attribution.get("cue"),
                            "certainty": rep.certainty},
            "quad_class": rec.get("quad_class"),
            "score": rec.get("score"),
            "cameo": rec.get("cameo"),
            "evidence": rec.get("evidence"),
            "provenance": _flat(rec.get("provenance")) or {},
            "confidence": rec.get("confidence"),
            "combined_certainty": self.combined_certainty(cfg),
            "num_mentions": len(self.links),
            "num_sources": len({m.outlet or m.article_id for m in self.mentions}),
            "num_articles": len({m.article_id for m in self.mentions}),
            "first_seen": min(dates).isoformat() if dates else None,
            "last_seen": max(dates).isoformat() if dates else None,
            "linked": [dict(v, merged_id=k) for k, v in sorted(self.related.items())],
            "mentions": [link.to_record() for link in mentions],
        }


def certainty_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The certainty a reader should show: a merged record's combined certainty (which
    may be confirmed or disputed), else a mention's own attribution certainty."""
    combined = record.get("combined_certainty")
    if isinstance(combined, dict):
        return combined
    attribution = record.get("attribution") or {}
    return {"certainty": attribution.get("certainty"), "confidence": record.get("confidence"),
            "confirmed_by": [], "denied_by": []}


@dataclass(frozen=True)
class Decision:
    """What happened to one mention: which event it joined, and why."""

    event_id: str
    merged_id: str
    action: str  # "new", "merged", or "known" (this event id was merged before)
    scores: dict[str, float | None]
    total: float | None
    linked_to: tuple[str, ...] = ()


# --------------------------------------------------------------------------- the merger

def _entity_key(entity: Mapping[str, Any]) -> tuple:
    return (entity.get("kb_id"), entity.get("country"), entity.get("sector"),
            _normalise_name(entity.get("name") or entity.get("text")))


@dataclass
class _Profile:
    """What a merged event offers for comparison, kept up to date as mentions join, so
    comparing costs the same for an event of two mentions or of three hundred."""

    types: Counter = field(default_factory=Counter)
    modes: set[str] = field(default_factory=set)
    actors: dict[tuple, dict] = field(default_factory=dict)
    recipients: dict[tuple, dict] = field(default_factory=dict)
    dates: set[tuple[tuple[int, int] | None, bool]] = field(default_factory=set)
    location: dict | None = None
    group: str = "occurred"
    tokens_by_article: dict[str, list[frozenset[str]]] = field(default_factory=dict)

    def add(self, m: Mention, f: _Features) -> None:
        if not self.types:
            self.group = f.group
        self.tokens_by_article.setdefault(m.article_id, []).append(f.tokens)
        self.types[m.event_type] += 1
        if m.mode:
            self.modes.add(m.mode)
        for role, found in ((m.actor, self.actors), (m.recipient, self.recipients)):
            for entity in role:
                found.setdefault(_entity_key(entity), entity)
        self.dates.add((f.interval, f.precise))
        rank = _LOCATION_RANK.get((m.location or {}).get("precision"), 9)
        if m.location and (self.location is None
                           or rank < _LOCATION_RANK.get(self.location.get("precision"), 9)):
            self.location = m.location

    @property
    def event_type(self) -> str:
        return self.types.most_common(1)[0][0]


class Merger:
    """Incremental merging: add mentions one by one; existing events are never rebuilt."""

    def __init__(self, config: MergeConfig | None = None,
                 events: Iterable[MergedEvent] = ()) -> None:
        self.config = config or default_config()
        self.events: dict[str, MergedEvent] = {}
        self._features: dict[str, _Features] = {}  # by mention event_id
        self._index: dict[tuple[str, int], set[str]] = {}
        self._keys_of: dict[str, set[tuple[str, int]]] = {}  # merged_id -> its index keys
        self._by_mention: dict[str, str] = {}
        self._profiles: dict[str, _Profile] = {}
        self.changed: set[str] = set()
        for event in events:
            self.adopt(event)

    # -- blocking ------------------------------------------------------------------
    def _buckets(self, interval: tuple[int, int] | None, pad: int) -> range:
        if interval is None:
            return range(0, 0)
        width = int(self.config.date["block_days"])
        lo = interval[0] - pad
        hi = min(interval[1], interval[0] + int(self.config.date["max_span_days"])) + pad
        return range(lo // width, hi // width + 1)

    def _feat(self, m: Mention) -> _Features:
        found = self._features.get(m.event_id)
        if found is None:
            found = self._features[m.event_id] = _features(m, self.config)
        return found

    def _index_mention(self, merged_id: str, m: Mention) -> None:
        f = self._feat(m)
        pad = int(self.config.date["day_tolerance_days"])
        buckets = self._buckets(f.interval, pad) or range(-1, 0)  # -1: no date at all
        for party in f.parties:
            for bucket in buckets:
                self._index.setdefault((party, bucket), set()).add(merged_id)
                self._keys_of.setdefault(merged_id, set()).add((party, bucket))
        self._by_mention[m.event_id] = merged_id
        self._profiles.setdefault(merged_id, _Profile()).add(m, f)

    def adopt(self, event: MergedEvent) -> None:
        """Take over an existing merged event (e.g. loaded from the store)."""
        self.events[event.merged_id] = event
        for m in event.mentions:
            self._index_mention(event.merged_id, m)

    def candidates(self, m: Mention) -> set[str]:
        found: set[str] = set()
        for key in self.block_keys(m):
            found |= self._index.get(key, set())
        return found

    def block_keys(self, m: Mention) -> list[tuple[str, int]]:
        """The (party, bucket) keys a mention looks up: what a store must load for it."""
        f = self._feat(m)
        return [(p, b) for p in f.parties for b in self._buckets(f.interval, 0) or range(-1, 0)]

    def index_keys(self, event: MergedEvent) -> set[tuple[str, int]]:
        """The keys an event is filed under (mention dates padded by the day tolerance)."""
        return set(self._keys_of.get(event.merged_id, ()))

    # -- scoring -------------------------------------------------------------------
    def compare(self, m: Mention, event: MergedEvent, linking: bool = False
                ) -> dict[str, float | None] | None:
        """Per-criterion scores of a mention against an event; None if a hard gate fails."""
        cfg = self.config
        f = self._feat(m)
        profile = self._profiles[event.merged_id]
        ev_type = profile.event_type
        if linking:
            planned_type, done_type = (m.event_type, ev_type) if f.group == "planned" \
                else (ev_type, m.event_type)
            followers = (cfg.types.get("plan_followed_by") or {}).get(planned_type, ())
            if done_type not in followers:
                return None
            type_score = 1.0
        else:
            type_score = self._type_score(m.event_type, ev_type, f.group)
            if type_score <= 0:
                return None
        modes = profile.modes
        if linking or m.event_type != ev_type:  # modes of two types do not compare
            mode_score = None
        elif m.mode and modes:
            mode_score = cfg.modes["same"] if m.mode in modes else cfg.modes["different"]
        elif m.mode or modes:
            mode_score = cfg.modes["one_missing"]
        else:
            mode_score = None
        actors = actor_similarity(m, list(profile.actors.values()),
                                  list(profile.recipients.values()), ev_type, cfg)
        known_dates = [d for d in (date_similarity(f.interval, f.precise, interval, precise, cfg)
                                   for interval, precise in profile.dates) if d is not None]
        date = max(known_dates) if known_dates else None
        location = location_similarity(m.location, profile.location, cfg)
        samples = event.mentions[-int(cfg.evidence["max_samples"]):]
        evidence = max(token_similarity(f.tokens, self._feat(o).tokens, cfg.evidence["measure"])
                       for o in samples)
        scores = {"type": type_score, "mode": mode_score, "actors": actors, "date": date,
                  "location": location, "evidence": evidence}
        gates = cfg.gates
        if actors is None:
            if evidence < gates["min_evidence_without_actors"]:
                return None
        elif actors < gates["min_actors"]:
            return None
        if date is not None and date < gates["min_date"]:
            return None
        if location is not None and location < gates["min_location"]:
            return None
        decisive = ev_type in (cfg.types.get("decisive_modes") or ())
        if decisive and mode_score is not None and mode_score < gates["min_mode"]:
            return None
        same_article = profile.tokens_by_article.get(m.article_id)
        if same_article and not linking and max(
                token_similarity(f.tokens, other, cfg.evidence["measure"])
                for other in same_article) < gates["min_evidence_same_article"]:
            return None
        return scores

    def _type_score(self, a: str, b: str, group: str) -> float:
        if a == b:
            return 1.0
        pairs = list(self.config.types.get("compatible") or [])
        if group == "planned":
            pairs += list(self.config.types.get("compatible_when_planned") or [])
        if any({a, b} == set(pair) for pair in pairs):
            return float(self.config.types.get("compatible_score", 0.5))
        return 0.0

    # -- adding --------------------------------------------------------------------
    def add(self, m: Mention) -> Decision:
        """Merge one mention into the best matching event, or found a new one; link plans."""
        if m.event_id in self._by_mention:
            merged_id = self._by_mention[m.event_id]
            return Decision(m.event_id, merged_id, "known", {}, None)
        f = self._feat(m)
        best: tuple[float, str, dict] | None = None
        link_best: dict[str, tuple[float, dict]] = {}
        for merged_id in sorted(self.candidates(m)):
            event = self.events[merged_id]
            other_group = self._profiles[merged_id].group
            linking = other_group != f.group
            if linking and "planned" not in (f.group, other_group):
                continue
            scores = self.compare(m, event, linking=linking)
            if scores is None:
                continue
            total = weighted_score(scores, self.config)
            if linking:
                if total >= self.config.link_threshold:
                    link_best[merged_id] = (total, scores)
            elif total >= self.config.threshold and (best is None or total > best[0]):
                best = (total, merged_id, scores)
        if best is None:
            event = MergedEvent.found(m)
            while event.merged_id in self.events:  # a re-used event id cannot clash
                event.merged_id += "x"
            self.events[event.merged_id] = event
            action, total, scores = "new", None, {}
        else:
            total, merged_id, scores = best
            event = self.events[merged_id]
            event.links.append(MentionLink(m, scores, total))
            action = "merged"
        self._index_mention(event.merged_id, m)
        self.changed.add(event.merged_id)
        linked = []
        for other_id, (link_total, link_scores) in link_best.items():
            if other_id == event.merged_id:
                continue
            self._relate(event, self.events[other_id], f.group, link_total, link_scores)
            linked.append(other_id)
        return Decision(m.event_id, event.merged_id, action, scores, total, tuple(linked))

    def _relate(self, mine: MergedEvent, other: MergedEvent, my_group: str,
                total: float, scores: dict) -> None:
        planned, done = (mine, other) if my_group == "planned" else (other, mine)
        summary = {"score": round(total, 3),
                   "scores": {k: None if v is None else round(v, 3) for k, v in scores.items()}}
        for event, other_id, relation in ((planned, done.merged_id, "followed_by"),
                                          (done, planned.merged_id, "planned_as")):
            previous = event.related.get(other_id)
            if previous is None or previous["score"] < summary["score"]:
                event.related[other_id] = dict(summary, relation=relation)
            self.changed.add(event.merged_id)

    def add_all(self, mentions: Iterable[Mention]) -> list[Decision]:
        """Add mentions in date order, so results do not depend on input order."""
        return [self.add(m) for m in sorted(mentions, key=lambda m: m.sort_key)]

    def records(self) -> Iterator[dict[str, Any]]:
        for event in self.events.values():
            yield event.to_record(self.config)


def mentions_from_records(records: Iterable[Mapping[str, Any]],
                          articles: Mapping[str, Mapping[str, Any]] | None = None
                          ) -> list[Mention]:
    """Mentions from event records; `articles` maps article_id -> {source, date}."""
    articles = articles or {}
    out = []
    for rec in records:
        meta = articles.get(str(rec.get("article_id"))) or {}
        date = meta.get("date")
        if isinstance(date, str):
            span = parse_date_span(date)
            date = span[0] if span else None
        out.append(Mention(dict(rec), outlet=meta.get("source"), article_date=date))
    return out


def merge_records(records: Iterable[Mapping[str, Any]],
                  articles: Mapping[str, Mapping[str, Any]] | None = None,
                  config: MergeConfig | None = None) -> list[dict[str, Any]]:
    """Merge a batch of event records (no store): one merged record per real event."""
    merger = Merger(config)
    merger.add_all(mentions_from_records(records, articles))

    def by_date(record: dict[str, Any]) -> tuple[str, str]:
        span = parse_date_span((record.get("date") or {}).get("value"))
        return (span[0].isoformat() if span else "9999-12-31", record["merged_id"])

    return sorted(merger.records(), key=by_date)


# --------------------------------------------------------------------------- the store

def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _conn(store: Any) -> sqlite3.Connection:
    """Accept a `tidings.store.Store` or a bare sqlite3 connection."""
    return getattr(store, "conn", store)


def _chunks(items: list[Any], size: int = 400) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _load_mentions(conn: sqlite3.Connection, where: str, params: list[Any]
                   ) -> list[tuple[sqlite3.Row, Mention]]:
    rows = conn.execute(
        "SELECT e.event_id, e.record, a.source, a.date FROM events e "
        f"JOIN articles a ON a.article_id = e.article_id WHERE {where}", params).fetchall()
    return [(row, Mention(json.loads(row[1]), outlet=row[2],
                          article_date=dt.date.fromisoformat(row[3]) if row[3] else None))
            for row in rows]


def _pending_mentions(conn: sqlite3.Connection, event_ids: Iterable[str] | None) -> list[Mention]:
    unmerged = "NOT EXISTS (SELECT 1 FROM merged_mentions m WHERE m.event_id = e.event_id)"
    if event_ids is None:
        return [m for _, m in _load_mentions(conn, unmerged, [])]
    found: list[Mention] = []
    for chunk in _chunks(list(dict.fromkeys(event_ids))):
        marks = ",".join("?" * len(chunk))
        found += [m for _, m in _load_mentions(conn, f"e.event_id IN ({marks}) AND {unmerged}",
                                               chunk)]
    return found


def _load_events(conn: sqlite3.Connection, merged_ids: set[str]) -> list[MergedEvent]:
    """Rebuild merged events (mentions, scores and links) from the store."""
    events: dict[str, MergedEvent] = {}
    for chunk in _chunks(sorted(merged_ids)):
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT m.merged_id, m.merge_score, m.scores, e.record, a.source, a.date "
            "FROM merged_mentions m JOIN events e ON e.event_id = m.event_id "
            "JOIN articles a ON a.article_id = e.article_id "
            f"WHERE m.merged_id IN ({marks}) ORDER BY m.merged_id, m.rowid", chunk).fetchall()
        for merged_id, total, scores, record, source, date in rows:
            mention = Mention(json.loads(record), outlet=source,
                              article_date=dt.date.fromisoformat(date) if date else None)
            event = events.setdefault(merged_id, MergedEvent(merged_id))
            event.links.append(MentionLink(mention, json.loads(scores), total))
        for planned, occurred, score, scores in conn.execute(
                "SELECT planned_id, occurred_id, score, scores FROM merged_links "
                f"WHERE planned_id IN ({marks}) OR occurred_id IN ({marks})", chunk + chunk):
            summary = {"score": score, "scores": json.loads(scores)}
            if planned in events:
                events[planned].related[occurred] = dict(summary, relation="followed_by")
            if occurred in events:
                events[occurred].related[planned] = dict(summary, relation="planned_as")
    return list(events.values())


_MERGED_COLUMNS = ("merged_id", "event_type", "mode", "status", "date_start", "date_end",
                   "quad_class", "score", "certainty", "confidence", "num_mentions",
                   "num_sources", "num_articles", "actor_countries", "recipient_countries",
                   "record", "updated_at")


def _write_event(conn: sqlite3.Connection, merger: Merger, event: MergedEvent) -> None:
    from tidings.store import date_span

    record = event.to_record(merger.config)
    start, end = date_span((record["date"] or {}).get("value"))
    countries = {role: " ".join(sorted({e["country"] for e in record[role] if e.get("country")}))
                 for role in ("actor", "recipient")}
    conn.execute(
        f"INSERT INTO merged_events ({', '.join(_MERGED_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(_MERGED_COLUMNS))}) ON CONFLICT (merged_id) DO UPDATE "
        f"SET {', '.join(f'{c} = excluded.{c}' for c in _MERGED_COLUMNS[1:])}",
        (event.merged_id, record["event_type"], record["mode"], record["status"], start, end,
         record["quad_class"], record["score"], record["combined_certainty"]["certainty"],
         record["combined_certainty"]["confidence"], record["num_mentions"], record["num_sources"],
         record["num_articles"], countries["actor"], countries["recipient"],
         json.dumps(record, ensure_ascii=False), _now()))
    for link in event.links:
        conn.execute(
            "INSERT OR IGNORE INTO merged_mentions (event_id, merged_id, merge_score, scores, "
            "merged_at) VALUES (?, ?, ?, ?, ?)",
            (link.mention.event_id, event.merged_id, link.total, json.dumps(link.scores), _now()))
    conn.execute("DELETE FROM merge_blocks WHERE merged_id = ?", (event.merged_id,))
    conn.executemany("INSERT OR IGNORE INTO merge_blocks (party, bucket, merged_id) "
                     "VALUES (?, ?, ?)",
                     [(party, bucket, event.merged_id) for party, bucket in merger.index_keys(event)])


def _write_links(conn: sqlite3.Connection, event: MergedEvent) -> None:
    for other_id, link in event.related.items():
        if link["relation"] == "followed_by":
            conn.execute("INSERT OR REPLACE INTO merged_links (planned_id, occurred_id, score, "
                         "scores) VALUES (?, ?, ?, ?)",
                         (event.merged_id, other_id, link["score"], json.dumps(link["scores"])))


@dataclass
class UpdateReport:
    """What one store update did."""

    mentions: int = 0  # mentions merged by this update
    new_events: int = 0
    merged_into_existing: int = 0
    refreshed: int = 0  # events rewritten (new mentions, links, or lost mentions)
    removed: int = 0  # events left with no mention


def update_store(store: Any, new_event_ids: Iterable[str] | None = None,
                 config: MergeConfig | None = None) -> UpdateReport:
    """Merge stored mentions that are not merged yet into the merged-event tables.

    Only merged events sharing a blocking key with the new mentions are loaded, so the
    cost follows the batch, not the store. Call it inside the ingest transaction after a
    batch is stored; with no ids it picks up every unmerged mention.
    """
    conn = _conn(store)
    report = UpdateReport()
    mentions = _pending_mentions(conn, new_event_ids)
    stale = {row[0] for row in conn.execute("SELECT merged_id FROM merge_stale")}
    if not mentions and not stale:
        return report
    merger = Merger(config)
    keys = sorted({key for m in mentions for key in merger.block_keys(m)})
    wanted = set(stale)
    for chunk in _chunks(keys, 200):
        clause = " OR ".join(["(party = ? AND bucket = ?)"] * len(chunk))
        params = [value for key in chunk for value in key]
        wanted |= {row[0] for row in conn.execute(
            f"SELECT DISTINCT merged_id FROM merge_blocks WHERE {clause}", params)}
    loaded = _load_events(conn, wanted)
    for event in loaded:
        merger.adopt(event)
    for decision in merger.add_all(mentions):
        report.mentions += 1
        report.new_events += decision.action == "new"
        report.merged_into_existing += decision.action == "merged"
    gone = stale - {event.merged_id for event in loaded}
    rewritten = sorted(merger.changed | (stale - gone))
    for merged_id in rewritten:
        _write_event(conn, merger, merger.events[merged_id])
        report.refreshed += 1
    for merged_id in rewritten:  # both ends of a link exist now
        _write_links(conn, merger.events[merged_id])
    for merged_id in sorted(gone):
        conn.execute("DELETE FROM merged_events WHERE merged_id = ?", (merged_id,))
        report.removed += 1
    conn.execute("DELETE FROM merge_stale")
    return report


def rebuild_store(store: Any, config: MergeConfig | None = None) -> UpdateReport:
    """Forget every merge decision and merge all stored mentions again (after a config change)."""
    conn = _conn(store)
    for table in ("merged_links", "merge_blocks", "merged_mentions", "merged_events",
                  "merge_stale"):
        conn.execute(f"DELETE FROM {table}")
    return update_store(store, None, config)
