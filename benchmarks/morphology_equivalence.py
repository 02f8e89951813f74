"""Is the memoised attribute ruler + lemmatizer (tidings/morphology.py) identical to the
model's two pipes on real news, and how much CPU does it save?

    .venv/bin/python benchmarks/morphology_equivalence.py [--corpus news|wire] [--limit 300]

Parses the corpus's candidate sentences up to the NER-less morphology step once, then runs
both versions over copies of the same Docs; prints CPU seconds of each and the number of
tokens whose tag, part of speech, morphology, lemma or label differ (it should be 0).
"""
from __future__ import annotations

import argparse
import time

from equivalence import candidate_sentences
from throughput import CORPORA

from tidings.nlp import load_pipeline


def annotate(nlp, names, docs):
    docs = [doc.copy() for doc in docs]
    start = time.process_time()
    for name in names:
        pipe = nlp.get_pipe(name)
        docs = [pipe(doc) for doc in docs]
    return docs, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="news")
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    sentences = candidate_sentences(args.corpus, args.limit)
    plain = load_pipeline(cached_morphology=False)
    cached = load_pipeline(cached_morphology=True)
    parsed = list(plain.pipe(sentences, disable=["attribute_ruler", "lemmatizer", "ner"]))
    model_docs, model_s = annotate(plain, ["attribute_ruler", "lemmatizer"], parsed)
    memo_docs, memo_s = annotate(cached, ["cached_morphology"], parsed)
    tokens = differ = 0
    for a, b in zip(model_docs, memo_docs):
        for x, y in zip(a, b):
            tokens += 1
            differ += (x.tag, x.pos, x.morph.key, x.lemma, x.dep) != (y.tag, y.pos, y.morph.key, y.lemma, y.dep)
    print(f"{args.corpus}: {len(sentences)} candidate sentences, {tokens} tokens")
    print(f"  model attribute_ruler + lemmatizer: {model_s:6.2f} s CPU")
    print(f"  cached_morphology (cold memo):      {memo_s:6.2f} s CPU  ({model_s / max(memo_s, 1e-9):.1f}x)")
    print(f"  tokens annotated differently: {differ}")


if __name__ == "__main__":
    main()
