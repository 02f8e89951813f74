"""Score event merging on the labelled set `eval/merge/events.yaml`, through the real pipeline.

    .venv/bin/python eval/merge/score.py [--config merge.yaml] [--json]

1. Every article runs through `tidings.pipeline.default_pipeline()`.
2. Each gold mention (article, evidence words, type) is matched to one extracted event of
   that article whose evidence sentence contains the gold evidence words (case and
   spacing ignored), preferring one of the gold type. Gold mentions with no such event are
   "missed" (an extraction failure, not a merge decision).
3. All extracted events (matched or not) are merged with `tidings.merge.merge_records`.
4. B-cubed precision/recall/F1 over the matched gold mentions: predicted cluster = merged
   event of the matched extraction, gold cluster = the labelled real event. Printed also
   with missed mentions as singletons, which charges extraction misses to recall.
5. Planned events merged into an occurrence: merged events holding mentions of a planned
   gold event and of any other gold event (target 0). Links: planned gold events whose
   merged event is linked to the merged event of the occurrence they announce.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
LABELS = HERE / "events.yaml"


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\s+", " ", text).lower().split())


def load_gold(path: Path = LABELS) -> list[dict[str, Any]]:
    events = yaml.safe_load(path.read_text("utf-8"))
    mentions = []
    for event in events:
        for article in event["articles"]:
            mentions.append({"event": event["event"], "type": event["type"],
                             "status": event["status"],
                             "distractor_of": event.get("distractor_of"),
                             "article_id": article["id"], "date": str(article["date"]),
                             "source": article["source"], "text": " ".join(article["text"].split()),
                             "evidence": article["evidence"]})
    return mentions


def extract(gold: list[dict[str, Any]]) -> tuple[list[dict], dict[str, dict]]:
    """Run the pipeline once per article; return records and article metadata."""
    from tidings.model import Article
    from tidings.pipeline import default_pipeline

    articles = {}
    for m in gold:
        articles.setdefault(m["article_id"], Article(
            id=m["article_id"], date=dt.date.fromisoformat(m["date"]), text=m["text"],
            source=m["source"]))
    records = []
    for doc in default_pipeline().process(list(articles.values())):
        records += [event.to_record() for event in doc.events]
    meta = {a.id: {"source": a.source, "date": a.date.isoformat()} for a in articles.values()}
    return records, meta


def match(gold: list[dict[str, Any]], records: list[dict]) -> dict[int, dict]:
    """Gold mention index -> the extracted record standing for it."""
    by_article: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        by_article[rec["article_id"]].append(rec)
    matched: dict[int, dict] = {}
    used: set[str] = set()
    for i, m in enumerate(gold):
        words = _norm(m["evidence"])
        found = [r for r in by_article[m["article_id"]]
                 if words in _norm(r["evidence"]["sentence"]) and r["event_id"] not in used]
        if not found:
            continue
        best = sorted(found, key=lambda r: (r["event_type"] != m["type"],
                                            r["evidence"]["trigger_start"]))[0]
        used.add(best["event_id"])
        matched[i] = best
    return matched


def bcubed(predicted: dict[Any, str], gold: dict[Any, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin 1998) over shared items."""
    items = list(gold)
    if not items:
        return 0.0, 0.0, 0.0
    pred_members: dict[str, set] = defaultdict(set)
    gold_members: dict[str, set] = defaultdict(set)
    for item in items:
        pred_members[predicted[item]].add(item)
        gold_members[gold[item]].add(item)
    precision = recall = 0.0
    for item in items:
        same = len(pred_members[predicted[item]] & gold_members[gold[item]])
        precision += same / len(pred_members[predicted[item]])
        recall += same / len(gold_members[gold[item]])
    precision, recall = precision / len(items), recall / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(gold: list[dict[str, Any]], records: list[dict], meta: dict[str, dict],
          config=None) -> dict[str, Any]:
    from tidings.merge import merge_records

    matched = match(gold, records)
    merged = merge_records(records, meta, config)
    cluster_of = {m["event_id"]: event["merged_id"] for event in merged for m in event["mentions"]}
    links = {event["merged_id"]: {link["merged_id"] for link in event["linked"]} for event in merged}
    predicted = {i: cluster_of[rec["event_id"]] for i, rec in matched.items()}
    truth = {i: gold[i]["event"] for i in matched}
    p, r, f = bcubed(predicted, truth)
    with_misses = dict(predicted)
    with_misses.update({i: f"missed:{i}" for i in range(len(gold)) if i not in matched})
    p2, r2, f2 = bcubed(with_misses, {i: m["event"] for i, m in enumerate(gold)})

    events_in_cluster: dict[str, set[str]] = defaultdict(set)
    for i, cluster in predicted.items():
        events_in_cluster[cluster].add(gold[i]["event"])
    status_of = {m["event"]: m["status"] for m in gold}
    bad_plan_merges = sum(1 for names in events_in_cluster.values()
                          if len(names) > 1 and any(status_of[n] == "planned" for n in names))
    plans = {m["event"]: m["distractor_of"] for m in gold if m["status"] == "planned"}
    clusters_of_event: dict[str, set[str]] = defaultdict(set)
    for i, cluster in predicted.items():
        clusters_of_event[gold[i]["event"]].add(cluster)
    linked = sum(1 for plan, occurrence in plans.items()
                 if any(links.get(c, set()) & clusters_of_event.get(occurrence, set())
                        for c in clusters_of_event.get(plan, set())))
    types = Counter(rec["event_type"] == gold[i]["type"] for i, rec in matched.items())
    return {
        "gold_events": len({m["event"] for m in gold}), "gold_mentions": len(gold),
        "articles": len({m["article_id"] for m in gold}),
        "extracted_events": len(records), "matched_mentions": len(matched),
        "type_agreement": types[True] / len(matched) if matched else 0.0,
        "merged_events": len(merged),
        "bcubed_matched": {"precision": p, "recall": r, "f1": f},
        "bcubed_misses_as_singletons": {"precision": p2, "recall": r2, "f1": f2},
        "planned_merged_into_other_event": bad_plan_merges,
        "planned_events": len(plans), "planned_linked_to_occurrence": linked,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", help="a merge config YAML (default: data/merge.yaml)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--records", type=Path,
                        help="cache of extracted records (JSON); written if missing")
    args = parser.parse_args(argv)
    from tidings.merge import MergeConfig

    gold = load_gold()
    if args.records and args.records.exists():
        cached = json.loads(args.records.read_text("utf-8"))
        records, meta = cached["records"], cached["articles"]
    else:
        records, meta = extract(gold)
        if args.records:
            args.records.write_text(json.dumps({"records": records, "articles": meta}), "utf-8")
    config = MergeConfig.load(args.config) if args.config else None
    result = score(gold, records, meta, config)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    b, s = result["bcubed_matched"], result["bcubed_misses_as_singletons"]
    print(f"labelled set: {result['gold_events']} real events, {result['gold_mentions']} "
          f"mentions in {result['articles']} articles")
    print(f"pipeline: {result['extracted_events']} events extracted; "
          f"{result['matched_mentions']}/{result['gold_mentions']} gold mentions matched "
          f"({result['matched_mentions'] / result['gold_mentions']:.1%}); type agrees on "
          f"{result['type_agreement']:.1%} of them")
    print(f"merging: {result['merged_events']} merged events")
    print(f"B-cubed over matched mentions: P={b['precision']:.3f} R={b['recall']:.3f} "
          f"F1={b['f1']:.3f}")
    print(f"B-cubed, missed mentions as singletons: P={s['precision']:.3f} "
          f"R={s['recall']:.3f} F1={s['f1']:.3f}")
    print(f"planned events merged into another event: {result['planned_merged_into_other_event']}"
          f" (of {result['planned_events']} planned events); planned events linked to their "
          f"occurrence: {result['planned_linked_to_occurrence']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
