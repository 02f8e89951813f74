"""Component `contexts`: document-level PLOVER contexts appended to every event.

Why document level: PLOVER says contexts are usually coded at paragraph or document level
(a meeting is "military" because the article is about defence ties, not because the
sentence says so). Cue words per context are data (`data/contexts.yaml`); a context holds
for the article when its cues occur `min_hits` times, or once for a strong cue. Sentence
contexts from the lexicon (set by `triggers`) are kept and come first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.document import TidingsDoc
from tidings.errors import ConfigError
from tidings.registry import component

PROVENANCE_KEY = "contexts[document]"


_WORD = re.compile(r"[\w'-]+")


def _phrases(phrases: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(p).lower().split()) for p in phrases)


@dataclass(frozen=True)
class ContextCues:
    name: str
    strong: tuple[tuple[str, ...], ...]
    cues: tuple[tuple[str, ...], ...]


def _hits(words: list[str], positions: dict[str, list[int]],
          phrases: tuple[tuple[str, ...], ...]) -> list[str]:
    """Occurrences of cue phrases in the article's word list (one entry per occurrence)."""
    found = []
    for phrase in phrases:
        for i in positions.get(phrase[0], ()):
            if tuple(words[i:i + len(phrase)]) == phrase:
                found.append(" ".join(phrase))
    return found


@dataclass
class Contexts:
    """The `contexts` component."""

    cues: list[ContextCues]
    min_hits: int = 2

    def article_contexts(self, text: str) -> dict[str, list[str]]:
        """Context name -> the cue words that made it hold, for provenance."""
        words = _WORD.findall(text.lower())
        positions: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            positions.setdefault(word, []).append(i)
        found: dict[str, list[str]] = {}
        for ctx in self.cues:
            strong = _hits(words, positions, ctx.strong)
            weak = _hits(words, positions, ctx.cues)
            if strong or len(weak) >= self.min_hits:
                found[ctx.name] = list(dict.fromkeys(strong + weak))
        return found

    def __call__(self, doc: TidingsDoc) -> None:
        if not doc.events:
            return
        found = self.article_contexts(doc.text)
        if not found:
            return
        rule = "contexts:document(" + "; ".join(
            f"{name}={','.join(words[:3])}" for name, words in found.items()) + ")"
        for event in doc.events:
            added = [name for name in found if name not in event.contexts]
            if added:
                event.contexts.extend(added)
                event.provenance[PROVENANCE_KEY] = rule


def load_contexts(path: str | Path | None = None) -> tuple[list[ContextCues], int]:
    try:
        if path is None:
            text = resources.files("tidings.data").joinpath("contexts.yaml").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read contexts file {path or 'contexts.yaml'}: {exc}") from exc
    cues = [ContextCues(name=name, strong=_phrases(spec.get("strong") or []),
                        cues=_phrases(spec.get("cues") or []))
            for name, spec in (data.get("contexts") or {}).items()]
    return cues, int(data.get("min_hits", 2))


@component("contexts")
def make_contexts(config: dict[str, Any]) -> Contexts:
    cues, min_hits = load_contexts(config.get("file"))
    return Contexts(cues=cues, min_hits=int(config.get("min_hits", min_hits)))
