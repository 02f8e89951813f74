"""`tidings timex` and `tidings quotes` on small files, in process."""
from __future__ import annotations

import json

import pytest


def test_timex_prints_values_and_rules(run, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a1", "date": "2025-02-06",
                                "text": "Envoys met on Monday and will meet again next week."})
                    + "\nnot json\n", "utf-8")
    code, out, err = run("timex", str(path), "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert {(r["text"], r["value"], r["rule"]) for r in rows} >= {
        ("Monday", "2025-02-03", "timex:weekday"), ("next week", "2025-W07", "timex:relative")}
    assert "E105" in err and "a.jsonl:2" in err


def test_quotes_from_a_file_without_store(run, tmp_path, seed_text):
    path = tmp_path / "seed.txt"
    path.write_text(" date 2025-02-06 " + seed_text, "utf-8")
    code, out, _ = run("quotes", str(path), "--json")
    assert code == 0
    quotes = [json.loads(line) for line in out.splitlines() if line.strip()]
    by_speaker = {q["speaker"]["text"]: q for q in quotes}
    assert by_speaker["Singh"]["cue"] == "wrote on X" and by_speaker["Singh"]["kind"] == "direct"
    assert by_speaker["Singh"]["event_ids"]
