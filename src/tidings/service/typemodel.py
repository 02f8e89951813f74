"""Training the learned event-type layer (component `typemodel`) from the labelled data.

One function so that `tidings train`, `make train` and tests retrain the model the same
way: the train split of `eval/events-sentences.jsonl` plus the train articles of
`eval/events-articles.jsonl`, never the test split.
"""
from __future__ import annotations

from pathlib import Path

from tidings.errors import ConfigError
from tidings.extract.typemodel import TrainReport, load_settings, train_classifier, training_sentences
from tidings.labelled import eval_dir


def train_type_model(backend: str = "textcat", sentences: Path | None = None,
                     articles: Path | None = None, out: Path | None = None) -> TrainReport:
    settings = load_settings()["data"]
    folder = eval_dir()
    sentences = sentences or folder / Path(settings["sentences"]).name
    articles = articles or folder / Path(settings["articles"]).name
    if not sentences.is_file():
        raise ConfigError(f"no labelled sentences at {sentences}; pass --sentences PATH")
    rows = training_sentences(sentences, articles)
    if not rows:
        raise ConfigError(f"{sentences} has no train-split lines to learn from")
    return train_classifier(rows, backend=backend, out=out)
