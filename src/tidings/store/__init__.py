"""The SQLite store: one file, WAL mode, foreign keys on, a migrated schema.

    with Store.open("tidings.db") as store:
        with store.transaction():
            store.put_document(doc)
        page = store.query_events(EventFilter(actor_country="IND"), limit=20)

Articles are keyed by id. Putting an article that is already stored with the same text
replaces nothing (the ingest service skips it as a duplicate); putting one whose text
changed under the same id deletes the old article with its events, entities and quotes
(foreign keys cascade) and stores the new one. All SQL takes parameters; filter values
never become SQL text.
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.document import TidingsDoc
from tidings.errors import NotFoundError, StoreError, UsageError
from tidings.model import Event, Rejection
from tidings.store.migrations import migrate

TABLES = ("articles", "events", "entities", "quotes", "rejections")
MAX_LIMIT = 10_000
# Up to this many events named by the entity filters, a query reads them through the
# entities indexes and sorts them; beyond, it walks the date order probing the sets. A
# date range makes the walk read past every event outside it, so the bound is then
# DATED_FACTOR times higher (measured break-even on 100k events: ~2k and ~15k).
ENTITY_DRIVEN_MAX = 2_500
DATED_FACTOR = 5
MMAP_BYTES = 1 << 30


def text_fingerprint(text: str) -> str:
    """Exact-text hash: a changed text under the same article id is a new version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def date_span(value: str | None) -> tuple[str | None, str | None]:
    """First and last ISO day covered by a record date (day, ISO week, month or year)."""
    if not value:
        return None, None
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            day = dt.date.fromisoformat(value).isoformat()
            return day, day
        if re.fullmatch(r"[0-9]{4}-W[0-9]{2}", value):
            year, week = int(value[:4]), int(value[6:])
            return (dt.date.fromisocalendar(year, week, 1).isoformat(),
                    dt.date.fromisocalendar(year, week, 7).isoformat())
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}", value):
            first = dt.date(int(value[:4]), int(value[5:]), 1)
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first.isoformat(), (following - dt.timedelta(days=1)).isoformat()
        if re.fullmatch(r"[0-9]{4}", value):
            return dt.date(int(value), 1, 1).isoformat(), dt.date(int(value), 12, 31).isoformat()
    except (ValueError, OverflowError):  # a well-formed but impossible date
        pass
    return None, None


@dataclass
class EventFilter:
    """What `query_events` selects. Empty fields select everything; fields combine by AND.

    A list value means any of those (event_type=["ASSAULT", "COERCE"]).
    """

    country: str | None = None  # actor or recipient
    actor_country: str | None = None
    recipient_country: str | None = None
    event_type: str | Sequence[str] | None = None
    mode: str | Sequence[str] | None = None
    status: str | Sequence[str] | None = None
    quad_class: str | Sequence[str] | None = None
    since: dt.date | str | None = None  # events whose date overlaps [since, until]
    until: dt.date | str | None = None
    text: str | None = None  # a substring of the evidence sentence
    article_id: str | None = None
    entity: str | None = None  # an actor or recipient kb_id, or exact name
    actor_entity: str | None = None  # the same, on one side only
    recipient_entity: str | None = None
    certainty: str | Sequence[str] | None = None  # attribution certainty


