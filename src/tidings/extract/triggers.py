"""Component `triggers`: find event triggers in parsed sentences and create the Events.

Why rules over the parse and not word spotting: most political verbs and nouns have
non-event senses ("released a statement", "a press conference", "deported Indians" as a
mere description). Each lexicon entry (data/lexicon/*.yaml) states the syntax that makes
the word an event (objects, particles, prepositions, light verbs such as "held ... talks"),
and one event is kept per real occurrence:

- competing entries for one token: the most specific wins;
- a trigger inside the content of a speech act ("agreed to meet", "demanded the release
  of") is absorbed by it, and gives it its mode (REQUEST meet, REQUEST yield);
- PLOVER's rule that future cooperation is AGREE (and a future RETREAT is CONCEDE) is
  applied here, because it decides the type.

Hand-off: `doc.user_data["triggers"]` maps `(sentence_index, trigger_head)` to the
`TriggerMatch`, which `roles` and `discard` read (which entry, light verb, definiteness).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tidings.document import Sentence, TidingsDoc
from tidings.extract.lexicon import Entry, Lexicon, inflections, load_lexicon
from tidings.model import Event, Evidence
from tidings.registry import component

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

HANDOFF_KEY = "triggers"
OBJECT_DEPS = ("dobj", "nsubjpass", "dative", "attr", "oprd")
CLAUSAL_DEPS = {"ccomp", "advcl", "conj", "parataxis", "relcl", "csubj", "nsubj", "nsubjpass",
                "cc", "punct", "mark", "acl"}
CONTENT_PATH_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "nsubjpass",
                     "attr", "oprd", "amod", "compound", "parataxis", "acomp"}
LIGHT_VERB_PREPS = {"on", "in", "into"}  # "went on strike", "took part in talks"
ENTITY_ENTS = {"PERSON", "NORP", "GPE", "ORG", "FAC", "LOC"}


@dataclass
class TriggerMatch:
    """What `triggers` knows about one event, for the components that follow."""

    entry: Entry
    sentence_index: int
    head: int
    tokens: list[int]
    light_verb: int | None = None
    base_type: str = ""
    future: bool = False
    absorbed: list[str] = field(default_factory=list)
    subordinate: bool = False  # background to the sentence's main event (discard decides)
    definite: bool = False  # a nominal with "the"/"his": may repeat an earlier mention
    has_arguments: bool = False  # a nominal with its own of/to/with/by phrase or possessor
    mode: str | None = None  # from the entry and its mode cues
    content_mode: str | None = None  # from an absorbed trigger ("refused to meet": meet)
    mode_source: str = "default"


def _lower_words(tok: "Token") -> set[str]:
    return {tok.lower_, tok.lemma_.lower()}


def object_tokens(tok: "Token") -> list["Token"]:
    """The objects of a verb, with conjuncts, else its first prepositional object."""
    found = [c for c in tok.children if c.dep_ in OBJECT_DEPS]
    if not found:
        for prep in (c for c in tok.children if c.dep_ in ("prep", "agent")):
            found.extend(g for g in prep.children if g.dep_ in ("pobj", "pcomp"))
            if found:
                break
    for obj in list(found):
        found.extend(c for c in obj.conjuncts)
    return found


def content_objects(tok: "Token") -> list["Token"]:
    """Objects plus what they are "of": "allow the return of inspectors", "suspended part of
    a military aid program" (for checking an entry's object words)."""
    found = object_tokens(tok)
    for obj in list(found):
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"):
            found.extend(g for g in prep.children if g.dep_ == "pobj")
    return found


def _compound_words(tok: "Token") -> set[str]:
    words = _lower_words(tok)
    for child in tok.children:
        if child.dep_ in ("compound", "amod"):
            words |= _lower_words(child)
    return words


def clause_subject(tok: "Token") -> "Token | None":
    """The subject that governs a verb, through control ("slated to visit") and coordination."""
    current = tok
    for _ in range(5):
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            return subjects[0]
        if current.dep_ in ("xcomp", "conj", "advcl", "acomp") and current.head != current:
            head = current.head
            if current.dep_ == "xcomp":
                objects = [c for c in head.children if c.dep_ in ("dobj", "dative")]
                if objects:
                    return objects[0]
            current = head
            continue
        if current.dep_ in ("relcl", "acl") and current.head != current:
            return current.head
        return None
    return None


