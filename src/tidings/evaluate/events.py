"""Score tidings' events against labelled gold data: the figures users judge us by.

Why our own scorer next to `../shared/checks/score_plover.py`: it reads both gold formats
(the shared PLOVER sentences and the team's own sentence/article files), and it explains
itself: a confusion matrix, per-mode and per-context scores, article-level matching (type +
actor country + date) and a listing of the evidence behind every miss and extra event.
The sentence-level figures follow score_plover.py exactly (a gold type counts as found
when any predicted event of the sentence has it; every other predicted event is extra),
so the two agree on the same input.
"""
from __future__ import annotations

import collections
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.errors import UsageError

# Gold codes that are CAMEO spellings of ISO 3166 alpha-3 codes (as score_plover.py).
CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
NONE = "NONE"


def _country(code: Any) -> str | None:
    if not code:
        return None
    code = str(code)[:3].upper()
    if code in ("***", "---"):
        return None
    return CAMEO_TO_ISO.get(code, code)


@dataclass
class GoldEvent:
    event_type: str
    mode: str | None = None
    status: str | None = None
    contexts: list[str] = field(default_factory=list)
    trigger: str | None = None
    actor_countries: list[str] = field(default_factory=list)
    recipient_countries: list[str] = field(default_factory=list)
    date: str | None = None


@dataclass
class GoldItem:
    """One labelled sentence or article."""

    id: str
    date: dt.date
    text: str
    events: list[GoldEvent]
    tags: list[str] = field(default_factory=list)
    split: str | None = None


def _parse_line(raw: dict[str, Any], where: str) -> GoldItem:
    try:
        date = dt.date.fromisoformat(str(raw.get("date") or "2000-01-01"))
        if "events" in raw:  # the team's format
            events = [GoldEvent(
                event_type=e["event_type"], mode=e.get("mode"), status=e.get("status"),
                contexts=list(e.get("contexts") or []), trigger=e.get("trigger"),
                actor_countries=[c for c in (_country(a.get("country")) for a in e.get("actor") or []) if c],
                recipient_countries=[c for c in (_country(a.get("country"))
                                                 for a in e.get("recipient") or []) if c],
                date=e.get("date")) for e in raw["events"]]
        else:  # the shared PLOVER gold format: one event a sentence
            contexts = [c.strip() for c in str(raw.get("context") or "").split(",") if c.strip()]
            events = [GoldEvent(
                event_type=raw["event"], mode=raw.get("mode"), contexts=contexts,
                actor_countries=[c for c in (_country(s.get("code")) for s in raw.get("source") or []) if c],
                recipient_countries=[c for c in (_country(s.get("code"))
                                                 for s in raw.get("target") or []) if c])]
        return GoldItem(id=str(raw["id"]), date=date, text=str(raw["text"]), events=events,
                        tags=list(raw.get("tags") or []), split=raw.get("split"))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UsageError(f"{where}: not a gold record ({exc!r})") from exc


def load_gold(path: str | Path, split: str | None = None) -> list[GoldItem]:
    """Read a gold JSONL file; `split` keeps only lines of that split (train/test)."""
    path = Path(path)
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read gold file {path}: {exc}") from exc
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: the line is not valid JSON ({exc.msg})") from exc
        item = _parse_line(raw, f"{path}:{number}")
        if split is None or item.split == split:
            items.append(item)
    return items


def predict(items: Iterable[GoldItem], pipeline=None) -> dict[str, list[dict]]:
    """Run the pipeline over the gold texts; records per item id."""
    from tidings.model import Article
    from tidings.pipeline import default_pipeline

    pipeline = pipeline or default_pipeline()
    articles = [Article(id=item.id, date=item.date, text=item.text) for item in items]
    out: dict[str, list[dict]] = {a.id: [] for a in articles}
    for doc in pipeline.process(articles):
        out[doc.article.id] = [e.to_record() for e in doc.events]
    return out


