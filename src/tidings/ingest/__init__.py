"""The readers stage: files, folders and stdin in; `Article`s and `Rejection`s out.

    for item in read_paths(["examples/", "more.jsonl"]):
        ...  # an Article, or a Rejection naming the file and line

Formats (by suffix): seed text (`.txt`), JSON Lines (`.jsonl`, `.ndjson`), CSV (`.csv`),
HTML (`.html`, `.htm`). A folder is read recursively in sorted order, skipping hidden
entries and files of other types (so a store file next to the articles is not an
input). An explicitly named file of another suffix is sniffed: JSON Lines when it starts
with `{`, HTML with `<`, else seed text. `-` is stdin, sniffed the same way. Nothing
here raises on bad input.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from tidings.ingest.checks import Problem, ReaderOptions, check_binary, rejection
from tidings.ingest.csvfile import parse_csv
from tidings.ingest.html import parse_html
from tidings.ingest.jsonl import parse_jsonl
from tidings.ingest.seed import looks_like_seed, parse_seed
from tidings.model import Article, Rejection

STDIN = "-"
STDIN_ORIGIN = "<stdin>"
FORMATS = {".txt": "seed", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
           ".html": "html", ".htm": "html"}
_SNIFF_BYTES = 4096

Item = Article | Rejection


def read_paths(paths: Iterable[str | Path], options: ReaderOptions = ReaderOptions(),
               stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Every article and rejection of the given files, folders and `-`, in a stable order."""
    for path in paths:
        if str(path) == STDIN:
            yield from read_stream(stdin or sys.stdin.buffer, STDIN_ORIGIN, options)
            continue
        path = Path(path)
        if path.is_dir():
            for file in folder_files(path):
                yield from read_file(file, options)
        elif path.exists():
            yield from read_file(path, options, sniff_unknown=True)
        else:
            yield rejection(str(path), Problem("E110", "no such file or folder"))


def folder_files(folder: Path) -> list[Path]:
    """Input files under a folder, recursively, sorted by path; hidden entries skipped."""
    found = []
    for file in folder.rglob("*"):
        relative = file.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if file.is_file() and file.suffix.lower() in FORMATS:
            found.append(file)
    return sorted(found, key=lambda f: f.relative_to(folder).parts)


def read_file(path: Path, options: ReaderOptions = ReaderOptions(),
              sniff_unknown: bool = False) -> Iterator[Item]:
    origin = str(path)
    kind = FORMATS.get(path.suffix.lower())
    try:
        if kind == "jsonl":
            with path.open("rb") as stream:
                yield from _read_jsonl_stream(stream, origin, options)
            return
        if kind is None and not sniff_unknown:
            yield rejection(origin, Problem("E111", f"{path.suffix or 'no suffix'}; use "
                                                    f"{', '.join(sorted(FORMATS))}"))
            return
        if kind in ("seed", "html", None) and path.stat().st_size > options.max_bytes:
            # Judge the size before reading, so a huge file costs nothing.
            yield rejection(origin, Problem("E108", f"{path.stat().st_size:,} bytes, the limit "
                                                    f"is {options.max_bytes:,} (raise it with "
                                                    f"--max-bytes)"))
            return
        if kind is None:
            with path.open("rb") as stream:
                yield from read_stream(stream, origin, options)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield rejection(origin, Problem("E110", exc.strerror or str(exc)))
        return
    if kind == "seed":
        yield parse_seed(data, origin, options)
    elif kind == "csv":
        yield from parse_csv(data, origin, options)
    else:
        yield parse_html(data, origin, options)


def read_stream(stream: BinaryIO, origin: str,
                options: ReaderOptions = ReaderOptions()) -> Iterator[Item]:
    """A stream of unknown format: JSON Lines when it starts with `{`, HTML with `<`,
    else seed text."""
    head = stream.read(_SNIFF_BYTES)
    first = head.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    if first == b"{":
        problem = check_binary(head)
        if problem:
            yield rejection(origin, problem)
            return
        yield from parse_jsonl(_rejoin(head, stream), origin, options)
        return
    rest = stream.read(options.max_bytes + 1 - len(head)) if len(head) == _SNIFF_BYTES else b""
    data = head + rest
    if len(data) > options.max_bytes:
        yield rejection(origin, Problem("E108", f"more than {options.max_bytes:,} bytes "
                                                f"(raise the limit with --max-bytes)"))
        return
    if not looks_like_seed(data[:200].decode("utf-8", "replace")) and first == b"<":
        yield parse_html(data, origin, options)
        return
    yield parse_seed(data, origin, options)


def _read_jsonl_stream(stream: BinaryIO, origin: str, options: ReaderOptions) -> Iterator[Item]:
    head = stream.read(_SNIFF_BYTES)
    problem = check_binary(head)
    if problem:
        yield rejection(origin, problem)
        return
    yield from parse_jsonl(_rejoin(head, stream), origin, options)


def _rejoin(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """The lines of a stream whose first bytes were already read for sniffing."""
    first_lines = head.split(b"\n")
    partial = first_lines.pop()
    yield from (line + b"\n" for line in first_lines)
    for line in stream:
        if partial:
            line, partial = partial + line, b""
        yield line
    if partial:
        yield partial


__all__ = ["read_paths", "read_file", "read_stream", "folder_files", "ReaderOptions",
           "FORMATS", "STDIN"]
