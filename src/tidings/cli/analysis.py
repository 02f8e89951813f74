"""Merged events, analyses and exports: `tidings merge`, `merged`, `mentions`, `timeline`,
`dyad`, `network`, `top`, `plot dyad`, `export`. Each calls `tidings.service.merged` or
`tidings.service.analysis` and only formats the result.
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tidings.cli import app, db_path, state
from tidings.merge import certainty_of
from tidings.service import analysis as service
from tidings.service import merged as merged_service

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)

DbOption = typer.Option(None, "--db", help="SQLite store path (else $TIDINGS_DB, else "
                                             "./tidings.db); same as the global --db.")
SinceOption = typer.Option(None, "--since", help="From this date (YYYY-MM-DD, YYYY-MM, YYYY).")
UntilOption = typer.Option(None, "--until", help="Up to this date.")


class TableFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class Period(str, Enum):
    day = "day"
    week = "week"
    month = "month"


class Unit(str, Enum):
    event = "event"
    mention = "mention"


class Level(str, Enum):
    country = "country"
    entity = "entity"


class ExportFormat(str, Enum):
    plover = "plover"
    gdelt = "gdelt"
    csv = "csv"
    parquet = "parquet"


def _use_db(db: Optional[str]) -> None:
    if db:
        state.db = db


def _print_frame(frame: pd.DataFrame, output: TableFormat, title: str = "") -> None:
    if output is TableFormat.jsonl:
        for line in frame.to_json(orient="records", lines=True, date_format="iso",
                                  force_ascii=False).splitlines():
            sys.stdout.write(line + "\n")
    elif output is TableFormat.csv:
        frame.to_csv(sys.stdout, index=False, date_format="%Y-%m-%d")
    else:
        table = Table(title=title or None, header_style="bold")
        for column in frame.columns:
            table.add_column(str(column), overflow="fold")
        for row in frame.itertuples(index=False):
            table.add_row(*(escape(_cell(v)) for v in row))
        stdout.print(table)
        stderr.print(f"{len(frame)} rows", highlight=False)
    sys.stdout.flush()


def _cell(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@app.command("merge")
def merge_command(db: Optional[str] = DbOption,
                  rebuild: bool = typer.Option(False, "--rebuild",
                                               help="Forget all merges and merge again "
                                                    "(after editing the merge config)."),
                  config: Optional[str] = typer.Option(None, "--config",
                                                       help="A merge config YAML (default: "
                                                            "data/merge.yaml).")) -> None:
    """Merge stored event mentions into one record per real event (incremental)."""
    _use_db(db)
    run = merged_service.run_merge(db_path(), rebuild=rebuild, config_path=config)
    r = run.report
    spread = ", ".join(f"{n} source{'s' if n != 1 else ''}: {c}" for n, c in run.by_sources.items())
    stdout.print(f"merged {r.mentions} mentions ({r.merged_into_existing} into existing events, "
                 f"{r.new_events} new events); store holds {run.merged_events} merged events "
                 f"from {run.mentions} mentions, {run.links} planned->occurred links"
                 + (f"\nevents by number of sources: {spread}" if spread else ""),
                 highlight=False)


MERGED_TABLE_COLUMNS = ("date", "event_type", "status", "actor", "recipient", "num_mentions",
                        "num_sources", "num_articles", "certainty", "id")


@app.command("merged")
def merged_command(db: Optional[str] = DbOption,
                   country: Optional[str] = typer.Option(None, "--country"),
                   actor_country: Optional[str] = typer.Option(None, "--actor-country"),
                   recipient_country: Optional[str] = typer.Option(None, "--recipient-country"),
                   event_type: Optional[str] = typer.Option(None, "--type"),
                   status: Optional[str] = typer.Option(None, "--status"),
                   min_sources: Optional[int] = typer.Option(None, "--min-sources", min=1),
                   since: Optional[str] = SinceOption, until: Optional[str] = UntilOption,
                   limit: int = typer.Option(50, "--limit", min=1, max=10_000),
                   cursor: Optional[str] = typer.Option(None, "--cursor"),
                   output: TableFormat = typer.Option(TableFormat.table, "--format")) -> None:
    """List merged events (one per real event) with num_mentions, num_sources, num_articles
    and, in JSON Lines, every mention."""
    _use_db(db)
    split = (lambda v: [p.strip() for p in v.split(",") if p.strip()] if v else None)
    page = merged_service.query_merged(
        db_path(), limit=limit, cursor=cursor, country=country, actor_country=actor_country,
        recipient_country=recipient_country, event_type=split(event_type),
        status=split(status), min_sources=min_sources, since=since, until=until)
    if output is TableFormat.jsonl:
        for record in page.records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        from tidings.export import event_row

        frame = pd.DataFrame([event_row(r) for r in page.records],
                             columns=list(MERGED_TABLE_COLUMNS if output is TableFormat.table
                                          else event_row({}).keys()))
        _print_frame(frame, output)
    if page.next_cursor:
        print(f"more: --cursor {page.next_cursor}", file=sys.stderr)


@app.command("mentions")
def mentions_command(some_id: str = typer.Argument(..., help="A merged id (me_...) or an "
                                                             "event id (ev_...)."),
                     db: Optional[str] = DbOption,
                     as_json: bool = typer.Option(False, "--json")) -> None:
    """The merged event holding an event: every mention and why it was merged."""
    _use_db(db)
    record = merged_service.get_merged(db_path(), some_id)
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return
    print_merged(record)


def _print_wide(renderable) -> None:
    """Tables piped to a file or pager are not folded to rich's default of 80 columns."""
    from tidings.cli.core import PIPED_WIDTH

    if stdout.is_terminal:
        stdout.print(renderable)
    else:
        Console(width=max(stdout.width, PIPED_WIDTH)).print(renderable)


def print_merged(record: dict) -> None:
    """A merged event, its links, and a table of its mentions with why each joined
    (also what `tidings show` prints under an event)."""
    date = (record.get("date") or {}).get("value") or "-"
    combined = certainty_of(record)
    stdout.print(f"[bold]{record['merged_id']}[/bold] {record['event_type']} "
                 f"{escape(record['mode'] or '')} {record['status']} on {date}: "
                 f"{record['num_mentions']} mentions, {record['num_sources']} sources, "
                 f"{record['num_articles']} articles; combined certainty {combined['certainty']} "
                 f"({combined['confidence']})"
                 + (f", denied by {', '.join(combined['denied_by'])}"
                    if combined["denied_by"] else ""))
    for link in record.get("linked") or []:
        stdout.print(f"{link['relation'].replace('_', ' ')} {link['merged_id']} "
                     f"(score {link['score']})", highlight=False)
    table = Table(header_style="bold")
    for column in ("event id", "article", "outlet", "status", "certainty", "evidence", "why"):
        table.add_column(column, overflow="fold")
    for m in record["mentions"]:
        table.add_row(m["event_id"], escape(str(m["article_id"])), escape(m["outlet"] or "-"),
                      m["status"], (m.get("attribution") or {}).get("certainty") or "-",
                      escape((m.get("evidence") or {}).get("sentence") or ""), escape(m["why"]))
    _print_wide(table)


@app.command()
def timeline(actor: str = typer.Argument(..., help="Country (ISO-3), kb id or name."),
             other: Optional[str] = typer.Argument(None, help="A second party: the dyad."),
             db: Optional[str] = DbOption, since: Optional[str] = SinceOption,
             until: Optional[str] = UntilOption,
             unit: Unit = typer.Option(Unit.event, "--unit",
                                       help="Merged events, or raw mentions."),
             output: TableFormat = typer.Option(TableFormat.table, "--format")) -> None:
    """An actor's (or a dyad's) events in date order, with their evidence."""
    _use_db(db)
    frame = service.timeline(db_path(), actor, other, since=since, until=until,
                             unit=unit.value)
    columns = ["date", "event_type", "mode", "status", "actor", "recipient", "num_sources",
               "certainty", "evidence", "id"]
    _print_frame(frame[columns] if output is TableFormat.table else frame, output,
                 title=f"timeline of {actor}" + (f" and {other}" if other else ""))


@app.command()
def dyad(a: str = typer.Argument(..., help="First party (country, kb id or name)."),
         b: str = typer.Argument(..., help="Second party."),
         db: Optional[str] = DbOption, by: Period = typer.Option(Period.week, "--by"),
         undirected: bool = typer.Option(False, "--undirected",
                                         help="Count both directions (default: A acting on B)."),
         since: Optional[str] = SinceOption, until: Optional[str] = UntilOption,
         unit: Unit = typer.Option(Unit.event, "--unit"),
         output: TableFormat = typer.Option(TableFormat.table, "--format")) -> None:
    """Per period: events per quad class, and the sum and mean of PLOVER scores."""
    _use_db(db)
    frame = service.dyad_series(db_path(), a, b, by=by.value, directed=not undirected,
                                since=since, until=until, unit=unit.value)
    _print_frame(frame.drop(columns=["start"]) if output is TableFormat.table else frame,
                 output, title=f"{a} {'<->' if undirected else '->'} {b} per {by.value}")


@app.command()
def network(db: Optional[str] = DbOption, since: Optional[str] = SinceOption,
            until: Optional[str] = UntilOption,
            level: Level = typer.Option(Level.country, "--level",
                                        help="Nodes are countries or entities."),
            undirected: bool = typer.Option(False, "--undirected"),
            out: Optional[Path] = typer.Option(None, "--out",
                                               help="Write .graphml or .json; else a table."),
            unit: Unit = typer.Option(Unit.event, "--unit")) -> None:
    """The actor network of a period: edges weighted by events and scores."""
    _use_db(db)
    from tidings.analysis import network_graphml, network_json
    from tidings.errors import UsageError

    graph = service.actor_network(db_path(), level=level.value, since=since, until=until,
                                  directed=not undirected, unit=unit.value)
    if out is None:
        _print_frame(graph.edges, TableFormat.table, title="edges")
        return
    if out.suffix.lower() == ".graphml":
        out.write_text(network_graphml(graph), "utf-8")
    elif out.suffix.lower() == ".json":
        out.write_text(network_json(graph), "utf-8")
    else:
        raise UsageError(f"--out must end in .graphml or .json, not {out.name!r}")
    stdout.print(f"wrote {out}: {len(graph.nodes)} nodes, {len(graph.edges)} edges",
                 highlight=False)


@app.command()
def top(db: Optional[str] = DbOption, since: Optional[str] = SinceOption,
        until: Optional[str] = UntilOption, n: int = typer.Option(10, "--n", min=1),
        output: TableFormat = typer.Option(TableFormat.table, "--format")) -> None:
    """The period's events with the most sources."""
    _use_db(db)
    frame = service.top_events(db_path(), n, since=since, until=until)
    columns = ["num_sources", "num_mentions", "date", "event_type", "status", "actor",
               "recipient", "evidence", "id"]
    _print_frame(frame[columns] if output is TableFormat.table else frame, output,
                 title="top events by sources")


plot_app = typer.Typer(help="Charts of the analyses (needs the 'plot' extra: matplotlib).",
                       no_args_is_help=True)
app.add_typer(plot_app, name="plot")


@plot_app.command("dyad")
def plot_dyad(a: str = typer.Argument(...), b: str = typer.Argument(...),
              db: Optional[str] = DbOption, by: Period = typer.Option(Period.week, "--by"),
              directed: bool = typer.Option(False, "--directed",
                                            help="Only A acting on B (default: both ways)."),
              since: Optional[str] = SinceOption, until: Optional[str] = UntilOption,
              out: Optional[Path] = typer.Option(None, "--out",
                                                 help="A .png or .svg file (default: "
                                                      "dyad_A_B_by.png).")) -> None:
    """Write the cooperation-conflict series of a dyad as PNG or SVG."""
    _use_db(db)
    target = out or Path(f"dyad_{a}_{b}_{by.value}.png")
    path = service.plot_dyad(db_path(), a, b, target, by=by.value, directed=directed,
                             since=since, until=until)
    stdout.print(f"wrote {path}", highlight=False)


@app.command("export")
def export_command(fmt: ExportFormat = typer.Option(..., "--format"),
                   out: Path = typer.Option(Path("export"), "--out",
                                            help="Folder for events.* and mentions.*"),
                   db: Optional[str] = DbOption, since: Optional[str] = SinceOption,
                   until: Optional[str] = UntilOption) -> None:
    """Export merged events: PLOVER JSON Lines, GDELT-style TSV, CSV or Parquet."""
    _use_db(db)
    written = service.export(db_path(), fmt.value, out, since=since, until=until)
    stdout.print("; ".join(f"wrote {out / name}: {rows} rows" for name, rows in written.items()),
                 highlight=False)
