"""The model's dependency parser, decoded a whole batch at a time: the same parse, less work.

Why: after the entity recogniser was batched (`tidings.entities`), the parser's own greedy
decoding, one state at a time in compiled code, was the largest cost of the parse left
after the token vectors (see `tidings.transitions`). This decoder uses the model's weights
and spaCy's arc-eager transition system, and takes exactly the same decisions, one step per
state for every sentence of the batch at once:
- a state is a stack, a buffer (with the words a Reduce put back first), heads, and per head
  its left and right arcs in the order they were added;
- the features are spaCy's eight: the first two buffer words, the top three stack words,
  the latest left child of the first buffer word and the latest left and right children of
  the top stack word;
- the moves and their validity are spaCy's: Shift, Reduce (or put back a headless word),
  Left and Right arcs with a label, and Break (the next word starts a sentence);
- spaCy deletes an arc from a head's list only when it is the last one added, so a stale
  arc can still serve as a feature and decide the word's head at the end. This decoder
  keeps that behaviour: the parse is the model pipe's, not a cleaned-up one.

A batch with preset heads or labels is handed to the model's pipe, as is any batch where a
word would gain a second arc on one side (which the argument above rules out, so it is a
guard). `tests/test_nlp_dependencies.py` and `benchmarks/parse_equivalence.py` check the
heads, labels and sentence starts equal the model pipe's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tidings.transitions import BatchedPipe, StateScorer, replace_pipe

if TYPE_CHECKING:  # spaCy is imported lazily
    from spacy.language import Language
    from spacy.tokens import Doc

REPLACED_PIPE = "parser"
COMPONENT_NAME = "batched_parser"
SHIFT, REDUCE, LEFT, RIGHT, BREAK = range(5)
_MOVES = {"S": SHIFT, "D": REDUCE, "L": LEFT, "R": RIGHT, "B": BREAK}


class _Unreproducible(Exception):
    """A batch this decoder cannot follow exactly; the model's pipe parses it instead."""


class BatchedParser(BatchedPipe):
    """Drop-in for the pipeline's `parser`: its weights, its greedy decisions, batched."""

    def __init__(self, parser) -> None:
        from spacy.pipeline._parser_internals.nonproj import deprojectivize

        self.parser, self.deprojectivize = parser, deprojectivize
        self.scorer = StateScorer(parser.model)
        names = [parser.moves.get_class_name(i) for i in range(parser.moves.n_moves)]
        self.move_kind = np.array([_MOVES[name.split("-", 1)[0]] for name in names])
        strings = parser.vocab.strings
        self.move_label = np.array([strings.add(name.split("-", 1)[1]) if "-" in name else 0
                                    for name in names], dtype=np.uint64)
        self.root_label = strings.add("ROOT")

    @classmethod
    def supports(cls, parser) -> bool:
        """Whether the pipe is the kind this decoder reproduces: spaCy's greedy arc-eager
        parser with its eight state features, no subtoken moves, and only the usual
        non-projective post-processing."""
        from spacy.pipeline._parser_internals.nonproj import deprojectivize

        try:
            names = [parser.moves.get_class_name(i) for i in range(parser.moves.n_moves)]
            return (type(parser).__name__ == "DependencyParser"
                    and parser.cfg.get("beam_width", 1) == 1
                    and not parser.cfg.get("learn_tokens")
                    and not any(name.endswith("-subtok") for name in names)
                    and all(name.split("-", 1)[0] in _MOVES for name in names)
                    and tuple(parser.postprocesses) == (deprojectivize,)
                    and StateScorer.reproduces(parser.model, n_features=8))
        except (AttributeError, KeyError, ValueError):
            return False

    def _decode_batch(self, docs: list["Doc"]) -> list["Doc"]:
        from spacy.attrs import DEP, HEAD, SENT_START

        docs_with_tokens = [doc for doc in docs if len(doc)]
        if not docs_with_tokens:
            return docs
        arrays = [doc.to_array([SENT_START, HEAD, DEP]) for doc in docs_with_tokens]
        if any(array[:, 1:].any() for array in arrays):  # preset heads or labels
            return list(self.parser.pipe(docs))
        features = self.scorer.token_features(docs_with_tokens)
        try:
            heads, labels = _ArcEager(self, [a[:, 0].astype(np.int64) for a in arrays]).run(features)
        except _Unreproducible:
            return list(self.parser.pipe(docs))
        for doc, head, label in zip(docs_with_tokens, heads, labels):
            offsets = np.where(head >= 0, head - np.arange(len(doc)), 0)
            label = np.where(head >= 0, label, self.root_label).astype(np.uint64)
            doc.from_array([HEAD, DEP], np.stack([offsets.astype(np.uint64), label], axis=1))
            self.deprojectivize(doc)
        return docs


