"""How much geoparsing adds to the pipeline's per-article time (target: at most 25%).

Runs the default pipeline over `../shared/corpus/news.jsonl` (read at run time), timing
the nlp stage (split + spaCy parse of candidate sentences) and every component
separately on the same documents, and prints the `places` share of the total. Also times
a full spaCy parse of the same articles for reference, and the one-off gazetteer load.

    .venv/bin/python benchmarks/geoparse.py [--limit 200]
"""
from __future__ import annotations

import argparse
import resource
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "news.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()

    from tidings.document import TidingsDoc
    from tidings.extract.gazetteer import load_gazetteer
    from tidings.ingest import read_paths
    from tidings.model import Article
    from tidings.pipeline import Pipeline

    articles = [a for a in read_paths([CORPUS]) if isinstance(a, Article)][:args.limit]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    load_gazetteer()
    gaz_load, gaz_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    pipeline = Pipeline.from_config()
    pipeline.nlp.load()
    terms = pipeline.prefilter_terms()
    timings: dict[str, float] = defaultdict(float)
    for i in range(0, len(articles), args.batch):
        docs = [TidingsDoc(article=a) for a in articles[i:i + args.batch]]
        t0 = time.perf_counter()
        pipeline.nlp.annotate(docs, terms)
        timings["nlp (split + parse candidates)"] += time.perf_counter() - t0
        for name, comp in pipeline.components:
            t0 = time.perf_counter()
            for doc in docs:
                comp(doc)
            timings[name] += time.perf_counter() - t0

    nlp = pipeline.nlp.load()
    t0 = time.perf_counter()
    for _ in nlp.pipe((a.text for a in articles), batch_size=16):
        pass
    full_parse = time.perf_counter() - t0

    n = len(articles)
    total = sum(timings.values())
    print(f"{n} articles from {CORPUS.name}")
    for name, seconds in timings.items():
        print(f"  {name:32s} {1000 * seconds / n:8.2f} ms/article")
    print(f"  {'pipeline total':32s} {1000 * total / n:8.2f} ms/article")
    places = timings.get("places", 0.0)
    print(f"places share of pipeline time: {100 * places / total:.1f}% "
          f"(adds {100 * places / max(total - places, 1e-9):.1f}% to the rest; target <= 25%)")
    print(f"full spaCy parse of the same articles: {1000 * full_parse / n:.2f} ms/article; "
          f"places = {100 * places / full_parse:.1f}% of it")
    print(f"gazetteer load (once per process): {gaz_load:.2f} s wall, {gaz_cpu:.2f} s CPU, "
          f"+{rss_after - rss_before:.0f} MB max RSS")


if __name__ == "__main__":
    main()
