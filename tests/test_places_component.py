"""The places component on whole parsed articles: resolution, metonymy, event locations."""
from __future__ import annotations

import pytest

from tidings.extract.places import make_places
from tidings.model import Event, Evidence


@pytest.fixture(scope="module")
def places():
    return make_places({})


def attach_event(doc, trigger_word: str, event_type: str = "CONSULT") -> Event:
    """An event whose trigger head is the first token `trigger_word` of the article."""
    for sent in doc.parsed():
        for token in sent.doc:
            if token.text == trigger_word:
                start, end = sent.span_offsets(token, token)
                evidence = Evidence(sent.text, sent.start, sent.end, token.text, start, end)
                event = Event(article_id=doc.article.id, event_type=event_type,
                              evidence=evidence, sentence_index=sent.index,
                              trigger_head=token.i)
                doc.events.append(event)
                return event
    raise AssertionError(f"no token {trigger_word!r}")


def place_named(doc, text: str):
    matches = [p for p in doc.places if p.text == text]
    assert matches, f"{text!r} not found among {[p.text for p in doc.places]}"
    return matches[0]


def test_seed_landing_is_located_in_amritsar(make_doc, seed_text, places):
    doc = make_doc(seed_text)
    event = attach_event(doc, "unshackled", "COERCE")
    places(doc)
    loc = event.location
    assert loc is not None and loc.name == "Amritsar"
    assert (loc.admin1, loc.country, loc.precision) == ("Punjab", "IND", "city")
    assert loc.lat == pytest.approx(31.63, abs=0.05) and loc.lon == pytest.approx(74.87, abs=0.05)
    assert event.provenance["location"].startswith("places:in-")


def test_seed_visit_to_washington_is_the_capital(make_doc, seed_text, places):
    doc = make_doc(seed_text)
    visit = attach_event(doc, "visit")
    meeting = attach_event(doc, "meetings")
    places(doc)
    for event in (visit, meeting):
        loc = event.location
        assert loc is not None and loc.country == "USA" and loc.feature_code == "PPLC"
        assert loc.lat == pytest.approx(38.9, abs=0.05) and loc.lon == pytest.approx(-77.04, abs=0.05)
    assert visit.provenance["location"] == "places:object-of-trigger"


def test_seed_new_delhi_engaging_is_a_metonym_not_a_location(make_doc, seed_text, places):
    doc = make_doc(seed_text)
    event = attach_event(doc, "engaging")
    places(doc)
    delhi = place_named(doc, "New Delhi")
    assert delhi.role == "metonym" and "metonym:nsubj" in delhi.rule
    assert delhi.location is not None and delhi.location.country == "IND"
    assert event.location is None or event.location.name != "New Delhi"


@pytest.mark.parametrize("text, country, admin1", [
    ("Georgia accused Russia of moving border fences deeper into its territory. Officials in "
     "Tbilisi said Russian troops had crossed near South Ossetia, and Armenia called for calm.",
     "GEO", None),
    ("Storms hit Georgia on Monday. In Atlanta and Savannah, thousands lost power, and the "
     "governor of Georgia asked residents of Macon to stay home.", "USA", "Georgia"),
])
def test_georgia_follows_the_story(make_doc, places, text, country, admin1):
    doc = make_doc(text)
    places(doc)
    georgia = place_named(doc, "Georgia").location
    assert georgia is not None and georgia.country == country and georgia.admin1 == admin1


def test_admin_mention_picks_the_right_punjab(make_doc, places):
    doc = make_doc("Farmers marched in Lahore, Punjab, against the new tax on Tuesday.")
    places(doc)
    assert place_named(doc, "Punjab").location.country == "PAK"
    doc = make_doc("Farmers marched in Ludhiana, Punjab, against the new tax on Tuesday.")
    places(doc)
    assert place_named(doc, "Punjab").location.country == "IND"


def test_talks_in_a_city_locate_the_event(make_doc, places):
    doc = make_doc("Foreign ministers held talks in Riyadh on Sunday about the ceasefire.")
    event = attach_event(doc, "talks")
    places(doc)
    assert event.location.name == "Riyadh" and event.location.country == "SAU"


