"""How merging time grows with the number of events: 10k, 30k and 100k mentions.

1. The benchmark corpus (../shared/corpus/news.jsonl and wire.jsonl, read at run time,
   never copied) runs once through the default pipeline; its event records are cached
   (outside the repo, in $TIDINGS_CACHE or ~/.cache/tidings) keyed by tidings version.
2. To reach 100k mentions the records are replicated: copy k shifts every date (event
   and article dates) by k times the corpus's time span plus a year, and gets its own
   event and article ids. Copies never share a week, so the density of events per week -
   what blocking sees - stays that of real news, as in an archive that grows by covering
   more time. (Within a copy, merging works on the real extracted events.)
3. For each size, `Merger.add_all` runs on the first n mentions (in a fresh process-local
   merger) and the wall time is printed with time/n and time/(n log n); if time grows no
   faster than n log n, the last column stays flat or falls.

    .venv/bin/python benchmarks/merge_scaling.py [--sizes 10000 30000 100000] [--repeat 3]
        [--articles N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT.parent / "shared" / "corpus" / f"{name}.jsonl" for name in ("news", "wire")]


def cache_path(limit: int | None) -> Path:
    from tidings import __version__

    base = Path(os.environ.get("TIDINGS_CACHE") or Path.home() / ".cache" / "tidings")
    return base / f"merge_bench_records_{__version__}_{limit or 'all'}.json"


def extract_corpus(limit: int | None = None) -> dict:
    """Event records and article metadata for the corpus, or its first `limit` articles
    (cached)."""
    path = cache_path(limit)
    if path.exists():
        return json.loads(path.read_text("utf-8"))
    from tidings.model import Article
    from tidings.pipeline import default_pipeline

    articles = []
    for corpus in CORPORA:
        with corpus.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                articles.append(Article(id=row["id"], date=dt.date.fromisoformat(row["date"]),
                                        text=row["text"], source=row.get("source")))
    articles = articles[:limit] if limit else articles
    started = time.perf_counter()
    records = []
    for doc in default_pipeline().process(articles):
        records += [event.to_record() for event in doc.events]
    print(f"extracted {len(records)} events from {len(articles)} articles in "
          f"{time.perf_counter() - started:.0f}s (cached at {path})", file=sys.stderr)
    data = {"records": records,
            "articles": {a.id: {"source": a.source, "date": a.date.isoformat()} for a in articles}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), "utf-8")
    return data


def _shift_value(value: str | None, days: int) -> str | None:
    """Shift an ISO day, week, month or year value by whole days (kept at its precision)."""
    from tidings.merge import parse_date_span

    span = parse_date_span(value)
    if span is None:
        return value
    start = span[0] + dt.timedelta(days=days)
    if len(value) == 10:
        return start.isoformat()
    if "W" in value:
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if len(value) == 7:
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def replicate(data: dict, n: int) -> tuple[list[dict], dict]:
    """The first n mentions of the corpus and its time-shifted copies."""
    records, articles = data["records"], data["articles"]
    days = [dt.date.fromisoformat(a["date"]) for a in articles.values()]
    span = (max(days) - min(days)).days + 366
    out: list[dict] = []
    meta: dict = {}
    copy = 0
    while len(out) < n:
        shift = copy * span
        for rec in records:
            if len(out) >= n:
                break
            clone = dict(rec, event_id=f"{rec['event_id']}~{copy}",
                         article_id=f"{rec['article_id']}~{copy}")
            if rec.get("date"):
                clone["date"] = dict(rec["date"], value=_shift_value(rec["date"]["value"], shift))
            out.append(clone)
            article = articles[rec["article_id"]]
            meta[clone["article_id"]] = {
                "source": article["source"],
                "date": (dt.date.fromisoformat(article["date"])
                         + dt.timedelta(days=shift)).isoformat()}
        copy += 1
    return out, meta


def time_merge(records: list[dict], meta: dict, repeat: int) -> tuple[float, int, float]:
    from tidings.merge import Merger, mentions_from_records

    best = math.inf
    events = 0
    comparisons = 0.0
    for _ in range(repeat):
        mentions = mentions_from_records(records, meta)
        merger = Merger()
        started = time.perf_counter()
        merger.add_all(mentions)
        best = min(best, time.perf_counter() - started)
        events = len(merger.events)
        comparisons = sum(len(merger.candidates(m)) for m in mentions[:2000]) / min(2000, len(mentions))
    return best, events, comparisons


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--articles", type=int, default=None,
                        help="extract only the first N corpus articles (default: all 3,252)")
    args = parser.parse_args(argv)
    data = extract_corpus(args.articles)
    print(f"corpus: {len(data['records'])} extracted events from {len(data['articles'])} "
          f"articles; larger sizes are time-shifted copies (see the docstring)")
    print(f"{'mentions':>9} {'events':>8} {'seconds':>8} {'us/mention':>11} "
          f"{'us/(n log2 n)':>14} {'candidates/mention':>19}")
    for n in args.sizes:
        records, meta = replicate(data, n)
        seconds, events, candidates = time_merge(records, meta, args.repeat)
        print(f"{n:>9} {events:>8} {seconds:>8.2f} {1e6 * seconds / n:>11.1f} "
              f"{1e6 * seconds / (n * math.log2(n)):>14.3f} {candidates:>19.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
