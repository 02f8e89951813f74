"""Does the cheap first pass keep every sentence that carries a gold event, and how many
corpus sentences does it send to the parser?

A tighter cheap pass is only worth having if the first figure stays ~100%: a sentence the
pass drops is never parsed, so its events are lost whatever the later stages do.

    .venv/bin/python benchmarks/prefilter_recall.py [--limit 200]

Reads the labelled sets at run time (eval/ in the repo, ../shared/eval/ beside it) and the
shared corpora; prints, per labelled set, the share of gold-event sentences kept (and the
first few dropped ones), then the share of corpus sentences kept.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from throughput import CORPORA, ROOT

from tidings.nlp import is_candidate, split_sentences
from tidings.pipeline import Pipeline

LABELLED = {
    "events-sentences": ROOT / "eval" / "events-sentences.jsonl",
    "events-articles": ROOT / "eval" / "events-articles.jsonl",
    "plover-gsr-dev": ROOT.parent / "shared" / "eval" / "plover-gsr-dev.jsonl",
}


def gold_event_sentences(path: Path) -> list[str]:
    """The sentence text of every gold event (articles: the event's evidence sentence)."""
    texts: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if "event" in row:  # plover-gsr: one event per row
                if row["event"]:
                    texts.append(row["text"])
                continue
            for event in row.get("events") or []:
                texts.append(event.get("evidence") or row["text"])
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200, help="articles per corpus")
    parser.add_argument("--show", type=int, default=5, help="dropped sentences to print")
    args = parser.parse_args()
    terms = frozenset(Pipeline.from_config().prefilter_terms() or ())
    print(f"cheap pass: {len(terms)} terms")
    for name, path in LABELLED.items():
        texts = gold_event_sentences(path)
        dropped = [t for t in texts if not is_candidate(t, terms)]
        kept = 1 - len(dropped) / max(len(texts), 1)
        print(f"{name:<17} gold-event sentences kept: {kept:7.2%} "
              f"({len(texts) - len(dropped)}/{len(texts)})")
        for text in dropped[: args.show]:
            print(f"    dropped: {text[:140]}")
    from throughput import read_corpus

    for corpus, path in CORPORA.items():
        sentences = [s.text for a in read_corpus(path, args.limit) for s in split_sentences(a.text)]
        kept = sum(is_candidate(s, terms) for s in sentences)
        print(f"{corpus:<17} corpus sentences kept:    {kept / max(len(sentences), 1):7.2%} "
              f"({kept}/{len(sentences)})")


if __name__ == "__main__":
    main()
