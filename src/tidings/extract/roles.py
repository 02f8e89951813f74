"""Component `roles`: actor and recipient spans from the syntax around each trigger.

Why syntax and not word order: "the deportation of 104 immigrants from the US" has its
actor last and its recipient first; "Modi is slated to visit" has its actor as the
subject of another verb. Where each role sits is partly per lexicon entry (`roles:` in the
YAML: which prepositions mark the recipient, whether the object is a recipient or only
content, "X received aid from Y"), partly general (passive "by", control verbs,
coordination, relative clauses, "between X and Y"). Compound actors become several
Entities. Only spans are set here: `resolve` decides identity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tidings.document import Sentence, TidingsDoc
from tidings.extract.lexicon import Lexicon, RoleHints, load_lexicon
from tidings.extract.triggers import HANDOFF_KEY, TriggerMatch
from tidings.model import Entity, Event
from tidings.registry import component

if TYPE_CHECKING:
    from spacy.tokens import Token

# Dependents that belong to an entity's phrase ("Defence Minister Rajnath Singh",
# "his American counterpart", "104 'illegal' immigrants").
PHRASE_DEPS = {"compound", "amod", "det", "poss", "nummod", "quantmod", "nmod", "flat",
               "case", "punct", "advmod", "npadvmod"}
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# A pronoun subject of reported speech is the speaker: "X said it will boycott".
REPORTED_PRONOUNS = {"he", "she", "it", "they"}
# Relative and dummy pronouns are no actors; "it", "they", "he" are (resolve links them).
NOT_ENTITIES = {"who", "which", "that", "this", "there", "what", "whom", "whose"}
ENTITY_POS = {"NOUN", "PROPN", "PRON", "NUM", "ADJ"}
PARTY_ENTS = {"GPE", "NORP", "ORG", "PERSON"}


# Entity labels of a prepositional object that is a time, never a participant ("on Friday").
TIME_LABELS = frozenset({"DATE", "TIME"})


def _pobjs(tok: "Token", preps: frozenset[str] | set[str]) -> list["Token"]:
    found = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            found.extend(g for g in child.children
                         if g.dep_ in ("pobj",) and g.ent_type_ not in TIME_LABELS)
    return found


def _with_conjuncts(heads: list["Token"]) -> list["Token"]:
    """"India and the US" -> both heads (PLOVER compound actors)."""
    out: list[Token] = []
    for head in heads:
        for tok in [head, *head.conjuncts, *_listed_appositions(head)]:
            if tok.i < head.i and head.dep_ == "conj" and any(
                    t.text == "," for t in head.doc[tok.i:head.i]):
                continue  # a stranded subject's conjunct across a comma belongs to another phrase
            if tok not in out and (tok.pos_ in ENTITY_POS or _numbered_noun(tok) is not None):
                out.append(tok)
    return out


def _numbered_noun(tok: "Token") -> "Token | None":
    """"Seventy inmates began a hunger strike": the small model tags a plural noun after a number as
    a verb whose subject is the number. Returns the number when `tok` is such a noun."""
    if tok.pos_ not in ("VERB", "AUX") or tok.i == 0:
        return None
    prev = tok.doc[tok.i - 1]
    return prev if prev.like_num and prev.head == tok and prev.dep_ in ("nsubj", "nsubjpass") else None


def _listed_appositions(head: "Token") -> list["Token"]:
    """"Saudi Arabia, Egypt, Bahrain and the UAE": the parser reads a list's second name as an
    apposition of the first, with the rest its conjuncts. Named places or bodies of one kind only."""
    named = ("GPE", "ORG", "NORP", "LOC")
    if head.ent_type_ not in named:
        return []
    out: list[Token] = []
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i and child.conjuncts and all(
                t.ent_type_ in named for t in (child, *child.conjuncts)):
            out += [child, *child.conjuncts]
    return out


def phrase_bounds(head: "Token") -> tuple["Token", "Token"]:
    """First and last token of the entity phrase headed by `head` (no clauses, no conjuncts)."""
    keep = [head]
    for child in head.children:
        if child.dep_ in PHRASE_DEPS and child.i < head.i:
            keep.extend(child.subtree)
        elif child.dep_ == "prep" and child.lower_ == "of" and child.i > head.i:
            keep.extend(child.subtree)  # "leaders of the opposition"
        elif child.dep_ in ("compound", "flat", "nummod") and child.i > head.i:
            keep.extend(child.subtree)
    first = min(keep, key=lambda t: t.i)
    last = max(keep, key=lambda t: t.i)
    doc = head.doc
    # a phrase is contiguous; trim outer punctuation and conjunctions
    while first.i < last.i and (first.is_punct or first.dep_ == "cc") and first.text not in "'‘\"“":
        first = doc[first.i + 1]
    while last.i > first.i and (last.is_punct or last.dep_ == "cc"):
        last = doc[last.i - 1]
    return first, last


@dataclass
class Roles:
    """The `roles` component."""

    lexicon: Lexicon
    speaker_pattern: re.Pattern
    # event type -> modes that keep a recipient; other modes of that type put everyone in `actor`
    reciprocal: dict[str, frozenset[str]] = field(default_factory=dict)
    # "was killed in a car bomb explosion": nouns of weapons and attacks that stand for their user
    instrument_nouns: frozenset[str] = frozenset()
    # "Bulldozers sent by Israeli authorities demolished ...": participles whose by-agent is the actor
    agent_participles: frozenset[str] = frozenset()

    def __call__(self, doc: TidingsDoc) -> None:
        handoff: dict[Any, TriggerMatch] = doc.user_data.get(HANDOFF_KEY, {})
        for event in doc.events:
            if event.actor or event.recipient or event.sentence_index < 0:
                continue
            sent = doc.sentences[event.sentence_index]
            match = handoff.get((event.sentence_index, event.trigger_head))
            if sent.doc is None or match is None:
                continue
            self.assign(doc, sent, event, match)

    # --- spans ----------------------------------------------------------------------
    def _entity(self, sent: Sentence, head: "Token") -> Entity | None:
        number = _numbered_noun(head)
        if head.lower_ in NOT_ENTITIES or (head.pos_ not in ENTITY_POS and number is None):
            return None
        first, last = phrase_bounds(head)
        first = number if number is not None else first
        # "PM Modi" parsed as two subjects: join adjacent proper-noun subjects
        start, end = sent.span_offsets(first, last)
        return Entity(text=sent.doc.text[first.idx:last.idx + len(last.text)], start=start, end=end)

    def _entities(self, doc: TidingsDoc, sent: Sentence, heads: list["Token"]) -> list[Entity]:
        out: list[Entity] = []
        for head in _with_conjuncts(heads):
            owners = _conjoined_owners(head)
            if owners:  # "the presidents of Ecuador and Colombia": one entity per country
                first, _ = phrase_bounds(head)
                bounds = [(first, owners[0])] + [phrase_bounds(o) for o in owners[1:]]
                for lo, hi in bounds:
                    start, end = sent.span_offsets(lo, hi)
                    if all(start != o.start for o in out):
                        out.append(Entity(text=sent.doc.text[lo.idx:hi.idx + len(hi.text)], start=start, end=end))
                continue
            split = _conjoined_modifiers(head)
            if split:  # "Hungarian and Romanian officials": one entity per nationality
                for mod in split:
                    start, end = sent.token_start(mod), sent.token_end(mod)
                    out.append(Entity(text=mod.text, start=start, end=end))
                continue
            if head.lower_ in self.lexicon.rules.first_person:
                speaker = self._speaker(doc, sent)
                if speaker is not None:
                    out.append(speaker)
                    continue
            ent = self._entity(sent, head)
            if ent is not None and all(ent.start != o.start for o in out):
                out.append(ent)
        return out

    def _speaker(self, doc: TidingsDoc, sent: Sentence) -> Entity | None:
        """Who says "we": the quoted speaker named after the closing quote (same paragraph)."""
        window_end = sent.end
        for later in doc.sentences[sent.index:sent.index + 4]:
            window_end = later.end
        text = doc.text[sent.start:window_end]
        match = self.speaker_pattern.search(text)
        if match is None:
            return None
        start = sent.start + match.start("speaker")
        return Entity(text=match.group("speaker"), start=start, end=start + len(match.group("speaker")))

    # --- roles ----------------------------------------------------------------------
    def assign(self, doc: TidingsDoc, sent: Sentence, event: Event, match: TriggerMatch) -> None:
        from tidings.extract.triggers import clause_subject, object_tokens

        sdoc = sent.doc
        entry = match.entry
        hints: RoleHints = entry.roles
        trigger = sdoc[match.head]
        verb = sdoc[match.light_verb] if match.light_verb is not None else (
            None if entry.nominal else trigger)
        actors: list[Token] = []
        recipients: list[Token] = []
        if verb is not None:
            subject = self._subject(verb) or _stranded_subject(verb)
            passive = subject is not None and subject.dep_ == "nsubjpass" and (
                subject.head == verb)
            agents = (_pobjs(verb, {"by"}) or _raised_agents(verb)) if passive else []
            if passive:
                actors += agents or self._instruments(verb)
                if subject is not None and verb == trigger and hints.object_role != "content":
                    recipients.append(subject)
                elif subject is not None and not agents and subject.ent_type_ in (
                        "GPE", "NORP", "ORG", "PERSON"):
                    actors.append(subject)  # stative "Israel is opposed to ..."
            elif subject is not None:
                (recipients if hints.subject_role == "recipient" else actors).append(subject)
            if verb == trigger and not passive:
                objects = [o for o in object_tokens(trigger)
                           if o.head == trigger or o.head.head == trigger]
                objects = [o for o in objects if o.dep_ in ("dobj", "dative", "attr", "oprd")]
                if hints.host:
                    visitors = list(objects) if hints.object_role == "actor" else []
                    visitors = visitors or _pobjs(trigger, {"for"}) or [
                        v for o in objects for v in _pobjs(o, {"for"})]  # "a dinner for X"
                    if visitors:
                        recipients = actors
                        actors = visitors
                elif hints.object_role == "recipient":
                    recipients += objects
                elif hints.object_role == "actor":
                    actors += objects
                if hints.object_role == "content" and objects:
                    recipients += self._content_recipients(objects)
            if hints.complement_subject == "recipient":
                for clause in (c for c in trigger.children if c.dep_ in ("ccomp", "xcomp")):
                    recipients += [g for g in clause.children if g.dep_ in ("nsubj", "nsubjpass")]
            # "With the signing of X, A and B agreed": a fronted phrase frames the clause
            recipients += [r for r in _pobjs(verb, hints.recipient_preps) if r.i > verb.i]
            actors += _pobjs(verb, hints.actor_preps - {"by"} if not passive else set())
        if entry.nominal:
            self._nominal_roles(trigger, hints, actors, recipients)
            if not actors:
                actors += self._governing_subject(trigger)
            actors = [_possessor(a) for a in actors]
        actors = [self._sender(a) for a in actors]
        # reciprocal "X met with Y" keeps X actor / Y recipient; "between X and Y" all actors
        actor_ents = self._entities(doc, sent, _dedupe(actors))
        recipient_ents = [r for r in self._entities(doc, sent, _dedupe(recipients))
                          if all(r.start != a.start for a in actor_ents)]
        rule = f"roles:{entry.rule_id}"
        directed = self.reciprocal.get(event.event_type)
        if directed is not None and event.mode not in directed and not hints.host and actor_ents \
                and recipient_ents:
            # PLOVER: a meeting with no host and no visitor codes all its participants as actors
            actor_ents, recipient_ents = sorted(actor_ents + recipient_ents, key=lambda e: e.start), []
            rule = f"roles:reciprocal:{entry.rule_id}"
        event.actor = actor_ents
        event.recipient = recipient_ents
        event.provenance["actor"] = rule if actor_ents else "roles:none"
        event.provenance["recipient"] = (f"roles:{entry.rule_id}" if recipient_ents
                                         else "roles:none")

    def _sender(self, tok: "Token") -> "Token":
        """"Missiles fired by Houthi rebels struck a tanker": a weapon or machine that a participle
        says someone sent or fired stands for that someone."""
        for child in tok.children:
            if child.dep_ == "acl" and child.i > tok.i and child.lemma_.lower() in self.agent_participles:
                agents = _pobjs(child, {"by"})
                if agents:
                    return agents[0]
        return tok

    def _instruments(self, verb: "Token") -> list["Token"]:
        """A passive with no by-agent whose in-phrase names a weapon or an attack ("killed in a car
        bomb explosion", "wounded in an air strike"): PLOVER codes the unnamed attacker from it."""
        found = []
        for obj in _pobjs(verb, {"in"}):
            words = {obj.lemma_.lower(), obj.lower_} | {
                c.lower_ for c in obj.children if c.dep_ in ("compound", "amod", "nmod")}
            if words & self.instrument_nouns:
                found.append(obj)
        return found[:1]

    def _subject(self, verb: "Token") -> "Token | None":
        from tidings.extract.triggers import clause_subject

        subject = clause_subject(verb)
        if subject is not None and verb.dep_ == "acl" and subject.i == verb.head.i and (
                subject.lemma_.lower() in self.lexicon.rules.speech_nouns):
            subject = clause_subject(subject.head)  # "issued a declaration demanding"
        if subject is not None and subject.pos_ in ("VERB", "AUX"):
            # a misparse makes "operating" the subject of "The Red Cross operating in Iraq said";
            # after a number ("Seventy inmates began ...") the "verb" is the plural noun itself
            if _numbered_noun(subject) is None:
                subject = next((c for c in subject.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.lower_ in REPORTED_PRONOUNS:
            speaker = self._reporting_subject(verb)
            if speaker is not None:
                return speaker
        if subject is not None and subject.dep_ in SUBJECT_DEPS:
            # "PM Modi": a second adjacent subject is the same phrase
            siblings = [c for c in subject.head.children if c.dep_ in SUBJECT_DEPS]
            if len(siblings) > 1:
                subject = max(siblings, key=lambda t: (t.pos_ == "PROPN", t.i))
        return subject

    def _reporting_subject(self, verb: "Token") -> "Token | None":
        """"Bouteflika said he is prepared to ...": the pronoun is the speaker."""
        tok = verb
        for _ in range(4):
            if tok.dep_ not in ("ccomp", "xcomp", "conj", "acomp") or tok.head == tok:
                return None
            tok = tok.head
            if tok.lemma_.lower() in self.lexicon.rules.speech_verbs or (
                    tok.lower_ in self.lexicon.rules.speech_verbs):
                subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None and subject.pos_ in ("PROPN", "NOUN"):
                    return subject
                return None
        return None

    @staticmethod
    def _content_recipients(objects: list["Token"]) -> list["Token"]:
        """"demanded government intervention": a named modifier of the content is its target."""
        found = []
        for obj in objects:
            for child in obj.children:
                if child.dep_ in ("compound", "poss", "nmod") and (
                        child.ent_type_ in ("GPE", "ORG", "NORP", "PERSON") or
                        child.lemma_.lower() in ("government", "administration", "police",
                                                 "army", "military", "authorities", "state")):
                    found.append(child)
        return found

    def _governing_subject(self, noun: "Token") -> list["Token"]:
        """"X jailed them on allegations of treason", "Y resorted to stones during demonstrations":
        a nominal event with no actor of its own, in a phrase of a verb, is that verb's subject's."""
        tok = noun
        for _ in range(4):
            if tok.dep_ not in ("pobj", "prep", "pcomp") or tok.head == tok:
                return []
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "pcomp":
                subject = self._subject(tok)
                if tok.dep_ in ("acl", "relcl") and tok.head.i < tok.i:
                    subject = tok.head
                elif subject is None or subject.dep_ != "nsubj" or subject.i > tok.i:
                    return []
                # Only a named party ("Nigerian authorities"), not "profit doubled on demand".
                return [subject] if _names_a_party(subject) else []
        return []

    def _nominal_roles(self, noun: "Token", hints: RoleHints, actors: list, recipients: list) -> None:
        for child in noun.children:
            if child.dep_ == "poss" and not (child.pos_ == "PRON" and actors):
                actors.append(child)  # "The ILO reiterated its demand": the ILO, not "its"
            elif child.dep_ in ("compound", "amod", "nmod") and child.i < noun.i and (
                    child.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")):
                actors.append(child)
        of_objects = _pobjs(noun, {"of"})
        if hints.of_role == "actor" and not actors:  # "the visit of the king"; not "Turkey's
            actors += of_objects                       # withdrawal of troops"
        elif hints.of_role == "recipient":
            recipients += of_objects
        actors += _pobjs(noun, hints.actor_preps | {"by"})
        recipients += _pobjs(noun, hints.recipient_preps)
        # "deportation of 104 immigrants from the US": the from-phrase hangs off the object
        if "from" in hints.actor_preps:
            for obj in of_objects:
                actors += _pobjs(obj, {"from"})
        if "between" in hints.actor_preps or "among" in hints.actor_preps:
            actors += _pobjs(noun, {"between", "among"})


def _stranded_subject(verb: "Token") -> "Token | None":
    """"..., the Sudanese government and SPLM/A have agreed": the parser hung the subject on a
    fronted phrase as a conjunct. The nominal right before the verb group, walked up its
    coordination but not past a comma, is the subject."""
    first = min([verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg"))], key=lambda t: t.i)
    if verb.dep_ != "ROOT" or first.i == verb.doc[0].i or any(
            c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in verb.children):
        return None
    tok = verb.doc[first.i - 1]
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ not in ("conj", "appos"):
        return None
    while tok.dep_ == "conj" and tok.head.i < tok.i and not any(
            t.text in (",", ";", ":") for t in verb.doc[tok.head.i:tok.i]):
        tok = tok.head
    return tok


def _possessor(tok: "Token") -> "Token":
    """"Armenian forces completed their withdrawal": a possessive pronoun of a nominal event stands
    for the subject of the verb the nominal hangs from; that subject is the actor's own phrase."""
    from tidings.extract.triggers import clause_subject

    if tok.dep_ != "poss" or tok.pos_ != "PRON":
        return tok
    current = tok.head
    for _ in range(5):
        if current.pos_ in ("VERB", "AUX"):
            subject = clause_subject(current)
            if subject is not None and subject.pos_ in ("NOUN", "PROPN") and subject.i < tok.i:
                return subject
            return tok
        if current.dep_ not in ("dobj", "pobj", "prep", "xcomp", "attr") or current.head == current:
            return tok
        if current.dep_ == "prep" and current.head.pos_ in ("VERB", "AUX"):
            return tok  # "the UN criticised Israel for its bombing": "its" is not the subject's
        current = current.head
    return tok


def _names_a_party(tok: "Token") -> bool:
    """A named actor, or a noun a nationality, place or organisation modifies."""
    if tok.ent_type_ in PARTY_ENTS:
        return True
    return any(c.dep_ in ("amod", "compound", "poss", "nmod") and c.ent_type_ in PARTY_ENTS
               for c in tok.children)


def _raised_agents(verb: "Token") -> list["Token"]:
    """"X has been accused ..., much of it believed embezzled, by officials": a by-phrase after
    the passive verb that the parser attached to a verb above it."""
    out: list[Token] = []
    for ancestor in list(verb.ancestors)[:2]:
        out += [p for p in _pobjs(ancestor, {"by"}) if p.i > verb.i]
    return out


def _conjoined_owners(head: "Token") -> list["Token"]:
    """Named parties joined by "and" in a common noun's "of" phrase ("leaders of France and Germany")."""
    if head.pos_ != "NOUN":
        return []
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of" and prep.i > head.i:
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.conjuncts:
                    owners = [obj, *obj.conjuncts]
                    if all(o.ent_type_ in PARTY_ENTS - {"PERSON"} for o in owners):
                        return sorted(owners, key=lambda t: t.i)
    return []


def _conjoined_modifiers(head: "Token") -> list["Token"]:
    """Nationality or place modifiers joined by "and" that each name a party. The small model tags
    some nationalities as people ("Indian and Bangladeshi border guards"): a capitalised conjunct of
    a named modifier counts too."""
    for child in head.children:
        if child.dep_ in ("amod", "compound", "nmod") and child.i < head.i and child.conjuncts:
            mods = [child, *child.conjuncts]
            named = [m.ent_type_ in ("NORP", "GPE", "ORG") for m in mods]
            if all(named) or (any(named) and all(m.text[:1].isupper() and m.i < head.i for m in mods)):
                return sorted(mods, key=lambda t: t.i)
    return []


def _dedupe(tokens: list["Token"]) -> list["Token"]:
    seen: set[int] = set()
    out = []
    for tok in tokens:
        if tok.i not in seen:
            seen.add(tok.i)
            out.append(tok)
    return out


def speaker_pattern(speech_verbs: frozenset[str]) -> re.Pattern:
    """A closing quote, then a capitalised name, then a speech verb: `”, Singh wrote`."""
    verbs = "|".join(sorted((re.escape(v) for v in speech_verbs), key=len, reverse=True))
    name = r"(?:[A-Z][\w.'-]*\s+){0,3}[A-Z][\w.'-]*"
    return re.compile(rf"[”\"’],?\s+(?P<speaker>{name})\s+(?:{verbs})\b")


@component("roles")
def make_roles(config: dict[str, Any]) -> Roles:
    """Config (data/pipeline.yaml): `reciprocal` — event type -> modes that keep a recipient (PLOVER
    CONSULT: a meeting with no host puts every participant in `actor`); `instrument_nouns` — weapons
    whose passive in-phrase is the actor; `agent_participles` — "sent/fired by X" makes X the actor."""
    lexicon = load_lexicon(config.get("lexicon"))
    reciprocal = {str(t).upper(): frozenset(str(m) for m in modes or ())
                  for t, modes in (config.get("reciprocal") or {}).items()}
    return Roles(lexicon=lexicon, speaker_pattern=speaker_pattern(lexicon.rules.speech_verbs),
                 reciprocal=reciprocal,
                 instrument_nouns=frozenset(str(w).lower() for w in config.get("instrument_nouns") or ()),
                 agent_participles=frozenset(str(w).lower() for w in config.get("agent_participles") or ()))
