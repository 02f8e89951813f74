"""The weak PLOVER types (CONCEDE, RETREAT, COERCE, AID, PROTEST, REQUEST) through the
default pipeline, prefilter on: an entry whose words never mark a sentence for parsing
codes nothing in production even though it matches a parse.

Sentences are written for these tests (not taken from any labelled set)."""
from __future__ import annotations

import datetime as dt

import pytest

from tidings.model import Article
from tidings.pipeline import default_pipeline

CASES = [
    # "on" and "off" in the YAML word lists (YAML 1.1 would read them as booleans)
    ("The opposition called on the president to resign.", "REQUEST", None),
    ("The teachers' union called off its walkout after the government raised salaries.",
     "CONCEDE", None),
    # entries made only of common words reach the parser through their stand-in words
    ("The minister stepped down amid a corruption scandal.", "RETREAT", "resign"),
    ("The insurgents handed over their weapons to the army.", "RETREAT", "disarm"),
    ("The kidnappers set free the two aid workers on Sunday.", "RETREAT", "release"),
    ("Police searched the homes of five opposition activists.", "COERCE", "seize"),
    ("The authorities shut down two independent newspapers.", "COERCE", "censor"),
    ("Thousands took to the streets of Khartoum on Friday.", "PROTEST", "demo"),
    ("Farmers blocked access to the port with their tractors.", "PROTEST", "obstruct"),
    # workers leaving their posts
    ("Nurses walked off the job at three hospitals in Lagos.", "PROTEST", "strike"),
    ("Bus drivers walked out on Monday over unpaid wages.", "PROTEST", "strike"),
    ("Miners downed tools at the copper mine over unpaid wages.", "PROTEST", "strike"),
    # PLOVER: raiding premises is COERCE seize; a crowd protesting is demonstrating
    ("Police raided the offices of the independent newspaper.", "COERCE", "seize"),
    ("Thousands of farmers protested against the new tax in Paris.", "PROTEST", "demo"),
    ("The foreign ministry protested to the ambassador over the remarks.", "ACCUSE",
     "disapprove"),
    # concessions and retreats in their common wordings
    ("The government scrapped the controversial fuel tax after protests.", "CONCEDE", None),
    ("The militia freed the kidnapped engineers.", "RETREAT", "release"),
    ("Israel reopened the crossing into Gaza on Sunday.", "RETREAT", "access"),
    ("The rebels pulled back from the hills around the city.", "RETREAT", "withdraw"),
    ("Kenya pressed Uganda to release the detained activists.", "REQUEST", "yield"),
    # aid measured in tonnes or as credit reaches the parser
    ("The island received 300 tonnes of food from the European Union.", "AID", None),
    ("China extended a $1 billion credit line to Sri Lanka.", "AID", None),
    # PLOVER: shutting off the internet withholds a service; pushing back crowds restricts
    ("Authorities shut down the internet in the province ahead of the vote.", "COERCE",
     "withhold"),
    ("The regime imposed an internet blackout across the country.", "COERCE", "withhold"),
    ("Riot police pushed back the protesters from the parliament gates.", "COERCE", "restrict"),
    # PLOVER: rescuers freeing hostages aid them; captors freeing captives retreat
    ("Commandos freed three hostages held by the gang.", "AID", None),
    ("The rebels freed the kidnapped engineers on Tuesday.", "RETREAT", "release"),
    ("The chief of police accepted responsibility for the failures.", "CONCEDE", None),
    ("The government reversed its decision to close the schools.", "CONCEDE", None),
    ("Israel ended its occupation of the southern strip.", "RETREAT", "withdraw"),
    ("The rebel group disbanded its armed wing.", "RETREAT", "disarm"),
    ("Protesters clashed with police outside the ministry.", "PROTEST", "riot"),
    ("Canada sent 300 firefighters to help Australia battle the blazes.", "AID", None),
    ("Police removed the activists from the runway at the airport.", "COERCE", "restrict"),
    ("The ruling party spread doctored photos of the opposition candidate.", "COERCE",
     "misinformation"),
    ("The government backed down after a week of mass strikes.", "CONCEDE", None),
    ("The ministry caved in to the demands of the truckers.", "CONCEDE", None),
    ("The government agreed to the demands of the striking doctors.", "CONCEDE", None),
    ("The junta unbanned the main opposition party ahead of the vote.", "CONCEDE", None),
    ("Iran released the seized British tanker on Friday.", "RETREAT", "release"),
    ("The regulator revoked the licence of the independent television channel.", "COERCE",
     "censor"),
    ("Authorities withdrew the accreditation of two foreign correspondents.", "COERCE",
     "censor"),
    ("Italy sent back 300 migrants to Libya last week.", "COERCE", "deport"),
    ("Protesters pelted police with stones in the capital.", "PROTEST", "riot"),
    ("The union renewed its demand for a pay rise.", "REQUEST", None),
    ("Doctors went on strike across the country on Monday.", "PROTEST", "strike"),
    ("Workers went on strike against the pension reform.", "PROTEST", "strike"),
    ("Hamas handed over the bodies of four hostages to the Red Cross.", "RETREAT", "release"),
    ("The government declared a state of emergency in the region.", "COERCE", "martial-law"),
    ("Baghdad received a team of UN weapons inspectors on Monday.", "RETREAT", "access"),
    ("Rebels returned control of the airport to the government.", "RETREAT", None),
    ("Israeli troops left the West Bank town of Jenin on Thursday.", "RETREAT", "withdraw"),
    ("The Red Cross distributed food to the displaced families.", "AID", None),
    ("The government compensated the victims' families.", "AID", None),
    ("State media spread fabricated videos about the opposition.", "COERCE", "misinformation"),
    ("Climate activists sprayed orange paint on the parliament building.", "PROTEST",
     "vandalize"),
    ("Israel allowed foreign doctors into Gaza through the Rafah crossing.", "RETREAT",
     "access"),
    # an authority blocking access: censorship for media, withholding for services
    ("The regime blocked access to Twitter.", "COERCE", "censor"),
    ("The government restricted internet access in the province.", "COERCE", "withhold"),
    ("The army blocked access to the city for journalists.", "COERCE", "restrict"),
    ("Israel denied access to the foreign journalists.", "REJECT", "assist"),
]

