"""How much of 2015-2026 the knowledge base covers: per country and standard office, the days
with at least one holder. Why: issue 4 asks for office holders of the 60 countries most in the
news, and a gap (a missing minister) silently turns a named person into an unknown actor.

Run: .venv/bin/python scripts/kb_coverage.py [--gaps] [--until 2026-12-01]
"""
from __future__ import annotations

import argparse
import datetime as dt
from collections import defaultdict

from tidings.resolve.kb import KnowledgeBase, load_kb

# The 60 countries most present in international news (issue 4; listed in kb/README.md).
COUNTRIES = """USA CHN RUS GBR FRA DEU IND JPN ISR PSE IRN IRQ SYR TUR SAU EGY UKR PAK AFG KOR
PRK ITA ESP CAN AUS BRA MEX ARG ZAF NGA KEN ETH SDN LBY YEM LBN JOR QAT ARE IDN PHL MMR THA
VNM MYS BGD POL HUN BLR GEO ARM AZE KAZ VEN COL CUB NLD BEL SWE NOR""".split()
KINDS = ("head_of_state", "head_of_government", "foreign", "defence", "interior", "finance")
FIRST_DAY = dt.date(2015, 1, 1)
# A year counts as covered when this share of its days has a holder (a day or two between a
# resignation and the successor's swearing-in is not a gap in the data).
YEAR_COVERED_SHARE = 0.95


def covered_days(kb: KnowledgeBase, country: str, kind: str, last_day: dt.date) -> set[dt.date]:
    """Days in [FIRST_DAY, last_day] on which some office of this kind has a holder."""
    days: set[dt.date] = set()
    for office in kb.offices_for(country, kind):
        for person in kb.people.values():
            for tenure in person.tenures:
                if tenure.office != office.id:
                    continue
                start = max(tenure.start, FIRST_DAY)
                end = min(tenure.end or last_day + dt.timedelta(days=1), last_day + dt.timedelta(days=1))
                day = start
                while day < end:
                    days.add(day)
                    day += dt.timedelta(days=1)
    return days


def gaps(days: set[dt.date], last_day: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Runs of uncovered days, as (first, last) pairs."""
    found, run_start, day = [], None, FIRST_DAY
    while day <= last_day:
        if day not in days and run_start is None:
            run_start = day
        if day in days and run_start is not None:
            found.append((run_start, day - dt.timedelta(days=1)))
            run_start = None
        day += dt.timedelta(days=1)
    if run_start is not None:
        found.append((run_start, last_day))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gaps", action="store_true", help="list every gap longer than a week")
    parser.add_argument("--until", default="2026-12-01", help="last day measured (ISO date)")
    args = parser.parse_args()
    last_day = dt.date.fromisoformat(args.until)
    kb = load_kb()
    total_days = covered_total = years_total = years_covered = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows = []
    for country in COUNTRIES:
        for kind in KINDS:
            days = covered_days(kb, country, kind, last_day)
            span = (last_day - FIRST_DAY).days + 1
            total_days += span
            covered_total += len(days)
            for year in range(FIRST_DAY.year, last_day.year + 1):
                year_end = min(dt.date(year, 12, 31), last_day)
                in_year = (year_end - dt.date(year, 1, 1)).days + 1
                held = sum(1 for d in days if d.year == year)
                years_total += 1
                by_kind[kind][1] += 1
                if held >= YEAR_COVERED_SHARE * in_year:
                    years_covered += 1
                    by_kind[kind][0] += 1
            rows.append((span - len(days), country, kind, gaps(days, last_day)))
    print(f"{len(COUNTRIES)} countries x {len(KINDS)} offices, {FIRST_DAY} to {last_day}")
    print(f"country-office-years covered: {years_covered}/{years_total} = {years_covered / years_total:.3f}")
    print(f"country-office-days covered:  {covered_total / total_days:.3f}")
    for kind in KINDS:
        done, all_ = by_kind[kind]
        print(f"  {kind:20s} {done}/{all_} = {done / all_:.3f}")
    if args.gaps:
        for missing, country, kind, runs in sorted(rows, reverse=True):
            long_runs = [(a, b) for a, b in runs if (b - a).days >= 7]
            if long_runs:
                shown = ", ".join(f"{a}..{b}" for a, b in long_runs)
                print(f"{country} {kind:20s} {missing:5d} days missing: {shown}")


if __name__ == "__main__":
    main()
