"""Commands `tidings timex FILE...` and `tidings quotes [FILE...]`.

`timex` prints every time expression of each article with its value, precision and rule
(`--parse` lets the spaCy parse choose the tense of weekdays and bare dates, as the
pipeline does). `quotes` lists quotes from the store, or, given files, runs the pipeline
on them without a store.
"""
from __future__ import annotations

import json
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from tidings.cli import app, db_path, state
from tidings.document import TidingsDoc
from tidings.ingest import read_paths
from tidings.model import Article, Rejection

stdout = Console(soft_wrap=True)
stderr = Console(stderr=True, soft_wrap=True)


def _articles(paths: list[str]) -> list[Article]:
    articles = []
    for item in read_paths(paths):
        if isinstance(item, Rejection):
            stderr.print(f"rejected {item.where()}: {item.code} {item.reason}")
        else:
            articles.append(item)
    return articles


@app.command("timex")
def timex_command(
        paths: list[str] = typer.Argument(..., help="Article files or folders (seed, JSONL, CSV, HTML)."),
        parse: bool = typer.Option(False, "--parse", help="Use the parse for the tense of dates."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per expression.")) -> None:
    """Print the time expressions of articles: text, value, precision, rule."""
    from tidings.extract.time import ParseDirection, load_status_cues
    from tidings.extract.timex import default_tagger
    from tidings.nlp import NlpStage

    for article in _articles(paths):
        direction = None
        if parse:
            doc = TidingsDoc(article=article)
            NlpStage().annotate([doc], terms=None)
            direction = ParseDirection(doc.sentences, load_status_cues())
        timexes = default_tagger().tag(article.text, article.date, direction)
        if as_json:
            for tx in timexes:
                typer.echo(json.dumps({"article_id": article.id, **tx.to_record()}, ensure_ascii=False))
            continue
        table = Table(title=f"{article.origin or article.id}  (article date {article.date})")
        for column in ("start", "text", "type", "value", "precision", "rule"):
            table.add_column(column)
        for tx in timexes:
            table.add_row(str(tx.start), tx.text, tx.type, tx.value, tx.precision, tx.rule)
        stdout.print(table)


@app.command("quotes")
def quotes_command(
        paths: Optional[list[str]] = typer.Argument(None, help="Articles to read without a store; "
                                                               "none: list quotes from the store."),
        article: Optional[str] = typer.Option(None, "--article", help="Only this article id."),
        limit: int = typer.Option(100, "--limit", min=1, help="At most this many quotes."),
        db: Optional[str] = typer.Option(None, "--db", help="SQLite store path."),
        as_json: bool = typer.Option(False, "--json", help="JSON Lines output.")) -> None:
    """List direct and indirect quotes: speaker, cue, content, date, linked events."""
    if db:
        state.db = db
    if paths:
        from tidings.pipeline import default_pipeline

        records = [q.to_record() for doc in default_pipeline().process(_articles(paths))
                   for q in doc.quotes if article is None or doc.article.id == article][:limit]
    else:
        from tidings.store import Store

        store = Store.open(db_path(), create=False)
        records = store.quotes(article_id=article, limit=limit)
    if as_json:
        for record in records:
            typer.echo(json.dumps(record, ensure_ascii=False))
        return
    table = Table()
    for column in ("kind", "speaker", "cue", "date", "events", "content"):
        table.add_column(column, overflow="fold")
    for r in records:
        speaker = (r.get("speaker") or {})
        name = speaker.get("name") or speaker.get("text") or ""
        date = (r.get("date") or {}).get("value", "")
        content = r["content"] if len(r["content"]) <= 120 else r["content"][:117] + "..."
        table.add_row(r["kind"], name, r.get("cue") or "", date, str(len(r.get("event_ids", []))), content)
    stdout.print(table)
