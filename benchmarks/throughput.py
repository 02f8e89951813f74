"""Throughput and peak memory of tidings vs a bare full spaCy pass, in one run.

For each corpus in ../shared/corpus/ (news.jsonl: 800 general articles; wire.jsonl: 2,452
AFP/Xinhua wire stories), read at run time, never copied:
- tidings: the whole default pipeline (cheap first pass, parse of candidate sentences,
  every component), in 2 worker processes;
- spaCy: the full en_core_web_sm pipeline, `nlp.pipe(n_process=2)` over the same texts.
Each measurement runs in its own subprocess so that its peak RSS is its own (the parent's
plus its workers'). Prints articles/s, sentences/s, events/s, the share of sentences the
first cheap pass marks (cand: parsed without entities) and the share given the whole parse
(parsed: entities and every component), peak RSS and the ratio.

    .venv/bin/python benchmarks/throughput.py [--limit N] [--processes 2] [--rounds 1]

This machine's speed drifts by up to a fifth within minutes, so one spaCy run followed by
one tidings run can tilt the ratio either way. `--rounds 2` (what `make bench` runs)
measures spaCy, tidings, tidings, spaCy (the order flips each round, cancelling a steady drift) and prints each
round's ratio and the pooled one (all spaCy seconds over all tidings seconds).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {name: ROOT.parent / "shared" / "corpus" / f"{name}.jsonl" for name in ("news", "wire")}


def read_corpus(path: Path, limit: int | None):
    from tidings.model import Article

    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            articles.append(Article(id=row["id"], date=dt.date.fromisoformat(row["date"]),
                                    text=row["text"], source=row.get("source")))
            if limit and len(articles) >= limit:
                break
    return articles


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024  # ru_maxrss is in KiB on Linux


def run_tidings(articles, processes: int) -> dict:
    """Steady-state throughput: worker start-up (models, KB, gazetteer) is timed apart,
    as the spaCy run loads its model before its timer starts."""
    from tidings.pipeline import WorkerPool

    sentences = parsed = candidates = events = 0
    started = time.perf_counter()
    with WorkerPool(processes) as pool:
        pool.warm()
        startup = time.perf_counter() - started
        start = time.perf_counter()
        for summary in pool.process(articles):
            sentences += summary.n_sentences
            parsed += summary.n_parsed
            candidates += summary.n_candidates
            events += len(summary.records)
        elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "sentences": sentences, "parsed_sentences": parsed,
            "candidate_sentences": candidates, "events": events, "startup": startup}


def run_spacy(articles, processes: int) -> dict:
    from tidings.nlp import DEFAULT_MODEL, load_pipeline

    started = time.perf_counter()
    nlp = load_pipeline(DEFAULT_MODEL)
    startup = time.perf_counter() - started
    start = time.perf_counter()
    sentences = 0
    for doc in nlp.pipe((a.text for a in articles), n_process=processes, batch_size=32):
        sentences += sum(1 for _ in doc.sents)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "sentences": sentences, "parsed_sentences": sentences,
            "candidate_sentences": sentences, "events": 0, "startup": startup}


def child(corpus: str, mode: str, limit: int | None, processes: int) -> None:
    articles = read_corpus(CORPORA[corpus], limit)
    result = (run_tidings if mode == "tidings" else run_spacy)(articles, processes)
    result.update(articles=len(articles), peak_rss_mb=peak_rss_mb())
    print(json.dumps(result))


def measure(corpus: str, mode: str, limit: int | None, processes: int) -> dict:
    cmd = [sys.executable, __file__, "--child", corpus, mode, "--processes", str(processes)]
    if limit:
        cmd += ["--limit", str(limit)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="articles per corpus")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="measurement rounds, order flipped each")
    parser.add_argument("--corpus", choices=[*CORPORA, "both"], default="both")
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.limit, args.processes)
        return
    print(f"{'corpus':<6} {'run':<8} {'articles':>8} {'art/s':>7} {'sent/s':>8} "
          f"{'events/s':>8} {'cand':>5} {'parsed':>7} {'peak MB':>8} {'start s':>7}")
    for corpus in CORPORA if args.corpus == "both" else [args.corpus]:
        seconds = {"spacy": 0.0, "tidings": 0.0}
        for round_ in range(args.rounds):
            modes = ("spacy", "tidings") if round_ % 2 == 0 else ("tidings", "spacy")
            rows = {mode: measure(corpus, mode, args.limit, args.processes) for mode in modes}
            for mode, r in rows.items():
                s = r["seconds"]
                seconds[mode] += s
                print(f"{corpus:<6} {mode:<8} {r['articles']:>8} {r['articles'] / s:7.1f} "
                      f"{r['sentences'] / s:8.1f} {r['events'] / s:8.1f} "
                      f"{r['candidate_sentences'] / max(r['sentences'], 1):5.0%} "
                      f"{r['parsed_sentences'] / max(r['sentences'], 1):7.0%} "
                      f"{r['peak_rss_mb']:8.0f} {r['startup']:7.1f}")
            ratio = rows["spacy"]["seconds"] / rows["tidings"]["seconds"]
            print(f"{corpus:<6} tidings / bare spaCy throughput ratio: {ratio:.2f}x "
                  f"({rows['tidings']['events']} events)")
        if args.rounds > 1:
            print(f"{corpus:<6} pooled over {args.rounds} rounds: "
                  f"{seconds['spacy'] / seconds['tidings']:.2f}x")


if __name__ == "__main__":
    main()
