"""The model's entity recogniser, decoded a whole batch at a time: the same entities, less work.

Why: on candidate sentences the `ner` pipe cost as much as the rest of the parse together,
and about two thirds of its time went to the step-by-step greedy BILUO decoding (see
`tidings.transitions`). This decoder uses the model's own weights and takes exactly the same
decisions, one token position per step for every sentence of the batch at once:
- the step's features are spaCy's for its NER state: the next token, the first token of the
  open entity and the token before the next one (none when no entity is open);
- the best move that BILUO allows in that state wins (the first, on a tie, as in spaCy):
  B and I need a next token that starts no new sentence, I and L continue the open
  entity's label, B and U never start on white space, O and U need no open entity.

A batch holding preset entities is handed to the model's own pipe, which honours them.
`tests/test_nlp_entities.py` and `benchmarks/entity_equivalence.py` check the entities and
each token's IOB tag equal the model pipe's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tidings.transitions import BatchedPipe, StateScorer, replace_pipe

if TYPE_CHECKING:  # spaCy is imported lazily
    from spacy.language import Language
    from spacy.tokens import Doc

REPLACED_PIPE = "ner"
COMPONENT_NAME = "batched_ner"
_KINDS = np.array(["B", "I", "L", "M", "O", "U"])  # sorted: BILUO moves and "missing"
_BEGIN, _LAST, _UNIT = (int(np.searchsorted(_KINDS, kind)) for kind in ("B", "L", "U"))


class BatchedEntityRecogniser(BatchedPipe):
    """Drop-in for the pipeline's `ner`: its weights, its greedy decisions, batched."""

    def __init__(self, recogniser) -> None:
        self.recogniser = recogniser
        self.scorer = StateScorer(recogniser.model)
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
        """Whether the pipe is the kind this decoder reproduces: spaCy's greedy entity
        recogniser, with its three state features."""
        return (type(recogniser).__name__ == "EntityRecognizer"
                and getattr(recogniser, "cfg", {}).get("beam_width", 1) == 1
                and StateScorer.reproduces(getattr(recogniser, "model", None), n_features=3))

    def _decode_batch(self, docs: list["Doc"]) -> list["Doc"]:
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
        features = self.scorer.token_features(docs_with_tokens)
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
            token = offsets[active] + pos  # index in the batch
            # spaCy's NER state features: the next token, the open entity's first token and
            # the token before the next one (none without an open entity).
            ids = np.full((active.size, 3), -1)
            ids[:, 0] = token
            ids[opened, 1] = (offsets[active] + entity_start[active])[opened]
            ids[opened, 2] = token[opened] - 1
            scores = self.scorer.scores(features, ids)
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
    pipeline without it, or with a pipe of another kind, is returned unchanged."""
    return replace_pipe(nlp, REPLACED_PIPE, COMPONENT_NAME, BatchedEntityRecogniser)
