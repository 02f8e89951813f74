"""Readers: every format, and every kind of bad input named in the issue. Each bad input
gives one clear rejection naming the file (and line), and the inputs after it are read."""
from __future__ import annotations

import io
import json

import pytest

from conftest import SEED_PATH
from tidings.errors import REJECTION_MESSAGES
from tidings.ingest import ReaderOptions, folder_files, read_paths
from tidings.ingest.checks import check_language, english_share
from tidings.model import Article, Rejection

ENGLISH = ("The foreign minister met his counterpart in the capital on Monday and said "
           "that the two governments would sign a trade agreement before the end of the year.")


def read(*paths, **kw) -> list[Article | Rejection]:
    return list(read_paths([str(p) for p in paths], **kw))


def only(items, kind):
    assert len(items) == 1, items
    assert isinstance(items[0], kind), items[0]
    return items[0]


def test_seed_example_text_starts_after_the_date():
    article = only(read(SEED_PATH), Article)
    assert str(article.date) == "2025-02-06"
    assert article.text.startswith("Defence Minister Rajnath Singh held")
    assert article.id == Article.default_id(article.text)
    assert article.origin == f"{SEED_PATH}:1"


def test_seed_text_on_the_next_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"\n  date 2024-11-05\n\n{ENGLISH}\n", "utf-8")
    article = only(read(path), Article)
    assert article.text.startswith("The foreign minister")
    assert article.origin == f"{path}:2"


@pytest.mark.parametrize("content, code, line", [
    (b"", "E104", 1),
    (b"   \n\n", "E104", 1),
    (b"Ministers met on Monday.\n", "E102", 1),
    (b"date 2025-13-45\n" + ENGLISH.encode(), "E103", 1),
    (b"\ndate 2025-02-30 " + ENGLISH.encode(), "E103", 2),
    (b"date 2025-02-06\n   \n", "E104", 1),
    (b"date 2025-02-06 caf\xe9 " + ENGLISH.encode(), "E101", 1),
    (b"date 2025-02-06\n\x00\x01\x02binary", "E107", 2),
    (b"\xff\xfed\x00a\x00t\x00e\x00", "E107", 1),  # UTF-16
])
def test_bad_seed_files_are_rejected_with_file_and_line(tmp_path, content, code, line):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(f"date 2025-02-06 {ENGLISH}", "utf-8")
    items = read(bad, good)
    rejection = items[0]
    assert isinstance(rejection, Rejection)
    assert (rejection.code, rejection.line) == (code, line)
    assert rejection.where() == f"{bad}:{line}"
    assert rejection.reason.startswith(REJECTION_MESSAGES[code])
    assert isinstance(items[1], Article)  # the batch goes on


def test_a_five_megabyte_article_is_rejected_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("date 2025-02-06 " + ENGLISH * 33_000, "utf-8")
    assert big.stat().st_size > 5_000_000
    rejection = only(read(big), Rejection)
    assert rejection.code == "E108"
    assert "2,000,000" in rejection.reason and str(big) == rejection.where()
    # the limit is configurable
    assert isinstance(only(read(big, options=ReaderOptions(max_bytes=10_000_000)), Article),
                      Article)


def test_a_five_megabyte_jsonl_line_is_rejected_and_the_next_line_read(tmp_path):
    path = tmp_path / "big.jsonl"
    rows = [{"id": "big", "date": "2025-02-06", "text": ENGLISH * 33_000},
            {"id": "small", "date": "2025-02-06", "text": ENGLISH}]
    path.write_text("\n".join(json.dumps(row) for row in rows))
    rejection, article = read(path)
    assert (rejection.code, rejection.line, article.id) == ("E108", 1, "small")


