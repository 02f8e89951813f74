"""`tidings evaluate`: both gold formats, the figures, agreement with score_plover.py."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tidings.errors import UsageError
from tidings.evaluate.events import format_report, load_gold, score, score_articles

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "checks" / "score_plover.py"

PLOVER_LINES = [
    {"id": "g1", "date": "2000-01-01", "text": "A met B.", "event": "CONSULT", "mode": None,
     "context": "diplomatic", "source": [{"text": "A", "code": "FRA"}], "target": []},
    {"id": "g2", "date": "2000-01-01", "text": "C hit D.", "event": "ASSAULT", "mode": "firearms",
     "context": None, "source": [{"text": "C", "code": "JAP"}], "target": []},
    {"id": "g3", "date": "2000-01-01", "text": "E asked F.", "event": "REQUEST", "mode": None,
     "context": None, "source": [], "target": []},
]
TEAM_LINES = [
    {"id": "t1", "date": "2024-01-02", "text": "X and Y agreed.", "tags": ["compound"], "split": "test",
     "events": [{"event_type": "AGREE", "mode": None, "status": "occurred", "contexts": [],
                 "trigger": "agreed", "actor": [{"text": "X", "country": "DEU", "sector": "GOV"}],
                 "recipient": [], "date": "2024-01-02"}]},
    {"id": "t2", "date": "2024-01-02", "text": "Nothing happened.", "tags": ["no-event"],
     "split": "train", "events": []},
]


def record(article_id, event_type, mode=None, countries=(), date="2024-01-02"):
    return {"article_id": article_id, "event_type": event_type, "mode": mode, "contexts": [],
            "actor": [{"country": c} for c in countries], "date": {"value": date},
            "evidence": {"trigger": "t", "sentence": "s"}, "provenance": {}}


def write(path: Path, lines):
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    return path


def test_reads_both_formats(tmp_path):
    plover = load_gold(write(tmp_path / "p.jsonl", PLOVER_LINES))
    assert [g.events[0].event_type for g in plover] == ["CONSULT", "ASSAULT", "REQUEST"]
    assert plover[1].events[0].actor_countries == ["JPN"]  # CAMEO spelling fixed
    team = load_gold(write(tmp_path / "t.jsonl", TEAM_LINES))
    assert team[0].events[0].actor_countries == ["DEU"] and team[1].events == []
    assert [i.id for i in load_gold(tmp_path / "t.jsonl", split="test")] == ["t1"]


def test_figures(tmp_path):
    items = load_gold(write(tmp_path / "p.jsonl", PLOVER_LINES))
    preds = {"g1": [record("g1", "CONSULT", countries=["FRA"]), record("g1", "AGREE")],
             "g2": [record("g2", "ASSAULT", "firearms", countries=["USA"])],
             "g3": []}
    report = score(items, preds)
    assert report.per_type["CONSULT"].f1 == 1.0
    assert report.per_type["REQUEST"].recall == 0.0
    assert report.per_type["AGREE"].fp == 1
    assert report.extra_rate == pytest.approx(1 / 3)
    assert (report.country_hits, report.country_total) == (1, 2)
    assert report.per_mode["ASSAULT/firearms"].tp == 1
    assert report.confusion["REQUEST"]["NONE"] == 1
    assert report.macro_f1 == pytest.approx((1.0 + 1.0 + 0.0) / 3)
    text = format_report(report, errors=True)
    assert "MISS g3 REQUEST" in text and "EXTRA g1 AGREE" in text


def test_over_generation_on_no_event_items(tmp_path):
    items = load_gold(write(tmp_path / "t.jsonl", TEAM_LINES))
    report = score(items, {"t1": [record("t1", "AGREE", countries=["DEU"])],
                           "t2": [record("t2", "ACCUSE"), record("t2", "REJECT")]})
    assert (report.no_event_items, report.no_event_items_with_events,
            report.events_on_no_event_items) == (1, 1, 2)


def test_article_level_matching_needs_type_country_and_date(tmp_path):
    items = load_gold(write(tmp_path / "t.jsonl", TEAM_LINES))
    good = score_articles(items, {"t1": [record("t1", "AGREE", countries=["DEU"])]})
    assert (good.tp, good.fp, good.fn) == (1, 0, 0)
    wrong_date = score_articles(items, {"t1": [record("t1", "AGREE", countries=["DEU"],
                                                      date="2023-05-05")]})
    assert (wrong_date.tp, wrong_date.fp, wrong_date.fn) == (0, 1, 1)


@pytest.mark.skipif(not SCORER.exists(), reason="shared scorer not available")
def test_agrees_with_the_shared_scorer(tmp_path):
    gold = write(tmp_path / "p.jsonl", PLOVER_LINES)
    preds = {"g1": [record("g1", "CONSULT", countries=["FRA"]), record("g1", "AGREE")],
             "g2": [record("g2", "COERCE", countries=["JPN"])], "g3": [record("g3", "REQUEST")]}
    pred_file = write(tmp_path / "pred.jsonl", [r for rs in preds.values() for r in rs])
    out = subprocess.run([sys.executable, str(SCORER), str(gold), str(pred_file)],
                         capture_output=True, text=True).stdout
    report = score(load_gold(gold), preds)
    assert f"macro-F1 {report.macro_f1:.3f}" in out
    assert f"extra events {report.extra_rate:.1%}" in out


def test_bad_gold_lines_are_usage_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "t", "event": "AGREE"}\nnot json\n', "utf-8")
    with pytest.raises(UsageError, match="bad.jsonl:2"):
        load_gold(bad)
    with pytest.raises(UsageError):
        load_gold(tmp_path / "missing.jsonl")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.dictionaries(
    st.sampled_from(["id", "text", "event", "events", "date", "source"]),
    st.one_of(st.none(), st.text(max_size=8), st.integers(), st.lists(st.text(max_size=3))),
    max_size=6).map(json.dumps)), max_size=4))
def test_any_gold_file_loads_or_raises_a_usage_error(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("g") / "gold.jsonl"
    path.write_text("\n".join(lines), "utf-8")
    try:
        load_gold(path)
    except UsageError:
        pass
