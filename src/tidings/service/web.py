"""Service functions the HTTP API needs that the other service modules do not offer.

Everything here sits on the store's public API (`tidings.store.Store`, `EventFilter`) or
calls the owning service module; the HTTP handlers only parse requests and format
results. What is here and why:

- `search_events`: the store filters by country, entity, type, status, quad class, dates
  and text; the API also filters by certainty and by the role of a named entity, which
  the store's `EventFilter` has no field for. Those run as a predicate over store pages
  (see `search_events` for how the cursor stays exact).
- `event_detail`: one event with its article, so a page can show the evidence in context,
  and the merged event it belongs to (`tidings.service.merged`) with every mention.
- `ingest_upload`: a request body goes through the same readers and ingest service as a
  file on the command line.
- `dyad_series` / `network`: `tidings.analysis` results as JSON; the dyad's records are
  picked by store filters first (see `dyad_series`).
- `open_store`: one store connection per thread and path, reused across requests.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings import model
from tidings.errors import NotFoundError, StoreError, UsageError
from tidings.store import EventFilter, EventPage, Store

# Predicates past the store read store pages of SCAN_PAGE rows, and at most
# MAX_SCANNED_PER_PAGE rows per request before returning a short page with a cursor.
SCAN_PAGE = 200
MAX_SCANNED_PER_PAGE = 5_000
_COUNTRY_CODE = re.compile(r"[A-Z]{3}\Z")

_local = threading.local()


def open_store(db_path: str | Path) -> Store:
    """This thread's connection to the store at `db_path` (SQLite connections are per thread)."""
    stores: dict[str, Store] = getattr(_local, "stores", None) or {}
    _local.stores = stores
    key = str(Path(db_path).resolve())
    if key not in stores:
        stores[key] = Store.open(db_path)
    return stores[key]


def close_stores() -> None:
    """Close this thread's connections (tests and shutdown)."""
    for store in (getattr(_local, "stores", None) or {}).values():
        store.close()
    _local.stores = {}


def vocabulary() -> dict[str, list[str]]:
    """The closed vocabularies of the record, for filter menus and API validation."""
    return {"event_types": list(model.EVENT_TYPES), "statuses": list(model.STATUSES),
            "certainties": list(model.CERTAINTIES), "quad_classes": list(model.QUAD_CLASSES)}


@dataclass
class EventQuery:
    """The event search of the HTTP API and the dashboard.

    `actor` and `recipient` take a country code (three capital letters, e.g. IND) or a
    knowledge-base id / exact canonical name; `country` matches either side.
    """

    actor: str | None = None
    recipient: str | None = None
    country: str | None = None
    event_type: list[str] = field(default_factory=list)
    quad_class: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    certainty: list[str] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    text: str | None = None
    article_id: str | None = None
    limit: int = 50
    cursor: str | None = None
    newest_first: bool = False


def _is_country(value: str) -> bool:
    return bool(_COUNTRY_CODE.match(value))


def _entity_on_role(role: str, key: str) -> Callable[[dict[str, Any]], bool]:
    def matches(record: dict[str, Any]) -> bool:
        return any(key in (e.get("kb_id"), e.get("name")) for e in record.get(role) or [])
    return matches


def _split(query: EventQuery) -> tuple[EventFilter, list[Callable[[dict[str, Any]], bool]]]:
    """The part of the query the store answers, and the predicates it cannot."""
    store_filter = EventFilter(
        country=query.country, event_type=query.event_type or None,
        quad_class=query.quad_class or None, status=query.status or None,
        since=query.since, until=query.until, text=query.text, article_id=query.article_id)
    predicates: list[Callable[[dict[str, Any]], bool]] = []
    entities = []
    for role, value in (("actor", query.actor), ("recipient", query.recipient)):
        if not value:
            continue
        if _is_country(value):
            setattr(store_filter, f"{role}_country", value)
        else:
            entities.append((role, value))
    if entities:
        # The store narrows to events naming the first entity on either side; the
        # predicates then check each named entity's side.
        store_filter.entity = entities[0][1]
        predicates.extend(_entity_on_role(role, value) for role, value in entities)
    if query.certainty:
        wanted = set(query.certainty)
        predicates.append(lambda r: (r.get("attribution") or {}).get("certainty") in wanted)
    return store_filter, predicates


