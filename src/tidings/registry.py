"""Named pipeline components, assembled from config so that a pipeline is data.

A component module registers a factory under a name:

    @component("triggers")
    def make_triggers(config: dict) -> Component: ...

A component is any callable `(doc: TidingsDoc) -> None` that adds its annotations to the
document. It may also offer `prefilter_terms() -> set[str]`: lower-case words whose
presence makes a sentence worth parsing. The pipeline hands those terms to the nlp
stage's cheap first pass, so the nlp stage never imports extraction code. It may also
offer `confirm_candidate(sdoc) -> bool`, the second cheap pass: given a candidate's parse
before its entities, does the sentence need the entity recogniser and the components?
A candidate no such component confirms is dropped like one the first pass never marked;
without any, every candidate is kept. It may also offer `pipe(docs) -> None`, annotating a
batch of documents exactly as calling it on each would, for a model cheaper per batch.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol

from tidings.document import TidingsDoc
from tidings.errors import ConfigError


class Component(Protocol):
    def __call__(self, doc: TidingsDoc) -> None: ...


Factory = Callable[[dict[str, Any]], Component]
_FACTORIES: dict[str, Factory] = {}

# Where each built-in component lives; imported on first use so a pipeline
# that does not name a component never pays for loading it.
BUILTIN_MODULES = {
    "triggers": "tidings.extract.triggers",
    "typemodel": "tidings.extract.typemodel",
    "roles": "tidings.extract.roles",
    "contexts": "tidings.extract.contexts",
    "time": "tidings.extract.time",
    "attribution": "tidings.extract.attribution",
    "places": "tidings.extract.places",
    "resolve": "tidings.resolve",
    "scores": "tidings.scores",
    "discard": "tidings.extract.discard",
}


def component(name: str) -> Callable[[Factory], Factory]:
    def register(factory: Factory) -> Factory:
        _FACTORIES[name] = factory
        return factory
    return register


def make_component(name: str, config: dict[str, Any]) -> Component:
    if name not in _FACTORIES and name in BUILTIN_MODULES:
        importlib.import_module(BUILTIN_MODULES[name])
    if name not in _FACTORIES:
        raise ConfigError(f"unknown pipeline component {name!r}; known: "
                          f"{sorted(set(_FACTORIES) | set(BUILTIN_MODULES))}")
    return _FACTORIES[name](config)