@dataclass
class TriggerFinder:
    """Matches the lexicon against one parsed sentence; built once per pipeline."""

    lexicon: Lexicon
    _by_form: dict[str, list[Entry]] = field(default_factory=dict)
    _by_lemma: dict[str, list[Entry]] = field(default_factory=dict)
    _form_cache: dict[frozenset, frozenset] = field(default_factory=dict)
    _candidates: dict[tuple[int, int, int], tuple[Entry, ...]] = field(default_factory=dict)
    # True while `may_match` tests a parse that has no entities yet (see there).
    _entities_unknown: bool = False

    def __post_init__(self) -> None:
        # Compiled once: surface form -> entries and lemma -> entries. A hash lookup per
        # token; spaCy's Matcher with one IN-set pattern per entry cost as much as the parse.
        for entry in self.lexicon.entries:
            for lemma in entry.lemmas:
                head = lemma.split()[0]
                self._by_lemma.setdefault(head, []).append(entry)
                for form in inflections(lemma, self.lexicon.irregular, nominal=entry.nominal):
                    self._by_form.setdefault(form.split()[0], []).append(entry)

    def candidates(self, tok: "Token") -> tuple[Entry, ...]:
        """Entries whose word this token is (by surface form or lemma) and whose POS fits;
        memoised by those three attributes, as both passes ask it of every parsed token."""
        key = (tok.lower, tok.lemma, tok.pos)
        found = self._candidates.get(key)
        if found is None:
            if len(self._candidates) > 200_000:  # a bound on the memo over endless input
                self._candidates.clear()
            found = self._candidates[key] = self._lookup(tok.lower_, tok.lemma_.lower(), tok.pos_)
        return found

    def _lookup(self, lower: str, lemma: str, pos: str) -> tuple[Entry, ...]:
        seen: set[str] = set()
        out = []
        for entry in self._by_form.get(lower, []) + self._by_lemma.get(lemma, []):
            if entry.rule_id not in seen and pos in entry.pos:
                seen.add(entry.rule_id)
                out.append(entry)
        return tuple(out)

    # --- the entry's constraints, each a plain syntactic test -----------------------
    def _forms(self, verbs: frozenset[str]) -> frozenset[str]:
        """Surface forms of a verb list: the lemmatizer sometimes errs ("staged" -> "stag")."""
        cached = self._form_cache.get(verbs)
        if cached is None:
            cached = frozenset(f for v in verbs for f in inflections(v, self.lexicon.irregular))
            self._form_cache[verbs] = cached
        return cached

    def _is_verb(self, tok: "Token", verbs: frozenset[str]) -> bool:
        return tok.lemma_.lower() in verbs or tok.lower_ in self._forms(verbs)

    def _light_verb(self, entry: Entry, tok: "Token") -> "Token | None":
        verbs = entry.light_verbs or self.lexicon.rules.light_verbs
        head = tok.head
        if tok.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and head != tok:
            if self._is_verb(head, verbs):
                return head
        if tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in LIGHT_VERB_PREPS:
            # "went on strike", "took part in talks", "engaged in negotiations"
            verb = head.head
            if self._is_verb(verb, verbs) and verb.pos_ in ("VERB", "AUX"):
                return verb
        if tok.dep_ == "conj" and tok.head != tok:
            return self._light_verb(entry, tok.head)
        return None

    def _nominal_arguments(self, tok: "Token") -> bool:
        rules = self.lexicon.rules
        for child in tok.children:
            if child.dep_ == "poss":
                return True
            if child.dep_ in ("compound", "amod", "nmod") and (
                    self._may_be(child, ENTITY_ENTS) or child.pos_ == "PROPN"):
                return True
            if child.dep_ == "prep" and child.lower_ in rules.nominal_argument_preps and any(
                    g.dep_ in ("pobj", "pcomp") for g in child.children):
                return True
        return False

    def _nominal_ok(self, entry: Entry, tok: "Token") -> tuple[bool, "Token | None"]:
        light = self._light_verb(entry, tok)
        if light is not None:
            return True, light
        if entry.requires_light_verb:
            return False, None
        if tok.dep_ in ("nsubj", "nsubjpass") and (
                _lower_words(tok.head) & self.lexicon.rules.event_subject_verbs):
            return True, None
        return self._nominal_arguments(tok), None

    def fits(self, entry: Entry, tok: "Token") -> tuple[bool, "Token | None"]:
        """Does the token satisfy every constraint of the entry? Also returns the light verb."""
        rules = self.lexicon.rules
        if tok.pos_ not in entry.pos:
            return False, None
        if entry.lowercase_only and not tok.text[:1].islower():
            return False, None
        if entry.tags and tok.tag_ not in entry.tags:
            return False, None
        forbid_deps = entry.forbid_deps or frozenset({"amod", "compound"})
        if tok.dep_ in forbid_deps:
            return False, None
        governed = tok
        while governed.dep_ == "conj" and governed.head != governed:
            governed = governed.head
        if governed.dep_ in ("acl", "xcomp", "relcl") and (
                _lower_words(governed.head) & rules.non_event_governors):
            return False, None
        children = list(tok.children)
        light = None
        scope = list(children)
        if entry.nominal:
            ok, light = self._nominal_ok(entry, tok)
            if not ok:
                return False, None
            if light is not None and light.dep_ in ("acl", "xcomp", "relcl") and (
                    _lower_words(light.head) & rules.non_event_governors):
                return False, None  # "efforts to forge a settlement"
            if light is not None:
                scope += [c for c in light.children if c != tok]
        child_words = set().union(*(_lower_words(c) for c in scope)) if scope else set()
        if entry.particles and not any(
                c.lower_ in entry.particles and c.dep_ in ("prt", "advmod", "prep", "acomp", "oprd",
                                                           "dobj", "amod", "pobj", "xcomp",
                                                           "ccomp", "conj")
                for c in scope):
            return False, None
        if entry.preps and not any(c.dep_ in ("prep", "agent", "dative", "prt")
                                   and c.lower_ in entry.preps for c in scope):
            return False, None
        if entry.forbid_children:
            near = child_words | {w for o in object_tokens(tok) for c in o.children
                                  for w in _lower_words(c)}
            near |= {w for c in scope if c.dep_ == "prep" for g in c.children
                     if g.dep_ == "pobj" for w in _lower_words(g)}  # "speaking to journalists"
            if near & entry.forbid_children:
                return False, None  # "launched rocket fire against camps" is no test
        modifiers = set()
        for c in children:
            if c.dep_ in ("amod", "compound", "nmod", "npadvmod", "nummod", "advmod", "poss"):
                # the whole modifier chain: "joint coast guard exercise"
                for t in c.subtree:
                    modifiers |= _lower_words(t)
        if entry.modifiers and not modifiers & entry.modifiers:
            return False, None
        if entry.forbid_modifiers and modifiers & entry.forbid_modifiers:
            return False, None
        objects = self._objects(entry, tok)
        if entry.requires_object and not objects:
            return False, None
        if entry.object_lemmas and not any(_compound_words(o) & entry.object_lemmas
                                           for o in objects):
            if not (entry.object_ents and any(self._may_be(o, entry.object_ents) for o in objects)):
                return False, None
        elif entry.object_ents and not entry.object_lemmas and not any(
                self._may_be(o, entry.object_ents) for o in objects):
            return False, None
        if entry.forbid_object and any(_lower_words(o) & entry.forbid_object for o in objects):
            return False, None
        if entry.forbid_object_ents and any(
                o.ent_type_ in entry.forbid_object_ents or o.like_num or (
                    "CARDINAL" in entry.forbid_object_ents
                    and any(c.dep_ == "nummod" for c in o.children)) for o in objects):
            return False, None  # "declined 20 sen": a price, not a refusal
        if entry.requires_complement and not any(
                c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "prep" and any(
                    g.dep_ == "pcomp" for g in c.children)) for c in children):
            return False, None
        if entry.complement_aux and not any(
                c.dep_ in ("ccomp", "xcomp") and any(g.dep_ == "aux" and g.lower_ in entry.complement_aux
                                                     for g in c.children) for c in children):
            return False, None
        if entry.subject_lemmas or entry.forbid_subject:
            subject = clause_subject(light or tok)
            words = _compound_words(subject) if subject is not None else set()
            if entry.subject_lemmas and not (words & entry.subject_lemmas or (
                    subject is not None and self._may_be(subject, {e.upper() for e in
                                                                  entry.subject_lemmas}))):
                return False, None
            if words & entry.forbid_subject or (
                    subject is not None and subject.ent_type_.lower() in entry.forbid_subject):
                return False, None
        return True, light

    def _objects(self, entry: Entry, tok: "Token") -> list["Token"]:
        if entry.nominal:
            found = []
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "on", "against")):
                found.extend(g for g in prep.children if g.dep_ == "pobj")
            for obj in list(found):
                found.extend(obj.conjuncts)
            return found
        return content_objects(tok)

    # --- modes ----------------------------------------------------------------------
    def _mode(self, entry: Entry, tok: "Token", light: "Token | None") -> tuple[str | None, str]:
        scope: list[Token] = [tok]
        for root in [tok] + ([light] if light is not None else []):
            for child in root.children:
                if child.dep_ in CLAUSAL_DEPS or child == tok:
                    continue
                scope.extend(child.subtree)
        ordered = sorted(set(scope), key=lambda t: t.i)
        words = [t.lower_ for t in ordered]
        lemmas = [t.lemma_.lower() for t in ordered]
        grams: dict[int, set[tuple[str, ...]]] = {}  # n -> the scope's word and lemma n-grams
        for mode, cues in entry.mode_cues:
            for cue in cues:
                n = len(cue)
                if n not in grams:
                    grams[n] = {tuple(seq[i:i + n]) for seq in (words, lemmas)
                                for i in range(len(seq) - n + 1)}
                if cue in grams[n]:
                    return mode, "cue:" + " ".join(cue)
        return entry.mode, "default"

    # --- one sentence ---------------------------------------------------------------
    def _may_be(self, tok: "Token", labels: "set[str] | frozenset[str]") -> bool:
        """Is the token an entity of one of these labels, or, before entities are known,
        might it be one?"""
        return self._entities_unknown or tok.ent_type_ in labels

    def may_match(self, sdoc: "Doc") -> bool:
        """Could any entry match this parse once its entities are known? Every test an
        entry makes is applied, except that a test requiring an entity label passes (a
        test forbidding one passes anyway: no token has a label yet). So this is true
        whenever `find` on the same sentence with entities finds anything."""
        self._entities_unknown = True
        try:
            return any(self.fits(entry, tok)[0] for tok in sdoc for entry in self.candidates(tok))
        finally:
            self._entities_unknown = False

    def find(self, sdoc: "Doc", sentence_index: int) -> list[TriggerMatch]:
        candidates: dict[int, list[tuple[Entry, Token | None]]] = {}
        for tok in sdoc:
            for entry in self.candidates(tok):
                ok, light = self.fits(entry, tok)
                if ok:
                    candidates.setdefault(tok.i, []).append((entry, light))
        matches: list[TriggerMatch] = []
        for i, options in sorted(candidates.items()):
            entry, light = max(options, key=lambda o: (o[0].specificity, o[0].confidence))
            tok = sdoc[i]
            tokens = [i] + ([light.i] if light is not None else [])
            tokens += [c.i for c in tok.children
                       if c.lower_ in entry.particles and c.dep_ in ("prt", "advmod", "acomp", "oprd")]
            definite = entry.nominal and any(
                c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "his", "her",
                                                           "its", "their", "these", "those")
                for c in tok.children)
            has_args = entry.nominal and any(
                c.dep_ == "prep" and c.lower_ in self.lexicon.rules.nominal_argument_preps
                for c in tok.children)
            matches.append(TriggerMatch(entry=entry, sentence_index=sentence_index, head=i,
                                        tokens=sorted(set(tokens)), light_verb=light.i if light else None,
                                        base_type=entry.event_type, definite=definite,
                                        has_arguments=has_args))
        return matches


