"""The analysis, merge and export commands, end to end over a small store."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from merge_records import store_doc
from tidings.cli import _load_commands, app
from tidings.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    _load_commands()
    path = tmp_path_factory.mktemp("cli") / "t.db"
    with Store.open(path) as store, store.transaction():
        for doc in (store_doc("a1", "2025-02-13", "Wire", "Modi met Trump at the White House."),
                    store_doc("a2", "2025-02-14", "Daily", "Trump met Modi in Washington.",
                              date="2025-02-13"),
                    store_doc("a3", "2025-02-06", "HT", "Modi will meet Trump on February 13.",
                              date="2025-02-13", status="planned", event_type="AGREE"),
                    store_doc("a4", "2025-03-01", "Wire", "Modi met Macron in Paris.",
                              recipient="macron")):
            store.put_document(doc)
    return str(path)


def run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_merge_then_merged_jsonl_carries_counts_and_mentions(db):
    assert "merged 4 mentions" in run("--db", db, "merge")
    lines = [json.loads(line) for line in run("--db", db, "merged", "--format", "jsonl").splitlines()]
    meeting = next(r for r in lines if r["status"] == "occurred" and r["num_mentions"] == 2)
    assert (meeting["num_sources"], meeting["num_articles"]) == (2, 2)
    assert len(meeting["mentions"]) == 2 and meeting["linked"][0]["relation"] == "planned_as"
    second = meeting["mentions"][1]["event_id"]
    assert meeting["merged_id"] in run("--db", db, "mentions", second)
    shown = json.loads(run("--db", db, "mentions", second, "--json"))
    assert shown["mentions"][1]["why"].startswith("merged: type=1.00")


def test_analysis_commands(db, tmp_path):
    events = [json.loads(line) for line in
              run("--db", db, "timeline", "IND", "USA", "--format", "jsonl").splitlines()]
    assert sorted(e["status"] for e in events) == ["occurred", "planned"]
    assert any("White House" in e["evidence"] for e in events)
    assert "timeline of IND and USA" in run("--db", db, "timeline", "IND", "USA")
    dyad = [json.loads(line) for line in
            run("--db", db, "dyad", "IND", "USA", "--by", "week", "--format", "jsonl").splitlines()]
    assert sum(row["events"] for row in dyad) == 2  # the plan and the meeting
    top = run("--db", db, "top", "--format", "csv").splitlines()
    assert top[0].startswith("id,") and len(top) == 4
    out = tmp_path / "net.graphml"
    assert "3 nodes, 2 edges" in run("--db", db, "network", "--out", str(out))
    plot = tmp_path / "d.svg"
    run("--db", db, "plot", "dyad", "IND", "USA", "--out", str(plot))
    assert "<svg" in plot.read_text("utf-8")


def test_export_command(db, tmp_path):
    text = run("--db", db, "export", "--format", "gdelt", "--out", str(tmp_path))
    assert "events.tsv: 3 rows" in text and "mentions.tsv: 4 rows" in text


def test_bad_arguments_exit_2(db, tmp_path):
    result = runner.invoke(app, ["--db", db, "network", "--out", str(tmp_path / "x.txt")])
    assert result.exit_code != 0