def test_jsonl_each_line_stands_alone(tmp_path):
    lines = [
        json.dumps({"id": "a1", "date": "2025-02-06", "text": ENGLISH, "title": "T",
                    "source": "Wire", "url": "http://x"}),
        "{not json",
        "",
        json.dumps({"id": "a2", "date": "2025-02-06"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a3", "date": "2025-13-45", "text": ENGLISH}),
        json.dumps({"id": "a4", "date": "2025-02-06T08:30:00Z", "text": ENGLISH,
                    "source": [{"text": "not an outlet"}]}),
        json.dumps({"id": "a5", "date": "2025-02-06", "text": ENGLISH, "language": "fr"}),
        json.dumps({"id": "a6", "date": "2025-02-06", "text": "   "}),
        json.dumps({"date": "2025-02-06", "text": ENGLISH + " Again."}),
    ]
    path = tmp_path / "in.jsonl"
    latin1_line = b'{"id": "a7", "date": "2025-02-06", "text": "caf\xe9"}'
    path.write_bytes(("\n".join(lines) + "\n").encode() + latin1_line)
    items = read(path)
    summary = [(type(i).__name__, getattr(i, "code", getattr(i, "id", None)),
                i.line if isinstance(i, Rejection) else i.origin) for i in items]
    assert summary == [
        ("Article", "a1", f"{path}:1"),
        ("Rejection", "E105", 2),
        ("Rejection", "E106", 4),
        ("Rejection", "E105", 5),
        ("Rejection", "E103", 6),
        ("Article", "a4", f"{path}:7"),
        ("Rejection", "E109", 8),
        ("Rejection", "E104", 9),
        ("Article", Article.default_id(ENGLISH + " Again."), f"{path}:10"),
        ("Rejection", "E101", 11),
    ]
    first = items[0]
    assert (first.title, first.source, first.url) == ("T", "Wire", "http://x")
    assert items[5].source is None and str(items[5].date) == "2025-02-06"


def test_csv_rows_with_row_numbers(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "id,date,text,source\n"
        f'c1,2025-02-06,"{ENGLISH}\nSecond paragraph, with a comma.",Wire\n'
        "c2,2025-02-06\n"
        f'c3,06/02/2025,"{ENGLISH}",Wire\n'
        f'c4,2025-02-07,"{ENGLISH}",\n', "utf-8")
    items = read(path)
    assert [(type(i).__name__, getattr(i, "code", None) or i.id) for i in items] == [
        ("Article", "c1"), ("Rejection", "E112"), ("Rejection", "E103"), ("Article", "c4")]
    assert items[0].text.endswith("with a comma.") and items[0].source == "Wire"
    assert items[1].line == 4 and items[2].line == 5  # c1's text spans lines 2-3
    assert items[3].source is None


def test_csv_without_the_required_columns(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("name,body\nx,y\n", "utf-8")
    rejection = only(read(path), Rejection)
    assert rejection.code == "E106" and rejection.line == 1 and "'date'" in rejection.reason


HTML = """<!doctype html><html lang="en"><head><title>Ministers meet | Site</title>
<meta property="og:title" content="Ministers meet">
<meta property="og:site_name" content="Daily Example">
{meta}
<script>var x = "<p>not text</p>";</script></head>
<body><nav><ul><li>Home</li><li>World</li></ul></nav>
<article><h1>Ministers meet</h1><p>{text}</p><p>They will meet again &amp; talk.</p>
<aside>Read more</aside></article><footer>Copyright</footer></body></html>"""


def test_html_main_text_title_and_meta_date(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML.format(meta='<meta name="date" content="2025-02-06">', text=ENGLISH))
    article = only(read(path), Article)
    assert str(article.date) == "2025-02-06"
    assert article.title == "Ministers meet" and article.source == "Daily Example"
    assert article.text == f"Ministers meet\n\n{ENGLISH}\n\nThey will meet again & talk."
    assert article.language == "en"


def test_html_date_from_time_element_and_missing_date(tmp_path):
    timed = tmp_path / "timed.htm"
    timed.write_text(HTML.format(meta="", text=ENGLISH).replace(
        "<h1>", '<time datetime="2024-07-01T09:00:00+02:00">1 July</time><h1>'))
    assert str(only(read(timed), Article).date) == "2024-07-01"
    undated = tmp_path / "undated.html"
    undated.write_text(HTML.format(meta="", text=ENGLISH))
    rejection = only(read(undated), Rejection)
    assert rejection.code == "E102" and "<meta>" in rejection.reason


def test_folder_is_recursive_sorted_and_skips_other_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b/2.txt", "a.txt", "b/1.txt", ".hidden/x.txt"):
        (tmp_path / name).write_text(f"date 2025-02-06 {ENGLISH} {name}", "utf-8")
    (tmp_path / "tidings.db").write_bytes(b"SQLite format 3\x00")
    (tmp_path / "notes.md").write_text("not an input")
    assert [p.relative_to(tmp_path).as_posix() for p in folder_files(tmp_path)] == [
        "a.txt", "b/1.txt", "b/2.txt"]
    assert [a.text.rsplit(" ", 1)[1] for a in read(tmp_path)] == ["a.txt", "b/1.txt", "b/2.txt"]


def test_missing_path_and_unknown_suffix(tmp_path):
    missing = only(read(tmp_path / "nope.jsonl"), Rejection)
    assert missing.code == "E110" and "nope.jsonl" in missing.where()
    odd = tmp_path / "article.dat"
    odd.write_text(f"date 2025-02-06 {ENGLISH}")
    assert isinstance(only(read(odd), Article), Article)  # named explicitly: sniffed


def test_stdin_is_sniffed_as_jsonl_or_seed():
    jsonl = json.dumps({"id": "s1", "date": "2025-02-06", "text": ENGLISH}).encode()
    article = only(read("-", stdin=io.BytesIO(jsonl + b"\nnot json\n"))[:1], Article)
    assert article.id == "s1" and article.origin == "<stdin>:1"
    items = read("-", stdin=io.BytesIO(jsonl + b"\nnot json\n"))
    assert isinstance(items[1], Rejection) and items[1].where() == "<stdin>:2"
    seed = only(read("-", stdin=io.BytesIO(f" date 2025-02-06 {ENGLISH}".encode())), Article)
    assert seed.text == ENGLISH


def test_long_jsonl_line_beyond_sniff_buffer_is_rejoined(tmp_path):
    long_text = ENGLISH * 60  # > 4 KB, so the first line crosses the sniff buffer
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"l{i}", "date": "2025-02-06",
                                          "text": long_text}) for i in range(3)))
    assert [a.id for a in read(path)] == ["l0", "l1", "l2"]


