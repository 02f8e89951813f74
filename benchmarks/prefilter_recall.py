"""Does the cheap first pass keep every sentence that carries a gold event, and how many
corpus sentences does it send to the parser?

A tighter cheap pass is only worth having if the first figure stays ~100%: a sentence the
pass drops is never parsed, so its events are lost whatever the later stages do.

    .venv/bin/python benchmarks/prefilter_recall.py [--limit 200]

Reads the labelled sets at run time (eval/ in the repo, ../shared/eval/ beside it) and the
shared corpora; prints, per labelled set, the share of gold-event sentences kept (and the
first few dropped ones), then the share of corpus sentences kept. Both passes: the word
test, then the second cheap pass on the parse without entities (a sentence it drops is one
no lexicon entry could match, so the lexicon loses nothing there; the figure shows what the
parse-level test itself rejects).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from throughput import CORPORA, ROOT

from tidings.nlp import ENTITY_PIPE, is_candidate, split_sentences
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


def second_pass(pipeline: Pipeline, texts: list[str]) -> list[bool]:
    """Does the second cheap pass keep each sentence (parsed without entities)?"""
    confirm = pipeline._confirm
    if confirm is None:
        return [True] * len(texts)
    nlp = pipeline.nlp.load()
    return [confirm(sdoc) for sdoc in nlp.pipe(texts, disable=[ENTITY_PIPE], batch_size=256)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200, help="articles per corpus")
    parser.add_argument("--show", type=int, default=5, help="dropped sentences to print")
    args = parser.parse_args()
    pipeline = Pipeline.from_config()
    terms = frozenset(pipeline.prefilter_terms() or ())
    print(f"cheap pass: {len(terms)} terms")
    for name, path in LABELLED.items():
        texts = gold_event_sentences(path)
        first = [t for t in texts if is_candidate(t, terms)]
        both = [t for t, ok in zip(first, second_pass(pipeline, first)) if ok]
        total = max(len(texts), 1)
        print(f"{name:<17} gold-event sentences kept: first pass {len(first) / total:7.2%} "
              f"({len(first)}/{len(texts)}), both passes {len(both) / total:7.2%} ({len(both)})")
        for text in [t for t in texts if t not in set(both)][: args.show]:
            print(f"    dropped: {text[:140]}")
    from throughput import read_corpus

    for corpus, path in CORPORA.items():
        sentences = [s.text for a in read_corpus(path, args.limit) for s in split_sentences(a.text)]
        first = [s for s in sentences if is_candidate(s, terms)]
        both = sum(second_pass(pipeline, first))
        total = max(len(sentences), 1)
        print(f"{corpus:<17} corpus sentences kept:    first pass {len(first) / total:7.2%} "
              f"({len(first)}/{len(sentences)}), both passes {both / total:7.2%} ({both})")


if __name__ == "__main__":
    main()
