"""Ingest and query: the service behind `tidings ingest/extract/events/show/rejections`,
the Python API and the HTTP API.

Ingest reads inputs with `tidings.ingest`, skips articles already stored with the same
text (so re-ingesting a folder changes nothing), runs the rest through the pipeline in
batches, and writes each batch, its events and its rejections in one transaction. An
article whose text changed under a stored id replaces the stored one and its events.
"""
from __future__ import annotations

import itertools
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from tidings.document import TidingsDoc
from tidings.errors import TidingsError, rejection_message
from tidings.ingest import ReaderOptions, read_paths
from tidings.model import Article, Rejection
from tidings.pipeline import Pipeline, default_pipeline
from tidings.store import EventFilter, EventPage, Store, text_fingerprint

DEFAULT_BATCH_SIZE = 64


@dataclass
class IngestReport:
    """What one ingest did; `progress` callbacks receive it after every batch."""

    db_path: Path
    articles_read: int = 0
    stored: int = 0  # articles new to the store
    replaced: int = 0  # stored before under the same id (with another text, or --force)
    duplicates: int = 0  # stored before with the same id and text: skipped
    events: int = 0  # events stored by this ingest
    rejections: list[Rejection] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # rows per table afterwards
    warnings: list[str] = field(default_factory=list)  # problems that did not stop the ingest
    seconds: float = 0.0

    @property
    def nothing_usable(self) -> bool:
        """True when no input gave an article: all rejected, or no input at all."""
        return self.articles_read == 0


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _failure(article: Article, exc: Exception) -> Rejection:
    origin, _, line = (article.origin or "<input>").rpartition(":")
    if not line.isdigit():
        origin, line = article.origin or "<input>", ""
    return Rejection(origin=origin, line=int(line) if line else None, code="E113",
                     reason=rejection_message("E113", f"{type(exc).__name__}: {exc}"),
                     article_id=article.id)


def process_articles(pipeline: Pipeline, articles: list[Article]
                     ) -> tuple[list[TidingsDoc], list[Rejection]]:
    """Run a batch; if a component fails, rerun one by one so only the article that
    breaks it is rejected and the batch goes on. Setup errors (config, model) still stop."""
    if not articles:
        return [], []
    try:
        return list(pipeline.process(articles, batch_size=len(articles))), []
    except TidingsError:
        raise
    except Exception:  # a component bug on some input: find the article
        docs, failures = [], []
        for article in articles:
            try:
                docs.extend(pipeline.process([article], batch_size=1))
            except TidingsError:
                raise
            except Exception as exc:
                failures.append(_failure(article, exc))
        return docs, failures


def ingest(paths: Iterable[str | Path], db_path: str | Path,
           progress: Callable[[IngestReport], None] | None = None, *,
           options: ReaderOptions = ReaderOptions(), pipeline: Pipeline | None = None,
           batch_size: int = DEFAULT_BATCH_SIZE, force: bool = False, workers: int = 1,
           stdin: BinaryIO | None = None) -> IngestReport:
    """Read, extract and store. `force` re-extracts articles already stored unchanged;
    `workers` > 1 extracts batches in that many forked processes (results are still
    written in input order, one transaction per batch, by this process)."""
    started = time.perf_counter()
    report = IngestReport(db_path=Path(db_path))
    in_flight: dict[str, str] = {}  # id -> text fingerprint, extracted but not yet written

    with Store.open(db_path) as store:
        def select(articles: list[Article]) -> list[Article]:
            report.articles_read += len(articles)
            todo = _select_new(store, articles, report, force, in_flight)
            in_flight.update((a.id, text_fingerprint(a.text)) for a in todo)
            return todo

        batches = _batches(read_paths(paths, options, stdin=stdin), batch_size)
        with closing(_run_batches(batches, pipeline, workers, select)) as results:
            for chunk, todo, docs, failures in results:
                rejections = [item for item in chunk if isinstance(item, Rejection)] + failures
                _write_batch(store, docs, rejections, report)
                for article in todo:
                    in_flight.pop(article.id, None)
                report.seconds = time.perf_counter() - started
                if progress:
                    progress(report)
        report.counts = store.counts()
    report.seconds = time.perf_counter() - started
    return report


def _write_batch(store: Store, docs: list[TidingsDoc], rejections: list[Rejection],
                 report: IngestReport) -> None:
    """One transaction: the batch's articles with their events, its rejections, its merge."""
    with store.transaction():
        replacing = store.fingerprints(doc.article.id for doc in docs)
        for doc in docs:
            report.events += store.put_document(doc)
            if doc.article.id in replacing:
                report.replaced += 1
            else:
                report.stored += 1
        for rejection in rejections:
            store.put_rejection(rejection)
        new_event_ids = [event.event_id for doc in docs for event in doc.events]
        if new_event_ids:
            _merge_batch(store, new_event_ids, report)
    report.rejections += rejections


Batch = tuple[list[Any], list[Article], list[TidingsDoc], list[Rejection]]


