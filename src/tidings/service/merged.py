"""Merged events: the service behind `tidings merge`, `tidings merged`, `tidings mentions`
and the `--merged` views of the other interfaces.

Merging itself is `tidings.merge`; this module opens the store, runs it, and reads the
merged-event tables with the same filter names as `tidings.store.EventFilter`.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings import merge
from tidings.errors import NotFoundError, UsageError
from tidings.store import EventPage, Store
from tidings.store import _as_list, _decode_cursor, _encode_cursor  # one cursor format for both lists
from tidings.store import _iso as _day  # one reading of --since/--until for both lists


@dataclass
class MergedFilter:
    """What `query_merged` selects; fields combine by AND, a list means any of them."""

    country: str | None = None  # actor or recipient
    actor_country: str | None = None
    recipient_country: str | None = None
    event_type: str | Sequence[str] | None = None
    status: str | Sequence[str] | None = None
    quad_class: str | Sequence[str] | None = None
    since: dt.date | str | None = None
    until: dt.date | str | None = None
    min_sources: int | None = None
    entity: str | None = None  # kb_id or exact name of any party of any mention
    mode: str | Sequence[str] | None = None
    text: str | None = None  # a substring of any mention's evidence sentence
    article_id: str | None = None  # events reported by this article
    actor_entity: str | None = None  # kb_id or exact name, on one side only
    recipient_entity: str | None = None
    certainty: str | Sequence[str] | None = None  # the combined certainty, e.g. confirmed


def where_clause(filters: MergedFilter, alias: str = "g") -> tuple[list[str], list[Any]]:
    """SQL conditions over `merged_events` (aliased) for a filter; values stay parameters."""
    clauses: list[str] = []
    params: list[Any] = []

    def has_country(column: str, country: str) -> str:
        params.append(f"% {country.upper()} %")
        return f"(' ' || {alias}.{column} || ' ') LIKE ?"

    if filters.actor_country:
        clauses.append(has_country("actor_countries", filters.actor_country))
    if filters.recipient_country:
        clauses.append(has_country("recipient_countries", filters.recipient_country))
    if filters.country:
        first = has_country("actor_countries", filters.country)
        clauses.append(f"({first} OR {has_country('recipient_countries', filters.country)})")
    for column, values in (("event_type", [v.upper() for v in _as_list(filters.event_type)]),
                           ("mode", _as_list(filters.mode)),
                           ("status", _as_list(filters.status)),
                           ("certainty", _as_list(filters.certainty)),
                           ("quad_class", _as_list(filters.quad_class))):
        if values:
            clauses.append(f"{alias}.{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    if filters.since:
        clauses.append(f"{alias}.date_end >= ?")
        params.append(_day(filters.since, "since"))
    if filters.until:
        clauses.append(f"{alias}.date_start <= ?")
        params.append(_day(filters.until, "until"))
    if filters.min_sources:
        clauses.append(f"{alias}.num_sources >= ?")
        params.append(int(filters.min_sources))
    for role, who in ((None, filters.entity), ("actor", filters.actor_entity),
                      ("recipient", filters.recipient_entity)):
        if who:
            side = "n.role = ? AND " if role else ""
            clauses.append(
                f"EXISTS (SELECT 1 FROM merged_mentions mm JOIN entities n ON n.event_id = "
                f"mm.event_id WHERE mm.merged_id = {alias}.merged_id AND {side}"
                f"(n.kb_id = ? OR n.name = ?))")
            params.extend([role, who, who] if role else [who, who])
    mention_of = (f"EXISTS (SELECT 1 FROM merged_mentions mm JOIN events e ON e.event_id = "
                  f"mm.event_id WHERE mm.merged_id = {alias}.merged_id AND ")
    if filters.text:
        escaped = filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(mention_of + "e.evidence_sentence LIKE ? ESCAPE '\\')")
        params.append(f"%{escaped}%")
    if filters.article_id:
        clauses.append(mention_of + "e.article_id = ?)")
        params.append(filters.article_id)
    return clauses, params


_SORT = "coalesce(g.date_start, '9999-12-31')"


def query_merged_store(store: Store, filters: MergedFilter | None = None, limit: int = 100,
                       cursor: str | None = None, order: str = "date",
                       newest_first: bool = False) -> EventPage:
    """One page of merged records: by date (with a keyset cursor, oldest or newest first)
    or by number of sources."""
    if not 1 <= limit <= 10_000:
        raise UsageError(f"limit must be between 1 and 10000, got {limit}")
    clauses, params = where_clause(filters or MergedFilter())
    if order == "sources":
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = store.conn.execute(
            f"SELECT g.record FROM merged_events g {where} ORDER BY g.num_sources DESC, "
            f"g.num_mentions DESC, {_SORT}, g.merged_id LIMIT ?", [*params, limit]).fetchall()
        return EventPage(records=[json.loads(row[0]) for row in rows])
    if order != "date":
        raise UsageError(f"unknown order {order!r}: use 'date' or 'sources'")
    direction, compare = ("DESC", "<") if newest_first else ("ASC", ">")
    if cursor:
        sort_key, merged_id = _decode_cursor(cursor)
        clauses.append(f"({_SORT}, g.merged_id) {compare} (?, ?)")
        params.extend([sort_key, merged_id])
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = store.conn.execute(
        f"SELECT g.record, {_SORT} AS sort_key, g.merged_id FROM merged_events g {where} "
        f"ORDER BY sort_key {direction}, g.merged_id {direction} LIMIT ?",
        [*params, limit + 1]).fetchall()
    page = EventPage(records=[json.loads(row[0]) for row in rows[:limit]])
    if len(rows) > limit:
        page.next_cursor = _encode_cursor(rows[limit - 1][1], rows[limit - 1][2])
    return page


def iter_merged(store: Store, filters: MergedFilter | None = None,
                page_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Every matching merged record, in date order, a page at a time."""
    cursor = None
    while True:
        page = query_merged_store(store, filters, limit=page_size, cursor=cursor)
        yield from page.records
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def count_merged_store(store: Store, filters: MergedFilter | None = None) -> int:
    clauses, params = where_clause(filters or MergedFilter())
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    return store.conn.execute(f"SELECT count(*) FROM merged_events g {where}",
                              params).fetchone()[0]


