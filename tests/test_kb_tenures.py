"""Tenures added across the people files after the 2015-2026 cabinets (issue 4): offices held by
people of people-historical.yaml, heads of state who also headed the government, acting holders
and the Thai suspensions of 2022 and 2025. Passages are our own; no spaCy model is loaded."""
from __future__ import annotations

import datetime as dt

import pytest

from kb_mentions import resolve_mentions

from tidings.model import Entity
from tidings.resolve import ResolveComponent
from tidings.resolve.kb import KnowledgeBase, load_kb

STANDARD_KINDS = ("head_of_state", "head_of_government", "foreign", "defence", "interior", "finance")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="module")
def resolve(kb):
    return ResolveComponent(kb)


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def holder_ids(kb: KnowledgeBase, country: str, kind: str, on: dt.date) -> set[str]:
    return {p.id for office in kb.offices_for(country, kind) for p in kb.holders(office.id, on)}


def resolved(resolve, text: str, date: str, span: str) -> Entity:
    return resolve_mentions(resolve, text, date, span)[0]


# (person, country, office kind, first day, day they left: None when still in office)
ADDED_TENURES = [
    ("omar-al-bashir", "SDN", "head_of_government", "1989-06-30", "2017-03-02"),
    ("raul-castro", "CUB", "head_of_government", "2008-02-24", "2018-04-19"),
    ("king-abdullah-saudi", "SAU", "head_of_government", "2005-08-01", "2015-01-23"),
    ("abdullah-ensour", "JOR", "defence", "2012-10-11", "2016-06-01"),
    ("avigdor-lieberman", "ISR", "finance", "2021-06-13", "2022-12-29"),
    ("silvan-shalom", "ISR", "interior", "2015-05-14", None),
    ("jose-antonio-meade", "MEX", "finance", "2016-09-07", "2017-11-27"),
    ("rami-hamdallah", "PSE", "interior", "2014-06-02", "2019-04-14"),
    ("prayut-chan-o-cha", "THA", "defence", "2019-07-10", "2023-09-01"),
    ("najib-razak", "MYS", "finance", "2008-09-17", "2018-05-10"),
    ("wunna-maung-lwin", "MMR", "foreign", "2011-03-30", "2016-03-30"),
    ("thein-sein", "MMR", "head_of_government", "2007-10-24", "2016-03-30"),
    ("min-aung-hlaing", "MMR", "head_of_government", "2021-02-02", None),
    ("myint-swe", "MMR", "head_of_state", "2018-03-21", "2018-03-30"),
    ("kim-boo-kyum", "KOR", "interior", "2017-06-16", "2019-04-08"),
    ("hwang-kyo-ahn", "KOR", "head_of_state", "2017-03-10", "2017-05-10"),
    ("han-duck-soo", "KOR", "head_of_state", "2025-04-04", "2025-05-01"),
    ("choi-kyung-hwan", "KOR", "head_of_government", "2015-04-27", "2015-06-18"),
    ("yoo-il-ho", "KOR", "head_of_government", "2017-05-11", "2017-05-31"),
    ("alikhan-smailov", "KAZ", "finance", "2018-12-18", "2020-05-18"),
    ("giorgi-gakharia", "GEO", "interior", "2017-11-13", "2019-09-08"),
    ("irakli-garibashvili", "GEO", "defence", "2019-09-08", "2021-02-22"),
    ("mamuka-bakhtadze", "GEO", "finance", "2017-11-20", "2018-06-20"),
    ("giorgi-kvirikashvili", "GEO", "foreign", "2015-09-01", "2015-12-30"),
    ("imran-khan", "PAK", "interior", "2018-08-20", "2019-04-18"),
    ("shamshad-akhtar", "PAK", "finance", "2018-06-05", "2018-08-20"),
    ("muhammad-yunus", "BGD", "defence", "2024-08-08", None),
    ("serzh-sargsyan", "ARM", "head_of_government", "2018-04-17", "2018-04-23"),
    ("jim-chalmers", "AUS", "finance", "2022-05-23", None),
    ("anutin-charnvirakul", "THA", "interior", "2025-09-19", None),
    ("maris-sangiampongsa", "THA", "foreign", "2024-04-30", "2025-09-19"),
    # earlier offices of people listed in people.yaml
    ("vladimir-putin", "RUS", "head_of_state", "1999-12-31", "2008-05-07"),
    ("dmitry-medvedev", "RUS", "head_of_state", "2008-05-07", "2012-05-07"),
    ("vladimir-putin", "RUS", "head_of_government", "2008-05-08", "2012-05-07"),
    ("lula-da-silva", "BRA", "head_of_state", "2003-01-01", "2011-01-01"),
    ("recep-tayyip-erdogan", "TUR", "head_of_government", "2003-03-14", "2014-08-28"),
    ("shinzo-abe", "JPN", "head_of_government", "2006-09-26", "2007-09-26"),
    ("taro-aso", "JPN", "head_of_government", "2008-09-24", "2009-09-16"),
    ("benjamin-netanyahu", "ISR", "head_of_government", "1996-06-18", "1999-07-06"),
    ("naftali-bennett", "ISR", "defence", "2019-11-12", "2020-05-17"),
    ("donald-tusk", "POL", "head_of_government", "2007-11-16", "2014-09-22"),
    ("abdel-fattah-el-sisi", "EGY", "defence", "2012-08-12", "2014-03-26"),
    ("ban-ki-moon", "UNO", "head_of_organisation", "2007-01-01", "2017-01-01"),
]


