"""Every user-facing error, with a stable code and a clear message.

Readers never raise these past a batch: they turn them into `Rejection` records with
the same code and message. Commands raise them to stop, and the CLI maps each class to
a documented exit code (see README, "Exit codes").
"""
from __future__ import annotations

# Rejection codes: why one article (file, or line of a file) was not ingested.
REJECTION_MESSAGES = {
    "E101": "cannot decode the file as UTF-8",
    "E102": "no 'date YYYY-MM-DD' header",
    "E103": "the date is not a real calendar date",
    "E104": "the article body is empty",
    "E105": "the line is not valid JSON",
    "E106": "a required field is missing",
    "E107": "the file looks binary, not text",
    "E108": "the article is larger than the size limit",
    "E109": "the text does not look like English",
    "E110": "the file could not be read",
    "E111": "unsupported file type",
    "E112": "the CSV row is malformed",
    "E113": "the pipeline failed on this article",
}


def rejection_message(code: str, detail: str = "") -> str:
    base = REJECTION_MESSAGES[code]
    return f"{base}: {detail}" if detail else base


class TidingsError(Exception):
    """Base of every error a user may see. `exit_code` is what the CLI exits with."""

    exit_code = 1
    code = "E000"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class UsageError(TidingsError):
    """Bad arguments: a missing file, an unknown format, a bad date filter."""

    exit_code = 2
    code = "E200"


class ConfigError(TidingsError):
    """A broken pipeline config or data file (lexicon, knowledge base, tables)."""

    exit_code = 3
    code = "E300"


class StoreError(TidingsError):
    """The store cannot be opened, is from a newer schema, or a write failed."""

    exit_code = 4
    code = "E400"


class NotFoundError(TidingsError):
    """An id asked for (event, actor) is not in the store."""

    exit_code = 5
    code = "E500"


class ModelError(TidingsError):
    """The spaCy pipeline or another shipped model cannot be loaded."""

    exit_code = 6
    code = "E600"


class NothingIngestedError(TidingsError):
    """No input gave an article: every one was rejected, or there was no input at all."""

    exit_code = 7
    code = "E700"
