"""The `attribution` component: who says each event happened, how sure, and the quotes.

Why a paragraph view and not a sentence view: news attributes a claim once and then keeps
reporting it ("Reports indicate that X will meet Y. ... According to a Hindustan Times
report, X will reach ..."), and a disclaimer ("officials have not confirmed the details")
qualifies the whole paragraph. So cues are read per sentence and then combined per
paragraph (a line of the article):

- a quote holding the trigger (direct, between quotation marks, or indirect, the clause of
  a reporting verb) gives source = its speaker, cue = its cue verb;
- "according to X" / "citing X" in the sentence gives source X;
- an unnamed source ("reports indicate", "sources said") is taken to be the report the same
  paragraph names, if it names one;
- a sentence with no cue of its own keeps the report attribution of the paragraph so far;
- certainty: the cue verb's class (reported, unconfirmed for "indicate"/"allege", denied for
  "deny"), raised to unconfirmed by a hedge in the clause ("likely", "reportedly", "is said
  to") or by a disclaimer in the paragraph for events it reports.

Quotes go to `doc.quotes` as `Quote` records. Each speaker is an `Entity` span (text,
start, end) with identity left empty: the `resolve` component, which runs later, finds
speakers in `doc.quotes` and fills their identity as it does for actors. Until then
`Attribution.source` carries the fullest earlier name of the speaker in the article
("Singh" -> "Rajnath Singh"), a string, as event-record.md asks.

Sets `event.attribution`, `event.provenance["attribution"]`, `doc.quotes`. Cues live in
`data/attribution/cues.yaml` (pipeline.yaml: `cues: PATH` for another copy). Indirect quotes
need a parse, so they are found in parsed (candidate) sentences only; direct quotes and
"according to" cues are found in every sentence.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from tidings.document import Sentence, TidingsDoc
from tidings.extract.timex import _alternation, _load_yaml
from tidings.extract.time import SentenceLocator, best_timex, event_date_from_timex
from tidings.model import Attribution, Entity, Event, EventDate, Quote
from tidings.registry import component

CUE_REACH = 300  # characters before/after a quotation searched for its speaker and cue
NAME_LOOKBACK = 5000  # characters searched back for a fuller name of a speaker
CERTAINTY_RANK = {"asserted": 0, "reported": 1, "unconfirmed": 2, "denied": 3}
NAME_WORD = r"[A-Z][\w.'\u2019-]*"
SPEAKER_BEFORE_VERB = re.compile(
    rf"(?P<speaker>(?:(?:the|The|a|A|an|An|his|His|her|Her|their|Their)\s+)?(?:{NAME_WORD}\s+){{0,5}}"
    rf"(?:{NAME_WORD}|[a-z]+(?:s|ers|ees|ists|ials))|[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I)\s+"
    rf"(?:also\s+|however\s+|later\s+|then\s+)?$")


@functools.lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> "AttributionCues":
    return AttributionCues.from_mapping(_load_yaml("attribution/cues.yaml", path))


@dataclass(frozen=True)
class AttributionCues:
    reporting_verbs: dict[str, str]
    reporting_forms: tuple[str, ...]
    source_prepositions: tuple[str, ...]
    unnamed_sources: frozenset[str]
    source_kind_nouns: frozenset[str]
    document_nouns: frozenset[str]
    hedges: tuple[str, ...]
    disclaimers: tuple[str, ...]
    quote_marks: tuple[tuple[str, str], ...]
    min_quote_words: int
    pronoun_speakers: frozenset[str]
    irregular_forms: dict[str, str]

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> "AttributionCues":
        return cls(
            reporting_verbs={str(k).lower(): str(v) for k, v in data["reporting_verbs"].items()},
            reporting_forms=tuple(str(f).lower() for f in data["reporting_forms"]),
            source_prepositions=tuple(str(p).lower() for p in data["source_prepositions"]),
            unnamed_sources=frozenset(str(w).lower() for w in data["unnamed_sources"]),
            source_kind_nouns=frozenset(str(w).lower() for w in data["source_kind_nouns"]),
            document_nouns=frozenset(str(w).lower() for w in data["document_nouns"]),
            hedges=tuple(str(h).lower() for h in data["hedges"]),
            disclaimers=tuple(str(d).lower() for d in data["disclaimers"]),
            quote_marks=tuple((str(a), str(b)) for a, b in data["quote_marks"]),
            min_quote_words=int(data.get("min_quote_words", 4)),
            pronoun_speakers=frozenset(str(p).lower() for p in data["pronoun_speakers"]),
            irregular_forms={str(k).lower(): str(v).lower()
                             for k, v in (data.get("irregular_forms") or {}).items()},
        )

    @functools.cached_property
    def forms_regex(self) -> re.Pattern:
        return re.compile(rf"\b(?P<verb>{_alternation(self.reporting_forms)})\b", re.I)

    @functools.cached_property
    def hedge_regex(self) -> re.Pattern:
        return re.compile(rf"\b(?:{_alternation(self.hedges)})\b", re.I)

    @functools.cached_property
    def disclaimer_regex(self) -> re.Pattern:
        return re.compile(rf"\b(?:{_alternation(self.disclaimers)})\b", re.I)

    @functools.cached_property
    def according_regex(self) -> re.Pattern:
        return re.compile(rf"\b(?P<prep>{_alternation(self.source_prepositions)})\s+(?P<src>[^,;:.\u201c\"]+)", re.I)

    @functools.cached_property
    def unnamed_regex(self) -> re.Pattern:
        verbs = _alternation(f for f in self.reporting_forms if " " not in f)
        return re.compile(rf"\b(?:(?:the|some|media|news|local|unconfirmed|several|other|earlier|"
                          rf"recent|press|multiple)\s+)*(?P<noun>{_alternation(self.unnamed_sources)})"
                          rf"\s+(?:(?:have|had|also|now)\s+)*(?P<verb>{verbs})\b|\b(?P<adv>reportedly)\b", re.I)

    def certainty_of(self, verb_lemma: str) -> str:
        return self.reporting_verbs.get(verb_lemma.lower(), "reported")


@dataclass
class Cue:
    """One attribution cue of a sentence."""

    source: str | None
    cue: str
    certainty: str
    rule: str
    is_report: bool = False  # names a report or an outlet (can stand for "reports")
    unnamed: bool = False


@dataclass
class _QuoteFound:
    quote: Quote
    source: str | None
    certainty: str
    rule: str
    cue_sentence: int = -1


@dataclass
class _Index:
    """Per-document look-ups built once, so long articles stay linear: the sentence of an
    offset, the person mentions of the parse, the time expressions of each sentence.
    Kept in `doc.user_data["attribution"]` while the component runs."""

    locator: SentenceLocator
    persons: list[tuple[int, str]]  # (article offset, text) of PERSON entities, in order
    timexes: dict[int, list]


def _index(doc: TidingsDoc) -> _Index:
    cached = doc.user_data.get("attribution")
    if isinstance(cached, _Index):
        return cached
    locator = SentenceLocator(doc.sentences)
    persons = [(sent.start + ent.start_char, ent.text) for sent in doc.parsed()
               for ent in sent.doc.ents if ent.label_ == "PERSON"]
    timexes: dict[int, list] = {}
    for tx in doc.timexes:
        sent = locator.at(tx.start)
        if sent is not None:
            timexes.setdefault(sent.index, []).append(tx)
    doc.user_data["attribution"] = index = _Index(locator, persons, timexes)
    return index


def _paragraphs(doc: TidingsDoc) -> list[list[Sentence]]:
    """Sentences grouped by the line of the article they sit on."""
    groups: list[list[Sentence]] = []
    for sent in doc.sentences:
        if groups and "\n" not in doc.text[groups[-1][-1].end:sent.start]:
            groups[-1].append(sent)
        else:
            groups.append([sent])
    return groups


class AttributionComponent:
    def __init__(self, cues: AttributionCues):
        self.cues = cues

    # -- sources -----------------------------------------------------------------------

    def clean_source(self, phrase: str) -> tuple[str | None, bool]:
        """'a Hindustan Times report' -> ('Hindustan Times', True). True: it names a report."""
        words = phrase.strip().split()
        is_report = any(w.lower().strip("'\u2019s") in self.cues.source_kind_nouns for w in words)
        words = [w for w in words if w.lower() not in ("a", "an", "the", "its", "his", "her", "their")
                 and w.lower().strip("'\u2019s") not in self.cues.source_kind_nouns
                 or w[:1].isupper() and w.lower() not in ("a", "an", "the")]
        named = [w for w in words if w[:1].isupper()]
        while named and named[0].lower() in ("a", "an", "the"):
            named.pop(0)
        if named:
            # keep the run of capitalised words (and "of") that holds the name
            text = " ".join(words)
            m = re.search(r"[A-Z][\w.&'\u2019-]*(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w.&'\u2019-]*)*", text)
            return (m.group(0).removesuffix("'s").removesuffix("\u2019s") if m else " ".join(named)), is_report
        text = " ".join(words).strip()
        return (text or None), is_report

    def full_name(self, doc: TidingsDoc, speaker: Entity) -> str:
        """The fullest earlier (or same) person mention ending in the speaker's last word."""
        persons = _index(doc).persons
        for start, text in persons:
            if speaker.start <= start < speaker.end and len(text.split()) > 1:
                return text
        last = speaker.text.split()[-1] if speaker.text.split() else ""
        if not last or last.lower() in self.cues.pronoun_speakers:
            return speaker.text
        best = speaker.text
        for start, text in persons:
            if start > speaker.end:
                break
            if text.split()[-1] == last and len(text) > len(best):
                best = text
        if best == speaker.text:
            pattern = re.compile(rf"\b((?:[A-Z][a-z]+\s+){{1,2}}){re.escape(last)}\b")
            for m in pattern.finditer(doc.text, max(0, speaker.start - NAME_LOOKBACK), speaker.start):
                candidate = m.group(0)
                if len(candidate) > len(best):
                    best = candidate
        return best

    # -- quotes ------------------------------------------------------------------------

    def direct_quotes(self, doc: TidingsDoc) -> list[_QuoteFound]:
        found: list[_QuoteFound] = []
        text = doc.text
        taken: list[tuple[int, int]] = []
        for open_mark, close_mark in self.cues.quote_marks:
            position = 0
            while True:
                start = text.find(open_mark, position)
                if start < 0:
                    break
                end = text.find(close_mark, start + len(open_mark))
                if end < 0:
                    break
                position = end + len(close_mark)
                content_start, content_end = start + len(open_mark), end
                content = text[content_start:content_end]
                if "\n" in content or any(a <= start < b for a, b in taken):
                    position = start + len(open_mark) if "\n" in content else position
                    continue
                speaker, cue, cue_offset = self._speaker_near(doc, start, position)
                if speaker is None and len(content.split()) < self.cues.min_quote_words:
                    continue
                if speaker is None:
                    continue  # a quotation with no speaker in reach is the outlet's own
                taken.append((start, position))
                found.append(self._make_quote(doc, "direct", speaker, cue, content_start,
                                              content_end, cue_offset, "attribution:quote-direct"))
        return found

    def _speaker_near(self, doc: TidingsDoc, quote_start: int, quote_end: int
                      ) -> tuple[Entity | None, str | None, int]:
        """The speaker and cue written right after a quotation, or right before it."""
        text = doc.text
        tail = text[quote_end:quote_end + CUE_REACH]
        tail = tail.split("\n", 1)[0]
        tail_stop = re.search(r"[.!?;](?:\s|$)", tail)
        tail = tail[:tail_stop.start() if tail_stop else len(tail)]
        m = re.match(r"\s*,?\s*", tail)
        rest = tail[m.end():]
        offset = quote_end + m.end()
        verb = self.cues.forms_regex.match(rest)
        if verb:  # ", said Singh" (inverted)
            after = rest[verb.end():]
            # the phrase up to a comma or the end of the sentence: "said Chinese foreign
            # ministry spokesman Shen Guofang", "said the governor"
            name = re.match(r"\s+((?:the|a|an|The|A|An|[A-Z][\w.'\u2019-]*)(?:\s+[\w.'\u2019-]+){0,8}?)\s*(?:,|$)", after)
            if name and not re.match(r"(?i)(?:on|in|at|by|to|for|from|with|after|before|during|"
                                     r"yesterday|today|tomorrow|monday|tuesday|wednesday|"
                                     r"thursday|friday|saturday|sunday)\b", name.group(1)):
                s = offset + verb.end() + name.start(1)
                speaker_text = name.group(1).strip()
                return (Entity(speaker_text, s, s + len(speaker_text)),
                        self._cue_text(rest, verb), offset + verb.start())
        for v in self.cues.forms_regex.finditer(rest):
            before = rest[:v.start()]
            sm = SPEAKER_BEFORE_VERB.search(before) if before.strip() else None
            if sm and sm.start() == 0 or (sm and len(before[:sm.start()].split()) <= 1):
                s = offset + sm.start("speaker")
                speaker_text = sm.group("speaker").strip()
                return (Entity(speaker_text, s, s + len(speaker_text)),
                        self._cue_text(rest, v), offset + v.start())
            break
        head = text[max(0, quote_start - CUE_REACH):quote_start].rsplit("\n", 1)[-1]
        lead = re.search(rf"(?P<speaker>(?:{NAME_WORD}\s+){{0,5}}(?:{NAME_WORD}|[a-z]+s|he|she|they|we))\s+"
                         rf"(?P<verb>{_alternation(self.cues.reporting_forms)})(?:\s+\w+){{0,3}}?\s*[:,]\s*$", head)
        if lead:
            s = quote_start - len(head) + lead.start("speaker")
            return (Entity(lead.group("speaker"), s, s + len(lead.group("speaker"))),
                    lead.group("verb"), quote_start - len(head) + lead.start("verb"))
        return None, None, -1

    @staticmethod
    def _cue_text(rest: str, verb: re.Match) -> str:
        """The cue verb with a platform or audience: 'wrote on X', 'told reporters'."""
        platform = re.match(r"\s+(on\s+[A-Z][\w.]*|to\s+(?:reporters|journalists|[A-Z][\w.]*))", rest[verb.end():])
        return verb.group(0) + (platform.group(0) if platform else "")

    @functools.cached_property
    def _reported_sentence(self) -> tuple[re.Pattern, re.Pattern]:
        """'X said (that) ...' and '..., X said.' for sentences that were not parsed."""
        verbs = _alternation(f for f in self.cues.reporting_forms if " " not in f)
        # a name ("Foreign Minister Ana Silva"), a described source ("the interior ministry",
        # "a senior official") or a pronoun; an adverb may stand before the verb
        name = r"[A-Z][\w.'\u2019-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w.'\u2019-]*){0,5}"
        described = r"(?:the|a|an|The|A|An|His|Her|Their|its|Its)\s+(?:[\w'\u2019-]+\s+){0,3}?[\w'\u2019-]+"
        pronoun = r"[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I"
        speaker = (rf"(?:(?:But|And|Yet|So)\s+)?(?P<speaker>{described}|{name}|{pronoun}|officials|witnesses|"
                   rf"sources|residents|analysts|diplomats|police)(?:\s+(?:also|later|however|then))?")
        audience = r"(?:\s+(?:reporters|journalists|lawmakers|parliament|[A-Z][\w.]*))?"
        leading = re.compile(rf"^{speaker}\s+(?P<verb>{verbs}){audience}\s+(?:on\s+\w+\s+)?(?:that\s+)?"
                             rf"(?P<content>[^\u201c\u201d\"]{{12,}}?)[.!]?$")
        trailing = re.compile(rf"^(?P<content>[^\u201c\u201d\"]{{12,}}?),\s+{speaker}\s+(?P<verb>{verbs})"
                              rf"{audience}(?:\s+on\s+\w+)?[.!]?$")
        return leading, trailing

    def text_indirect_quotes(self, doc: TidingsDoc, taken: list[Quote]) -> list[_QuoteFound]:
        """Indirect quotes of sentences without a parse, from their shape alone."""
        found = []
        leading, trailing = self._reported_sentence
        for sent in doc.sentences:
            if sent.doc is not None or any(q.start < sent.end and sent.start < q.end for q in taken):
                continue
            m = trailing.match(sent.text) or leading.match(sent.text)
            words = m.group("speaker").split() if m else []
            if not m or not (words[0][:1].isupper() or words[0].lower() in ("the", "a", "an")
                             or (len(words) <= 2 and words[-1].lower() in self.cues.unnamed_sources)):
                continue
            if m.group("speaker").split()[-1].lower() in self.cues.document_nouns:
                continue
            speaker = Entity(m.group("speaker"), sent.start + m.start("speaker"), sent.start + m.end("speaker"))
            verb = m.group("verb")
            found.append(self._make_quote(doc, "indirect", speaker, verb, sent.start + m.start("content"),
                                          sent.start + m.end("content"), sent.start + m.start("verb"),
                                          "attribution:quote-indirect-text",
                                          lemma=self._lemma_of_form(verb)))
        return found

    def indirect_quotes(self, doc: TidingsDoc, taken: list[Quote]) -> list[_QuoteFound]:
        found = []
        for sent in doc.parsed():
            for tok in sent.doc:
                lemma = tok.lemma_.lower()
                if lemma not in self.cues.reporting_verbs or tok.pos_ not in ("VERB", "AUX"):
                    continue
                content = [c for c in tok.children if c.dep_ == "ccomp"]
                subject = [c for c in tok.children if c.dep_ in ("nsubj",)]
                if not content or not subject:
                    continue
                subj = subject[0]
                if subj.lower_ in ("who", "that", "which") and tok.dep_ == "relcl":
                    subj = tok.head  # "officials who told reporters that ...": the officials
                if subj.lemma_.lower() in self.cues.document_nouns or subj.lower_ in self.cues.document_nouns \
                        or subj.lower_ == "it":
                    continue
                clause = content[0]
                first_word = clause.left_edge
                while first_word.i < clause.i and (first_word.is_punct or first_word.dep_ == "mark"):
                    first_word = sent.doc[first_word.i + 1]  # content without "that" or a comma
                c_start, c_end = sent.span_offsets(first_word, clause.right_edge)
                if any(q.start <= c_start < q.end for q in taken):
                    continue
                first = subj.left_edge
                while first.i < subj.i and first.is_punct:
                    first = sent.doc[first.i + 1]
                s_start, s_end = sent.span_offsets(first, subj)
                speaker = Entity(doc.text[s_start:s_end], s_start, s_end)
                cue = tok.text + "".join(" " + c.text for c in tok.children if c.dep_ == "prt")
                found.append(self._make_quote(doc, "indirect", speaker, cue, c_start, c_end,
                                              sent.token_start(tok), "attribution:quote-indirect",
                                              lemma=lemma))
        return found

    def _make_quote(self, doc: TidingsDoc, kind: str, speaker: Entity, cue: str | None,
                    start: int, end: int, cue_offset: int, rule: str, lemma: str | None = None
                    ) -> _QuoteFound:
        key = f"{doc.article.id}|{start}|{end}"
        verb_lemma = lemma or self._lemma_of_form((cue or "").split()[0] if cue else "")
        quote = Quote(quote_id="q_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
                      article_id=doc.article.id, kind=kind, speaker=speaker, cue=cue,
                      content=doc.text[start:end], start=start, end=end,
                      date=self._quote_date(doc, cue_offset))
        cue_sentence = _index(doc).locator.at(cue_offset) if cue_offset >= 0 else None
        return _QuoteFound(quote, self.full_name(doc, speaker), self.cues.certainty_of(verb_lemma),
                           rule, cue_sentence.index if cue_sentence else -1)

    def _lemma_of_form(self, form: str) -> str:
        form = form.lower()
        for lemma in self.cues.reporting_verbs:
            if form.startswith(lemma[:4]) and len(lemma) >= 4:
                return lemma
        return self.cues.irregular_forms.get(form, form)

    def _quote_date(self, doc: TidingsDoc, cue_offset: int) -> EventDate:
        index = _index(doc)
        sent = index.locator.at(cue_offset) if cue_offset >= 0 else None
        if sent is not None:
            timexes = index.timexes.get(sent.index, [])
            probe = Event(article_id=doc.article.id, event_type="CONSULT",
                          evidence=_probe_evidence(sent, cue_offset), sentence_index=sent.index)
            chosen = best_timex(sent, probe, timexes)
            if chosen:
                date = event_date_from_timex(chosen[0], "text")
                if date:
                    return date
        return EventDate(doc.article.date.isoformat(), "day", None, "article_date")

    # -- sentence cues -----------------------------------------------------------------

    def sentence_cues(self, sent: Sentence) -> list[Cue]:
        cues = []
        for m in self.cues.according_regex.finditer(sent.text):
            source, is_report = self.clean_source(m.group("src"))
            if source:
                cues.append(Cue(source, m.group("prep").lower(), "reported",
                                "attribution:according-to", is_report=is_report))
        for m in self.cues.unnamed_regex.finditer(sent.text):
            if m.group("adv"):
                cues.append(Cue(None, "reportedly", "unconfirmed", "attribution:hedge-reportedly",
                                unnamed=True))
            else:
                noun = m.group("noun").lower()
                verb = self._lemma_of_form(m.group("verb"))
                certainty = "unconfirmed" if noun in ("report", "reports") else self.cues.certainty_of(verb)
                cues.append(Cue(None if noun in ("report", "reports") else noun,
                                m.group(0).strip(), certainty, "attribution:unnamed-source",
                                unnamed=True))
        return cues

    # -- the component -----------------------------------------------------------------

    def __call__(self, doc: TidingsDoc) -> None:
        doc.user_data.pop("attribution", None)
        try:
            self._annotate(doc)
        finally:
            doc.user_data.pop("attribution", None)

    def _annotate(self, doc: TidingsDoc) -> None:
        direct = self.direct_quotes(doc)
        indirect = self.indirect_quotes(doc, [q.quote for q in direct])
        indirect += self.text_indirect_quotes(doc, [q.quote for q in direct])
        quotes = sorted(direct + indirect, key=lambda q: q.quote.start)
        for previous, found in zip(quotes, quotes[1:]):
            # "..., he added": a pronoun speaker continues the speaker before it
            if found.quote.speaker and found.quote.speaker.text.lower() in self.cues.pronoun_speakers:
                found.source = previous.source
        for found in quotes:
            found.quote.event_ids = [e.event_id for e in doc.events
                                     if found.quote.start <= e.evidence.trigger_start < found.quote.end]
        doc.quotes = [q.quote for q in quotes]
        paragraph_of: dict[int, int] = {}
        paragraphs = _paragraphs(doc)
        for number, group in enumerate(paragraphs):
            for sent in group:
                paragraph_of[sent.index] = number
        cues_by_sentence = {s.index: self.sentence_cues(s) for s in doc.sentences}
        report_source = {}
        disclaimed = set()
        for number, group in enumerate(paragraphs):
            named = [c for s in group for c in cues_by_sentence[s.index] if c.source and c.is_report]
            if named:
                report_source[number] = named[0].source
            if any(self.cues.disclaimer_regex.search(s.text) for s in group):
                disclaimed.add(number)
        for event in doc.events:
            self._attribute(doc, event, quotes, cues_by_sentence, paragraphs, paragraph_of,
                            report_source, disclaimed)

    def _attribute(self, doc, event, quotes, cues_by_sentence, paragraphs, paragraph_of,
                   report_source, disclaimed) -> None:
        located = _index(doc).locator.at(event.evidence.trigger_start)
        sent_index = event.sentence_index if event.sentence_index >= 0 else (
            located.index if located else -1)
        paragraph = paragraph_of.get(sent_index, -1)
        trigger = event.evidence.trigger_start
        holding = [q for q in quotes if q.quote.start <= trigger < q.quote.end]
        attribution, rule = Attribution(), "attribution:outlet"
        if holding:
            q = min(holding, key=lambda q: q.quote.end - q.quote.start)
            attribution = Attribution(q.source, q.quote.cue, q.certainty)
            rule = q.rule
        else:
            own = cues_by_sentence.get(sent_index, [])
            inherited = None
            if not own and paragraph >= 0:
                for sent in reversed([s for s in paragraphs[paragraph] if s.index < sent_index]):
                    report_cues = [c for c in cues_by_sentence[sent.index] if c.is_report or c.unnamed]
                    if report_cues:
                        inherited = report_cues[0]
                        break
            cue = own[0] if own else inherited
            if cue is not None:
                source = cue.source
                if cue.unnamed and source is None and paragraph in report_source:
                    source = report_source[paragraph]
                attribution = Attribution(source, cue.cue, cue.certainty)
                rule = cue.rule + ("/paragraph" if cue is inherited else "")
                if cue.unnamed and cue.source is None and source is not None:
                    rule += "/named-in-paragraph"
        clause = self._clause_text(doc, event)
        hedge = self.cues.hedge_regex.search(clause)
        if hedge and CERTAINTY_RANK[attribution.certainty] < CERTAINTY_RANK["unconfirmed"]:
            attribution.certainty = "unconfirmed"
            rule += f"+hedge:{hedge.group(0).lower()}"
        if paragraph in disclaimed and attribution.certainty in ("reported", "asserted") and (
                attribution.source or event.status in ("planned",)):
            attribution.certainty = "unconfirmed"
            rule += "+disclaimer-in-paragraph"
        event.attribution = attribution
        event.provenance["attribution"] = rule

    @staticmethod
    def _clause_text(doc: TidingsDoc, event: Event) -> str:
        """The words of the trigger's clause (the sentence when there is no parse)."""
        sent = _index(doc).locator.at(event.evidence.trigger_start)
        if sent is None:
            return event.evidence.sentence
        if sent.doc is None or not (0 <= event.trigger_head < len(sent.doc)):
            return sent.text
        tok = sent.doc[event.trigger_head]
        top = tok
        for _ in range(6):
            if top.dep_ in ("ccomp", "ROOT", "advcl", "relcl", "parataxis") or top.head.i == top.i:
                break
            top = top.head
        words = [t for t in top.subtree if not (t.dep_ in ("ccomp", "advcl", "relcl") and t.i != top.i
                                                  and t.i > tok.i and tok not in t.subtree)]
        start = sent.token_start(min(words, key=lambda t: t.i))
        end = sent.token_end(max(words, key=lambda t: t.i))
        return doc.text[start:end]


def _probe_evidence(sent: Sentence, offset: int):
    from tidings.model import Evidence

    return Evidence(sent.text, sent.start, sent.end, "", offset, offset + 1)


@component("attribution")
def make_attribution(config: dict[str, Any]) -> AttributionComponent:
    return AttributionComponent(load_cues(config.get("cues")))
