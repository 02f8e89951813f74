"""Score status, certainty, source and quote speaker on eval/status_attribution.jsonl.

    .venv/bin/python eval/status_eval.py [GOLD.jsonl] [--errors]

Each item is a short context plus a sentence, an article date and a gold trigger word. The
scorer parses the text, builds an Event at the gold trigger (so that this measures the
`time` and `attribution` components, not trigger detection), runs the two components and
compares. Printed: status accuracy, certainty accuracy, source accuracy, and speaker
accuracy (over all items: the speaker of the quote holding the trigger, or none; and over
the items that have a gold speaker). Labelling rules: eval/README-status.md.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tidings.document import TidingsDoc  # noqa: E402
from tidings.extract.attribution import make_attribution  # noqa: E402
from tidings.extract.time import make_time  # noqa: E402
from tidings.model import Article, Event, Evidence  # noqa: E402
from tidings.nlp import NlpStage  # noqa: E402


def normalise(name: str | None) -> str:
    if not name:
        return ""
    words = name.lower().replace("\u2019", "'").split()
    while words and words[0] in ("the", "a", "an", "his", "her", "its", "their"):
        words = words[1:]
    return " ".join(words)


def same_name(gold: str | None, got: str | None) -> bool:
    """Equal after dropping articles; a surname alone matches the full name it ends."""
    g, p = normalise(gold), normalise(got)
    if g == p:
        return True
    return bool(g and p) and (g.endswith(" " + p) or p.endswith(" " + g))


def build(item: dict, stage: NlpStage) -> tuple[TidingsDoc, Event]:
    context = item.get("context") or ""
    text = (context + " " if context else "") + item["text"]
    doc = TidingsDoc(article=Article(id=item["id"], date=dt.date.fromisoformat(item["date"]), text=text))
    stage.annotate([doc], terms=None)
    start = len(context) + (1 if context else 0) + item["text"].index(item["trigger"])
    sent = doc.sentence_at(start)
    head = next((t.i for t in sent.doc if sent.token_start(t) == start), 0)
    event = Event(article_id=item["id"], event_type="CONSULT",
                  evidence=Evidence(sent.text, sent.start, sent.end, item["trigger"], start,
                                    start + len(item["trigger"])),
                  sentence_index=sent.index, trigger_head=head)
    doc.events.append(event)
    return doc, event


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", default=str(ROOT / "eval" / "status_attribution.jsonl"))
    parser.add_argument("--errors", action="store_true", help="print every wrong item")
    args = parser.parse_args(argv)
    items = [json.loads(line) for line in Path(args.gold).read_text("utf-8").splitlines() if line.strip()]
    stage = NlpStage()
    time_component, attribution = make_time({}), make_attribution({})
    right = collections.Counter()
    with_speaker = speaker_right = 0
    confusion = collections.Counter()
    for item in items:
        doc, event = build(item, stage)
        time_component(doc)
        attribution(doc)
        holding = [q for q in doc.quotes if q.start <= event.evidence.trigger_start < q.end]
        speaker = min(holding, key=lambda q: q.end - q.start).speaker.text if holding else None
        checks = {
            "status": event.status == item["status"],
            "certainty": event.attribution.certainty == item["certainty"],
            "source": same_name(item["source"], event.attribution.source),
            "speaker": same_name(item["speaker"], speaker),
        }
        right.update(k for k, ok in checks.items() if ok)
        confusion[(item["status"], event.status)] += 1
        if item["speaker"]:
            with_speaker += 1
            speaker_right += checks["speaker"]
        if args.errors and not all(checks.values()):
            wrong = ", ".join(f"{k}: gold={item[k]!r} got={got!r}" for k, got in (
                ("status", event.status), ("certainty", event.attribution.certainty),
                ("source", event.attribution.source), ("speaker", speaker)) if not checks[k])
            print(f"{item['id']} [{item['trigger']}] {item['text'][:70]!r}\n    {wrong}  "
                  f"({event.provenance.get('status')}; {event.provenance.get('attribution')})")
    n = len(items)
    print(f"items: {n}")
    for key, target in (("status", 0.85), ("certainty", 0.80), ("source", None), ("speaker", 0.85)):
        note = f"   (target {target:.2f})" if target else ""
        print(f"{key + ' accuracy':<22}{right[key] / n:.3f}{note}")
    if with_speaker:
        print(f"{'speaker acc (quoted)':<22}{speaker_right / with_speaker:.3f}   ({with_speaker} items with a speaker)")
    print("status confusion (gold -> predicted): " + ", ".join(
        f"{g}->{p}: {c}" for (g, p), c in sorted(confusion.items()) if g != p))
    return 0


if __name__ == "__main__":
    sys.exit(main())
