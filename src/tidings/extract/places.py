"""The `places` component: toponyms, their resolution, metonymy, and event locations.

1. Find toponyms: spaCy GPE/LOC/FAC entities in parsed sentences, plus gazetteer names
   in the raw text (every sentence, since most are never parsed; unparsed ones accept
   only well-known names, so capitalised common words do not become places).
2. Resolve them all at once against the article's evidence (`disambiguate.Resolver`).
3. Mark metonyms: a capital or a country acting as a government ("New Delhi was
   engaging") is role "metonym" and never an event location; nationality words
   ("Indian") are kept as role "demonym", resolved to their place.
4. Give each event the place where it happened, following the parse from the trigger
   ("landing in Amritsar", "talks in Riyadh", "visit Washington").

Unresolvable names stay in `doc.places` with location None; nothing here fails an article.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import yaml

from tidings.document import Sentence, TidingsDoc
from tidings.errors import ConfigError
from tidings.extract.disambiguate import Mention, Resolution, Resolver
from tidings.extract.gazetteer import Gazetteer, GazEntry, load_gazetteer, normalise
from tidings.model import Event, Location, Place
from tidings.registry import component

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

PLACE_LABELS = ("GPE", "LOC", "FAC")
# A word of running text: letters, with inner dots/apostrophes/hyphens ("U.S.", "Ras al-Ayn").
_WORD = re.compile(r"[^\W\d_]+(?:[.'\u2019-][^\W\d_]+)*\.?")
# Lower-case words allowed inside a multi-word name ("Bosnia and Herzegovina").
# Entity labels inside which a gazetteer name is never a toponym.
_NEVER_INSIDE = frozenset({"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY",
                           "QUANTITY", "PERCENT", "LANGUAGE", "LAW"})
_CONNECTORS = frozenset({"of", "and", "de", "del", "al", "el", "la", "le", "du", "upon",
                         "on", "the", "da", "di", "des"})


@dataclass
class FoundToponym:
    """A toponym span and where it came from, before resolution."""

    start: int
    end: int
    text: str
    sentence: Sentence
    source: str  # "ner:GPE", "gazetteer:parsed" or "gazetteer:text"
    root: "Token | None" = None


@dataclass(frozen=True)
class EndPointRules:
    """How a following sentence tells where a journey ended (data/gazetteer/end_points.yaml)."""

    event_modes: frozenset[str]  # "TYPE/mode"
    max_sentences_after: int
    cue: re.Pattern[str]
    fillers: frozenset[str]
    participant_words: dict[str, frozenset[str]]
    pronouns: frozenset[str]

    @classmethod
    def load(cls, path: Path) -> "EndPointRules":
        try:
            data = yaml.safe_load(path.read_text("utf-8"))
            cues = sorted(data["cues"], key=len, reverse=True)  # longest phrase first
            return cls(frozenset(data["event_modes"]), int(data["max_sentences_after"]),
                       re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b",
                                  re.IGNORECASE),
                       frozenset(w.casefold() for w in data.get("fillers") or ()),
                       {mode: frozenset(w.casefold() for w in words) for mode, words in
                        (data.get("participant_words") or {}).items()},
                       frozenset(w.casefold() for w in data.get("pronouns") or ()))
        except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"cannot read end-point rules {path}: {exc}") from exc


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _word_list(path: Path) -> frozenset[str]:
    return frozenset(line.strip().casefold() for line in path.read_text("utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


class TextMatcher:
    """Finds gazetteer names in plain text: longest capitalised word sequence first."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        settings = gazetteer.weights["text_match"]
        self.min_city_population = settings["min_city_population"]
        self.max_words = settings["max_words"]
        self.not_toponyms = _word_list(gazetteer.directory / "not_toponyms.txt")
        self.generic_words = frozenset(normalise(w) for w in settings["generic_words"])

    def acceptable(self, text: str, key: str) -> bool:
        """Plain text is noisy: only a place's main name or a hand-written alias counts
        (alternate names are codes and old spellings: "CMB", "Act"), capitalised common
        words never do, and a short all-capitals word only as an alias ("US", "UAE")."""
        short_caps = text.isupper() and len(key) <= 3
        if not short_caps and (key in _stop_words() or key in self.not_toponyms
                               or key in self.generic_words or len(key) < 3):
            return False
        for entry, preferred in self.gaz.preferred(text):
            if not preferred or (short_caps and normalise(entry.name) == key):
                continue
            if entry.kind != "city" or entry.population >= self.min_city_population:
                return True
        return False

    def find(self, text: str) -> list[tuple[int, int, str]]:
        words = []
        for match in _WORD.finditer(text):
            word = match.group()
            end = match.end()
            if word.endswith(".") and word.count(".") == 1:  # a full stop, not "U.S."
                end -= 1
            words.append((match.start(), end))
        found = []
        i = 0
        while i < len(words):
            start = words[i][0]
            if not text[start].isupper():
                i += 1
                continue
            for n in range(min(self.max_words, len(words) - i), 0, -1):
                last_start, end = words[i + n - 1]
                if not text[last_start].isupper():
                    continue
                inner = [text[s:e] for s, e in words[i + 1:i + n - 1]]
                if any(not w[0].isupper() and w.casefold() not in _CONNECTORS for w in inner):
                    continue
                if any(text[e:s2].strip() not in ("", ",", "-") or "\n" in text[e:s2]
                       for (_, e), (s2, _) in zip(words[i:i + n - 1], words[i + 1:i + n])):
                    continue  # names do not run across punctuation other than a comma
                span = text[start:end]
                if "," in span and n > 1:
                    continue
                key = normalise(span)
                if self.gaz.has_name(key) and self.acceptable(span, key):
                    found.append((start, end, span))
                    i += n
                    break
            else:
                i += 1
        return found


