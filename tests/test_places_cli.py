"""`tidings places FILE` end to end through the default pipeline, and bad input."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tidings.cli import _load_commands, app
from tidings.errors import NothingIngestedError

SEED = "examples/000_e391cc00f0f64659.txt"
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def commands():
    _load_commands()


def test_places_jsonl_lists_evidence_and_event_locations(monkeypatch, seed_text):
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["places", "--format", "jsonl", SEED], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (report,) = [json.loads(line) for line in result.stdout.splitlines()]
    amritsar = next(p for p in report["places"] if p["text"] == "Amritsar")
    assert amritsar["location"]["admin1"] == "Punjab" and amritsar["location"]["country"] == "IND"
    assert "landing in Amritsar" in amritsar["sentence"] and amritsar["rule"]
    assert seed_text[amritsar["start"]:amritsar["end"]] == "Amritsar"
    delhi = next(p for p in report["places"] if p["text"] == "New Delhi")
    assert delhi["role"] == "metonym"
    assert all(e["location"]["name"] != "New Delhi" for e in report["event_locations"])


def test_places_table_and_rejections(tmp_path, monkeypatch):
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, ["places", SEED], catch_exceptions=False)
    assert result.exit_code == 0 and "Amritsar" in result.stdout and "Punjab" in result.stdout
    bad = tmp_path / "bad.txt"
    bad.write_text("no date header here\n", "utf-8")
    with pytest.raises(NothingIngestedError):
        runner.invoke(app, ["places", str(bad)], catch_exceptions=False)