@pytest.mark.parametrize("person, country, kind, first, left", ADDED_TENURES, ids=[t[0] for t in ADDED_TENURES])
def test_added_tenure_holds_from_its_first_day_to_the_day_before_leaving(kb, person, country, kind, first, left):
    assert person in holder_ids(kb, country, kind, day(first))
    assert person not in holder_ids(kb, country, kind, day(first) - dt.timedelta(days=1))
    if left:
        assert person in holder_ids(kb, country, kind, day(left) - dt.timedelta(days=1))
        assert person not in holder_ids(kb, country, kind, day(left))


# Real power-sharing: Kenya's grand coalition gave the executive president a prime minister.
SHARED_OFFICES = {("KEN", "head_of_government", "mwai-kibaki", "raila-odinga")}


def test_no_two_people_hold_one_standard_office_kind_on_a_day(kb):
    """`kb check` compares tenures of one office id; this also catches an acting office (or a
    president who heads the government) beside the regular holder, as in Thailand in 2025."""
    clashes = []
    for country in sorted(kb.countries):
        for kind in STANDARD_KINDS:
            office_ids = {office.id for office in kb.offices_for(country, kind)}
            spans = sorted((t.start, t.end or dt.date.max, p.id) for p in kb.people.values()
                           for t in p.tenures if t.office in office_ids)
            for i, (start, end, person) in enumerate(spans):
                for later_start, _, other in spans[i + 1:]:
                    if later_start >= end:
                        break
                    if other != person and (country, kind, person, other) not in SHARED_OFFICES:
                        clashes.append((country, kind, person, other, later_start.isoformat()))
    assert clashes == []


def test_thailand_has_exactly_one_head_of_government_every_day_since_the_2014_coup(kb):
    """Court suspensions (2022, 2025) and a removal (2024) hand the government to an acting prime
    minister; the file must neither leave a day empty nor count two heads on one day."""
    on, last = day("2014-08-24"), day("2025-12-01")
    wrong = []
    while on <= last:
        heads = holder_ids(kb, "THA", "head_of_government", on)
        if len(heads) != 1:
            wrong.append((on.isoformat(), sorted(heads)))
        on += dt.timedelta(days=1)
    assert wrong == []


@pytest.mark.parametrize("date, acting", [("2022-09-10", "prawit-wongsuwan"), ("2024-08-15", "phumtham-wechayachai"),
                                          ("2025-07-02", "suriya-juangroongruangkit"),
                                          ("2025-08-01", "phumtham-wechayachai")])
def test_the_thai_prime_minister_during_a_suspension_is_the_acting_one(resolve, date, acting):
    text = "The Thai prime minister met Cambodian officials at the border."
    entity = resolved(resolve, text, date, "The Thai prime minister")
    assert (entity.kb_id, entity.country, entity.sector) == (acting, "THA", "GOV")


def test_suspended_thai_prime_minister_is_still_in_government_as_culture_minister(resolve):
    text = "Suspended Prime Minister Paetongtarn Shinawatra attended a cabinet meeting in Bangkok."
    entity = resolved(resolve, text, "2025-08-01", "Suspended Prime Minister Paetongtarn Shinawatra")
    assert (entity.kb_id, entity.sector, entity.office) == ("paetongtarn-shinawatra", "GOV", "Minister of Culture")


def test_bashir_is_president_not_sovereignty_council_chairman_and_former_after_2019(resolve):
    text = "Sudanese President Omar al-Bashir received the Egyptian envoy in Khartoum."
    in_office = resolved(resolve, text, "2016-01-10", "Sudanese President Omar al-Bashir")
    assert (in_office.kb_id, in_office.sector, in_office.office) == ("omar-al-bashir", "GOV", "President")
    after = resolved(resolve, text.replace("Sudanese President", "Former Sudanese President"), "2020-06-01",
                     "Former Sudanese President Omar al-Bashir")
    assert (after.kb_id, after.sector) == ("omar-al-bashir", "ELI")


def test_junta_chairman_governs_but_the_army_chief_title_stays_military(resolve):
    text = "Myanmar's junta chairman Min Aung Hlaing met Chinese envoys in Naypyidaw."
    chairman = resolved(resolve, text, "2021-04-24", "Myanmar's junta chairman Min Aung Hlaing")
    assert (chairman.kb_id, chairman.sector, chairman.office) == (
        "min-aung-hlaing", "GOV", "Chairman of the State Administration Council")
    text = "Army chief Min Aung Hlaing took control of the government."
    general = resolved(resolve, text, "2021-02-02", "Army chief Min Aung Hlaing")
    assert (general.kb_id, general.sector) == ("min-aung-hlaing", "MIL")


def test_a_king_who_is_also_prime_minister_answers_to_the_prime_ministers_title(resolve):
    text = "The Saudi prime minister received the American envoy in Riyadh."
    entity = resolved(resolve, text, "2010-05-01", "The Saudi prime minister")
    assert (entity.kb_id, entity.country, entity.sector) == ("king-abdullah-saudi", "SAU", "GOV")


def test_rajnath_singh_is_agriculture_minister_in_2003_and_defence_minister_in_2025(resolve):
    """The issue's example: a dictionary without dates codes him by his 2003-04 office forever."""
    text = "Rajnath Singh addressed farmers in Lucknow."
    then = resolved(resolve, text, "2003-11-10", "Rajnath Singh")
    now = resolved(resolve, text, "2025-02-06", "Rajnath Singh")
    assert (then.kb_id, then.sector, then.office) == ("rajnath-singh", "GOV", "Minister of Agriculture and Farmers' Welfare")
    assert (now.kb_id, now.office) == ("rajnath-singh", "Minister of Defence")