def _absorb(matches: list[TriggerMatch], sdoc: "Doc", lexicon: Lexicon) -> list[TriggerMatch]:
    """Drop triggers that are the content of another trigger; the outer one takes a mode.

    Three shapes of one occurrence: a noun whose light verb is itself a trigger ("imposed
    sanctions"); content under a speech act ("agreed to meet", "called for the release");
    and an accusing verb that only attributes the preceding clause ("..., a rights group
    charged"), where the clause is the event.
    """
    rules = lexicon.rules
    by_token = {m.head: m for m in matches}
    absorbed: set[int] = set()
    for m in matches:  # "imposed sanctions": the verb entry and the noun entry are one
        if m.light_verb is not None and m.light_verb in by_token and by_token[m.light_verb] is not m:
            verb = by_token[m.light_verb]
            # same type or a more specific verb entry: the verb speaks for both; otherwise the
            # verb is only the noun's light verb
            verb_first = (verb.entry.event_type == m.entry.event_type
                          or verb.entry.specificity >= m.entry.specificity)
            keep, drop = (verb, m) if verb_first else (m, verb)
            absorbed.add(id(drop))
            keep.tokens = sorted(set(keep.tokens) | set(drop.tokens))
            keep.absorbed.append(drop.entry.rule_id)
            if keep is m:
                by_token[m.light_verb] = m
    for m in matches:
        if m.light_verb is not None and id(m) not in absorbed:
            by_token.setdefault(m.light_verb, m)
    for inner in sorted(matches, key=lambda m: -len(list(sdoc[m.head].ancestors))):
        if id(inner) in absorbed:
            continue
        tok = sdoc[inner.light_verb if inner.light_verb is not None else inner.head]
        steps, through_verb, last_dep = 0, False, tok.dep_
        while tok.dep_ in CONTENT_PATH_DEPS and tok.head != tok and steps < 4:
            last_dep = tok.dep_
            tok = tok.head
            steps += 1
            outer = by_token.get(tok.i)
            if outer is None or outer is inner or id(outer) in absorbed:
                if tok.pos_ in ("VERB", "AUX") and outer is None:
                    through_verb = True
                continue
            if _is_attribution(outer, inner, sdoc, rules, last_dep):
                absorbed.add(id(outer))
                inner.absorbed.append(outer.entry.rule_id)
                break
            if outer.entry.event_type in rules.presupposing_types and inner.entry.nominal \
                    and _has_own_actor(sdoc[inner.head]):
                break  # "fumed over the deportation of migrants from the US": it happened
            direct_object = steps == 1 and last_dep == "dobj" and inner.entry.nominal
            if outer.entry.event_type in rules.absorbing_types or direct_object or (
                    outer.entry.event_type == inner.entry.event_type):
                absorbed.add(id(inner))
                outer.absorbed.append(inner.entry.rule_id)
                _content_type(outer, inner, rules, direct=steps <= 2 and not through_verb)
            break
    for m in matches:  # "X did Y, a rights group charged": the attribution hangs off Y
        head = sdoc[m.head]
        if id(m) in absorbed or head.dep_ not in ("ccomp", "parataxis"):
            continue
        content = by_token.get(head.head.i)
        if content is not None and content is not m and id(content) not in absorbed \
                and _is_attribution(m, content, sdoc, rules, "ccomp"):
            absorbed.add(id(m))
            content.absorbed.append(m.entry.rule_id)
    return [m for m in matches if id(m) not in absorbed]


