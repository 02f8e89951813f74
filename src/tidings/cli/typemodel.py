"""Command `tidings train`: retrain the learned event-type layer from the labelled data.

Offline and CPU-only. The default backend (spaCy bag of words) needs nothing beyond the
default install; `--backend minilm` needs the optional MiniLM weights (`make embeddings`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from tidings.cli import app
from tidings.service.typemodel import train_type_model

stdout = Console(soft_wrap=True)


@app.command("train")
def train_command(
        backend: str = typer.Option("textcat", "--backend", help="textcat (default) or minilm."),
        sentences: Optional[Path] = typer.Option(None, "--sentences",
                                                 help="Labelled sentences (default eval/events-sentences.jsonl)."),
        articles: Optional[Path] = typer.Option(None, "--articles",
                                                help="Labelled articles (default eval/events-articles.jsonl)."),
        out: Optional[Path] = typer.Option(None, "--out", help="Where to save (default: the shipped model).")) -> None:
    """Train the sentence-level event-type classifier on the train split and save it."""
    report = train_type_model(backend=backend, sentences=sentences, articles=articles, out=out)
    table = Table(title=f"typemodel {report.backend}: {report.n_sentences} train sentences, "
                        f"{report.seconds:.1f} s")
    table.add_column("type")
    table.add_column("train sentences", justify="right")
    for label, count in report.label_counts.items():
        table.add_row(label, str(count))
    stdout.print(table)
    stdout.print(f"saved {report.path}")
