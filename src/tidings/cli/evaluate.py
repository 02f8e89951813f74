"""`tidings evaluate GOLD.jsonl`: precision/recall/F1 of the event coder on labelled data."""
from __future__ import annotations

from typing import Optional

import typer

from tidings.cli import app


@app.command()
def evaluate(gold: str = typer.Argument(..., help="Gold JSONL: the shared PLOVER sentences "
                                                  "or the team's eval/events-*.jsonl."),
             errors: bool = typer.Option(False, "--errors",
                                         help="List the evidence of every miss and extra event."),
             split: Optional[str] = typer.Option(None, "--split",
                                                 help="Only gold lines of this split (train/test)."),
             pipeline: Optional[str] = typer.Option(None, "--pipeline",
                                                    help="A pipeline config YAML."),
             articles: Optional[bool] = typer.Option(
                 None, "--articles/--no-articles",
                 help="Article-level scoring (type + actor country + date); default: when "
                      "the gold holds whole articles.")) -> None:
    """Score extracted events against GOLD: per-type P/R/F1, macro-F1, over-generation,
    actor-country accuracy, confusion matrix, per-mode and per-context scores."""
    from tidings.evaluate.events import evaluate as run, format_report
    from tidings.pipeline import Pipeline, load_config

    pipe = Pipeline.from_config(load_config(pipeline)) if pipeline else None
    report = run(gold, split=split, pipeline=pipe, articles=articles)
    typer.echo(format_report(report, errors=errors))
