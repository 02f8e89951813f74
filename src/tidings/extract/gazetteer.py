"""The offline gazetteer: GeoNames places from `data/gazetteer/`, indexed by normalised name.

Why an index of our own: the GeoNames data in PyPI packages has a linear-scan name lookup
and no admin1 names. `scripts/build_gazetteer.py` trims it into one sorted TSV; this module
loads that file once per process (about a second, under 100 MB) together with the
hand-written aliases, regions, demonyms and country table, and answers "which places could
this name be?" in one dict lookup.
"""
from __future__ import annotations

import bisect
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


@functools.lru_cache(maxsize=1 << 16)  # the same names recur across an article and a batch
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

    Rows of the big file stay unparsed strings, and the name index keeps its row lists as
    text, until a lookup needs them: parsing 160k places and 470k names up front would
    cost seconds that most articles never use.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self._rows: list[str | GazEntry] = []
        self._names: list[str] = []  # sorted "key\trow,row" lines of names.tsv.gz
        self._extra: dict[str, list[int]] = defaultdict(list)  # hand-written names first
        self._by_id_map: dict[int, int] | None = None
        self._extra_ids: dict[str, list[int]] = defaultdict(list)  # alias key -> GeoNames ids
        self._alias_of: set[tuple[str, int]] = set()  # (normalised alias, entry index)
        self._admin1: dict[tuple[str, str], int] = {}
        self._country: dict[str, int] = {}
        self._region_ids: dict[int, int] = {}  # GeoNames id -> row, for non-city rows
        self.countries: dict[str, CountryInfo] = {}
        self.demonyms: dict[str, int] = {}  # normalised word -> entry index
        self.weights: dict[str, Any] = {}
        self._load()

    # -- loading -------------------------------------------------------------------
    def _load(self) -> None:
        self._load_places(self.directory / "places.tsv.gz", self.directory / "names.tsv.gz")
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

    @staticmethod
    def _gzip_lines(path: Path) -> list[str]:
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                return fh.read().splitlines()[1:]  # without the header
        except OSError as exc:
            raise ConfigError(f"cannot read gazetteer {path}: {exc}; rebuild it with "
                              "scripts/build_gazetteer.py") from exc

    def _load_places(self, places: Path, names: Path) -> None:
        self._rows = list(self._gzip_lines(places))
        self._names = self._gzip_lines(names)
        # Rows are sorted by kind (admin1, admin2, city, continent, country): only the
        # regions at the start and the countries at the end are indexed by code here.
        ends = list(range(len(self._rows))), list(range(len(self._rows) - 1, -1, -1))
        for order in ends:
            for index in order:
                line = self._rows[index]
                if "\tcity\t" in line:
                    break
                gid, _, kind, _, cc, admin1, _ = line.split("\t", 6)
                if gid:
                    self._region_ids[int(gid)] = index
                if kind == "admin1":
                    self._admin1[(cc, admin1)] = index
                elif kind == "country":
                    self._country[cc] = index

    def _listed(self, key: str) -> str | None:
        """The row list of a key in the sorted names file, by binary search."""
        probe = key + "\t"
        at = bisect.bisect_left(self._names, probe)
        if at < len(self._names) and self._names[at].startswith(probe):
            return self._names[at][len(probe):]
        return None

    def _add_entry(self, entry: GazEntry, keys: list[str]) -> int:
        index = len(self._rows)
        self._rows.append(entry)
        for key in keys:
            if key and index not in self._extra[key]:
                self._extra[key].append(index)
        return index

    def _indices(self, key: str) -> list[int]:
        found = list(self._extra.get(key, ()))
        for gid in self._extra_ids.get(key, ()):  # aliases by GeoNames id, resolved late
            index = self._by_id.get(gid)
            if index is not None and index not in found:
                found.insert(0, index)
        listed = self._listed(key)
        if listed:
            found += [i for i in map(int, listed.split(",")) if i not in found]
        return found

    @property
    def _by_id(self) -> dict[int, int]:
        """GeoNames id -> row, built on first use (aliases by id, evaluation)."""
        if self._by_id_map is None:
            self._by_id_map = {}
            for index, row in enumerate(self._rows):
                gid = row.geonameid if isinstance(row, GazEntry) else row.split("\t", 1)[0]
                if gid:
                    self._by_id_map.setdefault(int(gid), index)
        return self._by_id_map

    def entry(self, index: int) -> GazEntry:
        row = self._rows[index]
        if isinstance(row, GazEntry):
            return row
        gid, name, kind, code, cc, admin1, lat, lon, pop = row.split("\t")
        entry = GazEntry(int(gid) if gid else None, name, kind, code, cc, admin1,
                         float(lat), float(lon), int(pop or 0), _KIND_PRECISION[kind])
        self._rows[index] = entry
        return entry

    def __len__(self) -> int:
        return len(self._rows)

    def _load_features(self, path: Path) -> None:
        for row in _data_lines(path):
            name, aliases, kind, code, cc, lat, lon, precision = row[:8]
            entry = GazEntry(None, name, "feature", code, cc, "", float(lat), float(lon), 0,
                             precision)
            self._add_entry(entry, [normalise(n) for n in [name, *aliases.split("|")] if n])

    def _load_aliases(self, path: Path) -> None:
        for alias, target in ((r[0], r[1].strip()) for r in _data_lines(path)):
            if target.startswith("gid:"):  # resolved on first lookup: no id map at load time
                self._extra_ids[normalise(alias)].append(int(target[4:]))
                continue
            index = self._target(target)
            if index is None:
                raise ConfigError(f"{path.name}: alias {alias!r} names unknown place {target!r}")
            key = normalise(alias)
            if index not in self._extra[key]:
                self._extra[key].insert(0, index)
            self._alias_of.add((key, index))

    def _target(self, target: str) -> int | None:
        if target.startswith("gid:"):
            gid = int(target[4:])
            if gid in self._region_ids:  # continents, regions: no full id map needed
                return self._region_ids[gid]
            return self._by_id.get(gid)
        if target.startswith("feature:"):
            found = [i for i in self._extra.get(normalise(target[8:]), ())
                     if self.entry(i).kind == "feature"]
            return found[0] if found else None
        if target.startswith("admin1:"):
            cc, _, code = target[7:].partition(".")
            return self._admin1.get((cc, code))
        return self._country.get(target)

    # -- queries -------------------------------------------------------------------
    def candidates(self, name: str) -> list[GazEntry]:
        return [self.entry(i) for i in self._indices(normalise(name))]

    def preferred(self, name: str) -> list[tuple[GazEntry, bool]]:
        """Candidates, each flagged when the name is its main name or a hand-written alias."""
        key = normalise(name)
        ids = self._extra_ids.get(key, ())
        return [(self.entry(i), (key, i) in self._alias_of or self.entry(i).geonameid in ids
                 or normalise(self.entry(i).name) == key) for i in self._indices(key)]

    def has_name(self, key: str) -> bool:
        """Is this already-normalised key a name of some place?"""
        return key in self._extra or key in self._extra_ids or self._listed(key) is not None

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
