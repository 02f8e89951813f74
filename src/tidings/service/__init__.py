"""The one service layer that the Python API, the CLI and the HTTP API all call.

Each module here owns one area (ingest and query, knowledge base, analyses, ...).
Interfaces stay thin: they parse arguments, call a function here, and format the result.
"""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "tidings.db"
DB_ENV = "TIDINGS_DB"


def resolve_db_path(explicit: str | Path | None = None) -> Path:
    """`--db PATH`, else $TIDINGS_DB, else tidings.db in the working directory."""
    if explicit:
        return Path(explicit)
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    return Path.cwd() / DEFAULT_DB
