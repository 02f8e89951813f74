"""Historical office holders (people-historical.yaml): shipped, consistent with people.yaml, and
used by the resolver on the article's date. Passages are our own; no spaCy model is loaded."""
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

HISTORICAL = "people-historical.yaml"


def kb_file(name: str) -> Path:
    return next(p for p in shipped_paths() if p.name == name)


def folded(name: str) -> str:
    """Compare names without accents or case: 'Jacques Chirac' and 'JACQUES CHIRAC' are one person."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace(".", " ").split())


@pytest.fixture(scope="module")
def resolve():
    return ResolveComponent(load_kb())


def resolved(resolve, text: str, date: str, actor: str, recipient: str | None = None) -> list[Entity]:
    return resolve_mentions(resolve, text, date, *[p for p in (actor, recipient) if p])


def test_historical_file_is_shipped_and_valid():
    assert HISTORICAL in [p.name for p in shipped_paths()]
    kb, problems = check_sources(shipped_paths())
    assert problems == []
    assert kb.holders("USA.head_of_state", dt.date(1995, 1, 1))[0].id == "bill-clinton"
    assert kb.holders("UNO.secretary-general", dt.date(1999, 1, 1))[0].id == "kofi-annan"


def test_no_person_is_in_both_people_files():
    """People already in people.yaml keep their entry there; a second entry would make two KB ids."""
    def names(path: Path) -> dict[str, str]:
        out = {}
        for person in yaml.safe_load(path.read_text("utf-8"))["people"]:
            for name in [person["name"], *(person.get("aliases") or [])]:
                if " " in name.strip():  # single-word aliases ("Trump") may be shared by family members
                    out[folded(name)] = person["id"]
        return out

    current, historical = names(kb_file("people.yaml")), names(kb_file(HISTORICAL))
    clashes = {name: (current[name], historical[name]) for name in current.keys() & historical.keys()}
    assert clashes == {}


def test_every_historical_person_has_a_source_of_country_and_sector():
    """A person with no tenure must say their sector, else the resolver has nothing to code."""
    for person in yaml.safe_load(kb_file(HISTORICAL).read_text("utf-8"))["people"]:
        assert person.get("tenures") or person.get("sector") or person.get("party"), person["id"]


def test_1990s_leaders_resolve_on_the_article_date(resolve):
    text = "President Bill Clinton met Prime Minister Tony Blair at the White House."
    clinton, blair = resolved(resolve, text, "1998-02-05", "President Bill Clinton", "Prime Minister Tony Blair")
    assert (clinton.kb_id, clinton.country, clinton.sector, clinton.office) == (
        "bill-clinton", "USA", "GOV", "President")
    assert (blair.kb_id, blair.country, blair.office) == ("tony-blair", "GBR", "Prime Minister")


def test_former_leader_is_elite_after_leaving_office(resolve):
    text = "Boris Yeltsin gave a rare interview in Moscow."
    (in_office,) = resolved(resolve, text, "1996-07-01", "Boris Yeltsin")
    assert (in_office.country, in_office.sector) == ("RUS", "GOV")
    (retired,) = resolved(resolve, text, "2003-07-01", "Boris Yeltsin")
    assert (retired.country, retired.sector) == ("RUS", "ELI")
    assert retired.office.startswith("former ")


def test_mandela_is_opposition_before_the_anc_governs(resolve):
    text = "Nelson Mandela spoke to supporters in Soweto."
    (before,) = resolved(resolve, text, "1990-03-01", "Nelson Mandela")
    (president,) = resolved(resolve, text, "1995-06-01", "Nelson Mandela")
    assert (before.country, before.sector) == ("ZAF", "OPP")
    assert (president.country, president.sector, president.office) == ("ZAF", "GOV", "President")


def test_leader_without_office_keeps_group_code(resolve):
    text = "Osama bin Laden issued a new statement."
    (leader,) = resolved(resolve, text, "1999-03-01", "Osama bin Laden")
    assert (leader.kb_id, leader.country, leader.sector) == ("osama-bin-laden", "IMG", "REB")


def test_counterpart_is_the_foreign_minister_of_that_year(resolve):
    text = "Secretary of State Warren Christopher telephoned his Russian counterpart on Monday."
    christopher, counterpart = resolved(resolve, text, "1995-03-06", "Secretary of State Warren Christopher",
                                        "his Russian counterpart")
    assert (christopher.kb_id, christopher.country) == ("warren-christopher", "USA")
    assert (counterpart.kb_id, counterpart.country) == ("andrei-kozyrev", "RUS")
    text = "Secretary of State Madeleine Albright telephoned her Russian counterpart on Monday."
    _, counterpart = resolved(resolve, text, "1999-03-08", "Secretary of State Madeleine Albright",
                              "her Russian counterpart")
    assert counterpart.kb_id == "igor-ivanov"


def test_un_secretary_general_of_the_year(resolve):
    text = "UN Secretary-General Kofi Annan appealed for calm."
    (annan,) = resolved(resolve, text, "2001-05-01", "UN Secretary-General Kofi Annan")
    assert (annan.kb_id, annan.country, annan.sector) == ("kofi-annan", "UNO", "GOV")
