"""The event lexicon: one YAML file per PLOVER type plus shared rules, loaded as data.

Why a loader of its own: `triggers` (matching), `roles` (which syntax slot is actor or
recipient) and `discard` (thresholds) all read the same entries, so the files are parsed
and checked once, and a broken file fails loudly with its name (ConfigError), not with a
KeyError deep inside a batch. The schema is documented in `data/lexicon/README.md`.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.errors import ConfigError
from tidings.model import EVENT_TYPES

RULES_FILE = "_rules.yaml"
INFLECTIONS_FILE = "_inflections.yaml"


def _words(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    return frozenset(str(v).lower() for v in value)


def _cue_list(value: Any) -> tuple[tuple[str, ...], ...]:
    """Cue phrases as tuples of lower-case words ("tear gas" -> ("tear", "gas"))."""
    return tuple(tuple(str(cue).lower().split()) for cue in (value or []))


@dataclass(frozen=True)
class RoleHints:
    """Where the actor and recipient of an entry sit in the syntax (see README)."""

    subject_role: str = "actor"  # "actor" or "recipient" ("X received aid from Y")
    object_role: str = "recipient"  # "recipient", "content" (not an entity) or "actor"
    recipient_preps: frozenset[str] = frozenset()
    actor_preps: frozenset[str] = frozenset()
    of_role: str = "recipient"  # nominal "X of Y": Y is the recipient or the actor
    host: bool = False  # CONSULT host: the visitor is the actor, the host the recipient
    complement_subject: str | None = None  # "said Iran must stop": Iran is the recipient


@dataclass(frozen=True)
class Entry:
    """One lexicon rule. `rule_id` is the provenance, e.g. `consult/phone-call`."""

    rule_id: str
    event_type: str
    lemmas: frozenset[str]
    pos: frozenset[str]
    mode: str | None = None
    particles: frozenset[str] = frozenset()
    preps: frozenset[str] = frozenset()
    object_lemmas: frozenset[str] = frozenset()
    object_ents: frozenset[str] = frozenset()
    forbid_object: frozenset[str] = frozenset()
    forbid_object_ents: frozenset[str] = frozenset()
    requires_light_verb: bool = False
    subject_lemmas: frozenset[str] = frozenset()
    forbid_subject: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    forbid_modifiers: frozenset[str] = frozenset()
    forbid_children: frozenset[str] = frozenset()
    forbid_deps: frozenset[str] = frozenset()
    requires_complement: bool = False
    requires_object: bool = False
    complement_aux: frozenset[str] = frozenset()  # "said X must ...": a ccomp with this aux
    prefilter: frozenset[str] = frozenset()  # words that make a sentence worth parsing
    light_verbs: frozenset[str] = frozenset()
    lowercase_only: bool = False
    tags: frozenset[str] = frozenset()
    mode_cues: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
    contexts: tuple[str, ...] = ()
    roles: RoleHints = field(default_factory=RoleHints)
    confidence: float = 0.7
    priority: int = 0

    @property
    def nominal(self) -> bool:
        return self.pos <= {"NOUN", "PROPN"}

    @property
    def specificity(self) -> int:
        """How many constraints the entry states: the more, the more specific it is."""
        return (2 * bool(self.object_lemmas) + 2 * bool(self.particles) + bool(self.preps)
                + 2 * bool(self.modifiers) + bool(self.subject_lemmas) + bool(self.object_ents)
                + bool(self.requires_complement) + 2 * bool(self.complement_aux)
                + self.priority)


@dataclass(frozen=True)
class Rules:
    """Type-independent knowledge: light verbs, future cues, absorption, discard."""

    light_verbs: frozenset[str]
    event_subject_verbs: frozenset[str]
    nominal_argument_preps: frozenset[str]
    future_auxiliaries: frozenset[str]
    future_governors: frozenset[str]
    future_modifiers: frozenset[str]
    future_conversion: dict[str, str]
    governor_conversion: dict[str, dict[str, str]]
    threat_marks: frozenset[str]
    absorbing_types: frozenset[str]
    presupposing_types: frozenset[str]
    content_modes: dict[str, dict[str, str]]
    content_retype: dict[str, dict[str, str]]
    content_mode_words: dict[str, dict[str, frozenset[str]]]
    non_event_governors: frozenset[str]
    common_words: frozenset[str]
    generic_nouns: frozenset[str]
    cue_objects: frozenset[str]
    attribution_verbs: frozenset[str]
    subordinate_deps: frozenset[str]
    background_preps: frozenset[str]
    background_nouns: frozenset[str]
    speech_verbs: frozenset[str]
    speech_nouns: frozenset[str]
    first_person: frozenset[str]
    mode_contexts: dict[str, tuple[str, ...]]
    discard: dict[str, Any]
    raw: dict[str, Any]


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[Entry, ...]
    rules: Rules
    irregular: dict[str, tuple[str, ...]]
    modes: dict[str, frozenset[str]]  # every mode each type declares

    def by_id(self) -> dict[str, Entry]:
        return {e.rule_id: e for e in self.entries}


def _read_yaml(path: Path | Any, name: str) -> Any:
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read lexicon file {name}: {exc}") from exc


def _entry(raw: dict[str, Any], event_type: str, defaults: dict[str, Any], name: str) -> Entry:
    if not isinstance(raw, dict) or "id" not in raw or "lemmas" not in raw:
        raise ConfigError(f"lexicon file {name}: every entry needs 'id' and 'lemmas': {raw!r}")
    merged = {**defaults, **raw}
    role_raw = {**(defaults.get("roles") or {}), **(raw.get("roles") or {})}
    roles = RoleHints(
        subject_role=role_raw.get("subject", "actor"),
        object_role=role_raw.get("object", "recipient"),
        recipient_preps=_words(role_raw.get("recipient_preps")),
        actor_preps=_words(role_raw.get("actor_preps")),
        of_role=role_raw.get("of", "recipient"),
        host=bool(role_raw.get("host", False)),
        complement_subject=role_raw.get("complement_subject"),
    )
    cues = tuple((mode, _cue_list(words)) for mode, words in (merged.get("mode_cues") or {}).items())
    pos = _words(merged.get("pos") or ["VERB"])
    return Entry(
        rule_id=f"{event_type.lower()}/{raw['id']}",
        event_type=event_type,
        lemmas=_words(raw["lemmas"]),
        pos=frozenset(p.upper() for p in pos),
        mode=merged.get("mode"),
        particles=_words(raw.get("particles")),
        preps=_words(raw.get("preps")),
        object_lemmas=_words(raw.get("objects")),
        object_ents=frozenset(e.upper() for e in _words(raw.get("object_ents"))),
        forbid_object=_words(merged.get("forbid_objects")) if "forbid_objects" in raw
        else _words(defaults.get("forbid_objects")),
        forbid_object_ents=frozenset(e.upper() for e in _words(raw.get("forbid_object_ents"))),
        requires_light_verb=bool(raw.get("requires_light_verb", False)),
        subject_lemmas=_words(raw.get("subjects")),
        forbid_subject=_words(merged.get("forbid_subjects")),
        modifiers=_words(raw.get("modifiers")),
        forbid_modifiers=_words(raw.get("forbid_modifiers")),
        forbid_children=_words(raw.get("forbid_children")),
        forbid_deps=_words(merged.get("forbid_deps")),
        requires_complement=bool(raw.get("requires_complement", False)),
        requires_object=bool(raw.get("requires_object", False)),
        complement_aux=_words(raw.get("complement_aux")),
        prefilter=_words(raw.get("prefilter")),
        light_verbs=_words(raw.get("light_verbs")),
        lowercase_only=bool(raw.get("lowercase_only", False)),
        tags=frozenset(t.upper() for t in _words(raw.get("tags"))),
        mode_cues=cues,
        contexts=tuple(merged.get("contexts") or ()),
        roles=roles,
        confidence=float(merged.get("confidence", 0.7)),
        priority=int(raw.get("priority", 0)),
    )


def _rules(raw: dict[str, Any]) -> Rules:
    absorb = raw.get("absorption") or {}
    future = raw.get("future") or {}
    return Rules(
        light_verbs=_words(raw.get("light_verbs")),
        event_subject_verbs=_words(raw.get("event_subject_verbs")),
        nominal_argument_preps=_words(raw.get("nominal_argument_preps")),
        future_auxiliaries=_words(future.get("auxiliaries")),
        future_governors=_words(future.get("governors")),
        future_modifiers=_words(future.get("modifiers")),
        future_conversion=dict(future.get("conversion") or {}),
        governor_conversion={k: dict(v) for k, v in (future.get("by_governor") or {}).items()},
        threat_marks=_words(future.get("threat_marks")),
        absorbing_types=frozenset(absorb.get("outer_types") or ()),
        presupposing_types=frozenset(absorb.get("presupposing_types") or ()),
        content_modes={k: dict(v) for k, v in (absorb.get("content_modes") or {}).items()},
        content_retype={k: dict(v) for k, v in (absorb.get("content_retype") or {}).items()},
        content_mode_words={
            outer: {mode: _words(words) for mode, words in table.items()}
            for outer, table in (absorb.get("content_mode_words") or {}).items()},
        non_event_governors=_words(raw.get("non_event_governors")),
        common_words=_words(raw.get("common_words")),
        generic_nouns=_words(raw.get("generic_nouns")),
        cue_objects=_words(raw.get("cue_objects")),
        attribution_verbs=_words(raw.get("attribution_verbs")),
        subordinate_deps=_words((raw.get("salience") or {}).get("subordinate_deps")),
        background_preps=_words((raw.get("salience") or {}).get("background_preps")),
        background_nouns=_words((raw.get("salience") or {}).get("background_nouns")),
        speech_verbs=_words(raw.get("speech_verbs")),
        speech_nouns=_words(raw.get("speech_nouns")),
        first_person=_words(raw.get("first_person")),
        mode_contexts={k: tuple(v) for k, v in (raw.get("mode_contexts") or {}).items()},
        discard=dict(raw.get("discard") or {}),
        raw=raw,
    )


def load_lexicon_dir(directory: Path | Any) -> Lexicon:
    """Load every `<type>.yaml` plus `_rules.yaml` and `_inflections.yaml` from a folder."""
    files = {f.name: f for f in directory.iterdir() if f.name.endswith(".yaml")}
    for required in (RULES_FILE, INFLECTIONS_FILE):
        if required not in files:
            raise ConfigError(f"lexicon folder {directory} lacks {required}")
    rules = _rules(_read_yaml(files[RULES_FILE], RULES_FILE) or {})
    irregular_raw = _read_yaml(files[INFLECTIONS_FILE], INFLECTIONS_FILE) or {}
    irregular = {k.lower(): tuple(str(v).lower() for v in vs)
                 for k, vs in (irregular_raw.get("irregular") or {}).items()}
    entries: list[Entry] = []
    modes: dict[str, frozenset[str]] = {}
    seen: set[str] = set()
    for name in sorted(files):
        if name.startswith("_"):
            continue
        data = _read_yaml(files[name], name) or {}
        event_type = str(data.get("type", "")).upper()
        if event_type not in EVENT_TYPES:
            raise ConfigError(f"lexicon file {name}: 'type' must be a PLOVER type, "
                              f"got {data.get('type')!r}")
        modes[event_type] = frozenset((data.get("modes") or {}).keys())
        defaults = dict(data.get("defaults") or {})
        for raw in data.get("entries") or []:
            entry = _entry(raw, event_type, defaults, name)
            for entry in _split_by_pos(entry):
                _check(entry, seen, modes, event_type, name)
                seen.add(entry.rule_id)
                entries.append(entry)
    return Lexicon(entries=tuple(entries), rules=rules, irregular=irregular, modes=modes)


NOMINAL_POS = frozenset({"NOUN", "PROPN"})


def _split_by_pos(entry: Entry) -> list[Entry]:
    """An entry for both nouns and verbs ("boycott") becomes two: their syntax differs
    (a noun needs a light verb or its own arguments). The noun half gets `-noun`."""
    nominal, verbal = entry.pos & NOMINAL_POS, entry.pos - NOMINAL_POS
    if not nominal or not verbal:
        return [entry]
    return [dataclasses.replace(entry, pos=verbal),
            dataclasses.replace(entry, pos=nominal, rule_id=entry.rule_id + "-noun")]


def _check(entry: Entry, seen: set[str], modes: dict, event_type: str, name: str) -> None:
    if entry.rule_id in seen:
        raise ConfigError(f"lexicon file {name}: duplicate entry id {entry.rule_id}")
    for mode in [entry.mode] + [m for m, _ in entry.mode_cues]:
        if mode is not None and mode not in modes[event_type]:
            raise ConfigError(f"lexicon file {name}: entry {entry.rule_id} uses mode "
                              f"{mode!r}, not declared under 'modes'")


@functools.lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The shipped lexicon (`tidings/data/lexicon/`), or a user folder of the same shape."""
    if path is None:
        return load_lexicon_dir(resources.files("tidings.data").joinpath("lexicon"))
    return load_lexicon_dir(Path(path))


def inflections(lemma: str, irregular: dict[str, tuple[str, ...]],
                nominal: bool = False) -> set[str]:
    """Surface forms a lemma may take (nouns: plurals only, so "accord" never yields
    "according"). Over-generated non-words are harmless: they never occur.

    Regular English rules (-s/-es/-ies, -ed/-d/-ied, -ing, doubled final consonant)
    plus the irregulars table; multiword lemmas inflect their first word.
    """
    words = lemma.lower().split()
    head, rest = words[0], words[1:]
    if nominal:
        forms = {head, head + "s", head + "es"}
        if head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
            forms.add(head[:-1] + "ies")
        return {" ".join([f, *rest]) for f in forms} if rest else forms
    forms = {head, head + "s", head + "es", head + "ed", head + "d", head + "ing"}
    if head.endswith("e"):
        forms.add(head[:-1] + "ing")
    if head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
        forms |= {head[:-1] + "ies", head[:-1] + "ied"}
    if len(head) > 2 and head[-1] not in "aeiouwxy" and head[-2] in "aeiou":
        forms |= {head + head[-1] + "ed", head + head[-1] + "ing"}
    forms |= set(irregular.get(head, ()))
    if rest:
        return {" ".join([f, *rest]) for f in forms}
    return forms
