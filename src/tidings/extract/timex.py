"""A rule-based temporal tagger: finds time expressions in raw text and normalises them.

Why rules over text and not the parse: most sentences of an article are never parsed (the
nlp stage parses only event candidates), yet dates are written anywhere. So expressions are
found with regular expressions built from the word tables in `data/time/words.yaml`, and
normalised to TIMEX3 values against the article date. The one thing the text alone cannot
settle is the direction of an underspecified date ("Friday", "March 3", "in June"): the
caller may pass a `direction` function (the `time` component asks the parse for the tense
of the governing verb); without it a lexical look at the clause decides.

Each `Timex` names the rule that made it (`timex:<rule>`) and what it was anchored to.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.errors import ConfigError
from tidings.model import Timex

# direction(start, end) -> -1 (past), +1 (future) or None (cannot tell)
Direction = Callable[[int, int], "int | None"]

QUARTER_OF_MONTH = {m: (m - 1) // 3 + 1 for m in range(1, 13)}
PAST_BIAS_DAYS = 270
CLAUSE_REACH = 200  # characters looked back for the clause of an expression
CLAUSE_END = re.compile(r"[.!?;\n]")
FUTURE_NEAR_DAYS = 60


def _load_yaml(name: str, path: str | Path | None) -> dict[str, Any]:
    try:
        if path is None:
            text = resources.files("tidings.data").joinpath(name).read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read time table {path or name}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"time table {path or name} is not a mapping")
    return data


@functools.lru_cache(maxsize=4)
def load_words(path: str | None = None) -> dict[str, Any]:
    return _load_yaml("time/words.yaml", path)


# How far a match may reach from its rule's gate word: the longest rule ("the first half of
# fiscal 2019", "Wednesday, November 23, 2011 at 10 p.m. EST") spans well under this.
GATE_REACH = 120


def _windows(text: str, gate: "re.Pattern | None",
             hits: "list[tuple[int, int]] | None" = None) -> list[tuple[int, int]]:
    """The parts of `text` where a rule can match: around each hit of its gate (every match
    contains one), merged; all of it for a rule without a gate. The rule scans only these,
    with the whole text still visible to its look-behinds. `hits`: the gate's hits, when
    already found (`WordGates`); a hit reaching further than the gate's match only widens
    a window."""
    if gate is None:
        return [(0, len(text))]
    windows: list[tuple[int, int]] = []
    for hit_start, hit_end in hits if hits is not None else (h.span() for h in gate.finditer(text)):
        start, end = max(0, hit_start - GATE_REACH), min(len(text), hit_end + GATE_REACH)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


_WORD_RUN = re.compile(r"\w+")


class WordGates:
    """The hits of every word gate (a word-boundary gate that is a list of single words), found
    in one pass over the text's words instead of one case-insensitive regex scan per gate,
    which cost half of the tagger's time.

    A word gate hits where a word starts with one of its words, so each run of word
    characters is tested once (memoised by its text) against every gate's words. The
    comparison is on case-folded text, which folds at least as much as the regexes'
    IGNORECASE: a hit is never missed, and an extra one only widens a window."""

    def __init__(self, gates: "dict[re.Pattern, tuple[str, ...]]") -> None:
        self.words = {gate: tuple(w.casefold() for w in words) for gate, words in gates.items()}
        self.longest = {gate: max(map(len, words)) for gate, words in self.words.items()}
        self._gates_of: dict[str, tuple] = {}

    @classmethod
    def literal_words(cls, pattern: str) -> "tuple[str, ...] | None":
        """A word per alternative of a gate that is an alternation of escaped words or
        phrases ("jan|feb\\.|at\\s+present"): its longest word (every match holds it, and
        it is rarer than "at" or "the"), as its leading word characters; None for any
        other pattern."""
        phrases = pattern.replace(r"\s+", " ")
        if re.search(r"[()\[\]{}*+?^$]|\\[sdwbSDWB]", phrases):
            return None
        words = []
        for alt in phrases.split("|"):
            parts = [re.match(r"\w*", re.sub(r"\\(.)", r"\1", w)).group() for w in alt.split(" ") if w]
            words.append(max(parts, key=len, default=""))
        return tuple(words) if all(words) else None

    def __contains__(self, gate: object) -> bool:
        return gate in self.words

    def hits(self, text: str) -> "dict[re.Pattern, list[tuple[int, int]]]":
        found: dict[re.Pattern, list[tuple[int, int]]] = {}
        for match in _WORD_RUN.finditer(text):
            gates = self._gates_of.get(match.group())
            if gates is None:
                if len(self._gates_of) > 500_000:  # a bound on the memo over endless input
                    self._gates_of.clear()
                folded = match.group().casefold()
                gates = self._gates_of[match.group()] = tuple(
                    gate for gate, words in self.words.items() if folded.startswith(words))
            for gate in gates:
                found.setdefault(gate, []).append((match.start(), match.start() + self.longest[gate]))
        return found


def _alternation(words) -> str:
    """A regex alternation, longest first so that 'sept' wins over 'sep'."""
    ordered = sorted({w.lower() for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


# ---------------------------------------------------------------------------------------
# Calendar arithmetic and value formatting


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def shift(anchor: dt.date, unit: str, amount: int) -> dt.date:
    """Move the anchor by whole calendar units."""
    if unit in ("day", "night"):
        return anchor + dt.timedelta(days=amount)
    if unit in ("week", "weekend"):
        return anchor + dt.timedelta(weeks=amount)
    if unit == "fortnight":
        return anchor + dt.timedelta(weeks=2 * amount)
    if unit == "month":
        return add_months(anchor, amount)
    if unit == "quarter":
        return add_months(anchor, 3 * amount)
    if unit == "year":
        return add_months(anchor, 12 * amount)
    if unit == "decade":
        return add_months(anchor, 120 * amount)
    if unit == "century":
        return add_months(anchor, 1200 * amount)
    return anchor


def format_at(day: dt.date, unit: str) -> tuple[str, str]:
    """(TIMEX3 value, precision) of the calendar unit holding `day`."""
    if unit in ("day", "night", "hour", "minute", "second"):
        return day.isoformat(), "day"
    if unit in ("week", "fortnight"):
        return iso_week(day), "week"
    if unit == "weekend":
        return iso_week(day) + "-WE", "week"
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}", "month"
    if unit == "quarter":
        return f"{day.year:04d}-Q{QUARTER_OF_MONTH[day.month]}", "year"
    if unit == "decade":
        return f"{day.year // 10:03d}", "year"
    if unit == "century":
        return f"{day.year // 100:02d}", "year"
    return f"{day.year:04d}", "year"


def nearest(candidates: list[dt.date], anchor: dt.date, direction: int | None) -> dt.date:
    """The candidate on the side the tense points to, else the closest one."""
    if direction is not None and direction < 0:
        past = [c for c in candidates if c <= anchor]
        if past:
            return max(past)
    if direction is not None and direction > 0:
        future = [c for c in candidates if c >= anchor]
        if future:
            return min(future)
    # News looks back more than ahead: with no tense, a date up to PAST_BIAS_DAYS back wins
    # over one that is merely a little closer ahead.
    past = [c for c in candidates if c <= anchor]
    future = [c for c in candidates if c > anchor]
    if past and future and direction is None:
        latest, soonest = max(past), min(future)
        if (anchor - latest).days <= PAST_BIAS_DAYS and (soonest - anchor).days > FUTURE_NEAR_DAYS:
            return latest
    return min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor))


# ---------------------------------------------------------------------------------------
# Numbers


class NumberReader:
    """Reads '24', '5 1/2', 'twenty four', 'a hundred', 'several' into a number or None."""

    def __init__(self, words: dict[str, Any]):
        self.values = {k.lower(): float(v) for k, v in words["numbers"].items()}
        self.vague = {v.lower() for v in words["vague_quantities"]}

    def read(self, text: str) -> float | None:
        """None means a vague amount (TIMEX3 'X')."""
        text = " ".join(text.lower().replace("-", " ").split())
        if text in self.vague:
            return None
        match = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+(\d)/(\d))?", text.replace(",", ""))
        if match:
            value = float(match.group(1))
            if match.group(2):
                value += int(match.group(2)) / int(match.group(3))
            return value
        if text in self.values:
            return self.values[text]
        total, current = 0.0, 0.0
        for word in text.split():
            if word == "hundred":
                current = (current or 1) * 100
            elif word == "thousand":
                total += (current or 1) * 1000
                current = 0
            elif word in self.values:
                current += self.values[word]
            elif word == "and":
                continue
            else:
                return None
        return total + current


def duration_value(amount: float | None, unit: str, words: dict[str, Any]) -> str:
    """TIMEX3 duration: P3D, PT5H30M, P2Y6M, PXY."""
    spec = words["units"][unit]
    code = spec["code"]
    amount = None if amount is None else amount * spec.get("factor", 1)
    prefix = "PT" if spec.get("time") else "P"
    if unit == "weekend":
        return "P2D" if amount is not None else "PXWE"
    if unit == "decade":
        code, amount = "Y", None if amount is None else amount * 10
        if amount is None:
            return "P" + "XDE"
    if unit == "century":
        code, amount = "Y", None if amount is None else amount * 100
        if amount is None:
            return "PXCE"
    if amount is None:
        return f"{prefix}X{code}"
    whole = int(amount)
    fraction = amount - whole
    if fraction and code == "Y":
        return f"P{whole}Y{round(fraction * 12)}M" if whole else f"P{round(fraction * 12)}M"
    if fraction and code == "H":
        return f"PT{whole}H{round(fraction * 60)}M" if whole else f"PT{round(fraction * 60)}M"
    if fraction and code == "D":
        return f"P{whole}DT{round(fraction * 24)}H" if whole else f"PT{round(fraction * 24)}H"
    return f"{prefix}{whole}{code}"


# ---------------------------------------------------------------------------------------
# The tagger


@dataclass
class _Candidate:
    start: int
    end: int
    rule: str
    match: re.Match
    priority: int


@dataclass
class _Context:
    """What the resolver needs besides the match: the anchor and the running references."""

    text: str
    anchor: dt.date
    direction: Direction | None
    last_day: dt.date | None = None
    last_date: dt.date | None = None  # the last calendar date of any precision mentioned
    last_quarter: tuple[int, int] | None = None  # (year, quarter) last mentioned


def _cue_regex(cues) -> re.Pattern:
    return re.compile(rf"(?<![\w'])(?:{_alternation(cues)})(?![\w'])", re.I)


class TenseCues:
    """The lexical tense cues of the word tables, compiled once."""

    def __init__(self, words: dict[str, Any]):
        self.future = _cue_regex(words["future_cues"])
        self.past = re.compile(_cue_regex(words["past_cues"]).pattern + r"|\b[a-z]{3,}ed\b", re.I)
        self.not_past = {w.lower() for w in words["not_past"]}


@functools.lru_cache(maxsize=1)
def _default_cues() -> TenseCues:
    return TenseCues(load_words())


def lexical_direction(text: str, start: int, end: int, cues: TenseCues | None = None) -> int | None:
    """Tense of the clause around an expression, guessed from words: -1, +1 or None."""
    cues = cues or _default_cues()
    reach = max(0, start - CLAUSE_REACH)
    left_bound = max(max(text.rfind(c, reach, start) for c in ".!?;\n"), reach - 1)
    left = text[left_bound + 1:start]
    right = CLAUSE_END.split(text[end:end + 60], 1)[0]
    best: tuple[int, int] | None = None  # (distance, direction)
    for segment, offset_of in ((left, lambda m: len(left) - m.end()), (right, lambda m: m.start())):
        for regex, sign in ((cues.future, 1), (cues.past, -1)):
            for m in regex.finditer(segment):
                word = m.group(0).lower()
                if sign < 0 and word in cues.not_past:
                    continue
                if word == "by" and sign > 0 and segment is right:
                    continue
                distance = offset_of(m) + (0 if segment is left else 15)
                if best is None or distance < best[0]:
                    best = (distance, sign)
    return best[1] if best else None


class TimexTagger:
    """Finds and normalises time expressions. Built once from the word tables."""

    def __init__(self, words: dict[str, Any] | None = None):
        self.words = words or load_words()
        w = self.words
        self.numbers = NumberReader(w)
        self.months = {k.lower(): int(v) for k, v in w["months"].items()}
        self.ambiguous_months = {m.lower() for m in w["ambiguous_months"]}
        self.weekdays = {k.lower(): int(v) for k, v in w["weekdays"].items()}
        self.weekday_abbreviations = {a.lower() for a in w["weekday_abbreviations"]}
        self.units = w["units"]
        self.seasons = {k.lower(): v for k, v in w["seasons"].items()}
        self.parts = {k.lower(): v for k, v in w["parts_of_day"].items()}
        self.offsets = {k.lower(): int(v) for k, v in w["relative_offsets"].items()}
        self.deictic = {" ".join(k.lower().split()): int(v) for k, v in w["deictic_days"].items()}
        self.modifiers = {k.lower(): v for k, v in w["modifiers"].items()}
        self.directions = {" ".join(k.lower().split()): int(v)
                           for k, v in w["offset_directions"].items()}
        self.references = {" ".join(k.lower().split()): v for k, v in w["references"].items()}
        self.sets = {k.lower(): v for k, v in w["sets"].items()}
        self.holidays_fixed = {" ".join(k.lower().split()): v
                               for k, v in w["holidays_fixed"].items()}
        self.holidays_nth = {" ".join(k.lower().split()): v
                             for k, v in w["holidays_nth_weekday"].items()}
        self.ordinals = {k.lower(): int(v) for k, v in w["ordinals"].items()}
        self.year_blockers = {b.lower() for b in w["year_blockers"]}
        self.year_blocking_prefixes = {b.lower() for b in w["year_blocking_prefixes"]}
        self.cues = TenseCues(w)
        self.rules = self._compile()

    # -- patterns --------------------------------------------------------------------

    def _compile(self) -> list[tuple[str, re.Pattern, int, re.Pattern | None]]:
        w = self.words
        month = rf"(?P<month>{_alternation(self.months)})\.?"
        weekday_full = [d for d in self.weekdays if d not in self.weekday_abbreviations]
        wd = rf"(?P<wd>{_alternation(weekday_full)}|(?:{_alternation(self.weekday_abbreviations)})\.)"
        day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
        year = r"(?P<year>(?:1[6-9]|20)\d\d)"
        number_words = _alternation(k for k in self.numbers.values if " " not in k and k not in ("a", "an"))
        number = (rf"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|(?:{_alternation(k for k in self.numbers.values if ' ' in k)})"
                  rf"|(?:{number_words})(?:[\s-]+(?:{number_words}|hundred|thousand|and))*|an?)")
        vague = _alternation(self.numbers.vague)
        unit_singular = _alternation(self.units)
        unit = rf"(?P<unit>{unit_singular})(?:s|es)?"
        unit_plural_century = r"centuries"
        rel = rf"(?P<rel>{_alternation(self.offsets)}|that|the\s+same)"
        mod = rf"(?P<mod>{_alternation(self.modifiers)})"
        season = rf"(?P<season>{_alternation(self.seasons)})"
        part = rf"(?P<part>{_alternation(self.parts)})"
        deictic = rf"(?P<deictic>{_alternation(self.deictic)})"
        direction = rf"(?P<dir>{_alternation(self.directions)})"
        approx = rf"(?P<approx>{_alternation(w['kept_approximators'])})"
        holiday = rf"(?P<holiday>{_alternation(list(self.holidays_fixed) + list(self.holidays_nth))})"
        tz = rf"(?:\s+(?:{_alternation(w['time_zones'])})\b)?"
        ampm = r"(?P<ampm>[ap]\.m\.?|[ap]m\b)"
        rules = [
            ("iso-date", rf"\b(?P<y>\d{{4}})-(?P<m>\d\d)-(?P<d>\d\d)\b", 9),
            ("numeric-date", r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d\d)\b", 9),
            ("month-day", rf"\b(?:{wd},?\s+)?(?:the\s+)?{month}\s+{day}\b(?!\s*(?:%|:\d|\d|percent))"
                          rf"(?:,?\s+{year}\b)?", 8),
            ("day-month", rf"\b(?:{wd},?\s+)?(?:the\s+)?{day}(?:\s+of)?\s+{month}(?![a-z])"
                          rf"(?:,?\s+{year}\b)?", 8),
            ("month-year", rf"\b(?:{mod}[\s-]+)?{month},?\s+(?:of\s+)?{year}\b", 7),
            ("month", rf"\b(?:{rel}\s+|{mod}[\s-]+)?{month}(?![a-z])(?!\s+[0-3]?\d\b)", 5),
            ("decade", rf"\b(?:the\s+)?(?:{mod}[\s-]+)?(?P<decade>(?:1[6-9]|20)\d)0'?s\b", 6),
            ("short-decade", rf"\b(?:the\s+)?(?:{mod}[\s-]+)?'(?P<decade>\d)0s\b", 6),
            ("spoken-year", r"\b(?:the\s+year\s+)?(?P<spoken>(?:nineteen|twenty)[\s-]+(?:ten|eleven|twelve|"
                            r"(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|"
                            r"eigh|nine)ty(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?)"
                            r"|two\s+thousand(?:\s+and)?(?:[\s-]+(?:one|two|three|four|five|six|seven|"
                            r"eight|nine|ten))?)\b", 6),
            ("year", rf"(?:\b(?P<fiscal>fiscal|calendar|the\s+year|the\s+end\s+of|the\s+beginning\s+of|"
                     rf"the\s+start\s+of)\s+|\b{mod}[\s-]+|\bpost-|\bpre-)?(?<![\d,.$£€])(?<!\d-){year}\b(?!\d|,\d|-\d)", 4),
            ("half", rf"\b(?:the\s+)?(?P<half>first|second|last|latter)\s+half\s+of\s+(?:(?:fiscal\s+)?{year}|"
                     rf"(?P<halfrel>this|last|next|the)\s+year)", 8),
            ("quarter", rf"\b(?:(?P<qpre>the|this\s+year's|last\s+year's|next\s+year's|its|their|his|her|our)\s+)?"
                        rf"(?P<qmods>(?:(?:fiscal|calendar|latest|current|recent|year-ago|year-earlier|"
                        rf"same|comparable|previous|prior|past|last|next|coming)[\s-]+)*)"
                        rf"(?:(?P<qyear>(?:1[6-9]|20)\d\d)\s+)?(?:(?P<ord>{_alternation(self.ordinals)})[\s-]+(?:fiscal[\s-]+)?)?"
                        rf"quarter\b(?!\s+(?:of\s+(?:a|an|the|all|its|their)\b|point|mile|century))"
                        rf"(?:(?:\s+of|,)?\s+(?:fiscal\s+)?{year}\b)?", 7),
            ("year-earlier", r"\b(?:the\s+)?(?:same\s+)?year-(?P<ya>earlier|ago)(?:\s+(?P<yaunit>quarter|period|month|year))?\b", 6),
            ("latest-period", r"\bthe\s+(?:latest|recent|most\s+recent|current)\s+(?P<period>period|fiscal\s+year|year|quarter)\b", 6),
            ("weekend", rf"\b(?:the|this|last|next|that|(?P<wkrel>past|coming))\s+weekend\b", 6),
            ("weekday", rf"\b(?:{rel}\s+)?(?<![-/]){wd}(?!-)(?:'s)?(?:\s+{part})?\b", 5),
            ("deictic", rf"\b(?:{mod}\s+)?{deictic}(?:'s)?(?:\s+{part})?\b", 6),
            ("this-part", rf"\b(?P<prel>this|last|tomorrow|yesterday)\s+{part}\b", 6),
            ("relative", rf"\b(?:the\s+)?(?:{mod}[\s-]+)?(?:in\s+)?{rel}\s+(?P<runit>week|month|year|decade|century|"
                         rf"quarter|fortnight|day|{_alternation(self.seasons)})\b(?!-)(?:'s)?", 6),
            ("season", rf"\b(?:{mod}[\s-]+)?{season}(?:\s+(?:of\s+)?{year})?\b", 3),
            ("offset", rf"\b(?:{approx}\s+)?(?P<amount>{number}|{vague})[\s-]+(?:more\s+)?{unit}\s+{direction}\b", 8),
            ("anaphoric", rf"\b(?:{mod}\s+)?(?:that|the\s+same|the\s+previous|the\s+following|the\s+next)\s+"
                          rf"(?P<aunit>day|morning|afternoon|evening|night|week|month|year)\b", 5),
            ("duration", rf"\b(?:{approx}\s+)?(?:the\s+)?(?:(?P<drel>past|last|next|first|coming|previous|"
                         rf"final|following|latest|initial|remaining|recent)\s+)?(?P<amount>{number}|{vague})[\s-]+"
                         rf"(?:(?P<more>more|additional|straight|consecutive)\s+)?(?:{unit}|(?P<cent>{unit_plural_century}))"
                         rf"(?:-(?:long|old))?\b", 5),
            ("bare-duration", rf"\b(?:(?P<pre>for|over|in|within|during|recent|past|the\s+past|the\s+coming|"
                              rf"the\s+next|coming|the\s+early|the|those|these)\s+)(?P<bare>years|months|weeks|"
                              rf"days|decades|hours|minutes|centuries)\b(?!\s+(?:of|ago|old))", 2),
            ("long", r"\b(?P<lunit>day|year|decade|month|week|hour|years|decades)s?-long\b", 4),
            ("set", rf"\b(?:(?P<each>every|each|per)\s+(?:(?P<setn>other|{number})\s+)?(?P<sunit>{unit_singular}|"
                    rf"{_alternation(self.weekdays)}|morning|night|evening)s?|(?P<setword>{_alternation(self.sets)}))\b", 4),
            ("reference", rf"\b(?P<ref>{_alternation(self.references)})\b", 3),
            ("century", r"\b(?:the\s+)?(?P<nth>\d{1,2})(?:st|nd|rd|th)[\s-]+century\b", 6),
            ("holiday", rf"\b(?:(?P<hrel>last|next|this)\s+)?{holiday}\b", 5),
            ("clock", rf"\b(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*{ampm}{tz}"
                      rf"(?:,?\s+(?:on\s+)?(?:{wd}|{deictic}|{month}\s+{day}\b))?", 7),
            ("clock-24", rf"\b(?P<h>[0-2]\d)[:.]?(?P<mi>[0-5]\d)\s*(?:hrs|hours|h)?\s*(?P<tz>{_alternation(w['time_zones'])})\b", 7),
            ("noon", rf"\b(?:at|by|until|before|after|around|from)\s+(?P<noon>noon|midnight|midday)\b"
                     rf"(?:,?\s+(?:on\s+)?(?:{wd}|{deictic}|{month}\s+{day}\b))?", 4),
        ]
        # A gate per rule: a word or form every match of the rule contains, so the rule
        # scans only the text near a gate hit (`_windows`). A gate costs a fraction of its
        # rule's scan, whose optional prefixes are tried at every position.
        months, weekdays = _alternation(self.months), _alternation(self.weekdays)
        units = _alternation(self.units)
        gates = {
            "iso-date": r"\d{4}-\d\d-\d\d", "numeric-date": r"\d/\d", "month-day": months,
            "day-month": months, "month-year": months, "month": months, "decade": r"0'?s\b",
            "short-decade": r"'\d0s", "spoken-year": r"nineteen|twenty|two\s+thousand",
            "year": r"(?:1[6-9]|20)\d\d", "half": r"half", "quarter": r"quarter",
            "year-earlier": r"year-(?:earlier|ago)", "latest-period": r"latest|recent|current",
            "weekend": r"weekend", "weekday": weekdays, "deictic": _alternation(self.deictic),
            "this-part": _alternation(self.parts),
            "relative": rf"week|month|year|decade|century|quarter|fortnight|day|{_alternation(self.seasons)}",
            "season": _alternation(self.seasons), "offset": _alternation(self.directions),
            "anaphoric": r"day|morning|afternoon|evening|night|week|month|year",
            "duration": rf"{units}|centuries", "bare-duration": r"years|months|weeks|days|decades|hours|minutes|centuries",
            "long": r"-long", "century": r"century", "clock": r"[ap]\.?m",
            "clock-24": r"[0-2]\d[:.]?[0-5]\d", "noon": r"noon|midnight|midday",
            "set": rf"every|each|per|{_alternation(self.sets)}",
            "holiday": _alternation(list(self.holidays_fixed) + list(self.holidays_nth)),
            "reference": _alternation(self.references),
        }
        # A word gate starts at a word boundary, as the word does in every match of its rule;
        # that lets the scan skip most positions at once. Gates of digits, of "-long", of
        # am/pm and time zones ("10pm", "1200GMT") may follow a letter or digit, so stay bare.
        bare = {"iso-date", "numeric-date", "decade", "short-decade", "year", "long", "clock", "clock-24"}
        compiled = [(name, re.compile(pattern, re.I), prio,
                     re.compile(gates[name] if name in bare else rf"\b(?:{gates[name]})", re.I)
                     if name in gates else None)
                    for name, pattern, prio in rules]
        words = {gate: WordGates.literal_words(gates[name]) for name, _, _, gate in compiled
                 if gate is not None and name not in bare}
        self.word_gates = WordGates({gate: w for gate, w in words.items() if w})
        return compiled

    # -- finding ---------------------------------------------------------------------

    def tag(self, text: str, anchor: dt.date, direction: Direction | None = None) -> list[Timex]:
        """Every time expression of `text`, resolved against `anchor` (the article date)."""
        if not isinstance(text, str) or not text:
            return []
        candidates = []
        windows: dict[re.Pattern | None, list[tuple[int, int]]] = {}  # rules share gates
        word_hits = self.word_gates.hits(text)
        for name, regex, prio, gate in self.rules:
            if gate not in windows:
                windows[gate] = _windows(text, gate, word_hits.get(gate, []) if gate in self.word_gates
                                         else None)
            for window_start, window_end in windows[gate]:
                for m in regex.finditer(text, window_start, window_end):
                    start, end = self._trim(text, m.start(), m.end(), name)
                    if end > start:
                        candidates.append(_Candidate(start, end, name, m, prio))
        chosen = self._select(candidates)
        context = _Context(text=text, anchor=anchor, direction=direction)
        timexes = []
        for cand in chosen:
            try:
                resolved = self._resolve(cand, context)
            except (ValueError, OverflowError, KeyError, IndexError, TypeError, AttributeError):
                resolved = None  # an expression the rules cannot resolve is dropped, not fatal
            if resolved is None:
                continue
            kind, value, precision = resolved
            timexes.append(Timex(text=text[cand.start:cand.end], start=cand.start, end=cand.end,
                                 type=kind, value=value, precision=precision,
                                 rule=f"timex:{cand.rule}", anchor=anchor.isoformat()))
            self._remember(timexes[-1], context)
        return timexes

    def _trim(self, text: str, start: int, end: int, rule: str) -> tuple[int, int]:
        """TimeML extents: no leading preposition or article before a date, no possessive,
        no sentence-final period after a full word."""
        span = text[start:end]
        lead = re.match(r"(?i)(?:for|over|in|within|during|from|at|by|until|before|after|around)\s+", span)
        if lead and rule in ("bare-duration", "noon", "relative"):
            start += lead.end()
        article = re.match(r"(?i)(?:the|a|an)\s+(?=\S)", text[start:end])
        if article and rule in ("month-day", "day-month", "duration", "long") and (
                rule != "duration" or re.search(r"-", text[start:end])):
            start += article.end()
        if text[start:end].lower().endswith("'s"):
            end -= 2
        if text[start:end].endswith(".") and len(text[start:end].rsplit(None, 1)[-1]) > 5:
            end -= 1
        return start, end

    @staticmethod
    def _select(candidates: list[_Candidate]) -> list[_Candidate]:
        """Longest, then highest-priority, non-overlapping matches, in text order."""
        candidates.sort(key=lambda c: (-(c.end - c.start), -c.priority, c.start))
        starts: list[int] = []  # taken spans, kept sorted and disjoint
        ends: list[int] = []
        taken: list[_Candidate] = []
        for cand in candidates:
            i = bisect.bisect_left(starts, cand.start)
            if i < len(starts) and starts[i] < cand.end:
                continue  # overlaps the next taken span
            if i > 0 and ends[i - 1] > cand.start:
                continue  # overlaps the previous one
            starts.insert(i, cand.start)
            ends.insert(i, cand.end)
            taken.append(cand)
        return sorted(taken, key=lambda c: c.start)

    def _direction(self, cand: _Candidate, ctx: _Context) -> int | None:
        if ctx.direction is not None:
            found = ctx.direction(cand.start, cand.end)
            if found is not None:
                return found
        return lexical_direction(ctx.text, cand.start, cand.end, self.cues)

    def _remember(self, timex: Timex, ctx: _Context) -> None:
        if timex.type in ("DATE", "TIME") and re.match(r"\d{4}-\d\d-\d\d", timex.value):
            ctx.last_day = dt.date.fromisoformat(timex.value[:10])
        calendar_value = re.match(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?(?![\dQWHSFX])", timex.value)
        if timex.type in ("DATE", "TIME") and calendar_value:
            year, month, day = calendar_value.groups()
            ctx.last_date = safe_date(int(year), int(month or 1), int(day or 1))
        quarter = re.fullmatch(r"(\d{4})-Q(\d)", timex.value)
        if quarter and timex.rule == "timex:quarter" and re.search(r"\d|first|second|third|fourth",
                                                                    timex.text, re.I):
            ctx.last_quarter = (int(quarter.group(1)), int(quarter.group(2)))

    # -- resolving -------------------------------------------------------------------

    def _resolve(self, cand: _Candidate, ctx: _Context) -> tuple[str, str, str] | None:
        handler = getattr(self, "_r_" + cand.rule.replace("-", "_"))
        return handler(cand.match, cand, ctx)

    def _month_number(self, m: re.Match, cand: _Candidate, ctx: _Context, need_context: bool) -> int | None:
        word = m.group("month").lower()
        number = self.months[word]
        raw = m.group("month")
        if word in self.ambiguous_months or need_context:
            if not raw[0].isupper():
                return None
        return number

    def _r_iso_date(self, m, cand, ctx):
        day = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return ("DATE", day.isoformat(), "day") if day else None

    def _r_numeric_date(self, m, cand, ctx):
        year = int(m["y"])
        year = year + (1900 if year >= 50 else 2000) if year < 100 else year
        day = safe_date(year, int(m["m"]), int(m["d"])) or safe_date(year, int(m["d"]), int(m["m"]))
        return ("DATE", day.isoformat(), "day") if day else None

    def _resolve_month_day(self, m, cand, ctx):
        month = self._month_number(m, cand, ctx, need_context=False)
        if month is None:
            return None
        day_number = int(m["day"])
        if m["year"]:
            day = safe_date(int(m["year"]), month, day_number)
            return ("DATE", day.isoformat(), "day") if day else None
        options = [d for d in (safe_date(ctx.anchor.year + k, month, day_number) for k in (-1, 0, 1)) if d]
        if not options:
            return None
        if m["wd"]:
            weekday = self.weekdays[m["wd"].lower().rstrip(".")]
            matching = [d for d in options if d.isoweekday() == weekday]
            options = matching or options
        chosen = nearest(options, ctx.anchor, self._direction(cand, ctx))
        if abs((chosen - ctx.anchor).days) > 183 and not m["wd"]:
            chosen = nearest(options, ctx.anchor, None)
        return "DATE", chosen.isoformat(), "day"

    _r_month_day = _resolve_month_day
    _r_day_month = _resolve_month_day

    def _r_month_year(self, m, cand, ctx):
        month = self.months[m["month"].lower()]
        return "DATE", f"{int(m['year']):04d}-{month:02d}", "month"

    def _r_month(self, m, cand, ctx):
        month = self._month_number(m, cand, ctx, need_context=True)
        if month is None:
            return None
        word = m["month"].lower()
        if word in self.ambiguous_months:
            before = ctx.text[max(0, cand.start - 12):cand.start].lower()
            if not (m["rel"] or m["mod"] or re.search(r"\b(in|since|until|by|of|from|through|last|next|"
                                                      r"this|early|late|mid|during|before|after)\s+$", before)):
                return None
        abbreviated = len(word) <= 4 and word not in ("may", "june", "july")
        if abbreviated and ctx.text[m.end("month"):m.end("month") + 1] != ".":
            return None  # "Jan" without a day or a year is more often a name
        rel = (m["rel"] or "").lower()
        if rel in ("last", "past", "previous"):
            year = ctx.anchor.year if month < ctx.anchor.month else ctx.anchor.year - 1
        elif rel in ("next", "coming", "following", "upcoming"):
            year = ctx.anchor.year if month > ctx.anchor.month else ctx.anchor.year + 1
        elif rel in ("this", "current"):
            year = ctx.anchor.year
        else:
            options = [dt.date(ctx.anchor.year + k, month, 15) for k in (-1, 0, 1)]
            anchor_mid = ctx.anchor.replace(day=15)
            direction = self._direction(cand, ctx)
            if month == ctx.anchor.month:
                year = ctx.anchor.year
            else:
                year = nearest(options, anchor_mid, direction).year
                if abs(year * 12 + month - (ctx.anchor.year * 12 + ctx.anchor.month)) > 9:
                    year = nearest(options, anchor_mid, None).year
        return "DATE", f"{year:04d}-{month:02d}", "month"

    def _r_decade(self, m, cand, ctx):
        return "DATE", m["decade"], "year"  # TIMEX3: "the 1990s" -> 199

    def _r_short_decade(self, m, cand, ctx):
        return "DATE", f"19{m['decade']}", "year"

    def _r_spoken_year(self, m, cand, ctx):
        words = m["spoken"].lower().replace("-", " ").split()
        if words[0] == "two":  # two thousand (and) N
            rest = [x for x in words[2:] if x != "and"]
            tail = self.numbers.read(" ".join(rest)) if rest else 0
            return ("DATE", f"{2000 + int(tail):04d}", "year") if tail is not None else None
        century = 19 if words[0] == "nineteen" else 20
        tail = self.numbers.read(" ".join(words[1:]))
        if tail is None or tail >= 100:
            return None
        return "DATE", f"{century}{int(tail):02d}", "year"

    def _r_year(self, m, cand, ctx):
        year = int(m["year"])
        before = ctx.text[max(0, cand.start - 14):cand.start].lower().split()
        after = ctx.text[cand.end:cand.end + 20].lower().split()
        if before and before[-1] in self.year_blocking_prefixes and not m["fiscal"]:
            return None
        if after and after[0].strip(".,;:)") in self.year_blockers:
            return None
        if ctx.text[max(0, cand.start - 1):cand.start] in ("$", "#", "£", "€"):
            return None
        if year > ctx.anchor.year + 30:
            return None
        return "DATE", f"{year:04d}", "year"

    def _r_half(self, m, cand, ctx):
        half = 1 if m["half"].lower() == "first" else 2
        if m["year"]:
            year = int(m["year"])
        else:
            year = ctx.anchor.year + self.offsets.get((m["halfrel"] or "this").lower(), 0)
        return "DATE", f"{year:04d}-H{half}", "year"

    def _reference_quarter(self, ctx: _Context) -> tuple[int, int]:
        """The quarter a bare 'the quarter' means: the last one named, else the last closed one."""
        if ctx.last_quarter:
            return ctx.last_quarter
        previous = add_months(ctx.anchor, -3)
        return previous.year, QUARTER_OF_MONTH[previous.month]

    def _r_quarter(self, m, cand, ctx):
        mods = (m["qmods"] or "").lower()
        pre = (m["qpre"] or "").lower()
        if not m["ord"] and not pre and not mods:
            return None
        if m["qyear"] and not m["ord"]:
            return "DATE", f"{m['qyear']}-Q{self._reference_quarter(ctx)[1]}", "year"
        if not m["ord"] and m["year"]:
            return "DATE", f"{m['year']}-Q{self._reference_quarter(ctx)[1]}", "year"
        if not m["ord"]:
            year, quarter = self._reference_quarter(ctx)
            if "current" in mods:
                return "DATE", f"{ctx.anchor.year:04d}-Q{QUARTER_OF_MONTH[ctx.anchor.month]}", "year"
            if any(x in mods for x in ("year-ago", "year-earlier")):
                return "DATE", f"{year - 1:04d}-Q{quarter}", "year"
            if any(x in mods for x in ("previous", "prior", "last", "past")):
                before = add_months(dt.date(year, quarter * 3 - 2, 1), -3)
                return "DATE", f"{before.year:04d}-Q{QUARTER_OF_MONTH[before.month]}", "year"
            if any(x in mods for x in ("next", "coming")):
                after = add_months(dt.date(year, quarter * 3 - 2, 1), 3)
                return "DATE", f"{after.year:04d}-Q{QUARTER_OF_MONTH[after.month]}", "year"
            return "DATE", f"{year:04d}-Q{quarter}", "year"
        quarter = self.ordinals[m["ord"].lower()]
        if m["year"] or m["qyear"]:
            year = int(m["year"] or m["qyear"])
        elif pre.startswith("last year"):
            year = ctx.anchor.year - 1
        elif pre.startswith("next year"):
            year = ctx.anchor.year + 1
        elif pre.startswith("this year"):
            year = ctx.anchor.year
        else:
            current = QUARTER_OF_MONTH[ctx.anchor.month]
            year = ctx.anchor.year if quarter <= current else ctx.anchor.year - 1
            if quarter > current and self._direction(cand, ctx) == 1:
                year = ctx.anchor.year
            if "year-ago" in mods or "year-earlier" in mods:
                year -= 1
        return "DATE", f"{year:04d}-Q{quarter}", "year"

    def _in_quarter_context(self, cand: _Candidate, ctx: _Context) -> bool:
        return ctx.last_quarter is not None

    def _r_year_earlier(self, m, cand, ctx):
        unit = (m["yaunit"] or "").lower()
        if unit in ("quarter", "period") or (not unit and self._in_quarter_context(cand, ctx)):
            year, quarter = self._reference_quarter(ctx)
            return "DATE", f"{year - 1:04d}-Q{quarter}", "year"
        if unit == "month":
            day = add_months(ctx.anchor, -12)
            return "DATE", f"{day.year:04d}-{day.month:02d}", "month"
        return "DATE", f"{ctx.anchor.year - 1:04d}", "year"

    def _r_latest_period(self, m, cand, ctx):
        period = m["period"].lower()
        if period in ("period", "quarter"):
            year, quarter = self._reference_quarter(ctx)
            return "DATE", f"{year:04d}-Q{quarter}", "year"
        return "DATE", f"{ctx.anchor.year:04d}", "year"

    def _r_weekend(self, m, cand, ctx):
        word = cand.match.group(0).split()[0].lower()
        weekday = ctx.anchor.isoweekday()
        if word in ("last", "past") or (word in ("the", "that") and self._direction(cand, ctx) == -1):
            base = ctx.anchor - dt.timedelta(days=weekday if weekday < 6 else 7)
        elif word in ("next", "coming") or (word in ("the", "this", "that") and weekday < 6):
            base = ctx.anchor + dt.timedelta(days=6 - weekday) if weekday < 6 else ctx.anchor
            if word == "next" and weekday >= 6:
                base = ctx.anchor + dt.timedelta(days=7)
        else:
            base = ctx.anchor
        return "DATE", iso_week(base) + "-WE", "week"

    def _weekday_date(self, weekday: int, rel: str, cand: _Candidate, ctx: _Context) -> dt.date:
        anchor = ctx.anchor
        back = (anchor.isoweekday() - weekday) % 7
        ahead = (weekday - anchor.isoweekday()) % 7
        if rel in ("last", "past", "previous"):
            return anchor - dt.timedelta(days=back or 7)
        if rel in ("next", "coming", "following", "upcoming"):
            return anchor + dt.timedelta(days=ahead or 7)
        if rel == "this":
            return anchor + dt.timedelta(days=ahead) if self._direction(cand, ctx) != -1 else \
                anchor - dt.timedelta(days=back)
        direction = self._direction(cand, ctx)
        if back == 0:
            return anchor
        if direction is not None and direction > 0:
            return anchor + dt.timedelta(days=ahead)
        return anchor - dt.timedelta(days=back)

    def _r_weekday(self, m, cand, ctx):
        raw = m["wd"]
        key = raw.lower().rstrip(".")
        if key in ("sun", "sat", "wed") and not raw.endswith("."):
            return None
        if not raw[0].isupper() and not ctx.text.isupper():
            return None
        rel = (m["rel"] or "").lower()
        if rel in ("that", "the same"):
            return None
        day = self._weekday_date(self.weekdays[key], rel, cand, ctx)
        # "Friday night" keeps its part of day in the extent but not in the value: TimeML
        # annotators mostly normalise it to the day.
        return "DATE", day.isoformat(), "day"

    def _with_part(self, day: dt.date, part: str | None):
        if part:
            return "TIME", f"{day.isoformat()}T{self.parts[part.lower()]}", "day"
        return "DATE", day.isoformat(), "day"

    def _r_deictic(self, m, cand, ctx):
        offset = self.deictic[" ".join(m["deictic"].lower().split())]
        day = ctx.anchor + dt.timedelta(days=offset)
        return self._with_part(day, m["part"])

    def _r_this_part(self, m, cand, ctx):
        rel = m["prel"].lower()
        part = self.parts[m["part"].lower()]
        if rel == "last" and part != "NI":
            return None
        offset = {"this": 0, "last": -1, "tomorrow": 1, "yesterday": -1}[rel]
        day = ctx.anchor + dt.timedelta(days=offset)
        return "TIME", f"{day.isoformat()}T{part}", "day"

    def _r_relative(self, m, cand, ctx):
        words = cand.match.group(0).split()
        before = ctx.text[max(0, cand.start - 3):cand.start].strip()
        if len(words) > 1 and all(w[:1].isupper() for w in words) and before not in ("", ".", "\n") \
                and not ctx.text.isupper():
            return None  # "ABC's This Week": a title, not a time
        rel = " ".join(m["rel"].lower().split())
        unit = m["runit"].lower()
        if rel in ("that", "the same"):
            return self._anaphoric(unit, cand, ctx)
        offset = self.offsets[rel]
        if unit in self.seasons:
            return "DATE", f"{self._season_year(self.seasons[unit], offset, ctx.anchor):04d}-{self.seasons[unit]}", "year"
        if unit == "day":
            return None  # "the next day" is anaphoric; handled by its own rule
        if unit in ("decade", "century") and rel in ("past", "last", "this", "current"):
            return "DURATION", duration_value(1, unit, self.words), "unknown"  # "the past decade"
        base = ctx.anchor
        if rel in ("following", "previous", "prior") and ctx.last_date is not None:
            base = ctx.last_date  # "the following year": after the year just mentioned
        day = shift(base, unit, offset)
        value, precision = format_at(day, unit)
        if unit == "year" and rel == "past" and cand.match.group(0).lower().startswith("the"):
            value = f"{day.year:04d}"
        return "DATE", value, precision

    def _season_year(self, code: str, offset: int, anchor: dt.date) -> int:
        """'last summer' is the latest finished one, 'next summer' the first not yet begun."""
        start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
        if offset < 0:
            return anchor.year if start + 2 < anchor.month else anchor.year - 1
        if offset > 0:
            return anchor.year if start > anchor.month else anchor.year + 1
        return anchor.year

    def _season_is_later(self, code: str, anchor: dt.date) -> bool:
        start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
        return start > anchor.month

    def _r_season(self, m, cand, ctx):
        code = self.seasons[m["season"].lower()]
        if m["year"]:
            return "DATE", f"{int(m['year']):04d}-{code}", "year"
        if not m["mod"] and not re.search(r"(?i)\b(in|this|last|next|the|during|by|until|since|of)\s+$",
                                          ctx.text[max(0, cand.start - 10):cand.start]):
            return None
        direction = self._direction(cand, ctx)
        year = ctx.anchor.year
        if direction == -1 and self._season_is_later(code, ctx.anchor):
            year -= 1
        return "DATE", f"{year:04d}-{code}", "year"

    def _offset_amount(self, m) -> float | None:
        return self.numbers.read(m["amount"])

    def _r_offset(self, m, cand, ctx):
        unit = m["unit"].lower()
        amount = self._offset_amount(m)
        sign = self.directions[" ".join(m["dir"].lower().split())]
        if amount is None:
            return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "unknown"
        if unit in ("hour", "minute", "second"):
            return None
        if unit == "year" and amount == 1 and self._in_quarter_context(cand, ctx):
            year, quarter = self._reference_quarter(ctx)
            return "DATE", f"{year - 1:04d}-Q{quarter}", "year"
        whole = int(round(amount))
        day = shift(ctx.anchor, unit, sign * whole)
        if unit == "decade":
            return "DATE", f"{day.year:04d}", "year"
        value, precision = format_at(day, unit)
        return "DATE", value, precision

    def _anaphoric(self, unit: str, cand: _Candidate, ctx: _Context):
        """'that day', 'later that year': relative to the last date the text mentioned."""
        coarse = unit in ("week", "month", "year")
        base = (ctx.last_date if coarse else ctx.last_day) or ctx.last_day or ctx.anchor
        if unit in ("day", "morning", "afternoon", "evening", "night"):
            words = cand.match.group(0).lower()
            if "previous" in words:
                base -= dt.timedelta(days=1)
            elif "following" in words or "next" in words:
                base += dt.timedelta(days=1)
            if unit != "day":
                return "TIME", f"{base.isoformat()}T{self.parts[unit]}", "day"
            return "DATE", base.isoformat(), "day"
        words = cand.match.group(0).lower()
        if "previous" in words:
            base = shift(base, unit, -1)
        elif "following" in words or "next" in words:
            base = shift(base, unit, 1)
        value, precision = format_at(base, unit)
        return "DATE", value, precision

    def _r_anaphoric(self, m, cand, ctx):
        return self._anaphoric(m["aunit"].lower(), cand, ctx)

    def _r_duration(self, m, cand, ctx):
        unit = (m["unit"] or "century").lower() if not m["cent"] else "century"
        amount_text = m["amount"]
        amount = self.numbers.read(amount_text)
        if amount is None and amount_text.lower() not in self.numbers.vague:
            return None
        if amount is not None and amount >= 1000:
            return None
        if cand.match.group(0).lower().endswith("-old"):
            return None  # an age, not a time
        if amount_text.lower() in ("a", "an") and unit in ("day", "night") and not m["drel"]:
            # "a day" is more often a rate ("twice a day") than a span
            before = ctx.text[max(0, cand.start - 8):cand.start].lower()
            if re.search(r"(times|twice|once|\d)\s*$", before):
                return "SET", "P1D", "unknown"
        if unit == "quarter" and (amount_text.lower() in ("a", "an") or "quarters" in cand.match.group(0).lower()
                                  and re.search(r"\w-quarters", cand.match.group(0).lower())):
            return None  # "a quarter of the votes", "three-quarters of them"
        if unit == "second" and amount_text.lower() in ("a", "an"):
            return None
        return "DURATION", duration_value(amount, unit, self.words), "unknown"

    def _r_bare_duration(self, m, cand, ctx):
        bare = m["bare"].lower()
        unit = {"centuries": "century"}.get(bare, bare[:-1])
        pre = " ".join((m["pre"] or "").lower().split())
        if pre in ("the", "those", "these") and bare not in ("years",):
            return None
        return "DURATION", duration_value(None, unit, self.words), "unknown"

    def _r_long(self, m, cand, ctx):
        word = m["lunit"].lower()
        unit = word.rstrip("s")
        amount = None if word.endswith("s") else 1
        return "DURATION", duration_value(amount, unit, self.words), "unknown"

    def _r_set(self, m, cand, ctx):
        if m["setword"]:
            return "SET", self.sets[m["setword"].lower()], "unknown"
        unit = m["sunit"].lower()
        n = m["setn"]
        every = 2 if n and n.lower() == "other" else (int(self.numbers.read(n) or 1) if n else 1)
        if unit in self.weekdays:
            return "SET", f"XXXX-WXX-{self.weekdays[unit]}", "unknown"
        if unit in ("morning", "night", "evening"):
            return "SET", f"T{self.parts[unit]}", "unknown"
        if m["each"].lower() == "per" and unit not in ("day", "week", "month", "year"):
            return None
        return "SET", duration_value(every, unit, self.words), "unknown"

    def _r_century(self, m, cand, ctx):
        number = int(m["nth"])
        return ("DATE", f"{number - 1:02d}", "year") if 1 <= number <= 30 else None

    def _r_reference(self, m, cand, ctx):
        return "DATE", self.references[" ".join(m["ref"].lower().split())], "unknown"

    def _r_holiday(self, m, cand, ctx):
        name = " ".join(m["holiday"].lower().split())
        if not m["holiday"][0].isupper():
            return None
        rel = (m["hrel"] or "").lower()

        def on(year: int) -> dt.date:
            if name in self.holidays_fixed:
                month, day = self.holidays_fixed[name]
                return dt.date(year, month, day)
            month, weekday, nth = self.holidays_nth[name]
            days = [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)
                    if dt.date(year, month, d).isoweekday() == weekday]
            return days[nth - 1] if nth > 0 else days[nth]

        options = [on(ctx.anchor.year + k) for k in (-1, 0, 1)]
        if rel == "last":
            chosen = max(d for d in options if d < ctx.anchor)
        elif rel == "next":
            chosen = min(d for d in options if d > ctx.anchor)
        else:
            chosen = nearest(options, ctx.anchor, self._direction(cand, ctx))
        return "DATE", chosen.isoformat(), "day"

    def _clock_day(self, m, cand, ctx) -> dt.date:
        if m.groupdict().get("wd"):
            return self._weekday_date(self.weekdays[m["wd"].lower().rstrip(".")], "", cand, ctx)
        if m.groupdict().get("deictic"):
            return ctx.anchor + dt.timedelta(days=self.deictic[" ".join(m["deictic"].lower().split())])
        if m.groupdict().get("month") and m.groupdict().get("day"):
            options = [d for d in (safe_date(ctx.anchor.year + k, self.months[m["month"].lower()],
                                             int(m["day"])) for k in (-1, 0, 1)) if d]
            if options:
                return nearest(options, ctx.anchor, self._direction(cand, ctx))
        return ctx.last_day or ctx.anchor

    def _r_clock(self, m, cand, ctx):
        hour = int(m["h"])
        if hour > 12 or hour == 0:
            return None
        minute = int(m["mi"] or 0)
        if m["ampm"].lower().startswith("p") and hour != 12:
            hour += 12
        if m["ampm"].lower().startswith("a") and hour == 12:
            hour = 0
        day = self._clock_day(m, cand, ctx)
        return "TIME", f"{day.isoformat()}T{hour:02d}:{minute:02d}", "day"

    def _r_clock_24(self, m, cand, ctx):
        hour, minute = int(m["h"]), int(m["mi"])
        if hour > 23:
            return None
        day = ctx.last_day or ctx.anchor
        return "TIME", f"{day.isoformat()}T{hour:02d}:{minute:02d}", "day"

    def _r_noon(self, m, cand, ctx):
        day = self._clock_day(m, cand, ctx)
        clock = "24:00" if m["noon"].lower() == "midnight" else "12:00"
        return "TIME", f"{day.isoformat()}T{clock}", "day"


@functools.lru_cache(maxsize=2)
def default_tagger() -> TimexTagger:
    return TimexTagger()


def tag_text(text: str, anchor: dt.date, direction: Direction | None = None) -> list[Timex]:
    """Convenience wrapper: the default tagger over one text."""
    return default_tagger().tag(text, anchor, direction)
