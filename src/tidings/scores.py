"""Component `scores`: quad class, PLOVER score and nearest CAMEO code, in one place.

Why one table: users compare tidings with GDELT/ICEWS through CAMEO codes and
conflict-cooperation scales; keeping the numbers in `data/scores.yaml` (with their
sources) lets an analyst audit or change them without touching code.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.document import TidingsDoc
from tidings.errors import ConfigError
from tidings.model import EVENT_TYPES, QUAD_CLASSES, Event
from tidings.registry import component


@dataclass(frozen=True)
class Score:
    quad_class: str
    score: float
    cameo: str | None
    rule: str


@dataclass
class ScoreTable:
    types: dict[str, dict[str, Any]]

    def lookup(self, event_type: str, mode: str | None) -> Score | None:
        spec = self.types.get(event_type)
        if spec is None:
            return None
        by_mode = (spec.get("modes") or {}).get(mode) if mode else None
        if by_mode:
            return Score(quad_class=spec["quad"], score=float(by_mode.get("score", spec["score"])),
                         cameo=str(by_mode.get("cameo", spec.get("cameo"))),
                         rule=f"scores:{event_type}/{mode}")
        return Score(quad_class=spec["quad"], score=float(spec["score"]),
                     cameo=str(spec["cameo"]) if spec.get("cameo") else None,
                     rule=f"scores:{event_type}")

    def apply(self, event: Event) -> None:
        found = self.lookup(event.event_type, event.mode)
        if found is None:
            return
        event.quad_class, event.score, event.cameo = found.quad_class, found.score, found.cameo
        for key in ("quad_class", "score", "cameo"):
            event.provenance[key] = found.rule


def load_scores(path: str | Path | None = None) -> ScoreTable:
    try:
        if path is None:
            text = resources.files("tidings.data").joinpath("scores.yaml").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read scores table {path or 'scores.yaml'}: {exc}") from exc
    types = data.get("types") or {}
    for name, spec in types.items():
        if name not in EVENT_TYPES or not isinstance(spec, dict):
            raise ConfigError(f"scores table: {name!r} is not a PLOVER type with a mapping")
        if spec.get("quad") not in QUAD_CLASSES or "score" not in spec:
            raise ConfigError(f"scores table: {name} needs a quad class and a score")
    missing = set(EVENT_TYPES) - set(types)
    if missing:
        raise ConfigError(f"scores table lacks types: {sorted(missing)}")
    return ScoreTable(types=types)


@dataclass
class Scores:
    """The `scores` component."""

    table: ScoreTable

    def __call__(self, doc: TidingsDoc) -> None:
        for event in doc.events:
            self.table.apply(event)


@component("scores")
def make_scores(config: dict[str, Any]) -> Scores:
    return Scores(table=load_scores(config.get("file")))