def test_language_check_is_measured_not_guessed():
    share, words = english_share(ENGLISH)
    assert share > 0.3 and words > 20
    options = ReaderOptions()
    assert check_language(ENGLISH, None, options) is None
    assert check_language(ENGLISH, "en-GB", options) is None
    assert check_language(ENGLISH, "de", options).code == "E109"
    assert check_language("Short headline in any tongue", None, options) is None


def test_non_english_samples_are_rejected():
    from conftest import ROOT

    samples = [json.loads(line) for line in
               (ROOT / "tests" / "data" / "ingest" / "non_english.jsonl").open()]
    for sample in samples:
        problem = check_language(sample["text"], None, ReaderOptions())
        assert problem is not None and problem.code == "E109", sample["language_name"]


def test_html_blocks_are_never_glued_together(tmp_path):
    path = tmp_path / "divs.html"
    path.write_text('<html><head><meta name="date" content="2025-02-06"></head><body>'
                    f'<div>{ENGLISH}</div><div>Second block here.</div>'
                    '<div>Third<br>line</div></body></html>')
    article = only(read(path), Article)
    assert article.text == f"{ENGLISH}\n\nSecond block here.\n\nThird\n\nline"


@pytest.mark.parametrize("header", ["date 2025-02-06", "Date: 2025-02-06", "date:2025-02-06",
                                    "\tDATE\t2025-02-06"])
def test_seed_header_spellings(tmp_path, header):
    path = tmp_path / "a.txt"
    path.write_text(f"{header} {ENGLISH}")
    assert only(read(path), Article).text == ENGLISH
