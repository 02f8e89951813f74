"""Exports: PLOVER JSON Lines, GDELT-style TSV, CSV and Parquet."""
from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from merge_records import record
from tidings import export
from tidings.errors import UsageError
from tidings.merge import merge_records


@pytest.fixture(scope="module")
def merged():
    recs = [record(article_id="a1", location="washington", cameo="040"),
            record(article_id="a2", sentence="Trump met Modi."),
            record("ACCUSE", actor=("trump",), recipient=("modi",), date="2025-W08",
                   precision="week", sentence="Trump accused Modi of tariffs.")]
    return merge_records(recs, {"a1": {"source": "Wire", "date": "2025-02-13"},
                                "a2": {"source": "Daily", "date": "2025-02-14"}})


def test_plover_uses_the_manual_field_names(merged, tmp_path):
    written = export.export(merged, "plover", tmp_path)
    lines = (tmp_path / "events.jsonl").read_text("utf-8").splitlines()
    assert written == {"events.jsonl": 2} and len(lines) == 2
    first, week = (json.loads(line) for line in lines)
    for name in ("id", "date", "actor", "recipient", "event", "event_loc", "event_text",
                 "quad_code", "event_scale", "mode", "context", "cite_info"):
        assert name in first
    assert first["event"] == ["CONSULT"] and first["quad_code"] == 1
    assert first["actor"][0]["code"] == "IND" and first["actor"][0]["sector"] == "GOV"
    assert first["event_loc"]["resolution"] == 4 and first["num_sources"] == 2
    assert first["cite_info"]["publication"] == ["Daily", "Wire"]
    assert (week["date"], week["enddate"]) == ("2025-02-17", "2025-02-23")


def test_gdelt_tsv_has_the_documented_columns(merged, tmp_path):
    written = export.export(merged, "gdelt", tmp_path)
    assert written == {"events.tsv": 2, "mentions.tsv": 3}
    with (tmp_path / "events.tsv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows[0]) == 61 == len(export.GDELT_EVENT_COLUMNS)
    meeting = rows[0]
    assert (meeting["Day"], meeting["Actor1Code"], meeting["Actor2CountryCode"]) == \
        ("20250213", "INDGOV", "USA")
    assert (meeting["EventCode"], meeting["EventRootCode"], meeting["QuadClass"]) == \
        ("040", "04", "1")
    assert (meeting["NumMentions"], meeting["NumSources"], meeting["ActionGeo_Lat"]) == \
        ("2", "2", "38.9")
    with (tmp_path / "mentions.tsv").open(encoding="utf-8") as f:
        mentions = list(csv.DictReader(f, delimiter="\t"))
    assert {m["MentionSourceName"] for m in mentions} == {"Wire", "Daily", ""}
    assert mentions[0]["GlobalEventID"] == meeting["GlobalEventID"]


def test_csv_and_parquet_one_row_per_event_and_per_mention(merged, tmp_path):
    assert export.export(merged, "csv", tmp_path / "c") == {"events.csv": 2, "mentions.csv": 3}
    events = pd.read_csv(tmp_path / "c" / "events.csv")
    assert list(events.columns) == list(export.EVENT_TABLE_COLUMNS)
    assert export.export(merged, "parquet", tmp_path / "p") == \
        {"events.parquet": 2, "mentions.parquet": 3}
    mentions = pd.read_parquet(tmp_path / "p" / "mentions.parquet")
    assert mentions["why"].str.startswith(("first mention", "merged:")).all()
    assert set(mentions["id"]) == set(events["id"])


def test_unknown_format_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        export.export([], "xml", tmp_path)


def test_global_event_id_is_stable_and_positive():
    assert export.global_event_id("me_1") == export.global_event_id("me_1") > 0
    assert export.global_event_id("me_1") != export.global_event_id("me_2")
