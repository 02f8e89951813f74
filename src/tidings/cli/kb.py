"""`tidings kb check|search|show|add` and `tidings actors resolve`: thin layers over service.kb.

Exit codes: 0 fine; 3 (ConfigError) when `kb check` finds problems or an addition would
break the knowledge base; 2 for bad arguments; 5 when an id is not found.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from tidings.cli import app
from tidings.errors import ConfigError, UsageError
from tidings.service import kb as service

kb_app = typer.Typer(no_args_is_help=True, help="Check, search and extend the knowledge base of actors.")
add_app = typer.Typer(no_args_is_help=True, help="Add an entry to a user knowledge-base file "
                                                 "(--file PATH, else the first path in $TIDINGS_KB).")
actors_app = typer.Typer(no_args_is_help=True, help="Explain how actors are resolved.")
app.add_typer(kb_app, name="kb")
kb_app.add_typer(add_app, name="add")
app.add_typer(actors_app, name="actors")

console = Console(soft_wrap=True, emoji=False, highlight=False)
FileOption = typer.Option(None, "--file", help="The user KB file to write (else the first path in $TIDINGS_KB).")


def _day(value: Optional[str]) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"--date must be YYYY-MM-DD, not {value!r}") from exc


@kb_app.command("check")
def check(files: Optional[List[str]] = typer.Argument(
              None, help="User KB files to check with the shipped ones (default: $TIDINGS_KB)."),
          only: bool = typer.Option(False, "--only", help="Check the given files alone, without the shipped KB.")) -> None:
    """Validate the knowledge base: dates, overlapping tenures, duplicate ids, unknown codes."""
    report = service.check_kb(files, with_shipped=not only)
    for problem in report.problems:
        typer.echo(str(problem))
    counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
    if report.ok:
        typer.echo(f"kb check: ok ({counts}) in {len(report.files)} file(s)")
        return
    raise ConfigError(f"kb check: {len(report.problems)} problem(s) in {len(report.files)} file(s)")


@kb_app.command("search")
def search(query: str, date: Optional[str] = typer.Option(None, "--date", help="Offices held on this date."),
           limit: int = typer.Option(20, "--limit"), as_json: bool = typer.Option(False, "--json")) -> None:
    """Find people, organisations and countries by name or alias."""
    rows = service.search_actors(query, _day(date), limit)
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table("kb_id", "type", "name", "country", "sector", "office")
    for row in rows:
        table.add_row(*(str(row.get(k) or "") for k in ("kb_id", "type", "name", "country", "sector", "office")))
    console.print(table)


@kb_app.command("show")
def show(kb_id: str, date: Optional[str] = typer.Option(None, "--date")) -> None:
    """Print one KB entry with its tenures, as JSON."""
    typer.echo(json.dumps(service.get_actor(kb_id, _day(date)), ensure_ascii=False, indent=2))


@add_app.command("person")
def add_person(person_id: str = typer.Option(..., "--id", help="Lower-case hyphenated id, e.g. jane-doe."),
               name: Optional[str] = typer.Option(None, "--name"),
               country: Optional[str] = typer.Option(None, "--country", help="ISO-3 or PLOVER non-state code."),
               office: Optional[str] = typer.Option(None, "--office", help="Office id, e.g. IND.defence."),
               start: Optional[str] = typer.Option(None, "--start", help="Tenure start YYYY-MM-DD."),
               end: Optional[str] = typer.Option(None, "--end", help="Tenure end YYYY-MM-DD (omit if in office)."),
               gender: Optional[str] = typer.Option(None, "--gender", help="m or f (for pronouns)."),
               wikidata: Optional[str] = typer.Option(None, "--wikidata", help="QID, e.g. Q1058."),
               alias: Optional[List[str]] = typer.Option(None, "--alias", help="Another name; repeatable."),
               sector: Optional[str] = typer.Option(None, "--sector", help="Sector when holding no office."),
               file: Optional[str] = FileOption) -> None:
    """Add a person, or a tenure to a person already known (the overlay entry then replaces it)."""
    result = service.add_person(person_id, name, country, office, start, end, gender, wikidata,
                                list(alias or []), sector, file)
    typer.echo(f"added {person_id} to {result['file']}")


@add_app.command("office")
def add_office(office_id: str = typer.Option(..., "--id", help="COUNTRY.name, e.g. IND.space."),
               title: str = typer.Option(..., "--title"),
               kind: Optional[List[str]] = typer.Option(None, "--kind", help="Office kind, e.g. defence; repeatable."),
               alias: Optional[List[str]] = typer.Option(None, "--alias", help="Title words news uses; repeatable."),
               sector: str = typer.Option("GOV", "--sector"),
               file: Optional[str] = FileOption) -> None:
    """Add or replace an office."""
    result = service.add_office(office_id, title, list(kind or []), list(alias or []), sector, file)
    typer.echo(f"added {office_id} to {result['file']}")


@actors_app.command("resolve")
def resolve(text: str = typer.Argument(..., help="A passage; its mentions are resolved."),
            date: str = typer.Option(..., "--date", help="The article date, YYYY-MM-DD."),
            span: Optional[str] = typer.Option(None, "--span", help="Resolve only this phrase of the text."),
            as_json: bool = typer.Option(False, "--json")) -> None:
    """Explain how each actor mention of TEXT resolves on DATE, with the rule behind every field."""
    rows = service.resolve_text(text, _day(date), span)
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(f"{row['text']!r} [{row['start']}:{row['end']}]")
        for key in ("name", "kb_id", "wikidata", "country", "sector", "office"):
            if row.get(key) is not None:
                typer.echo(f"  {key:8} {row[key]:<28} <- {row['provenance'].get(key, '')}")


@actors_app.command("evaluate")
def evaluate(gold: str = typer.Argument("eval/actors.jsonl", help="Labelled actor mentions (JSON Lines)."),
             errors: bool = typer.Option(False, "--errors", help="Also print every wrong field.")) -> None:
    """Country, sector, kb_id and office accuracy of the resolver on labelled mentions."""
    from pathlib import Path

    from tidings.resolve.evaluate import evaluate as run

    report = run(Path(gold), show_errors=errors)
    typer.echo("\n".join(report.lines()))
    for error in report.errors:
        typer.echo(json.dumps(error, ensure_ascii=False))
