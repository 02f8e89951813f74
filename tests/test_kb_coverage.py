"""The coverage measure of scripts/kb_coverage.py: days with a holder and the gaps between them."""
import datetime as dt
import importlib.util
from pathlib import Path

from tidings.resolve.kb import load_kb

_SPEC = importlib.util.spec_from_file_location(
    "kb_coverage", Path(__file__).resolve().parents[1] / "scripts" / "kb_coverage.py")
kb_coverage = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(kb_coverage)


def test_gaps_are_runs_of_missing_days():
    first = kb_coverage.FIRST_DAY
    held = {first + dt.timedelta(days=n) for n in range(10) if n not in (3, 4, 9)}
    runs = kb_coverage.gaps(held, first + dt.timedelta(days=9))
    assert runs == [(first + dt.timedelta(days=3), first + dt.timedelta(days=4)),
                    (first + dt.timedelta(days=9), first + dt.timedelta(days=9))]


def test_presidential_office_fills_head_of_government():
    """Brazil has no prime minister: its president's days count for head of government."""
    kb = load_kb()
    last = dt.date(2020, 12, 31)
    days = kb_coverage.covered_days(kb, "BRA", "head_of_government", last)
    assert dt.date(2019, 6, 1) in days and dt.date(2016, 6, 1) in days


def test_every_listed_country_is_in_the_knowledge_base():
    kb = load_kb()
    assert len(set(kb_coverage.COUNTRIES)) == 60
    assert all(code in kb.countries for code in kb_coverage.COUNTRIES)
