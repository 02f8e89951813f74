"""Score the resolver against labelled actor mentions (eval/actors.jsonl).

Each passage is resolved as the pipeline would resolve it: one `TidingsDoc` per passage,
an Entity at each gold span, the spans grouped into events (a mention with a `partner`
becomes the recipient of an event whose actor is the partner, as "Singh ... with his
American counterpart"). No parse is needed: the resolver reads raw text.

It also reads the team's event-sentence file format (`events[].actor/recipient` with
`text`, `country`, `sector`), so actor identity can be scored on that set too.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.document import TidingsDoc
from tidings.errors import UsageError
from tidings.model import Article, Entity, Event, Evidence
from tidings.resolve import ResolveComponent
from tidings.resolve.kb import load_kb

FIELDS = ("country", "sector", "kb_id", "office")


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class Report:
    passages: int = 0
    mentions: int = 0
    by_field: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_group: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    errors: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"{self.passages} passages, {self.mentions} mentions, "
               f"{1000 * self.seconds / max(self.passages, 1):.2f} ms per passage (resolve only)"]
        for name in FIELDS:
            t = self.by_field.get(name)
            if t and t.total:
                scope = "" if name in ("country", "sector") else " (where gold has one)"
                out.append(f"{name:8} accuracy {t.accuracy:.3f}  ({t.right}/{t.total}){scope}")
        for (group, name), t in sorted(self.by_group.items()):
            out.append(f"  {group:12} {name:8} {t.accuracy:.3f}  ({t.right}/{t.total})")
        return out


def _spans(text: str, phrase: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text)]


def _entity(text: str, phrase: str, nth: int, where: str) -> Entity:
    spans = _spans(text, phrase)
    if len(spans) <= nth:
        raise UsageError(f"{where}: {phrase!r} (occurrence {nth}) is not in the text")
    return Entity(phrase, spans[nth], spans[nth] + len(phrase))


def _event(actors: list[Entity], recipients: list[Entity], text: str) -> Event:
    first = min(e.start for e in actors + recipients)
    return Event(article_id="eval", event_type="CONSULT", actor=actors, recipient=recipients,
                 evidence=Evidence(text, 0, len(text), "", first, first))


def _load(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not JSON ({exc.msg})") from exc
    return items


def _mentions_of(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Gold mentions: this set's format, the team's event sentences, or PLOVER gold records
    (`source`/`target` with `code`); the last two carry no kb_id or office."""
    if "mentions" in item:
        return item["mentions"]
    found, seen = [], set()
    events = item.get("events") or []
    if "source" in item or "target" in item:  # PLOVER gold standard records: one event a line
        events = [{"actor": item.get("source") or [], "recipient": item.get("target") or []}]
    for event in events:
        for role in ("actor", "recipient"):
            for gold in event.get(role) or []:
                key, country = gold.get("text"), gold.get("country") or gold.get("code")
                if key and key not in seen and country and key in item.get("text", ""):
                    seen.add(key)
                    mention = {"text": key, "nth": 0, "country": country, "group": "event-records"}
                    if gold.get("sector"):
                        mention["sector"] = gold["sector"]
                    found.append(mention)
    return found


def evaluate(path: Path, show_errors: bool = False) -> Report:
    component = ResolveComponent(load_kb())
    report = Report()
    for number, item in enumerate(_load(path), 1):
        where = f"{path.name}:{number}"
        try:
            text, day = item["text"], dt.date.fromisoformat(item["date"])
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"{where}: needs 'text' and an ISO 'date' ({exc})") from exc
        gold = _mentions_of(item)
        if not gold:
            continue
        entities = [_entity(text, g["text"], int(g.get("nth", 0)), where) for g in gold]
        by_key = {f"{g['text']}#{int(g.get('nth', 0))}": e for g, e in zip(gold, entities)}
        events, placed = [], set()
        for g, entity in zip(gold, entities):
            partner = by_key.get(g.get("partner") or "")
            if partner is not None:
                events.append(_event([partner], [entity], text))
                placed.update({id(partner), id(entity)})
        events += [_event([e], [], text) for e in entities if id(e) not in placed]
        doc = TidingsDoc(article=Article(id=item.get("id", where), date=day, text=text))
        doc.events = events
        started = time.perf_counter()
        component(doc)
        report.seconds += time.perf_counter() - started
        report.passages += 1
        for g, entity in zip(gold, entities):
            report.mentions += 1
            group = g.get("group") or ("coreference" if g.get("coref") else "direct")
            split = item.get("split")
            wrong = {}
            for name in FIELDS:
                if name not in g or (name in ("kb_id", "office") and g[name] is None):
                    continue
                got = getattr(entity, name)
                ok = _same(name, got, g[name])
                report.by_field[name].add(ok)
                report.by_group[(group, name)].add(ok)
                if split:
                    report.by_group[(f"split:{split}", name)].add(ok)
                if not ok:
                    wrong[name] = {"gold": g[name], "got": got}
            if wrong and show_errors:
                report.errors.append({"id": item.get("id", where), "text": g["text"], "wrong": wrong,
                                      "provenance": dict(entity.provenance)})
    return report


def _same(name: str, got: Any, gold: Any) -> bool:
    if name == "office":
        return str(got or "").lower() == str(gold or "").lower()
    return got == gold
