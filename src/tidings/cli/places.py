"""`tidings places FILE...`: the toponyms of each article and the evidence for each."""
from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tidings.cli import app
from tidings.errors import NothingIngestedError
from tidings.model import Rejection
from tidings.service.places import ArticlePlaces, geoparse

stdout = Console(soft_wrap=True, emoji=False)
PIPED_WIDTH = 200


class PlacesFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


def _resolution(location: dict[str, Any] | None) -> str:
    if location is None:
        return "(unresolved)"
    parts = [location["name"], location.get("admin1"), location.get("country")]
    where = ", ".join(p for p in parts if p)
    return (f"{where} [{location['precision']}] ({location['lat']:.4f}, {location['lon']:.4f})"
            f" geonames:{location['geonameid'] or '-'}")


def _table(report: ArticlePlaces, include_unresolved: bool) -> Table:
    table = Table(title=f"{report.origin or report.article_id}", title_justify="left",
                  show_lines=True)
    for column in ("text", "offsets", "role", "resolution", "score", "rule", "sentence"):
        table.add_column(column, overflow="fold")
    for place in report.places:
        if place["location"] is None and not include_unresolved:
            continue
        table.add_row(escape(place["text"]), f"{place['start']}-{place['end']}", place["role"],
                      escape(_resolution(place["location"])), f"{place['score']:.2f}",
                      escape(place["rule"]), escape(place["sentence"] or ""))
    return table


def _events_table(report: ArticlePlaces) -> Table:
    table = Table(title="event locations", title_justify="left", show_lines=True)
    for column in ("event", "trigger", "location", "rule", "sentence"):
        table.add_column(column, overflow="fold")
    for item in report.event_locations:
        table.add_row(item["event_type"], escape(item["trigger"]),
                      escape(_resolution(item["location"])), escape(item["rule"] or ""),
                      escape(item["sentence"]))
    return table


@app.command()
def places(paths: list[str] = typer.Argument(..., help="Files, folders, or - for stdin."),
           output: PlacesFormat = typer.Option(PlacesFormat.table, "--format",
                                               help="table (default) or jsonl."),
           include_unresolved: bool = typer.Option(True, "--unresolved/--resolved-only",
                                                   help="Also list names no place fits.")
           ) -> None:
    """List the places found in each article with their evidence: text, offsets, sentence,
    resolution, score and rule; then the location given to each event.

    Rejections go to stderr. Exit code 7 when every input was rejected.
    """
    console = stdout if stdout.is_terminal else Console(emoji=False, width=PIPED_WIDTH)
    read = 0
    for item in geoparse(paths):
        if isinstance(item, Rejection):
            print(f"rejected {item.where()} {item.code} {item.reason}", file=sys.stderr)
            continue
        read += 1
        if output is PlacesFormat.jsonl:
            sys.stdout.write(json.dumps(item.to_record(), ensure_ascii=False) + "\n")
            continue
        console.print(_table(item, include_unresolved))
        if item.event_locations:
            console.print(_events_table(item))
    sys.stdout.flush()
    if read == 0:
        raise NothingIngestedError("no article was read")
