"""Knowledge-base services: validate, search, look up, extend, and explain a resolution.

The CLI (`tidings kb ...`, `tidings actors resolve`) and the HTTP API call these functions;
they return plain dicts so every interface prints the same facts.

User additions go to an overlay YAML file (`--file`, else the first path in $TIDINGS_KB),
never into the shipped files: an overlay entry with an existing id replaces the shipped one,
so a user can correct a fact as well as add one. Every write is validated against the whole
knowledge base first, and nothing is written when a problem is found.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tidings.errors import ConfigError, NotFoundError, UsageError
from tidings.resolve.kb import (KB_ENV, KnowledgeBase, Person, Problem, check_sources, load_kb,
                                overlay_paths, read_yaml, shipped_paths)


@dataclass
class CheckReport:
    files: list[str]
    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_kb(files: list[str] | None = None, with_shipped: bool = True) -> CheckReport:
    """Validate the shipped files (unless `with_shipped` is False), then each given or $TIDINGS_KB overlay."""
    base = shipped_paths() if with_shipped else []
    overlays = [Path(f) for f in files] if files else overlay_paths()
    if not with_shipped:
        base, overlays = overlays, []
    kb, problems = check_sources(base, overlays)
    counts = {}
    if kb is not None:
        counts = {"countries": sum(1 for c in kb.countries.values() if not c.nonstate),
                  "offices": len(kb.offices), "people": len(kb.people),
                  "tenures": sum(len(p.tenures) for p in kb.people.values()),
                  "organisations": len(kb.organisations)}
    return CheckReport(files=[str(p) for p in base + list(overlays)], problems=problems, counts=counts)


# ------------------------------------------------------------------ look-ups

def _person_summary(kb: KnowledgeBase, person: Person, day: dt.date) -> dict[str, Any]:
    active = kb.active_offices(person, day)
    office = active[0][0] if active else None
    return {"kb_id": person.id, "type": "person", "name": person.name,
            "country": office.country if office else person.country,
            "office": office.title if office else None, "sector": office.sector if office else person.sector,
            "wikidata": person.wikidata}


def search_actors(q: str, day: dt.date | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """People, organisations and countries whose name or alias contains `q` (case-insensitive)."""
    needle = q.strip().lower()
    if not needle:
        raise UsageError("the search text is empty")
    day = day or dt.date.today()
    kb = load_kb()
    found: list[tuple[int, dict[str, Any]]] = []

    def rank(names: tuple[str, ...]) -> int | None:
        lowered = [n.lower() for n in names]
        if needle in lowered:
            return 0
        if any(n.startswith(needle) for n in lowered):
            return 1
        if any(needle in n for n in lowered):
            return 2
        return None

    for person in kb.people.values():
        r = rank((person.name, *person.aliases, person.id))
        if r is not None:
            found.append((r, _person_summary(kb, person, day)))
    for org in kb.organisations.values():
        r = rank((org.name, *org.aliases, org.id))
        if r is not None:
            found.append((r, {"kb_id": org.id, "type": org.kind, "name": org.name, "country": org.country,
                              "office": None, "sector": org.sector_on(day), "wikidata": org.wikidata}))
    for country in kb.countries.values():
        r = rank((country.name, *country.aliases, country.code, *country.adjectives))
        if r is not None:
            found.append((r, {"kb_id": country.code, "type": "country", "name": country.name,
                              "country": country.coded_as, "office": None, "sector": "GOV",
                              "wikidata": country.wikidata}))
    found.sort(key=lambda pair: (pair[0], pair[1]["name"]))
    return [item for _, item in found[:limit]]


def get_actor(kb_id: str, day: dt.date | None = None) -> dict[str, Any]:
    """Everything the KB holds about one id: a person with tenures, an organisation, or a country."""
    kb = load_kb()
    day = day or dt.date.today()
    if kb_id in kb.people:
        person = kb.people[kb_id]
        out = _person_summary(kb, person, day)
        out.update({"aliases": list(person.aliases), "gender": person.gender, "party": person.party,
                    "tenures": [{"office": t.office, "title": (kb.office(t.office).title if kb.office(t.office) else None),
                                 "country": (kb.office(t.office).country if kb.office(t.office) else None),
                                 "start": t.start.isoformat(), "end": t.end.isoformat() if t.end else None,
                                 "unsure": t.unsure} for t in person.tenures],
                    "on": day.isoformat()})
        return out
    if kb_id in kb.organisations:
        org = kb.organisations[kb_id]
        return {"kb_id": org.id, "type": org.kind, "name": org.name, "aliases": list(org.aliases),
                "country": org.country, "sector": org.sector_on(day), "wikidata": org.wikidata,
                "governs": [[c, s.isoformat(), e.isoformat() if e else None] for c, s, e in org.governs],
                "note": org.note, "on": day.isoformat()}
    if kb_id in kb.countries:
        c = kb.countries[kb_id]
        return {"kb_id": c.code, "type": "country", "name": c.name, "aliases": list(c.aliases),
                "adjectives": list(c.adjectives), "demonyms": list(c.demonyms), "capital": c.capital,
                "metonyms": list(c.metonyms), "fold_into": c.fold_into, "wikidata": c.wikidata}
    raise NotFoundError(f"no actor {kb_id!r} in the knowledge base")


# ------------------------------------------------------------------ additions

def overlay_file(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    env = [p for p in os.environ.get(KB_ENV, "").split(os.pathsep) if p.strip()]
    if env:
        return Path(env[0])
    raise UsageError(f"say which user knowledge-base file to write: --file PATH or ${KB_ENV}")


def _with_entry(path: Path, section: str, entry: dict[str, Any], id_key: str = "id") -> dict[str, Any]:
    data = read_yaml(path) if path.exists() else {}
    data.setdefault("version", 1)
    entries = [e for e in (data.get(section) or []) if not (isinstance(e, dict) and e.get(id_key) == entry[id_key])]
    entries.append(entry)
    data[section] = entries
    return data


def _kb_without(path: Path) -> KnowledgeBase:
    """The KB as it stands, minus the overlay about to be rewritten (which may not exist yet)."""
    others = [p for p in overlay_paths() if p.resolve() != path.resolve()]
    kb, problems = check_sources(shipped_paths(), others)
    if kb is None or problems:
        raise ConfigError(f"the knowledge base has problems; run `tidings kb check`: {problems[0]}")
    return kb


def _validate_and_write(path: Path, data: dict[str, Any]) -> None:
    """Check the shipped KB with the new overlay content; write only when it has no problem."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    others = [p for p in overlay_paths() if p.resolve() != path.resolve()]
    _, problems = check_sources(shipped_paths(), others + [tmp])
    if problems:
        tmp.unlink()
        shown = "; ".join(p.message if p.source == str(tmp) else str(p) for p in problems[:5])
        raise ConfigError(f"not written, the entry has problems: {shown}")
    os.replace(tmp, path)


