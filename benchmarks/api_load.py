"""Bounded load on the HTTP API over a store of 100k events, loopback only.

    .venv/bin/python benchmarks/api_load.py [--events 100000] [--requests 400] [--seconds 60]

1. Build the store (skipped when --store names one that already holds enough events):
   the real pipeline extracts events from the benchmark corpus (`../shared/corpus/`,
   read at run time, never copied); then every extracted document is stored again
   and again as a replica with its own article id (so its own event ids) and every date
   shifted by a whole number of weeks (replica k: +7k days, weekdays kept), until the
   store holds --events events. Replicas keep the real texts, actors, types and scores,
   so filters select realistic fractions of the store.
2. Start `tidings serve --workers 2` on 127.0.0.1 in a child process, writes off.
   The analysis endpoints are asked for `unit=mention`: the default unit (merged events)
   would first merge all 100k stored mentions, which `tidings merge` does once, not a
   read benchmark.
3. Send a fixed number of requests per main read endpoint from a few client threads
   (keep-alive connections), stopping early at --seconds; then the analysis endpoints
   (dyad series, network) one request at a time, again bounded; then stop the server,
   and print p50, p99 and the error rate per endpoint. The target is p99 < 200 ms for /events filtered by
   dyad and date, with 0 errors.

Only 127.0.0.1 is ever contacted. Times are wall-clock on a shared 2-core machine.
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "news.jsonl"
HOST = "127.0.0.1"


def shifted_date(value: str | None, days: int) -> str | None:
    """A record date moved by `days` (a multiple of 7), kept at its precision."""
    if not value:
        return value
    if len(value) == 10:
        return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()
    if len(value) == 8 and value[5] == "W":
        monday = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        year, week, _ = (monday + dt.timedelta(days=days)).isocalendar()
        return f"{year}-W{week:02d}"
    if len(value) == 7:
        first = dt.date.fromisoformat(value + "-01") + dt.timedelta(days=days)
        return first.isoformat()[:7]
    if len(value) == 4:
        return str(int(value) + days // 365)
    return value


def replica(doc, k: int):
    """Copy k of a document: its own article id, every date shifted by 7k days."""
    from tidings.document import TidingsDoc

    days = 7 * k
    article = dataclasses.replace(doc.article, id=f"{doc.article.id}~r{k}",
                                  date=doc.article.date + dt.timedelta(days=days))
    events = []
    for event in doc.events:
        date = event.date and dataclasses.replace(event.date,
                                                  value=shifted_date(event.date.value, days))
        events.append(dataclasses.replace(event, article_id=article.id, date=date))
    return TidingsDoc(article=article, sentences=doc.sentences, events=events)


def build_store(path: Path, target_events: int, articles: int) -> None:
    from tidings.ingest import read_paths
    from tidings.model import Article
    from tidings.pipeline import default_pipeline
    from tidings.store import Store

    items = [item for item in read_paths([CORPUS]) if isinstance(item, Article)][:articles]
    started = time.perf_counter()
    docs = [doc for doc in default_pipeline().process(items) if doc.events]
    base_events = sum(len(doc.events) for doc in docs)
    print(f"extracted {base_events} events from {len(items)} corpus articles "
          f"({len(docs)} with events) in {time.perf_counter() - started:.1f} s")
    if not base_events:
        sys.exit("the pipeline found no event in the corpus; nothing to replicate")
    started = time.perf_counter()
    with Store.open(path) as store:
        total, k = store.counts()["events"], 0
        while total < target_events:
            with store.transaction():
                for doc in docs:
                    total += store.put_document(replica(doc, k))
                    if total >= target_events:
                        break
            k += 1
        counts = store.counts()
    print(f"stored {counts['events']:,} events in {counts['articles']:,} articles "
          f"({k} replicas) in {time.perf_counter() - started:.1f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "TIDINGS_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "tidings.cli", "--db", str(db), "serve",
                             "--host", HOST, "--port", str(port), "--workers", str(workers)],
                            env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                sys.exit("tidings serve exited at start")
            time.sleep(0.2)
    proc.terminate()
    sys.exit("tidings serve did not start within 60 s")


def get_json(conn: http.client.HTTPConnection, path: str) -> dict:
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
    return json.loads(body)


def most_common_dyad(db: Path) -> tuple[str, str, list[str]]:
    """The commonest actor->recipient country pair across countries, and its event days."""
    from tidings.store import Store

    with Store.open(db) as store:
        row = store.conn.execute(
            "SELECT a.country, r.country, count(*) AS n FROM entities a JOIN entities r "
            "ON r.event_id = a.event_id AND r.role = 'recipient' WHERE a.role = 'actor' "
            "AND a.country IS NOT NULL AND r.country IS NOT NULL AND a.country != r.country "
            "GROUP BY 1, 2 ORDER BY n DESC LIMIT 1").fetchone()
        if row is None:
            sys.exit("no event has an actor and a recipient of two countries")
        days = [d for (d,) in store.conn.execute(
            "SELECT e.date_start FROM events e JOIN entities a ON a.event_id = e.event_id "
            "AND a.role = 'actor' AND a.country = ? JOIN entities r ON r.event_id = e.event_id "
            "AND r.role = 'recipient' AND r.country = ? WHERE e.date_start IS NOT NULL",
            (row[0], row[1]))]
    return row[0], row[1], days


def pick_workload(port: int, db: Path) -> tuple[dict[str, list[str]], tuple[str, str]]:
    """Request paths per endpoint, from what the store holds (its commonest dyad...)."""
    a, b, dyad_days = most_common_dyad(db)
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    sample = get_json(conn, "/events?" + urlencode({"country": a, "limit": 500}))["events"]
    countries = collections.Counter(e["country"] for rec in sample
                                    for e in rec["actor"] + rec["recipient"] if e["country"])
    types = sorted({rec["event_type"] for rec in sample})
    rng = random.Random(7)
    # 90-day windows that hold events of the dyad, anywhere in the replicated range.
    windows = []
    for day in rng.sample(dyad_days, min(40, len(dyad_days))):
        start = dt.date.fromisoformat(day) - dt.timedelta(days=rng.randrange(0, 90))
        windows.append((start, start + dt.timedelta(days=90)))
    pages = get_json(conn, "/events?" + urlencode({"limit": 100}))
    ids = [rec["event_id"] for rec in sample]
    conn.close()
    top_countries = [c for c, _ in countries.most_common(8)]
    return {
        "/events dyad+date": [
            "/events?" + urlencode({"actor": a, "recipient": b, "from": s.isoformat(),
                                    "to": e.isoformat(), "limit": 50}) for s, e in windows],
        "/events country": ["/events?" + urlencode({"country": c, "limit": 50})
                            for c in top_countries],
        "/events type+date": ["/events?" + urlencode({"type": t, "from": s.isoformat(),
                                                      "to": e.isoformat(), "limit": 50})
                              for t in types for s, e in windows[:5]],
        "/events text": ["/events?" + urlencode({"text": w, "limit": 50})
                         for w in ("talks", "police", "minister", "attack", "agreed")],
        "/events page 2": ["/events?" + urlencode({"limit": 100,
                                                   "cursor": pages["next_cursor"]})],
        "/events/{id}": [f"/events/{i}" for i in ids[:200]],
        "/healthz": ["/healthz"],
        "/dyads/{a}/{b}/series": [f"/dyads/{a}/{b}/series?" + urlencode(
            {"by": "week", "from": s.isoformat(), "to": e.isoformat(), "unit": "mention"})
            for s, e in windows[:10]],
        "/network": ["/network?" + urlencode({"from": s.isoformat(), "to": e.isoformat(),
                                              "unit": "mention"}) for s, e in windows[:10]],
    }, (a, b)



@dataclasses.dataclass
class Result:
    times: list[float] = dataclasses.field(default_factory=list)
    errors: int = 0


ANALYSES = ("/dyads/{a}/{b}/series", "/network")


def run_load(port: int, workload: dict[str, list[str]], requests: int,
             concurrency: int, seconds: float) -> dict[str, Result]:
    """`requests` per endpoint, shuffled, from `concurrency` threads, for at most `seconds`."""
    jobs = []
    for name, paths in workload.items():
        jobs += [(name, paths[i % len(paths)]) for i in range(requests)]
    random.Random(11).shuffle(jobs)
    results = {name: Result() for name in workload}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    queue = iter(jobs)

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                job = next(queue, None)
            if job is None:
                break
            name, path = job
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                results[name].times.append(elapsed)
                results[name].errors += not ok
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="store to build or reuse (default: a "
                                                   "temporary file)")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=400,
                        help="corpus articles to extract before replicating")
    parser.add_argument("--requests", type=int, default=400, help="per light endpoint")
    parser.add_argument("--heavy-requests", type=int, default=5,
                        help="per analysis endpoint (dyad series, network)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2,
                        help="tidings serve processes (the machine has 2 cores)")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    from tidings.store import Store

    folder = tempfile.TemporaryDirectory(prefix="tidings-load-")
    db = args.store or Path(folder.name) / "load.db"
    have = Store.open(db).counts()["events"] if db.exists() else 0
    if have < args.events:
        build_store(db, args.events, args.articles)
    else:
        print(f"reusing {db} with {have:,} events")
    with Store.open(db) as store:
        events = store.counts()["events"]
    port = free_port()
    server = start_server(db, port, args.workers)
    try:
        workload, dyad = pick_workload(port, db)
        print(f"store: {events:,} events; dyad {dyad[0]}->{dyad[1]}; {args.workers} server "
              f"processes; {args.concurrency} client threads; limit {args.seconds:.0f} s; "
              f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        reads = {k: v for k, v in workload.items() if k not in ANALYSES}
        started = time.perf_counter()
        results = run_load(port, reads, args.requests, args.concurrency, args.seconds)
        wall = time.perf_counter() - started
        total = sum(len(r.times) for r in results.values())
        print(f"main reads: {total} requests in {wall:.1f} s ({total / wall:.0f} req/s)")
        # The analyses read a whole period each; they run after, one at a time, so their
        # seconds of work do not count against the main endpoints' latency.
        analyses = {k: v for k, v in workload.items() if k in ANALYSES}
        results.update(run_load(port, analyses, args.heavy_requests, 1, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    print(f"{'endpoint':<24} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
    for name, result in results.items():
        if not result.times:
            print(f"{name:<24} {0:>5}  (not reached before the time limit)")
            continue
        ms = [t * 1000 for t in result.times]
        print(f"{name:<24} {len(ms):>5} {statistics.median(ms):>8.1f} "
              f"{percentile(ms, 0.99):>8.1f} {max(ms):>8.1f} "
              f"{result.errors / len(ms):>7.1%}")
    target = results["/events dyad+date"]
    if target.times:
        p99 = percentile([t * 1000 for t in target.times], 0.99)
        verdict = "meets" if p99 < 200 and target.errors == 0 else "MISSES"
        print(f"/events dyad+date: p99 {p99:.1f} ms, {target.errors} errors: {verdict} "
              f"the target (p99 < 200 ms, 0 errors)")
    folder.cleanup()


if __name__ == "__main__":
    main()
