"""The standard analyses of event data, as pandas DataFrames.

Input is a list of records: merged events (`tidings.merge`, with `num_sources` and
`mentions`) or plain event records (each then counts as one event with one source).
Parties are matched by ISO-3 country, kb id, or canonical name, so `timeline(df, "IND")`
and `timeline(df, "narendra-modi")` both work.

- `events_frame` / `dyad_frame`: one row per event / per (event, actor, recipient) pair.
- `timeline`: an actor's or a dyad's events in date order, with their evidence.
- `dyad_series`: per day, week or month, counts per quad class and the sum and mean of
  PLOVER scores, directed or undirected.
- `actor_network` + `network_graphml` / `network_json`: who acts on whom in a period.
- `top_events`: a period's events by number of sources.
- `plot_dyad`: a PNG or SVG of a dyad's cooperation-conflict series (matplotlib).
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from tidings.errors import UsageError
from tidings.merge import certainty_of, parse_date_span
from tidings.model import QUAD_CLASSES

FREQUENCIES = {"day": "D", "week": "W-SUN", "month": "M"}
EVENT_COLUMNS = ("id", "date", "date_end", "date_precision", "event_type", "mode", "status",
                 "quad_class", "score", "certainty", "num_mentions", "num_sources",
                 "num_articles", "actor", "actor_country", "recipient", "recipient_country",
                 "location", "location_country", "evidence", "parties")


def _date_bounds(record: Mapping[str, Any]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    span = parse_date_span(((record.get("date") or {}).get("value")))
    if span is None:
        return None, None
    return pd.Timestamp(span[0]), pd.Timestamp(span[1])


def _label(entity: Mapping[str, Any]) -> str:
    return str(entity.get("name") or entity.get("text") or entity.get("country") or "?")


def _keys(entity: Mapping[str, Any]) -> set[str]:
    """Every way a user may name this party."""
    keys = {str(v) for v in (entity.get("country"), entity.get("kb_id"), entity.get("name"),
                             entity.get("wikidata")) if v}
    return keys | {k.lower() for k in keys}


def events_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per event, merged or not, sorted by date."""
    rows = []
    for rec in records:
        start, end = _date_bounds(rec)
        actors, recipients = rec.get("actor") or [], rec.get("recipient") or []
        location = rec.get("location") or {}
        rows.append({
            "id": rec.get("merged_id") or rec.get("event_id"),
            "date": start, "date_end": end,
            "date_precision": (rec.get("date") or {}).get("precision"),
            "event_type": rec.get("event_type"), "mode": rec.get("mode"),
            "status": rec.get("status"), "quad_class": rec.get("quad_class"),
            "score": rec.get("score"), "certainty": certainty_of(rec)["certainty"],
            "num_mentions": rec.get("num_mentions", 1), "num_sources": rec.get("num_sources", 1),
            "num_articles": rec.get("num_articles", 1),
            "actor": "; ".join(_label(e) for e in actors),
            "actor_country": "; ".join(str(e.get("country") or "") for e in actors),
            "recipient": "; ".join(_label(e) for e in recipients),
            "recipient_country": "; ".join(str(e.get("country") or "") for e in recipients),
            "location": location.get("name"), "location_country": location.get("country"),
            "evidence": (rec.get("evidence") or {}).get("sentence"),
            "parties": ({"actor": [dict(e) for e in actors],
                         "recipient": [dict(e) for e in recipients]}),
        })
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["date_end"] = pd.to_datetime(frame["date_end"])
    return frame.sort_values(["date", "id"], na_position="last", kind="stable").reset_index(drop=True)


