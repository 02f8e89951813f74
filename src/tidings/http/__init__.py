"""The HTTP API and the dashboard (`tidings serve`): `create_app(db_path, token=None)`."""
from __future__ import annotations

from tidings.http.app import create_app

__all__ = ["create_app"]