def _is_attribution(outer: TriggerMatch, inner: TriggerMatch, sdoc: "Doc", rules,
                    via: str) -> bool:
    """A speech-like trigger after the clause it reports only says who claims it."""
    word = sdoc[outer.head]
    return (via in ("ccomp", "parataxis") and inner.head < outer.head
            and not outer.entry.complement_aux
            and _lower_words(word) & rules.attribution_verbs != set()
            and not any(c.dep_ in ("dobj", "dative") for c in word.children))


def _has_own_actor(noun: "Token") -> bool:
    """A nominal event that names its doer: "Israel's raid", "US strikes", "deportation
    ... from the US", "the attack by rebels"."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return True
        if child.dep_ in ("compound", "amod", "nmod") and child.ent_type_ in ENTITY_ENTS:
            return True
        if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from"):
            return True
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if any(g.dep_ == "prep" and g.lower_ == "from" for g in obj.children):
                    return True
    return False


def subordinate(m: TriggerMatch, sdoc: "Doc", rules) -> bool:
    """Is the trigger background to the sentence's main event? Relative and adverbial
    clauses ("whom they had taken hostage", "to demand reforms", "unless ..."), and
    nominals under a background preposition ("after five days of fighting", "in the wake
    of the execution")."""
    tok = sdoc[m.light_verb if m.light_verb is not None else m.head]
    for _ in range(12):
        if tok.dep_ in rules.subordinate_deps:
            return True
        if tok.dep_ in ("pobj", "pcomp") and tok.head.dep_ in ("prep", "agent"):
            prep = tok.head
            if prep.lower_ in rules.background_preps:
                return True
            holder = prep.head
            if prep.lower_ == "of" and holder.lemma_.lower() in rules.background_nouns:
                return True
            tok = holder
            continue
        if tok.head == tok:
            return False
        tok = tok.head
    return False


def _content_type(outer: TriggerMatch, inner: TriggerMatch, rules, direct: bool) -> None:
    """Content decides the outer's mode ("refused to meet": REJECT meet) or, when it is
    the outer's direct complement, its type ("vowed to attack": THREATEN)."""
    outer_type = outer.entry.event_type
    inner_type = inner.entry.event_type
    retype = rules.content_retype.get(outer_type, {})
    if inner_type in retype and direct:
        outer.base_type = retype[inner_type]
        outer.mode_source = f"content:{inner.entry.rule_id}"
    target = outer.base_type or outer_type
    table = rules.content_modes.get(target, {})
    inner_mode = inner.mode
    for key in (f"{inner_type}/{inner_mode}", inner_type):
        if key in table and (outer.mode_source in ("default",) or outer.base_type != outer_type):
            outer.content_mode = table[key]
            outer.mode_source = f"content:{inner.entry.rule_id}"
            return


def _merge_conjoined(matches: list[TriggerMatch], sdoc: "Doc") -> list[TriggerMatch]:
    """"attacked and killed": conjoined verbs of one type and subject are one occurrence."""
    kept: list[TriggerMatch] = []
    for m in matches:
        tok = sdoc[m.head]
        twin = next((k for k in kept if k.entry.event_type == m.entry.event_type
                     and tok.dep_ == "conj" and tok.head.i == k.head
                     and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)), None)
        if twin is None:
            kept.append(m)
        else:
            twin.absorbed.append(m.entry.rule_id)
    return kept


