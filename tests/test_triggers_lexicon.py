"""The lexicon as data: it loads, covers every PLOVER type and mode, and inflects."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from tidings.errors import ConfigError
from tidings.extract.lexicon import inflections, load_lexicon, load_lexicon_dir
from tidings.model import EVENT_TYPES
from tidings.registry import make_component

ROOT = Path(__file__).resolve().parent.parent
MANUAL = ROOT.parent / "shared" / "reference" / "plover" / "PLOVER_MANUAL.tex"


def test_every_type_has_entries_and_provenance_ids():
    lexicon = load_lexicon()
    types = {e.event_type for e in lexicon.entries}
    assert types == set(EVENT_TYPES)
    for entry in lexicon.entries:
        assert re.fullmatch(r"[a-z]+/[a-z0-9-]+", entry.rule_id), entry.rule_id


def _producible_modes(lexicon, event_type):
    modes = set()
    for entry in lexicon.entries:
        if entry.event_type == event_type:
            modes |= {entry.mode} | {m for m, _ in entry.mode_cues}
    rules = lexicon.rules
    for outer, table in rules.content_modes.items():
        if outer == event_type:
            modes |= set(table.values())
    for outer, table in rules.content_mode_words.items():
        if outer == event_type:
            modes |= set(table)
    return modes - {None}


def test_every_declared_mode_can_be_produced():
    lexicon = load_lexicon()
    for event_type, declared in lexicon.modes.items():
        missing = declared - _producible_modes(lexicon, event_type)
        assert not missing, f"{event_type}: no entry or cue yields {sorted(missing)}"


@pytest.mark.skipif(not MANUAL.exists(), reason="PLOVER manual not available")
def test_declared_modes_are_the_manuals():
    """Each type's mode table in the manual (active rows, not commented ones) is declared."""
    tex = MANUAL.read_text("utf-8")
    lexicon = load_lexicon()
    for event_type in ("CONSULT", "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN",
                       "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"):
        section = tex.split(f"\\section{{{event_type}}}", 1)[1].split("\\section{", 1)[0]
        table = section.split("Name & Content", 1)[1].split("\\end{tabular}", 1)[0]
        rows = [line for line in table.splitlines() if "&" in line and not line.lstrip().startswith("%")]
        names = {line.split("&")[0].strip() for line in rows}
        names = {n for n in names if n and re.fullmatch(r"[a-z-]+", n)}
        assert names <= lexicon.modes[event_type], (event_type, names - lexicon.modes[event_type])


def test_broken_lexicon_file_is_a_config_error(tmp_path):
    src = ROOT / "src" / "tidings" / "data" / "lexicon"
    for f in src.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text("utf-8"), "utf-8")
    (tmp_path / "agree.yaml").write_text("type: AGREE\nentries:\n  - {id: x}\n", "utf-8")
    with pytest.raises(ConfigError, match="agree.yaml"):
        load_lexicon_dir(tmp_path)
    (tmp_path / "agree.yaml").write_text("type: NOT_A_TYPE\n", "utf-8")
    with pytest.raises(ConfigError, match="PLOVER type"):
        load_lexicon_dir(tmp_path)


def test_undeclared_mode_is_rejected(tmp_path):
    src = ROOT / "src" / "tidings" / "data" / "lexicon"
    for f in src.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text("utf-8"), "utf-8")
    (tmp_path / "aid.yaml").write_text(
        "type: AID\nmodes: {}\nentries:\n  - {id: x, lemmas: [aid], mode: airdrop}\n", "utf-8")
    with pytest.raises(ConfigError, match="airdrop"):
        load_lexicon_dir(tmp_path)


def test_inflections_cover_regular_and_irregular_forms():
    irregular = load_lexicon().irregular
    assert {"meet", "meets", "met", "meeting"} <= inflections("meet", irregular)
    assert {"deport", "deported", "deporting", "deports"} <= inflections("deport", irregular)
    assert {"ban", "banned", "banning"} <= inflections("ban", irregular)
    assert {"apply", "applies", "applied"} <= inflections("apply", irregular)
    assert "according" not in inflections("accord", irregular, nominal=True)
    assert {"talks"} <= inflections("talk", irregular, nominal=True)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12))
def test_inflections_always_hold_the_lemma_in_lower_case(word):
    forms = inflections(word, {})
    assert word in forms
    assert all(f == f.lower() for f in forms)


def test_prefilter_terms_are_tight():
    terms = make_component("triggers", {}).prefilter_terms()
    assert {"deportation", "talks", "met", "visited", "condemned", "arrested"} <= terms
    for common in ("said", "say", "make", "take", "the", "government", "people", "according"):
        assert common not in terms, common
