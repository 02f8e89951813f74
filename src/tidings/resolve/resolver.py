"""Who an actor span is, on the article's date: rules over the KB, with article-wide coreference.

Why rules and not a coreference model: no neural coreference model installs offline here.
xrenner 2.2.1.1 (rule-based, run on CoNLL-U from the spaCy parse of the whole seed article,
measured 2026-12-01 on this machine) took 17 s to start and 1.06 s per article, needs every
sentence parsed (tidings parses only candidate ones), and chains mentions without knowing
offices: it cannot say that "his American counterpart" is the US defence secretary, and it left
"the Indian leader", "The POTUS" and "Secretary Hegseth" out of the Modi, Trump and Hegseth
chains. The cases that matter for event actors are few and regular (full names, family names,
titles alone, role descriptions, pronouns), and rules over a whole-article scan of KB names
handle them in a few milliseconds an article.

Each rule leaves its name in `Entity.provenance`, so every identity can be explained:
  kb:<person>@<date>             a KB name in the span, resolved on the date
  coref:short:<person>@<date>    a family name or short name linked to a person of the article
  coref:title:<office>@<date>    a title alone ("the POTUS") -> the holder on the date
  coref:counterpart:<office>@<date>  "his American counterpart" -> the holder of the partner's office
  coref:pronoun:<person>         a pronoun -> the nearest preceding compatible person
  kb:office:<office>             sector and office from the office held
  title:<phrase> / nationality:<word> / country:<name> / metonym:<name> / org:<id> / role:<word>
  context:article-country        a domestic role word given the article's main country
  origin:<rule>                  migrants and refugees given their country of origin
  government-of:<person>         "the Bush administration" -> that leader's country's government
  kb:surname:<people>            a family name every KB holder of which shares one country
  org-member:<org> / appositive:org-member:<org>  an official of an organisation named beside them
  residence:<place>              a group coded where it lives or acts ("ethnic Turks in south Serbia", "gunmen in Nigeria")
  location:<place>               an unnamed domestic group, coded where its sentence puts it (data/resolve.yaml)
  of-owner:<rule>                "leaders of the G20": a role noun's country (and, for government words, sector)
                                 from the organisation or country its "of" phrase names
  name:international-body:<head> a name the KB lacks, like "the Third World Water Forum": PLOVER NGO
  title:<phrase> on a KB name    a titled person the KB knows only abroad ("Colombian Defence Minister Pedro
                                 Sánchez" when the KB's Pedro Sánchez is Spain's): the title's country, no kb_id
"""
from __future__ import annotations

import bisect
from importlib import resources
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

import yaml

from tidings.errors import ConfigError
from tidings.model import Entity, Place
from tidings.resolve.index import Entry, Hit, NameIndex, Token
from tidings.resolve.kb import KnowledgeBase, Office, Person


@dataclass(frozen=True)
class ResolveRules:
    """The resolver's own weighing rules (data/resolve.yaml), apart from the KB's facts."""

    located_sectors: frozenset[str]
    locative_words: frozenset[str]
    link_words: frozenset[str]
    other_prepositions: frozenset[str]
    max_gap_words: int
    body_heads: frozenset[str] = frozenset()
    international_words: frozenset[str] = frozenset()
    nonstate_roles: dict[str, str] = field(default_factory=dict)  # role phrase -> PLOVER non-state code
    armed_cues: tuple[str, ...] = ()  # "armed with": the words before it are an armed attacker
    armed_sectors: frozenset[str] = frozenset()  # sectors that bear arms anyway: they stay
    modified_nouns: frozenset[str] = frozenset()  # "the US embassy": a place name used as a modifier
    former_words: frozenset[str] = frozenset()  # "the ousted president": not in office now
    ethnic_words: frozenset[str] = frozenset()  # "ethnic Turks": coded where they live


def load_resolve_rules(path: str | None = None) -> ResolveRules:
    try:
        if path is None:
            text = resources.files("tidings.data").joinpath("resolve.yaml").read_text("utf-8")
        else:
            text = open(path, encoding="utf-8").read()
        raw = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read resolver rules {path or 'resolve.yaml'}: {exc}") from exc

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in raw.get(key) or ())

    return ResolveRules(located_sectors=frozenset(str(c).upper() for c in raw.get("located_sectors") or ()),
                        locative_words=words("locative_words"), link_words=words("link_words"),
                        other_prepositions=words("other_prepositions"),
                        body_heads=words("body_heads"), international_words=words("international_words"),
                        armed_cues=tuple(str(w).lower() for w in raw.get("armed_cues") or ()),
                        armed_sectors=frozenset(str(c).upper() for c in raw.get("armed_sectors") or ()),
                        modified_nouns=words("modified_nouns"), former_words=words("former_words"),
                        ethnic_words=words("ethnic_words"),
                        nonstate_roles={str(w).lower(): str(code).upper()
                                        for code, phrases in (raw.get("nonstate_roles") or {}).items()
                                        for w in phrases or ()},
                        max_gap_words=int(raw.get("max_gap_words", 6)))


@dataclass
class Identity:
    name: str | None = None
    kb_id: str | None = None
    wikidata: str | None = None
    country: str | None = None
    sector: str | None = None
    office: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    person: Person | None = None
    office_kinds: tuple[str, ...] = ()
    gender: str | None = None

    def apply(self, entity: Entity) -> None:
        """Fill an entity's identity fields; roles set only text and offsets."""
        entity.name, entity.kb_id, entity.wikidata = self.name, self.kb_id, self.wikidata
        entity.country, entity.sector, entity.office = self.country, self.sector, self.office
        entity.provenance.update(self.provenance)

    @property
    def empty(self) -> bool:
        return self.country is None and self.sector is None and self.name is None


@dataclass
class PersonMention:
    start: int
    end: int
    identity: Identity


# Hit kinds that only name a country; a longer toponym around them says where it is.
COUNTRY_WORD_KINDS = frozenset({"country", "adjective", "metonym", "demonym"})
NONSTATE = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})
_CAPITALISED = re.compile(r"^[A-Z][\w.'’-]*$")
# Inside a name: "bin", "al", "de", "van", or "al-Burhan".
_NAME_PARTICLE = re.compile(r"^(?:bin|ibn|al|el|de|da|di|van|von|der|la|le|(?:al|el|ad|as)-[A-Z][\w'’-]*)$")
_AFTER_GROUP = re.compile(r"\s+(?:of|against|opposed to|loyal to|backing|supporting|for)\b", re.IGNORECASE)
# Between conjoined nationalities ("Kenyan, Ugandan and Tanzanian"), and between the last one and
# the noun they share, with a modifier or two ("Indian and Bangladeshi border guards").
_NATIONALITY_LINK = re.compile(r"^(?:,\s*|\s+)(?:and\s+|or\s+)?$")
_ROLE_GAP = re.compile(r"^\s+(?:[a-z][\w-]*\s+){0,2}$")
# "leaders of the G20", "officials of Romania's new government"
_OF_OWNER = re.compile(r"\s+of\s+(?:the\s+)?", re.IGNORECASE)
_POSSESSIVE_GAP = re.compile(r"^['’]s?\s+$")
# Between a subject and its object pronoun: a word or two, no comma, no "to" clause.
_CLAUSE_SUBJECT = re.compile(r"^\s+(?!to\b)[a-z]+(?:\s+(?!to\b)[a-z]+)?\s+$")
_LOCATIVE = re.compile(r"\b(?:in|at|from|into|near|across|to|around)\s+(?:the\s+)?$", re.IGNORECASE)
_OF_NAME = re.compile(r"\s+of\s+[A-Z]")
_CLAUSE_BREAK = re.compile(r",\s+(?:and|but|while|as|where|when|who|which)\s+|;\s+|\s+but\s+|\s+while\s+")
# "... in south Serbia", "... living in the north of Iraq": a place of residence after the span.
_RESIDENCE = re.compile(r"\s+(?:(?:living|residing|who live)\s+)?in\s+(?:the\s+)?(?:(?:north|south|east|west|"
                        r"northern|southern|eastern|western|central|neighbouring|neighboring)\s+(?:of\s+)?)?")
