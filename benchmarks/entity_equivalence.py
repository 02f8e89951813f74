"""Does the batched entity decoder (tidings/entities.py) find exactly the model's entities on
real news, and how much CPU does it save?

    .venv/bin/python benchmarks/entity_equivalence.py [--corpus news|wire] [--limit 300]

Parses the corpus's candidate sentences without entities once, then runs the model's `ner`
pipe and the batched decoder over copies of the same Docs; prints CPU seconds of each and
the number of sentences whose entities or token IOB tags differ (it should be 0).
"""
from __future__ import annotations

import argparse

from equivalence import candidate_sentences, timed_pipe
from throughput import CORPORA

from tidings.entities import BatchedEntityRecogniser
from tidings.nlp import load_pipeline


def entities(doc):
    return [(e.start, e.end, e.label_) for e in doc.ents], [t.ent_iob_ for t in doc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="news")
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    sentences = candidate_sentences(args.corpus, args.limit)
    nlp = load_pipeline(cached_morphology=True)
    parsed = sorted(nlp.pipe(sentences, disable=["ner"]), key=len)
    model = nlp.get_pipe("ner")
    model_docs, model_s = timed_pipe(model, parsed, args.batch_size)
    batched_docs, batched_s = timed_pipe(BatchedEntityRecogniser(model), parsed, args.batch_size)
    differ = sum(entities(a) != entities(b) for a, b in zip(model_docs, batched_docs))
    found = sum(len(doc.ents) for doc in model_docs)
    print(f"{args.corpus}: {len(sentences)} candidate sentences, "
          f"{sum(len(d) for d in parsed)} tokens, {found} entities")
    print(f"  model ner pipe:  {model_s:6.2f} s CPU")
    print(f"  batched decoder: {batched_s:6.2f} s CPU  ({model_s / max(batched_s, 1e-9):.1f}x)")
    print(f"  sentences with different entities or IOB tags: {differ}")


if __name__ == "__main__":
    main()
