"""Score actor resolution against eval/actors.jsonl (or another file in the same format).

    .venv/bin/python eval/actors_eval.py [GOLD.jsonl] [--errors]

Same as `tidings actors evaluate`. Prints country, sector, kb_id and office accuracy, overall
and for mentions that need coreference ("coreference") or not ("direct").
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from tidings.resolve.evaluate import evaluate

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    show = "--errors" in argv
    paths = [a for a in argv if not a.startswith("--")] or [str(HERE / "actors.jsonl")]
    for path in paths:
        report = evaluate(Path(path), show_errors=show)
        print(f"== {path}")
        print("\n".join(report.lines()))
        for error in report.errors:
            print(json.dumps(error, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