def _date_arg(value: str | None, name: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise UsageError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from exc


def add_person(person_id: str, name: str | None = None, country: str | None = None,
               office: str | None = None, start: str | None = None, end: str | None = None,
               gender: str | None = None, wikidata: str | None = None, aliases: list[str] | None = None,
               sector: str | None = None, file: str | None = None) -> dict[str, Any]:
    """Add a person, or a tenure to a known person, in a user overlay file. Returns the entry."""
    path = overlay_file(file)
    existing = _overlay_entry(path, "people", person_id)
    kb = _kb_without(path)
    if existing is None and person_id in kb.people:
        existing = _person_as_entry(kb.people[person_id])
    entry = dict(existing or {"id": person_id, "tenures": []})
    for key, value in (("name", name), ("country", country), ("gender", gender), ("wikidata", wikidata),
                       ("sector", sector)):
        if value is not None:
            entry[key] = value
    if aliases:
        entry["aliases"] = sorted(set(entry.get("aliases") or []) | set(aliases))
    if "name" not in entry or "country" not in entry:
        raise UsageError(f"a new person needs --name and --country ({person_id!r} is not in the knowledge base)")
    if office:
        first = _date_arg(start, "--start")
        if first is None:
            raise UsageError("a tenure needs --start")
        entry["tenures"] = list(entry.get("tenures") or []) + [[office, first, _date_arg(end, "--end")]]
    elif start or end:
        raise UsageError("--start/--end need --office")
    _validate_and_write(path, _with_entry(path, "people", entry))
    return {"file": str(path), "entry": entry}


def add_office(office_id: str, title: str, kinds: list[str] | None = None, aliases: list[str] | None = None,
               sector: str = "GOV", file: str | None = None) -> dict[str, Any]:
    """Add or replace an office (e.g. `IND.space`, or `USA.defence` to change its title) in an overlay."""
    path = overlay_file(file)
    code, dot, kind = office_id.partition(".")
    if not dot or not kind:
        raise UsageError(f"an office id is COUNTRY.name, e.g. IND.space, not {office_id!r}")
    entry: dict[str, Any] = {"id": office_id, "country": code, "title": title, "sector": sector}
    if kinds:
        entry["kinds"] = list(kinds)
    if aliases:
        entry["aliases"] = list(aliases)
    _validate_and_write(path, _with_entry(path, "offices", entry))
    return {"file": str(path), "entry": entry}


def _overlay_entry(path: Path, section: str, ident: str) -> dict[str, Any] | None:
    if not path.exists():
        return None
    for entry in read_yaml(path).get(section) or []:
        if isinstance(entry, dict) and entry.get("id") == ident:
            return entry
    return None


def _person_as_entry(person: Person) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": person.id, "name": person.name, "country": person.country}
    for key in ("gender", "wikidata", "party", "sector"):
        if getattr(person, key) is not None:
            entry[key] = getattr(person, key)
    if person.aliases:
        entry["aliases"] = list(person.aliases)
    entry["tenures"] = [[t.office, t.start.isoformat(), t.end.isoformat() if t.end else None]
                        + (["unsure"] if t.unsure else []) for t in person.tenures]
    return entry


# ------------------------------------------------------------------ explaining

def resolve_text(text: str, day: dt.date, span: str | None = None) -> list[dict[str, Any]]:
    """Resolve the mentions of a text on a date (or one phrase of it), with each field's provenance."""
    from tidings.resolve import explain

    if not text.strip():
        raise UsageError("the text is empty")
    bounds = None
    if span:
        at = text.find(span)
        if at < 0:
            raise UsageError(f"{span!r} is not in the text")
        bounds = (at, at + len(span))
    out = []
    for entity in explain(text, day, bounds):
        record = entity.to_record()
        record["provenance"] = dict(entity.provenance)
        out.append(record)
    return out
