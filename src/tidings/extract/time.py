"""The `time` component: time expressions of the article, and each event's date and status.

Why this shape: the tagger (`extract.timex`) reads the whole article text, because dates
sit in sentences that were never parsed. The parse, where there is one, does two jobs the
text cannot: it gives the tense that points an underspecified date ("Friday") to the past
or the future, and it tells which expression governs an event's trigger ("met on Monday to
plan Friday's talks": Monday governs "met"). Status is read on the same walk up the parse
from the trigger: negation, conditions, modals and plan words ("slated to", "likely to"),
progressive aspect, and the event date against the article date.

Fields set: `doc.timexes`; per event `date`, `status`, `provenance["date"]`,
`provenance["status"]`. Cue words live in `data/time/status.yaml`, calendar words in
`data/time/words.yaml`; pipeline.yaml may point the component at other copies with
`words: PATH` and `status_cues: PATH`.

Date rules (provenance["date"]): `timex:<rule>/governs-trigger|governs-clause|nearest`,
`date:carried-from-previous-sentence/...` (basis inferred), `date:same-event-earlier-mention`
(basis inferred), `date:article-date` (basis article_date).
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tidings.document import Sentence, TidingsDoc
from tidings.extract.timex import TimexTagger, _load_yaml, default_tagger, load_words
from tidings.model import Event, EventDate, Timex
from tidings.registry import component

if TYPE_CHECKING:
    from spacy.tokens import Token

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
# Edges the walk from a trigger to its governors follows: control, coordination, light verbs.
CHAIN_EDGES = {"xcomp", "conj", "acomp", "dobj", "attr", "nsubjpass", "nsubj", "pobj", "prep",
               "oprd", "advcl", "relcl", "acl", "ccomp", "pcomp", "compound", "amod"}


@functools.lru_cache(maxsize=4)
def load_status_cues(path: str | None = None) -> "StatusCues":
    return StatusCues.from_mapping(_load_yaml("time/status.yaml", path))


@dataclass(frozen=True)
class StatusCues:
    future_governors: frozenset[str]
    hypothetical_governors: frozenset[str]
    future_auxiliaries: frozenset[str]
    hypothetical_auxiliaries: frozenset[str]
    conditional_markers: frozenset[str]
    negators: frozenset[str]
    negating_governors: frozenset[str]
    planned_modifiers: frozenset[str]
    hypothetical_modifiers: frozenset[str]
    negated_modifiers: frozenset[str]
    ongoing_modifiers: frozenset[str]
    ongoing_governors: frozenset[str]
    historical_days: int

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> "StatusCues":
        words = {name: frozenset(str(w).lower() for w in data.get(name, []))
                 for name in cls.__dataclass_fields__ if name != "historical_days"}
        return cls(**words, historical_days=int(data.get("historical_days", 365)))


class SentenceLocator:
    """The sentence holding an article offset, by binary search: long articles have
    thousands of sentences, and `TidingsDoc.sentence_at` walks them all."""

    def __init__(self, sentences: list[Sentence]):
        self.sentences = sentences
        self.starts = [s.start for s in sentences]

    def at(self, offset: int) -> Sentence | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return self.sentences[i]
        return None


# ---------------------------------------------------------------------------------------
# Tense from the parse


def span_root(sent: Sentence, start: int, end: int) -> "Token | None":
    """The token of a character span (article offsets) whose head lies outside it."""
    if sent.doc is None:
        return None
    tokens = [t for t in sent.doc if sent.token_start(t) < end and sent.token_end(t) > start]
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    for tok in tokens:
        if tok.head.i not in inside or tok.head.i == tok.i:
            return tok
    return tokens[0]


def governing_verb(token: "Token") -> "Token | None":
    """The nearest verb at or above a token, through prepositions and noun phrases."""
    current = token
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX") or current.tag_ in ("VBD", "VBN", "VBG", "VBZ", "VBP", "VB"):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def verb_tense(verb: "Token", cues: StatusCues) -> int | None:
    """-1 past, +1 future, None present or unknown: the verb's own form and its governors."""
    aux_words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux_words & cues.future_auxiliaries:
        return 1
    if any(c.lower_ == "going" for c in verb.children) or _governed_by(verb, cues.future_governors, 3):
        return 1
    if verb.tag_ == "VBD" or aux_words & {"had", "did", "was", "were", "has", "have"}:
        return -1
    if verb.tag_ == "VBN" and verb.dep_ not in ("amod", "acl"):
        return -1
    if verb.tag_ == "VBG" and aux_words & {"is", "are", "am", "'s", "'re"}:
        return 1
    return None


