"""How much the `resolve` component adds to per-article time, on the shared real-news corpora.

    .venv/bin/python benchmarks/resolve_overhead.py [--limit N] [CORPUS.jsonl ...]

Runs the default pipeline (the components that exist) over each corpus once, timing the
nlp stage and every component separately, and prints resolve's share of the per-article
time: the issue's budget is at most 20%. Also prints how many actor entities got a country.
The corpora are read from ../shared/corpus/ and never copied.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections import defaultdict
from pathlib import Path

from tidings.model import Article
from tidings.pipeline import Pipeline, load_config
from tidings.registry import BUILTIN_MODULES

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT.parent / "shared" / "corpus" / name for name in ("news.jsonl", "wire.jsonl")]


def read(path: Path, limit: int) -> list[Article]:
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            try:
                day = dt.date.fromisoformat(row["date"])
            except (KeyError, ValueError):
                continue
            out.append(Article(id=row["id"], date=day, text=row["text"]))
            if len(out) >= limit:
                break
    return out


def available_pipeline() -> Pipeline:
    """The shipped pipeline, minus components whose module is not written yet."""
    import importlib.util

    config = load_config()
    keep = []
    for entry in config["components"]:
        name = entry if isinstance(entry, str) else entry["name"]
        if importlib.util.find_spec(BUILTIN_MODULES.get(name, name)) is not None:
            keep.append(entry)
    config["components"] = keep
    return Pipeline.from_config(config)


def run(path: Path, limit: int) -> None:
    articles = read(path, limit)
    pipeline = available_pipeline()
    seconds: dict[str, float] = defaultdict(float)
    timed = []
    for name, comp in pipeline.components:
        def wrapped(doc, comp=comp, name=name):
            started = time.perf_counter()
            comp(doc)
            seconds[name] += time.perf_counter() - started
        timed.append((name, wrapped))
    pipeline.components = timed
    annotate = pipeline.nlp.annotate

    def timed_annotate(docs, terms):
        started = time.perf_counter()
        annotate(docs, terms)
        seconds["nlp"] += time.perf_counter() - started
    pipeline.nlp.annotate = timed_annotate
    entities = with_country = 0
    started = time.perf_counter()
    for doc in pipeline.process(articles):
        for event in doc.events:
            for entity in event.actor + event.recipient:
                entities += 1
                with_country += entity.country is not None
    total = time.perf_counter() - started
    others = total - seconds["resolve"]
    print(f"== {path.name}: {len(articles)} articles, {total:.1f} s, "
          f"{1000 * total / max(len(articles), 1):.1f} ms/article")
    for name, value in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {name:12} {1000 * value / max(len(articles), 1):7.2f} ms/article")
    print(f"  resolve adds {100 * seconds['resolve'] / max(others, 1e-9):.1f}% to the rest of the "
          f"pipeline (budget 20%)")
    print(f"  actor/recipient entities: {entities}, with a country: {with_country} "
          f"({100 * with_country / max(entities, 1):.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpora", nargs="*", type=Path, default=CORPORA)
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    for path in args.corpora:
        run(path, args.limit)


if __name__ == "__main__":
    main()
