"""What the `time` and `attribution` components cost on real news, beside the rest.

    .venv/bin/python benchmarks/time_overhead.py [--limit N]

Runs the default pipeline over the shared corpora (`../shared/corpus/news.jsonl`,
`wire.jsonl`) and times each component separately, so the share of the temporal tagger
(which reads every sentence, parsed or not) and of attribution can be compared with the
nlp stage. Prints per corpus: articles, time expressions and quotes found, and seconds and
articles/s of each component.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tidings.document import TidingsDoc  # noqa: E402
from tidings.model import Article  # noqa: E402
from tidings.pipeline import Pipeline  # noqa: E402


def read_corpus(path: Path, limit: int) -> list[Article]:
    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            articles.append(Article(id=str(row["id"]), date=dt.date.fromisoformat(row["date"][:10]),
                                    text=row["text"]))
            if len(articles) >= limit:
                break
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=400, help="articles per corpus")
    args = parser.parse_args(argv)
    pipeline = Pipeline.from_config()
    terms = pipeline.prefilter_terms()
    for name in ("news.jsonl", "wire.jsonl"):
        path = ROOT.parent / "shared" / "corpus" / name
        if not path.exists():
            print(f"{name}: not found, skipped")
            continue
        docs = [TidingsDoc(article=a) for a in read_corpus(path, args.limit)]
        seconds = collections.Counter()
        start = time.perf_counter()
        pipeline.nlp.annotate(docs, terms)
        seconds["nlp"] = time.perf_counter() - start
        for doc in docs:
            for comp_name, comp in pipeline.components:
                t0 = time.perf_counter()
                comp(doc)
                seconds[comp_name] += time.perf_counter() - t0
        timexes = sum(len(d.timexes) for d in docs)
        quotes = sum(len(d.quotes) for d in docs)
        events = sum(len(d.events) for d in docs)
        print(f"{name}: {len(docs)} articles, {events} events, {timexes} time expressions, "
              f"{quotes} quotes")
        total = sum(seconds.values())
        for comp_name, secs in seconds.most_common():
            print(f"  {comp_name:12} {secs:7.2f} s  {len(docs) / secs if secs else 0:9.1f} articles/s"
                  f"  {100 * secs / total:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
