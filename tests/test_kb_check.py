"""The knowledge base as data: the shipped files validate, bad files are caught, users can extend it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tidings.cli import _load_commands, app
from tidings.errors import ConfigError, NotFoundError, UsageError
from tidings.resolve.kb import KB_ENV, check_sources, load_kb, shipped_paths
from tidings.service import kb as service

_load_commands()
runner = CliRunner()


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path


def messages(problems) -> str:
    return "\n".join(p.message for p in problems)


def test_shipped_kb_has_no_problems_and_covers_the_brief():
    kb, problems = check_sources(shipped_paths())
    assert problems == []
    assert sum(1 for c in kb.countries.values() if not c.nonstate and not c.fold_into) >= 190
    day = dt.date(2025, 2, 6)
    g20 = "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA".split()
    for code in g20:
        leaders = kb.holders(kb.offices_for(code, "leader")[0].id, day)
        assert leaders, f"no leader of {code} on {day}"
        assert kb.holders(f"{code}.foreign", day), f"no foreign minister of {code} on {day}"
    assert kb.holders("USA.defence", day)[0].id == "pete-hegseth"
    assert kb.holders("IND.defence", day)[0].id == "rajnath-singh"
    assert kb.countries["IND"].demonyms == ("Indians",)
    assert "the Kremlin" in kb.countries["RUS"].metonyms


def test_check_catches_a_bad_file(tmp_path):
    bad = write(tmp_path / "bad.yaml", {"people": [
        {"id": "late-starter", "name": "Late Starter", "country": "XXX",
         "tenures": [["IND.finance", "2021-05-01", "2020-01-01"], ["NOPE.office", "2020-01-01", None]]},
        {"id": "late-starter", "name": "Again", "country": "IND"},
        {"id": "second-pm", "name": "Second PM", "country": "IND", "gender": "x",
         "tenures": [["IND.head_of_government", "2020-01-01", None]]},
        {"id": "bad-day", "name": "Bad Day", "country": "IND", "tenures": [["IND.finance", "2025-13-45", None]]},
    ], "organisations": [{"id": "odd", "name": "Odd", "kind": "party", "country": "IND", "sector": "ZZZ"}]})
    _, problems = check_sources(shipped_paths(), [bad])
    text = messages(problems)
    assert "duplicate id 'late-starter'" in text
    assert "unknown country code 'XXX'" in text
    assert "ends (2020-01-01) before it starts (2021-05-01)" in text
    assert "unknown office 'NOPE.office'" in text
    assert "overlaps narendra-modi's" in text
    assert "gender must be m or f" in text
    assert "bad date in tenure" in text
    assert "unknown sector code 'ZZZ'" in text
    result = runner.invoke(app, ["kb", "check", str(bad)])
    assert isinstance(result.exception, ConfigError) and ConfigError.exit_code == 3
    assert "overlaps" in result.output


def test_kb_check_command_ok():
    result = runner.invoke(app, ["kb", "check"], env={KB_ENV: ""})
    assert result.exit_code == 0, result.output
    assert "kb check: ok" in result.output


def test_load_refuses_broken_overlay(tmp_path):
    bad = write(tmp_path / "broken.yaml", {"people": [{"id": "x", "name": "X", "country": "QQQ"}]})
    with pytest.raises(ConfigError, match="unknown country code 'QQQ'"):
        load_kb((str(bad),))
    not_yaml = tmp_path / "nope.yaml"
    not_yaml.write_text("people: [unclosed", "utf-8")
    with pytest.raises(ConfigError, match="cannot read"):
        load_kb((str(not_yaml),))


def test_add_person_then_resolve_with_overlay(tmp_path, monkeypatch):
    overlay = tmp_path / "mine.yaml"
    monkeypatch.setenv(KB_ENV, str(overlay))
    result = runner.invoke(app, ["kb", "add", "person", "--id", "jane-example", "--name", "Jane Example",
                                 "--country", "NZL", "--gender", "f", "--office", "NZL.defence",
                                 "--start", "2031-02-01"])
    assert result.exit_code == 0, result.output
    assert service.get_actor("jane-example", dt.date(2031, 3, 1))["office"] == "Minister of Defence"
    rows = service.resolve_text("Defence Minister Jane Example met reporters.", dt.date(2031, 3, 1))
    jane = next(r for r in rows if r["kb_id"] == "jane-example")
    assert (jane["country"], jane["sector"]) == ("NZL", "GOV")
    # A second, overlapping holder of the same office is refused and nothing is written.
    before = overlay.read_text("utf-8")
    refused = runner.invoke(app, ["kb", "add", "person", "--id", "john-example", "--name", "John Example",
                                  "--country", "NZL", "--office", "NZL.defence", "--start", "2031-06-01"])
    assert isinstance(refused.exception, ConfigError) and "overlaps jane-example" in str(refused.exception)
    assert overlay.read_text("utf-8") == before


def test_add_tenure_to_shipped_person_and_office(tmp_path):
    overlay = tmp_path / "extra.yaml"
    service.add_office("IND.space", "Minister of Space", kinds=["cabinet"], aliases=["space minister"],
                       file=str(overlay))
    service.add_person("rajnath-singh", office="IND.space", start="2030-01-01", file=str(overlay))
    kb = load_kb((str(overlay),))
    titles = [o.title for o, _ in kb.active_offices(kb.people["rajnath-singh"], dt.date(2030, 6, 1))]
    assert titles == ["Minister of Defence", "Minister of Space"]


def test_add_needs_a_file_and_valid_dates(tmp_path, monkeypatch):
    monkeypatch.delenv(KB_ENV, raising=False)
    with pytest.raises(UsageError, match="--file"):
        service.add_person("x", name="X", country="IND")
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        service.add_person("x", name="X", country="IND", office="IND.finance", start="soon",
                           file=str(tmp_path / "f.yaml"))


def test_search_and_get(monkeypatch):
    monkeypatch.delenv(KB_ENV, raising=False)
    hits = service.search_actors("modi", dt.date(2025, 2, 6))
    assert hits[0]["kb_id"] == "narendra-modi" and hits[0]["office"] == "Prime Minister"
    assert service.get_actor("IND")["capital"] == "New Delhi"
    assert service.get_actor("nato")["country"] == "IGO"
    with pytest.raises(NotFoundError):
        service.get_actor("no-such-person")


_scalars = st.one_of(st.none(), st.text(max_size=12), st.integers(), st.dates().map(str), st.booleans())
_entry = st.dictionaries(st.sampled_from(["id", "name", "country", "gender", "tenures", "kind", "sector",
                                          "aliases", "wikidata", "party", "code"]),
                         st.one_of(_scalars, st.lists(st.one_of(_scalars, st.lists(_scalars, max_size=4)),
                                                      max_size=3)), max_size=8)
_overlay = st.dictionaries(st.sampled_from(["people", "organisations", "offices", "countries", "other"]),
                           st.one_of(_scalars, st.lists(st.one_of(_entry, _scalars), max_size=3)), max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_overlay)
def test_any_overlay_gives_problems_not_crashes(tmp_path, data):
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    kb, problems = check_sources(shipped_paths(), [path])
    assert kb is not None or problems
    for problem in problems:
        assert problem.message
