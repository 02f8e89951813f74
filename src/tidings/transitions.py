"""What spaCy's transition-based pipes (the entity recogniser and the dependency parser) compute
for a state, done for a whole batch of states at once in numpy.

Why by hand: both pipes decode greedily in compiled code, one state at a time, and on
candidate sentences that loop cost more than the model's token vectors. No library offers
another decoder for spaCy's models. This module holds the part the two decoders share, the
model's own arithmetic in spaCy's order: `tidings.entities` and `tidings.dependencies` hold
each transition system.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # spaCy is imported lazily
    from spacy.language import Language
    from spacy.tokens import Doc


class BatchedPipe:
    """What the batched decoders share as drop-ins for a model pipe: they decode a
    minibatch of Docs at a time (`_decode_batch`)."""

    def __call__(self, doc: "Doc") -> "Doc":
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable["Doc"], batch_size: int = 1000) -> Iterator["Doc"]:
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            yield from self._decode_batch(list(batch))

    def _decode_batch(self, docs: list["Doc"]) -> list["Doc"]:
        raise NotImplementedError


def replace_pipe(nlp: "Language", pipe_name: str, component_name: str, decoder: type) -> "Language":
    """Swap the pipeline's pipe `pipe_name` for `decoder(pipe)`, in place and under the same
    name, when `decoder.supports(pipe)`; otherwise the pipeline is returned unchanged."""
    from spacy.language import Language

    if pipe_name not in nlp.pipe_names or not decoder.supports(nlp.get_pipe(pipe_name)):
        return nlp
    if not Language.has_factory(component_name):
        def make(nlp, name):  # spaCy's factory signature; the model pipe is still in place
            return decoder(nlp.get_pipe(pipe_name))

        Language.factory(component_name, func=make)
    nlp.add_pipe(component_name, after=pipe_name)
    nlp.remove_pipe(pipe_name)
    nlp.rename_pipe(component_name, pipe_name)
    return nlp


class StateScorer:
    """Scores of every move for a batch of states, from a transition model's own weights."""

    def __init__(self, model) -> None:
        from thinc.api import NumpyOps

        # thinc's single-threaded BLAS, as the models use: numpy's matmul would start
        # OpenBLAS threads, which in worker processes compete for the same cores.
        self.ops = NumpyOps()
        self.tok2vec, self.lower = model.get_ref("tok2vec"), model.get_ref("lower")
        upper = model.get_ref("upper")
        self.upper_weights = np.ascontiguousarray(upper.get_param("W").T)
        self.upper_bias = upper.get_param("b")
        self.lower_bias = self.lower.get_param("b")
        self.n_features = self.lower.get_dim("nF")
        self._feature_index = np.arange(self.n_features)

    @staticmethod
    def reproduces(model, n_features: int) -> bool:
        """Whether `model` is the kind of model this scorer computes exactly: an output layer,
        every move seen in training, and `n_features` features per state."""
        try:
            return (model.attrs.get("has_upper") is True and not model.attrs.get("unseen_classes")
                    and model.get_ref("lower").get_dim("nF") == n_features
                    and model.get_ref("lower").get_dim("nP") >= 2)
        except (AttributeError, KeyError, ValueError):
            return False

    def token_features(self, docs) -> np.ndarray:
        """Each token's precomputed share of the hidden layer, per feature slot; row 0 is the
        model's padding (a slot with no token), so token i of the batch is row i + 1."""
        return self.lower.predict(self.tok2vec.predict(docs))

    def scores(self, features: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Move scores for states whose feature slots hold the batch token indices `ids`
        (-1: none). The features are added in slot order, then the bias, as spaCy does."""
        gathered = features[ids + 1, self._feature_index]
        hidden = gathered[:, 0].copy()
        for slot in range(1, self.n_features):
            hidden += gathered[:, slot]
        hidden += self.lower_bias
        # maxout over the pieces, elementwise (a reduction over a last axis of two is slow)
        best = hidden[..., 0]
        for piece in range(1, hidden.shape[-1]):
            best = np.maximum(best, hidden[..., piece])
        scores = self.ops.gemm(np.ascontiguousarray(best), self.upper_weights)
        scores += self.upper_bias
        return scores
