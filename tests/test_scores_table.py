"""The scores table: every type and mode scored, values from the PLOVER manual's table."""
from __future__ import annotations

import pytest

from tidings.errors import ConfigError
from tidings.extract.lexicon import load_lexicon
from tidings.model import QUAD_CLASSES, Event, Evidence
from tidings.scores import load_scores


def _event(event_type, mode=None):
    return Event(article_id="a", event_type=event_type, mode=mode,
                 evidence=Evidence("s", 0, 1, "t", 0, 1))


def test_every_type_and_declared_mode_has_a_score_and_cameo():
    table = load_scores()
    lexicon = load_lexicon()
    for event_type, modes in lexicon.modes.items():
        for mode in [None, *sorted(modes)]:
            found = table.lookup(event_type, mode)
            assert found is not None and found.quad_class in QUAD_CLASSES
            assert -10 <= found.score <= 10
            assert found.cameo and found.cameo.isdigit()


def test_manual_values_and_provenance():
    table = load_scores()
    ev = _event("CONSULT", "phone")
    table.apply(ev)
    assert (ev.quad_class, ev.score, ev.cameo) == ("verbal_cooperation", 1.5, "041")
    assert ev.provenance["score"] == "scores:CONSULT/phone"
    ev = _event("COERCE", "deport")
    table.apply(ev)
    assert (ev.quad_class, ev.score, ev.cameo) == ("material_conflict", -7, "174")
    ev = _event("ASSAULT", "no-such-mode")
    table.apply(ev)
    assert ev.score == -9 and ev.provenance["score"] == "scores:ASSAULT"


def test_conflict_types_score_below_cooperation_types():
    table = load_scores()
    coop = [table.lookup(t, None).score for t in ("AGREE", "CONSULT", "SUPPORT", "AID")]
    conflict = [table.lookup(t, None).score for t in ("ACCUSE", "THREATEN", "COERCE", "ASSAULT")]
    assert min(coop) > max(conflict)


def test_incomplete_table_is_a_config_error(tmp_path):
    bad = tmp_path / "scores.yaml"
    bad.write_text("types:\n  AGREE: {quad: verbal_cooperation, score: 2.5}\n", "utf-8")
    with pytest.raises(ConfigError, match="lacks types"):
        load_scores(bad)
