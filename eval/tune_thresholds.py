"""Choose the typemodel thresholds by k-fold cross-validation on the TRAIN split only.

    .venv/bin/python eval/tune_thresholds.py [--backend textcat|minilm] [--folds 4]

Why not on the test split: thresholds tuned there would make the layer comparison
(`compare_layers.py`) report a number the model was fitted to. Prints, per threshold, the
model-only macro-F1 (-> `model_threshold`) and the precision of the model's top type on
sentences it would be alone on (-> `add_threshold`: the lowest threshold whose top-type
precision reaches --min-precision).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tidings.extract.typemodel import CLASSIFIERS, load_settings, training_sentences  # noqa: E402
from tidings.model import EVENT_TYPES  # noqa: E402

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def macro_f1(pairs, threshold: float) -> float:
    scores = []
    for t in EVENT_TYPES:
        tp = sum(1 for gold, probs in pairs if t in gold and probs[t] >= threshold)
        fp = sum(1 for gold, probs in pairs if t not in gold and probs[t] >= threshold)
        fn = sum(1 for gold, probs in pairs if t in gold and probs[t] < threshold)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(scores) / len(scores)


def top_precision(pairs, threshold: float) -> tuple[float, int]:
    fired = [(gold, max(probs, key=probs.get)) for gold, probs in pairs
             if max(probs.values()) >= threshold]
    if not fired:
        return 0.0, 0
    return sum(top in gold for gold, top in fired) / len(fired), len(fired)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="textcat", choices=tuple(CLASSIFIERS))
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--min-precision", type=float, default=0.8)
    args = parser.parse_args(argv)
    settings = load_settings()
    rows = training_sentences(ROOT / settings["data"]["sentences"],
                              ROOT / settings["data"]["articles"])
    pairs = []
    for fold in range(args.folds):
        held = [r for i, r in enumerate(rows) if i % args.folds == fold]
        fit = [r for i, r in enumerate(rows) if i % args.folds != fold]
        model = CLASSIFIERS[args.backend].train(fit, settings[args.backend],
                                                seed=int(settings.get("seed", 0)))
        pairs += [(r.types, probs) for r, probs in zip(held, model.predict([r.text for r in held]))]
    print(f"{args.backend}: {len(rows)} train sentences, {args.folds}-fold CV")
    print(f"{'thr':>5} {'macroF1':>8} {'top-P':>6} {'fired':>6}")
    best_f1 = max(THRESHOLDS, key=lambda t: macro_f1(pairs, t))
    add = next((t for t in THRESHOLDS if top_precision(pairs, t)[0] >= args.min_precision), None)
    for t in THRESHOLDS:
        precision, fired = top_precision(pairs, t)
        print(f"{t:5.1f} {macro_f1(pairs, t):8.3f} {precision:6.2f} {fired:6d}")
    print(f"model_threshold (best macro-F1): {best_f1}")
    print(f"add_threshold (top-type precision >= {args.min_precision}): {add}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