# Wordings that look like a weak type but are not it.
NOT_CASES = [
    # leaving a treaty reduces relations (SANCTION), it is no military retreat
    ("The United States announced its withdrawal from the climate treaty.", "RETREAT"),
    # "in a referendum" is no particle: backing a deal is no climbdown
    ("Voters backed the constitutional change in a referendum.", "CONCEDE"),
    # a convoy is aid only when it says so
    ("A convoy of armoured vehicles from Chad entered the town on Monday.", "AID"),
    # negotiators keep their own talks quiet; only a cut-off service is withheld
    ("The two delegations imposed a news blackout on the talks in Geneva.", "COERCE"),
    # a regulator blocking a site is no protest, whatever else it is
    ("The telecoms regulator blocked access to the messaging app on Tuesday.", "PROTEST"),
    # agreeing to a plan is agreement; only agreeing to someone's demands is a concession
    ("The government agreed to the plan for a new port.", "CONCEDE"),
    # a request given as the reason for an act is no new request
    ("Canada admitted 500 refugees at the request of the UN refugee agency.", "REQUEST"),
    # seeking safety asks nobody for anything
    ("Thousands sought shelter in schools as the storm approached.", "REQUEST"),
    # air and missile strikes are no labour action
    ("Israel launched strikes against Hezbollah positions.", "PROTEST"),
    ("The regime blocked access to Twitter.", "PROTEST"),
    # leaving for somewhere is no withdrawal; regaining control is no retreat
    ("The soldiers left the base for a patrol.", "RETREAT"),
    ("The army restored control over the city.", "RETREAT"),
    # receiving inspectors lets them in; it is no aid
    ("Baghdad received a team of UN weapons inspectors on Monday.", "AID"),
    # painting a picture is a figure of speech; only crowds and activists vandalise
    ("The government painted a grim picture of the economy.", "PROTEST"),
]


@pytest.fixture(scope="module")
def coded():
    pipeline = default_pipeline()
    articles = [Article(id=f"weak-{i}", date=dt.date(2024, 3, 5), text=text)
                for i, (text, _, _) in enumerate(CASES)]
    return {doc.article.id: doc.events for doc in pipeline.process(articles)}


@pytest.mark.parametrize("index", range(len(CASES)))
def test_weak_type_is_coded_with_prefilter_on(coded, index):
    text, event_type, mode = CASES[index]
    kinds = [(e.event_type, e.mode) for e in coded[f"weak-{index}"]]
    assert (event_type, mode) in kinds, (text, kinds)



@pytest.fixture(scope="module")
def coded_not():
    pipeline = default_pipeline()
    articles = [Article(id=f"not-{i}", date=dt.date(2024, 3, 5), text=text)
                for i, (text, _) in enumerate(NOT_CASES)]
    return {doc.article.id: doc.events for doc in pipeline.process(articles)}


@pytest.mark.parametrize("index", range(len(NOT_CASES)))
def test_lookalike_is_not_the_weak_type(coded_not, index):
    text, event_type = NOT_CASES[index]
    types = [e.event_type for e in coded_not[f"not-{index}"]]
    assert event_type not in types, (text, types)



WEAK_FILES = ["concede", "retreat", "coerce", "aid", "protest", "request"]


def _booleans(node, path="") -> list[str]:
    """Paths of every boolean inside a list: a bare on/off/yes/no that YAML 1.1 misread."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _booleans(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, bool):
                found.append(f"{path}[{i}]={value}")
            else:
                found += _booleans(value, f"{path}[{i}]")
    return found


@pytest.mark.parametrize("name", WEAK_FILES)
def test_no_word_list_of_the_weak_types_holds_a_yaml_boolean(name):
    """YAML 1.1 reads bare on/off/yes/no/false as booleans; quote such words."""
    from importlib import resources

    import yaml

    text = resources.files("tidings.data").joinpath("lexicon").joinpath(f"{name}.yaml").read_text("utf-8")
    assert _booleans(yaml.safe_load(text)) == []
