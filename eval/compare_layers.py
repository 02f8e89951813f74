"""Compare the event-type layers — lexicon only, model only, both — on the TEST split.

    .venv/bin/python eval/compare_layers.py [--backend textcat|minilm] [--per-type]

Scoring is sentence-level and multi-label: for every test sentence, the set of PLOVER types
the pipeline's events carry (after `discard`) against the set of gold event types (any
status: status is scored elsewhere). Test articles run whole, so document context counts,
and their events are scored per sentence. Prints P/R/F1 per type and macro, micro F1, and
over-generation (types predicted in sentences whose gold has no event), then the layer
with the best macro-F1. The model never trained on these lines (see eval/README.md).
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tidings.labelled import LabelledSentence, load_articles, load_sentences  # noqa: E402
from tidings.model import EVENT_TYPES, Article  # noqa: E402
from tidings.pipeline import Pipeline, load_config  # noqa: E402

LAYERS = ("lexicon", "model", "both")


@dataclass
class Tally:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    overgenerated: int = 0
    predicted: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, sentence: LabelledSentence, predicted: set[str]) -> None:
        gold = set(sentence.types)
        for t in predicted & gold:
            self.tp[t] += 1
        for t in predicted - gold:
            self.fp[t] += 1
            self.errors.append(f"extra {t:9} {sentence.id}: {sentence.text}")
        for t in gold - predicted:
            self.fn[t] += 1
            self.errors.append(f"miss  {t:9} {sentence.id}: {sentence.text}")
        self.predicted += len(predicted)
        if not sentence.events:
            self.overgenerated += len(predicted)

    def prf(self, t: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[t], self.fp[t], self.fn[t]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def macro(self) -> tuple[float, float, float]:
        scores = [self.prf(t) for t in EVENT_TYPES]
        return tuple(sum(s[i] for s in scores) / len(scores) for i in range(3))  # type: ignore

    def micro_f1(self) -> float:
        tp, fp, fn = (sum(c.values()) for c in (self.tp, self.fp, self.fn))
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def layer_config(base: dict, layer: str, backend: str, add_threshold: float | None,
                 model_threshold: float | None) -> dict:
    """The default pipeline with the typemodel entry set to this layer (inserted if absent)."""
    config = copy.deepcopy(base)
    entries = [{"name": e} if isinstance(e, str) else dict(e) for e in config["components"]]
    found = next((e for e in entries if e["name"] == "typemodel"), None)
    if found is None:
        found = {"name": "typemodel"}
        after = next(i for i, e in enumerate(entries) if e["name"] == "triggers")
        entries.insert(after + 1, found)
    found.update(layer=layer, backend=backend)
    if add_threshold is not None:
        found["add_threshold"] = add_threshold
    if model_threshold is not None:
        found["model_threshold"] = model_threshold
    config["components"] = entries
    return config


def score_layer(pipe: Pipeline, sentences: list[LabelledSentence], articles) -> Tally:
    tally = Tally()
    single = [Article(id=s.id, date=dt.date.fromisoformat(s.date), text=s.text)
              for s in sentences]
    for sentence, doc in zip(sentences, pipe.process(single)):
        tally.add(sentence, {e.event_type for e in doc.events})
    whole = [Article(id=a.id, date=dt.date.fromisoformat(a.date), text=a.text, title=a.title,
                     source=a.source) for a in articles]
    for article, doc in zip(articles, pipe.process(whole)):
        predicted: dict[int, set[str]] = {}
        for event in doc.events:
            predicted.setdefault(event.sentence_index, set()).add(event.event_type)
        for i, sentence in enumerate(article.sentences()):
            tally.add(sentence, predicted.get(i, set()))
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="textcat", choices=("textcat", "minilm"))
    parser.add_argument("--sentences", default=str(ROOT / "eval" / "events-sentences.jsonl"))
    parser.add_argument("--articles", default=str(ROOT / "eval" / "events-articles.jsonl"))
    parser.add_argument("--add-threshold", type=float, default=None)
    parser.add_argument("--model-threshold", type=float, default=None)
    parser.add_argument("--per-type", action="store_true", help="print the per-type table")
    parser.add_argument("--errors", action="store_true", help="list misses and extras")
    args = parser.parse_args(argv)

    sentences = [s for s in load_sentences(args.sentences) if s.split == "test"]
    articles_path = Path(args.articles)
    articles = [a for a in load_articles(articles_path) if a.split == "test"] \
        if articles_path.exists() else []
    base = load_config()
    tallies: dict[str, Tally] = {}
    for layer in LAYERS:
        config = layer_config(base, layer, args.backend, args.add_threshold,
                              args.model_threshold)
        tallies[layer] = score_layer(Pipeline.from_config(config), sentences, articles)

    n_sent = len(sentences) + sum(len(a.sentences()) for a in articles)
    print(f"test split: {len(sentences)} sentences + {len(articles)} articles "
          f"({n_sent} sentences scored); backend {args.backend}")
    print(f"{'layer':8} {'macroP':>7} {'macroR':>7} {'macroF1':>8} {'microF1':>8} "
          f"{'overgen':>8} {'predicted':>9}")
    for layer, tally in tallies.items():
        p, r, f = tally.macro()
        print(f"{layer:8} {p:7.3f} {r:7.3f} {f:8.3f} {tally.micro_f1():8.3f} "
              f"{tally.overgenerated:8d} {tally.predicted:9d}")
    if args.per_type:
        print(f"\n{'type':10}" + "".join(f" {layer + ' P/R/F1':>20}" for layer in LAYERS))
        for t in EVENT_TYPES:
            cells = []
            for layer in LAYERS:
                p, r, f = tallies[layer].prf(t)
                cells.append(f"{p:6.2f}/{r:4.2f}/{f:4.2f}".rjust(20))
            print(f"{t:10} " + " ".join(cells))
    if args.errors:
        for layer, tally in tallies.items():
            print(f"\n# {layer}")
            print("\n".join(tally.errors))
    best = max(tallies, key=lambda layer: tallies[layer].macro()[2])
    print(f"\nbest by macro-F1: {best}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
