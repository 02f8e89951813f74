"""Cabinet ministers of block B countries (people-cabinets.yaml): shipped, one entry per person in
the whole KB, and used by the resolver on the article's date. Passages are our own; no spaCy
model is loaded."""
from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
import yaml

from kb_mentions import resolve_mentions

from tidings.model import Entity
from tidings.resolve import ResolveComponent
from tidings.resolve.kb import check_sources, load_kb, shipped_paths

CABINETS = "people-cabinets.yaml"


def kb_file(name: str) -> Path:
    return next(p for p in shipped_paths() if p.name == name)


def folded(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace(".", " ").replace("-", " ").split())


def people_of(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text("utf-8")).get("people") or []


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def resolve(kb):
    return ResolveComponent(kb)


def resolved(resolve, text: str, date: str, *spans: str) -> list[Entity]:
    return resolve_mentions(resolve, text, date, *spans)


def test_cabinets_file_is_shipped_and_valid():
    assert CABINETS in [p.name for p in shipped_paths()]
    _, problems = check_sources(shipped_paths())
    assert problems == []


def test_no_cabinet_person_is_also_in_another_people_file():
    """A minister already listed elsewhere keeps that entry; a second one would split their KB id."""
    mine = {(folded(p["name"]), p["country"]): p["id"] for p in people_of(kb_file(CABINETS))}
    clashes = []
    for path in shipped_paths():
        if path.name.startswith("people") and path.name != CABINETS:
            for person in people_of(path):
                key = (folded(person["name"]), person["country"])
                if key in mine:
                    clashes.append((path.name, person["id"], mine[key]))
    assert clashes == []


def test_every_cabinet_person_holds_an_office_of_their_own_country(kb):
    """This file lists office holders only; an office abroad would mean a typo in a code."""
    for raw in people_of(kb_file(CABINETS)):
        person = kb.people[raw["id"]]
        assert person.tenures, person.id
        for tenure in person.tenures:
            assert kb.office(tenure.office).country == person.country, (person.id, tenure.office)


@pytest.mark.parametrize("office, day, holder", [
    ("KOR.interior", "2023-08-01", "lee-sang-min"),
    ("KOR.head_of_government", "2015-01-10", "chung-hong-won"),
    ("MMR.defence", "2022-03-27", "mya-tun-oo"),
    ("MMR.finance", "2017-01-15", "kyaw-win-mmr"),
    ("VNM.head_of_state", "2024-04-10", "vo-thi-anh-xuan"),
])
def test_office_holder_on_a_date(kb, office, day, holder):
    assert [p.id for p in kb.holders(office, dt.date.fromisoformat(day))] == [holder]


def test_korean_interior_minister_resolves_by_name_and_date(resolve):
    text = "Interior Minister Lee Sang-min visited the flooded district."
    (minister,) = resolved(resolve, text, "2023-08-01", "Interior Minister Lee Sang-min")
    assert (minister.kb_id, minister.country, minister.sector) == ("lee-sang-min", "KOR", "GOV")
    assert minister.office == "Minister of the Interior and Safety"
    (later,) = resolved(resolve, text, "2025-03-01", "Interior Minister Lee Sang-min")
    assert (later.kb_id, later.sector) == ("lee-sang-min", "ELI")


def test_junta_minister_is_government_after_the_coup(resolve):
    text = "Defence Minister Mya Tun Oo received a delegation in Naypyidaw."
    (minister,) = resolved(resolve, text, "2022-03-27", "Defence Minister Mya Tun Oo")
    assert (minister.kb_id, minister.country, minister.sector) == ("mya-tun-oo", "MMR", "GOV")


def test_post_soviet_interior_title_finds_the_minister(resolve):
    """News calls these police ministries 'Internal Affairs'; the alias must lead to the holder."""
    text = "Belarusian Internal Affairs Minister Ivan Kubrakov addressed police cadets."
    (minister,) = resolved(resolve, text, "2023-05-10", "Belarusian Internal Affairs Minister Ivan Kubrakov")
    assert (minister.kb_id, minister.country, minister.office) == ("ivan-kubrakov", "BLR", "Minister of Internal Affairs")


def test_acting_thai_prime_minister_heads_the_government(kb):
    """While the court suspended the prime minister, her deputy held the head of government's powers."""
    day = dt.date(2025, 8, 1)
    heads = {p.id for office in kb.offices_for("THA", "head_of_government") for p in kb.holders(office.id, day)}
    assert "phumtham-wechayachai" in heads
    assert [p.id for p in kb.holders("THA.acting-prime-minister", dt.date(2025, 10, 1))] == []
