"""`tidings serve`: the write token's sources and the app each worker process builds."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from http_samples import build_store
from tidings.cli import serve
from tidings.errors import UsageError

TOKEN = "serve-token-0123456789"


def test_the_token_file_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(serve.TOKEN_ENV, "env-token-0123456789")
    path = tmp_path / "token"
    path.write_text(f"{TOKEN}\n", "utf-8")
    assert serve.read_token(path) == TOKEN
    assert serve.read_token(None) == "env-token-0123456789"


def test_no_token_means_read_only(monkeypatch):
    monkeypatch.delenv(serve.TOKEN_ENV, raising=False)
    assert serve.read_token(None) is None


@pytest.mark.parametrize("content", ["", "   \n", "short"])
def test_an_empty_or_short_token_is_refused(tmp_path, monkeypatch, content):
    monkeypatch.delenv(serve.TOKEN_ENV, raising=False)
    path = tmp_path / "token"
    path.write_text(content, "utf-8")
    with pytest.raises(UsageError):
        serve.read_token(path)


def test_a_missing_token_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="cannot read the token file"):
        serve.read_token(tmp_path / "absent")


def test_worker_processes_build_the_app_from_the_environment(tmp_path, monkeypatch):
    db = build_store(tmp_path / "store.db")
    monkeypatch.setenv(serve.SETTINGS_ENV, json.dumps({
        "db_path": str(db), "token": TOKEN, "max_body_bytes": 1000, "cors_origins": None}))
    client = TestClient(serve.app_from_environment())
    assert client.get("/healthz").json()["writes_enabled"] is True
    too_big = client.post("/articles", content=b"x" * 2000,
                          headers={"Authorization": f"Bearer {TOKEN}",
                                   "Content-Type": "text/plain"})
    assert too_big.status_code == 413
