"""Core commands: ingest, extract, events, show, rejections. Each is a thin layer over
`tidings.service.articles`; exit codes are documented in docs/cli.md.
"""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tidings.cli import app, db_path, state
from tidings.errors import NothingIngestedError
from tidings.ingest import ReaderOptions
from tidings.ingest.checks import DEFAULT_MAX_BYTES
from tidings.merge import certainty_of
from tidings.model import Rejection
from tidings.pipeline import Pipeline, load_config
from tidings.service import articles as service

# Above this many articles a non-terminal stderr still gets a line of progress now and then.
PROGRESS_EVERY = 1000

# emoji=False: provenance such as "kb:office:IND" must not turn into a picture.
stdout = Console(soft_wrap=True, emoji=False)
stderr = Console(stderr=True, soft_wrap=True, emoji=False)
# Tables piped to a file or pager are not folded to rich's default of 80 columns.
PIPED_WIDTH = 200


def _print(renderable) -> None:
    if stdout.is_terminal:
        stdout.print(renderable)
    else:
        Console(emoji=False, width=max(stdout.width, PIPED_WIDTH)).print(renderable)


class Format(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


DbOption = typer.Option(None, "--db", help="SQLite store path (else $TIDINGS_DB, else "
                                             "./tidings.db); same as the global --db.")
MaxBytesOption = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes",
                              help="Reject articles larger than this many bytes (E108).")
NoLanguageOption = typer.Option(False, "--no-language-check",
                                help="Do not reject text that does not look English (E109).")
PipelineOption = typer.Option(None, "--pipeline", help="A pipeline config YAML (default: the "
                                                       "shipped data/pipeline.yaml).")


def _pipeline(config_path: Optional[str]) -> Optional[Pipeline]:
    """None means the service's default pipeline, built only if an article needs it."""
    return Pipeline.from_config(load_config(config_path)) if config_path else None


def _use_db(db: Optional[str]) -> None:
    if db:
        state.db = db


def _rejected_line(rejection: Rejection) -> str:
    return f"rejected {rejection.where()} {rejection.code} {rejection.reason}"


def _print_rejection(rejection: Rejection) -> None:
    print(_rejected_line(rejection), file=sys.stderr, flush=True)


@app.command()
def ingest(paths: list[str] = typer.Argument(..., help="Files, folders, or - for stdin."),
           db: Optional[str] = DbOption,
           batch_size: int = typer.Option(service.DEFAULT_BATCH_SIZE, "--batch-size", min=1,
                                          help="Articles per pipeline batch and transaction."),
           force: bool = typer.Option(False, "--force",
                                      help="Re-extract articles already stored unchanged."),
           workers: int = typer.Option(1, "--workers", min=1,
                                       help="Extract in this many processes (2 on 2 cores)."),
           max_bytes: int = MaxBytesOption, no_language_check: bool = NoLanguageOption,
           pipeline: Optional[str] = PipelineOption,
           quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display.")) -> None:
    """Read articles, extract their events and load both into the store.

    Exit code 0 when at least one article was read (stored, replaced, or already stored),
    7 when every input was rejected or there was none.
    """
    _use_db(db)
    options = ReaderOptions(max_bytes=max_bytes, check_language=not no_language_check)
    pipe = _pipeline(pipeline)
    echo = _RejectionEcho()
    with _progress_display(quiet) as show_progress:
        def on_batch(report: service.IngestReport) -> None:
            echo(report)
            show_progress(report)

        report = service.ingest(paths, db_path(), on_batch, options=options, pipeline=pipe,
                                batch_size=batch_size, force=force, workers=workers)
    stdout.print(_summary(report), highlight=False)
    for warning in dict.fromkeys(report.warnings):
        print(f"warning: {warning}", file=sys.stderr)
    if report.nothing_usable:
        raise NothingIngestedError("no article was read: " + (
            f"every input was rejected ({len(report.rejections)} rejections)" if report.rejections
            else "no input files of a known type (.txt .jsonl .ndjson .csv .html .htm)"))


class _RejectionEcho:
    """Prints each rejection of a running ingest once, as soon as its batch is done."""

    def __init__(self) -> None:
        self.printed = 0

    def __call__(self, report: service.IngestReport) -> None:
        for rejection in report.rejections[self.printed:]:
            _print_rejection(rejection)
        self.printed = len(report.rejections)


@contextmanager
def _progress_display(quiet: bool) -> Iterator[Callable[[service.IngestReport], None]]:
    """A live line on a terminal; elsewhere a plain line every PROGRESS_EVERY articles."""
    if quiet:
        yield lambda report: None
    elif stderr.is_terminal:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=stderr, transient=True) as bar:
            task = bar.add_task("reading...", total=None)
            yield lambda report: bar.update(task, description=escape(_progress_text(report)))
    else:
        next_line = [PROGRESS_EVERY]

        def plain(report: service.IngestReport) -> None:
            if report.articles_read >= next_line[0]:
                next_line[0] += PROGRESS_EVERY
                print(f"... {_progress_text(report)}", file=sys.stderr, flush=True)

        yield plain


def _progress_text(report: service.IngestReport) -> str:
    rate = report.articles_read / report.seconds if report.seconds else 0.0
    return (f"{report.articles_read} articles read ({rate:.1f}/s): {report.stored} new, "
            f"{report.replaced} replaced, {report.duplicates} already stored, "
            f"{len(report.rejections)} rejected, {report.events} events")


def _summary(report: service.IngestReport) -> str:
    counts = ", ".join(f"{n} {table}" for table, n in report.counts.items())
    return (f"ingested into {report.db_path} in {report.seconds:.1f}s: "
            f"{report.articles_read} articles read, {report.stored} new, "
            f"{report.replaced} replaced, {report.duplicates} already stored; "
            f"{report.events} events stored; {len(report.rejections)} rejected\n"
            f"store now holds {counts}")


@app.command()
def extract(paths: list[str] = typer.Argument(..., help="Files, folders, or - for stdin."),
            max_bytes: int = MaxBytesOption, no_language_check: bool = NoLanguageOption,
            pipeline: Optional[str] = PipelineOption,
            workers: int = typer.Option(1, "--workers", min=1,
                                        help="Extract in this many processes.")) -> None:
    """Write the event records of the inputs to stdout as JSON Lines; no store.

    Rejections go to stderr. Exit code 0 when at least one article was read, 7 when
    every input was rejected.
    """
    options = ReaderOptions(max_bytes=max_bytes, check_language=not no_language_check)
    stats = service.ExtractStats()
    for item in service.extract_records(paths, options=options, pipeline=_pipeline(pipeline),
                                        workers=workers, stats=stats):
        if isinstance(item, Rejection):
            _print_rejection(item)
        else:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if stats.articles == 0:
        raise NothingIngestedError(f"no article was read ({stats.rejections} rejected)")


def _split(value: Optional[str]) -> Optional[list[str]]:
    """`--type ASSAULT,COERCE` means either."""
    if not value:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def _party(entity: dict[str, Any]) -> str:
    tags = " ".join(t for t in (entity.get("country"), entity.get("sector")) if t)
    label = entity.get("name") or entity.get("text") or "?"
    return f"{label} ({tags})" if tags else label


def _parties(entities: list[dict[str, Any]]) -> str:
    return "; ".join(_party(e) for e in entities) or "-"


CSV_COLUMNS = ("event_id", "article_id", "date", "date_precision", "event_type", "mode",
               "status", "actor", "actor_country", "actor_sector", "recipient",
               "recipient_country", "recipient_sector", "location", "location_country",
               "certainty", "attribution_source", "quad_class", "score", "cameo",
               "confidence", "trigger", "sentence")


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record flattened to one spreadsheet row; lists joined with '; '."""
    date = record.get("date") or {}
    location = record.get("location") or {}

    def join(role: str, key: str) -> str:
        """One column for a compound actor; a name falls back to the words in the text."""
        values = (entity.get(key) or (entity.get("text") if key == "name" else None)
                  for entity in record[role])
        return "; ".join(str(value or "") for value in values)

    return {
        "event_id": record["event_id"], "article_id": record["article_id"],
        "date": date.get("value"), "date_precision": date.get("precision"),
        "event_type": record["event_type"], "mode": record["mode"], "status": record["status"],
        "actor": join("actor", "name"), "actor_country": join("actor", "country"),
        "actor_sector": join("actor", "sector"), "recipient": join("recipient", "name"),
        "recipient_country": join("recipient", "country"),
        "recipient_sector": join("recipient", "sector"),
        "location": location.get("name"), "location_country": location.get("country"),
        "certainty": record["attribution"]["certainty"],
        "attribution_source": record["attribution"]["source"],
        "quad_class": record["quad_class"], "score": record["score"], "cameo": record["cameo"],
        "confidence": record["confidence"], "trigger": record["evidence"]["trigger"],
        "sentence": record["evidence"]["sentence"],
    }


MERGED_CSV_COLUMNS = ("merged_id", "num_mentions", "num_sources", "num_articles",
                      "combined_certainty", "first_seen", "last_seen", *CSV_COLUMNS)


def merged_csv_row(record: dict[str, Any]) -> dict[str, Any]:
    """A merged event as one row: the merge counts, then the same columns as a mention."""
    return {"merged_id": record["merged_id"], "num_mentions": record["num_mentions"],
            "num_sources": record["num_sources"], "num_articles": record["num_articles"],
            "combined_certainty": certainty_of(record)["certainty"],
            "first_seen": record["first_seen"], "last_seen": record["last_seen"],
            **csv_row(record)}


# The columns every event table opens with, and their cells.
_EVENT_COLUMNS = ("date", "type", "mode", "status", "actor", "recipient", "trigger")


def _event_cells(record: dict[str, Any]) -> list[str]:
    date = record.get("date") or {}
    return [escape(str(date.get("value") or "-")), record["event_type"], escape(record["mode"] or "-"),
            record["status"], escape(_parties(record["actor"])), escape(_parties(record["recipient"])),
            escape((record.get("evidence") or {}).get("trigger") or "-")]


def _table(columns: tuple[str, ...]) -> Table:
    table = Table(show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _merged_table(records: list[dict[str, Any]]) -> Table:
    table = _table(_EVENT_COLUMNS + ("mentions", "sources", "articles", "certainty", "merged id"))
    for record in records:
        table.add_row(*_event_cells(record),
                      str(record["num_mentions"]), str(record["num_sources"]),
                      str(record["num_articles"]), str(certainty_of(record)["certainty"]),
                      record["merged_id"])
    return table


class Unit(str, Enum):
    event = "event"
    mention = "mention"


def _events_table(records: list[dict[str, Any]]) -> Table:
    table = _table(_EVENT_COLUMNS + ("certainty", "event id"))
    for record in records:
        table.add_row(*_event_cells(record), record["attribution"]["certainty"], record["event_id"])
    return table


@app.command()
def events(db: Optional[str] = DbOption,
           country: Optional[str] = typer.Option(None, "--country",
                                                 help="Actor or recipient country (ISO-3)."),
           actor_country: Optional[str] = typer.Option(None, "--actor-country"),
           recipient_country: Optional[str] = typer.Option(None, "--recipient-country"),
           event_type: Optional[str] = typer.Option(None, "--type",
                                                    help="PLOVER type(s), comma-separated."),
           mode: Optional[str] = typer.Option(None, "--mode"),
           status: Optional[str] = typer.Option(None, "--status",
                                                help="e.g. occurred,planned"),
           quad_class: Optional[str] = typer.Option(None, "--quad-class"),
           since: Optional[str] = typer.Option(None, "--since",
                                               help="Events dated on or after (YYYY-MM-DD)."),
           until: Optional[str] = typer.Option(None, "--until",
                                               help="Events dated on or before."),
           text: Optional[str] = typer.Option(None, "--text",
                                              help="Words in the evidence sentence."),
           article: Optional[str] = typer.Option(None, "--article", help="An article id."),
           entity: Optional[str] = typer.Option(None, "--entity",
                                                help="An actor/recipient kb_id or name."),
           actor: Optional[str] = typer.Option(None, "--actor",
                                               help="An actor kb_id or name."),
           recipient: Optional[str] = typer.Option(None, "--recipient",
                                                   help="A recipient kb_id or name."),
           certainty: Optional[str] = typer.Option(
               None, "--certainty", help="e.g. reported,unconfirmed; for merged events the "
                                         "combined certainty, e.g. confirmed,disputed"),
           min_sources: Optional[int] = typer.Option(
               None, "--min-sources", min=1, help="Merged events reported by at least this "
                                                  "many sources (not with --mentions)."),
           mentions: bool = typer.Option(False, "--mentions",
                                         help="List raw event mentions, one per article "
                                              "sentence, instead of merged events."),
           unit: Unit = typer.Option(Unit.event, "--unit",
                                     help="event: merged events (default); mention: the "
                                          "same as --mentions."),
           limit: int = typer.Option(50, "--limit", min=1, max=10_000),
           cursor: Optional[str] = typer.Option(None, "--cursor",
                                                help="Continue after a previous page."),
           newest_first: bool = typer.Option(False, "--newest-first"),
           output: Format = typer.Option(Format.table, "--format")) -> None:
    """List stored events, filtered: one row per real event (merged across articles),
    or with --mentions every extracted mention; as a table, JSON Lines (event-record.md
    fields, plus the merge fields for merged events) or CSV."""
    from tidings.errors import UsageError
    from tidings.service import merged as merged_service

    _use_db(db)
    by_mention = mentions or unit is Unit.mention
    if by_mention and min_sources:
        raise UsageError("--min-sources counts the sources of merged events; "
                         "drop it or drop --mentions")
    filters = dict(country=country, actor_country=actor_country,
                   recipient_country=recipient_country, event_type=_split(event_type),
                   mode=_split(mode), status=_split(status), quad_class=_split(quad_class),
                   since=since, until=until, text=text, article_id=article, entity=entity,
                   actor_entity=actor, recipient_entity=recipient,
                   certainty=_split(certainty))
    if by_mention:
        query, count, table, columns, row = (service.query_events, service.count_events,
                                             _events_table, CSV_COLUMNS, csv_row)
        noun = "event"
    else:
        filters["min_sources"] = min_sources
        query, count, table, columns, row = (merged_service.query_merged,
                                             merged_service.count_merged, _merged_table,
                                             MERGED_CSV_COLUMNS, merged_csv_row)
        noun = "merged event"
    page = query(db_path(), limit=limit, cursor=cursor, newest_first=newest_first, **filters)
    if output is Format.jsonl:
        for record in page.records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif output is Format.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row(record) for record in page.records)
    else:
        if page.records:
            _print(table(page.records))
        total = count(db_path(), **filters) if page.next_cursor else None
        plural = "" if len(page.records) == 1 else "s"
        stderr.print(f"{len(page.records)} {noun}{plural} shown"
                     + (f" of {total:,} matching" if total is not None else ""), highlight=False)
    sys.stdout.flush()
    if page.next_cursor:
        print(f"more: --cursor {page.next_cursor}", file=sys.stderr)


def _highlighted_evidence(record: dict[str, Any]) -> Text:
    """The sentence with the trigger in reverse video and actor/recipient spans coloured."""
    evidence = record["evidence"]
    base = evidence["start"]
    sentence = Text(evidence["sentence"])
    length = len(evidence["sentence"])

    def mark(start: int, end: int, style: str) -> None:
        start, end = max(start - base, 0), min(end - base, length)
        if start < end:
            sentence.stylize(style, start, end)

    for entity in record["actor"]:
        mark(entity["start"], entity["end"], "bold cyan")
    for entity in record["recipient"]:
        mark(entity["start"], entity["end"], "bold magenta")
    mark(evidence["trigger_start"], evidence["trigger_end"], "bold reverse yellow")
    return sentence


def _provenance_of(record: dict[str, Any], key: str) -> str:
    provenance = record.get("provenance") or {}
    return provenance.get(key) or ""


@app.command()
def show(event_id: str = typer.Argument(..., help="A merged id (me_...) or an event id (ev_...), "
                                                  "e.g. from `tidings events`."),
         db: Optional[str] = DbOption,
         as_json: bool = typer.Option(False, "--json", help="Print the record as JSON.")) -> None:
    """A merged event with every mention and why each was merged; or one event mention:
    its evidence with the trigger highlighted, where every field came from, and the
    other mentions of the same real event."""
    from tidings.errors import NotFoundError

    _use_db(db)
    try:
        record = service.get_event(db_path(), event_id)
    except NotFoundError:
        _show_merged(event_id, as_json)
        return
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return
    article = service.get_article(db_path(), record["article_id"])
    title = f"{record['event_type']}" + (f" / {record['mode']}" if record["mode"] else "")
    _print(Panel(_highlighted_evidence(record), title=escape(f"{title}  {event_id}"),
                       subtitle=escape(f"article {article['article_id']} of {article['date']}"
                                       + (f" · {article['title']}" if article["title"] else "")
                                       + (f" · {article['origin']}" if article["origin"] else "")),
                       expand=False))
    _print(Text.assemble(("trigger", "bold reverse yellow"), "  ", ("actor", "bold cyan"),
                               "  ", ("recipient", "bold magenta")))
    fields = Table(header_style="bold", title="fields")
    fields.add_column("field")
    fields.add_column("value", overflow="fold")
    fields.add_column("provenance", overflow="fold")
    date = record.get("date")
    location = record.get("location")
    attribution = record["attribution"]
    rows = [
        ("event_type", record["event_type"], "event_type"),
        ("mode", record["mode"] or "-", "mode"),
        ("status", record["status"], "status"),
        ("contexts", ", ".join(record["contexts"]) or "-", "contexts"),
        ("date", (f"{date['value']} ({date['precision']}, {date['basis']}"
                  + (f", from {date['text']!r})" if date.get("text") else ")")) if date else "-",
         "date"),
        ("location", (f"{location['name']} ({location.get('country') or '?'}, "
                      f"{location['precision']})") if location else "-", "location"),
        ("attribution", f"{attribution['certainty']}"
                        + (f", source {attribution['source']}" if attribution["source"] else "")
                        + (f", cue {attribution['cue']!r}" if attribution["cue"] else ""),
         "attribution"),
        ("quad_class", record["quad_class"] or "-", "quad_class"),
        ("score", "-" if record["score"] is None else str(record["score"]), "score"),
        ("cameo", record["cameo"] or "-", "cameo"),
        ("confidence", str(record["confidence"]), "confidence"),
    ]
    for name, value, key in rows:
        fields.add_row(name, escape(value), escape(_provenance_of(record, key)))
    _print(fields)
    parties = Table(header_style="bold", title="actors and recipients")
    for column in ("role", "text", "name", "country", "sector", "office", "kb_id",
                   "provenance"):
        parties.add_column(column, overflow="fold")
    for role in ("actor", "recipient"):
        for index, entity in enumerate(record[role]):
            prefix = f"{role}[{index}]."
            origin = "; ".join(f"{key[len(prefix):]}: {value}"
                               for key, value in (record.get("provenance") or {}).items()
                               if key.startswith(prefix))
            parties.add_row(role, *(escape(str(entity.get(k) or "-")) for k in
                                    ("text", "name", "country", "sector", "office", "kb_id")),
                            escape(origin))
    _print(parties)
    shown = {key for _, _, key in rows}
    others = {k: v for k, v in (record.get("provenance") or {}).items()
              if k not in shown and not k.startswith(("actor[", "recipient["))}
    for key, value in others.items():
        stdout.print(f"provenance {escape(key)}: {escape(str(value))}", highlight=False)
    _print_other_mentions(event_id)


def _show_merged(merged_id: str, as_json: bool) -> None:
    """A merged id: the merged record, or its mentions table (NotFoundError if neither an
    event nor a merged event has this id)."""
    from tidings.cli.analysis import print_merged
    from tidings.service.merged import get_merged

    merged = get_merged(db_path(), merged_id)
    if as_json:
        sys.stdout.write(json.dumps(merged, ensure_ascii=False, indent=2) + "\n")
        return
    print_merged(merged)


def _print_other_mentions(event_id: str) -> None:
    """The other mentions of the same real event (tidings.merge), and why they joined."""
    from tidings.errors import TidingsError
    from tidings.service.merged import get_merged

    try:
        merged = get_merged(db_path(), event_id)
    except TidingsError:  # not merged yet, or a store without the merge tables
        return
    others = [m for m in merged.get("mentions", []) if m["event_id"] != event_id]
    if not others:
        return
    table = Table(header_style="bold", title=f"other mentions of {merged['merged_id']} "
                                             f"({merged['num_articles']} articles)")
    for column in ("event id", "article", "outlet", "type", "status", "why"):
        table.add_column(column, overflow="fold")
    for mention in others:
        table.add_row(mention["event_id"], escape(mention["article_id"]),
                      escape(mention.get("outlet") or "-"), mention["event_type"],
                      mention["status"], escape(mention["why"]))
    _print(table)


@app.command()
def rejections(db: Optional[str] = DbOption,
               limit: int = typer.Option(100, "--limit", min=1),
               code: Optional[str] = typer.Option(None, "--code", help="e.g. E105"),
               output: Format = typer.Option(Format.table, "--format")) -> None:
    """List the recorded rejections, most recent first."""
    _use_db(db)
    rows = service.list_rejections(db_path(), limit=limit, code=code)
    if output is Format.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if output is Format.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["origin"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    if not rows:
        stderr.print("no rejections recorded", highlight=False)
        return
    table = Table(header_style="bold")
    for column in ("where", "code", "reason", "last seen", "times"):
        table.add_column(column, overflow="fold")
    for row in rows:
        where = f"{row['origin']}:{row['line']}" if row["line"] else row["origin"]
        table.add_row(escape(where), row["code"], escape(row["reason"]), row["rejected_at"],
                      str(row["times_seen"]))
    _print(table)
    stderr.print(f"{len(rows)} rejections shown", highlight=False)