def test_origin_is_not_a_location(make_doc, places):
    doc = make_doc("Officials criticised the deportation of migrants from Mexico.")
    event = attach_event(doc, "criticised", "ACCUSE")
    places(doc)
    assert event.location is None


def test_unresolvable_places_are_kept_and_do_not_crash(make_doc, places):
    doc = make_doc("Rebels attacked Xqzorvillebrook and Plimtonshire Glade in Kenya on Friday.")
    event = attach_event(doc, "attacked", "ASSAULT")
    places(doc)
    assert any(p.location is None for p in doc.places) or doc.places
    assert all(p.location is None or p.location.lat is not None for p in doc.places)
    assert event.location is None or event.location.country == "KEN"


def test_events_with_bad_indices_are_left_alone(make_doc, places):
    doc = make_doc("Troops entered Kabul.")
    event = attach_event(doc, "entered", "MOBILIZE")
    event.trigger_head = 999
    broken = attach_event(doc, "entered", "MOBILIZE")
    broken.sentence_index = 42
    places(doc)
    assert event.location is None and broken.location is None


def test_unparsed_sentences_still_yield_places(places):
    import datetime as dt

    from tidings.document import TidingsDoc
    from tidings.model import Article
    from tidings.nlp import NlpStage

    doc = TidingsDoc(Article(id="t", date=dt.date(2025, 2, 6),
                             text="The delegation flew from Nairobi to Kampala last week."))
    NlpStage().annotate([doc], terms=set())  # no sentence is a candidate: nothing parsed
    places(doc)
    assert {p.location.name for p in doc.places if p.location} >= {"Nairobi", "Kampala"}
    assert all(p.rule.startswith("gazetteer:text") for p in doc.places)


def test_demonyms_are_kept_as_demonyms_and_never_locate_events(make_doc, places):
    doc = make_doc("Indian officials met Kenyan ministers in Nairobi on Monday.")
    event = attach_event(doc, "met")
    places(doc)
    indian = place_named(doc, "Indian")
    assert indian.role == "demonym" and indian.location.country == "IND"
    assert event.location.name == "Nairobi"
    assert [p.start for p in doc.places] == sorted(p.start for p in doc.places)


def test_a_retold_event_carries_the_earlier_location(make_doc, places):
    from tidings.model import Entity

    doc = make_doc("Modi will visit Washington next week and hold meetings with Trump. "
                   "Officials said Modi is likely to meet Trump on February 13. "
                   "Separately, Modi criticised Trump over tariffs.")
    first = attach_event(doc, "meetings", "AGREE")
    retold = attach_event(doc, "meet", "AGREE")
    other = attach_event(doc, "criticised", "ACCUSE")
    for event in (first, retold, other):
        event.actor = [Entity("Modi", 0, 4)]
        event.recipient = [Entity("Trump", 0, 5)]
    places(doc)
    assert first.location.name == "Washington"
    assert retold.location is first.location
    assert retold.provenance["location"].startswith("places:carried-over-from-sentence-")
    assert other.location is None  # another kind of event is not the same event retold


def test_a_guessed_place_never_locates_an_event(make_doc, places):
    doc = make_doc("Police in Nairobi said protesters gathered at Uhuru Park on Monday.")
    event = attach_event(doc, "gathered", "PROTEST")
    places(doc)
    lane = [p for p in doc.places if p.text == "Uhuru Park"]
    assert lane and lane[0].rule.endswith("gazetteer:article-fallback")
    assert event.location is None


def _with_participants(event: Event, actor: str, recipient: str) -> Event:
    from tidings.model import Entity

    event.actor = [Entity(actor, 0, len(actor))] if actor else []
    event.recipient = [Entity(recipient, 0, len(recipient))] if recipient else []
    return event


def test_a_deportation_takes_the_landing_told_in_the_next_sentence(make_doc, places):
    doc = make_doc("Rights groups condemned the deportation of 80 Nigerian workers from Libya. "
                   "The returnees said they were kept in handcuffs until they landed in Lagos.")
    event = _with_participants(attach_event(doc, "deportation", "COERCE"), "", "80 Nigerian "
                               "workers")
    event.mode = "deport"
    places(doc)
    assert event.location is not None and event.location.name == "Lagos"
    assert event.location.country == "NGA"
    assert event.provenance["location"] == "places:arrival-in-following-sentence"