def _run_batches(batches: Iterable[list[Any]], pipeline: Pipeline | None, workers: int,
                 select: Callable[[list[Article]], list[Article]] = list) -> Iterator[Batch]:
    """Extract the articles `select` picks from each batch, in this process or in
    `workers` forked ones. Yields (batch, picked, docs, failures) in input order, with at
    most 2 x workers batches in flight, so memory stays flat on any input size."""
    pending: deque[tuple[list[Any], list[Article], Future | tuple]] = deque()
    pool: ProcessPoolExecutor | None = None

    def settle() -> Batch:
        chunk, todo, outcome = pending.popleft()
        docs, failures = outcome.result() if isinstance(outcome, Future) else outcome
        return chunk, todo, docs, failures

    try:
        for chunk in batches:
            todo = select([item for item in chunk if isinstance(item, Article)])
            if todo:
                pipeline = pipeline or default_pipeline()
            if todo and workers > 1:
                pool = pool or _start_workers(pipeline, workers)
                outcome: Future | tuple = pool.submit(_extract_in_worker, todo)
            else:
                outcome = process_articles(pipeline, todo) if todo else ([], [])
            pending.append((chunk, todo, outcome))
            while len(pending) > (2 * workers if pool else 0):
                yield settle()
        while pending:
            yield settle()
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def _merge_batch(store: Store, event_ids: list[str], report: IngestReport) -> None:
    """Keep the merged events (tidings.merge) current, in the batch's transaction. A merge
    failure must not cost the ingest: its mentions stay unmerged, and `tidings merge` or
    the next merged query picks them up."""
    from tidings import merge

    store.conn.execute("SAVEPOINT merge_batch")
    try:
        merge.update_store(store, event_ids)
    except Exception as exc:  # any merge bug: the stored batch stands
        store.conn.execute("ROLLBACK TO merge_batch")
        report.warnings.append(f"merging this batch's events failed ({type(exc).__name__}: "
                               f"{exc}); run `tidings merge` to catch up")
    store.conn.execute("RELEASE merge_batch")


_WORKER_PIPELINE: Pipeline | None = None


def _start_workers(pipeline: Pipeline, workers: int) -> ProcessPoolExecutor:
    """Forked workers inherit the built pipeline (and loaded model): nothing to pickle."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_init_worker, initargs=(pipeline,))


def _init_worker(pipeline: Pipeline) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline


def _extract_in_worker(articles: list[Article]) -> tuple[list[TidingsDoc], list[Rejection]]:
    assert _WORKER_PIPELINE is not None
    docs, failures = process_articles(_WORKER_PIPELINE, articles)
    for doc in docs:  # only the annotations travel back; the spaCy parses stay here
        for sentence in doc.sentences:
            sentence.doc = None
        doc.user_data = {}
    return docs, failures


def _select_new(store: Store, articles: list[Article], report: IngestReport, force: bool,
                in_flight: dict[str, str]) -> list[Article]:
    """The articles that need extracting; counts the rest as duplicates."""
    stored = {**store.fingerprints(a.id for a in articles), **in_flight}
    todo: dict[str, Article] = {}
    for article in articles:
        fingerprint = text_fingerprint(article.text)
        known = todo[article.id].text if article.id in todo else None
        known_fingerprint = text_fingerprint(known) if known is not None else stored.get(article.id)
        if known_fingerprint == fingerprint and not (force and known is None):
            report.duplicates += 1
            continue
        todo[article.id] = article  # the same id twice in one batch: the later text wins
    return list(todo.values())


@dataclass
class ExtractStats:
    """Counts kept while `extract_records` runs, for the caller's summary and exit code."""

    articles: int = 0
    rejections: int = 0
    events: int = 0


def extract_records(paths: Iterable[str | Path], *, options: ReaderOptions = ReaderOptions(),
                    pipeline: Pipeline | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                    workers: int = 1, stdin: BinaryIO | None = None,
                    stats: ExtractStats | None = None) -> Iterator[dict[str, Any] | Rejection]:
    """Event records (event-record.md) and rejections, in input order, without a store."""
    stats = stats if stats is not None else ExtractStats()
    batches = _batches(read_paths(paths, options, stdin=stdin), batch_size)
    with closing(_run_batches(batches, pipeline, workers)) as results:
        for chunk, articles, docs, failures in results:
            stats.articles += len(articles)
            # Docs come back in article order, without the articles that failed.
            remaining = iter(docs)
            doc = next(remaining, None)
            failed = iter(failures)
            for item in chunk:
                if isinstance(item, Rejection):
                    stats.rejections += 1
                    yield item
                elif doc is not None and doc.article == item:
                    stats.events += len(doc.events)
                    yield from (event.to_record() for event in doc.events)
                    doc = next(remaining, None)
                else:
                    stats.rejections += 1
                    yield next(failed)


def query_events(db_path: str | Path, *, limit: int = 100, cursor: str | None = None,
                 newest_first: bool = False, **filters: Any) -> EventPage:
    """One page of stored records; `filters` are the fields of `tidings.store.EventFilter`."""
    with Store.open(db_path, create=False) as store:
        return store.query_events(EventFilter(**filters), limit=limit, cursor=cursor,
                                  newest_first=newest_first)


def count_events(db_path: str | Path, **filters: Any) -> int:
    with Store.open(db_path, create=False) as store:
        return store.count_events(EventFilter(**filters))


def get_event(db_path: str | Path, event_id: str) -> dict[str, Any]:
    with Store.open(db_path, create=False) as store:
        return store.get_event(event_id)


def get_article(db_path: str | Path, article_id: str) -> dict[str, Any]:
    with Store.open(db_path, create=False) as store:
        return store.get_article(article_id)


def list_rejections(db_path: str | Path, *, limit: int = 100, code: str | None = None,
                    origin: str | None = None) -> list[dict[str, Any]]:
    with Store.open(db_path, create=False) as store:
        return store.rejections(limit=limit, code=code, origin=origin)


def store_counts(db_path: str | Path) -> dict[str, int]:
    with Store.open(db_path, create=False) as store:
        return store.counts()
