"""HTML pages: the main text, title and publication date of an article page.

Uses the standard library's `html.parser`, which never raises on broken markup. The
main text is the paragraph-like blocks inside `<article>` (else `<main>`, else the whole
body), leaving out navigation, scripts and other page furniture; which elements count as
what is data (`data/ingest/html.yaml`). The date comes from the page's `<meta>` tags,
else the first `<time datetime>`; a page without one is rejected, never guessed.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources

import yaml

from tidings.ingest.checks import (Problem, ReaderOptions, check_article, check_binary,
                                   check_size, decode_utf8, parse_date, rejection)
from tidings.model import Article, Rejection

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class HtmlRules:
    date_meta: tuple[str, ...]
    skip_tags: frozenset[str]
    block_tags: frozenset[str]
    main_tags: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def html_rules() -> HtmlRules:
    raw = yaml.safe_load(resources.files("tidings.data").joinpath("ingest/html.yaml")
                         .read_text("utf-8"))
    return HtmlRules(date_meta=tuple(n.lower() for n in raw["date_meta"]),
                     skip_tags=frozenset(raw["skip_tags"]),
                     block_tags=frozenset(raw["block_tags"]),
                     main_tags=tuple(raw["main_tags"]))


@dataclass
class _Page:
    metas: dict[str, str] = field(default_factory=dict)
    time_datetimes: list[str] = field(default_factory=list)
    title: str = ""
    language: str | None = None
    # Blocks of text, each tagged with the main-text containers open around it.
    blocks: list[tuple[str, frozenset[str]]] = field(default_factory=list)


class _PageParser(HTMLParser):
    _VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                       "meta", "source", "track", "wbr"})

    def __init__(self, rules: HtmlRules):
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.page = _Page()
        self._open: list[str] = []
        self._buffer: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): (value or "") for name, value in attrs}
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name")
                   or attributes.get("itemprop") or "").lower()
            if key and "content" in attributes:
                self.page.metas.setdefault(key, attributes["content"])
        elif tag == "time" and attributes.get("datetime"):
            self.page.time_datetimes.append(attributes["datetime"])
        elif tag == "html" and attributes.get("lang"):
            self.page.language = attributes["lang"]
        elif tag == "title":
            self._in_title = True
        if tag in self.rules.block_tags or tag == "br":
            self._flush()
        if tag not in self._VOID:
            self._open.append(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in self._VOID or tag not in self._open:
            return
        if tag in self.rules.block_tags:
            self._flush()
        while self._open:  # close everything left open inside this element
            if self._open.pop() == tag:
                break

    def handle_data(self, data):
        if self._in_title:
            self.page.title += data
            return
        if any(tag in self.rules.skip_tags for tag in self._open):
            return
        if "head" not in self._open:
            self._buffer.append(data)

    def _flush(self):
        text = _SPACES.sub(" ", "".join(self._buffer)).strip()
        self._buffer = []
        if text:
            containers = frozenset(t for t in self._open if t in self.rules.main_tags)
            self.page.blocks.append((text, containers))

    def close(self):
        super().close()
        self._flush()


def _main_text(page: _Page, rules: HtmlRules) -> str:
    for container in rules.main_tags:
        inside = [text for text, containers in page.blocks if container in containers]
        if inside:
            return "\n\n".join(inside)
    return "\n\n".join(text for text, _ in page.blocks)


def _page_date(page: _Page, rules: HtmlRules) -> tuple[str | None, str]:
    for key in rules.date_meta:
        if page.metas.get(key, "").strip():
            return page.metas[key].strip(), f"<meta {key}>"
    if page.time_datetimes:
        return page.time_datetimes[0].strip(), "<time datetime>"
    return None, ""


def parse_html(data: bytes, origin: str, options: ReaderOptions = ReaderOptions()) -> Article | Rejection:
    problem = check_size(len(data), options) or check_binary(data)
    if problem:
        return rejection(origin, problem)
    markup, problem = decode_utf8(data)
    if problem:
        return rejection(origin, problem)
    rules = html_rules()
    parser = _PageParser(rules)
    parser.feed(markup)
    parser.close()
    page = parser.page
    value, where = _page_date(page, rules)
    if value is None:
        return rejection(origin, Problem("E102", "the page has no publication date in a "
                                                 "<meta> tag or <time datetime>"))
    date, problem = parse_date(value)
    if problem:
        return rejection(origin, Problem("E103", f"{where}: {problem.detail}"))
    text = _main_text(page, rules)
    title = _SPACES.sub(" ", page.metas.get("og:title") or page.title).strip() or None
    url = page.metas.get("og:url") or None
    source = page.metas.get("og:site_name") or None
    article = Article(id=Article.default_id(text), date=date, text=text, title=title,
                      source=source, url=url, language=page.language, origin=origin)
    problem = check_article(article, options)
    return rejection(origin, problem) if problem else article