def _future_cue(m: TriggerMatch, sdoc: "Doc", lexicon: Lexicon) -> str | None:
    """What marks the trigger as future ("aux:will", "governor:slated", "modifier:next"),
    or None. A negated future ("will not attend") is not converted."""
    rules = lexicon.rules
    tok = sdoc[m.light_verb if m.light_verb is not None else m.head]
    for c in sdoc[m.head].children:
        if m.entry.nominal and c.dep_ in ("amod", "compound") and _lower_words(c) & rules.future_modifiers:
            return f"modifier:{c.lower_}"
    current = tok
    for _ in range(4):
        children = list(current.children)
        if any(c.dep_ == "neg" for c in children):
            return None
        for c in children:
            if c.dep_ == "aux" and c.lower_ in rules.future_auxiliaries:
                return f"aux:{c.lower_}"
        for c in children:  # "next week", "in the coming days": time phrases, not clauses
            if c.dep_ in ("npadvmod", "advmod"):
                words = [c] + [g for g in c.children if g.dep_ in ("amod", "det")]
            elif c.dep_ == "prep":
                words = [g for o in c.children if o.dep_ == "pobj"
                         for g in [o, *o.children] if g.dep_ in ("pobj", "amod")]
            else:
                continue
            hit = next((t.lower_ for t in words if t.lower_ in rules.future_modifiers), None)
            if hit:
                return f"modifier:{hit}"
        if current.dep_ in ("xcomp", "conj", "acomp") and current.head != current:
            via = current.dep_
            current = current.head
            if _lower_words(current) & rules.future_governors:
                return f"governor:{current.lemma_.lower()}"
            if via == "xcomp" and current.lemma_.lower() == "be":
                return "governor:be-to"  # "Gingrich is to pay a visit"
            continue
        break
    return None


