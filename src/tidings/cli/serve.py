"""`tidings serve`: the HTTP API and the dashboard on the store, via uvicorn.

The write token comes from $TIDINGS_TOKEN or --token-file; without either, the server
is read-only and its write endpoints answer 403.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

import typer

from tidings.cli import app, db_path, state
from tidings.errors import UsageError
from tidings.http.app import DEFAULT_MAX_BODY_BYTES

TOKEN_ENV = "TIDINGS_TOKEN"
MIN_TOKEN_CHARS = 16


def read_token(token_file: Optional[Path]) -> Optional[str]:
    """The write token: the file's first line if given, else $TIDINGS_TOKEN, else None."""
    if token_file is not None:
        try:
            token = token_file.read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the token file {token_file}: {exc}") from exc
        if not token:
            raise UsageError(f"the token file {token_file} is empty")
    else:
        token = os.environ.get(TOKEN_ENV, "").strip() or None
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise UsageError(f"the write token must be at least {MIN_TOKEN_CHARS} characters")
    return token


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    db: Optional[str] = typer.Option(None, "--db", help="SQLite store path (else $TIDINGS_DB, "
                                                        "else ./tidings.db)."),
    token_file: Optional[Path] = typer.Option(
        None, "--token-file", help=f"File holding the write token (else ${TOKEN_ENV}); "
                                   "without a token, writes are off."),
    max_body_bytes: int = typer.Option(DEFAULT_MAX_BODY_BYTES, "--max-body-bytes", min=1,
                                       help="Refuse request bodies larger than this (413)."),
    cors_origin: list[str] = typer.Option(
        [], "--cors-origin", help="Allow this origin to call the API from a browser "
                                  "(repeatable; CORS is off by default)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Server processes; more than one uses more cores."),
) -> None:
    """Serve the HTTP API (OpenAPI schema at /openapi.json) and the dashboard at /."""
    import uvicorn

    from tidings.store import Store

    if db:
        state.db = db
    settings = {"db_path": str(db_path()), "token": read_token(token_file),
                "max_body_bytes": max_body_bytes, "cors_origins": cors_origin or None}
    # Create or migrate the store once, here, so worker processes never race to do it.
    Store.open(settings["db_path"]).close()
    typer.echo(f"tidings serve: store {settings['db_path']}, writes "
               f"{'on' if settings['token'] else 'off'}, http://{host}:{port}/", err=True)
    options = {"host": host, "port": port, "log_level": "warning", "server_header": False}
    if workers == 1:
        uvicorn.run(_app(settings), **options)
        return
    # Worker processes import the app by name, so they read the settings from the
    # environment this process hands them (the token too: it never goes on a command line).
    os.environ[SETTINGS_ENV] = json.dumps(settings)
    uvicorn.run(f"{__name__}:app_from_environment", factory=True, workers=workers, **options)


SETTINGS_ENV = "TIDINGS_SERVE_SETTINGS"


def _app(settings: dict):
    from tidings.http import create_app

    return create_app(**settings)


def app_from_environment():
    """The app of one worker process of `tidings serve --workers N`."""
    return _app(json.loads(os.environ[SETTINGS_ENV]))
