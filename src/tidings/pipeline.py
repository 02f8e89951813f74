"""Assemble the pipeline from config and run articles through it.

The config (`data/pipeline.yaml` by default) names the nlp settings and the components
in order. Components are built once per `Pipeline`; the spaCy model once per process.
"""
from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.document import TidingsDoc
from tidings.errors import ConfigError
from tidings.model import Article
from tidings.nlp import NlpStage
from tidings.registry import Component, make_component

DEFAULT_CONFIG = "pipeline.yaml"


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    try:
        if path is None:
            text = resources.files("tidings.data").joinpath(DEFAULT_CONFIG).read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        config = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read pipeline config {path or DEFAULT_CONFIG}: {exc}") from exc
    if not isinstance(config, dict) or "components" not in config:
        raise ConfigError(f"pipeline config {path or DEFAULT_CONFIG} has no 'components' list")
    return config


@dataclass
class Pipeline:
    nlp: NlpStage
    components: list[tuple[str, Component]]
    prefilter: bool = True
    # Seconds spent per stage ("nlp" and each component), for benchmarks/stage_times.py.
    timings: Counter = field(default_factory=Counter)

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None, **nlp_overrides: Any) -> "Pipeline":
        config = config or load_config()
        nlp_conf = dict(config.get("nlp") or {})
        prefilter = bool(nlp_conf.pop("prefilter", True))
        nlp_conf.update(nlp_overrides)
        if "disable" in nlp_conf:
            nlp_conf["disable"] = tuple(nlp_conf["disable"])
        components = []
        for entry in config["components"]:
            entry = {"name": entry} if isinstance(entry, str) else dict(entry)
            name = entry.pop("name")
            components.append((name, make_component(name, entry)))
        return cls(nlp=NlpStage(**nlp_conf), components=components, prefilter=prefilter)

    def prefilter_terms(self) -> set[str] | None:
        """Union of the words components want parsed; None means parse everything."""
        if not self.prefilter:
            return None
        terms: set[str] = set()
        for _, comp in self.components:
            wanted = getattr(comp, "prefilter_terms", None)
            if wanted is not None:
                terms |= set(wanted())
        return terms or None

    @functools.cached_property
    def _terms(self) -> set[str] | None:
        return self.prefilter_terms()

    @functools.cached_property
    def _confirm(self) -> Callable[[Any], bool] | None:
        """The second cheap pass: a candidate stays if any component confirms it; None
        (keep every candidate) when no component offers one or prefiltering is off."""
        checks = [c.confirm_candidate for _, c in self.components if hasattr(c, "confirm_candidate")]
        if not self.prefilter or not checks:
            return None
        return lambda sdoc: any(check(sdoc) for check in checks)

    def process(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[TidingsDoc]:
        """Yield one annotated document per article, in input order."""
        batch: list[TidingsDoc] = []
        for article in articles:
            batch.append(TidingsDoc(article=article))
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[TidingsDoc]) -> list[TidingsDoc]:
        started = time.perf_counter()
        self.nlp.annotate(batch, self._terms, self._confirm)
        self.timings["nlp"] += time.perf_counter() - started
        for name, comp in self.components:
            started = time.perf_counter()
            if hasattr(comp, "pipe"):
                comp.pipe(batch)
            else:
                for doc in batch:
                    comp(doc)
            self.timings[name] += time.perf_counter() - started
        return batch


@functools.lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline.from_config()


@dataclass
class DocSummary:
    """What a worker process sends back for one article: plain data, cheap to pickle."""

    article_id: str
    records: list[dict]
    n_sentences: int
    n_parsed: int  # given the whole parse, entities included
    n_candidates: int = 0  # marked by the first cheap pass (parsed without entities at least)


def summarise(doc: TidingsDoc) -> DocSummary:
    return DocSummary(article_id=doc.article.id,
                      records=[event.to_record() for event in doc.events],
                      n_sentences=len(doc.sentences), n_parsed=len(doc.parsed()),
                      n_candidates=sum(s.candidate for s in doc.sentences))


_WORKER: Pipeline | None = None
_WARM_BARRIER: Any = None  # every worker waits here once warm, so each warms exactly once

# A short article that touches every component's lazily loaded data (parse, lexicon, time,
# places, KB, quotes), so that none of it is loaded inside a timed run.
_WARM_ARTICLE = ("Officials in Nairobi said on Monday that the foreign ministers of Kenya and "
                 "Uganda met for talks and agreed to reopen the border crossing near Busia. "
                 "\"We will keep talking,\" the Ugandan minister told reporters.")


def _init_worker(config: dict[str, Any] | None, barrier: Any = None) -> None:
    global _WORKER, _WARM_BARRIER
    _WORKER = Pipeline.from_config(config)
    _WARM_BARRIER = barrier


def _work(batch: list[Article]) -> list[DocSummary]:
    assert _WORKER is not None
    return [summarise(doc) for doc in _WORKER.process(batch, batch_size=len(batch))]


def _warm(_: int) -> bool:
    """Load the spaCy model and every component's data in this worker, then wait for the
    others, so that each of the pool's workers takes exactly one warm-up task."""
    assert _WORKER is not None
    import datetime as dt
    import gc
    import threading

    list(_WORKER.process([Article(id="warm-up", date=dt.date(2024, 3, 4), text=_WARM_ARTICLE)]))
    _WORKER.timings.clear()
    # The models, knowledge base and gazetteer are long-lived objects by the hundred thousand:
    # frozen, the garbage collector stops walking them on every full collection.
    gc.freeze()
    if _WARM_BARRIER is not None:
        try:
            _WARM_BARRIER.wait(timeout=300)
        except threading.BrokenBarrierError:
            return False
    return True


class WorkerPool:
    """Whole-pipeline worker processes, fed article batches, results in input order.

    Why whole-pipeline workers rather than `nlp.pipe(n_process=...)`: the components after
    the parse also cost time, and only process-level parallelism spreads them over cores.
    Use as a context manager; `warm()` builds every worker's pipeline up front, so that
    start-up can be measured apart from steady-state throughput.
    """

    def __init__(self, n_process: int = 2, batch_size: int = 32,
                 config: dict[str, Any] | None = None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.n_process, self.batch_size = n_process, batch_size
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(n_process, mp_context=context, initializer=_init_worker,
                                         initargs=(config, context.Barrier(n_process)))

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown()

    def warm(self) -> None:
        list(self._pool.map(_warm, range(self.n_process)))

    def process(self, articles: Iterable[Article]) -> Iterator[DocSummary]:
        import itertools

        it = iter(articles)
        batches = iter(lambda: list(itertools.islice(it, self.batch_size)), [])
        for summaries in self._pool.map(_work, batches):
            yield from summaries


def process_in_workers(articles: Iterable[Article], n_process: int = 2, batch_size: int = 32,
                       config: dict[str, Any] | None = None) -> Iterator[DocSummary]:
    """Run the whole pipeline over `articles` in `n_process` processes (1: in this one)."""
    if n_process <= 1:
        pipe = Pipeline.from_config(config)
        for doc in pipe.process(articles, batch_size=batch_size):
            yield summarise(doc)
        return
    with WorkerPool(n_process, batch_size, config) as pool:
        yield from pool.process(articles)
