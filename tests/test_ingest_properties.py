"""Property tests for every parser of outside input: whatever the bytes, a reader returns
Articles and Rejections (never raises), and well-formed input round-trips."""
from __future__ import annotations

import datetime as dt
import io
import json

from hypothesis import given, settings, strategies as st

from tidings.ingest import read_stream
from tidings.ingest.checks import ReaderOptions
from tidings.ingest.csvfile import parse_csv
from tidings.ingest.html import parse_html
from tidings.ingest.jsonl import parse_jsonl
from tidings.ingest.seed import parse_seed
from tidings.model import Article, Rejection

# No language check, so generated text is judged on structure alone.
OPTIONS = ReaderOptions(check_language=False, max_bytes=50_000)
# Bytes that look like the start of real inputs, mixed with noise.
fragments = st.sampled_from([b"date ", b"2025-02-06", b"2025-13-45", b"\n", b" ", b"{", b"}",
                             b'"id"', b'"date"', b'"text"', b":", b",", b"\x00", b"\xff",
                             b"\xe9", b"<p>", b"<meta name=date content=2025-01-01>", b"\"",
                             b"word", b"\r\n", b"\t", b"[", b"]"])
messy_bytes = st.one_of(st.binary(max_size=400),
                        st.lists(fragments, max_size=40).map(b"".join))


def assert_items(items):
    for item in items:
        assert isinstance(item, (Article, Rejection))
        if isinstance(item, Rejection):
            assert item.code.startswith("E1") and item.reason
        else:
            assert item.text.strip() and isinstance(item.date, dt.date)


@settings(max_examples=300, deadline=None)
@given(messy_bytes)
def test_seed_parser_never_raises(data):
    assert_items([parse_seed(data, "x.txt", OPTIONS)])


@settings(max_examples=300, deadline=None)
@given(messy_bytes)
def test_jsonl_parser_never_raises(data):
    assert_items(list(parse_jsonl(data.splitlines(keepends=True), "x.jsonl", OPTIONS)))


@settings(max_examples=200, deadline=None)
@given(messy_bytes)
def test_csv_parser_never_raises(data):
    assert_items(list(parse_csv(b"id,date,text\n" + data, "x.csv", OPTIONS)))
    assert_items(list(parse_csv(data, "y.csv", OPTIONS)))


@settings(max_examples=200, deadline=None)
@given(messy_bytes)
def test_html_parser_never_raises(data):
    assert_items([parse_html(data, "x.html", OPTIONS)])


@settings(max_examples=200, deadline=None)
@given(messy_bytes)
def test_stream_sniffing_never_raises(data):
    assert_items(list(read_stream(io.BytesIO(data), "<stdin>", OPTIONS)))


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200
                ).filter(lambda t: t.strip())
# Texts with line breaks and tabs, as real article bodies have.
multiline_texts = st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc")),
                                    st.sampled_from("\n\t\r")), min_size=1, max_size=200
                          ).filter(lambda t: t.strip())
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@settings(max_examples=200, deadline=None)
@given(texts, dates, st.sampled_from(["", " ", "  \n", "\n\n"]), st.sampled_from([" ", "\n"]))
def test_seed_round_trip(text, date, before, between):
    data = f"{before}date {date.isoformat()}{between}{text}".encode("utf-8")
    article = parse_seed(data, "x.txt", OPTIONS)
    assert isinstance(article, Article)
    assert article.date == date
    assert article.text == text.lstrip()
    assert article.id == Article.default_id(article.text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=20).filter(str.strip), multiline_texts,
                          dates),
                min_size=1, max_size=5))
def test_jsonl_round_trip_keeps_ids_and_order(rows):
    lines = [json.dumps({"id": i, "date": d.isoformat(), "text": t}).encode() + b"\n"
             for i, t, d in rows]
    articles = list(parse_jsonl(lines, "x.jsonl", OPTIONS))
    assert [(a.id, a.text, a.date) for a in articles] == [(i.strip(), t, d) for i, t, d in rows]
    assert [a.origin for a in articles] == [f"x.jsonl:{n}" for n in range(1, len(rows) + 1)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(multiline_texts, dates), min_size=1, max_size=5))
def test_csv_round_trip(rows):
    import csv

    out = io.StringIO()
    writer = csv.writer(out)  # "\r\n" rows: fields holding \r or \n get quoted
    writer.writerow(["id", "date", "text"])
    for n, (text, date) in enumerate(rows):
        writer.writerow([f"r{n}", date.isoformat(), text])
    articles = list(parse_csv(out.getvalue().encode("utf-8"), "x.csv", OPTIONS))
    assert [(a.id, a.text, a.date) for a in articles] == [
        (f"r{n}", t, d) for n, (t, d) in enumerate(rows)]