def _conditional_threat(m: TriggerMatch, sdoc: "Doc", rules) -> bool:
    """"will boycott the vote unless ...": a future act made conditional is a threat."""
    tok = sdoc[m.light_verb if m.light_verb is not None else m.head]
    return any(c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in rules.threat_marks
                                         for g in c.children) for c in tok.children)


def _content_word_mode(sdoc: "Doc", m: TriggerMatch,
                       table: dict[str, frozenset[str]]) -> str | None:
    """REQUEST/REJECT mode from what is asked for or refused ("demanded the release")."""
    roots = [sdoc[m.head]] + ([sdoc[m.light_verb]] if m.light_verb is not None else [])
    words: set[str] = set()
    for root in roots:
        for child in root.children:
            if child.dep_ in ("nsubj", "nsubjpass", "punct", "cc", "advcl", "conj"):
                continue
            words |= {w for t in child.subtree for w in (t.lower_, t.lemma_.lower())}
    for mode, cues in table.items():
        if words & cues:
            return mode
    return None


def _trigger_text(sent: Sentence, sdoc: "Doc", m: TriggerMatch) -> tuple[str, int, int]:
    """The trigger words; a gap becomes " ... " ("held ... telephonic conversation")."""
    idx = set(m.tokens)
    head = sdoc[m.head]
    for child in head.children:  # a mode cue modifier right before the noun belongs to it
        if child.dep_ in ("amod", "compound") and child.i == head.i - 1 and m.entry.nominal \
                and m.mode_source.startswith("cue:"):
            idx.add(child.i)
    ordered = sorted(idx)
    parts: list[str] = []
    prev = None
    for i in ordered:
        if prev is not None:
            parts.append(" " if i == prev + 1 else " ... ")
        parts.append(sdoc[i].text)
        prev = i
    first, last = sdoc[ordered[0]], sdoc[ordered[-1]]
    start, end = sent.span_offsets(first, last)
    return "".join(parts), start, end