def _as_frame(data: pd.DataFrame | Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    return data if isinstance(data, pd.DataFrame) else events_frame(data)


def dyad_frame(data: pd.DataFrame | Iterable[Mapping[str, Any]],
               level: str = "country") -> pd.DataFrame:
    """One row per (event, actor, recipient); `level` is `country` or `entity`."""
    frame = _as_frame(data)
    if level not in ("country", "entity"):
        raise UsageError(f"unknown level {level!r}: use 'country' or 'entity'")
    rows = []
    for row in frame.itertuples(index=False):
        for a in row.parties["actor"]:
            for r in row.parties["recipient"] or [{}]:
                source = a.get("country") if level == "country" else (a.get("kb_id") or _label(a))
                target = r.get("country") if level == "country" else (
                    r.get("kb_id") or (_label(r) if r else None))
                rows.append({"id": row.id, "date": row.date, "source": source or "?",
                             "target": target, "source_name": _label(a),
                             "target_name": _label(r) if r else None,
                             "event_type": row.event_type, "quad_class": row.quad_class,
                             "score": row.score, "num_sources": row.num_sources})
    return pd.DataFrame(rows, columns=["id", "date", "source", "target", "source_name",
                                       "target_name", "event_type", "quad_class", "score",
                                       "num_sources"])


def _matches(parties: list[dict], who: str) -> bool:
    return any(who in _keys(e) or who.lower() in _keys(e) for e in parties)


def _period(frame: pd.DataFrame, since: str | None, until: str | None) -> pd.DataFrame:
    if since:
        frame = frame[frame["date_end"].fillna(frame["date"]) >= pd.Timestamp(_day(since, 0))]
    if until:
        frame = frame[frame["date"] <= pd.Timestamp(_day(until, 1))]
    return frame


def _day(value: str, end: int) -> str:
    span = parse_date_span(str(value))
    if span is None:
        raise UsageError(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return span[end].isoformat()


def timeline(data: pd.DataFrame | Iterable[Mapping[str, Any]], actor: str,
             other: str | None = None, since: str | None = None,
             until: str | None = None) -> pd.DataFrame:
    """Events of one actor (either role), or of a dyad (either direction), in date order."""
    frame = _period(_as_frame(data), since, until)

    def involved(parties: dict) -> bool:
        everyone = parties["actor"] + parties["recipient"]
        if other is None:
            return _matches(everyone, actor)
        return ((_matches(parties["actor"], actor) and _matches(parties["recipient"], other))
                or (_matches(parties["actor"], other) and _matches(parties["recipient"], actor))
                or (_matches(everyone, actor) and _matches(everyone, other)))

    chosen = frame[frame["parties"].map(involved)] if len(frame) else frame
    return chosen.drop(columns=["parties"]).reset_index(drop=True)


def dyad_series(data: pd.DataFrame | Iterable[Mapping[str, Any]], a: str, b: str,
                by: str = "week", directed: bool = True, since: str | None = None,
                until: str | None = None) -> pd.DataFrame:
    """Per period: events per quad class, total, and sum and mean of scores.

    Directed counts only `a` acting on `b`; undirected counts both directions. Periods
    without events are kept, with zero counts, so the series plots as time.
    """
    if by not in FREQUENCIES:
        raise UsageError(f"unknown period {by!r}: use day, week or month")
    frame = _period(_as_frame(data), since, until)

    def selected(parties: dict) -> bool:
        forward = _matches(parties["actor"], a) and _matches(parties["recipient"], b)
        backward = _matches(parties["actor"], b) and _matches(parties["recipient"], a)
        return forward or (not directed and backward)

    chosen = frame[frame["parties"].map(selected)] if len(frame) else frame
    chosen = chosen[chosen["date"].notna()]
    columns = ["period", "start", *QUAD_CLASSES, "events", "score_sum", "score_mean"]
    if chosen.empty:
        return pd.DataFrame(columns=columns)
    periods = chosen["date"].dt.to_period(FREQUENCIES[by])
    counts = pd.crosstab(periods, chosen["quad_class"]).reindex(columns=list(QUAD_CLASSES),
                                                                fill_value=0)
    scores = chosen.groupby(periods)["score"].agg(["sum", "mean"])
    full = pd.period_range(periods.min(), periods.max(), freq=FREQUENCIES[by])
    out = counts.join(scores).reindex(full)
    out[list(QUAD_CLASSES)] = out[list(QUAD_CLASSES)].fillna(0).astype(int)
    out["events"] = out[list(QUAD_CLASSES)].sum(axis=1)
    out["score_sum"] = out["sum"].fillna(0.0)
    out["score_mean"] = out["mean"]
    out = out.drop(columns=["sum", "mean"])
    out.insert(0, "start", [p.start_time.normalize() for p in out.index])
    out.insert(0, "period", [str(p) for p in out.index])
    return out.reset_index(drop=True)[columns]


@dataclass
class Network:
    nodes: pd.DataFrame  # id, label, events, score_sum
    edges: pd.DataFrame  # source, target, events, sources, score_sum, score_mean
    directed: bool = True


def actor_network(data: pd.DataFrame | Iterable[Mapping[str, Any]], level: str = "country",
                  since: str | None = None, until: str | None = None,
                  directed: bool = True) -> Network:
    """Who acts on whom: edges weighted by events, sources and scores."""
    frame = _period(_as_frame(data), since, until)
    pairs = dyad_frame(frame, level)
    pairs = pairs[pairs["target"].notna() & (pairs["source"] != pairs["target"])]
    if not directed and len(pairs):
        swap = pairs["source"] > pairs["target"]
        pairs.loc[swap, ["source", "target"]] = pairs.loc[swap, ["target", "source"]].values
        pairs.loc[swap, ["source_name", "target_name"]] = \
            pairs.loc[swap, ["target_name", "source_name"]].values
    edges = (pairs.groupby(["source", "target"])
             .agg(events=("id", "nunique"), sources=("num_sources", "sum"),
                  score_sum=("score", "sum"), score_mean=("score", "mean"))
             .reset_index())
    names = pd.concat([pairs[["source", "source_name"]].set_axis(["id", "label"], axis=1),
                       pairs[["target", "target_name"]].set_axis(["id", "label"], axis=1)])
    labels = names.groupby("id")["label"].agg(lambda s: s.mode().iat[0])
    ends = pd.concat([edges[["source", "events", "score_sum"]].set_axis(["id", "events", "score_sum"], axis=1),
                      edges[["target", "events", "score_sum"]].set_axis(["id", "events", "score_sum"], axis=1)])
    nodes = ends.groupby("id").sum().reset_index()
    nodes.insert(1, "label", nodes["id"].map(labels) if level == "entity" else nodes["id"])
    return Network(nodes=nodes, edges=edges, directed=directed)


def network_graphml(network: Network) -> str:
    """GraphML text (readable by networkx, Gephi, igraph)."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", xmlns=ns)
    attributes = [("label", "node", "string"), ("events", "node", "int"),
                  ("score_sum", "node", "double"), ("events", "edge", "int"),
                  ("sources", "edge", "int"), ("score_sum", "edge", "double"),
                  ("score_mean", "edge", "double")]
    for name, domain, kind in attributes:
        ET.SubElement(root, "key", {"id": f"{domain[0]}_{name}", "for": domain,
                                    "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="tidings",
                          edgedefault="directed" if network.directed else "undirected")
    for row in network.nodes.itertuples(index=False):
        node = ET.SubElement(graph, "node", id=str(row.id))
        for name, value in (("label", row.label), ("events", int(row.events)),
                            ("score_sum", float(row.score_sum))):
            ET.SubElement(node, "data", key=f"n_{name}").text = str(value)
    for i, row in enumerate(network.edges.itertuples(index=False)):
        edge = ET.SubElement(graph, "edge", id=f"e{i}", source=str(row.source),
                             target=str(row.target))
        for name in ("events", "sources", "score_sum", "score_mean"):
            value = getattr(row, name)
            if pd.notna(value):
                ET.SubElement(edge, "data", key=f"e_{name}").text = str(value)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def network_json(network: Network) -> str:
    """Node-link JSON (the layout of networkx's node_link_data and d3)."""
    def clean(value: Any) -> Any:
        if isinstance(value, float) and pd.isna(value):
            return None
        return value.item() if hasattr(value, "item") else value

    return json.dumps({
        "directed": network.directed,
        "nodes": [{k: clean(v) for k, v in row.items()} for row in network.nodes.to_dict("records")],
        "links": [{k: clean(v) for k, v in row.items()} for row in network.edges.to_dict("records")],
    }, ensure_ascii=False, indent=1)


def top_events(data: pd.DataFrame | Iterable[Mapping[str, Any]], n: int = 10,
               since: str | None = None, until: str | None = None) -> pd.DataFrame:
    """The period's most reported events: by sources, then mentions, then date."""
    frame = _period(_as_frame(data), since, until)
    ranked = frame.sort_values(["num_sources", "num_mentions", "date"],
                               ascending=[False, False, True], kind="stable")
    return ranked.head(n).drop(columns=["parties"]).reset_index(drop=True)


def plot_dyad(series: pd.DataFrame, path: str | Path, title: str = "") -> Path:
    """Stacked quad-class counts (cooperation up, conflict down) and the mean score."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise UsageError("plots need matplotlib: pip install 'tidings[plot]'") from exc
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"plot file must end in .png or .svg, not {path.name!r}")
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = pd.to_datetime(series["start"]) if len(series) else []
    width = 0.8 * ((x[1] - x[0]).days if len(series) > 1 else 1) if len(series) else 1
    colours = {"verbal_cooperation": "#9ecae1", "material_cooperation": "#3182bd",
               "verbal_conflict": "#fcae91", "material_conflict": "#de2d26"}
    up = [0] * len(series)
    down = [0] * len(series)
    for quad in QUAD_CLASSES:
        values = list(series[quad]) if len(series) else []
        conflict = quad.endswith("conflict")
        base = down if conflict else up
        heights = [-v for v in values] if conflict else values
        ax.bar(x, heights, width=width, bottom=base, color=colours[quad], align="edge",
               label=quad.replace("_", " "))
        for i, h in enumerate(heights):
            base[i] += h
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("events (conflict below zero)")
    tallest = max([abs(v) for v in up + down] + [1])
    ax.set_ylim(-1.1 * tallest, 1.1 * tallest)  # zero in the middle, as on the score axis
    if len(series):
        twin = ax.twinx()
        middle = x + pd.to_timedelta(width / 2, unit="D")
        twin.plot(middle, series["score_mean"], color="black", marker="o", linewidth=1,
                  label="mean PLOVER score")
        twin.set_ylim(-10, 10)
        twin.set_ylabel("mean score")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(title or "cooperation and conflict")
    fig.autofmt_xdate()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
