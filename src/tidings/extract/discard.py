"""Component `discard`: drop events that fail the discard rules, so users see fewer extras.

Why a separate pass at the end: by now every event has its roles, status and identity,
and several rules need the whole article (a repeated mention of one deportation is one
event). Negated and hypothetical events are KEPT: PLOVER codes them with auxiliary modes,
and the `status` field says so. Thresholds live in `data/lexicon/_rules.yaml` (`discard:`)
and may be overridden per pipeline in `pipeline.yaml`.

Each dropped event is recorded in `doc.user_data["discard"]` as (rule, event) so that
`tidings evaluate --errors` and debugging can show why it went.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tidings.document import TidingsDoc
from tidings.extract.lexicon import load_lexicon
from tidings.extract.triggers import HANDOFF_KEY, TriggerMatch
from tidings.model import Event
from tidings.registry import component


@dataclass
class Discard:
    """The `discard` component."""

    min_confidence: float = 0.3
    min_confidence_without_roles: float = 0.85
    drop_repeated_nominals: bool = True
    drop_subordinate_when_main: bool = True
    dropped_key: str = "discard"

    def __call__(self, doc: TidingsDoc) -> None:
        handoff: dict[Any, TriggerMatch] = doc.user_data.get(HANDOFF_KEY, {})
        dropped: list[tuple[str, Event]] = doc.user_data.setdefault(self.dropped_key, [])
        kept: list[Event] = []
        seen_occurrences: set[tuple[int, int, int]] = set()
        main_sentences = {e.sentence_index for e in doc.events
                          if not getattr(handoff.get((e.sentence_index, e.trigger_head)),
                                         "subordinate", False)}
        for event in doc.events:
            match = handoff.get((event.sentence_index, event.trigger_head))
            reason = self._reason(event, match, kept, handoff, seen_occurrences)
            if reason is None and self.drop_subordinate_when_main and match is not None \
                    and match.subordinate and event.sentence_index in main_sentences:
                reason = "subordinate-clause"
            if reason:
                dropped.append((reason, event))
            else:
                kept.append(event)
                seen_occurrences.add((event.sentence_index, event.evidence.trigger_start,
                                      event.evidence.trigger_end))
        kept = self._merge_repeated_nominals(kept, handoff, dropped)
        doc.events = kept

    def _reason(self, event: Event, match: TriggerMatch | None, kept: list[Event],
                handoff: dict, seen: set) -> str | None:
        key = (event.sentence_index, event.evidence.trigger_start, event.evidence.trigger_end)
        if key in seen:
            return "duplicate-coding"
        if event.confidence < self.min_confidence:
            return "low-confidence"
        if not event.actor and not event.recipient and event.confidence < self.min_confidence_without_roles:
            return "no-roles"
        if match is not None and self.drop_repeated_nominals and match.entry.nominal \
                and match.definite and not match.has_arguments:
            for earlier in kept:
                other = handoff.get((earlier.sentence_index, earlier.trigger_head))
                if other is not None and other.base_type == match.base_type:
                    return "repeated-mention"
        return None

    def _merge_repeated_nominals(self, events: list[Event], handoff: dict,
                                 dropped: list) -> list[Event]:
        """Two definite mentions of one nominal event ("the deportation of ...") are one
        occurrence: keep the one with more roles (an actor counts most)."""
        if not self.drop_repeated_nominals:
            return events
        groups: dict[tuple[str, str | None, frozenset], list[Event]] = {}
        for event in events:
            match = handoff.get((event.sentence_index, event.trigger_head))
            if match is None or not match.entry.nominal or not match.definite:
                continue
            lemmas = frozenset(match.entry.lemmas)
            groups.setdefault((event.event_type, event.mode, lemmas), []).append(event)
        drop: set[int] = set()
        for group in groups.values():
            if len(group) < 2:
                continue
            best = max(group, key=lambda e: (len(e.actor) > 0, len(e.recipient) > 0,
                                             e.confidence, -e.sentence_index))
            for event in group:
                if event is not best:
                    drop.add(id(event))
                    dropped.append(("repeated-mention", event))
        return [e for e in events if id(e) not in drop]


@component("discard")
def make_discard(config: dict[str, Any]) -> Discard:
    settings = dict(load_lexicon(config.get("lexicon")).rules.discard)
    settings.update({k: v for k, v in config.items() if k != "lexicon"})
    return Discard(min_confidence=float(settings.get("min_confidence", 0.3)),
                   min_confidence_without_roles=float(
                       settings.get("min_confidence_without_roles", 0.85)),
                   drop_repeated_nominals=bool(settings.get("drop_repeated_nominals", True)),
                   drop_subordinate_when_main=bool(settings.get("drop_subordinate_when_main",
                                                                True)))