@dataclass
class Prf:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Every figure `tidings evaluate` prints."""

    n_items: int
    per_type: dict[str, Prf]
    macro_f1: float
    recall: float
    extra_rate: float
    no_event_items: int
    events_on_no_event_items: int
    no_event_items_with_events: int
    country_hits: int
    country_total: int
    confusion: dict[str, collections.Counter]
    per_mode: dict[str, Prf]
    per_context: dict[str, Prf]
    misses: list[tuple[GoldItem, GoldEvent]]
    extras: list[tuple[GoldItem, dict]]
    article: Prf | None = None

    @property
    def country_accuracy(self) -> float:
        return self.country_hits / self.country_total if self.country_total else 0.0


def _actor_countries(records: list[dict]) -> set[str]:
    return {e.get("country") for r in records for e in (r.get("actor") or []) if e.get("country")}


def score(items: list[GoldItem], predictions: dict[str, list[dict]]) -> Report:
    per_type: dict[str, Prf] = collections.defaultdict(Prf)
    per_mode: dict[str, Prf] = collections.defaultdict(Prf)
    per_context: dict[str, Prf] = collections.defaultdict(Prf)
    confusion: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    extra = found = gold_total = 0
    country_hits = country_total = 0
    no_event_items = events_on_no_event = no_event_with = 0
    misses: list[tuple[GoldItem, GoldEvent]] = []
    extras: list[tuple[GoldItem, dict]] = []
    for item in items:
        got = predictions.get(item.id, [])
        pred_types = [r.get("event_type") for r in got]
        gold_types = {g.event_type for g in item.events}
        if not item.events:
            no_event_items += 1
            events_on_no_event += len(got)
            no_event_with += bool(got)
            confusion[NONE].update(pred_types or [NONE])
        used: set[int] = set()
        for g in item.events:
            gold_total += 1
            hit = next((i for i, r in enumerate(got)
                        if i not in used and r.get("event_type") == g.event_type), None)
            if hit is None:
                per_type[g.event_type].fn += 1
                misses.append((item, g))
                others = [t for i, t in enumerate(pred_types) if i not in used and t not in gold_types]
                confusion[g.event_type][others[0] if others else NONE] += 1
                if g.mode:
                    per_mode[f"{g.event_type}/{g.mode}"].fn += 1
                continue
            used.add(hit)
            found += 1
            per_type[g.event_type].tp += 1
            confusion[g.event_type][g.event_type] += 1
            record = got[hit]
            p_mode = record.get("mode")
            if g.mode or p_mode:
                if g.mode == p_mode:
                    per_mode[f"{g.event_type}/{g.mode}"].tp += 1
                else:
                    if g.mode:
                        per_mode[f"{g.event_type}/{g.mode}"].fn += 1
                    if p_mode:
                        per_mode[f"{g.event_type}/{p_mode}"].fp += 1
            pred_ctx, gold_ctx = set(record.get("contexts") or []), set(g.contexts)
            if gold_ctx:
                for c in gold_ctx | pred_ctx:
                    prf = per_context[c]
                    prf.tp += c in gold_ctx and c in pred_ctx
                    prf.fp += c in pred_ctx and c not in gold_ctx
                    prf.fn += c in gold_ctx and c not in pred_ctx
            pred_countries = _actor_countries([r for r in got if r.get("event_type") == g.event_type])
            for code in g.actor_countries:
                country_total += 1
                country_hits += code in pred_countries
        for i, record in enumerate(got):
            if i in used:
                continue
            # score_plover.py: a type absent from the gold is a false positive once per sentence
            extras.append((item, record))
            extra += 1
        for t in set(pred_types) - gold_types:
            per_type[t].fp += 1
    with_gold = [t for t, prf in per_type.items() if prf.tp + prf.fn]
    macro = sum(per_type[t].f1 for t in with_gold) / len(with_gold) if with_gold else 0.0
    return Report(
        n_items=len(items), per_type=dict(per_type), macro_f1=macro,
        recall=found / gold_total if gold_total else 0.0,
        extra_rate=extra / len(items) if items else 0.0,
        no_event_items=no_event_items, events_on_no_event_items=events_on_no_event,
        no_event_items_with_events=no_event_with,
        country_hits=country_hits, country_total=country_total, confusion=dict(confusion),
        per_mode=dict(per_mode), per_context=dict(per_context), misses=misses, extras=extras)


def score_articles(items: list[GoldItem], predictions: dict[str, list[dict]]) -> Prf:
    """Article-level: a predicted event matches a gold one with the same type, an actor
    country in common (or both without) and the same date value (when the gold has one)."""
    prf = Prf()
    for item in items:
        got = list(predictions.get(item.id, []))
        used: set[int] = set()
        for g in item.events:
            hit = None
            for i, r in enumerate(got):
                if i in used or r.get("event_type") != g.event_type:
                    continue
                countries = {e.get("country") for e in r.get("actor") or []}
                if g.actor_countries and not countries & set(g.actor_countries):
                    continue
                value = str((r.get("date") or {}).get("value") or "")
                if g.date and not (value == g.date or value.startswith(g.date) or g.date.startswith(value)):
                    continue
                hit = i
                break
            if hit is None:
                prf.fn += 1
            else:
                used.add(hit)
                prf.tp += 1
        prf.fp += len(got) - len(used)
    return prf


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths))]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def format_report(report: Report, errors: bool = False) -> str:
    out: list[str] = []
    rows = [[t, f"{p.precision:.2f}", f"{p.recall:.2f}", f"{p.f1:.2f}", str(p.tp + p.fn),
             str(p.tp + p.fp)] for t, p in sorted(report.per_type.items())]
    out.append(_table(rows, ["type", "P", "R", "F1", "gold", "pred"]))
    out.append("")
    out.append(f"macro-F1 {report.macro_f1:.3f}  recall {report.recall:.3f}  "
               f"extra events {report.extra_rate:.1%} of {report.n_items} items "
               f"(score_plover.py's rate)")
    if report.no_event_items:
        out.append(f"over-generation on no-event items: {report.no_event_items_with_events}/"
                   f"{report.no_event_items} items got events "
                   f"({report.events_on_no_event_items} events)")
    out.append(f"actor-country accuracy {report.country_accuracy:.3f} "
               f"({report.country_hits}/{report.country_total})")
    if report.article is not None:
        a = report.article
        out.append(f"article-level (type + actor country + date): P {a.precision:.2f} "
                   f"R {a.recall:.2f} F1 {a.f1:.2f} (tp {a.tp}, fp {a.fp}, fn {a.fn})")
    labels = sorted(set(report.confusion) | {c for row in report.confusion.values() for c in row})
    if labels:
        out.append("\nconfusion (rows gold, columns predicted; NONE = no event)")
        short = {lab: lab[:4] for lab in labels}
        rows = [[g] + [str(report.confusion.get(g, {}).get(p, "") or ".") for p in labels]
                for g in labels if g in report.confusion]
        out.append(_table(rows, ["gold\\pred"] + [short[lab] for lab in labels]))
    if report.per_mode:
        out.append("\nper mode (gold type's events matched by type)")
        rows = [[m, f"{p.precision:.2f}", f"{p.recall:.2f}", f"{p.f1:.2f}", str(p.tp + p.fn)]
                for m, p in sorted(report.per_mode.items())]
        out.append(_table(rows, ["type/mode", "P", "R", "F1", "gold"]))
    if report.per_context:
        out.append("\nper context (on matched events whose gold has contexts)")
        rows = [[c, f"{p.precision:.2f}", f"{p.recall:.2f}", f"{p.f1:.2f}", str(p.tp + p.fn)]
                for c, p in sorted(report.per_context.items())]
        out.append(_table(rows, ["context", "P", "R", "F1", "gold"]))
    if errors:
        out.append(f"\nmisses ({len(report.misses)})")
        for item, g in report.misses:
            out.append(f"  MISS {item.id} {g.event_type}/{g.mode or '-'}"
                       f"{' trigger=' + repr(g.trigger) if g.trigger else ''}: {item.text}")
        out.append(f"\nextra events ({len(report.extras)})")
        for item, r in report.extras:
            ev = r.get("evidence") or {}
            gold = ",".join(g.event_type for g in item.events) or NONE
            out.append(f"  EXTRA {item.id} {r.get('event_type')}/{r.get('mode') or '-'} "
                       f"[{ev.get('trigger')}] ({r.get('provenance', {}).get('event_type')}) "
                       f"gold={gold}: {ev.get('sentence')}")
    return "\n".join(out)


def evaluate(gold_path: str | Path, split: str | None = None, pipeline=None,
             articles: bool | None = None) -> Report:
    """Load, predict, score. Article-level scoring runs when items hold several sentences
    (or when asked)."""
    items = load_gold(gold_path, split=split)
    if not items:
        raise UsageError(f"{gold_path}: no gold items{' in split ' + split if split else ''}")
    predictions = predict(items, pipeline)
    report = score(items, predictions)
    if articles or (articles is None and any(len(i.text) > 600 for i in items)):
        report.article = score_articles(items, predictions)
    return report