def search_events(db_path: str | Path, query: EventQuery) -> EventPage:
    """One page of events matching the query in date order, with a keyset cursor.

    Predicates the store cannot run are applied to store pages of SCAN_PAGE rows. When a
    page holds more matches than are still needed, the same page is read again cut just
    after the last match needed, so the store's cursor points exactly past it. A rare
    predicate returns a short page (still with a cursor) after MAX_SCANNED_PER_PAGE rows
    rather than scan the whole store in one request.
    """
    store = open_store(db_path)
    store_filter, predicates = _split(query)
    order = {"newest_first": query.newest_first}
    if not predicates:
        return store.query_events(store_filter, limit=query.limit, cursor=query.cursor, **order)

    def matches(record: dict[str, Any]) -> bool:
        return all(p(record) for p in predicates)

    found: list[dict[str, Any]] = []
    cursor = query.cursor
    scanned = 0
    while True:
        need = query.limit - len(found)
        page = store.query_events(store_filter, limit=max(need, SCAN_PAGE), cursor=cursor,
                                  **order)
        hits = [i for i, record in enumerate(page.records) if matches(record)]
        if len(hits) > need:
            page = store.query_events(store_filter, limit=hits[need - 1] + 1, cursor=cursor,
                                      **order)
            found.extend(r for r in page.records if matches(r))
            return EventPage(records=found, next_cursor=page.next_cursor)
        found.extend(page.records[i] for i in hits)
        scanned += len(page.records)
        cursor = page.next_cursor
        if cursor is None or len(found) >= query.limit or scanned >= MAX_SCANNED_PER_PAGE:
            return EventPage(records=found, next_cursor=cursor)


def event_detail(db_path: str | Path, event_id: str) -> dict[str, Any]:
    """An event record with its article and, once merged across articles, the real event
    it belongs to with every mention and why each one joined."""
    from tidings.service.merged import get_merged_store

    store = open_store(db_path)
    record = store.get_event(event_id)
    try:
        article = store.get_article(record["article_id"])
    except NotFoundError:
        article = None
    try:
        merged = get_merged_store(store, event_id)
    except NotFoundError:  # not merged yet (`tidings merge` or any analysis merges it)
        merged = None
    mentions = merged.pop("mentions", []) if merged else []
    return {"event": record, "article": article, "merged": merged, "mentions": mentions}


# Content types a request body may have, and the reader (by file suffix) each one uses.
UPLOAD_SUFFIXES = {
    "text/plain": ".txt",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/json": ".jsonl",  # one object or a list: turned into JSON Lines
    "text/csv": ".csv",
    "text/html": ".html",
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _json_to_lines(body: bytes) -> bytes:
    """A JSON object, a list of objects, or {"articles": [...]} as JSON Lines."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"the body is not valid JSON: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    items = data if isinstance(data, list) else [data]
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode("utf-8")


def upload_name(filename: str | None, suffix: str) -> str:
    """A safe file name for an upload, keeping the user's name for messages."""
    base = _SAFE_NAME.sub("_", Path(filename or "").name).strip("._") or "request"
    return base if base.lower().endswith(suffix) else base + suffix


def uploads_folder(db_path: str | Path) -> Path:
    """Where uploads are kept: beside the store, so every stored article's origin
    (`path:line`) names a file that still exists, as with `tidings ingest FILE`."""
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}-uploads"


