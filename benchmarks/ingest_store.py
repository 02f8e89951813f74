"""Ingest into the SQLite store, then query it: what an analyst waits for.

For each corpus in ../shared/corpus/ (read at run time, never copied) into a fresh
temporary store: first ingest (articles/s, events/s), a second ingest of the same file
(all duplicates: must change no row count), store size, and the latency of typical
`tidings events` queries (median of repeated runs).

    .venv/bin/python benchmarks/ingest_store.py [--corpus news] [--limit N] [--workers 2]
                                                [--copies 30]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from tidings.service.articles import ingest
from tidings.store import EventFilter, Store

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {name: ROOT.parent / "shared" / "corpus" / f"{name}.jsonl" for name in ("news", "wire")}


def limited_copy(source: Path, limit: int | None, folder: Path) -> Path:
    """The first `limit` lines, in a temporary file outside the project."""
    if not limit:
        return source
    target = folder / source.name
    with source.open("rb") as handle, target.open("wb") as out:
        for number, line in enumerate(handle):
            if number >= limit:
                break
            out.write(line)
    return target


def replicate(store: Store, copies: int) -> None:
    """Grow the store to `copies` times its events by copying rows under new ids with
    dates shifted a week per copy, so query latency is measured at scale."""
    for k in range(1, copies):
        with store.transaction():
            shift = f"+{7 * k} days"
            store.conn.execute(
                "INSERT INTO articles SELECT article_id || ?, date(date, ?), title, source, url, "
                "language, origin, text, text_sha256, n_sentences, n_events, tidings_version, "
                "ingested_at FROM articles WHERE article_id NOT LIKE '%#%'", (f"#{k}", shift))
            store.conn.execute(
                "INSERT INTO events SELECT event_id || ?, article_id || ?, event_type, mode, "
                "status, date_value, date_precision, date(date_start, ?), date(date_end, ?), "
                "quad_class, score, cameo, certainty, confidence, location_name, "
                "location_country, actor_countries, recipient_countries, evidence_sentence, "
                "trigger, record FROM events WHERE event_id NOT LIKE '%#%'",
                (f"#{k}", f"#{k}", shift, shift))
            store.conn.execute(
                "INSERT INTO entities SELECT event_id || ?, role, position, text, name, kb_id, "
                "wikidata, country, sector, office, start, \"end\" FROM entities "
                "WHERE event_id NOT LIKE '%#%'", (f"#{k}",))


def timed_query(store: Store, filters: EventFilter, repeat: int = 20) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = len(store.query_events(filters, limit=100).records)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--copies", type=int, default=1,
                        help="Replicate the stored events this many times before querying.")
    args = parser.parse_args()
    for name in args.corpus or sorted(CORPORA):
        with tempfile.TemporaryDirectory() as folder:
            source = limited_copy(CORPORA[name], args.limit, Path(folder))
            db = Path(folder) / "bench.db"
            first = ingest([source], db, workers=args.workers)
            second = ingest([source], db, workers=args.workers)
            size = sum(p.stat().st_size for p in Path(folder).glob("bench.db*"))
            print(f"{name}: first ingest {first.articles_read} articles in {first.seconds:.1f}s "
                  f"= {first.articles_read / first.seconds:.1f} articles/s, "
                  f"{first.events / first.seconds:.1f} events/s ({first.events} events, "
                  f"{len(first.rejections)} rejected, workers {args.workers}); "
                  f"re-ingest {second.seconds:.2f}s, {second.duplicates} already stored, "
                  f"row counts {'unchanged' if second.counts == first.counts else 'CHANGED'}; "
                  f"store {size / 1e6:.1f} MB")
            with Store.open(db) as store:
                if args.copies > 1:
                    replicate(store, args.copies)
                print(f"  querying a store of {store.counts()['events']:,} events")
                top = store.conn.execute(
                    "SELECT country FROM entities WHERE country IS NOT NULL GROUP BY country "
                    "ORDER BY count(*) DESC LIMIT 2").fetchall()
                a, b = (top[0][0], top[1][0]) if len(top) > 1 else ("USA", "CHN")
                for label, filters in [
                    ("all, first page", EventFilter()),
                    (f"country {a}", EventFilter(country=a)),
                    (f"dyad {a}->{b}", EventFilter(actor_country=a, recipient_country=b)),
                    ("type+date range", EventFilter(event_type="CONSULT", since="1990-01-01",
                                                    until="2030-12-31")),
                    ("free text 'minister'", EventFilter(text="minister")),
                ]:
                    ms, found = timed_query(store, filters)
                    print(f"  query {label:<22} {ms:7.2f} ms median, {found} rows")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process {peak:.0f} MB")


if __name__ == "__main__":
    main()
