"""One pass over an article's words that finds every name, title and role word of the KB.

Why a token n-gram dictionary: a regex alternation of thousands of names backtracks at every
position, while a dictionary lookup per (position, length) is constant time. The index is
built once per knowledge base; an article is tokenised once and scanned left to right,
taking the longest phrase that starts at each word.

Proper names match case-sensitively ("US" the country, not "us"); titles and role words
case-insensitively. A leading "the" is not part of any key: "the Kremlin" and "Kremlin" both
match the metonym.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from tidings.resolve.kb import KnowledgeBase

# A word: letters/digits joined by inner dots, hyphens or apostrophes ("U.S", "Jean-Noël",
# "O'Brien"); a trailing possessive "'s" is dropped from the word's extent.
_TOKEN = re.compile(r"\w+(?:[.\-'’]\w+)*")
# Family name first, so the short form of "Xi Jinping" is "Xi".
FAMILY_NAME_FIRST = frozenset({"CHN", "TWN", "KOR", "PRK", "VNM", "HKG"})
_PARTICLES = frozenset({"bin", "al", "el", "de", "da", "di", "van", "von", "der", "la", "le", "du", "dos"})


class Token(NamedTuple):
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Entry:
    """What a phrase can mean. `kind` is one of the KINDS below; `target` an id or code."""

    kind: str
    target: str


# Case-sensitive name kinds, then case-insensitive word kinds.
NAME_KINDS = ("person", "short", "org", "country", "metonym", "adjective", "demonym")
WORD_KINDS = ("office", "title", "name_title", "counterpart", "pronoun", "role", "origin_role", "deport_cue")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    text: str
    entries: tuple[Entry, ...]

    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}

    def of(self, kind: str) -> list[str]:
        return [e.target for e in self.entries if e.kind == kind]


def tokenize(text: str) -> list[Token]:
    tokens = []
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start()
        if len(word) > 2 and word[-2:] in ("'s", "’s"):
            word = word[:-2]
        tokens.append(Token(word, start, start + len(word)))
    return tokens


def _key(phrase: str, lower: bool) -> tuple[str, ...]:
    words = [t.text for t in tokenize(phrase)]
    if words and words[0].lower() == "the":
        words = words[1:]
    return tuple(w.lower() for w in words) if lower else tuple(words)


def short_names(name: str, country: str) -> list[str]:
    """The one-word forms a person is referred to by: the family name."""
    words = [t.text for t in tokenize(name)]
    if len(words) < 2:
        return []
    if country in FAMILY_NAME_FIRST:
        return [words[0]]
    last = words[-1]
    if last.rstrip(".").lower() in ("jr", "sr", "ii", "iii"):
        last = words[-2]
    out = [last]
    if len(words) >= 3 and words[-2].lower() in _PARTICLES:
        out.append(" ".join(words[-2:]))
    return out


class NameIndex:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.names: dict[tuple[str, ...], set[Entry]] = defaultdict(set)
        self.words: dict[tuple[str, ...], set[Entry]] = defaultdict(set)
        self._build()
        # The longest phrase starting with each word bounds the lookups at a position.
        self.longest: dict[str, int] = defaultdict(int)
        for key in self.names:
            self.longest[key[0]] = max(self.longest[key[0]], len(key))
        for key in self.words:
            self.longest[key[0]] = max(self.longest[key[0]], len(key))

    def _add(self, phrase: str, entry: Entry, lower: bool = False) -> None:
        key = _key(phrase, lower)
        if not key:
            return
        (self.words if lower else self.names)[key].add(entry)
        if not lower and key[0][:1].islower():
            # "von der Leyen" opens a sentence as "Von der Leyen"
            self.names[(key[0][:1].upper() + key[0][1:],) + key[1:]].add(entry)

    def _build(self) -> None:
        kb = self.kb
        common = {w for words in kb.roles.sectors.values() for w in words}
        for person in kb.people.values():
            for name in (person.name, *person.aliases):
                if len(_key(name, False)) == 1:
                    self._add(name, Entry("short", person.id))
                else:
                    self._add(name, Entry("person", person.id))
            for name in (person.name, *(a for a in person.aliases if len(_key(a, False)) > 1)):
                for short in short_names(name, person.country):
                    if short.lower() not in common:
                        self._add(short, Entry("short", person.id))
        for org in kb.organisations.values():
            for name in (org.name, *org.aliases):
                self._add(name, Entry("org", org.id))
        for country in kb.countries.values():
            if country.nonstate:
                continue
            code = country.coded_as
            for name in (country.name, *country.aliases):
                self._add(name, Entry("country", code))
            for name in country.metonyms:
                self._add(name, Entry("metonym", code))
            for name in country.adjectives:
                self._add(name, Entry("adjective", code))
            for name in country.demonyms:
                self._add(name, Entry("demonym", code))
        roles = kb.roles
        for office in kb.offices.values():
            for alias in office.aliases:
                self._add(alias, Entry("office", office.id), lower=True)
        for kind, phrases in roles.titles.items():
            for phrase in phrases:
                self._add(phrase, Entry("title", kind), lower=True)
        for phrase in roles.name_titles:
            self._add(phrase, Entry("name_title", phrase), lower=True)
        for phrase in roles.counterpart_words:
            self._add(phrase, Entry("counterpart", phrase), lower=True)
        for word, gender in roles.pronouns.items():
            self._add(word, Entry("pronoun", gender), lower=True)
        for sector, phrases in roles.sectors.items():
            for phrase in phrases:
                self._add(phrase, Entry("role", sector), lower=True)
        for sector, phrases in roles.origin_roles.items():
            for phrase in phrases:
                self._add(phrase, Entry("origin_role", sector), lower=True)
        for phrase in roles.deportation_cues:
            self._add(phrase, Entry("deport_cue", phrase), lower=True)

    def scan(self, text: str, tokens: list[Token] | None = None) -> tuple[list[Token], list[Hit]]:
        """Every longest match, left to right; a name and a word phrase of equal length merge."""
        tokens = tokenize(text) if tokens is None else tokens
        hits: list[Hit] = []
        texts = [t.text for t in tokens]
        lowered = [w.lower() for w in texts]
        longest = self.longest
        i, n = 0, len(tokens)
        while i < n:
            best_len, best = 0, set()
            reach = max(longest.get(texts[i], 0), longest.get(lowered[i], 0))
            for length in range(min(reach, n - i), 0, -1):
                found = set(self.names.get(tuple(texts[i:i + length]), ()))
                found |= self.words.get(tuple(lowered[i:i + length]), set())
                if found:
                    best_len, best = length, found
                    break
            if best_len:
                first, last = tokens[i], tokens[i + best_len - 1]
                hits.append(Hit(first.start, last.end, i, i + best_len - 1, text[first.start:last.end],
                                tuple(sorted(best, key=lambda e: (e.kind, e.target)))))
                i += best_len
            else:
                i += 1
        return tokens, hits
