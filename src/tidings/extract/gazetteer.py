"""The offline gazetteer: GeoNames places from `data/gazetteer/`, indexed by normalised name.

Why an index of our own: the GeoNames data in PyPI packages has a linear-scan name lookup
and no admin1 names. `scripts/build_gazetteer.py` trims it into one sorted TSV; this module
loads that file once per process (about a second, under 100 MB) together with the
hand-written aliases, regions, demonyms and country table, and answers "which places could
this name be?" in one dict lookup.
"""
from __future__ import annotations

import functools
import gzip
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.errors import ConfigError

# Location precision of each kind of entry (model.LOCATION_PRECISIONS).
# A county or district (admin2) is finer than admin1: "city" is the nearest precision.
_KIND_PRECISION = {"city": "city", "admin2": "city", "admin1": "admin1", "country": "country",
                   "continent": "country"}
_SPACES = re.compile(r"\s+")
_DROPPED = re.compile(r"[.\u00b7]")


def normalise(name: str) -> str:
    """Key under which a name is indexed: accents, case, dots and a leading "the" removed."""
    decomposed = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    key = _SPACES.sub(" ", _DROPPED.sub("", stripped.replace("-", " "))).strip().casefold()
    return key[4:] if key.startswith("the ") else key


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One place of the gazetteer."""

    geonameid: int | None
    name: str
    kind: str  # city, admin2, admin1, country, continent or feature
    feature_code: str
    country: str  # ISO2, "" for continents and international features
    admin1: str  # GeoNames admin1 code within the country
    lat: float
    lon: float
    population: int
    precision: str  # model.LOCATION_PRECISIONS

    @property
    def is_capital(self) -> bool:
        return self.feature_code == "PPLC"


@dataclass(frozen=True)
class CountryInfo:
    iso2: str
    iso3: str
    name: str
    capital: str
    continent: str
    tld: str
    neighbours: tuple[str, ...]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _data_lines(path: Path) -> list[list[str]]:
    """Tab-separated rows of a hand-written file, without comments and blank lines."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read gazetteer file {path}: {exc}") from exc
    return [line.split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


class Gazetteer:
    """Name -> candidate places, plus the country table and demonyms.

    Rows of the big file stay unparsed strings until a lookup needs them: parsing all
    150k entries up front would cost seconds that most articles never use.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self._rows: list[str | GazEntry] = []
        self._by_name: dict[str, list[int]] = defaultdict(list)
        self._by_id: dict[int, int] = {}
        self._alias_of: set[tuple[str, int]] = set()  # (normalised alias, entry index)
        self._admin1: dict[tuple[str, str], int] = {}
        self._country: dict[str, int] = {}
        self.countries: dict[str, CountryInfo] = {}
        self.demonyms: dict[str, int] = {}  # normalised word -> entry index
        self.weights: dict[str, Any] = {}
        self._load()

    # -- loading -------------------------------------------------------------------
    def _load(self) -> None:
        self._load_places(self.directory / "places.tsv.gz")
        self._load_features(self.directory / "features.tsv")
        self._load_aliases(self.directory / "aliases.tsv")
        for row in _data_lines(self.directory / "countries.tsv")[1:]:
            iso2, iso3, name, capital, continent, tld, neighbours = (row + [""] * 7)[:7]
            self.countries[iso2] = CountryInfo(iso2, iso3, name, capital, continent, tld,
                                               tuple(n for n in neighbours.split(",") if n))
        for word, target in ((r[0], r[1].strip()) for r in _data_lines(
                self.directory / "demonyms.tsv")):
            index = self._target(target)
            if index is None:
                raise ConfigError(f"demonyms.tsv: {word!r} names unknown place {target!r}")
            self.demonyms[normalise(word)] = index
        try:
            self.weights = yaml.safe_load((self.directory / "resolution.yaml").read_text("utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read gazetteer weights: {exc}") from exc

    def _register(self, row: str | GazEntry, gid: str, kind: str, cc: str, admin1: str,
                  keys: list[str]) -> int:
        index = len(self._rows)
        self._rows.append(row)
        for key in keys:
            bucket = self._by_name[key]
            if key and (not bucket or bucket[-1] != index):
                bucket.append(index)
        if gid:
            self._by_id.setdefault(int(gid), index)
        if kind == "admin1":
            self._admin1[(cc, admin1)] = index
        elif kind == "country":
            self._country[cc] = index
        return index

    def _load_places(self, path: Path) -> None:
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except OSError as exc:
            raise ConfigError(f"cannot read gazetteer {path}: {exc}; rebuild it with "
                              "scripts/build_gazetteer.py") from exc
        for line in lines[1:]:
            gid, _, kind, _, cc, admin1, _, _, _, keys = line.split("\t")
            self._register(line, gid, kind, cc, admin1, keys.split("|"))

    def entry(self, index: int) -> GazEntry:
        row = self._rows[index]
        if isinstance(row, GazEntry):
            return row
        gid, name, kind, code, cc, admin1, lat, lon, pop, _ = row.split("\t")
        entry = GazEntry(int(gid) if gid else None, name, kind, code, cc, admin1,
                         float(lat), float(lon), int(pop or 0), _KIND_PRECISION[kind])
        self._rows[index] = entry
        return entry

    def _load_features(self, path: Path) -> None:
        for row in _data_lines(path):
            name, aliases, kind, code, cc, lat, lon, precision = row[:8]
            entry = GazEntry(None, name, "feature", code, cc, "", float(lat), float(lon), 0,
                             precision)
            keys = [normalise(n) for n in [name, *aliases.split("|")] if n]
            self._register(entry, "", "feature", cc, "", keys)

    def _load_aliases(self, path: Path) -> None:
        for alias, target in ((r[0], r[1].strip()) for r in _data_lines(path)):
            index = self._target(target)
            if index is None:
                raise ConfigError(f"{path.name}: alias {alias!r} names unknown place {target!r}")
            key = normalise(alias)
            if index not in self._by_name[key]:
                self._by_name[key].insert(0, index)
            self._alias_of.add((key, index))

    def _target(self, target: str) -> int | None:
        if target.startswith("gid:"):
            return self._by_id.get(int(target[4:]))
        if target.startswith("admin1:"):
            cc, _, code = target[7:].partition(".")
            return self._admin1.get((cc, code))
        return self._country.get(target)

    # -- queries -------------------------------------------------------------------
    def candidates(self, name: str) -> list[GazEntry]:
        return [self.entry(i) for i in self._by_name.get(normalise(name), ())]

    def preferred(self, name: str) -> list[tuple[GazEntry, bool]]:
        """Candidates, each flagged when the name is its main name or a hand-written alias."""
        key = normalise(name)
        return [(self.entry(i), (key, i) in self._alias_of
                 or normalise(self.entry(i).name) == key) for i in self._by_name.get(key, ())]

    def has_name(self, key: str) -> bool:
        """Is this already-normalised key a name of some place?"""
        return key in self._by_name

    def country(self, iso2: str) -> GazEntry | None:
        index = self._country.get(iso2)
        return self.entry(index) if index is not None else None

    def admin1(self, iso2: str, code: str) -> GazEntry | None:
        index = self._admin1.get((iso2, code))
        return self.entry(index) if index is not None else None

    def by_geonameid(self, geonameid: int) -> GazEntry | None:
        index = self._by_id.get(geonameid)
        return self.entry(index) if index is not None else None

    def iso3(self, iso2: str) -> str | None:
        info = self.countries.get(iso2)
        return info.iso3 if info else None

    def country_of_tld(self, tld: str) -> str | None:
        for info in self.countries.values():
            if info.tld and info.tld == tld:
                return info.iso2
        return None

    def demonym_place(self, word: str) -> GazEntry | None:
        """The place a nationality word names: "Indian" -> India, "European" -> Europe."""
        index = self.demonyms.get(normalise(word))
        return self.entry(index) if index is not None else None

    def demonym_country(self, word: str) -> str | None:
        place = self.demonym_place(word)
        return place.country or None if place else None


def default_directory() -> Path:
    return Path(str(resources.files("tidings.data").joinpath("gazetteer")))


@functools.lru_cache(maxsize=2)
def load_gazetteer(directory: str | None = None) -> Gazetteer:
    """The gazetteer, loaded once per process."""
    return Gazetteer(Path(directory) if directory else default_directory())