class PlacesComponent:
    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.resolver = Resolver(gazetteer)
        self.matcher = TextMatcher(gazetteer)
        self.metonymy = gazetteer.weights["metonymy"]
        self.locating = gazetteer.weights["event_location"]
        self.end_points = EndPointRules.load(gazetteer.directory / "end_points.yaml")
        self.outlets = [(row[0].casefold(), row[1].strip()) for row in (
            line.split("\t") for line in (gazetteer.directory / "outlets.tsv")
            .read_text("utf-8").splitlines() if line.strip() and not line.startswith("#"))]

    # -- finding -------------------------------------------------------------------
    def find_toponyms(self, doc: TidingsDoc) -> tuple[list[FoundToponym], list[FoundToponym]]:
        """Toponym spans in article order, and the demonyms ("Indian", "European")."""
        found: list[FoundToponym] = []
        demonyms: list[FoundToponym] = []
        for sent in doc.sentences:
            taken: list[tuple[int, int, str]] = []
            replacing: set[tuple[int, int]] = set()  # gazetteer spans that replaced an entity
            matches = [(sent.start + s, sent.start + e, text)
                       for s, e, text in self.matcher.find(sent.text)]
            if sent.doc is not None:
                for ent in sent.doc.ents:
                    start, end = sent.span_offsets(ent[0], ent[-1])
                    if ent.label_ == "NORP" and self.gaz.demonym_place(ent.text):
                        demonyms.append(FoundToponym(start, end, ent.text, sent, "ner:NORP",
                                                     ent.root))
                    elif ent.label_ in PLACE_LABELS:
                        better = self._gazetteer_spans_for(self._from_entity(sent, ent), matches)
                        if better:
                            found.extend(FoundToponym(s, e, text, sent, how,
                                                      self._root(sent, s, e))
                                         for s, e, text, how in better)
                            replacing.update((s, e) for s, e, _, _ in better)
                            continue  # the gazetteer's spans replace the tagger's
                        found.append(self._from_entity(sent, ent))
                    taken.append((start, end, ent.label_))
            else:
                demonyms.extend(
                    FoundToponym(sent.start + w.start(), sent.start + w.end(), w.group(), sent,
                                 "text") for w in _WORD.finditer(sent.text)
                    if w.group()[0].isupper() and self.gaz.demonym_place(w.group()))
            for start, end, text in matches:
                if (start, end) in replacing:
                    continue
                how = self._match_source(start, end, text, taken)
                if how is not None:
                    found.append(FoundToponym(start, end, text, sent, how,
                                              self._root(sent, start, end)))
        found.sort(key=lambda f: f.start)
        return self._without_person_names(doc, found), demonyms

    def _gazetteer_spans_for(self, entity: FoundToponym, matches: list[tuple[int, int, str]]
                             ) -> list[tuple[int, int, str, str]]:
        """Gazetteer names that should replace a tagged place span: a longer name around
        it ("Trinidad" of "Trinidad and Tobago"), or the countries a run-together span
        lists ("Greece Italy"). Empty when the tagger's span stands."""
        around = [m for m in matches if m[0] <= entity.start and entity.end <= m[1]
                  and (m[0], m[1]) != (entity.start, entity.end)]
        if around:
            start, end, text = max(around, key=lambda m: m[1] - m[0])
            return [(start, end, text, "gazetteer:extends-entity")]
        inside = [m for m in matches if entity.start <= m[0] and m[1] <= entity.end]
        if (len(inside) < 2 or self.gaz.has_name(normalise(entity.text))
                or not all(any(e.kind == "country" for e in self.gaz.candidates(m[2]))
                           for m in inside)):
            return []
        text = entity.sentence.text
        offset = entity.sentence.start
        edges = [entity.start, *(x for m in inside for x in m[:2]), entity.end]
        gaps = [text[a - offset:b - offset] for a, b in zip(edges[::2], edges[1::2])]
        if any(gap.strip(" ,") for gap in gaps):
            return []
        return [(s, e, t, "gazetteer:split-entity") for s, e, t in inside]

    def _match_source(self, start: int, end: int, text: str,
                      taken: list[tuple[int, int, str]]) -> str | None:
        """Whether a gazetteer match counts, given the entities of its sentence.

        A match no entity covers counts ("gazetteer:text"); so does one that an entity of
        another label covers exactly, a place the tagger mislabelled ("US" as ORG,
        "Punjab" as NORP; as PERSON only a country or region). Inside a longer
        organisation or event name only countries and regions count ("Pakistan" in
        "Pakistan Army"). Never inside a person's name, a date or a number.
        """
        if self.gaz.demonym_place(text):
            return None
        covering = [(s, e, label) for s, e, label in taken if s < end and start < e]
        if not covering:
            return "gazetteer:text"
        if len(covering) > 1:
            return None
        s, e, label = covering[0]
        if label in PLACE_LABELS:  # found as an entity already
            return None
        region = any(c.kind not in ("city", "admin2") for c in self.gaz.candidates(text))
        if (s, e) == (start, end) and (region or label != "PERSON"):
            return "gazetteer:relabelled"
        if label not in _NEVER_INSIDE and s <= start and end <= e and region:
            return "gazetteer:embedded"
        return None

    def _without_person_names(self, doc: TidingsDoc, found: list[FoundToponym]
                              ) -> list[FoundToponym]:
        """Drop a tagged "place" that is a person's name elsewhere in the article ("Modi"
        as GPE), unless it names a country or a national capital ("Jordan", "Washington"),
        or a region that is not that person's surname ("Georgia", not "Miranda" of
        "Lin-Manuel Miranda")."""
        people: set[str] = set()
        surnames: set[str] = set()
        for sent in doc.parsed():
            for ent in sent.doc.ents:
                if ent.label_ == "PERSON":
                    people.add(normalise(ent.text))
                    if len(ent) > 1 and not _spaced_punctuation(ent):  # not "Trump - Ohio"
                        surnames.add(normalise(ent[-1].text))
        if not people:
            return found
        kept = []
        for top in found:
            key = normalise(top.text)
            if key not in people and key not in surnames:
                kept.append(top)
                continue
            entries = self.gaz.candidates(top.text)
            if any(e.kind == "country" or e.is_capital for e in entries) or (
                    key not in surnames and any(e.kind not in ("city", "admin2")
                                                for e in entries)):
                kept.append(top)
        return kept

    @staticmethod
    def _from_entity(sent: Sentence, ent: "Span") -> FoundToponym:
        first = ent[0]
        if first.lower_ == "the" and len(ent) > 1:
            ent = ent[1:]
        start, end = sent.span_offsets(ent[0], ent[-1])
        return FoundToponym(start, end, ent.text, sent, f"ner:{ent.label_}", ent.root)

    @staticmethod
    def _root(sent: Sentence, start: int, end: int) -> "Token | None":
        if sent.doc is None:
            return None
        span = sent.doc.char_span(start - sent.start, end - sent.start, alignment_mode="expand")
        return span.root if span is not None else None

    def outlet_country(self, doc: TidingsDoc) -> str | None:
        article = doc.article
        haystack = " ".join(x for x in (article.source, article.url) if x).casefold()
        for fragment, country in self.outlets:
            if fragment in haystack:
                return country
        if article.url:
            host = urlparse(article.url).hostname or ""
            if "." in host:
                return self.gaz.country_of_tld("." + host.rsplit(".", 1)[1])
        return None

    # -- the component -------------------------------------------------------------
    def __call__(self, doc: TidingsDoc) -> None:
        found, demonyms = self.find_toponyms(doc)
        mentions = [Mention(f.text, f.start, f.end, may_fall_back=len(f.text.split()) > 1
                            or f.source in ("ner:LOC", "ner:FAC")) for f in found]
        named = [(d, self.gaz.demonym_place(d.text)) for d in demonyms]
        resolutions = self.resolver.resolve(doc.text, mentions,
                                            [p.country for _, p in named if p and p.country],
                                            self.outlet_country(doc))
        # A demonym names its place but is never where an event happened: role "demonym".
        doc.places.extend(Place(text=d.text, start=d.start, end=d.end,
                                location=self.location(d.text, place), role="demonym",
                                rule=f"{d.source}+demonym", score=1.0) for d, place in named)
        located: list[tuple[FoundToponym, Place]] = []
        for top, res in zip(found, resolutions):
            role, rule = self._role(top, res)
            place = Place(text=top.text, start=top.start, end=top.end,
                          location=self.location(top.text, res.entry),
                          role=role, rule=f"{top.source}+{rule}", score=res.score)
            doc.places.append(place)
            if not res.guessed:  # an event is never located at a guessed place
                located.append((top, place))
        doc.places.sort(key=lambda p: p.start)
        for event in doc.events:
            self.locate_event(doc, event, located)
        for event in doc.events:
            if event.location is None:
                self.locate_at_end_point(doc, event, located)
        self.carry_over(doc.events)

    def locate_at_end_point(self, doc: TidingsDoc, event: Event,
                            located: list[tuple[FoundToponym, Place]]) -> None:
        """A deportation or a visit without a place of its own, followed in the same
        paragraph by "the deportees ... after landing in Amritsar": the journey's end
        point is where it happened (`end_points.yaml`)."""
        rules = self.end_points
        if (f"{event.event_type}/{event.mode}" not in rules.event_modes
                or not 0 <= event.sentence_index < len(doc.sentences)):
            return
        referents = _participant_heads(event) | rules.participant_words.get(event.mode or "",
                                                                           frozenset())
        previous = doc.sentences[event.sentence_index]
        for sent in doc.sentences[event.sentence_index + 1:
                                  event.sentence_index + 1 + rules.max_sentences_after]:
            if "\n" in doc.text[previous.end:sent.start]:
                return  # the paragraph, and with it the story, ended
            accepted = referents | rules.pronouns if previous.index == event.sentence_index \
                else referents
            for cue in rules.cue.finditer(sent.text):
                place = self._place_after(doc, sent, sent.start + cue.end(), located)
                if place is not None and self._refers_back(sent, cue.start(), accepted):
                    event.location = place.location
                    event.provenance["location"] = "places:arrival-in-following-sentence"
                    return
            previous = sent

    def _place_after(self, doc: TidingsDoc, sent: Sentence, offset: int,
                     located: list[tuple[FoundToponym, Place]]) -> Place | None:
        """The place named right after an arrival cue, filler words allowed ("the city of")."""
        for top, place in located:
            if (top.sentence is sent and top.start >= offset and place.role == "place"
                    and place.location is not None):
                gap = doc.text[offset:top.start].split()
                if len(gap) <= 4 and all(w.casefold() in self.end_points.fillers for w in gap):
                    return place
        return None

    @staticmethod
    def _refers_back(sent: Sentence, cue_start: int, referents: frozenset[str]) -> bool:
        """Is the sentence about the event's participants? With a parse: a subject of the
        cue's clause or of a clause above it ("The deportees claimed ... that they were
        unshackled after landing in X"); without one, any word before the cue."""
        if sent.doc is None:
            return any(w.group().casefold() in referents
                       for w in _WORD.finditer(sent.text[:cue_start]))
        cue = next((t for t in sent.doc if t.idx >= cue_start), None)
        if cue is None:
            return False
        for word in (cue, *cue.ancestors):
            for child in word.children:
                if child.dep_ in ("nsubj", "nsubjpass") and (
                        child.lower_ in referents or child.lemma_.lower() in referents):
                    return True
        return False

    def carry_over(self, events: list[Event]) -> None:
        """An event told again without a place ("Modi is likely to meet Trump on February
        13") takes the location of the same kind of event shortly before it that shares
        a participant ("visit Washington ... and hold meetings with Trump")."""
        window = self.locating["carry_over_sentences"]
        ordered = sorted(events, key=lambda e: (e.sentence_index, e.trigger_head))
        for i, event in enumerate(ordered):
            if event.location is not None or event.sentence_index < 0:
                continue
            heads = _participant_heads(event)
            for earlier in reversed(ordered[:i]):
                if event.sentence_index - earlier.sentence_index > window:
                    break
                if (earlier.location is not None and earlier.event_type == event.event_type
                        and earlier.sentence_index < event.sentence_index
                        and heads & _participant_heads(earlier)):
                    event.location = earlier.location
                    event.provenance["location"] = (
                        f"places:carried-over-from-sentence-{earlier.sentence_index}")
                    break

    def _role(self, top: FoundToponym, res: Resolution) -> tuple[str, str]:
        entry, token = res.entry, top.root
        if entry is None or token is None or not (entry.is_capital or entry.kind == "country"):
            return "place", res.rule
        if token.dep_ in self.metonymy["subject_deps"] and token.head.pos_ in ("VERB", "AUX"):
            if token.head.lemma_.lower() not in self.metonymy["literal_predicates"]:
                return "metonym", f"metonym:{token.dep_}-of-{token.head.lemma_.lower()}"
        if token.dep_ == "poss":
            return "metonym", "metonym:possessor"
        return "place", res.rule

    def location(self, text: str, entry: GazEntry | None) -> Location | None:
        if entry is None:
            return None
        if entry.kind == "admin1":
            admin1_name = entry.name
        else:
            region = self.gaz.admin1(entry.country, entry.admin1) if entry.admin1 else None
            admin1_name = region.name if region else None
        return Location(text=text, name=entry.name, geonameid=entry.geonameid,
                        lat=round(entry.lat, 5), lon=round(entry.lon, 5), admin1=admin1_name,
                        country=self.gaz.iso3(entry.country) if entry.country else None,
                        feature_code=entry.feature_code, precision=entry.precision)

    # -- event locations -------------------------------------------------------------
    def locate_event(self, doc: TidingsDoc, event: Event,
                     located: list[tuple[FoundToponym, Place]]) -> None:
        if not 0 <= event.sentence_index < len(doc.sentences):
            return
        sent = doc.sentences[event.sentence_index]
        if sent.doc is None or not 0 <= event.trigger_head < len(sent.doc):
            return
        trigger = sent.doc[event.trigger_head]
        best: tuple[int, int, str, Place] | None = None
        for top, place in located:
            if (top.sentence is not sent or place.role != "place" or place.location is None
                    or top.root is None):
                continue
            link = self._link(trigger, top.root)
            if link is None:
                continue
            rank, rule = link
            key = (rank, abs(top.root.i - trigger.i), rule, place)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is not None:
            _, _, rule, place = best
            event.location = place.location
            event.provenance["location"] = f"places:{rule}"

    def _link(self, trigger: "Token", place: "Token") -> tuple[int, str] | None:
        """How the parse ties a place to a trigger: (rank, rule), lower rank is closer."""
        governor, how = None, ""
        while place.dep_ in ("compound", "appos", "conj") and place.head is not place:
            place = place.head  # "Washington, D.C.", "Punjab and Haryana"
        # "in the city of Aleppo", "at the port of Mombasa": climb to the locative phrase.
        if (place.dep_ == "pobj" and place.head.lower_ == "of" and place.head.head.dep_ == "pobj"
                and place.head.head.head.lower_ in self.locating["prepositions"]):
            place = place.head.head
        if place.dep_ == "pobj" and place.head.dep_ == "prep":
            prep = place.head
            if prep.lower_ in self.locating["prepositions"]:
                governor, how = prep.head, prep.lower_
        elif place.dep_ == "dobj" and place.head.lemma_.lower() in self.locating[
                "destination_verbs"]:
            governor, how = place.head, "object"
        if governor is None:
            return None
        if governor == trigger:
            return 0, f"{how}-of-trigger"
        hops = _hops(governor, trigger)
        if hops is not None and hops <= self.locating["max_hops"]:
            return 1, f"{how}-in-trigger-clause"
        hops = _hops(trigger, governor)
        if (hops is not None and hops <= self.locating["max_hops"]
                and governor.lemma_.lower() not in self.locating["reporting_verbs"]):
            return 2, f"{how}-of-governing-word"
        return None


def _participant_heads(event: Event) -> set[str]:
    """Last words of the actor and recipient spans, lower-cased, pronouns left out."""
    return {entity.text.split()[-1].casefold() for entity in (*event.actor, *event.recipient)
            if entity.text.split() and entity.text.split()[-1].casefold() not in _stop_words()}


def _spaced_punctuation(span: "Span") -> bool:
    """Does a span hold a free-standing dash or comma ("Trump - Wisconsin"), which joins
    two names, unlike the hyphen inside one ("Lin-Manuel")?"""
    return any(t.is_punct and (t.whitespace_ or (t.i > 0 and t.nbor(-1).whitespace_))
               for t in span)


def _hops(token: "Token", ancestor: "Token") -> int | None:
    """Number of heads from token up to ancestor, or None when it is not an ancestor."""
    for hops, head in enumerate(token.ancestors, start=1):
        if head == ancestor:
            return hops
    return None


@component("places")
def make_places(config: dict[str, Any]) -> PlacesComponent:
    return PlacesComponent(load_gazetteer(config.get("gazetteer_dir")))
