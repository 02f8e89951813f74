"""Shared fixtures. The spaCy model is loaded once per test session (tidings.nlp caches it)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tidings.document import TidingsDoc
from tidings.model import Article
from tidings.nlp import NlpStage

ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = ROOT / "examples" / "000_e391cc00f0f64659.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp_stage() -> NlpStage:
    return NlpStage()


@pytest.fixture(scope="session")
def make_doc(nlp_stage):
    """Build a TidingsDoc with every sentence parsed (no prefilter), for unit tests."""

    def build(text: str, date: str = "2025-02-06", article_id: str = "test",
              **fields) -> TidingsDoc:
        article = Article(id=article_id, date=dt.date.fromisoformat(date), text=text, **fields)
        doc = TidingsDoc(article=article)
        nlp_stage.annotate([doc], terms=None)
        return doc

    return build


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The example article's body, without its date header."""
    raw = SEED_PATH.read_text("utf-8")
    return raw.split("2025-02-06", 1)[1].lstrip(" ")


@pytest.fixture()
def run(monkeypatch, capsys):
    """Run the CLI in this process; returns (exit code, stdout, stderr)."""
    import io
    import sys

    from tidings import cli

    def invoke(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["tidings", *args])
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        cli.state.db = None
        capsys.readouterr()
        try:
            cli.main()
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke
