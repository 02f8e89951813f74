"""The knowledge base: countries, offices, people with dated tenures, organisations, role words.

Why data files and not code: facts about who holds which office change every month, and users
must be able to correct or extend them without touching Python. The shipped files live in
`tidings/data/kb/`; user overlay files (the `TIDINGS_KB` environment variable, a list of
paths separated by the OS path separator, or `extra_files` in the component config) are read
after them, and an entry with an id that already exists replaces the shipped one.

`check_sources` reports every problem (bad dates, overlapping tenures, duplicate ids, unknown
codes); `load_kb` refuses a knowledge base with problems, with a message naming each one.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.errors import ConfigError

KB_ENV = "TIDINGS_KB"
SHIPPED_FILES = ("countries.yaml", "offices.yaml", "people.yaml", "people-historical.yaml", "people-cabinets.yaml", "organisations.yaml", "roles.yaml")
SECTIONS = ("countries", "nonstate", "offices", "people", "organisations")
# PLOVER sector codes (manual, "Sector Codes").
SECTOR_CODES = frozenset(
    "COP GOV JUD LEG MIL PRM PTY REB SPY UAF UNK AGR BUS CRM CVL EDU ELI JRN LAB MED REF OPP PRE REL SOC"
    .split())
ORG_KINDS = frozenset("igo un_agency eu_body agency armed_group party ngo company media".split())
# Office kinds that rank a person's offices when they hold several on one date.
KIND_RANK = ("head_of_state", "head_of_government", "head_of_organisation", "leader", "foreign", "defence",
             "interior", "finance", "deputy_head", "justice", "security_adviser", "intelligence",
             "military_chief", "opposition_leader", "legislature_head", "legislature_leader")

# The fields each section's entries may have; anything else is reported by `kb check`.
FIELDS = {
    "countries": {"code", "iso2", "name", "aliases", "adjectives", "demonyms", "capital", "metonyms",
                  "geonameid", "wikidata", "fold_into", "sector_extra"},
    "nonstate": {"code", "name"},
    "offices": {"id", "country", "kinds", "title", "aliases", "sector", "organisation"},
    "people": {"id", "name", "country", "gender", "wikidata", "aliases", "tenures", "party", "sector", "note"},
    "organisations": {"id", "name", "kind", "country", "sector", "aliases", "wikidata", "governs", "note"},
}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    metonyms: tuple[str, ...] = ()
    wikidata: str | None = None
    fold_into: str | None = None  # a dependency coded as its controlling state (PLOVER)
    nonstate: bool = False

    @property
    def coded_as(self) -> str:
        return self.fold_into or self.code


@dataclass(frozen=True)
class Office:
    id: str
    country: str
    kinds: tuple[str, ...]
    title: str
    aliases: tuple[str, ...] = ()
    sector: str = "GOV"
    organisation: str | None = None

    @property
    def main_kind(self) -> str:
        return self.kinds[0] if self.kinds else "other"


@dataclass(frozen=True)
class Tenure:
    office: str
    start: dt.date
    end: dt.date | None  # the day the person left office; None = still in office
    unsure: bool = False

    def holds(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    country: str
    gender: str | None = None
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    tenures: tuple[Tenure, ...] = ()
    party: str | None = None
    sector: str | None = None  # when they hold no office: e.g. OPP for an opposition figure


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    kind: str
    country: str
    sector: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    governs: tuple[tuple[str, dt.date, dt.date | None], ...] = ()
    note: str | None = None

    def sector_on(self, day: dt.date) -> str:
        """GOV while the organisation leads the government, else its usual sector."""
        for _, start, end in self.governs:
            if start <= day and (end is None or day < end):
                return "GOV"
        return self.sector


@dataclass(frozen=True)
class RoleTables:
    standard_offices: dict[str, str]
    titles: dict[str, tuple[str, ...]]  # office kind -> phrases
    name_titles: tuple[str, ...]
    counterpart_words: tuple[str, ...]
    pronouns: dict[str, str]
    sectors: dict[str, tuple[str, ...]]
    origin_roles: dict[str, tuple[str, ...]]
    deportation_cues: tuple[str, ...]
    not_names: tuple[str, ...] = ()


@dataclass
class KnowledgeBase:
    countries: dict[str, Country]
    offices: dict[str, Office]
    people: dict[str, Person]
    organisations: dict[str, Organisation]
    roles: RoleTables
    leader_is_head_of_state: frozenset[str]
    sources: tuple[str, ...] = ()
    _holders: dict[str, list[tuple[Tenure, Person]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        holders: dict[str, list[tuple[Tenure, Person]]] = defaultdict(list)
        for person in self.people.values():
            for tenure in person.tenures:
                holders[tenure.office].append((tenure, person))
        self._holders = dict(holders)

    def office(self, office_id: str) -> Office | None:
        """A listed office, or a country's standard office (`IND.defence`) with its default title."""
        if office_id in self.offices:
            return self.offices[office_id]
        code, _, kind = office_id.partition(".")
        if kind in self.roles.standard_offices and code in self.countries:
            kinds = (kind, "leader") if self._is_leader_kind(code, kind) else (kind,)
            return Office(id=office_id, country=code, kinds=kinds, title=self.roles.standard_offices[kind])
        return None

    def _is_leader_kind(self, code: str, kind: str) -> bool:
        wanted = "head_of_state" if code in self.leader_is_head_of_state else "head_of_government"
        return kind == wanted

    def holders(self, office_id: str, day: dt.date) -> list[Person]:
        return [person for tenure, person in self._holders.get(office_id, ()) if tenure.holds(day)]

    def offices_for(self, country: str, kind: str) -> list[Office]:
        """The offices of a country that fill a kind (e.g. USA, defence -> USA.defence)."""
        found = [o for o in self.offices.values() if o.country == country and kind in o.kinds]
        standard = self.office(f"{country}.{kind}")
        if standard is not None and standard not in found and kind in standard.kinds:
            found.append(standard)
        if kind == "leader" and not found:
            code_kind = "head_of_state" if country in self.leader_is_head_of_state else "head_of_government"
            found = self.offices_for(country, code_kind)
        return found

    def active_offices(self, person: Person, day: dt.date) -> list[tuple[Office, Tenure]]:
        found = []
        for tenure in person.tenures:
            office = self.office(tenure.office)
            if office is not None and tenure.holds(day):
                found.append((office, tenure))
        return sorted(found, key=lambda pair: office_rank(pair[0]))

    def past_offices(self, person: Person, day: dt.date) -> list[tuple[Office, Tenure]]:
        found = []
        for tenure in person.tenures:
            office = self.office(tenure.office)
            if office is not None and tenure.end is not None and tenure.end <= day:
                found.append((office, tenure))
        return sorted(found, key=lambda pair: office_rank(pair[0]))

    def country_name(self, code: str) -> str:
        country = self.countries.get(code)
        return country.name if country else code


def office_rank(office: Office) -> int:
    ranks = [KIND_RANK.index(k) for k in office.kinds if k in KIND_RANK]
    return min(ranks) if ranks else len(KIND_RANK)


# ---------------------------------------------------------------- reading and checking

@dataclass(frozen=True)
class Problem:
    source: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.where}: {self.message}"


def shipped_paths() -> list[Path]:
    base = resources.files("tidings.data").joinpath("kb")
    return [Path(str(base.joinpath(name))) for name in SHIPPED_FILES]


def overlay_paths(extra: list[str] | tuple[str, ...] = ()) -> list[Path]:
    """User files: the component's `extra_files`, then $TIDINGS_KB."""
    paths = [Path(p) for p in extra]
    env = os.environ.get(KB_ENV, "")
    paths += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    return paths


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_Loader)
    except FileNotFoundError as exc:
        raise ConfigError(f"knowledge base file not found: {path}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read knowledge base file {path}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"knowledge base file {path} must hold a mapping of sections")
    return data


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _strings(value: Any) -> tuple[str, ...]:
    """A list of strings from YAML; one scalar (`aliases: 0`, `aliases: Foo`) is a list of one."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set)):
        return tuple(str(v) for v in value)
    return (str(value),)


class _Builder:
    """Merges the raw sections of several files, then builds typed records and collects problems."""

    def __init__(self) -> None:
        self.raw: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {s: {} for s in SECTIONS}
        self.roles_raw: dict[str, Any] = {}
        self.leader_hos: set[str] = set()
        self.problems: list[Problem] = []
        self.sources: list[str] = []

    def add_file(self, path: Path, overlay: bool) -> None:
        data = read_yaml(path)
        source = str(path)
        self.sources.append(source)
        seen_here: set[tuple[str, str]] = set()
        for key, value in data.items():
            if key == "version":
                continue
            if key in ("standard_offices", "titles", "name_titles", "counterpart_words", "pronouns",
                       "sectors", "origin_roles", "deportation_cues", "not_names"):
                self.roles_raw[key] = value
                continue
            if key == "leader_is_head_of_state":
                self.leader_hos |= set(_strings(value))
                continue
            if key not in SECTIONS:
                self.problems.append(Problem(source, key, f"unknown section {key!r}"))
                continue
            if not isinstance(value, list):
                self.problems.append(Problem(source, key, "a section must be a list of entries"))
                continue
            id_key = "code" if key in ("countries", "nonstate") else "id"
            for i, entry in enumerate(value):
                where = f"{key}[{i}]"
                if not isinstance(entry, dict) or not entry.get(id_key):
                    self.problems.append(Problem(source, where, f"entry without an {id_key!r}"))
                    continue
                ident = str(entry[id_key])
                unknown = sorted(str(k) for k in entry if k not in FIELDS[key])
                if unknown:
                    # Often an unquoted comma in a flow mapping: `title: A, B` makes a key `B`.
                    self.problems.append(Problem(source, ident, f"unknown field(s) {unknown}; "
                                                 f"quote values that contain a comma"))
                if (key, ident) in seen_here:
                    self.problems.append(Problem(source, where, f"duplicate {id_key} {ident!r}"))
                    continue
                seen_here.add((key, ident))
                if ident in self.raw[key] and not overlay:
                    self.problems.append(Problem(source, where, f"duplicate {id_key} {ident!r} "
                                                 f"(also in {self.raw[key][ident][0]})"))
                    continue
                self.raw[key][ident] = (source, entry)

    def build(self) -> KnowledgeBase:
        countries = self._countries()
        codes = set(countries)
        roles = self._roles()
        offices = self._offices(codes, roles)
        organisations = self._organisations(codes)
        kb = KnowledgeBase(countries=countries, offices=offices, people={}, organisations=organisations,
                           roles=roles, leader_is_head_of_state=frozenset(self.leader_hos),
                           sources=tuple(self.sources))
        people = self._people(kb, codes, set(organisations))
        kb.people.update(people)
        kb.__post_init__()
        self._check_overlaps(kb)
        for code in sorted(self.leader_hos - codes):
            self.problems.append(Problem("offices", "leader_is_head_of_state", f"unknown country code {code!r}"))
        return kb

    def _countries(self) -> dict[str, Country]:
        out: dict[str, Country] = {}
        for section, nonstate in (("countries", False), ("nonstate", True)):
            for code, (source, e) in self.raw[section].items():
                if len(code) != 3 or not code.isupper():
                    self.problems.append(Problem(source, code, "a country code is three capital letters"))
                out[code] = Country(
                    code=code, name=str(e.get("name") or code), aliases=_strings(e.get("aliases")),
                    adjectives=_strings(e.get("adjectives")), demonyms=_strings(e.get("demonyms")),
                    capital=e.get("capital"), metonyms=_strings(e.get("metonyms")),
                    wikidata=e.get("wikidata"), fold_into=e.get("fold_into"), nonstate=nonstate)
        for code, country in out.items():
            if country.fold_into and country.fold_into not in out:
                source = self.raw["countries"][code][0]
                self.problems.append(Problem(source, code, f"fold_into unknown country {country.fold_into!r}"))
        return out

    def _roles(self) -> RoleTables:
        r = self.roles_raw

        def table(name: str) -> dict[str, tuple[str, ...]]:
            raw = r.get(name) or {}
            return {str(k): _strings(v) for k, v in raw.items()}

        for sector in list(table("sectors")) + list(table("origin_roles")):
            if sector not in SECTOR_CODES:
                self.problems.append(Problem("roles", sector, f"unknown sector code {sector!r}"))
        return RoleTables(
            standard_offices={str(k): str(v) for k, v in (r.get("standard_offices") or {}).items()},
            titles=table("titles"), name_titles=_strings(r.get("name_titles")),
            counterpart_words=_strings(r.get("counterpart_words")),
            pronouns={str(k): str(v) for k, v in (r.get("pronouns") or {}).items()},
            sectors=table("sectors"), origin_roles=table("origin_roles"),
            deportation_cues=_strings(r.get("deportation_cues")), not_names=_strings(r.get("not_names")))

    def _offices(self, codes: set[str], roles: RoleTables) -> dict[str, Office]:
        out: dict[str, Office] = {}
        for ident, (source, e) in self.raw["offices"].items():
            code, _, kind = ident.partition(".")
            country = str(e.get("country") or code)
            if country not in codes:
                self.problems.append(Problem(source, ident, f"unknown country code {country!r}"))
            kinds = _strings(e.get("kinds")) or ((kind,) if kind in roles.standard_offices else ())
            if not kinds:
                self.problems.append(Problem(source, ident, "office has no kinds"))
            sector = str(e.get("sector") or "GOV")
            if sector not in SECTOR_CODES:
                self.problems.append(Problem(source, ident, f"unknown sector code {sector!r}"))
            title = e.get("title") or roles.standard_offices.get(kind)
            if not title:
                self.problems.append(Problem(source, ident, "office has no title"))
            out[ident] = Office(id=ident, country=country, kinds=kinds, title=str(title or ident),
                                aliases=tuple(a.lower() for a in _strings(e.get("aliases"))),
                                sector=sector, organisation=e.get("organisation"))
        return out

    def _organisations(self, codes: set[str]) -> dict[str, Organisation]:
        out: dict[str, Organisation] = {}
        for ident, (source, e) in self.raw["organisations"].items():
            country, sector, kind = str(e.get("country")), str(e.get("sector") or "GOV"), str(e.get("kind"))
            if country not in codes:
                self.problems.append(Problem(source, ident, f"unknown country code {country!r}"))
            if sector not in SECTOR_CODES:
                self.problems.append(Problem(source, ident, f"unknown sector code {sector!r}"))
            if kind not in ORG_KINDS:
                self.problems.append(Problem(source, ident, f"unknown organisation kind {kind!r}"))
            governs = []
            for span in e.get("governs") or ():
                try:
                    where, start, end = span[0], _date(span[1]), _date(span[2] if len(span) > 2 else None)
                except (TypeError, ValueError, IndexError) as exc:
                    self.problems.append(Problem(source, ident, f"bad governs span {span!r}: {exc}"))
                    continue
                if end is not None and start is not None and end < start:
                    self.problems.append(Problem(source, ident, f"governs span ends before it starts: {span!r}"))
                governs.append((str(where), start, end))
            out[ident] = Organisation(id=ident, name=str(e.get("name") or ident), kind=kind, country=country,
                                      sector=sector, aliases=_strings(e.get("aliases")),
                                      wikidata=e.get("wikidata"), governs=tuple(governs), note=e.get("note"))
        return out

    def _people(self, kb: KnowledgeBase, codes: set[str], org_ids: set[str]) -> dict[str, Person]:
        out: dict[str, Person] = {}
        for ident, (source, e) in self.raw["people"].items():
            country = str(e.get("country"))
            if country not in codes:
                self.problems.append(Problem(source, ident, f"unknown country code {country!r}"))
            gender = e.get("gender")
            if gender not in (None, "m", "f"):
                self.problems.append(Problem(source, ident, f"gender must be m or f, not {gender!r}"))
            sector = e.get("sector")
            if sector is not None and sector not in SECTOR_CODES:
                self.problems.append(Problem(source, ident, f"unknown sector code {sector!r}"))
            party = e.get("party")
            if party is not None and party not in org_ids:
                self.problems.append(Problem(source, ident, f"unknown party {party!r}"))
            qid = e.get("wikidata")
            if qid is not None and not (str(qid).startswith("Q") and str(qid)[1:].isdigit()):
                self.problems.append(Problem(source, ident, f"bad Wikidata id {qid!r}"))
            tenures = []
            for raw in e.get("tenures") or ():
                tenure = self._tenure(source, ident, raw, kb)
                if tenure is not None:
                    tenures.append(tenure)
            out[ident] = Person(id=ident, name=str(e.get("name") or ident), country=country, gender=gender,
                                wikidata=qid, aliases=_strings(e.get("aliases")), tenures=tuple(tenures),
                                party=party, sector=sector)
        return out

    def _tenure(self, source: str, ident: str, raw: Any, kb: KnowledgeBase) -> Tenure | None:
        if isinstance(raw, dict):
            raw = [raw.get("office"), raw.get("start"), raw.get("end"), "unsure" if raw.get("unsure") else None]
        if not isinstance(raw, (list, tuple)) or len(raw) < 2:
            self.problems.append(Problem(source, ident, f"a tenure is [office, start, end], not {raw!r}"))
            return None
        office = str(raw[0])
        try:
            start = _date(raw[1])
            end = _date(raw[2]) if len(raw) > 2 else None
        except ValueError as exc:
            self.problems.append(Problem(source, ident, f"bad date in tenure {list(raw)!r}: {exc}"))
            return None
        if start is None:
            self.problems.append(Problem(source, ident, f"tenure without a start date: {list(raw)!r}"))
            return None
        if end is not None and end < start:
            self.problems.append(Problem(source, ident, f"tenure of {office} ends ({end}) before it starts ({start})"))
        if kb.office(office) is None:
            self.problems.append(Problem(source, ident, f"unknown office {office!r}"))
        return Tenure(office=office, start=start, end=end, unsure=len(raw) > 3 and raw[3] == "unsure")

    def _check_overlaps(self, kb: KnowledgeBase) -> None:
        """One holder per office at a time; a person's tenures of one office must not overlap."""
        for office_id, holders in kb._holders.items():
            ordered = sorted(holders, key=lambda pair: pair[0].start)
            for (prev, prev_person), (cur, cur_person) in zip(ordered, ordered[1:]):
                if prev.end is None or cur.start < prev.end:
                    source = self.raw["people"][cur_person.id][0]
                    self.problems.append(Problem(
                        source, cur_person.id,
                        f"tenure of {office_id} from {cur.start} overlaps {prev_person.id}'s "
                        f"({prev.start}..{prev.end or 'open'})"))


def check_sources(paths: list[Path], overlays: list[Path] = ()) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Read and validate; returns the knowledge base (None when unreadable) and every problem."""
    builder = _Builder()
    try:
        for path in paths:
            builder.add_file(path, overlay=False)
        for path in overlays:
            builder.add_file(path, overlay=True)
    except ConfigError as exc:
        return None, builder.problems + [Problem("kb", "read", exc.message)]
    kb = builder.build()
    return kb, builder.problems


@functools.lru_cache(maxsize=8)
def _load_cached(paths: tuple[str, ...], overlays: tuple[str, ...], stamps: tuple[float, ...]) -> KnowledgeBase:
    kb, problems = check_sources([Path(p) for p in paths], [Path(p) for p in overlays])
    if problems or kb is None:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ConfigError(f"the knowledge base has {len(problems)} problem(s): {shown}{more}. "
                          f"Run `tidings kb check` for the full list.")
    return kb


def load_kb(extra_files: list[str] | tuple[str, ...] = ()) -> KnowledgeBase:
    """The shipped knowledge base plus user overlays, loaded once per process per set of files."""
    paths = tuple(str(p) for p in shipped_paths())
    overlays = tuple(str(p) for p in overlay_paths(extra_files))
    stamps = []
    for p in paths + overlays:
        try:
            stamps.append(os.path.getmtime(p))
        except OSError:
            stamps.append(-1.0)
    return _load_cached(paths, overlays, tuple(stamps))
