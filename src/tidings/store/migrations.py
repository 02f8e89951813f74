"""Versioned schema: numbered SQL files in `migrations/`, applied in order.

Adding a migration is dropping a file `NNN_what.sql` into that folder. Each pending file
runs in its own transaction together with its `schema_version` row, so a failed
migration leaves the store at the previous version.
"""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from tidings.errors import StoreError

_NAME = re.compile(r"(\d{3})_([A-Za-z0-9_]+)\.sql\Z")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    folder = resources.files("tidings.store").joinpath("migrations")
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise StoreError(f"two migrations share number {version:03d}: "
                             f"{found[version].name} and {match.group(2)}")
        found[version] = Migration(version, match.group(2), entry.read_text("utf-8"))
    return [found[v] for v in sorted(found)]


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                 "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every pending migration; return the schema version now in force."""
    version = current_version(conn)
    migrations = available_migrations()
    known = migrations[-1].version if migrations else 0
    if version > known:
        raise StoreError(f"the store has schema version {version}, newer than this tidings "
                         f"knows ({known}); upgrade tidings")
    for migration in migrations:
        if migration.version <= version:
            continue
        applied_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            # The script's own BEGIN keeps its transaction open for the version row.
            conn.executescript(f"BEGIN;\n{migration.sql}")
            conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                         (migration.version, migration.name, applied_at))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.rollback()
            raise StoreError(f"migration {migration.version:03d}_{migration.name} failed: "
                             f"{exc}") from exc
        version = migration.version
    return version