def query_merged(db_path: str | Path, *, limit: int = 100, cursor: str | None = None,
                 order: str = "date", newest_first: bool = False, **filters: Any) -> EventPage:
    """What `tidings events` shows by default; `filters` are the fields of MergedFilter."""
    with Store.open(db_path, create=False) as store:
        catch_up(store)
        return query_merged_store(store, MergedFilter(**filters), limit=limit, cursor=cursor,
                                  order=order, newest_first=newest_first)


def count_merged(db_path: str | Path, **filters: Any) -> int:
    """How many merged events match (after merging pending mentions)."""
    with Store.open(db_path, create=False) as store:
        catch_up(store)
        return count_merged_store(store, MergedFilter(**filters))


def catch_up(store: Store) -> None:
    """Merge mentions stored by an ingest that ran without the merge hook."""
    pending = store.conn.execute(
        "SELECT 1 FROM events e WHERE NOT EXISTS (SELECT 1 FROM merged_mentions m "
        "WHERE m.event_id = e.event_id) LIMIT 1").fetchone()
    stale = store.conn.execute("SELECT 1 FROM merge_stale LIMIT 1").fetchone()
    if pending or stale:
        with store.transaction():
            merge.update_store(store)


def get_merged_store(store: Store, some_id: str) -> dict[str, Any]:
    """A merged record by its merged id, or the merged record holding an event id."""
    row = store.conn.execute(
        "SELECT g.record FROM merged_events g WHERE g.merged_id = ? UNION ALL "
        "SELECT g.record FROM merged_mentions m JOIN merged_events g ON g.merged_id = m.merged_id "
        "WHERE m.event_id = ? LIMIT 1", (some_id, some_id)).fetchone()
    if row is None:
        raise NotFoundError(f"no merged event or event {some_id!r} in {store.path}")
    return json.loads(row[0])


def get_merged(db_path: str | Path, some_id: str) -> dict[str, Any]:
    """What `tidings show` lists as mentions: the merged event and why each mention joined."""
    with Store.open(db_path, create=False) as store:
        catch_up(store)
        return get_merged_store(store, some_id)


@dataclass
class MergeRun:
    report: merge.UpdateReport
    merged_events: int = 0
    mentions: int = 0
    links: int = 0
    by_sources: dict[int, int] = field(default_factory=dict)


def run_merge(db_path: str | Path, rebuild: bool = False,
              config_path: str | Path | None = None) -> MergeRun:
    """Merge every unmerged mention (or, with `rebuild`, all of them again)."""
    config = merge.MergeConfig.load(config_path) if config_path else None
    with Store.open(db_path, create=False) as store:
        with store.transaction():
            report = (merge.rebuild_store(store, config) if rebuild
                      else merge.update_store(store, None, config))
        conn = store.conn
        run = MergeRun(report=report)
        run.merged_events = conn.execute("SELECT count(*) FROM merged_events").fetchone()[0]
        run.mentions = conn.execute("SELECT count(*) FROM merged_mentions").fetchone()[0]
        run.links = conn.execute("SELECT count(*) FROM merged_links").fetchone()[0]
        run.by_sources = {n: c for n, c in conn.execute(
            "SELECT num_sources, count(*) FROM merged_events GROUP BY num_sources ORDER BY 1")}
        return run
