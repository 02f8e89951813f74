"""The merge scorer: B-cubed arithmetic, gold matching, and the labelled set's shape."""
from __future__ import annotations

import importlib.util
from collections import Counter

import pytest

from conftest import ROOT
from merge_records import record

_spec = importlib.util.spec_from_file_location("merge_score", ROOT / "eval" / "merge" / "score.py")
score = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score)


def test_bcubed_on_a_worked_example():
    gold = {1: "A", 2: "A", 3: "B"}
    assert score.bcubed({1: "x", 2: "x", 3: "y"}, gold) == (1.0, 1.0, 1.0)
    p, r, f = score.bcubed({1: "x", 2: "x", 3: "x"}, gold)  # everything merged
    assert p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3) and r == 1.0
    p, r, f = score.bcubed({1: "x", 2: "y", 3: "z"}, gold)  # nothing merged
    assert p == 1.0 and r == pytest.approx((0.5 + 0.5 + 1) / 3)
    assert f == pytest.approx(2 * p * r / (p + r))


def test_gold_is_matched_by_evidence_words_preferring_the_type():
    gold = [{"article_id": "a", "evidence": "met   TRUMP", "type": "CONSULT"}]
    accuse = record("ACCUSE", article_id="a", sentence="Modi met Trump and accused him.")
    consult = record("CONSULT", article_id="a", sentence="Modi met Trump and accused him.")
    elsewhere = record("CONSULT", article_id="b", sentence="Modi met Trump.")
    assert score.match(gold, [accuse, consult, elsewhere])[0]["event_id"] == consult["event_id"]
    assert score.match(gold, [elsewhere]) == {}


def test_labelled_set_shape():
    gold = score.load_gold()
    per_event = Counter(m["event"] for m in gold)
    assert len(per_event) >= 40 and all(2 <= n <= 6 for n in per_event.values())
    assert len({m["article_id"] for m in gold}) == len(gold)
    for m in gold:
        assert score._norm(m["evidence"]) in score._norm(m["text"]), m["article_id"]
    events = {m["event"] for m in gold}
    assert all(m["distractor_of"] in events for m in gold if m["distractor_of"])
    assert len({m["source"] for m in gold}) >= 4
