"""The model's entity recogniser, decoded a whole batch at a time: the same entities, less work.

Why: on candidate sentences the `ner` pipe cost as much as the rest of the parse together.
Its token vectors and first layer are a few large matrix products, which are cheap; about
two thirds of its time went to the step-by-step greedy BILUO decoding, which spaCy runs one
state at a time in compiled code. No library offers another decoder for spaCy's model, so
this one is written here. It uses the model's own weights and takes exactly the same
decisions, one token position per step for every sentence of the batch at once (numpy):
- the step's features are spaCy's for its NER state: the next token, the first token of the
  open entity and the token before the next one (padding when no entity is open);
- hidden layer: the sum of those precomputed features plus the bias, in spaCy's order, then
  maxout; scores: the output layer;
- the best move that BILUO allows in that state wins (the first, on a tie, as in spaCy):
  B and I need a next token that starts no new sentence, I and L continue the open
  entity's label, B and U never start on white space, O and U need no open entity.

A batch holding preset entities is handed to the model's own pipe, which honours them.
`tests/test_nlp_entities.py` and `benchmarks/entity_equivalence.py` check the entities and
each token's IOB tag equal the model pipe's.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # spaCy is imported lazily
    from spacy.language import Language
    from spacy.tokens import Doc

REPLACED_PIPE = "ner"
COMPONENT_NAME = "batched_ner"
_KINDS = np.array(["B", "I", "L", "M", "O", "U"])  # sorted: BILUO moves and "missing"
_BEGIN, _LAST, _UNIT = (int(np.searchsorted(_KINDS, kind)) for kind in ("B", "L", "U"))


class BatchedEntityRecogniser:
    """Drop-in for the pipeline's `ner`: its weights, its greedy decisions, batched."""

    def __init__(self, recogniser) -> None:
        model = recogniser.model
        self.recogniser = recogniser
        self.tok2vec, self.lower = model.get_ref("tok2vec"), model.get_ref("lower")
        upper = model.get_ref("upper")
        self.upper_weights = np.ascontiguousarray(upper.get_param("W").T)
        self.upper_bias = upper.get_param("b")
        self.padding = self.lower.get_param("pad")[0]  # one row per feature
        self.lower_bias = self.lower.get_param("b")
        names = [recogniser.moves.get_class_name(i) for i in range(recogniser.moves.n_moves)]
        moves = np.array([name.split("-", 1)[0] for name in names])
        labels = [name.split("-", 1)[1] if "-" in name else "" for name in names]
        self.labels = [""] + sorted({label for label in labels if label})
        self.move_label = np.array([self.labels.index(label) for label in labels])
        labelled = self.move_label > 0
        self.begin, self.inside = (moves == "B") & labelled, (moves == "I") & labelled
        self.last, self.unit = (moves == "L") & labelled, (moves == "U") & labelled
        self.out = moves == "O"
        # Each move as a small integer, so a step tells B, L and U apart cheaply.
        self.move_kind = np.searchsorted(_KINDS, moves)

    @classmethod
    def supports(cls, recogniser) -> bool:
        """Whether the model is the kind this decoder reproduces: greedy transition NER with
        spaCy's three state features, an output layer and every move seen in training."""
        model = getattr(recogniser, "model", None)
        try:
            return (model.attrs.get("has_upper") is True and not model.attrs.get("unseen_classes")
                    and model.get_ref("lower").get_dim("nF") == 3
                    and type(recogniser).__name__ == "EntityRecognizer"
                    and getattr(recogniser, "cfg", {}).get("beam_width", 1) == 1)
        except (AttributeError, KeyError, ValueError):
            return False

    def __call__(self, doc: "Doc") -> "Doc":
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable["Doc"], batch_size: int = 1000) -> Iterator["Doc"]:
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            yield from self._recognise(list(batch))

    def _recognise(self, docs: list["Doc"]) -> list["Doc"]:
        from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START
        from spacy.tokens import Span

        docs_with_tokens = [doc for doc in docs if len(doc)]
        if not docs_with_tokens:
            return docs
        arrays = [doc.to_array([SENT_START, IS_SPACE, ENT_IOB]) for doc in docs_with_tokens]
        attrs = np.concatenate(arrays)
        if attrs[:, 2].any():  # preset entities: the model's pipe knows how to keep them
            return list(self.recogniser.pipe(docs))
        # A sentinel row past the end, so "the next token" is always a valid index.
        sentence_start = np.append(attrs[:, 0] == 1, False)
        space = attrs[:, 1].astype(bool)
        lengths = np.array([len(doc) for doc in docs_with_tokens])
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        features = self.lower.predict(self.tok2vec.predict(docs_with_tokens))  # row 0: padding
        entities = self._decode(features, lengths, offsets, sentence_start, space)
        for doc, found in zip(docs_with_tokens, entities):
            doc.set_ents([Span(doc, start, end, label=self.labels[label])
                          for start, end, label in found], default="outside")
        return docs

    def _decode(self, features, lengths, offsets, sentence_start, space) -> list[list[tuple]]:
        n = len(lengths)
        position = np.zeros(n, dtype=np.int64)
        is_open = np.zeros(n, dtype=bool)
        entity_start = np.zeros(n, dtype=np.int64)
        entity_label = np.zeros(n, dtype=np.int64)
        found: list[list[tuple]] = [[] for _ in range(n)]
        active = np.arange(n)
        while active.size:
            pos, opened = position[active], is_open[active]
            token = offsets[active] + pos  # index in the batch; +1 in `features` (padding row)
            hidden = features[token + 1, 0].copy()
            hidden += np.where(opened[:, None, None],
                               features[offsets[active] + entity_start[active] + 1, 1],
                               self.padding[1])
            hidden += np.where(opened[:, None, None], features[token, 2], self.padding[2])
            hidden += self.lower_bias
            scores = hidden.max(axis=-1) @ self.upper_weights + self.upper_bias
            two_left = lengths[active] - pos >= 2
            may_extend = two_left & ~sentence_start[token + 1]
            same_label = self.move_label[None, :] == entity_label[active][:, None]
            closed, on_space = ~opened, space[token]
            valid = ((self.begin & (closed & may_extend & ~on_space)[:, None])
                     | (self.inside & (opened & may_extend)[:, None] & same_label)
                     | (self.last & opened[:, None] & same_label)
                     | (self.unit & (closed & ~on_space)[:, None])
                     | (self.out & closed[:, None]))
            best = np.where(valid, scores, -np.inf).argmax(axis=1)
            move, label = self.move_kind[best], self.move_label[best]
            for i in np.flatnonzero(move == _BEGIN):
                doc = active[i]
                is_open[doc], entity_start[doc], entity_label[doc] = True, position[doc], label[i]
            for i in np.flatnonzero(move == _LAST):
                doc = active[i]
                is_open[doc] = False
                found[doc].append((entity_start[doc], position[doc] + 1, entity_label[doc]))
            for i in np.flatnonzero(move == _UNIT):
                doc = active[i]
                found[doc].append((position[doc], position[doc] + 1, label[i]))
            position[active] += 1
            active = active[position[active] < lengths[active]]
        return found


def use_batched_entities(nlp: "Language") -> "Language":
    """Swap the pipeline's `ner` for the batched decoder, in place, under the same name; a
    pipeline without `ner`, or with a recogniser of another kind, is returned unchanged."""
    if REPLACED_PIPE not in nlp.pipe_names or not BatchedEntityRecogniser.supports(
            nlp.get_pipe(REPLACED_PIPE)):
        return nlp
    _register_factory()
    nlp.add_pipe(COMPONENT_NAME, after=REPLACED_PIPE)
    nlp.remove_pipe(REPLACED_PIPE)
    nlp.rename_pipe(COMPONENT_NAME, REPLACED_PIPE)
    return nlp


def _register_factory() -> None:
    from spacy.language import Language

    if not Language.has_factory(COMPONENT_NAME):
        Language.factory(COMPONENT_NAME, func=lambda nlp, name: BatchedEntityRecogniser(
            nlp.get_pipe(REPLACED_PIPE)))