class _ArcEager:
    """The states of one batch, as arrays with a row per sentence, and their greedy run."""

    def __init__(self, decoder: BatchedParser, sentence_starts: list[np.ndarray]) -> None:
        self.decoder = decoder
        n = len(sentence_starts)
        self.length = np.array([len(s) for s in sentence_starts], dtype=np.int64)
        self.offset = np.concatenate([[0], np.cumsum(self.length)[:-1]])
        width = int(self.length.max()) + 1
        self.preset_start = np.zeros((n, width), dtype=np.int64)  # 1, -1 or 0 (unknown)
        for row, starts in enumerate(sentence_starts):
            self.preset_start[row, :len(starts)] = starts
        matrix = lambda value, dtype=np.int64: np.full((n, width), value, dtype=dtype)  # noqa: E731
        self.stack, self.rebuffer = matrix(-1), matrix(-1)
        self.depth, self.put_back = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
        self.next_word = np.zeros(n, dtype=np.int64)  # the buffer's first unread word
        self.head = matrix(-1)
        self.unshiftable, self.breaks = matrix(False, bool), matrix(False, bool)
        # Per side: each head's latest arc (its child), each child's arc added before it
        # on that head, and the child's arc on that side: present, head, label.
        self.latest = {LEFT: matrix(-1), RIGHT: matrix(-1)}
        self.earlier = {LEFT: matrix(-1), RIGHT: matrix(-1)}
        self.has_arc = {LEFT: matrix(False, bool), RIGHT: matrix(False, bool)}
        self.arc_head = {LEFT: matrix(-1), RIGHT: matrix(-1)}
        self.arc_label = {LEFT: matrix(0, np.uint64), RIGHT: matrix(0, np.uint64)}

    # -- the state's words --------------------------------------------------------------
    def buffer(self, rows: np.ndarray, i: int) -> np.ndarray:
        put_back = self.put_back[rows]
        from_put_back = self.rebuffer[rows, np.maximum(put_back - 1 - i, 0)]
        word = self.next_word[rows] + (i - put_back)
        unread = np.where(word < self.length[rows], word, -1)
        return np.where(i < put_back, from_put_back, unread)

    def stack_word(self, rows: np.ndarray, i: int) -> np.ndarray:
        depth = self.depth[rows]
        return np.where(i < depth, self.stack[rows, np.maximum(depth - 1 - i, 0)], -1)

    def child(self, side: int, rows: np.ndarray, head: np.ndarray) -> np.ndarray:
        return np.where(head >= 0, self.latest[side][rows, np.maximum(head, 0)], -1)

    def starts_sentence(self, rows: np.ndarray, word: np.ndarray) -> np.ndarray:
        inside = (word >= 0) & (word < self.length[rows])
        at = np.maximum(word, 0)
        return inside & ((self.preset_start[rows, at] == 1) | self.breaks[rows, at])

    def cannot_start_sentence(self, rows: np.ndarray, word: np.ndarray) -> np.ndarray:
        inside = (word >= 0) & (word < self.length[rows])
        return inside & (self.preset_start[rows, np.maximum(word, 0)] == -1)

    # -- the run ------------------------------------------------------------------------
    def run(self, features: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        decoder = self.decoder
        active = np.flatnonzero(self.length > 0)
        while active.size:
            rows = active
            b0, b1 = self.buffer(rows, 0), self.buffer(rows, 1)
            s0, s1, s2 = (self.stack_word(rows, i) for i in range(3))
            words = np.stack([b0, b1, s0, s1, s2, self.child(LEFT, rows, b0),
                              self.child(LEFT, rows, s0), self.child(RIGHT, rows, s0)], axis=1)
            ids = np.where(words >= 0, words + self.offset[rows][:, None], -1)
            scores = decoder.scorer.scores(features, ids)
            valid = self.valid_kinds(rows, b0, b1)[:, decoder.move_kind]
            best = np.where(valid, scores, -np.inf).argmax(axis=1)
            none_valid = ~valid[np.arange(rows.size), best]
            kind, label = decoder.move_kind[best], decoder.move_label[best]
            kind[none_valid] = -1
            self.apply(rows, kind, label, b0, b1, s0)
            stuck = rows[none_valid]  # spaCy's force_final
            self.depth[stuck], self.next_word[stuck] = 0, self.length[stuck]
            buffered = (self.length[rows] - self.next_word[rows]) + self.put_back[rows]
            active = rows[(self.depth[rows] > 0) | (buffered > 0)]
        return self.parses()

    def valid_kinds(self, rows, b0, b1) -> np.ndarray:
        depth = self.depth[rows]
        buffered = (self.length[rows] - self.next_word[rows]) + self.put_back[rows]
        b0_starts = self.starts_sentence(rows, b0)
        unshiftable = (b0 >= 0) & self.unshiftable[rows, np.maximum(b0, 0)]
        valid = np.zeros((rows.size, 5), dtype=bool)
        valid[:, SHIFT] = (depth == 0) | ((buffered >= 2) & ~b0_starts & ~unshiftable)
        valid[:, REDUCE] = (depth > 0) & (
            (buffered == 0) | ~((depth == 1) & self.cannot_start_sentence(rows, b0)))
        valid[:, LEFT] = valid[:, RIGHT] = (depth > 0) & (buffered > 0) & ~b0_starts
        valid[:, BREAK] = ((buffered >= 2) & (b1 == b0 + 1) & ~self.starts_sentence(rows, b1)
                           & ~self.cannot_start_sentence(rows, b1))
        return valid

    def apply(self, rows, kind, label, b0, b1, s0) -> None:
        shift, reduce_ = kind == SHIFT, kind == REDUCE
        left, right, brk = kind == LEFT, kind == RIGHT, kind == BREAK
        if reduce_.any():
            r, top = rows[reduce_], s0[reduce_]
            back = (self.head[r, top] < 0) & (self.depth[r] > 1)  # headless: put back
            self.depth[r] -= 1
            rb, word = r[back], top[back]
            self.unshiftable[rb, word] = True
            self.rebuffer[rb, self.put_back[rb]] = word
            self.put_back[rb] += 1
        if left.any():
            r = rows[left]
            self.add_arcs(r, b0[left], s0[left], label[left])
            self.unshiftable[r, b0[left]] = False
            self.depth[r] -= 1
        if right.any():
            self.add_arcs(rows[right], s0[right], b0[right], label[right])
        if brk.any():
            self.breaks[rows[brk], b1[brk]] = True
        self.push(rows[shift | right])

    def push(self, rows: np.ndarray) -> None:
        if not rows.size:
            return
        put_back = self.put_back[rows]
        from_put_back = put_back > 0
        word = np.where(from_put_back, self.rebuffer[rows, np.maximum(put_back - 1, 0)],
                        self.next_word[rows])
        self.put_back[rows] -= from_put_back
        self.next_word[rows] += ~from_put_back
        self.stack[rows, self.depth[rows]] = word
        self.depth[rows] += 1

    def add_arcs(self, rows, heads, children, labels) -> None:
        """spaCy's add_arc: a child's previous arc is deleted from its head's list only if
        it is that list's latest; then the new arc is added to its head's list."""
        old = self.head[rows, children]
        for side, on_side in ((LEFT, old > children), (RIGHT, (old >= 0) & (old < children))):
            r, head, child = rows[on_side], old[on_side], children[on_side]
            latest = self.latest[side][r, head] == child
            r, head, child = r[latest], head[latest], child[latest]
            self.latest[side][r, head] = self.earlier[side][r, child]
            self.has_arc[side][r, child] = False
        for side, on_side in ((LEFT, heads > children), (RIGHT, heads < children)):
            r, head, child, label = rows[on_side], heads[on_side], children[on_side], labels[on_side]
            if self.has_arc[side][r, child].any():
                raise _Unreproducible("a word would have two arcs on one side")
            self.earlier[side][r, child] = self.latest[side][r, head]
            self.latest[side][r, head] = child
            self.has_arc[side][r, child] = True
            self.arc_head[side][r, child] = head
            self.arc_label[side][r, child] = label
        self.head[rows, children] = heads

    def parses(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Each sentence's heads (-1: a root) and labels, as spaCy writes them from its arc
        lists: all left arcs first, then all right ones, so a right arc wins."""
        right, left = self.has_arc[RIGHT], self.has_arc[LEFT]
        head = np.where(right, self.arc_head[RIGHT], np.where(left, self.arc_head[LEFT], -1))
        label = np.where(right, self.arc_label[RIGHT], np.where(left, self.arc_label[LEFT], 0))
        return ([head[row, :n] for row, n in enumerate(self.length)],
                [label[row, :n] for row, n in enumerate(self.length)])


def use_batched_parser(nlp: "Language") -> "Language":
    """Swap the pipeline's `parser` for the batched decoder, in place, under the same name; a
    pipeline without it, or with a pipe of another kind, is returned unchanged."""
    return replace_pipe(nlp, REPLACED_PIPE, COMPONENT_NAME, BatchedParser)
