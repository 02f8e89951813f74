"""The `tidings` command line: a thin layer whose commands each call the service layer.

Command modules in this package register themselves on `app` when imported; every
module here is imported by `main`, so a new command is a new module and nothing else.
Errors from `tidings.errors` become a one-line message and the documented exit code.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path
from typing import Optional

import typer

from tidings.errors import TidingsError
from tidings.service import resolve_db_path

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn dated news articles into explainable PLOVER event records.")


class State:
    db: Optional[str] = None


state = State()


@app.callback()
def _global(db: Optional[str] = typer.Option(
        None, "--db", help="SQLite store path (else $TIDINGS_DB, else ./tidings.db).")) -> None:
    state.db = db


def db_path() -> Path:
    """The store path every store-touching command uses."""
    return resolve_db_path(state.db)


def _load_commands() -> None:
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


def main() -> None:
    _load_commands()
    try:
        app(standalone_mode=False)
    except TidingsError as exc:
        typer.echo(f"error {exc}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, (click.ClickException, typer.TyperException)):  # typer vendors click
            exc.show()
            sys.exit(2)
        raise
