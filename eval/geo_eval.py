"""Geoparsing evaluation on GeoWebNews (GWN.xml) and TR-News (TR-News.xml).

Reads the gold files from `../shared/eval/geo/` (relative to the repo root) at run time;
nothing is copied into the project. Two measurements per corpus:

- resolution given gold spans: the resolver sees the gold toponym spans of an article
  (plus the article text for demonyms and admin mentions) and picks one place each;
- end to end: the `places` component finds toponyms itself on fully parsed articles;
  toponym recall is the share of gold toponyms it found (overlapping span), and the
  resolution figures are over the found ones.

Scored toponyms are the gold ones with coordinates. Metrics: accuracy within 161 km
(unresolved counts as wrong), exact GeoNames-id match (over gold with an id), country
accuracy (gold country from TR-News' tag, or from the gold id / nearest gazetteer city for
GWN), mean error in km over resolved toponyms.

Event locations are measured on the team's own labelled sentences,
`eval/event-locations.jsonl` (one trigger word per row, the gold location or null; rows
may give the event's `event_type`, `mode` and participant texts `actor`/`recipient`, for
locations told in a following sentence): precision and recall of the event's location.

Run:  .venv/bin/python eval/geo_eval.py [--corpus gwn|tr|events|all] [--gold-only] [--limit N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEO_DIR = ROOT.parent / "shared" / "eval" / "geo"
ACCURACY_KM = 161.0
_WORD = re.compile(r"[A-Za-z]+")


@dataclass
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float
    lon: float
    geonameid: int | None
    country: str | None  # ISO2, when the corpus or the gazetteer tells
    gold_name: str = ""  # the annotated GeoNames name (GWN's normalisedName)


@dataclass
class GoldArticle:
    ident: str
    text: str
    url: str | None
    toponyms: list[GoldToponym]
    # Every annotated toponym span, with or without coordinates (GWN's Non_Toponym
    # excluded): a found place outside all of them counts against precision.
    annotated: list[tuple[int, int]] = field(default_factory=list)


def _field(node: ET.Element, tag: str) -> str:
    child = node.find(tag)
    return (child.text or "").strip() if child is not None else ""


def read_gwn(path: Path) -> list[GoldArticle]:
    articles = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.find("text").text or ""
        tops, annotated = [], []
        for top in art.find("toponyms"):
            start, end = int(_field(top, "start")), int(_field(top, "end"))
            if _field(top, "type") != "Non_Toponym":
                annotated.append((start, end))
            lat, lon = _field(top, "latitude"), _field(top, "longitude")
            if not lat or not lon:
                continue
            gid = _field(top, "geonamesID")
            tops.append(GoldToponym(start, end, text[start:end], float(lat), float(lon),
                                    int(gid) if gid.isdigit() else None, None,
                                    _field(top, "normalisedName")))
        articles.append(GoldArticle(art.get("file", ""), text, _field(art, "link") or None, tops,
                                    annotated))
    return articles


def read_tr_news(path: Path, country_codes: dict[int, str]) -> list[GoldArticle]:
    articles = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.find("text").text or ""
        tops = []
        for top in art.find("toponyms"):
            tag = top.find("gaztag")
            if tag is None or not _field(tag, "lat"):
                continue
            country = tag.find("country")
            cid = country.get("geonameid") if country is not None else None
            start, phrase = int(_field(top, "start")), _field(top, "phrase")
            start = _nearest_occurrence(text, phrase, start)
            if start < 0:
                continue
            end = start + len(phrase)
            gid = tag.get("geonameid")
            tops.append(GoldToponym(start, end, phrase, float(_field(tag, "lat")),
                                    float(_field(tag, "lon")),
                                    int(gid) if gid and gid.isdigit() else None,
                                    country_codes.get(int(cid)) if cid and cid.isdigit() else None))
        articles.append(GoldArticle(art.get("docid", ""), text, _field(art, "url") or None, tops,
                                    [(t.start, t.end) for t in tops]))
    return articles


def _nearest_occurrence(text: str, phrase: str, near: int) -> int:
    """TR-News offsets drift with whitespace in some articles: take the occurrence of the
    gold phrase nearest to the stated offset (-1 when the phrase is absent)."""
    starts = [m.start() for m in re.finditer(re.escape(phrase), text)] if phrase else []
    return min(starts, key=lambda s: abs(s - near)) if starts else -1


class CountryFinder:
    """Gold country of a GWN toponym: from its GeoNames id; else none when the annotated
    name is a multi-country region, sea or continent; else the nearest city.

    Why the middle step: GWN gives no country, and the point of a region such as "Middle
    East" (GeoNames 6269133) or "Western Europe" lies in some country by accident (Syria,
    Germany). GeoNames itself gives such regions no country: TR-News, which copies the
    GeoNames country of every gold place, leaves it empty for the same Middle East id and
    for Eastern Europe, Southeast Asia, Scandinavia and the oceans, so they are not scored
    for country there either.
    """

    def __init__(self, gaz):
        self.gaz = gaz
        self.cells: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
        for index in range(len(gaz._rows)):
            entry = gaz.entry(index)
            if entry.kind == "city":
                self.cells[(int(entry.lat), int(entry.lon))].append(
                    (entry.lat, entry.lon, entry.country))

    def country(self, top: GoldToponym) -> str | None:
        from tidings.extract.gazetteer import haversine_km

        if top.geonameid is not None:
            entry = self.gaz.by_geonameid(top.geonameid)
            if entry is not None:  # continents and seas have no country
                return entry.country or None
        if top.gold_name and any(e.kind in ("continent", "feature") and not e.country
                                 for e in self.gaz.candidates(top.gold_name)):
            return None
        cell = (int(top.lat), int(top.lon))
        near = [p for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                for p in self.cells.get((cell[0] + dx, cell[1] + dy), ())]
        if not near:
            return None
        best = min(near, key=lambda p: haversine_km(top.lat, top.lon, p[0], p[1]))
        return best[2] if haversine_km(top.lat, top.lon, best[0], best[1]) < 100 else None


@dataclass
class Scores:
    name: str
    total: int = 0
    found: int = 0
    within: int = 0
    with_id: int = 0
    id_match: int = 0
    with_country: int = 0
    country_match: int = 0
    errors: list[float] | None = None
    places_found: int = 0  # end to end: places the finder reported
    places_annotated: int = 0  # ... of which overlap an annotated toponym

    def add(self, gold: GoldToponym, loc) -> None:
        from tidings.extract.gazetteer import haversine_km

        self.errors = self.errors if self.errors is not None else []
        if gold.geonameid is not None:
            self.with_id += 1
        if gold.country:
            self.with_country += 1
        if loc is None or loc.lat is None:
            return
        error = haversine_km(gold.lat, gold.lon, loc.lat, loc.lon)
        self.errors.append(error)
        self.within += error <= ACCURACY_KM
        if gold.geonameid is not None and loc.geonameid == gold.geonameid:
            self.id_match += 1
        if gold.country and loc.country_iso2 == gold.country:
            self.country_match += 1

    def lines(self) -> list[str]:
        errors = self.errors or []
        out = [f"  {self.name}: toponyms scored {self.total}"]
        if self.found != self.total:
            out.append(f"    toponym recall            {self.found / max(self.total, 1):.3f} "
                       f"({self.found}/{self.total})")
            out.append(f"    toponym precision         "
                       f"{self.places_annotated / max(self.places_found, 1):.3f} "
                       f"({self.places_annotated}/{self.places_found} found places overlap an "
                       f"annotated toponym)")
        base = self.found
        out += [
            f"    accuracy@161km            {self.within / max(base, 1):.3f} ({self.within}/{base})",
            f"    exact GeoNames id         {self.id_match / max(self.with_id, 1):.3f} "
            f"({self.id_match}/{self.with_id})",
            f"    country accuracy          {self.country_match / max(self.with_country, 1):.3f} "
            f"({self.country_match}/{self.with_country})",
            f"    mean error km (resolved)  {statistics.fmean(errors) if errors else 0:.1f} "
            f"(median {statistics.median(errors) if errors else 0:.1f}, n={len(errors)})",
        ]
        return out


@dataclass
class _Loc:
    lat: float | None
    lon: float | None
    geonameid: int | None
    country_iso2: str | None


def _as_loc(entry) -> _Loc | None:
    return _Loc(entry.lat, entry.lon, entry.geonameid, entry.country or None) if entry else None


def _demonyms(gaz, text: str) -> list[str]:
    return [c for c in (gaz.demonym_country(w) for w in _WORD.findall(text)) if c]


def _error_line(art: GoldArticle, gold: GoldToponym, res, gaz) -> str | None:
    """One wrong-country resolution, classed by what the gold place is and what we chose."""
    from tidings.extract.gazetteer import haversine_km

    entry = res.entry if res is not None else None
    if not gold.country or (entry is not None and entry.country == gold.country):
        return None
    gold_entry = gaz.by_geonameid(gold.geonameid) if gold.geonameid is not None else None
    gold_class = gold_entry.kind if gold_entry else "not-in-gazetteer"
    if entry is None:
        return f"    [{gold_class} -> unresolved] {art.ident} {gold.text!r} gold {gold.country}"
    km = haversine_km(gold.lat, gold.lon, entry.lat, entry.lon)
    return (f"    [{gold_class} -> {entry.kind}] {art.ident} {gold.text!r} gold {gold.country} "
            f"got {entry.name}/{entry.country or '-'} pop {entry.population} {km:.0f} km "
            f"({res.rule}, {res.candidates} candidates)")


def evaluate_gold_spans(articles: list[GoldArticle], component,
                        errors: list[str] | None = None) -> Scores:
    from tidings.extract.disambiguate import Mention
    from tidings.model import Article
    from tidings.document import TidingsDoc

    scores = Scores("resolution given gold spans")
    for art in articles:
        mentions = [Mention(t.text, t.start, t.end) for t in art.toponyms]
        outlet = component.outlet_country(TidingsDoc(Article(
            id=art.ident, date=dt.date(2000, 1, 1), text=art.text or " ", url=art.url)))
        results = component.resolver.resolve(art.text, mentions, _demonyms(component.gaz, art.text),
                                              outlet)
        for gold, res in zip(art.toponyms, results):
            scores.total += 1
            scores.found += 1
            scores.add(gold, _as_loc(res.entry))
            if errors is not None:
                line = _error_line(art, gold, res, component.gaz)
                if line:
                    errors.append(line)
    return scores


def evaluate_end_to_end(articles: list[GoldArticle], component) -> Scores:
    from tidings.document import TidingsDoc
    from tidings.model import Article
    from tidings.nlp import NlpStage

    stage = NlpStage()
    scores = Scores("end to end (own toponym finder)")
    for art in articles:
        doc = TidingsDoc(Article(id=art.ident, date=dt.date(2000, 1, 1), text=art.text,
                                 url=art.url))
        stage.annotate([doc], terms=None)
        component(doc)
        by_start = sorted(doc.places, key=lambda p: p.start)
        scores.places_found += len(by_start)
        scores.places_annotated += sum(any(p.start < e and s < p.end for s, e in art.annotated)
                                       for p in by_start)
        for gold in art.toponyms:
            scores.total += 1
            hit = next((p for p in by_start if p.start < gold.end and gold.start < p.end), None)
            if hit is None:  # a recall miss; resolution figures are over found toponyms
                continue
            scores.found += 1
            loc = hit.location
            iso2 = next((c.iso2 for c in component.gaz.countries.values()
                         if loc and c.iso3 == loc.country), None)
            scores.add(gold, _Loc(loc.lat, loc.lon, loc.geonameid, iso2) if loc else None)
    return scores


def evaluate_event_locations(component, path: Path) -> list[str]:
    """Precision/recall of event locations on hand-labelled sentences."""
    import json

    from tidings.document import TidingsDoc
    from tidings.extract.gazetteer import normalise
    from tidings.model import Article, Entity, Event, Evidence
    from tidings.nlp import NlpStage

    stage = NlpStage()
    predicted = gold_located = correct = right_none = 0
    misses = []
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    for row in rows:
        doc = TidingsDoc(Article(id=row["id"], date=dt.date(2025, 1, 1), text=row["text"]))
        stage.annotate([doc], terms=None)
        sent, token = next((s, t) for s in doc.parsed() for t in s.doc if t.text == row["trigger"])
        start, end = sent.span_offsets(token, token)
        event = Event(article_id=row["id"], event_type=row.get("event_type", "CONSULT"),
                      mode=row.get("mode"),
                      evidence=Evidence(sent.text, sent.start, sent.end, token.text, start, end),
                      sentence_index=sent.index, trigger_head=token.i,
                      actor=[Entity(t, 0, len(t)) for t in row.get("actor", [])],
                      recipient=[Entity(t, 0, len(t)) for t in row.get("recipient", [])])
        doc.events.append(event)
        component(doc)
        gold, loc = row["location"], event.location
        predicted += loc is not None
        gold_located += gold is not None
        if gold is None and loc is None:
            right_none += 1
        elif gold is not None and loc is not None and normalise(loc.name) == normalise(
                gold["name"]) and (gold["country"] is None or loc.country == gold["country"]):
            correct += 1
        else:
            misses.append(f"    miss {row['id']}: gold {gold and gold['name']}, got "
                          f"{loc and loc.name} ({event.provenance.get('location')})")
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold_located if gold_located else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return [f"Event locations ({path.name}): {len(rows)} sentences",
            f"  precision {precision:.3f} ({correct}/{predicted})  recall {recall:.3f} "
            f"({correct}/{gold_located})  F1 {f1:.3f}",
            f"  no-location sentences left without one: {right_none}/{len(rows) - gold_located}",
            *misses]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=("gwn", "tr", "events", "all"), default="all")
    parser.add_argument("--gold-only", action="store_true", help="skip the end-to-end run")
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    parser.add_argument("--errors", action="store_true",
                        help="print wrong-country resolutions given gold spans, by class")
    args = parser.parse_args(argv)
    if not GEO_DIR.is_dir():
        print(f"gold data not found at {GEO_DIR}", file=sys.stderr)
        return 2

    from tidings.extract.places import make_places

    component = make_places({})
    gaz = component.gaz
    country_codes = {gaz.country(cc).geonameid: cc for cc in gaz.countries if gaz.country(cc)}
    finder = CountryFinder(gaz)
    corpora = []
    if args.corpus in ("gwn", "all"):
        gwn = read_gwn(GEO_DIR / "GWN.xml")
        for art in gwn:
            for top in art.toponyms:
                top.country = finder.country(top)
        corpora.append(("GeoWebNews (GWN.xml)", gwn))
    if args.corpus in ("tr", "all"):
        corpora.append(("TR-News (TR-News.xml)", read_tr_news(GEO_DIR / "TR-News.xml",
                                                              country_codes)))
    for title, articles in corpora:
        if args.limit:
            articles = articles[:args.limit]
        print(f"{title}: {len(articles)} articles")
        started = time.perf_counter()
        errors: list[str] | None = [] if args.errors else None
        for line in evaluate_gold_spans(articles, component, errors).lines():
            print(line)
        if errors:
            print(f"  wrong country given gold spans: {len(errors)}")
            classes = Counter(line.split("]")[0].strip() + "]" for line in errors)
            for name, count in classes.most_common():
                print(f"    {count:4d} {name}")
            for line in sorted(errors):
                print(line)
        if not args.gold_only:
            for line in evaluate_end_to_end(articles, component).lines():
                print(line)
        print(f"  ({time.perf_counter() - started:.1f} s)")
    if args.corpus in ("events", "all"):
        for line in evaluate_event_locations(component, ROOT / "eval" / "event-locations.jsonl"):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
