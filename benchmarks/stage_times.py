"""Where the pipeline's time goes: seconds per stage on one process.

    .venv/bin/python benchmarks/stage_times.py [--corpus news|wire] [--limit 100]

Splits the nlp stage into the cheap pass and the parse, then lists each component, so a
throughput regression can be pinned on the stage that caused it.
"""
from __future__ import annotations

import argparse
import time

from throughput import CORPORA, read_corpus

from tidings.pipeline import Pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="news")
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    articles = read_corpus(CORPORA[args.corpus], args.limit)
    pipe = Pipeline.from_config()
    pipe.nlp.load()  # load outside the timing
    list(pipe.process(articles[:2]))  # warm every component's lazy data
    pipe.timings.clear()
    started = time.perf_counter()
    docs = list(pipe.process(articles))
    total = time.perf_counter() - started
    sentences = sum(len(d.sentences) for d in docs)
    parsed = sum(len(d.parsed()) for d in docs)
    print(f"{args.corpus}: {len(articles)} articles, {sentences} sentences, {parsed} parsed "
          f"({parsed / max(sentences, 1):.0%}), {sum(len(d.events) for d in docs)} events, "
          f"{total:.1f} s = {len(articles) / total:.2f} articles/s on one process")
    for name, seconds in pipe.timings.most_common():
        print(f"  {name:<12} {seconds:7.2f} s  {seconds / total:5.1%}")


if __name__ == "__main__":
    main()
