"""Exports of merged events for other tools: PLOVER JSON Lines, GDELT-2.0-style TSV, CSV
and Parquet (one table per event and one per mention).

Field names follow the PLOVER manual's "Data Fields" chapter for JSON Lines, and GDELT
2.0's event and mention tables for TSV; `docs/export-gdelt.md` lists the columns and what
fills each one. Input records are merged records (`tidings.merge`); a plain event record
is exported as an event with one mention.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from tidings.errors import UsageError
from tidings.merge import certainty_of, parse_date_span

FORMATS = ("plover", "gdelt", "csv", "parquet")
QUAD_CODES = {"verbal_cooperation": 1, "material_cooperation": 2, "verbal_conflict": 3,
              "material_conflict": 4}
LOCATION_RESOLUTION = {"point": 5, "city": 4, "admin1": 2, "country": 1}


def _mentions(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The mentions of a merged record; a plain event record is its own single mention."""
    if "mentions" in record:
        return list(record["mentions"])
    return [{"event_id": record.get("event_id"), "article_id": record.get("article_id"),
             "outlet": None, "article_date": None, "status": record.get("status"),
             "attribution": record.get("attribution"), "evidence": record.get("evidence"),
             "date": record.get("date"), "confidence": record.get("confidence"),
             "merge_score": None, "why": None}]


def _id(record: Mapping[str, Any]) -> str:
    return str(record.get("merged_id") or record.get("event_id"))


# --------------------------------------------------------------------------- PLOVER

def _plover_entity(entity: Mapping[str, Any]) -> dict[str, Any]:
    return {"code": entity.get("country"), "sector": entity.get("sector"),
            "entity_text": entity.get("text"), "identifier_id": entity.get("wikidata"),
            "identifier_text": entity.get("name"), "office": entity.get("office"),
            "kb_id": entity.get("kb_id")}


def plover_record(record: Mapping[str, Any], coded: dt.date | None = None) -> dict[str, Any]:
    """A record under the PLOVER manual's JSON field names, tidings' extras after them."""
    from tidings import __version__

    date = record.get("date") or {}
    span = parse_date_span(date.get("value"))
    location = record.get("location")
    evidence = record.get("evidence") or {}
    mentions = _mentions(record)
    out = {
        "id": _id(record),
        "date": span[0].isoformat() if span else None,
        "enddate": span[1].isoformat() if span and span[1] != span[0] else None,
        "actor": [_plover_entity(e) for e in record.get("actor") or []],
        "recipient": [_plover_entity(e) for e in record.get("recipient") or []],
        "event": [record.get("event_type")],
        "event_loc": None if not location else {
            "extracted_place": location.get("text"), "resolved_place": location.get("name"),
            "geonameid": location.get("geonameid"), "lat": location.get("lat"),
            "lon": location.get("lon"), "province": location.get("admin1"),
            "country_code": location.get("country"), "feature_code": location.get("feature_code"),
            "resolution": LOCATION_RESOLUTION.get(location.get("precision"))},
        "event_text": [m["evidence"]["sentence"] for m in mentions if m.get("evidence")],
        "quad_code": QUAD_CODES.get(record.get("quad_class")),
        "event_scale": record.get("score"),
        "mode": [record["mode"]] if record.get("mode") else [],
        "context": list(record.get("contexts") or []),
        "link": [link["merged_id"] for link in record.get("linked") or []],
        "text_info": {"start": evidence.get("start"), "end": evidence.get("end")},
        "cite_info": {"citation": [m.get("article_id") for m in mentions],
                      "publication": sorted({m["outlet"] for m in mentions if m.get("outlet")}),
                      "coder": f"tidings {__version__}", "codebook": "plover-base"},
        "coder": f"tidings {__version__}",
        "coded_date": (coded or dt.date.today()).isoformat(),
        # tidings' own fields (PLOVER allows providers to add named fields)
        "status": record.get("status"),
        "date_precision": date.get("precision"),
        "certainty": certainty_of(record)["certainty"],
        "cameo": record.get("cameo"),
        "num_mentions": record.get("num_mentions", 1),
        "num_sources": record.get("num_sources", 1),
        "num_articles": record.get("num_articles", 1),
        "mentions": [{k: m.get(k) for k in ("event_id", "article_id", "outlet", "status",
                                            "attribution", "merge_score", "why")}
                     for m in mentions],
    }
    return out


def write_plover(records: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(plover_record(record), ensure_ascii=False) + "\n")
        count += 1
    return count


# --------------------------------------------------------------------------- GDELT

GDELT_EVENT_COLUMNS = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{field}" for n in (1, 2) for field in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{prefix}_{field}" for prefix in ("Actor1Geo", "Actor2Geo", "ActionGeo") for field in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)
GDELT_MENTION_COLUMNS = (
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)
_GEO_TYPE = {"country": 1, "admin1": 5, "city": 4, "point": 4}


