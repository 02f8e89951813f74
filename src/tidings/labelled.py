"""Readers for the team's labelled event data in `eval/` (sentences and whole articles).

Why a module of its own: the type model trains on these files, the layer comparison
scores against them and the tests validate them, and all three must agree on what a
labelled sentence is and which split it belongs to. The format is documented in
`eval/README.md`.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.errors import ConfigError

SENTENCES_FILE = "events-sentences.jsonl"
ARTICLES_FILE = "events-articles.jsonl"
SPLITS = ("train", "test")
TEST_SHARE_MODULUS = 4  # one id in four is test (see split_for)


def split_for(item_id: str) -> str:
    """The fixed split of an id: stable across runs, machines and additions to the file."""
    digest = int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16)
    return "test" if digest % TEST_SHARE_MODULUS == 0 else "train"


@dataclass(frozen=True)
class LabelledSentence:
    """One labelled sentence; `types` is the set of PLOVER types of its gold events."""

    id: str
    date: str
    text: str
    split: str
    events: tuple[dict[str, Any], ...]
    tags: tuple[str, ...] = ()

    @property
    def types(self) -> frozenset[str]:
        return frozenset(e["event_type"] for e in self.events)


@dataclass(frozen=True)
class LabelledArticle:
    id: str
    date: str
    title: str
    source: str
    text: str
    split: str
    events: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def sentences(self) -> list[LabelledSentence]:
        """Every sentence of the article (as tidings splits it) with the events whose
        evidence it is, so sentences without events are negatives, as in real text."""
        from tidings.nlp import split_sentences

        out = []
        for sent in split_sentences(self.text):
            events = tuple(e for e in self.events
                           if e.get("evidence") and (e["evidence"] in sent.text
                                                     or sent.text in e["evidence"]))
            out.append(LabelledSentence(id=f"{self.id}#{sent.index}", date=self.date,
                                        text=sent.text, split=self.split, events=events))
        return out


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read labelled data {path}: {exc}") from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or "id" not in row or "text" not in row:
            raise ConfigError(f"{path}:{number}: a labelled line needs 'id' and 'text'")
        rows.append(row)
    return rows


def load_sentences(path: str | Path) -> list[LabelledSentence]:
    return [LabelledSentence(id=row["id"], date=row.get("date", ""), text=row["text"],
                             split=row.get("split") or split_for(row["id"]),
                             events=tuple(row.get("events") or ()),
                             tags=tuple(row.get("tags") or ()))
            for row in _read_jsonl(Path(path))]


def load_articles(path: str | Path) -> list[LabelledArticle]:
    return [LabelledArticle(id=row["id"], date=row.get("date", ""), title=row.get("title", ""),
                            source=row.get("source", ""), text=row["text"],
                            split=row.get("split") or split_for(row["id"]),
                            events=tuple(row.get("events") or ()))
            for row in _read_jsonl(Path(path))]


def eval_dir(start: str | Path | None = None) -> Path:
    """The repo's `eval/` folder: from `start` (or the working directory) upwards."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "eval" / SENTENCES_FILE).is_file():
            return folder / "eval"
    package_root = Path(__file__).resolve().parents[2]
    return package_root / "eval"
