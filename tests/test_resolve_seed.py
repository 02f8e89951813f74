"""The resolve component on the seed article and on short dated passages.

Entities are placed at the spans the roles component gives, so these tests check resolution
alone; the resolver scans raw text and needs no parse, so no spaCy model is loaded here.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tidings.document import TidingsDoc
from tidings.model import Article, Entity, Event, Evidence
from tidings.resolve import ResolveComponent, explain
from tidings.resolve.kb import load_kb


@pytest.fixture(scope="module")
def resolve():
    return ResolveComponent(load_kb())


def entity(text: str, phrase: str, after: str = "") -> Entity:
    start = text.index(phrase, text.index(after) if after else 0)
    return Entity(phrase, start, start + len(phrase))


def event(text: str, actors: list[Entity], recipients: list[Entity], event_type: str = "CONSULT") -> Event:
    first = min(e.start for e in actors + recipients)
    evidence = Evidence(sentence=text, start=0, end=len(text), trigger="x", trigger_start=first,
                        trigger_end=first + 1)
    return Event(article_id="t", event_type=event_type, evidence=evidence, actor=actors, recipient=recipients)


def run(resolve, text: str, date: str, *events: Event) -> TidingsDoc:
    doc = TidingsDoc(article=Article(id="t", date=dt.date.fromisoformat(date), text=text))
    doc.events = list(events)
    resolve(doc)
    return doc


def test_seed_consult_counterpart_is_hegseth(resolve, seed_text):
    singh = entity(seed_text, "Defence Minister Rajnath Singh")
    counterpart = entity(seed_text, "his American counterpart")
    run(resolve, seed_text, "2025-02-06", event(seed_text, [singh], [counterpart]))
    assert (singh.name, singh.country, singh.sector, singh.office) == (
        "Rajnath Singh", "IND", "GOV", "Minister of Defence")
    assert singh.provenance["country"] == "kb:rajnath-singh@2025-02-06"
    assert (counterpart.name, counterpart.kb_id, counterpart.country, counterpart.sector) == (
        "Pete Hegseth", "pete-hegseth", "USA", "GOV")
    assert counterpart.office == "Secretary of Defense"
    assert counterpart.provenance["name"].startswith("coref:counterpart:USA.defence")


def test_seed_modi_mentions_and_trump(resolve, seed_text):
    pm = entity(seed_text, "PM Modi")
    leader = entity(seed_text, "the Indian leader")
    potus = entity(seed_text, "The POTUS")
    trump = entity(seed_text, "Trump", after="PM Modi")
    run(resolve, seed_text, "2025-02-06", event(seed_text, [pm], [trump]), event(seed_text, [potus], [leader]))
    assert pm.kb_id == leader.kb_id == "narendra-modi"
    assert leader.name == "Narendra Modi" and leader.country == "IND" and leader.office == "Prime Minister"
    assert potus.kb_id == trump.kb_id == "donald-trump"
    assert potus.provenance["name"].startswith("coref:title:USA.head_of_state")


def test_seed_opposition_migrants_capital_and_jaishankar(resolve, seed_text):
    opposition = entity(seed_text, "Opposition leaders")
    migrants = entity(seed_text, "more than a hundred ‘illegal’ migrants")
    deporter = entity(seed_text, "the US", after="immigrants from")
    delhi = entity(seed_text, "New Delhi")
    jaishankar = entity(seed_text, "External Affairs Minister S Jaishankar")
    he = entity(seed_text, "He", after="New Delhi")
    run(resolve, seed_text, "2025-02-06", event(seed_text, [opposition], [], "ACCUSE"),
        event(seed_text, [deporter], [migrants], "COERCE"), event(seed_text, [delhi], []),
        event(seed_text, [jaishankar], []), event(seed_text, [he], []))
    assert (opposition.country, opposition.sector) == ("IND", "OPP")
    assert migrants.country == "IND" and migrants.sector in {"REF", "CVL"}
    assert (deporter.country, deporter.sector) == ("USA", "GOV")
    assert (delhi.country, delhi.sector) == ("IND", "GOV")
    assert delhi.provenance["country"] == "metonym:New Delhi"
    assert jaishankar.name == "S. Jaishankar" and jaishankar.office == "Minister of External Affairs"
    assert he.kb_id == "s-jaishankar" and he.provenance["name"] == "coref:pronoun:s-jaishankar"


def test_seed_mentions_cover_the_whole_article(resolve, seed_text):
    doc = run(resolve, seed_text, "2025-02-06")
    names = {m.kb_id for m in doc.mentions}
    # "Secretary Hegseth" sits in a quote; still a mention of the KB person.
    assert {"rajnath-singh", "narendra-modi", "donald-trump", "pete-hegseth", "s-jaishankar"} <= names


def test_former_prime_minister_keeps_person(resolve):
    text = "Prime Minister Sunak met business leaders in London."
    sunak = entity(text, "Prime Minister Sunak")
    run(resolve, text, "2025-03-01", event(text, [sunak], []))
    assert sunak.kb_id == "rishi-sunak" and sunak.country == "GBR"
    assert sunak.sector == "ELI" and sunak.office == "former Prime Minister"
    run(resolve, text, "2023-03-01", event(text, [sunak], []))
    assert sunak.sector == "GOV" and sunak.office == "Prime Minister"


def test_same_person_same_office_across_terms(resolve):
    text = "President Trump spoke to reporters."
    for date in ("2019-06-01", "2025-06-01"):
        trump = entity(text, "President Trump")
        run(resolve, text, date, event(text, [trump], []))
        assert (trump.kb_id, trump.office, trump.sector) == ("donald-trump", "President", "GOV")
    trump = entity(text, "President Trump")
    run(resolve, text, "2022-06-01", event(text, [trump], []))
    assert trump.kb_id == "donald-trump" and trump.sector == "ELI"


def test_title_alone_resolves_to_holder_on_date(resolve):
    text = "The British Foreign Secretary flew to Kyiv on Monday."
    fs = entity(text, "The British Foreign Secretary")
    run(resolve, text, "2019-01-10", event(text, [fs], []))
    assert fs.kb_id == "jeremy-hunt"
    run(resolve, text, "2025-01-10", event(text, [fs], []))
    assert fs.kb_id == "david-lammy"


def test_people_not_in_kb(resolve):
    text = "A Jordanian official said Foreign Minister Ali Example of Ruritania had not called."
    official = entity(text, "A Jordanian official")
    run(resolve, text, "2024-05-01", event(text, [official], []))
    assert (official.country, official.sector, official.kb_id) == ("JOR", "GOV", None)
    assert official.provenance["country"] == "nationality:Jordanian"
    text2 = "Pakistani Interior Minister Khalid Invented met Chinese diplomats."
    minister = entity(text2, "Pakistani Interior Minister Khalid Invented")
    diplomats = entity(text2, "Chinese diplomats")
    run(resolve, text2, "2024-05-01", event(text2, [minister], [diplomats]))
    assert (minister.name, minister.country, minister.sector, minister.kb_id) == (
        "Khalid Invented", "PAK", "GOV", None)
    assert (diplomats.country, diplomats.sector) == ("CHN", "GOV")


def test_organisations_and_parties_by_date(resolve):
    text = "The BJP and NATO issued statements; Labour Party officials stayed silent."
    bjp, nato = entity(text, "The BJP"), entity(text, "NATO")
    run(resolve, text, "2010-01-01", event(text, [bjp], [nato]))
    assert (bjp.country, bjp.sector) == ("IND", "OPP")
    assert (nato.country, nato.sector, nato.kb_id) == ("IGO", "GOV", "nato")
    run(resolve, text, "2020-01-01", event(text, [bjp], [nato]))
    assert bjp.sector == "GOV"


def test_pronoun_respects_gender(resolve):
    text = "Penny Wong met Richard Marles. She said the talks went well."
    she = entity(text, "She")
    run(resolve, text, "2024-01-01", event(text, [she], []))
    assert she.kb_id == "penny-wong"


def test_explain_lists_mentions():
    found = explain("Lavrov told Blinken that Moscow would respond.", dt.date(2022, 3, 1))
    by_text = {e.text: e for e in found}
    assert by_text["Lavrov"].kb_id == "sergey-lavrov"
    assert by_text["Blinken"].office == "Secretary of State"
    assert by_text["Moscow"].country == "RUS"


def test_group_nouns_are_heads(resolve):
    text = "Supporters of President Donald Trump stormed the building. Protesters against Temer marched."
    supporters = entity(text, "Supporters of President Donald Trump")
    protesters = entity(text, "Protesters against Temer")
    run(resolve, text, "2021-01-07", event(text, [supporters], []), event(text, [protesters], []))
    assert (supporters.sector, supporters.kb_id) == ("CVL", None)
    assert protesters.sector == "CVL" and protesters.kb_id is None


def test_object_pronoun_skips_its_clause_subject(resolve):
    text = ("French President Emmanuel Macron spoke first, and Turkish President Recep Tayyip Erdogan "
            "criticised him. Obama called Modi to congratulate him.")
    him = entity(text, "him")
    him2 = entity(text, "him", after="congratulate")
    run(resolve, text, "2019-12-05", event(text, [him], []), event(text, [him2], []))
    assert him.kb_id == "emmanuel-macron"
    assert him2.kb_id == "narendra-modi"


def test_plural_and_neuter_pronouns_find_groups(resolve):
    text = ("Opposition lawmakers walked out of parliament in Islamabad. They accused the government. "
            "The European Union approved sanctions on Russia. It also sent ammunition.")
    lawmakers, they = entity(text, "Opposition lawmakers"), entity(text, "They")
    eu, it = entity(text, "The European Union"), entity(text, "It")
    run(resolve, text, "2024-03-14", event(text, [lawmakers], []), event(text, [they], []),
        event(text, [eu], []), event(text, [it], []))
    assert (they.country, they.sector) == ("PAK", "OPP")
    assert (it.country, it.kb_id) == ("EUR", "eu")


def test_unknown_people_are_linked_by_family_name(resolve):
    text = ("Army chief Ali Examplename spoke in Khartoum. RSF commander Mohamed Dagalo "
            "accused Examplename of starting the war.")
    burhan, dagalo = entity(text, "Army chief Ali Examplename"), entity(text, "RSF commander Mohamed Dagalo")
    again = entity(text, "Examplename", after="accused")
    run(resolve, text, "2023-04-16", event(text, [burhan], []), event(text, [dagalo], [again]))
    assert dagalo.kb_id is None and (dagalo.country, dagalo.sector) == ("SDN", "REB")
    assert again.sector == "MIL" and again.provenance["sector"] == "coref:name"


def test_resolved_toponym_gives_country(resolve):
    from tidings.model import Location, Place

    text = "Police in Examplestan City dispersed the crowd."
    police = entity(text, "Police in Examplestan City")
    doc = TidingsDoc(article=Article(id="t", date=dt.date(2024, 1, 1), text=text))
    start = text.index("Examplestan City")
    doc.places = [Place("Examplestan City", start, start + 16,
                        Location("Examplestan City", "Examplestan City", None, None, None, None, "KEN", "PPL", "city"))]
    doc.events = [event(text, [police], [])]
    resolve(doc)
    assert (police.country, police.sector) == ("KEN", "COP")
