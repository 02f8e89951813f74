"""Analyses over merged records: timelines, dyad series, networks, top events, plots."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from merge_records import record
from tidings import analysis
from tidings.errors import UsageError
from tidings.merge import merge_records


@pytest.fixture(scope="module")
def merged():
    recs = [
        record("CONSULT", date="2025-02-13", article_id="a1", sentence="Modi met Trump."),
        record("CONSULT", date="2025-02-13", article_id="a2", sentence="Trump met Modi."),
        record("CONSULT", date="2025-02-13", article_id="a3", sentence="Modi and Trump met."),
        record("ACCUSE", actor=("trump",), recipient=("modi",), date="2025-02-20",
               sentence="Trump accused Modi of high tariffs."),
        record("CONSULT", recipient=("macron",), date="2025-02-11",
               sentence="Modi met Macron in Paris."),
        record("PROTEST", actor=("protesters",), recipient=("usa",), date="2025-03-05",
               sentence="Protesters rallied against Washington."),
    ]
    articles = {f"a{i}": {"source": s} for i, s in ((1, "Wire"), (2, "Daily"), (3, "Blog"))}
    return merge_records(recs, articles)


def test_events_frame_has_one_row_per_merged_event(merged):
    frame = analysis.events_frame(merged)
    assert len(frame) == 4  # the three reports of one meeting are one event
    assert frame["date"].is_monotonic_increasing
    assert frame.loc[frame["num_sources"].idxmax(), "num_sources"] == 3


def test_timeline_of_actor_and_dyad(merged):
    modi = analysis.timeline(merged, "IND")
    assert list(modi["event_type"]) == ["CONSULT", "CONSULT", "ACCUSE", "PROTEST"]
    dyad = analysis.timeline(merged, "narendra-modi", "USA")
    assert list(dyad["event_type"]) == ["CONSULT", "ACCUSE"]
    assert dyad["evidence"].notna().all()
    assert analysis.timeline(merged, "IND", since="2025-02-15")["event_type"].tolist() == \
        ["ACCUSE", "PROTEST"]


def test_dyad_series_directed_and_undirected(merged):
    directed = analysis.dyad_series(merged, "IND", "USA", by="week")
    assert directed["events"].tolist() == [1, 0, 0, 1]  # the meeting, then the protest
    undirected = analysis.dyad_series(merged, "IND", "USA", by="week", directed=False)
    assert undirected["events"].tolist() == [1, 1, 0, 1]  # plus USA's accusation
    assert undirected["verbal_conflict"].tolist() == [0, 1, 0, 1]
    assert undirected["score_sum"].tolist() == [1.0, -2.0, 0.0, -4.0]
    assert undirected["period"].iloc[0] == "2025-02-10/2025-02-16"
    daily = analysis.dyad_series(merged, "IND", "USA", by="day", directed=False)
    assert len(daily) == 21 and daily["events"].sum() == 3  # empty days kept as zeros
    assert analysis.dyad_series(merged, "IND", "BRA").empty
    with pytest.raises(UsageError):
        analysis.dyad_series(merged, "IND", "USA", by="fortnight")


def test_network_and_its_exports(merged):
    net = analysis.actor_network(merged)
    edges = {(r.source, r.target): r.events for r in net.edges.itertuples()}
    assert edges == {("IND", "USA"): 2, ("USA", "IND"): 1, ("IND", "FRA"): 1}
    undirected = analysis.actor_network(merged, directed=False)
    assert dict(zip(zip(undirected.edges.source, undirected.edges.target),
                    undirected.edges.events)) == {("IND", "USA"): 3, ("FRA", "IND"): 1}
    root = ET.fromstring(analysis.network_graphml(net))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == 3 and len(root.findall(".//g:edge", ns)) == 3
    data = json.loads(analysis.network_json(net))
    assert {n["id"] for n in data["nodes"]} == {"IND", "USA", "FRA"} and data["directed"]
    people = analysis.actor_network(merged, level="entity")
    assert "narendra-modi" in set(people.nodes["id"])


def test_top_events_by_sources(merged):
    top = analysis.top_events(merged, n=2)
    assert top["num_sources"].tolist()[0] == 3 and len(top) == 2


def test_plot_writes_png_and_svg(merged, tmp_path):
    series = analysis.dyad_series(merged, "IND", "USA", directed=False)
    png = analysis.plot_dyad(series, tmp_path / "d.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = analysis.plot_dyad(series, tmp_path / "d.svg")
    assert "<svg" in svg.read_text("utf-8")
    with pytest.raises(UsageError):
        analysis.plot_dyad(series, tmp_path / "d.gif")


def test_plain_event_records_work_too():
    frame = analysis.events_frame([record(), record(date=None)])
    assert frame["num_sources"].tolist() == [1, 1] and frame["date"].isna().sum() == 1