# ", the ..." right after a name opens an appositive.
_APPOSITIVE = re.compile(r",\s+(?:the|a|an)\s+")
# Between a leader's name and a government word: "Bush administration", "Netanyahu's government".
_LEADER_GAP = re.compile(r"^(?:['’]s?)?\s+$")
_FROM_TO = re.compile(r"\b(to|from|of|in)\s+(?:the\s+)?$", re.IGNORECASE)


def _family_key(word: str) -> str:
    """"al-Burhan" and "Burhan" are one family name."""
    return re.sub(r"^(?:al|el|ad|as|ash)[-‑]", "", word, flags=re.IGNORECASE).lower()


class ArticleContext:
    """Everything about one article the rules consult: its date, KB hits, person mentions."""

    def __init__(self, resolver: "Resolver", text: str, day: dt.date, places: list[Place] = ()):
        self.resolver, self.text, self.day = resolver, text, day
        self.tokens, self.hits = resolver.index.scan(text)
        self._hit_starts: list[int] | None = None
        self._token_starts = [t.start for t in self.tokens]
        self._add_places(places)
        self.persons: list[PersonMention] = []
        self.strangers: dict[str, Identity] = {}  # family name -> a named person not in the KB
        self.groups: list[tuple[int, Identity]] = []  # resolved groups, countries, organisations
        self.home: str | None = None
        self._collect_full_names()
        self.home = self._home_country()
        self._collect_short_references()

    # --- article-wide facts

    def token_range(self, start: int, end: int) -> list[tuple[int, Token]]:
        """(index, token) for the tokens inside [start, end)."""
        first = bisect.bisect_left(self._token_starts, start)
        out = []
        for i in range(first, len(self.tokens)):
            token = self.tokens[i]
            if token.end > end:
                break
            out.append((i, token))
        return out

    def _add_places(self, places: list[Place]) -> None:
        """Toponyms the places component resolved ("Police in Oromia") give a country too. A longer
        toponym replaces the country words inside it: "the Niger Delta" is in Nigeria, "New Mexico"
        in the United States."""
        starts = [t.start for t in self.tokens]
        added = False
        for place in places:
            loc = place.location
            if loc is None or not loc.country:
                continue
            inside = [h for h in self.hits if h.start < place.end and place.start < h.end]
            if inside:
                if not all(place.start <= h.start and h.end <= place.end and h.end - h.start < place.end - place.start
                           and h.kinds() <= COUNTRY_WORD_KINDS for h in inside):
                    continue
                self.hits = [h for h in self.hits if h not in inside]
                added = True
            first = bisect.bisect_left(starts, place.start)
            last = max(first, bisect.bisect_left(starts, place.end) - 1)
            if first >= len(self.tokens):
                continue
            self.hits.append(Hit(place.start, place.end, first, last, place.text,
                                 (Entry("place", loc.country),)))
            added = True
        if added:
            self.hits.sort(key=lambda h: h.start)

    def hits_in(self, start: int, end: int) -> list[Hit]:
        """Hits inside the span, or the one hit the span lies inside ("Singh" of "Rajnath Singh")."""
        if self._hit_starts is None or len(self._hit_starts) != len(self.hits):
            self._hit_starts = [h.start for h in self.hits]
        lo = bisect.bisect_left(self._hit_starts, start)
        inside = []
        for hit in self.hits[lo:]:
            if hit.start >= end:
                break
            if hit.end <= end:
                inside.append(hit)
        if inside:
            return inside
        before = self.hits[lo - 1] if lo > 0 else None
        at = self.hits[lo] if lo < len(self.hits) else None
        return [h for h in (before, at) if h is not None and h.start <= start and h.end >= end]

    def _collect_full_names(self) -> None:
        """Full names first, so family names later in the text can link to them."""
        for i, hit in enumerate(self.hits):
            if "person" in hit.kinds():
                title = self._national_title_before(i)
                person = self.resolver.span_person(hit, title[0] if title else None, self.day)
                if person is None:
                    # "Colombian Defence Minister Pedro Sánchez", not Spain's: a person the KB lacks
                    ident = self.resolver.titled_stranger(hit.text, title[0], title[1], self)
                    self.strangers[_family_key(hit.text.split()[-1])] = ident
                    self.persons.append(PersonMention(hit.start, hit.end, ident))
                    continue
                ident = self.resolver.person_identity(person, self.day, rule="kb")
                if ident.sector is None and title:
                    kinds = {kind: [title[1]] for kind in title[1].kinds()}
                    title_kind = title[1].of("title")[0] if title[1].of("title") else None
                    self.resolver.sector_from_title(ident, kinds, title_kind, former=False)
                self.persons.append(PersonMention(hit.start, hit.end, ident))

    def _national_title_before(self, index: int) -> tuple[str, Hit] | None:
        """The country and title right before a name: "Colombian Defence Minister", "Colombia's defence
        minister". Only country words count, not toponyms the places component guessed."""
        if index < 2:
            return None
        name, title, country = self.hits[index], self.hits[index - 1], self.hits[index - 2]
        if not title.kinds() & {"office", "title"} or name.start - title.end > 1:
            return None
        if not _POSSESSIVE_GAP.match(self.text[country.end:title.start]) and title.start - country.end > 1:
            return None
        codes = country.of("adjective") or country.of("country") or country.of("demonym") or country.of("metonym")
        return (codes[0], title) if codes else None

    def stranger_before(self, hit: Hit, offset: int) -> PersonMention | None:
        """The last person named in full before `offset` whom the KB does not know, with this family name."""
        key = _family_key(hit.text)
        found = [m for m in self.persons if m.start < offset and m.identity.person is None and m.identity.name
                 and _family_key(m.identity.name.split()[-1]) == key]
        return found[-1] if found else None

    def _collect_short_references(self) -> None:
        """Family names and titles used alone ("Modi", "the POTUS") that name a person here."""
        previous: Hit | None = None
        for hit in self.hits:
            if "short" in hit.kinds() and "person" not in hit.kinds():
                person = self.resolver.pick_short(hit, self, prefer_before=hit.start)
                if person is not None:
                    ident = self.resolver.person_identity(person, self.day, rule="coref:short")
                    self.persons.append(PersonMention(hit.start, hit.end, ident))
            elif "office" in hit.kinds() and not self._followed_by_name(hit):
                country = None
                if previous is not None and hit.start - previous.end <= 1:
                    country = next(iter(previous.of("adjective") + previous.of("country")), None)
                ident = self.resolver.office_holder_identity(hit, country, self)
                if ident is not None and ident.person is not None:
                    self.persons.append(PersonMention(hit.start, hit.end, ident))
            previous = hit
        self.persons.sort(key=lambda m: m.start)

    def _followed_by_name(self, hit: Hit) -> bool:
        nxt = hit.last + 1
        return nxt < len(self.tokens) and bool(_CAPITALISED.match(self.tokens[nxt].text)) \
            and self.tokens[nxt].start - hit.end <= 2

    def _home_country(self) -> str | None:
        """The article's main country: where its people and places belong, the lede counting double."""
        counts: Counter[str] = Counter()
        first_sentence_end = self.text.find(". ")
        first_code = None
        for mention in self.persons:
            if mention.identity.country and len(mention.identity.country) == 3:
                weight = 2 if mention.start < first_sentence_end else 1
                counts[mention.identity.country] += weight
                first_code = first_code or (mention.start, mention.identity.country)
        for hit in self.hits:
            codes = (hit.of("country") or hit.of("metonym") or hit.of("adjective") or hit.of("demonym")
                     or hit.of("place") or self._national_org_country(hit))[:1]
            for code in codes:
                counts[code] += 2 if hit.start < first_sentence_end else 1
                if first_code is None or hit.start < first_code[0]:
                    first_code = (hit.start, code)
        for code in ("UNO", "EUR", "IGO", "NGO"):
            counts.pop(code, None)
        if not counts:
            return None
        if first_code is not None:
            counts[first_code[1]] += 2
        return counts.most_common(1)[0][0]

    def _national_org_country(self, hit: Hit) -> list[str]:
        """A party, agency or armed group of one country ("UNITA") places the article there too."""
        countries = {self.resolver.kb.organisations[i].country for i in hit.of("org")}
        # a name several countries' parties share ("Labour Party") places the article nowhere
        return list(countries) if len(countries) == 1 and not countries & NONSTATE else []

    def nearest_person_before(self, offset: int, gender: str | None, object_pronoun: bool = False
                              ) -> PersonMention | None:
        """The closest earlier person of a compatible gender. An object pronoun ("X criticised him")
        cannot mean the subject of its own clause, so a person only a verb away is passed over."""
        found = [m for m in self.persons if m.end <= offset and (
            gender in (None, "any") or m.identity.gender is None or m.identity.gender == gender)]
        if object_pronoun and len(found) > 1 and self._is_clause_subject(found[-1], offset):
            return found[-2]
        return found[-1] if found else None

    def _is_clause_subject(self, mention: PersonMention, offset: int) -> bool:
        """Is the person the first one named in the pronoun's clause, with no "to" clause between?"""
        gap = self.text[mention.end:offset]
        if _CLAUSE_SUBJECT.match(gap):
            return True
        lo, _ = self.sentence_bounds(offset)
        boundaries = [m.end() for m in _CLAUSE_BREAK.finditer(self.text, lo, offset)]
        clause_start = max([lo] + boundaries)
        if mention.start < clause_start or re.search(r"\bto\b", gap):
            return False
        first = next((m for m in self.persons if clause_start <= m.start < offset), None)
        return first is mention

    def context_country(self, offset: int) -> tuple[str, str] | None:
        """The country of a domestic group with none of its own ("police", "opposition leaders"):
        the article's country when this or the previous sentence names it, else the country
        named closest before in the sentence, else the article's country."""
        lo, _ = self.sentence_bounds(offset)
        prev_lo, _ = self.sentence_bounds(max(lo - 2, 0))
        nearby: list[tuple[int, str]] = []
        for hit in self.hits:
            if prev_lo <= hit.start < offset:
                for code in (hit.of("country") or hit.of("metonym") or hit.of("adjective")
                             or hit.of("demonym") or hit.of("place"))[:1]:
                    nearby.append((hit.start, code))
        for mention in self.persons:
            if prev_lo <= mention.start < offset and mention.identity.country:
                nearby.append((mention.start, mention.identity.country))
        nearby.sort()
        if self.home and any(code == self.home for _, code in nearby):
            return self.home, "context:article-country"
        in_sentence = [code for at, code in nearby if at >= lo and len(code) == 3 and code not in NONSTATE]
        if in_sentence:
            return in_sentence[-1], "context:sentence-country"
        if self.home:
            return self.home, "context:article-country"
        return None

    def located_country(self, start: int, end: int) -> tuple[str, str] | None:
        """Where the sentence puts an unnamed group: the first place after a locative preposition
        following the span ("gunmen in northern Nigeria", "... attacked a church in Nice"), else the
        nearest such place before it."""
        lo, hi = self.sentence_bounds(start)
        after, before = None, None
        for hit in self.hits:
            if hit.start < lo or hit.end > hi or start <= hit.start < end:
                continue
            codes = hit.of("place") or hit.of("country") or hit.of("metonym")
            if not codes or codes[0] in NONSTATE or self._modifies_noun(hit) or not self._after_locative(hit, lo):
                continue
            if hit.start >= end and after is None:
                after = (codes[0], f"location:{hit.text}")
            elif hit.start < start:
                before = (codes[0], f"location:{hit.text}")
        return after or before

    def _modifies_noun(self, hit: Hit) -> bool:
        """"outside the US embassy in Athens": a country name that modifies a building or unit is
        not where the action is."""
        nxt = hit.last + 1
        return nxt < len(self.tokens) and self.tokens[nxt].start - hit.end <= 1 and \
            self.tokens[nxt].text.lower() in self.resolver.rules.modified_nouns

    def _after_locative(self, hit: Hit, lo: int) -> bool:
        """Does a locative preposition govern the place, read back through a few words ("near the
        town of Samarra")? A comma, or a preposition that is not locative, ends the search."""
        rules = self.resolver.rules
        first = bisect.bisect_left(self._token_starts, lo)
        for i in range(hit.first - 1, max(first, hit.first - 1 - rules.max_gap_words) - 1, -1):
            word = self.tokens[i].text.lower()
            if "," in self.text[self.tokens[i].end:self.tokens[i + 1].start]:
                return False
            if word in rules.locative_words:
                return True
            if word in rules.link_words:
                continue
            if word in rules.other_prepositions:
                return False
        return False

    def sentence_bounds(self, offset: int) -> tuple[int, int]:
        start = max(self.text.rfind(". ", 0, offset), self.text.rfind("\n", 0, offset)) + 1
        ends = [i for i in (self.text.find(". ", offset), self.text.find("\n", offset)) if i != -1]
        return start, (min(ends) if ends else len(self.text))

    def add_person(self, start: int, end: int, ident: Identity) -> None:
        """Remember a resolved actor: KB people for pronouns, unknown named people for their surname."""
        if ident.person is not None:
            self.persons = [m for m in self.persons if not (m.start >= start and m.end <= end)]
            self.persons.append(PersonMention(start, end, ident))
            self.persons.sort(key=lambda m: m.start)
        elif ident.person is None and ident.name and (ident.country or ident.sector) and " " in ident.name \
                and not ident.kb_id:
            self.strangers[_family_key(ident.name.split()[-1])] = ident
            self.persons.append(PersonMention(start, end, ident))
            self.persons.sort(key=lambda m: m.start)
        elif ident.person is None and ident.country:
            self.groups.append((start, ident))

    def nearest_group_before(self, offset: int, neuter: bool) -> Identity | None:
        """"they" -> the closest earlier group, country or organisation; "it" -> country or organisation.
        Only within this sentence and the one before, where such pronouns usually find theirs."""
        lo, _ = self.sentence_bounds(offset)
        window_lo, _ = self.sentence_bounds(max(lo - 2, 0))
        found: list[tuple[int, Identity]] = [(at, ident) for at, ident in self.groups
                                              if window_lo <= at < offset and (ident.kb_id or not neuter
                                                                               or ident.sector == "GOV")]
        for hit in self.hits:
            if window_lo <= hit.start and hit.end <= offset:
                if _LOCATIVE.search(self.text[max(0, hit.start - 8):hit.start]):
                    continue  # "in Islamabad" is where, not who
                if hit.of("org"):
                    found.append((hit.start, self.resolver.org_identity(self.resolver.pick_org(hit, self), self.day)))
                elif hit.of("country") or hit.of("metonym"):
                    code = (hit.of("country") or hit.of("metonym"))[0]
                    found.append((hit.start, Identity(country=code, sector="GOV",
                                                      provenance={"country": f"country:{hit.text}",
                                                                  "sector": f"country:{hit.text}"})))
        if not found:
            return None
        if not self.text[lo:offset].strip(" \"'“‘("):
            # A pronoun opening its sentence continues the previous sentence's subject.
            previous = [pair for pair in found if pair[0] < lo]
            if previous:
                return min(previous, key=lambda pair: pair[0])[1]
        return max(found, key=lambda pair: pair[0])[1]

    def stranger_in(self, start: int, end: int) -> Identity | None:
        for _, token in self.token_range(start, end):
            if _CAPITALISED.match(token.text):
                found = self.strangers.get(_family_key(token.text))
                if found is not None:
                    return found
        return None


class Resolver:
    def __init__(self, kb: KnowledgeBase, rules: ResolveRules | None = None):
        self.kb = kb
        self.rules = rules or load_resolve_rules()
        self.index = NameIndex(kb)
        self.name_titles = {t.lower() for t in kb.roles.name_titles}
        self.generic_titles = self.name_titles | {t.lower() for ts in kb.roles.titles.values() for t in ts}
        self.not_names = {w.lower() for w in kb.roles.not_names}

    # ------------------------------------------------------------- identities from the KB

    def person_identity(self, person: Person, day: dt.date, rule: str,
                        prefer_kind: str | None = None, prefer_offices: set[str] | None = None) -> Identity:
        """The person on that date: their office if they hold one, else what they were."""
        stamp = f"{person.id}@{day.isoformat()}"
        tag = f"{rule}:{stamp}" if rule != "kb" else f"kb:{stamp}"
        ident = Identity(name=person.name, kb_id=person.id, wikidata=person.wikidata, person=person,
                         gender=person.gender)
        ident.provenance.update({"name": tag, "kb_id": tag})
        if person.wikidata:
            ident.provenance["wikidata"] = tag
        active = self.kb.active_offices(person, day)
        if active:
            # The office the span's title names ("Army chief X" of a general who is also head of state).
            wanted_kinds = {self.kb.office(o).main_kind for o in prefer_offices or () if self.kb.office(o)}
            chosen = active[0]
            for office, tenure in active:
                if office.id in (prefer_offices or ()) or (prefer_kind and prefer_kind in office.kinds) \
                        or office.main_kind in wanted_kinds:
                    chosen = (office, tenure)
                    break
            office = chosen[0]
            ident.country, ident.sector, ident.office = office.country, office.sector, office.title
            ident.office_kinds = office.kinds
            ident.provenance.update({"country": tag, "sector": f"kb:office:{office.id}",
                                     "office": f"kb:office:{office.id}"})
            return ident
        ident.country = person.country
        ident.provenance["country"] = tag
        party = self.kb.organisations.get(person.party) if person.party else None
        past = self.kb.past_offices(person, day)
        if party is not None and party.sector_on(day) == "GOV":
            ident.sector, ident.provenance["sector"] = "GOV", f"kb:party:{party.id}@{day.isoformat()}"
        elif person.sector:
            ident.sector, ident.provenance["sector"] = person.sector, tag
        elif past:
            # PLOVER ELI: former officials who hold no position now.
            ident.sector, ident.provenance["sector"] = "ELI", f"kb:former:{past[0][0].id}"
        elif party is not None:
            ident.sector, ident.provenance["sector"] = party.sector_on(day), f"kb:party:{party.id}@{day.isoformat()}"
        if past:
            ident.office = f"former {past[0][0].title}"
            ident.provenance["office"] = f"kb:former:{past[0][0].id}"
        return ident

    def office_identity(self, office: Office, day: dt.date, rule: str, with_holder: bool) -> Identity:
        stamp = f"{office.id}@{day.isoformat()}"
        holders = self.kb.holders(office.id, day) if with_holder else []
        if len(holders) == 1:
            ident = self.person_identity(holders[0], day, rule=f"{rule}:{office.id}", prefer_offices={office.id})
            return ident
        ident = Identity(country=office.country, sector=office.sector, office=office.title,
                         office_kinds=office.kinds)
        ident.provenance.update({"country": f"{rule}:{stamp}", "sector": f"kb:office:{office.id}",
                                 "office": f"kb:office:{office.id}"})
        return ident

    def pick_org(self, hit: Hit, ctx: ArticleContext, span_country: str | None = None) -> str:
        """An organisation name several countries use ("the Republican Party", "the Labor Party"):
        the one of the span's country, else of the article's country, else the first listed."""
        candidates = hit.of("org")
        if len(candidates) > 1:
            for country in (span_country, ctx.home):
                chosen = [o for o in candidates if country and self.kb.organisations[o].country == country]
                if chosen:
                    return chosen[0]
        return candidates[0]

    def org_identity(self, org_id: str, day: dt.date) -> Identity:
        org = self.kb.organisations[org_id]
        tag = f"org:{org.id}"
        ident = Identity(name=org.name, kb_id=org.id, wikidata=org.wikidata, country=org.country,
                         sector=org.sector_on(day))
        ident.provenance.update({"name": tag, "kb_id": tag, "country": tag, "sector": tag})
        if org.wikidata:
            ident.provenance["wikidata"] = tag
        return ident

    # ------------------------------------------------------------- choosing among candidates

    def pick_short(self, hit: Hit, ctx: ArticleContext, prefer_before: int,
                   country: str | None = None, kind: str | None = None,
                   title_country: str | None = None) -> Person | None:
        """A family name: a person named in full in this article, else the one KB holder on the date.
        A country word in the span's title (`title_country`) rules out a lone holder of another country."""
        candidates = [self.kb.people[pid] for pid in hit.of("short")]
        named = self.named_in_article(hit, ctx, prefer_before)
        if named is not None:
            return named.identity.person
        def fits(person: Person) -> bool:
            active = self.kb.active_offices(person, ctx.day)
            if not active:
                return False
            if country and not any(o.country == country for o, _ in active):
                return False
            if kind and not any(kind in o.kinds for o, _ in active):
                return False
            return True
        active = [p for p in candidates if fits(p)]
        if len(active) == 1:
            return active[0]
        if len(candidates) == 1 and (title_country is None or self._belongs_to(candidates[0], title_country)):
            return candidates[0]
        return None

    def named_in_article(self, hit: Hit, ctx: ArticleContext, prefer_before: int) -> PersonMention | None:
        """The article's own mention of the person a family name stands for, nearest before."""
        candidates = {pid for pid in hit.of("short")}
        named = [m for m in ctx.persons if m.identity.person is not None and m.identity.person.id in candidates
                 and not (m.start <= hit.start and hit.end <= m.end)]
        before = [m for m in named if m.start < prefer_before]
        return (before[-1] if before else named[0]) if named else None

    def pick_office(self, office_ids: list[str], span_country: str | None, ctx: ArticleContext,
                    generic: bool = False) -> Office | None:
        """A country-specific title ("External Affairs Minister", "POTUS") -> its office; the span's
        country, else the article's, decides between countries sharing a title."""
        offices = [o for o in (self.kb.office(i) for i in office_ids) if o is not None]
        if span_country is not None:
            offices = [o for o in offices if o.country == span_country]
        elif len(offices) > 1 or generic:
            # A title several countries use ("army chief", "king", "president"): the office of a
            # person named earlier in the article, else the article's country's.
            held = {o.id for m in ctx.persons if m.identity.person is not None
                    for o, _ in self.kb.active_offices(m.identity.person, ctx.day)}
            offices = [o for o in offices if o.id in held] or [o for o in offices if o.country == ctx.home]
        return offices[0] if offices else None

    def office_holder_identity(self, hit: Hit, span_country: str | None, ctx: ArticleContext,
                               rule: str = "coref:title") -> Identity | None:
        office = self.pick_office(hit.of("office"), span_country, ctx, generic=self._generic_word(hit.text))
        if office is None:
            return None
        return self.office_identity(office, ctx.day, rule=rule, with_holder=True)

    def _generic_word(self, phrase: str) -> bool:
        """A title any country may use ("president", "king"), not one that names its country ("POTUS")."""
        words = phrase.lower()
        return words in self.generic_titles

    def kind_office(self, kind: str, country: str | None) -> Office | None:
        if country is None:
            return None
        offices = self.kb.offices_for(country, kind)
        return offices[0] if offices else None

    # ------------------------------------------------------------- the span rules

    def resolve(self, start: int, end: int, ctx: ArticleContext,
                partners: list[Identity] | None = None) -> Identity:
        ident = self._resolve_span(start, end, ctx, partners)
        cue = self._armed_after(end, ctx) if ident.kb_id is None and ident.person is None and \
            ident.sector not in self.rules.armed_sectors else None
        if cue is not None:
            self._as_armed_group(ident, cue, start, end, ctx)
        return ident

    def _armed_after(self, end: int, ctx: ArticleContext) -> str | None:
        """The armed cue ("armed with") right after the span, if any."""
        following = ctx.text[end:end + 40].lower().lstrip(" ,")
        return next((cue for cue in self.rules.armed_cues if following.startswith(cue + " ")), None)

    def _as_armed_group(self, ident: Identity, cue: str, start: int, end: int, ctx: ArticleContext) -> None:
        """"A man armed with a knife", "a mob wielding machetes": whoever they are, PLOVER codes an
        unidentified armed attacker UAF, and where the sentence puts them when no nationality is given."""
        ident.sector, ident.provenance["sector"] = "UAF", f"armed:{cue}"
        if ident.country is None or ident.provenance.get("country", "").startswith("context:"):
            found = self._residence(end, ctx) or ctx.located_country(start, end) or ctx.context_country(start)
            if found:
                ident.country, ident.provenance["country"] = found

    def _resolve_span(self, start: int, end: int, ctx: ArticleContext,
                      partners: list[Identity] | None = None) -> Identity:
        span_hits = ctx.hits_in(start, end)
        owner = self._of_owner(span_hits, start, end, ctx)
        if owner is not None:
            return owner
        hits = [h for h in self._head_hits(span_hits, ctx)
                if not self._place_as_family_name(h, start, ctx)]
        kinds: dict[str, list[Hit]] = {}
        for hit in hits:
            for kind in hit.kinds():
                kinds.setdefault(kind, []).append(hit)
        span_country, country_rule = self._span_country(kinds)
        title_kind = next((h.of("title")[0] for h in kinds.get("title", [])), None)

        # 1. a full KB name in the span: the last one is the head ("US President Donald Trump"),
        #    unless an organisation follows it ("Narendra Modi's Bharatiya Janata Party")
        org_after = "org" in kinds and "person" in kinds and kinds["org"][-1].start > kinds["person"][-1].start
        if "person" in kinds and not org_after:
            hit = kinds["person"][-1]
            titled = title_kind is not None or "office" in kinds
            # a country word, not a toponym the places component guessed ("Punjab Chief Minister")
            national = span_country if titled and not country_rule.startswith("place:") else None
            person = self.span_person(hit, national, ctx.day)
            if person is None:
                # "Colombian Defence Minister Pedro Sánchez" is not Spain's Pedro Sánchez
                return self._titled_homonym(hit.text, kinds, span_country, country_rule, title_kind, ctx,
                                            start, end)
            office_hint = set(kinds["office"][0].of("office")) if "office" in kinds else set()
            ident = self.person_identity(person, ctx.day, rule="kb", prefer_kind=title_kind,
                                         prefer_offices=office_hint)
            if ident.sector is None and titled:
                self.sector_from_title(ident, kinds, title_kind, former=self._former(start, end, ctx))
            return ident
        # 2. a family name ("Singh", "Secretary Hegseth", "PM Modi")
        if "short" in kinds and not org_after:
            hit = kinds["short"][-1]
            government = self._named_government(hit, kinds, ctx, start)
            if government is not None:
                return government
            if not self._other_given_name(hit, start, ctx):
                named = self.named_in_article(hit, ctx, start)
                if named is not None and title_kind is None and "office" not in kinds:
                    # "Singh" after "Defence Minister Rajnath Singh": the same person, same office
                    return self._copy(named.identity, named.identity.provenance.get("name", "").replace(
                        "kb:", "coref:short:", 1) or "coref:short")
                earlier = self._earlier_stranger(hit, ctx, start) if named is None else None
                if earlier is not None:
                    # "Sánchez" after "Colombian Defence Minister Pedro Sánchez": that person, not a KB homonym
                    return self._copy(earlier.identity, "coref:name")
                national = span_country if (title_kind or "office" in kinds) and \
                    not country_rule.startswith("place:") else None
                person = self.pick_short(hit, ctx, prefer_before=start, country=span_country, kind=title_kind,
                                         title_country=national)
                if person is not None:
                    return self.person_identity(person, ctx.day, rule="coref:short", prefer_kind=title_kind)
                ident = self._surname_only(hit, span_country, title_kind)
                if ident is not None:
                    return ident
        # 2b. the family name of someone named earlier whom the KB does not know ("Gulen")
        stranger = ctx.stranger_in(start, end)
        if stranger is not None:
            return self._copy(stranger, "coref:name")
        unknown_name = self._unknown_name(start, end, ctx, hits, with_shorts="short" in kinds)
        # 3. "his American counterpart": the partner's office, in the named country
        if "counterpart" in kinds:
            ident = self._counterpart(span_country, ctx, start, partners or [])
            if ident is not None:
                return ident
        # 4. a pronoun alone: the nearest preceding compatible person
        if "pronoun" in kinds and len(self._words(start, end, ctx)) <= 2:
            gender = kinds["pronoun"][0].of("pronoun")[0]
            if gender in ("pl", "n"):
                group = ctx.nearest_group_before(start, neuter=gender == "n")
                if group is not None:
                    ident = self._copy(group, "coref:pronoun-group")
                    return ident
                return Identity()
            mention = ctx.nearest_person_before(start, gender, kinds["pronoun"][0].text.lower() == "him")
            if mention is not None:
                return self._copy(mention.identity,
                                  f"coref:pronoun:{mention.identity.kb_id or mention.identity.name}")
        # 5. an organisation, or a named member of one ("RSF commander Mohamed Dagalo")
        if "org" in kinds and ("office" not in kinds or self._office_of_other_body(kinds)):
            org_hit = kinds["org"][-1]
            if _OF_NAME.match(ctx.text, org_hit.end):
                return Identity(name=ctx.text[start:end], provenance={"name": "text:proper-name"})
            org_id = self.pick_org(org_hit, ctx, span_country)
            ident = self.org_identity(org_id, ctx.day)
            if unknown_name is not None:
                member = Identity(name=unknown_name, country=ident.country, sector=ident.sector)
                rule = f"org-member:{org_id}"
                member.provenance = {"name": "text:proper-name", "country": rule, "sector": rule}
                return member
            return ident
        # 6. a title: country-specific ("POTUS"), or generic with a country ("the Indian leader")
        if "office" in kinds:
            office_hit = kinds["office"][-1]
            office = self.pick_office(office_hit.of("office"), span_country, ctx,
                                      generic=self._generic_word(office_hit.text))
            if office is not None:
                if unknown_name is not None:
                    return self._named_stranger(unknown_name, office, f"title:{office_hit.text.lower()}",
                                                former=self._former(start, end, ctx))
                return self.office_identity(office, ctx.day, rule="coref:title", with_holder=True)
            if title_kind is None and span_country is not None:
                # "Chinese Vice President Han Zheng": an office the KB does not list for that country
                rule = f"title:{office_hit.text.lower()}"
                ident = Identity(name=unknown_name, country=span_country, sector="GOV", office=office_hit.text)
                ident.provenance = {"country": country_rule, "sector": rule, "office": rule}
                if unknown_name:
                    ident.provenance["name"] = "text:proper-name"
                if self._former(start, end, ctx):
                    ident.sector, ident.office = "ELI", f"former {office_hit.text}"
                return ident
        if title_kind is not None:
            ident = self._title(title_kind, span_country, ctx, start, end, unknown_name, kinds["title"][-1].text)
            if ident is not None:
                return ident
        # 7a. "ethnic Albanians in south Serbia": PLOVER codes a group by the country it lives in
        if "demonym" in kinds and "origin_role" not in kinds and \
                self.rules.ethnic_words & {t.text.lower() for t in self._words(start, end, ctx)}:
            residence = self._residence(end, ctx)
            if residence is not None:
                ident = Identity(country=residence[0], sector="CVL")
                ident.provenance = {"country": residence[1], "sector": f"nationality:{kinds['demonym'][-1].text}"}
                return ident
        if unknown_name and span_country is None:
            body = self._international_body(unknown_name, start, end, ctx)
            if body is not None:
                return body
        # 7. a role noun ("Opposition leaders", "Indian migrants", "a Jordanian official")
        if "origin_role" in kinds or ("demonym" in kinds and "role" not in kinds):
            return self._origin(kinds, span_country, country_rule, ctx, start, end)
        if "role" in kinds:
            role_hit = kinds["role"][-1]
            sector = role_hit.of("role")[0]
            ident = Identity(sector=sector)
            ident.provenance["sector"] = f"role:{role_hit.text.lower()}"
            if sector == "GOV" and self._former(start, end, ctx):
                ident.sector, ident.provenance["sector"] = "ELI", f"former:{role_hit.text.lower()}"
            nonstate = self.rules.nonstate_roles.get(role_hit.text.lower())
            if span_country:
                ident.country, ident.provenance["country"] = span_country, country_rule
            elif nonstate:
                ident.country, ident.provenance["country"] = nonstate, f"role:{role_hit.text.lower()}"
            else:
                found = self._residence(end, ctx) or (
                    ctx.located_country(start, end) if sector in self.rules.located_sectors else None) \
                    or ctx.context_country(start)
                if found:
                    ident.country, ident.provenance["country"] = found
            if unknown_name and ctx.text.find(unknown_name, role_hit.end, end) >= 0:
                ident.name, ident.provenance["name"] = unknown_name, "text:proper-name"
            return ident
        # 8. a country, capital or adjective alone: its government, or the group its shared noun names
        if span_country:
            ident = Identity(country=span_country, sector="GOV")
            ident.provenance.update({"country": country_rule, "sector": country_rule})
            shared = self._shared_head(hits, end, ctx) if set(kinds) <= {"adjective"} else None
            if shared is not None:
                ident.sector, ident.provenance["sector"] = shared.of("role")[0], f"role:{shared.text.lower()}"
            return ident
        if unknown_name:
            member = self._appositive_member(unknown_name, end, ctx)
            if member is not None:
                return member
            return Identity(name=unknown_name, provenance={"name": "text:proper-name"})
        return Identity()

    def _international_body(self, unknown_name: str, start: int, end: int, ctx: ArticleContext) -> Identity | None:
        """"The Third World Water Forum", "the International Press Freedom Network": a capitalised name
        the KB lacks, headed by a word for a private body and speaking of the world, is an international
        NGO (PLOVER's non-state code). Intergovernmental heads ("Organization", "Union") are not listed."""
        tokens = self._words(start, end, ctx)
        last = next((i for i in range(len(tokens) - 1, -1, -1) if unknown_name.endswith(tokens[i].text)), None)
        if last is None:
            return None
        first = last
        while first > 0 and _CAPITALISED.match(tokens[first - 1].text) and \
                tokens[first].start - tokens[first - 1].end <= 1:
            first -= 1
        words = [t.text for t in tokens[first:last + 1]]
        if words and words[0].lower() == "the":
            words = words[1:]
        lowered = [w.lower() for w in words]
        if len(words) < 2 or lowered[-1] not in self.rules.body_heads or \
                not set(lowered[:-1]) & self.rules.international_words:
            return None
        rule = f"name:international-body:{lowered[-1]}"
        return Identity(name=" ".join(words), country="NGO", provenance={"name": "text:proper-name", "country": rule})

    def _belongs_to(self, person: Person, country: str) -> bool:
        """Is the person of that country, or did they ever hold one of its offices?"""
        if person.country == country:
            return True
        return any((o := self.kb.office(t.office)) is not None and o.country == country for t in person.tenures)

    def span_person(self, hit: Hit, title_country: str | None, day: dt.date) -> Person | None:
        """Which KB person a full name in the span is. A country word in the span's own title
        ("Colombian Defence Minister ...") keeps only people of that country; None when the KB
        has no one of that name there, so a homonym abroad is not taken."""
        candidates = [self.kb.people[pid] for pid in hit.of("person")]
        if title_country is not None:
            candidates = [p for p in candidates if self._belongs_to(p, title_country)]
            if not candidates:
                return None
        active = [p for p in candidates if self.kb.active_offices(p, day)]
        return (active or candidates)[0]

    def _earlier_stranger(self, hit: Hit, ctx: ArticleContext, start: int) -> PersonMention | None:
        """A family name whose bearer the article named earlier in full as someone the KB lacks."""
        mention = ctx.stranger_before(hit, start)
        if mention is None or (mention.start <= hit.start and hit.end <= mention.end):
            return None
        return mention

    def titled_stranger(self, name: str, country: str, title_hit: Hit, ctx: ArticleContext) -> Identity:
        """The identity a "<nationality> <title> <name>" gets when the KB's bearer of the name is foreign."""
        kinds: dict[str, list[Hit]] = {kind: [title_hit] for kind in title_hit.kinds()}
        title_kind = title_hit.of("title")[0] if title_hit.of("title") else None
        return self._titled_homonym(name, kinds, country, f"nationality:{country}", title_kind, ctx,
                                    title_hit.start, title_hit.end)

    def _titled_homonym(self, name: str, kinds: dict[str, list[Hit]], span_country: str | None,
                        country_rule: str, title_kind: str | None, ctx: ArticleContext, start: int,
                        end: int) -> Identity:
        """A titled person the KB knows only under another country: the name as written, the
        country and sector of the title, no kb_id."""
        if "office" in kinds:
            office_hit = kinds["office"][-1]
            office = self.pick_office(office_hit.of("office"), span_country, ctx,
                                      generic=self._generic_word(office_hit.text))
            if office is not None:
                return self._named_stranger(name, office, f"title:{office_hit.text.lower()}",
                                            former=self._former(start, end, ctx))
        if title_kind is not None:
            ident = self._title(title_kind, span_country, ctx, start, end, name, kinds["title"][-1].text)
            if ident is not None:
                return ident
        title_hit = (kinds.get("office") or kinds["title"])[-1]
        rule = f"title:{title_hit.text.lower()}"
        ident = Identity(name=name, country=span_country, sector="GOV")
        ident.provenance = {"name": "text:proper-name", "country": country_rule, "sector": rule}
        if "office" in kinds:
            ident.office, ident.provenance["office"] = title_hit.text, rule
        return ident

    def sector_from_title(self, ident: Identity, kinds: dict[str, list[Hit]], title_kind: str | None,
                           former: bool) -> None:
        """A KB person holding no office on the date, titled in the text ("Defence Minister X"
        before the KB's tenure starts): the title says the sector. A title that is also a role
        ("Opposition leader") gives that role's sector; "former" makes it PLOVER's ELI."""
        title_hit = (kinds.get("office") or kinds.get("title"))[-1]
        phrase = title_hit.text.lower()
        if former:
            ident.sector, ident.provenance["sector"] = "ELI", f"former:{phrase}"
            return
        sector = (title_hit.of("role") or ["GOV"])[0]
        ident.sector, ident.provenance["sector"] = sector, f"title:{phrase}"
        if ident.office is None and title_kind is not None and ident.country and sector == "GOV":
            office = self.kind_office(title_kind, ident.country)
            if office is not None:
                ident.office, ident.provenance["office"] = office.title, f"title:{phrase}"

    def _shared_head(self, hits: list[Hit], end: int, ctx: ArticleContext) -> Hit | None:
        """"Kenyan and Ugandan police": the roles component makes each nationality an actor of its
        own; the role noun they share, after the other nationalities, says what they are."""
        if not hits:
            return None
        after = [h for h in ctx.hits if h.start >= end]
        at = end
        for hit in after[:6]:
            gap = ctx.text[at:hit.start]
            if "adjective" in hit.kinds() and _NATIONALITY_LINK.match(gap):
                at = hit.end
                continue
            if "role" in hit.kinds() and _ROLE_GAP.match(gap):
                return hit
            return None
        return None

    def _place_as_family_name(self, hit: Hit, start: int, ctx: ArticleContext) -> bool:
        """"Kenzo Oshima" is a person: a toponym right after an unexplained capitalised word
        of the span is a family name, not where the actor is from."""
        if hit.kinds() != {"place"} or hit.first == 0:
            return False
        prev = ctx.tokens[hit.first - 1]
        return prev.start >= start and bool(_CAPITALISED.match(prev.text)) and \
            prev.text.lower() not in self.name_titles and hit.start - prev.end <= 1 and \
            not any(h.first <= hit.first - 1 <= h.last for h in ctx.hits)

    def _appositive_member(self, name: str, end: int, ctx: ArticleContext) -> Identity | None:
        """"Kenzo Oshima, the UN relief coordinator, demanded ...": a named person the KB lacks,
        set off by an appositive that names an organisation, serves that organisation."""
        gap = _APPOSITIVE.match(ctx.text, end)
        if gap is None:
            return None
        _, hi = ctx.sentence_bounds(end)
        close = ctx.text.find(",", gap.end(), hi)
        if close < 0:
            return None
        org_hit = next((h for h in ctx.hits if gap.end() <= h.start < close and h.of("org")), None)
        if org_hit is None:
            return None
        org_id = self.pick_org(org_hit, ctx)
        org = self.org_identity(org_id, ctx.day)
        member = Identity(name=name, country=org.country, sector=org.sector)
        rule = f"appositive:org-member:{org_id}"
        member.provenance = {"name": "text:proper-name", "country": rule, "sector": rule}
        return member

    def _residence(self, end: int, ctx: ArticleContext) -> tuple[str, str] | None:
        """The country of a place named in an "in ..." phrase right after the span."""
        gap = _RESIDENCE.match(ctx.text, end)
        if gap is None:
            return None
        for hit in ctx.hits:
            if hit.start == gap.end():
                codes = hit.of("country") or hit.of("place") or hit.of("metonym")
                if codes:
                    return codes[0], f"residence:{hit.text}"
        return None

    def _named_government(self, hit: Hit, kinds: dict[str, list[Hit]], ctx: ArticleContext,
                          start: int) -> Identity | None:
        """"The Bush administration", "Netanyahu's government": a leader's name before a government
        word names that leader's government, in the leader's country."""
        roles = [r for r in kinds.get("role", []) if r.start >= hit.end and r.of("role")[0] == "GOV"]
        if not roles or not _LEADER_GAP.match(ctx.text[hit.end:roles[0].start]):
            return None
        person = self.pick_short(hit, ctx, prefer_before=start)
        if person is not None:
            country = self.person_identity(person, ctx.day, rule="kb").country
            rule = f"government-of:{person.id}"
        else:
            country = self._surname_country(hit)
            rule = f"government-of:{'|'.join(hit.of('short'))}"
        if country is None:
            return None
        ident = Identity(country=country, sector="GOV")
        ident.provenance = {"country": rule, "sector": f"role:{roles[0].text.lower()}"}
        return ident

    def _surname_country(self, hit: Hit) -> str | None:
        """The one country of every KB person with this family name, in any period."""
        countries = {self.kb.people[pid].country for pid in hit.of("short")}
        return countries.pop() if len(countries) == 1 else None

    def _surname_only(self, hit: Hit, span_country: str | None, title_kind: str | None) -> Identity | None:
        """"President Bush" on a date when no Bush holds office and two once did: the person is not
        known, but their country is, and it beats any country guessed from the context."""
        country = self._surname_country(hit)
        if country is None or (span_country is not None and span_country != country):
            return None
        rule = f"kb:surname:{'|'.join(hit.of('short'))}"
        ident = Identity(name=hit.text, country=country, sector="GOV" if title_kind else None)
        ident.provenance = {"name": "text:proper-name", "country": rule}
        if title_kind:
            ident.provenance["sector"] = rule
        return ident

    def _office_of_other_body(self, kinds: dict[str, list[Hit]]) -> bool:
        """"Arab League Secretary General X": an organisation named before a title that, alone,
        is another body's office ("secretary general" of the UN) — the person serves the organisation."""
        org_hit, office_hit = kinds["org"][-1], kinds["office"][-1]
        if org_hit.start > office_hit.start:
            return False
        org_id = org_hit.of("org")[0]
        org = self.kb.organisations[org_id]
        offices = [o for o in (self.kb.office(i) for i in office_hit.of("office")) if o is not None]
        return not any(o.organisation == org_id or o.country == org.country for o in offices)

    def _of_owner(self, hits: list[Hit], start: int, end: int, ctx: ArticleContext) -> Identity | None:
        """"Leaders of the G20", "officials of Romania's new government", "supporters of Hamas": a role
        noun whose "of" phrase names an organisation or a country belongs to it. The country is the
        owner's; the sector the role noun's, except that a government word ("leaders", "officials")
        takes the owner's own sector (officials of a rebel group are rebels)."""
        if len(hits) < 2 or not hits[0].kinds() <= {"role", "origin_role"} or hits[0].start < start:
            return None
        gap = _OF_OWNER.match(ctx.text, hits[0].end)
        if gap is None or gap.end() > end:
            return None
        rest = [h for h in hits[1:] if h.start >= gap.end()]
        head = hits[0]
        head_sector = (head.of("role") or head.of("origin_role"))[0]
        # "leaders of the opposition": a government word's "of" phrase may name only a sector
        owner_kinds = {"org", "country", "metonym", "adjective", "place"} | ({"role"} if head_sector == "GOV" else set())
        if not rest or any(h.kinds() & {"person", "short"} for h in rest) or \
                not any(h.kinds() & owner_kinds for h in rest):
            return None
        owner = self.resolve(gap.end(), end, ctx)
        if owner.country is None and (head_sector != "GOV" or owner.sector is None):
            return None
        ident = Identity(country=owner.country, sector=head_sector)
        ident.provenance = {"sector": f"role:{head.text.lower()}"}
        if owner.country is not None:
            ident.provenance["country"] = f"of-owner:{owner.provenance.get('country', '')}"
        if head_sector == "GOV" and owner.sector is not None:
            ident.sector, ident.provenance["sector"] = owner.sector, f"of-owner:{owner.provenance.get('sector', '')}"
        return ident

    def _head_hits(self, hits: list[Hit], ctx: ArticleContext) -> list[Hit]:
        """The words that say who the span is. "Supporters of President Trump", "protesters against
        Temer" and "Khan's supporters" are supporters: a group noun is the head when a preposition
        follows it or a possessive precedes it."""
        if not hits:
            return hits
        first, last = hits[0], hits[-1]
        if first.kinds() <= {"role", "origin_role"} and _AFTER_GROUP.match(ctx.text, first.end):
            return [first]
        if len(hits) > 1 and last.kinds() <= {"role", "origin_role"}:
            between = ctx.text[hits[-2].end:last.start]
            if _POSSESSIVE_GAP.match(between) and hits[-2].kinds() & {"person", "short"}:
                return [last]
        return hits

    def _other_given_name(self, hit: Hit, start: int, ctx: ArticleContext) -> bool:
        """"Michel Aoun" is not Joseph Aoun, nor "Han Zheng" Han Duck-soo: an unexplained capitalised
        word right before the family name, or right after it when family names come first."""
        nxt = hit.last + 1
        if nxt < len(ctx.tokens) and ctx.tokens[nxt].start - hit.end == 1 and _CAPITALISED.match(
                ctx.tokens[nxt].text) and not any(h.first <= nxt <= h.last for h in ctx.hits):
            return True
        if hit.first == 0:
            return False
        prev = ctx.tokens[hit.first - 1]
        if prev.start < start or not _CAPITALISED.match(prev.text) or prev.text.lower() in self.name_titles:
            return False
        # Covered only by another person's family name ("Michel" of Charles Michel) still counts.
        return not any(h.first <= hit.first - 1 <= h.last and h.kinds() != {"short"} for h in ctx.hits)

    def _span_country(self, kinds: dict[str, list[Hit]]) -> tuple[str | None, str]:
        for kind, rule in (("country", "country"), ("adjective", "nationality"), ("metonym", "metonym"),
                           ("demonym", "nationality"), ("place", "place")):
            if kind in kinds:
                hit = kinds[kind][0]
                return hit.of(kind)[0], f"{rule}:{hit.text}"
        return None, ""

    def _words(self, start: int, end: int, ctx: ArticleContext) -> list[Token]:
        return [t for _, t in ctx.token_range(start, end)]

    def _unknown_name(self, start: int, end: int, ctx: ArticleContext, hits: list[Hit],
                      with_shorts: bool = False) -> str | None:
        """Capitalised words in the span that no KB entry explains: a person the KB does not know."""
        covered = set()
        for hit in hits:
            if not (with_shorts and hit.kinds() == {"short"}):
                covered.update(range(hit.first, hit.last + 1))
        runs: list[tuple[list[Token], bool]] = []  # capitalised runs, and whether a title precedes
        words: list[Token] = []
        titled = False
        for i, token in ctx.token_range(start, end):
            name_like = (_CAPITALISED.match(token.text) and token.text.lower() not in self.name_titles
                         and token.text.lower() not in self.not_names) or (words and _NAME_PARTICLE.match(token.text))
            if i not in covered and name_like:
                words.append(token)
                continue
            if words:
                runs.append((words, titled))
                words = []
            titled = titled or i in covered or token.text.lower() in self.name_titles
        if words:
            runs.append((words, titled))
        if not runs:
            return None
        # Names follow their titles in news English: "KLM president Pieter Elbers" is Elbers.
        words, titled = runs[-1]
        # One capitalised word opening a sentence ("Critics said") is not a name unless titled.
        lo, _ = ctx.sentence_bounds(words[0].start)
        opens_sentence = not ctx.text[lo:words[0].start].strip(" \"'“‘(")
        if len(words) == 1 and opens_sentence and not titled:
            return None
        return " ".join(t.text for t in words)

    def _copy(self, source: Identity, rule: str) -> Identity:
        ident = Identity(name=source.name, kb_id=source.kb_id, wikidata=source.wikidata, country=source.country,
                         sector=source.sector, office=source.office, person=source.person,
                         office_kinds=source.office_kinds, gender=source.gender)
        ident.provenance = {k: rule for k in ("name", "kb_id", "wikidata", "country", "sector", "office")
                            if getattr(source, k) is not None}
        return ident

    def _named_stranger(self, name: str, office: Office, rule: str, former: bool = False) -> Identity:
        """"Foreign Minister Ali Example", not in the KB: the office's country and sector, not its holder."""
        ident = Identity(name=name, country=office.country, sector=office.sector, office=office.title,
                         office_kinds=office.kinds)
        ident.provenance = {"name": "text:proper-name", "country": rule, "sector": rule, "office": rule}
        if former:
            ident.sector, ident.office, ident.office_kinds = "ELI", f"former {office.title}", ()
        return ident

    def _former(self, start: int, end: int, ctx: ArticleContext) -> bool:
        return bool(self.rules.former_words & {t.text.lower() for t in self._words(start, end, ctx)})

    def _title(self, kind: str, span_country: str | None, ctx: ArticleContext, start: int, end: int,
               unknown_name: str | None, phrase: str) -> Identity | None:
        if unknown_name is None and self._former(start, end, ctx):
            # "the ousted president": the last-named person who held such an office before
            for mention in reversed(ctx.persons):
                person = mention.identity.person
                if mention.start < start and person is not None and any(
                        kind in office.kinds and (span_country is None or office.country == span_country)
                        for office, _ in self.kb.past_offices(person, ctx.day)):
                    return self._copy(mention.identity, f"coref:former-title:{person.id}")
        country = span_country
        if country is None and unknown_name is None:
            # "the Prime Minister": the article's last-named holder of such an office, else home's
            for mention in reversed(ctx.persons):
                if mention.start < start and kind in mention.identity.office_kinds:
                    return self._copy(mention.identity, f"coref:title:{mention.identity.kb_id}")
        country = country or ctx.home
        office = self.kind_office(kind, country)
        if office is None:
            if country is None:
                return None
            ident = Identity(country=country, sector="GOV", name=unknown_name)
            ident.provenance = {"country": f"title:{phrase.lower()}", "sector": f"title:{phrase.lower()}"}
            return ident
        if unknown_name is not None:
            return self._named_stranger(unknown_name, office, f"title:{phrase.lower()}",
                                        former=self._former(start, end, ctx))
        return self.office_identity(office, ctx.day, rule="coref:title", with_holder=True)

    def _counterpart(self, country: str | None, ctx: ArticleContext, start: int,
                     partners: list[Identity]) -> Identity | None:
        partner = next((p for p in partners if p.office_kinds), None)
        if partner is None:
            lo, _ = ctx.sentence_bounds(start)
            mention = ctx.nearest_person_before(start, None)
            if mention is not None and mention.start >= lo and mention.identity.office_kinds:
                partner = mention.identity
        if partner is None or country is None:
            return None
        kind = next((k for k in partner.office_kinds if k != "leader"), partner.office_kinds[0])
        office = self.kind_office(kind, country)
        if office is None:
            return None
        return self.office_identity(office, ctx.day, rule="coref:counterpart", with_holder=True)

    def _origin(self, kinds: dict[str, list[Hit]], span_country: str | None, country_rule: str,
                ctx: ArticleContext, start: int, end: int) -> Identity:
        """Migrants, refugees, deportees: their country is where they come from."""
        if "origin_role" in kinds:
            role_hit = kinds["origin_role"][-1]
            sector, sector_rule = role_hit.of("origin_role")[0], f"role:{role_hit.text.lower()}"
        else:
            role_hit = kinds["demonym"][-1]
            sector, sector_rule = "CVL", f"nationality:{role_hit.text}"
        lo, hi = ctx.sentence_bounds(start)
        deported = any(h.start >= lo and h.end <= hi and "deport_cue" in h.kinds() for h in ctx.hits)
        if deported and sector == "CVL" and "origin_role" not in kinds:
            sector, sector_rule = "REF", f"origin:deported-{role_hit.text}"
        ident = Identity(sector=sector)
        ident.provenance["sector"] = sector_rule
        if span_country:
            ident.country, ident.provenance["country"] = span_country, country_rule
            return ident
        found = self._origin_country(ctx, lo, hi, start, end, deported)
        if found:
            ident.country, ident.provenance["country"] = found
        elif ctx.home:
            ident.country, ident.provenance["country"] = ctx.home, "context:article-country"
        return ident

    def _origin_country(self, ctx: ArticleContext, lo: int, hi: int, start: int, end: int,
                        deported: bool) -> tuple[str, str] | None:
        """"deported ... to India" names the origin; so does "migrants from Syria" when nobody is deported."""
        for hit in ctx.hits:
            if hit.start < lo or hit.end > hi or hit.start < end - 1:
                continue
            codes = hit.of("country") or hit.of("metonym")
            if not codes:
                continue
            prep = _FROM_TO.search(ctx.text[max(lo, hit.start - 12):hit.start])
            if prep is None:
                continue
            word = prep.group(1).lower()
            if deported and word == "to":
                return codes[0], f"origin:deported-to-{hit.text}"
            if not deported and word in ("from", "of"):
                return codes[0], f"origin:from-{hit.text}"
        return None
