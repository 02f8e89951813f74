"""Property tests: the resolver takes any article text and any spans without failing."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.document import TidingsDoc
from tidings.model import Article, Entity, Event, Evidence, Location, Place
from tidings.resolve import ResolveComponent
from tidings.resolve.kb import load_kb
from tidings.resolve.kb import SECTOR_CODES

COMPONENT = ResolveComponent(load_kb())
WORDS = st.sampled_from(["Modi", "Singh", "the", "US", "President", "he", "they", "it", "Indian", "migrants",
                         "Opposition", "leaders", "Washington", "counterpart", "his", "American", "of",
                         "Supporters", "al-", "Kremlin", "'s", "former", "PM", ",", ".", "\n", "Hamas",
                         "police", "Xi", "Han", "Von", "der", "Leyen", "Secretary", "General",
                         # the country-class rules: owners, locations, bodies, homonyms
                         "in", "near", "at", "on", "town", "northern", "gunmen", "rebels", "Leaders", "G20",
                         "International", "World", "Forum", "Network", "rights", "groups", "Republican", "Party",
                         "Colombian", "Defence", "Minister", "Pedro", "Sánchez", "Niger", "Delta", "Nigeria"])
TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=60).map(" ".join))


@settings(max_examples=150, deadline=None)
@given(TEXT, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
       st.lists(st.tuples(st.integers(0, 300), st.integers(0, 60)), max_size=6))
def test_any_text_and_spans_resolve_without_error(text, day, spans):
    entities = []
    for start, length in spans:
        start = min(start, len(text))
        end = min(len(text), start + length)
        entities.append(Entity(text[start:end], start, end))
    doc = TidingsDoc(article=Article(id="p", date=day, text=text))
    if entities:
        evidence = Evidence(text, 0, len(text), "", 0, 0)
        doc.events = [Event(article_id="p", event_type="CONSULT", evidence=evidence,
                            actor=entities[:1], recipient=entities[1:])]
    COMPONENT(doc)
    for entity in entities + doc.mentions:
        assert entity.sector is None or entity.sector in SECTOR_CODES
        assert entity.country is None or (len(entity.country) == 3 and entity.country.isupper())
        assert set(entity.provenance) <= {"name", "kb_id", "wikidata", "country", "sector", "office"}


@settings(max_examples=100, deadline=None)
@given(TEXT, st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40),
                                st.sampled_from(["NGA", "USA", "PRT", None])), max_size=4),
       st.lists(st.tuples(st.integers(0, 300), st.integers(0, 60)), max_size=4))
def test_any_toponyms_from_the_places_component_resolve_without_error(text, places, spans):
    doc = TidingsDoc(article=Article(id="p", date=dt.date(2020, 1, 1), text=text))
    for start, length, country in places:
        start = min(start, len(text))
        end = min(len(text), start + length)
        location = Location(text[start:end], text[start:end], None, None, None, None, country, None, "city")
        doc.places.append(Place(text[start:end], start, end, location))
    entities = [Entity(text[min(a, len(text)):min(len(text), a + n)], min(a, len(text)), min(len(text), a + n))
                for a, n in spans]
    if entities:
        evidence = Evidence(text, 0, len(text), "", 0, 0)
        doc.events = [Event(article_id="p", event_type="ASSAULT", evidence=evidence, actor=entities)]
    COMPONENT(doc)
    for entity in entities:
        assert entity.country is None or (len(entity.country) == 3 and entity.country.isupper())
