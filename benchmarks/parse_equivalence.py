"""Does the batched parser decoder (tidings/dependencies.py) parse exactly like the model's
parser on real news, and how much CPU does it save?

    .venv/bin/python benchmarks/parse_equivalence.py [--corpus news|wire] [--limit 300]

Runs the corpus's candidate sentences through the token vectors and the tagger once, then
the model's `parser` pipe and the batched decoder over copies of the same Docs; prints CPU
seconds of each and the number of sentences whose heads, labels or sentence starts differ
(it should be 0).
"""
from __future__ import annotations

import argparse

from equivalence import candidate_sentences, timed_pipe
from throughput import CORPORA

from tidings.dependencies import BatchedParser
from tidings.nlp import load_pipeline


def tree(doc):
    return [(t.head.i, t.dep_, t.is_sent_start, t.left_edge.i, t.right_edge.i, t.n_lefts, t.n_rights)
            for t in doc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="news")
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    sentences = candidate_sentences(args.corpus, args.limit)
    nlp = load_pipeline()
    vectors = sorted(nlp.pipe(sentences, disable=["parser", "attribute_ruler", "lemmatizer", "ner"]),
                     key=len)
    model = nlp.get_pipe("parser")
    model_docs, model_s = timed_pipe(model, vectors, args.batch_size)
    batched_docs, batched_s = timed_pipe(BatchedParser(model), vectors, args.batch_size)
    differ = sum(tree(a) != tree(b) for a, b in zip(model_docs, batched_docs))
    print(f"{args.corpus}: {len(sentences)} candidate sentences, {sum(len(d) for d in vectors)} tokens")
    print(f"  model parser pipe: {model_s:6.2f} s CPU")
    print(f"  batched decoder:   {batched_s:6.2f} s CPU  ({model_s / max(batched_s, 1e-9):.1f}x)")
    print(f"  sentences parsed differently: {differ}")


if __name__ == "__main__":
    main()