def test_a_visit_takes_the_arrival_of_its_visitor(make_doc, places):
    doc = make_doc("The Kenyan president began a three-day visit on Sunday. "
                   "The president arrived in Nairobi with a large delegation.")
    event = _with_participants(attach_event(doc, "visit"), "The Kenyan president", "")
    event.mode = "visit"
    places(doc)
    assert event.location is not None and event.location.name == "Nairobi"
    assert event.provenance["location"] == "places:arrival-in-following-sentence"


@pytest.mark.parametrize("follow_up", [
    "Separately, a cargo plane landed in Lagos after a storm.",  # not about the deportees
    "Officials met on Monday.\n\nThe returnees landed in Lagos.",  # another paragraph
    "Officials met on Monday. Ministers spoke on Tuesday. The returnees landed in Lagos.",
])
def test_an_arrival_elsewhere_in_the_article_does_not_locate_it(make_doc, places, follow_up):
    doc = make_doc("Rights groups condemned the deportation of 80 workers from Libya. "
                   + follow_up)
    event = _with_participants(attach_event(doc, "deportation", "COERCE"), "", "80 workers")
    event.mode = "deport"
    places(doc)
    assert event.location is None


def test_only_journeys_take_an_end_point(make_doc, places):
    doc = make_doc("Opposition leaders condemned the minister on Monday. "
                   "They landed in Lagos the next day.")
    event = _with_participants(attach_event(doc, "condemned", "ACCUSE"), "Opposition leaders",
                               "the minister")
    places(doc)
    assert event.location is None


def test_an_unparsed_follow_up_sentence_is_read_as_text(make_doc, places):
    doc = make_doc("Rights groups condemned the deportation of 80 workers from Libya. "
                   "The deportees were flown to Lagos overnight.")
    event = _with_participants(attach_event(doc, "deportation", "COERCE"), "", "80 workers")
    event.mode = "deport"
    doc.sentences[1].doc = None  # as the prefilter leaves most sentences
    places(doc)
    assert event.location is not None and event.location.name == "Lagos"


def test_a_region_that_is_a_persons_surname_is_not_a_place(make_doc, places):
    doc = make_doc("The singer Carla Miranda thanked fans in Caracas on Sunday. "
                   "Miranda said she would return to Jordan in May.")
    places(doc)
    texts = [p.text for p in doc.places]
    assert "Caracas" in texts and "Jordan" in texts  # a country stays, surname or not
    assert "Miranda" not in texts


def test_gazetteer_names_replace_a_tagged_span_that_cuts_or_merges_them(make_doc, places):
    from tidings.extract.places import FoundToponym

    doc = make_doc("Ministers from Trinidad and Tobago flew to Lagos.")
    sent = doc.sentences[0]
    start = doc.text.index("Trinidad")
    cut = FoundToponym(start, start + len("Trinidad"), "Trinidad", sent, "ner:GPE")
    matches = [(start, start + len("Trinidad and Tobago"), "Trinidad and Tobago")]
    assert places._gazetteer_spans_for(cut, matches) == [
        (*matches[0], "gazetteer:extends-entity")]
    doc = make_doc("Leaders of Greece Italy and Spain met in Rome.")
    sent = doc.sentences[0]
    start = doc.text.index("Greece")
    merged = FoundToponym(start, start + len("Greece Italy"), "Greece Italy", sent, "ner:GPE")
    matches = [(start, start + 6, "Greece"), (start + 7, start + 12, "Italy")]
    assert [m[2] for m in places._gazetteer_spans_for(merged, matches)] == ["Greece", "Italy"]
    # Two names run together that are not both countries stay one tagged span.
    start = doc.text.index("Rome") - 3
    assert places._gazetteer_spans_for(
        FoundToponym(start, start + 7, "in Rome", sent, "ner:GPE"),
        [(start + 3, start + 7, "Rome")]) == []