@dataclass
class Triggers:
    """The `triggers` component."""

    lexicon: Lexicon
    finder: TriggerFinder

    def confirm_candidate(self, sdoc: "Doc") -> bool:
        """The second cheap pass, on a candidate's parse before its entities: only a
        sentence some entry could match needs the entity recogniser and the rest."""
        return self.finder.may_match(sdoc)

    def prefilter_terms(self) -> set[str]:
        """Lower-case words that make a sentence worth parsing: every surface form of the
        lexicon's words. For a lemma too common to be a cue ("set", "hold"), the entry's
        required words stand in ("set free": "free"), because without them it cannot match."""
        rules = self.lexicon.rules
        terms: set[str] = set()
        for entry in self.lexicon.entries:
            if entry.prefilter:
                terms |= set(entry.prefilter)
                continue
            required = entry.object_lemmas | entry.particles | entry.modifiers
            stand_ins = (entry.particles | entry.modifiers | (entry.object_lemmas & rules.cue_objects)
                         ) - rules.common_words - rules.generic_nouns
            for lemma in entry.lemmas:
                if lemma not in rules.common_words and lemma not in rules.generic_nouns:
                    words = {lemma}
                elif required:  # a common verb that needs one of its words to match
                    words = stand_ins
                else:
                    words = {lemma}
                if words is stand_ins:  # a plural cue also stands in as a singular
                    words = words | {w[:-1] for w in words if w.endswith("s")}
                for word in words:
                    nominal = entry.nominal if word == lemma else True
                    terms |= {f.split()[0] for f in inflections(word, self.lexicon.irregular,
                                                                nominal=nominal)}
        return terms

    def __call__(self, doc: TidingsDoc) -> None:
        handoff = doc.user_data.setdefault(HANDOFF_KEY, {})
        for sent in doc.sentences:
            if sent.doc is None:
                continue
            for m, event in self.code_sentence(doc, sent):
                handoff[(m.sentence_index, m.head)] = m
                doc.events.append(event)

    def code_sentence(self, doc: TidingsDoc, sent: Sentence) -> list[tuple[TriggerMatch, Event]]:
        sdoc = sent.doc
        matches = self.finder.find(sdoc, sent.index)
        for m in matches:
            mode, source = self.finder._mode(m.entry, sdoc[m.head],
                                             sdoc[m.light_verb] if m.light_verb is not None else None)
            m.mode, m.mode_source = mode, source
        matches = _absorb(matches, sdoc, self.lexicon)
        matches = _merge_conjoined(matches, sdoc)
        for m in matches:
            m.subordinate = subordinate(m, sdoc, self.lexicon.rules)
        out = []
        for m in matches:
            out.append((m, self._event(doc, sent, m)))
        return out

    def _event(self, doc: TidingsDoc, sent: Sentence, m: TriggerMatch) -> Event:
        rules = self.lexicon.rules
        sdoc = sent.doc
        entry = m.entry
        event_type = m.base_type or entry.event_type
        mode = m.content_mode or m.mode
        if event_type != entry.event_type and not m.content_mode:
            mode = None
        type_rule = f"lexicon:{entry.rule_id}"
        if event_type != entry.event_type:
            type_rule += f"+content:{event_type}"
        cue = _future_cue(m, sdoc, self.lexicon)
        m.future = cue is not None
        if cue is not None:
            by_governor = rules.governor_conversion.get(cue.split(":", 1)[1], {})
            target = by_governor.get(event_type) or rules.future_conversion.get(event_type)
            if event_type != "THREATEN" and _conditional_threat(m, sdoc, rules):
                target = "THREATEN"
            if target:
                threat_modes = rules.content_modes.get(target, {})
                new_mode = threat_modes.get(f"{event_type}/{mode}") or threat_modes.get(event_type)
                type_rule += f"+future({cue}):{target}"
                event_type, mode = target, new_mode
                if new_mode:
                    m.mode_source = "future-content"
        if mode is not None and mode not in self.lexicon.modes.get(event_type, frozenset()):
            mode = None
        if mode is None and event_type in rules.content_mode_words:
            mode = _content_word_mode(sdoc, m, rules.content_mode_words[event_type])
            if mode is not None:
                m.mode_source = "content-words"
        mode_rule = f"lexicon:{entry.rule_id}#{m.mode_source}" if mode else None
        contexts = list(dict.fromkeys(list(entry.contexts)
                                      + list(rules.mode_contexts.get(f"{event_type}/{mode}", ()))))
        text, t_start, t_end = _trigger_text(sent, sdoc, m)
        confidence = entry.confidence
        if entry.nominal and m.light_verb is None:
            confidence -= 0.1
        provenance = {"event_type": type_rule, "evidence": f"lexicon:{entry.rule_id}"}
        if mode_rule:
            provenance["mode"] = mode_rule
        if contexts:
            provenance["contexts"] = f"lexicon:{entry.rule_id}"
        provenance["confidence"] = "triggers:entry"
        return Event(
            article_id=doc.article.id, event_type=event_type, mode=mode, contexts=contexts,
            evidence=Evidence(sentence=sent.text, start=sent.start, end=sent.end, trigger=text,
                              trigger_start=t_start, trigger_end=t_end),
            provenance=provenance, confidence=max(0.05, min(1.0, confidence)),
            sentence_index=sent.index, trigger_head=m.head)


@component("triggers")
def make_triggers(config: dict[str, Any]) -> Triggers:
    lexicon = load_lexicon(config.get("lexicon"))
    return Triggers(lexicon=lexicon, finder=TriggerFinder(lexicon))
