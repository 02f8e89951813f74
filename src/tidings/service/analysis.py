"""Analyses and exports over a store: the service behind `tidings timeline/dyad/network/
top/plot/export` and the Python API.

Merged events are the default unit (one row per real event, `num_sources` from its
mentions); `unit="mention"` analyses the raw extracted events instead.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from tidings import analysis, export as exports
from tidings.errors import UsageError
from tidings.model import QUAD_CLASSES
from tidings.service.merged import MergedFilter, catch_up, iter_merged
from tidings.store import EventFilter, Store

UNITS = ("event", "mention")


def _records(store: Store, unit: str, since: str | None, until: str | None
             ) -> Iterator[dict[str, Any]]:
    if unit == "event":
        catch_up(store)
        yield from iter_merged(store, MergedFilter(since=since, until=until))
    elif unit == "mention":
        cursor = None
        while True:
            page = store.query_events(EventFilter(since=since, until=until), limit=1000,
                                      cursor=cursor)
            yield from page.records
            if not page.next_cursor:
                return
            cursor = page.next_cursor
    else:
        raise UsageError(f"unknown unit {unit!r}: use 'event' (merged) or 'mention'")


def load_records(db_path: str | Path, unit: str = "event", since: str | None = None,
                 until: str | None = None) -> list[dict[str, Any]]:
    with Store.open(db_path, create=False) as store:
        return list(_records(store, unit, since, until))


def load_frame(db_path: str | Path, unit: str = "event", since: str | None = None,
               until: str | None = None) -> pd.DataFrame:
    """Stored events as a DataFrame (see `tidings.analysis.events_frame`)."""
    return analysis.events_frame(load_records(db_path, unit, since, until))


def timeline(db_path: str | Path, actor: str, other: str | None = None, *,
             since: str | None = None, until: str | None = None,
             unit: str = "event") -> pd.DataFrame:
    return analysis.timeline(load_frame(db_path, unit, since, until), actor, other)


def dyad_series(db_path: str | Path, a: str, b: str, *, by: str = "week",
                directed: bool = True, since: str | None = None, until: str | None = None,
                unit: str = "event") -> pd.DataFrame:
    return analysis.dyad_series(load_frame(db_path, unit, since, until), a, b, by=by,
                                directed=directed)


def dyad_series_of_mentions(db_path: str | Path, a: str, b: str, *, by: str = "week",
                            directed: bool = True, since: str | None = None,
                            until: str | None = None) -> pd.DataFrame:
    """`tidings.analysis.dyad_series` for two countries over stored mentions, counted by
    the store in SQL (`Store.dyad_period_counts`) instead of over the period's records."""
    with Store.open(db_path, create=False) as store:
        groups = store.dyad_period_counts(a, b, by=by, directed=directed, since=since,
                                          until=until)
    return series_from_counts(groups, by)


def series_from_counts(groups: list[dict[str, Any]], by: str) -> pd.DataFrame:
    """Rows of (period start, quad class, events, score sum, scored) as the frame of
    `tidings.analysis.dyad_series`: every period from the first to the last, zeros where
    none. As there, scores count only in periods holding an event with a quad class."""
    columns = ["period", "start", *QUAD_CLASSES, "events", "score_sum", "score_mean"]
    if not groups:
        return pd.DataFrame(columns=columns)
    freq = analysis.FREQUENCIES[by]
    frame = pd.DataFrame(groups)
    frame["period"] = pd.to_datetime(frame["start"]).dt.to_period(freq)
    full = pd.period_range(frame["period"].min(), frame["period"].max(), freq=freq)
    classified = frame[frame["quad_class"].notna()]
    out = (classified.pivot_table(index="period", columns="quad_class", values="events",
                                  aggfunc="sum")
           .reindex(index=full, columns=list(QUAD_CLASSES)).fillna(0).astype(int)
           .rename_axis(columns=None))
    out["events"] = out.sum(axis=1)
    scores = frame.groupby("period")[["score_sum", "scored"]].sum().reindex(full)
    kept = full.isin(classified["period"])
    out["score_sum"] = scores["score_sum"].where(kept, 0.0)
    out["score_mean"] = (scores["score_sum"] / scores["scored"].where(scores["scored"] > 0)
                         ).where(kept)
    out.insert(0, "start", [p.start_time.normalize() for p in full])
    out.insert(0, "period", [str(p) for p in full])
    return out.reset_index(drop=True)[columns]


def actor_network(db_path: str | Path, *, level: str = "country", since: str | None = None,
                  until: str | None = None, directed: bool = True,
                  unit: str = "event") -> analysis.Network:
    """Mentions are aggregated by the store in SQL (a period's records never leave it);
    merged events go through `tidings.analysis.actor_network` on their records."""
    if unit != "mention":
        return analysis.actor_network(load_frame(db_path, unit, since, until), level=level,
                                      directed=directed)
    with Store.open(db_path, create=False) as store:
        edge_rows, labels = store.network_edges(EventFilter(since=since, until=until),
                                                level=level, directed=directed)
    return network_from_edges(edge_rows, labels, level, directed)


def network_from_edges(edge_rows: list[dict[str, Any]], labels: dict[str, str], level: str,
                       directed: bool) -> analysis.Network:
    """`Store.network_edges` output as the `analysis.Network` frames (same columns and
    order as `tidings.analysis.actor_network`)."""
    edges = pd.DataFrame(edge_rows, columns=["source", "target", "events", "sources",
                                             "score_sum", "score_mean"])
    edges["score_mean"] = pd.to_numeric(edges["score_mean"], errors="coerce")
    ends = pd.concat([edges[["source", "events", "score_sum"]]
                      .set_axis(["id", "events", "score_sum"], axis=1),
                      edges[["target", "events", "score_sum"]]
                      .set_axis(["id", "events", "score_sum"], axis=1)])
    nodes = ends.groupby("id").sum().reset_index()
    nodes.insert(1, "label", nodes["id"].map(labels) if level == "entity" else nodes["id"])
    return analysis.Network(nodes=nodes, edges=edges, directed=directed)


def top_events(db_path: str | Path, n: int = 10, *, since: str | None = None,
               until: str | None = None) -> pd.DataFrame:
    return analysis.top_events(load_frame(db_path, "event", since, until), n)


def plot_dyad(db_path: str | Path, a: str, b: str, out: str | Path, *, by: str = "week",
              directed: bool = False, since: str | None = None,
              until: str | None = None) -> Path:
    series = dyad_series(db_path, a, b, by=by, directed=directed, since=since, until=until)
    arrow = "->" if directed else "<->"
    return analysis.plot_dyad(series, out, title=f"{a} {arrow} {b}, events per {by}")


def export(db_path: str | Path, fmt: str, out_dir: str | Path, *, since: str | None = None,
           until: str | None = None) -> dict[str, int]:
    return exports.export(load_records(db_path, "event", since, until), fmt, out_dir)