def _governed_by(token: "Token", lemmas: frozenset[str], depth: int) -> "Token | None":
    """A governor within `depth` control/coordination steps whose lemma is in `lemmas`."""
    current = token
    for _ in range(depth):
        if current.dep_ not in ("xcomp", "conj", "acomp", "ccomp", "advcl", "pcomp", "prep", "pobj") \
                or current.head.i == current.i:
            return None
        current = current.head
        if current.lemma_.lower() in lemmas or current.lower_ in lemmas:
            return current
    return None


class ParseDirection:
    """direction(start, end) for the tagger: the tense of the verb governing the span."""

    def __init__(self, sentences: Iterable[Sentence], cues: StatusCues):
        self.locator = SentenceLocator([s for s in sentences if s.doc is not None])
        self.cues = cues

    def __call__(self, start: int, end: int) -> int | None:
        sent = self.locator.at(start)
        if sent is None:
            return None
        root = span_root(sent, start, end)
        verb = governing_verb(root) if root is not None else None
        return verb_tense(verb, self.cues) if verb is not None else None


def parse_direction_for_text(text: str):
    """A ParseDirection over a text parsed in full (used by eval/time_eval.py --parse)."""
    from tidings.model import Article
    from tidings.nlp import NlpStage

    doc = TidingsDoc(article=Article(id="eval", date=dt.date.today(), text=text))
    NlpStage().annotate([doc], terms=None)
    return ParseDirection(doc.sentences, load_status_cues())


# ---------------------------------------------------------------------------------------
# Dates of events


CALENDAR_VALUE = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?|-W(\d\d)(?:-WE)?|-(Q\d|H\d|SP|SU|FA|WI))?(?:T.*)?$")


def event_date_from_timex(timex: Timex, basis: str) -> EventDate | None:
    """The record's date (ISO day, YYYY-MM, YYYY-Www or YYYY) from a calendar timex."""
    m = CALENDAR_VALUE.match(timex.value)
    if timex.type not in ("DATE", "TIME") or not m:
        return None
    year, month, day, week, part = m.groups()
    if day:
        return EventDate(f"{year}-{month}-{day}", "day", timex.text, basis)
    if week:
        return EventDate(f"{year}-W{week}", "week", timex.text, basis)
    if month:
        return EventDate(f"{year}-{month}", "month", timex.text, basis)
    return EventDate(year, "year", timex.text, basis)


