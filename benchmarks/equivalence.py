"""What the equivalence benchmarks share: a corpus's candidate sentences (those the first
cheap pass marks), and CPU seconds of a pipe run over copies of the same Docs."""
from __future__ import annotations

import time

from throughput import CORPORA, read_corpus

from tidings.nlp import is_candidate, split_sentences
from tidings.pipeline import Pipeline


def candidate_sentences(corpus: str, limit: int) -> list[str]:
    terms = frozenset(Pipeline.from_config().prefilter_terms() or ())
    return [s.text for a in read_corpus(CORPORA[corpus], limit)
            for s in split_sentences(a.text) if is_candidate(s.text, terms)]


def timed_pipe(pipe, docs, batch_size: int):
    """The pipe's output on copies of `docs` (the originals stay unannotated), and its CPU seconds."""
    docs = [doc.copy() for doc in docs]
    start = time.process_time()
    docs = list(pipe.pipe(docs, batch_size=batch_size))
    return docs, time.process_time() - start
