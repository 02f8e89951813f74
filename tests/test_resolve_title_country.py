"""A country word in a mention's own title beats a KB homonym from another country (issue 4):
"<demonym> <office> <name>" keeps the name and takes country and sector from the title."""
from __future__ import annotations

import datetime as dt

import pytest

from tidings.resolve import explain
from tidings.resolve.kb import load_kb

DAY = dt.date(2025, 6, 10)


def resolve_span(text: str, span: str, day: dt.date = DAY):
    start = text.index(span)
    return explain(text, day, (start, start + len(span)))[0]


def test_colombian_defence_minister_is_not_spains_prime_minister():
    entity = resolve_span("Colombian Defence Minister Pedro Sánchez visited troops in Cauca on Monday.",
                          "Colombian Defence Minister Pedro Sánchez")
    assert (entity.name, entity.country, entity.sector) == ("Pedro Sánchez", "COL", "GOV")
    assert entity.office and "efen" in entity.office
    if entity.kb_id is not None:  # only a KB entry for a Colombian of that name may be linked
        assert load_kb().people[entity.kb_id].country == "COL"


@pytest.mark.parametrize("text, span, country, office_word", [
    ("Chilean Interior Minister Pedro Sánchez ordered the border closed.",
     "Chilean Interior Minister Pedro Sánchez", "CHL", "nterior"),
    ("Kenyan Finance Minister Emmanuel Macron presented the budget to parliament.",
     "Kenyan Finance Minister Emmanuel Macron", "KEN", "Treasury"),  # Kenya's own title
    ("Peruvian Foreign Minister Narendra Modi summoned the envoy.",
     "Peruvian Foreign Minister Narendra Modi", "PER", "oreign"),
])
def test_any_demonym_and_office_before_a_foreign_homonym(text, span, country, office_word):
    entity = resolve_span(text, span)
    assert entity.country == country and entity.sector == "GOV"
    assert entity.kb_id is None
    assert office_word in (entity.office or "")
    assert entity.provenance["name"] == "text:proper-name"


def test_a_surname_under_a_foreign_title_is_not_the_only_kb_holder():
    entity = resolve_span("Colombian Defence Minister Modi inspected the base.", "Colombian Defence Minister Modi")
    assert (entity.country, entity.sector, entity.kb_id) == ("COL", "GOV", None)


@pytest.mark.parametrize("text, span, kb_id", [
    ("Spanish Prime Minister Pedro Sánchez addressed parliament.", "Spanish Prime Minister Pedro Sánchez",
     "pedro-sanchez"),
    ("Indian Prime Minister Narendra Modi addressed parliament.", "Indian Prime Minister Narendra Modi",
     "narendra-modi"),
    ("Prime Minister Pedro Sánchez addressed parliament.", "Prime Minister Pedro Sánchez", "pedro-sanchez"),
])
def test_a_matching_or_absent_title_country_keeps_the_kb_person(text, span, kb_id):
    assert resolve_span(text, span).kb_id == kb_id


def test_nationality_without_a_title_does_not_unlink_the_name():
    # "Spanish-born" style wording: no office in the span, so the name still decides.
    entity = resolve_span("French admirers of Narendra Modi gathered in Paris.", "Narendra Modi")
    assert entity.kb_id == "narendra-modi"


@pytest.fixture()
def overlay(tmp_path):
    """A KB overlay with one person the KB knows by name and country only, holding no office."""
    path = tmp_path / "people-test.yaml"
    path.write_text("version: 1\npeople:\n"
                    "- {id: test-amara-okafor, name: Amara Okafor, country: NGA, gender: f}\n", "utf-8")
    return (str(path),)


@pytest.mark.parametrize("text, span, sector", [
    ("Defence Minister Amara Okafor toured the barracks.", "Defence Minister Amara Okafor", "GOV"),
    ("Opposition leader Amara Okafor toured the barracks.", "Opposition leader Amara Okafor", "OPP"),
    ("Former defence minister Amara Okafor toured the barracks.", "Former defence minister Amara Okafor", "ELI"),
])
def test_a_kb_person_without_an_office_on_the_date_takes_the_sector_of_the_title(overlay, text, span, sector):
    start = text.index(span)
    (entity,) = explain(text, DAY, (start, start + len(span)), extra_files=overlay)
    assert (entity.kb_id, entity.country, entity.sector) == ("test-amara-okafor", "NGA", sector)


def test_a_toponym_in_the_title_does_not_unlink_a_kb_person(overlay):
    # A place the places component resolved is weaker evidence than a nationality word: the
    # mention keeps its KB person even when the place's country differs from theirs.
    from tidings.model import Location, Place
    from tidings.resolve import ResolveComponent
    from tidings.resolve.kb import load_kb
    from tidings.resolve.resolver import ArticleContext

    text = "Riverside Defence Minister Amara Okafor opened the bridge."
    comp = ResolveComponent(load_kb(overlay))
    place = Place(text="Riverside", start=0, end=9, location=Location(
        text="Riverside", name="Riverside", geonameid=None, lat=None, lon=None, admin1=None, country="PRT",
        feature_code=None, precision="city"))
    ctx = ArticleContext(comp.resolver, text, DAY, [place])
    ident = comp.resolver.resolve(0, text.index(" opened"), ctx)
    assert ident.kb_id == "test-amara-okafor"


@pytest.mark.parametrize("text", [
    "Chilean Interior Minister Pedro Sánchez visited Arica on Monday. Sánchez said patrols would double.",
    "Chile's interior minister Pedro Sánchez visited Arica on Monday. Sánchez said patrols would double.",
])
def test_the_family_name_of_a_titled_homonym_stays_with_that_person(text):
    start = text.rindex("Sánchez")
    (entity,) = explain(text, DAY, (start, start + len("Sánchez")))
    assert (entity.country, entity.sector, entity.kb_id) == ("CHL", "GOV", None)
    assert entity.provenance["country"] == "coref:name"


def test_the_family_name_of_the_kb_person_still_links_to_them():
    text = "Spanish Prime Minister Pedro Sánchez visited Seville. Sánchez said the budget would pass."
    start = text.rindex("Sánchez")
    (entity,) = explain(text, DAY, (start, start + len("Sánchez")))
    assert entity.kb_id == "pedro-sanchez"
