"""The one document object that flows through the named pipeline components.

Like a spaCy `Doc`, a `TidingsDoc` starts with the article and its sentences, and each
component adds its own annotations: events, time expressions, places, quotes, mentions.
Sentences that the cheap first pass marks as candidates carry a parsed spaCy `Doc`;
the others carry text only, so components that need a parse skip them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tidings.model import Article, Entity, Event, Place, Quote, Timex

if TYPE_CHECKING:  # spaCy is imported lazily by tidings.nlp
    from spacy.tokens import Doc, Token


@dataclass
class Sentence:
    """A sentence of the article. Token `t` of `doc` sits at article offset `start + t.idx`."""

    index: int
    start: int
    end: int
    text: str
    candidate: bool = False
    doc: "Doc | None" = None

    def token_start(self, token: "Token") -> int:
        """Article offset of a token of this sentence's parse."""
        return self.start + token.idx

    def token_end(self, token: "Token") -> int:
        return self.start + token.idx + len(token.text)

    def span_offsets(self, first: "Token", last: "Token") -> tuple[int, int]:
        """Article offsets covering tokens first..last inclusive."""
        return self.token_start(first), self.token_end(last)


@dataclass
class TidingsDoc:
    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # Named mentions across the whole article (for coreference), set by `resolve`.
    mentions: list[Entity] = field(default_factory=list)
    # Scratch space for hand-offs a component documents, keyed by component name.
    user_data: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing an article offset."""
        for sent in self.sentences:
            if sent.start <= offset < sent.end:
                return sent
        return None

    def parsed(self) -> list[Sentence]:
        return [s for s in self.sentences if s.doc is not None]
