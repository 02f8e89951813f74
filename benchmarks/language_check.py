"""Measure the readers' English check: how often it rejects real English news (false
rejections, on the shared corpora) and how often it catches non-English text (the
team's own samples in tests/data/ingest/non_english.jsonl).

    .venv/bin/python benchmarks/language_check.py
"""
from __future__ import annotations

import json
import statistics
from pathlib import Path

from tidings.ingest.checks import ReaderOptions, check_language, english_share

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT.parent / "shared" / "corpus" / name for name in ("news.jsonl", "wire.jsonl")]
NON_ENGLISH = ROOT / "tests" / "data" / "ingest" / "non_english.jsonl"


def main() -> None:
    options = ReaderOptions()
    print(f"threshold: {options.min_english_share:.0%} function words, "
          f"judged from {options.min_words_for_language} words up")
    for corpus in CORPORA:
        if not corpus.exists():
            print(f"{corpus.name}: missing, skipped")
            continue
        rows = [json.loads(line) for line in corpus.open("rb") if line.strip()]
        shares = [english_share(r["text"][:options.language_sample_chars])[0] for r in rows]
        rejected = [r["id"] for r in rows if check_language(r["text"], None, options)]
        print(f"{corpus.name}: {len(rows)} English articles, function-word share "
              f"min {min(shares):.1%} p1 {sorted(shares)[len(shares) // 100]:.1%} "
              f"median {statistics.median(shares):.1%}; falsely rejected "
              f"{len(rejected)} ({len(rejected) / len(rows):.2%}) {rejected[:5]}")
    samples = [json.loads(line) for line in NON_ENGLISH.open("rb") if line.strip()]
    caught = 0
    for sample in samples:
        problem = check_language(sample["text"], None, options)
        caught += problem is not None
        share = english_share(sample["text"])[0]
        print(f"  {sample['language_name']:<11} share {share:5.1%} "
              f"{'rejected' if problem else 'ACCEPTED'}")
    print(f"non-English samples caught: {caught}/{len(samples)} "
          f"(recall {caught / len(samples):.0%})")


if __name__ == "__main__":
    main()
