"""Score the temporal tagger on TimeML gold data, the way TempEval-3 scores it.

    .venv/bin/python eval/time_eval.py [--gold ../shared/eval/time] [--parse] [--errors N]

Each document's creation time (DCT) is the article date. Printed per corpus and overall:
strict extent P/R/F1 (same span), relaxed extent P/R/F1 (overlapping spans), value
accuracy and type accuracy over the relaxed matches, and TempEval-3's
value F1 = value accuracy x relaxed F1. `--parse` lets the spaCy parse choose the
direction of weekdays and bare dates (as the `time` component does); without it the tagger
decides from words alone. The gold files are read in place and never copied.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tidings.extract.timex import TimexTagger  # noqa: E402

TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class GoldTimex:
    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass
class GoldDoc:
    name: str
    dct: dt.date
    text: str
    timexes: list[GoldTimex] = field(default_factory=list)


def read_timeml(path: Path) -> GoldDoc:
    """The TEXT of a TimeML file with tags removed, and the TIMEX3 spans in that text."""
    raw = path.read_text("utf-8")
    dct_match = re.search(r'functionInDocument="CREATION_TIME"[^>]*>|<DCT>\s*<TIMEX3[^>]*>', raw)
    dct_tag = re.search(r"<DCT>\s*<TIMEX3([^>]*)>", raw)
    attrs = dict(ATTR.findall(dct_tag.group(1))) if dct_tag else {}
    if not attrs and dct_match:
        attrs = dict(ATTR.findall(dct_match.group(0)))
    dct = dt.date.fromisoformat(attrs["value"][:10])
    body = raw.split("<TEXT>", 1)[1].split("</TEXT>", 1)[0]
    pieces: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[GoldTimex] = []
    position = 0
    for m in TAG.finditer(body):
        chunk = html.unescape(body[position:m.start()])
        pieces.append(chunk)
        length += len(chunk)
        position = m.end()
        closing, name = m.group(1), m.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(ATTR.findall(m.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            text = "".join(pieces)[start:length]
            timexes.append(GoldTimex(start, length, attrs.get("type", ""), attrs.get("value", ""), text))
            open_timex = None
    pieces.append(html.unescape(body[position:]))
    return GoldDoc(path.stem, dct, "".join(pieces), timexes)


class ParseDirection:
    """Direction from the dependency parse of the sentence holding the expression."""

    def __init__(self, text: str):
        from tidings.extract.time import parse_direction_for_text

        self.lookup = parse_direction_for_text(text)

    def __call__(self, start: int, end: int) -> int | None:
        return self.lookup(start, end)


@dataclass
class Score:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed_gold: int = 0
    relaxed_system: int = 0
    value_ok: int = 0
    type_ok: int = 0

    def add(self, other: "Score") -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, float]:
        sp = self.strict / self.system if self.system else 0.0
        sr = self.strict / self.gold if self.gold else 0.0
        rp = self.relaxed_system / self.system if self.system else 0.0
        rr = self.relaxed_gold / self.gold if self.gold else 0.0
        rf = self._f1(rp, rr)
        value_acc = self.value_ok / self.relaxed_gold if self.relaxed_gold else 0.0
        type_acc = self.type_ok / self.relaxed_gold if self.relaxed_gold else 0.0
        return {"strict_P": sp, "strict_R": sr, "strict_F1": self._f1(sp, sr),
                "relaxed_P": rp, "relaxed_R": rr, "relaxed_F1": rf,
                "value_acc": value_acc, "value_F1": value_acc * rf,
                "type_acc": type_acc, "type_F1": type_acc * rf}


def score_doc(doc: GoldDoc, tagger: TimexTagger, use_parse: bool, errors: list) -> Score:
    direction = ParseDirection(doc.text) if use_parse else None
    system = tagger.tag(doc.text, doc.dct, direction)
    score = Score(gold=len(doc.timexes), system=len(system))
    used: set[int] = set()
    for gold in doc.timexes:
        match = None
        for i, sys_tx in enumerate(system):
            if i in used:
                continue
            if sys_tx.start == gold.start and sys_tx.end == gold.end:
                match = i
                break
        if match is None:
            for i, sys_tx in enumerate(system):
                if i not in used and sys_tx.start < gold.end and gold.start < sys_tx.end:
                    match = i
                    break
        if match is None:
            errors.append(("missed", doc.name, gold.text, gold.value, ""))
            continue
        used.add(match)
        sys_tx = system[match]
        score.relaxed_gold += 1
        score.relaxed_system += 1
        if sys_tx.start == gold.start and sys_tx.end == gold.end:
            score.strict += 1
        else:
            errors.append(("extent", doc.name, gold.text, gold.value, sys_tx.text))
        if sys_tx.value == gold.value:
            score.value_ok += 1
        else:
            errors.append(("value", doc.name, gold.text, gold.value, f"{sys_tx.value} ({sys_tx.rule})"))
        if sys_tx.type == gold.type:
            score.type_ok += 1
    for i, sys_tx in enumerate(system):
        if i not in used:
            errors.append(("spurious", doc.name, sys_tx.text, "", f"{sys_tx.value} ({sys_tx.rule})"))
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT.parent / "shared" / "eval" / "time"))
    parser.add_argument("--parse", action="store_true", help="use the spaCy parse for tense")
    parser.add_argument("--errors", type=int, default=0, help="print this many errors of each kind")
    args = parser.parse_args(argv)
    gold_root = Path(args.gold)
    corpora = sorted(p for p in gold_root.iterdir() if p.is_dir())
    if not corpora:
        print(f"no TimeML corpora under {gold_root}", file=sys.stderr)
        return 2
    tagger = TimexTagger()
    overall = Score()
    errors: list = []
    header = ("corpus", "docs", "gold", "sys", "strict_P", "strict_R", "strict_F1", "relaxed_P",
              "relaxed_R", "relaxed_F1", "value_acc", "value_F1", "type_acc")
    print("  ".join(f"{h:>10}" for h in header))
    for corpus in corpora:
        files = sorted(corpus.glob("*.tml"))
        total = Score()
        for path in files:
            total.add(score_doc(read_timeml(path), tagger, args.parse, errors))
        overall.add(total)
        _print_row(corpus.name, len(files), total)
    _print_row("overall", sum(len(list(c.glob("*.tml"))) for c in corpora), overall)
    if args.errors:
        for kind in ("missed", "spurious", "extent", "value"):
            chosen = [e for e in errors if e[0] == kind][: args.errors]
            print(f"\n# {kind} ({sum(1 for e in errors if e[0] == kind)})")
            for _, name, text, gold_value, got in chosen:
                print(f"  {name:28} {text!r:40} gold={gold_value:14} got={got}")
    return 0


def _print_row(name: str, docs: int, score: Score) -> None:
    f = score.figures()
    cells = [name, str(docs), str(score.gold), str(score.system)] + [
        f"{f[k]:.4f}" for k in ("strict_P", "strict_R", "strict_F1", "relaxed_P", "relaxed_R",
                                "relaxed_F1", "value_acc", "value_F1", "type_acc")]
    print("  ".join(f"{c:>10}" for c in cells))


if __name__ == "__main__":
    sys.exit(main())
