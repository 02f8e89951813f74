"""Geoparsing as a service: the places of each article, with the evidence for each.

`tidings places FILE` and any other interface call `geoparse`. It runs the whole
pipeline (so events get their locations too) and reports, per article, every toponym:
its text and offsets, the sentence it is in, what it resolved to, how sure, and by which
rule.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.document import TidingsDoc
from tidings.ingest import ReaderOptions, read_paths
from tidings.model import Article, Rejection
from tidings.pipeline import Pipeline, default_pipeline
from tidings.service.articles import process_articles

BATCH_SIZE = 32


@dataclass
class ArticlePlaces:
    article_id: str
    origin: str | None
    places: list[dict[str, Any]] = field(default_factory=list)
    event_locations: list[dict[str, Any]] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "origin": self.origin, "places": self.places,
                "event_locations": self.event_locations}


def places_of(doc: TidingsDoc) -> ArticlePlaces:
    """The places and event locations of one annotated document, with their sentences."""
    report = ArticlePlaces(doc.article.id, doc.article.origin)
    for place in doc.places:
        record = place.to_record()
        sentence = doc.sentence_at(place.start)
        record["sentence"] = sentence.text if sentence else None
        report.places.append(record)
    for event in doc.events:
        if event.location is not None:
            report.event_locations.append({
                "event_id": event.event_id, "event_type": event.event_type,
                "trigger": event.evidence.trigger, "location": event.location.to_record(),
                "rule": event.provenance.get("location"),
                "sentence": event.evidence.sentence})
    return report


def geoparse(paths: Iterable[str | Path], *, options: ReaderOptions = ReaderOptions(),
             pipeline: Pipeline | None = None) -> Iterator[ArticlePlaces | Rejection]:
    """Places per article and rejections, in input order. Bad input is a Rejection."""
    chunk: list[Article | Rejection] = []

    def flush() -> Iterator[ArticlePlaces | Rejection]:
        nonlocal pipeline
        articles = [item for item in chunk if isinstance(item, Article)]
        if articles:
            pipeline = pipeline or default_pipeline()
        docs, failures = process_articles(pipeline, articles) if articles else ([], [])
        done = {id(doc.article): doc for doc in docs}
        failed = {rejection.article_id: rejection for rejection in failures}
        for item in chunk:
            if isinstance(item, Rejection):
                yield item
            elif id(item) in done:
                yield places_of(done[id(item)])
            elif item.id in failed:
                yield failed.pop(item.id)
        chunk.clear()

    for item in read_paths(paths, options):
        chunk.append(item)
        if len(chunk) >= BATCH_SIZE:
            yield from flush()
    yield from flush()