def ingest_upload(db_path: str | Path, body: bytes, content_type: str,
                  filename: str | None = None) -> dict[str, Any]:
    """Ingest a request body exactly as `tidings ingest FILE` would ingest that file."""
    from tidings.ingest import read_paths
    from tidings.service.articles import ingest

    media = content_type.split(";")[0].strip().lower()
    if media not in UPLOAD_SUFFIXES:
        raise UsageError(f"unsupported content type {media or 'none'!r}; use one of "
                         f"{', '.join(sorted(UPLOAD_SUFFIXES))}")
    suffix = UPLOAD_SUFFIXES[media]
    if media == "application/json":
        body = _json_to_lines(body)
    name = upload_name(filename, suffix)
    folder = uploads_folder(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        path = folder / f"{stamp}-{name}"
        path.write_bytes(body)
    except OSError as exc:
        raise StoreError(f"cannot keep the upload in {folder}: {exc}") from exc
    # Reading is cheap next to extraction: read once more to name the articles.
    article_ids = [item.id for item in read_paths([path]) if isinstance(item, model.Article)]
    report = ingest([path], db_path)
    return {**upload_report(report, str(path), name),
            "article_ids": list(dict.fromkeys(article_ids))}


def upload_report(report: Any, kept_path: str, name: str) -> dict[str, Any]:
    """The ingest report as JSON, naming the upload as the client sent it, not by the
    server's path."""
    origin = f"upload:{name}"
    return {
        "articles_read": report.articles_read,
        "stored": report.stored,
        "replaced": report.replaced,
        "duplicates": report.duplicates,
        "events": report.events,
        "rejected": len(report.rejections),
        "rejections": [
            {"origin": origin if r.origin == kept_path else r.origin, "line": r.line,
             "code": r.code, "reason": r.reason.replace(kept_path, origin),
             "article_id": r.article_id}
            for r in report.rejections],
        "seconds": round(report.seconds, 3),
    }


# -- analyses as JSON: the analysis service computes, this only converts -----------------

def _json_value(value: Any) -> Any:
    """A DataFrame cell as JSON: NaN as null, timestamps as ISO days, numpy as Python."""
    import pandas as pd

    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date().isoformat()
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and value != value:
            return None
    return round(value, 3) if isinstance(value, float) else value


def _rows(frame: Any) -> list[dict[str, Any]]:
    return [{key: _json_value(value) for key, value in row.items()}
            for row in frame.to_dict("records")]


def _side_filter(role: str, who: str) -> dict[str, str]:
    """The store filter field that narrows to events naming `who` (a country code or a
    knowledge-base id / name); the analysis then checks each side exactly."""
    return {f"{role}_country": who} if _is_country(who) else {"entity": who}


def _dyad_records(store: Store, a: str, b: str, directed: bool, since: str | None,
                  until: str | None, unit: str) -> list[dict[str, Any]]:
    """Only the records that can belong to the dyad, selected by the store's indexes."""
    from tidings.service.merged import MergedFilter, catch_up, iter_merged

    if unit not in ("event", "mention"):
        raise UsageError(f"unknown unit {unit!r}: use 'event' (merged) or 'mention'")
    pairs = [(a, b)] if directed or a == b else [(a, b), (b, a)]
    found: dict[str, dict[str, Any]] = {}
    if unit == "event":
        catch_up(store)
    for actor, recipient in pairs:
        fields = {**_side_filter("recipient", recipient), **_side_filter("actor", actor)}
        if unit == "event":
            records = iter_merged(store, MergedFilter(since=since, until=until, **fields))
            found.update((r["merged_id"], r) for r in records)
        else:
            cursor = None
            while True:
                page = store.query_events(EventFilter(since=since, until=until, **fields),
                                          limit=2_000, cursor=cursor)
                found.update((r["event_id"], r) for r in page.records)
                if not (cursor := page.next_cursor):
                    break
    return list(found.values())


def dyad_series(db_path: str | Path, a: str, b: str, *, by: str = "week",
                directed: bool = False, since: str | None = None, until: str | None = None,
                unit: str = "event") -> dict[str, Any]:
    """The dyad series of `tidings.analysis` (per period: quad-class counts, score sum and
    mean) as JSON rows.

    The analysis service loads every event of the period and picks the dyad in pandas,
    which takes seconds on a large store. Mentions of two countries are counted by the
    store in SQL; otherwise the store's filters pick the dyad's records first and the
    same analysis function computes the series from them.
    """
    from tidings import analysis
    from tidings.service import analysis as analysis_service

    if unit == "mention" and _is_country(a) and _is_country(b):  # counted in SQL
        groups = open_store(db_path).dyad_period_counts(a, b, by=by, directed=directed,
                                                        since=since, until=until)
        frame = analysis_service.series_from_counts(groups, by)
    else:
        records = _dyad_records(open_store(db_path), a, b, directed, since, until, unit)
        frame = analysis.dyad_series(records, a, b, by=by, directed=directed, since=since,
                                     until=until)
    return {"a": a, "b": b, "by": by, "directed": directed, "unit": unit,
            "series": _rows(frame)}


def network(db_path: str | Path, *, since: str | None = None, until: str | None = None,
            level: str = "country", unit: str = "event") -> dict[str, Any]:
    """The analysis service's actor network (directed, edges weighted by events and
    scores) as JSON nodes and edges."""
    from tidings.service import analysis

    if unit == "mention":  # aggregated in SQL on this thread's connection
        edges, labels = open_store(db_path).network_edges(
            EventFilter(since=since, until=until), level=level, directed=True)
        graph = analysis.network_from_edges(edges, labels, level, directed=True)
    else:
        graph = analysis.actor_network(db_path, level=level, since=since, until=until,
                                       directed=True, unit=unit)
    return {"level": level, "unit": unit, "nodes": _rows(graph.nodes),
            "edges": _rows(graph.edges)}