def date_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day an EventDate value covers."""
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            day = dt.date.fromisoformat(value)
            return day, day
        if m := re.fullmatch(r"(\d{4})-W(\d\d)", value):
            first = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return first, first + dt.timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d\d)", value):
            first = dt.date(int(m.group(1)), int(m.group(2)), 1)
            nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def tree_distance(a: "Token", b: "Token") -> int:
    """Edges between two tokens of one parse."""
    up_a = [a] + list(a.ancestors)
    index_a = {t.i: n for n, t in enumerate(up_a)}
    for n, t in enumerate([b] + list(b.ancestors)):
        if t.i in index_a:
            return index_a[t.i] + n
    return 99


def timex_governor(sent: Sentence, timex: Timex) -> "Token | None":
    """The word a time expression modifies: above its root, past any preposition."""
    root = span_root(sent, timex.start, timex.end)
    if root is None:
        return None
    current = root
    for _ in range(3):
        if current.head.i == current.i:
            return current
        current = current.head
        if current.pos_ != "ADP":
            return current
    return current


def trigger_token(sent: Sentence, event: Event) -> "Token | None":
    if sent.doc is None:
        return None
    if 0 <= event.trigger_head < len(sent.doc):
        return sent.doc[event.trigger_head]
    return span_root(sent, event.evidence.trigger_start, event.evidence.trigger_end)


def best_timex(sent: Sentence, event: Event, timexes: list[Timex]) -> tuple[Timex, str] | None:
    """The calendar timex governing the trigger, with the rule that chose it."""
    usable = [t for t in timexes if event_date_from_timex(t, "text") is not None]
    if not usable:
        return None
    trigger = trigger_token(sent, event)
    if trigger is None:
        middle = (event.evidence.trigger_start + event.evidence.trigger_end) / 2
        chosen = min(usable, key=lambda t: (abs((t.start + t.end) / 2 - middle),
                                            PRECISION_RANK[t.precision]))
        return chosen, "nearest"
    scored = []
    for tx in usable:
        governor = timex_governor(sent, tx)
        if governor is None:
            continue
        inside_timex = tx.start <= sent.token_start(governor) < tx.end
        distance = tree_distance(trigger, governor)
        if governor.i == trigger.i:
            score = 0
        elif any(t.i == governor.i for t in trigger.ancestors):
            score = distance
        elif any(t.i == trigger.i for t in governor.ancestors):
            if _embedded_clause_between(trigger, governor):
                continue  # "agreed to meet in October": October dates the meeting, not the deal
            score = distance + 0.5
        else:
            score = distance + 3
        if inside_timex:  # "next week on February 13": one expression refining another
            score += 0.25
        scored.append((score, PRECISION_RANK[tx.precision], tx))
    if not scored:
        return None
    scored.sort(key=lambda item: (item[0], item[1]))
    best_score = scored[0][0]
    # Expressions attached to the same word refine one another: take the finest.
    close = [s for s in scored if s[0] <= best_score + 0.5]
    close.sort(key=lambda item: (item[1], item[0]))
    rule = "governs-trigger" if best_score == 0 else "governs-clause"
    return close[0][2], rule


# ---------------------------------------------------------------------------------------
# Status


def _chain(trigger: "Token") -> list["Token"]:
    """The trigger and the words it hangs from up to the clause that holds it."""
    chain = [trigger]
    current = trigger
    for _ in range(6):
        if current.head.i == current.i or current.dep_ in ("ccomp", "parataxis", "relcl", "advcl"):
            break
        if current.dep_ not in CHAIN_EDGES:
            break
        current = current.head
        chain.append(current)
    return chain


def status_from_parse(trigger: "Token", cues: StatusCues) -> tuple[str, str] | None:
    """Status and rule from negation, conditions, modals and plan words around the trigger."""
    chain = _chain(trigger)
    for position, tok in enumerate(chain):
        children = list(tok.children)
        lowers = {c.lower_ for c in children}
        deps = {c.dep_ for c in children}
        if position > 0 and tok.lemma_.lower() in cues.negating_governors and tok.i != trigger.i:
            return "negated", f"status:cue:{tok.lemma_.lower()}"
        if "neg" in deps or (lowers & cues.negators and any(
                c.dep_ in ("neg", "advmod", "det", "preconj") and c.lower_ in cues.negators
                for c in children)):
            if tok.pos_ in ("VERB", "AUX", "NOUN", "ADJ") and (position == 0 or tok.pos_ != "NOUN"):
                return "negated", "status:negation"
        if position == 0 and tok.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("nsubj", "nsubjpass") and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
                for c in children):
            return "negated", "status:negated-subject"
        marks = {c.lower_ for c in children if c.dep_ == "mark"}
        conditions = {m.lower_ for c in children if c.dep_ == "advcl" for m in c.children
                      if m.dep_ == "mark" and m.lower_ in cues.conditional_markers}
        if conditions and tok.pos_ in ("VERB", "AUX"):
            return "hypothetical", f"status:condition-clause:{sorted(conditions)[0]}"
        if marks & cues.conditional_markers:
            return "hypothetical", f"status:condition:{sorted(marks & cues.conditional_markers)[0]}"
        aux = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
        if aux & cues.future_auxiliaries:
            return "planned", f"status:modal:{sorted(aux & cues.future_auxiliaries)[0]}"
        if aux & cues.hypothetical_auxiliaries:
            word = sorted(aux & cues.hypothetical_auxiliaries)[0]
            if word in ("would", "'d") and _reported_clause(tok, chain):
                return "planned", "status:reported-future:would"
            return "hypothetical", f"status:modal:{word}"
        if tok.i == trigger.i and tok.pos_ in ("NOUN", "PROPN"):
            mods = {c.lower_ for c in children if c.dep_ in ("amod", "compound", "det", "nmod")}
            if mods & cues.negated_modifiers:
                return "negated", f"status:modifier:{sorted(mods & cues.negated_modifiers)[0]}"
            if mods & cues.hypothetical_modifiers:
                return "hypothetical", f"status:modifier:{sorted(mods & cues.hypothetical_modifiers)[0]}"
            if mods & cues.planned_modifiers:
                return "planned", f"status:modifier:{sorted(mods & cues.planned_modifiers)[0]}"
            if mods & cues.ongoing_modifiers:
                return "ongoing", f"status:modifier:{sorted(mods & cues.ongoing_modifiers)[0]}"
        if position > 0:
            lemma = tok.lemma_.lower()
            if lemma in cues.hypothetical_governors or tok.lower_ in cues.hypothetical_governors:
                return "hypothetical", f"status:cue:{lemma}"
            if lemma in cues.future_governors or tok.lower_ in cues.future_governors:
                if lemma == "agree" and tok.tag_ not in ("VBD", "VBN", "VBZ", "VBP"):
                    continue
                return "planned", f"status:cue:{tok.lower_ if tok.lower_ in cues.future_governors else lemma}"
            if lemma in cues.ongoing_governors and tok.tag_ in ("VBZ", "VBP", "VBG"):
                return "ongoing", f"status:cue:{lemma}"
        if tok.pos_ in ("VERB", "AUX") and tok.tag_ == "VBG" and (
                aux & {"is", "are", "am", "'s", "'re"}
                or ({"been"} <= aux and aux & {"has", "have", "'s", "'ve"})
                or (aux & {"was", "were"} and _reported_clause(tok, chain))):
            return "ongoing", "status:progressive"
        if tok.dep_ == "xcomp" and tok.head.lemma_ == "be" and any(
                c.lower_ == "to" for c in children):
            return "planned", "status:cue:be-to"
    return None


def _embedded_clause_between(top: "Token", below: "Token") -> bool:
    """Whether `below` sits in a clause embedded under `top` (xcomp, ccomp, advcl...)."""
    current = below
    while current.i != top.i and current.head.i != current.i:
        if current.dep_ in ("xcomp", "ccomp", "advcl", "relcl", "acl", "csubj"):
            return True
        current = current.head
    return False


def _definite_nominal(tok: "Token") -> bool:
    """A noun introduced as known: "the deportation", "his visit"."""
    return tok.pos_ == "NOUN" and any(
        c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "his", "her", "its", "their")
        for c in tok.children)


def _reported_clause(tok: "Token", chain: list["Token"]) -> bool:
    top = chain[-1]
    return top.dep_ == "ccomp" and top.head.tag_ in ("VBD", "VBN")


# ---------------------------------------------------------------------------------------
# The component


class TimeComponent:
    def __init__(self, tagger: TimexTagger, cues: StatusCues):
        self.tagger = tagger
        self.cues = cues

    def __call__(self, doc: TidingsDoc) -> None:
        anchor = doc.article.date
        direction = ParseDirection(doc.sentences, self.cues)
        doc.timexes = self.tagger.tag(doc.text, anchor, direction)
        locator = SentenceLocator(doc.sentences)
        by_sentence: dict[int, list[Timex]] = {}
        for tx in doc.timexes:
            sent = locator.at(tx.start)
            if sent is not None:
                by_sentence.setdefault(sent.index, []).append(tx)
        dated: list[Event] = []
        for event in sorted(doc.events, key=lambda e: e.evidence.trigger_start):
            sent = self._sentence(doc, event, locator)
            self._date(doc, sent, event, by_sentence, dated)
            self._status(doc, sent, event)
            dated.append(event)

    # -- date --------------------------------------------------------------------------

    def _date(self, doc: TidingsDoc, sent: Sentence | None, event: Event,
              by_sentence: dict[int, list[Timex]], earlier: list[Event]) -> None:
        trigger = trigger_token(sent, event) if sent is not None else None
        same = self._same_event_earlier(event, earlier, same_words=False)
        if same is not None and trigger is not None and _definite_nominal(trigger):
            # "the deportation" again: a repeated mention keeps the first mention's date
            # rather than the date of the clause that talks about it.
            event.date = EventDate(same.date.value, same.date.precision, same.date.text, "inferred")
            event.provenance["date"] = "date:same-event-earlier-mention"
            return
        if sent is not None:
            found = best_timex(sent, event, by_sentence.get(sent.index, []))
            if found:
                timex, how = found
                event.date = event_date_from_timex(timex, "text")
                event.provenance["date"] = f"{timex.rule}/{how}"
                return
            carried = self._carried(doc, sent, event, by_sentence)
            if carried:
                event.date, event.provenance["date"] = carried
                return
        same = self._same_event_earlier(event, earlier, same_words=True)
        if same is not None:
            event.date = EventDate(same.date.value, same.date.precision, same.date.text, "inferred")
            event.provenance["date"] = "date:same-event-earlier-mention"
            return
        event.date = EventDate(doc.article.date.isoformat(), "day", None, "article_date")
        event.provenance["date"] = "date:article-date"

    @staticmethod
    def _sentence(doc: TidingsDoc, event: Event, locator: SentenceLocator) -> Sentence | None:
        if 0 <= event.sentence_index < len(doc.sentences):
            return doc.sentences[event.sentence_index]
        return locator.at(event.evidence.trigger_start)

    def _carried(self, doc: TidingsDoc, sent: Sentence, event: Event,
                 by_sentence: dict[int, list[Timex]]) -> tuple[EventDate, str] | None:
        """A date carried from the previous sentence of the paragraph when the tense agrees:
        "The talks began on Monday. They ended without agreement." """
        if sent.index == 0:
            return None
        previous = doc.sentences[sent.index - 1]
        if "\n" in doc.text[previous.end:sent.start]:
            return None
        candidates = [t for t in by_sentence.get(previous.index, [])
                      if event_date_from_timex(t, "text") is not None and t.precision in ("day", "week")]
        if not candidates:
            return None
        timex = min(candidates, key=lambda t: PRECISION_RANK[t.precision])
        date = event_date_from_timex(timex, "inferred")
        bounds = date_bounds(date.value) if date else None
        trigger = trigger_token(sent, event)
        verb = governing_verb(trigger) if trigger is not None else None
        tense = verb_tense(verb, self.cues) if verb is not None else None
        if bounds is None or tense is None:
            return None
        anchor = doc.article.date
        if (tense < 0 and bounds[0] <= anchor) or (tense > 0 and bounds[1] >= anchor):
            return date, f"date:carried-from-previous-sentence/{timex.rule}"
        return None

    @staticmethod
    def _same_event_earlier(event: Event, earlier: list[Event], same_words: bool) -> Event | None:
        """An earlier mention of the same kind of event (and trigger words, if asked) whose
        date came from the text."""
        for other in reversed(earlier):
            if (other.event_type == event.event_type and other.mode == event.mode
                    and other.date is not None and other.date.basis == "text"
                    and (not same_words
                         or other.evidence.trigger.lower() == event.evidence.trigger.lower())):
                return other
        return None

    # -- status ------------------------------------------------------------------------

    def _status(self, doc: TidingsDoc, sent: Sentence | None, event: Event) -> None:
        trigger = trigger_token(sent, event) if sent is not None else None
        found = status_from_parse(trigger, self.cues) if trigger is not None else None
        if found is None:
            found = self._status_from_date(doc, event)
        if found is None and trigger is not None:
            verb = governing_verb(trigger)
            if verb is not None and verb_tense(verb, self.cues) == 1:
                found = ("planned", "status:tense:future")
        status, rule = found or ("occurred", "status:default")
        if status == "occurred":
            historical = self._status_from_date(doc, event, only_past=True)
            if historical:
                status, rule = historical
        event.status = status
        event.provenance["status"] = rule

    def _status_from_date(self, doc: TidingsDoc, event: Event,
                          only_past: bool = False) -> tuple[str, str] | None:
        if event.date is None or event.date.basis == "article_date":
            return None
        bounds = date_bounds(event.date.value)
        if bounds is None:
            return None
        anchor = doc.article.date
        if not only_past and bounds[0] > anchor:
            return "planned", "status:date-after-article"
        if (anchor - bounds[1]).days >= self.cues.historical_days:
            return "historical", "status:date-long-before-article"
        return None


@component("time")
def make_time(config: dict[str, Any]) -> TimeComponent:
    cues = load_status_cues(config.get("status_cues"))
    tagger = TimexTagger(load_words(config["words"])) if config.get("words") else default_tagger()
    return TimeComponent(tagger, cues)