@dataclass
class EventPage:
    records: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None  # pass back to get the following page; None at the end


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _iso(value: dt.date | str, name: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    start, end = date_span(str(value).strip())
    if start is None:
        raise UsageError(f"--{name} {value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return start if name == "since" else end


def _encode_cursor(sort_key: str, event_id: str) -> str:
    raw = json.dumps([sort_key, event_id]).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_key, event_id = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not (isinstance(sort_key, str) and isinstance(event_id, str)):
            raise ValueError("not two strings")
        return sort_key, event_id
    except (ValueError, TypeError, binascii.Error, UnicodeError) as exc:
        raise UsageError(f"bad cursor {cursor!r}: pass back a next_cursor value") from exc


# Events without a date sort after every dated one.
_SORT_KEY = "coalesce(e.date_start, '9999-12-31')"


class Store:
    """A tidings store file. Use `Store.open`; one instance per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path, schema_version: int):
        self.conn = conn
        self.path = path
        self.schema_version = schema_version
        self._wrote = False

    @classmethod
    def open(cls, path: str | Path, create: bool = True) -> "Store":
        path = Path(path)
        if not create and not path.exists():
            raise StoreError(f"no store at {path}; run `tidings ingest PATH` first "
                             f"(or pass --db / set TIDINGS_DB)")
        try:
            if create and path.parent != Path(""):
                path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, timeout=30.0)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            # Reads through a shared memory map: a server's many per-thread connections
            # then share the OS page cache instead of each warming a private cache.
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            version = migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store {path}: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot create the store {path}: {exc}") from exc
        return cls(conn, path, version)

    def close(self) -> None:
        if self._wrote:  # SQLite's advice: refresh the planner's statistics after writes
            try:
                self.conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """All writes inside commit together or not at all."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to the store {self.path}: {exc}") from exc
        self._wrote = True
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot commit to the store {self.path}: {exc}") from exc

    # -- writing ---------------------------------------------------------------------

    def fingerprints(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Text fingerprints of the given articles that are already stored."""
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):  # stay under SQLite's variable limit
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                    f"SELECT article_id, text_sha256 FROM articles WHERE article_id IN ({marks})",
                    chunk):
                found[row["article_id"]] = row["text_sha256"]
        return found

    def put_document(self, doc: TidingsDoc) -> int:
        """Store an article with its events, entities and quotes, replacing any earlier
        version under the same id. Returns the number of events stored."""
        from tidings import __version__

        article = doc.article
        self.conn.execute("DELETE FROM articles WHERE article_id = ?", (article.id,))
        self.conn.execute(
            "INSERT INTO articles (article_id, date, title, source, url, language, origin, "
            "text, text_sha256, n_sentences, n_events, tidings_version, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (article.id, article.date.isoformat(), article.title, article.source, article.url,
             article.language, article.origin, article.text, text_fingerprint(article.text),
             len(doc.sentences), __version__, _now()))
        stored = sum(self._put_event(event) for event in doc.events)
        for quote in doc.quotes:
            record = quote.to_record()
            speaker = quote.speaker
            self.conn.execute(
                "INSERT OR IGNORE INTO quotes (quote_id, article_id, kind, speaker_name, "
                "speaker_kb_id, speaker_country, cue, content, start, \"end\", record) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (quote.quote_id, article.id, quote.kind,
                 (speaker.name or speaker.text) if speaker else None,
                 speaker.kb_id if speaker else None, speaker.country if speaker else None,
                 quote.cue, quote.content, quote.start, quote.end,
                 json.dumps(record, ensure_ascii=False)))
        self.conn.execute("UPDATE articles SET n_events = ? WHERE article_id = ?",
                          (stored, article.id))
        return stored

    def _put_event(self, event: Event) -> bool:
        record = event.to_record()
        if record["article_id"] != event.article_id:
            raise StoreError(f"event {record['event_id']} names another article")
        date = record["date"] or {}
        start, end = date_span(date.get("value"))
        location = record["location"] or {}
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO events (event_id, article_id, event_type, mode, status, "
            "date_value, date_precision, date_start, date_end, quad_class, score, cameo, "
            "certainty, confidence, location_name, location_country, actor_countries, "
            "recipient_countries, evidence_sentence, trigger, record) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["event_id"], record["article_id"], record["event_type"], record["mode"],
             record["status"], date.get("value"), date.get("precision"), start, end,
             record["quad_class"], record["score"], record["cameo"],
             record["attribution"]["certainty"], record["confidence"],
             location.get("name"), location.get("country"),
             " ".join(e["country"] for e in record["actor"] if e["country"]),
             " ".join(e["country"] for e in record["recipient"] if e["country"]),
             record["evidence"]["sentence"], record["evidence"]["trigger"],
             json.dumps(record, ensure_ascii=False)))
        if cursor.rowcount == 0:  # the same event coded twice: keep the first
            return False
        for role in ("actor", "recipient"):
            for position, entity in enumerate(record[role]):
                self.conn.execute(
                    "INSERT INTO entities (event_id, role, position, text, name, kb_id, "
                    "wikidata, country, sector, office, start, \"end\") "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (record["event_id"], role, position, entity["text"], entity["name"],
                     entity["kb_id"], entity["wikidata"], entity["country"], entity["sector"],
                     entity["office"], entity["start"], entity["end"]))
        return True

    def put_rejection(self, rejection: Rejection) -> None:
        """Record a rejection; the same problem seen again updates its row."""
        now = _now()
        self.conn.execute(
            "INSERT INTO rejections (origin, line, code, reason, article_id, "
            "first_rejected_at, rejected_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (origin, line, code) DO UPDATE SET reason = excluded.reason, "
            "article_id = excluded.article_id, rejected_at = excluded.rejected_at, "
            "times_seen = times_seen + 1",
            (rejection.origin, rejection.line or 0, rejection.code, rejection.reason,
             rejection.article_id, now, now))

    # -- reading ---------------------------------------------------------------------

    def get_event(self, event_id: str) -> dict[str, Any]:
        row = self.conn.execute("SELECT record FROM events WHERE event_id = ?",
                                (event_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no event {event_id!r} in {self.path}")
        return json.loads(row["record"])

    def get_article(self, article_id: str) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT article_id, date, title, source, url, language, origin, text, "
            "n_sentences, n_events, tidings_version, ingested_at FROM articles "
            "WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in {self.path}")
        return dict(row)

    @staticmethod
    def _entity_sets(filters: EventFilter, alias: str = "x") -> list[tuple[str, list[Any]]]:
        """One condition on an entities row (named `alias`) per entity filter, with its
        parameters; each is answered from an entities index alone."""
        sets: list[tuple[str, list[Any]]] = []
        for role, country in (("actor", filters.actor_country),
                              ("recipient", filters.recipient_country)):
            if country:
                sets.append((f"{alias}.country = ? AND {alias}.role = ?",
                             [country.upper(), role]))
        if filters.country:
            sets.append((f"{alias}.country = ?", [filters.country.upper()]))
        if filters.entity:
            sets.append((f"({alias}.kb_id = ? OR {alias}.name = ?)",
                         [filters.entity, filters.entity]))
        for role, entity in (("actor", filters.actor_entity),
                             ("recipient", filters.recipient_entity)):
            if entity:
                sets.append((f"({alias}.kb_id = ? OR {alias}.name = ?) AND {alias}.role = ?",
                             [entity, entity, role]))
        return sets

    def _entity_candidates(self, filters: EventFilter) -> tuple[str, list[Any]] | None:
        """The events every entity filter names, as one SELECT, when there are at most
        ENTITY_DRIVEN_MAX of them (times DATED_FACTOR with a date range), so that reading
        them all beats walking the date order;
        None when the filters name no entity or too many events.

        The smallest set (by an index-only count) drives; the others are probed per
        event through the entities indexes, which beats building them as IN sets."""
        self._reject_nul(filters)
        sets = self._entity_sets(filters)
        if not sets:
            return None
        probes = self._entity_sets(filters, alias="y")
        sizes = [self.conn.execute(f"SELECT count(*) FROM entities x WHERE {condition}",
                                   values).fetchone()[0] for condition, values in sets]
        first, *others = sorted(range(len(sets)), key=sizes.__getitem__)
        driver, params = sets[first]
        select = f"SELECT DISTINCT x.event_id FROM entities x WHERE {driver}"
        for i in others:
            probe, values = probes[i]
            select += (f" AND EXISTS (SELECT 1 FROM entities y WHERE {probe} "
                       f"AND y.event_id = x.event_id)")
            params = params + values
        bound = ENTITY_DRIVEN_MAX * (DATED_FACTOR if filters.since or filters.until else 1)
        if min(sizes) <= bound:
            return select, params
        if len(sets) == 1:  # its entity rows are (nearly) its events: too many
            return None
        found = self.conn.execute(f"SELECT count(*) FROM ({select} LIMIT ?)",
                                  [*params, bound + 1]).fetchone()[0]
        return (select, params) if found <= bound else None

    @staticmethod
    def _reject_nul(filters: EventFilter) -> None:
        for name, value in dataclasses.asdict(filters).items():
            values = value if isinstance(value, (list, tuple)) else [value]
            if any(isinstance(v, str) and "\x00" in v for v in values):
                # SQLite would cut the pattern at the NUL and match everything.
                raise UsageError(f"the {name} filter contains a NUL character")

    def _where(self, filters: EventFilter, with_entities: bool = True
               ) -> tuple[list[str], list[Any]]:
        self._reject_nul(filters)
        clauses: list[str] = []
        params: list[Any] = []

        def any_of(column: str, values: list[str]) -> None:
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)

        # Entity filters are uncorrelated IN sets, built once per query (a correlated
        # EXISTS rescans the country's entities for every event). The unary + keeps SQLite
        # from driving the query by that set and sorting all its matches: walking the
        # page-order index and probing the set stops as soon as a page is full. When the
        # sets are few events, `query_events` drives the query from them instead.
        if with_entities:
            for condition, values in self._entity_sets(filters):
                clauses.append(f"+e.event_id IN (SELECT x.event_id FROM entities x "
                               f"WHERE {condition})")
                params.extend(values)
        any_of("e.event_type", [v.upper() for v in _as_list(filters.event_type)])
        any_of("e.mode", _as_list(filters.mode))
        any_of("e.status", _as_list(filters.status))
        any_of("e.quad_class", _as_list(filters.quad_class))
        any_of("e.certainty", _as_list(filters.certainty))
        # Date ranges are also stated on the page-order key, so the index scan is bounded:
        # no record date spans more than a year, so an overlap starts at most 366 days early.
        if filters.since:
            since = _iso(filters.since, "since")
            first_day = dt.date.fromisoformat(since)
            earliest = (first_day - min(first_day - dt.date.min, dt.timedelta(days=366))
                        ).isoformat()
            clauses.append(f"e.date_end >= ? AND {_SORT_KEY} >= ?")
            params.extend([since, earliest])
        if filters.until:
            clauses.append(f"{_SORT_KEY} <= ?")
            params.append(_iso(filters.until, "until"))
        if filters.text:
            escaped = (filters.text.replace("\\", "\\\\").replace("%", "\\%")
                       .replace("_", "\\_"))
            clauses.append("e.evidence_sentence LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        if filters.article_id:
            clauses.append("e.article_id = ?")
            params.append(filters.article_id)
        return clauses, params

    def query_events(self, filters: EventFilter | None = None, limit: int = 100,
                     cursor: str | None = None, newest_first: bool = False) -> EventPage:
        """One page of matching records in date order (then event id), with a keyset
        cursor for the next page, so deep pages cost no more than the first."""
        if not 1 <= limit <= MAX_LIMIT:
            raise UsageError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        filters = filters or EventFilter()
        candidates = self._entity_candidates(filters)
        clauses, params = self._where(filters, with_entities=candidates is None)
        direction, compare = ("DESC", "<") if newest_first else ("ASC", ">")
        if cursor:
            sort_key, event_id = _decode_cursor(cursor)
            clauses.append(f"({_SORT_KEY}, e.event_id) {compare} (?, ?)")
            params.extend([sort_key, event_id])
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        source = "events e"
        if candidates is not None:  # CROSS JOIN: SQLite keeps the candidates outermost
            source = f"({candidates[0]}) c CROSS JOIN events e ON e.event_id = c.event_id"
            params = [*candidates[1], *params]
        # The page's keys first, its records after (by rowid, which every index entry
        # holds): sorting the candidates then carries no record JSON, and only the page's
        # records are read.
        rows = self.conn.execute(
            f"SELECT r.record, p.sort_key, p.event_id FROM (SELECT e.rowid AS row_number, "
            f"e.event_id, {_SORT_KEY} AS sort_key FROM {source} {where} ORDER BY sort_key "
            f"{direction}, e.event_id {direction} LIMIT ?) p CROSS JOIN events r "
            f"ON r.rowid = p.row_number ORDER BY p.sort_key {direction}, p.event_id {direction}",
            [*params, limit + 1]).fetchall()
        page = EventPage(records=[json.loads(row["record"]) for row in rows[:limit]])
        if len(rows) > limit:
            last = rows[limit - 1]
            page.next_cursor = _encode_cursor(last["sort_key"], last["event_id"])
        return page

    def count_events(self, filters: EventFilter | None = None) -> int:
        clauses, params = self._where(filters or EventFilter())
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return self.conn.execute(f"SELECT count(*) FROM events e {where}", params).fetchone()[0]

    def network_edges(self, filters: EventFilter | None = None, level: str = "country",
                      directed: bool = True) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """Who acts on whom among the matching events, aggregated in SQL rather than over
        every record of the period: one row per (source, target) with `events` (distinct),
        `sources` (actor-recipient pairs), `score_sum` and `score_mean`, in that key order;
        and each node's label (a country's is itself; an entity's its commonest name, ties:
        the first in order). The rules are those of
        `tidings.analysis.actor_network` on event records: a party is its country (actor
        without one: "?") or, at entity level, its kb id or else its name, text, country;
        pairs without a recipient country (at country level) or of one party are left out;
        undirected edges run from the smaller key to the larger."""
        if level not in ("country", "entity"):
            raise UsageError(f"unknown level {level!r}: use 'country' or 'entity'")
        clauses, params = self._where(filters or EventFilter())
        where = f"AND {' AND '.join(clauses)}" if clauses else ""

        def label(side: str) -> str:
            return (f"coalesce(nullif({side}.name, ''), nullif({side}.text, ''), "
                    f"nullif({side}.country, ''), '?')")

        if level == "country":
            source, target = "coalesce(nullif(a.country, ''), '?')", "r.country"
        else:
            source = f"coalesce(nullif(a.kb_id, ''), {label('a')})"
            target = f"coalesce(nullif(r.kb_id, ''), {label('r')})"
        swap = "(? = 0 AND s > t)"
        pairs = (
            f"WITH kept AS (SELECT e.event_id, e.score, {source} AS s, {target} AS t, "
            f"{label('a')} AS s_label, {label('r')} AS t_label FROM events e "
            f"JOIN entities a ON a.event_id = e.event_id AND a.role = 'actor' "
            f"JOIN entities r ON r.event_id = e.event_id AND r.role = 'recipient' "
            f"WHERE 1 {where}), "
            f"pairs AS (SELECT event_id, score, "
            f"CASE WHEN {swap} THEN t ELSE s END AS source, "
            f"CASE WHEN {swap} THEN s ELSE t END AS target, "
            f"CASE WHEN {swap} THEN t_label ELSE s_label END AS source_label, "
            f"CASE WHEN {swap} THEN s_label ELSE t_label END AS target_label "
            f"FROM kept WHERE t IS NOT NULL AND s != t) ")
        pair_params = [*params, *[int(directed)] * 4]
        edges = [dict(row) for row in self.conn.execute(
            pairs + "SELECT source, target, count(DISTINCT event_id) AS events, "
            "count(*) AS sources, total(score) AS score_sum, avg(score) AS score_mean "
            "FROM pairs GROUP BY source, target ORDER BY source, target", pair_params)]
        labels: dict[str, str] = {}
        if level == "country":  # a country is its own label
            return edges, {row["source"]: row["source"] for row in edges} | {
                row["target"]: row["target"] for row in edges}
        for row in self.conn.execute(
                pairs + "SELECT id, label, count(*) AS n FROM (SELECT source AS id, "
                "source_label AS label FROM pairs UNION ALL SELECT target, target_label "
                "FROM pairs) GROUP BY id, label ORDER BY id, n DESC, label", pair_params):
            labels.setdefault(row["id"], row["label"])
        return edges, labels

    def dyad_period_counts(self, a: str, b: str, by: str = "week", directed: bool = True,
                           since: str | None = None, until: str | None = None
                           ) -> list[dict[str, Any]]:
        """Events of countries `a` acting on `b` (and, undirected, `b` on `a`), counted in
        SQL per period start (day; week from Monday; month) and quad class, with the sum
        and count of their scores. Each event counts once; undated events are left out."""
        starts = {"day": "e.date_start", "week": "date(e.date_start, '-6 days', 'weekday 1')",
                  "month": "strftime('%Y-%m-01', e.date_start)"}
        if by not in starts:
            raise UsageError(f"unknown period {by!r}: use day, week or month")
        clauses, params = self._where(EventFilter(since=since, until=until))
        side = ("EXISTS (SELECT 1 FROM entities x WHERE x.country = ? AND x.role = ? "
                "AND x.event_id = e.event_id)")
        dyad = f"({side} AND {side})"
        dyad_params = [a.upper(), "actor", b.upper(), "recipient"]
        if not directed:
            dyad = f"({dyad} OR ({side} AND {side}))"
            dyad_params += [b.upper(), "actor", a.upper(), "recipient"]
        directions = [(a, b)] if directed else [(a, b), (b, a)]
        found = [self._entity_candidates(EventFilter(actor_country=actor,
                                                     recipient_country=recipient))
                 for actor, recipient in directions]
        source = "events e"
        if all(found):  # few events can be the dyad's: start from them
            union = " UNION ".join(select for select, _ in found)
            source = f"({union}) c CROSS JOIN events e ON e.event_id = c.event_id"
            params = [*(v for _, values in found for v in values), *params]
        where = " AND ".join([*clauses, "e.date_start IS NOT NULL", dyad])
        return [dict(row) for row in self.conn.execute(
            f"SELECT {starts[by]} AS start, e.quad_class, count(*) AS events, "
            f"total(e.score) AS score_sum, count(e.score) AS scored FROM {source} "
            f"WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2", [*params, *dyad_params])]

    def counts(self) -> dict[str, int]:
        """Rows per table: what `tidings ingest` reports and idempotency tests compare."""
        return {table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in TABLES}

    def rejections(self, limit: int = 100, code: str | None = None,
                   origin: str | None = None) -> list[dict[str, Any]]:
        """Recorded rejections, most recent first."""
        clauses, params = [], []
        if code:
            clauses.append("code = ?")
            params.append(code.upper())
        if origin:
            clauses.append("origin = ?")
            params.append(origin)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.conn.execute(
            f"SELECT origin, line, code, reason, article_id, first_rejected_at, rejected_at, "
            f"times_seen FROM rejections {where} ORDER BY rejected_at DESC, origin, line "
            f"LIMIT ?", [*params, limit]).fetchall()
        out = []
        for row in rows:
            item = dict(row)
            item["line"] = item["line"] or None
            out.append(item)
        return out

    def quotes(self, article_id: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        if article_id:
            rows = self.conn.execute("SELECT record FROM quotes WHERE article_id = ? "
                                     "ORDER BY start LIMIT ?", (article_id, limit))
        else:
            rows = self.conn.execute("SELECT record FROM quotes ORDER BY article_id, start "
                                     "LIMIT ?", (limit,))
        return [json.loads(row["record"]) for row in rows]


__all__ = ["Store", "EventFilter", "EventPage", "TABLES", "date_span", "text_fingerprint"]