def global_event_id(record_id: str) -> int:
    """A stable positive 63-bit integer for a tidings id (GDELT ids are integers)."""
    return int(hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:15], 16)


def _compact(day: dt.date | None) -> str:
    return day.strftime("%Y%m%d") if day else ""


def gdelt_event_row(record: Mapping[str, Any], added: dt.date | None = None) -> dict[str, Any]:
    span = parse_date_span((record.get("date") or {}).get("value"))
    day = span[0] if span else None
    row: dict[str, Any] = dict.fromkeys(GDELT_EVENT_COLUMNS, "")
    row["GlobalEventID"] = global_event_id(_id(record))
    if day:
        row["Day"] = _compact(day)
        row["MonthYear"] = day.strftime("%Y%m")
        row["Year"] = day.year
        row["FractionDate"] = f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"
    for n, role in ((1, "actor"), (2, "recipient")):
        parties = record.get(role) or []
        if not parties:
            continue
        first = parties[0]
        row[f"Actor{n}Code"] = (first.get("country") or "") + (first.get("sector") or "")
        row[f"Actor{n}Name"] = (first.get("name") or first.get("text") or "").upper()
        row[f"Actor{n}CountryCode"] = first.get("country") or ""
        row[f"Actor{n}Type1Code"] = first.get("sector") or ""
    cameo = record.get("cameo") or ""
    row["IsRootEvent"] = 1
    row["EventCode"] = cameo
    row["EventBaseCode"] = cameo[:3]
    row["EventRootCode"] = cameo[:2]
    row["QuadClass"] = QUAD_CODES.get(record.get("quad_class"), "")
    row["GoldsteinScale"] = "" if record.get("score") is None else record["score"]
    row["NumMentions"] = record.get("num_mentions", 1)
    row["NumSources"] = record.get("num_sources", 1)
    row["NumArticles"] = record.get("num_articles", 1)
    location = record.get("location")
    if location:
        row["ActionGeo_Type"] = _GEO_TYPE.get(location.get("precision"), "")
        row["ActionGeo_FullName"] = ", ".join(
            v for v in (location.get("name"), location.get("admin1")) if v)
        row["ActionGeo_CountryCode"] = location.get("country") or ""
        row["ActionGeo_ADM1Code"] = location.get("admin1") or ""
        row["ActionGeo_Lat"] = "" if location.get("lat") is None else location["lat"]
        row["ActionGeo_Long"] = "" if location.get("lon") is None else location["lon"]
        row["ActionGeo_FeatureID"] = location.get("geonameid") or ""
    row["DATEADDED"] = (added or dt.date.today()).strftime("%Y%m%d") + "000000"
    mentions = _mentions(record)
    row["SOURCEURL"] = mentions[0].get("article_id") or "" if mentions else ""
    return row


def gdelt_mention_rows(record: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    span = parse_date_span((record.get("date") or {}).get("value"))
    event_time = _compact(span[0]) + "000000" if span else ""
    for m in _mentions(record):
        evidence = m.get("evidence") or {}
        article_day = parse_date_span(m.get("article_date"))
        confidence = m.get("confidence")
        yield {
            "GlobalEventID": global_event_id(_id(record)), "EventTimeDate": event_time,
            "MentionTimeDate": _compact(article_day[0]) + "000000" if article_day else "",
            "MentionType": 1, "MentionSourceName": m.get("outlet") or "",
            "MentionIdentifier": m.get("article_id") or "", "SentenceID": "",
            "Actor1CharOffset": "", "Actor2CharOffset": "",
            "ActionCharOffset": evidence.get("trigger_start", ""), "InRawText": 1,
            "Confidence": "" if confidence is None else round(100 * float(confidence)),
            "MentionDocLen": "", "MentionDocTone": "", "MentionDocTranslationInfo": "",
            "Extras": json.dumps({"event_id": m.get("event_id"), "status": m.get("status"),
                                  "certainty": (m.get("attribution") or {}).get("certainty")}),
        }


def _tsv(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...], out: TextIO,
         header: bool) -> int:
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter="\t", lineterminator="\n",
                            quoting=csv.QUOTE_NONE, escapechar="\\")
    if header:
        writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: str(v).replace("\t", " ").replace("\n", " ") for k, v in row.items()})
        count += 1
    return count


# --------------------------------------------------------------------------- tables

EVENT_TABLE_COLUMNS = (
    "id", "date", "date_precision", "event_type", "mode", "status", "actor", "actor_country",
    "actor_sector", "actor_kb_id", "recipient", "recipient_country", "recipient_sector",
    "recipient_kb_id", "location", "location_country", "lat", "lon", "certainty",
    "confidence", "quad_class", "score", "cameo", "num_mentions", "num_sources",
    "num_articles", "linked", "evidence")
MENTION_TABLE_COLUMNS = (
    "id", "event_id", "article_id", "outlet", "article_date", "status", "certainty",
    "attribution_source", "date", "merge_score", "why", "trigger", "evidence")


def event_row(record: Mapping[str, Any]) -> dict[str, Any]:
    date = record.get("date") or {}
    location = record.get("location") or {}
    certainty = certainty_of(record)

    def join(role: str, key: str) -> str:
        return "; ".join(str(e.get(key) or "") for e in record.get(role) or [])

    return {
        "id": _id(record), "date": date.get("value"), "date_precision": date.get("precision"),
        "event_type": record.get("event_type"), "mode": record.get("mode"),
        "status": record.get("status"),
        "actor": "; ".join(str(e.get("name") or e.get("text") or "") for e in record.get("actor") or []),
        "actor_country": join("actor", "country"), "actor_sector": join("actor", "sector"),
        "actor_kb_id": join("actor", "kb_id"),
        "recipient": "; ".join(str(e.get("name") or e.get("text") or "")
                               for e in record.get("recipient") or []),
        "recipient_country": join("recipient", "country"),
        "recipient_sector": join("recipient", "sector"),
        "recipient_kb_id": join("recipient", "kb_id"),
        "location": location.get("name"), "location_country": location.get("country"),
        "lat": location.get("lat"), "lon": location.get("lon"),
        "certainty": certainty.get("certainty"),
        "confidence": certainty.get("confidence"),
        "quad_class": record.get("quad_class"), "score": record.get("score"),
        "cameo": record.get("cameo"), "num_mentions": record.get("num_mentions", 1),
        "num_sources": record.get("num_sources", 1), "num_articles": record.get("num_articles", 1),
        "linked": "; ".join(f"{link.get('relation')}:{link.get('merged_id')}"
                            for link in record.get("linked") or []),
        "evidence": (record.get("evidence") or {}).get("sentence"),
    }


def mention_rows(record: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for m in _mentions(record):
        attribution = m.get("attribution") or {}
        evidence = m.get("evidence") or {}
        yield {"id": _id(record), "event_id": m.get("event_id"),
               "article_id": m.get("article_id"), "outlet": m.get("outlet"),
               "article_date": m.get("article_date"), "status": m.get("status"),
               "certainty": attribution.get("certainty"),
               "attribution_source": attribution.get("source"),
               "date": (m.get("date") or {}).get("value"), "merge_score": m.get("merge_score"),
               "why": m.get("why"), "trigger": evidence.get("trigger"),
               "evidence": evidence.get("sentence")}


# --------------------------------------------------------------------------- files

def export(records: Iterable[Mapping[str, Any]], fmt: str, out_dir: str | Path) -> dict[str, int]:
    """Write `events.*` and `mentions.*` (PLOVER: `events.jsonl` only) into a folder.

    Returns rows written per file name.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records = list(records)
    if fmt == "plover":
        with (out_dir / "events.jsonl").open("w", encoding="utf-8") as out:
            return {"events.jsonl": write_plover(records, out)}
    if fmt == "gdelt":
        written = {}
        with (out_dir / "events.tsv").open("w", encoding="utf-8", newline="") as out:
            written["events.tsv"] = _tsv((gdelt_event_row(r) for r in records),
                                         GDELT_EVENT_COLUMNS, out, header=True)
        with (out_dir / "mentions.tsv").open("w", encoding="utf-8", newline="") as out:
            written["mentions.tsv"] = _tsv((row for r in records for row in gdelt_mention_rows(r)),
                                           GDELT_MENTION_COLUMNS, out, header=True)
        return written
    events = [event_row(r) for r in records]
    mentions = [row for r in records for row in mention_rows(r)]
    if fmt == "csv":
        written = {}
        for name, rows, columns in (("events.csv", events, EVENT_TABLE_COLUMNS),
                                    ("mentions.csv", mentions, MENTION_TABLE_COLUMNS)):
            with (out_dir / name).open("w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
            written[name] = len(rows)
        return written
    return _parquet(events, mentions, out_dir)


def _parquet(events: list[dict], mentions: list[dict], out_dir: Path) -> dict[str, int]:
    import pandas as pd

    try:
        import pyarrow  # noqa: F401  (pandas needs it for Parquet)
    except ImportError as exc:
        raise UsageError("Parquet export needs pyarrow: pip install 'tidings[parquet]'") from exc
    written = {}
    for name, rows, columns in (("events.parquet", events, EVENT_TABLE_COLUMNS),
                                ("mentions.parquet", mentions, MENTION_TABLE_COLUMNS)):
        frame = pd.DataFrame(rows, columns=list(columns))
        frame.to_parquet(out_dir / name, index=False)
        written[name] = len(frame)
    return written


def plover_lines(records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """PLOVER JSON Lines as strings, for streaming to stdout."""
    for record in records:
        yield json.dumps(plover_record(record), ensure_ascii=False) + "\n"
