"""Toponym disambiguation: choose, for every mention in an article, one gazetteer entry.

Why a whole-article step: a name alone is often ambiguous ("Georgia", "Punjab",
"Washington"), but the article around it is not. Each candidate gets a prior (population,
kind of place, national capital) and a context score from evidence that the article
gives: the countries it is about (country names, demonyms, the outlet's country, other
toponyms), "Amritsar, Punjab" admin mentions, and other toponyms in the same region. The
weights are data (`data/gazetteer/resolution.yaml`) and general, never per entry.

The resolver works on bare character spans, so the evaluation can feed it gold spans.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tidings.extract.gazetteer import Gazetteer, GazEntry, normalise

MAX_CANDIDATES = 40
# Rule of a name the gazetteer lacks that took the article's main place: a guess.
FALLBACK_RULE = "gazetteer:article-fallback"
# Rule of a small foreign town in an article about another country: left to the fallback.
OUT_OF_FOCUS_RULE = "gazetteer:foreign-small-place"
# Rule of a name the gazetteer lacks placed in the toponym right after it ("X in London").
INSIDE_RULE = "gazetteer:inside-next-toponym"
# Text between two toponyms that makes the second an admin mention of the first.
_ADMIN_GLUE = re.compile(r"^\s*(?:,|\(|in|at)\s*$")
# Trailing generic words that a toponym may carry but the gazetteer name lacks.
_GENERIC_TAIL = re.compile(
    r"\s+(?:city|town|province|state|district|region|county|prefecture|governorate|"
    r"village|municipality|area|island|islands)$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s?$")
# Formal prefixes of country and region names ("Republic of Armenia").
_FORMAL_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:Islamic|Federal|People's|Democratic|Socialist|United)\s+)*"
    r"(?:Republic|Kingdom|State|Commonwealth|Sultanate|Emirate|Principality|Province|"
    r"Region|Municipality|City|Town|County|District)\s+of\s+(?:the\s+)?", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_][\w'\u2019.-]*")


@dataclass
class Mention:
    """A toponym span in the article; `text` is what the article says."""

    text: str
    start: int
    end: int
    # May a name the gazetteer lacks take the article's place? Off for spans that are
    # likely not toponyms at all (a single word the tagger called GPE: "Yulia").
    may_fall_back: bool = True


@dataclass
class Resolution:
    entry: GazEntry | None
    score: float  # confidence in [0, 1]
    rule: str  # which evidence decided, e.g. "gazetteer:admin-mention"
    candidates: int = 0

    @property
    def guessed(self) -> bool:
        """Placed at the article's main place for want of a gazetteer entry: fine as a
        hint about the article, not as where an event happened."""
        return self.rule == FALLBACK_RULE


@dataclass
class _Scored:
    entry: GazEntry
    prior: float
    context: dict[str, float] = field(default_factory=dict)
    embedded: bool = False  # found inside a longer name ("Rogers" in "Rogers Centre")

    @property
    def total(self) -> float:
        return self.prior + sum(self.context.values())


@dataclass
class _Evidence:
    focus: Counter = field(default_factory=Counter)
    regions: Counter = field(default_factory=Counter)
    focus_by_key: dict[str, Counter] = field(default_factory=dict)
    regions_by_key: dict[str, Counter] = field(default_factory=dict)
    named_countries: dict[str, set[str]] = field(default_factory=dict)  # country -> names
    demonym_countries: set[str] = field(default_factory=set)


def lookup_variants(text: str) -> list[str]:
    """The mention itself, then forms without possessive or generic tail ("Gaza city")."""
    text = text.strip()
    variants = [text]
    bare = _POSSESSIVE.sub("", text)
    for variant in (bare, _GENERIC_TAIL.sub("", bare), _FORMAL_PREFIX.sub("", bare)):
        if variant and variant not in variants:
            variants.append(variant)
    return variants


def embedded_names(text: str, max_words: int = 4) -> list[str]:
    """Capitalised word sequences inside a longer name, longest first ("Colorado State
    University" -> "Colorado State", "Colorado", ...): the place a building or an
    institution is named after is usually where it is."""
    words = [w for w in _WORDS.findall(text)]
    out = []
    for n in range(min(max_words, len(words) - 1), 0, -1):
        for i in range(len(words) - n + 1):
            chunk = words[i:i + n]
            if chunk[0][0].isupper() and chunk[-1][0].isupper():
                out.append(" ".join(chunk))
    return out


class Resolver:
    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        weights = gazetteer.weights
        self.prior_w = weights["prior"]
        self.context_w = weights["context"]
        self.focus_w = weights["focus"]
        self.embedded_min_population = weights["text_match"]["min_city_population"]
        self.embedded_needs_focus = weights["text_match"].get("embedded_needs_focus", False)
        self.fallback = weights["unresolved_fallback"]
        from spacy.lang.en.stop_words import STOP_WORDS

        self.stop_words = frozenset(STOP_WORDS)
        self.generic_words = frozenset(
            normalise(w) for w in weights["text_match"]["generic_words"])

    # -- candidates and priors -----------------------------------------------------
    def prior(self, entry: GazEntry, preferred_name: bool) -> float:
        w = self.prior_w
        score = w["population_per_decade"] * math.log10(entry.population + 1)
        score += w["kind"].get(entry.kind, 0.0)
        if entry.is_capital:
            score += w["capital"]
        if preferred_name:
            score += w["primary_name"]
        return score

    def candidates(self, text: str) -> list[_Scored]:
        named = self.gaz.demonym_place(text)
        if named is not None:  # "Turkish" names Turkey wherever it is a toponym
            return [_Scored(named, self.prior(named, True))]
        for variant in lookup_variants(text):
            if normalise(variant) in self.generic_words:  # "West", "Western": no one place
                continue
            found = self.gaz.preferred(variant)
            if found:
                return self._ranked(found)
        for inner in embedded_names(text):
            key = normalise(inner)
            if (key in self.stop_words and not inner.isupper()) or key in self.generic_words:
                continue  # "US" is a country, "us" a pronoun
            found = [(e, pref) for e, pref in self.gaz.preferred(inner)
                     if pref and (e.kind != "city" or e.population >= self.embedded_min_population)
                     and (len(key) >= 4 or e.kind == "country")]  # "US" in "US Federal Reserve"
            if found:
                return self._ranked(found, embedded=True)
        return []

    def _ranked(self, found: list[tuple[GazEntry, bool]], embedded: bool = False) -> list[_Scored]:
        penalty = self.prior_w["embedded"] if embedded else 0.0
        scored = [_Scored(e, self.prior(e, pref) + penalty, embedded=embedded) for e, pref in found]
        scored.sort(key=lambda s: -s.prior)
        return scored[:MAX_CANDIDATES]

    # -- the article's evidence ------------------------------------------------------
    def _evidence(self, entry: GazEntry) -> float:
        kind_weight = {"country": "country_mention", "admin1": "admin1_mention",
                       "admin2": "admin2_mention", "city": "city_mention"}.get(entry.kind)
        return self.focus_w[kind_weight] if kind_weight else 0.0

    @staticmethod
    def _share(counter: Counter, minus: Counter, key: str | tuple[str, str],
               total: float | None = None) -> float:
        """Share of the article's evidence, other than the mention's own, for a key.
        `total`: that evidence's sum, when the caller asks for several keys of it."""
        if total is None:
            total = sum(counter.values()) - sum(minus.values())
        return (counter[key] - minus[key]) / total if total > 0 else 0.0

    def resolve(self, text: str, mentions: Sequence[Mention],
                demonym_countries: Iterable[str] = (),
                outlet_country: str | None = None) -> list[Resolution]:
        """One resolution per mention, in order. Never raises for an unknown name."""
        scored = [self.candidates(m.text) for m in mentions]
        keys = [normalise(m.text) for m in mentions]
        admin_pairs = self._admin_pairs(text, mentions)
        # Pass 1 reads the article's focus off each mention's prior best; each further
        # pass off the previous pass's decisions, so that a place the context has already
        # moved ("London" of an Ontario story) stops voting for its homonym's country.
        chosen = [cands[0].entry if cands else None for cands in scored]
        results: list[Resolution] = []
        passes = max(1, self.context_w.get("passes", 1))
        for pass_number in range(1, passes + 1):
            evidence = self._article_evidence(keys, chosen, demonym_countries, outlet_country)
            results = []
            for i, (key, cands) in enumerate(zip(keys, scored)):
                if not cands:
                    continue
                partners = [scored[j] for j in admin_pairs.get(i, ())]
                largest = max((c.entry for c in cands if c.entry.kind == "city"),
                              key=lambda e: e.population, default=None)
                for cand in cands:
                    cand.context.clear()
                    self._score_context(cand, evidence, key, partners, outlet_country)
                    self._needs_local_evidence(cand, largest)
            if self.context_w.get("one_sense_per_discourse", False):
                self._share_evidence_between_repeats(keys, scored)
            for key, cands in zip(keys, scored):
                if not cands:
                    results.append(Resolution(None, 0.0, "gazetteer:no-candidate"))
                elif not self._plausible(cands):
                    results.append(Resolution(None, 0.0, "gazetteer:embedded-out-of-focus"))
                else:
                    resolution = self._decide(cands)
                    # Only on the last pass, when the focus no longer rests on priors
                    # ("London" of an Ontario story first read as England's).
                    if pass_number == passes and self._foreign_small_place(
                            resolution.entry, cands, evidence, key):
                        resolution = Resolution(None, 0.0, OUT_OF_FOCUS_RULE, len(cands))
                    results.append(resolution)
            chosen = [res.entry for res in results]
        self._place_inside_the_next_toponym(mentions, results, admin_pairs)
        if self.fallback["enabled"]:
            self._fall_back_to_article_place(mentions, results)
        return results

    @staticmethod
    def _place_inside_the_next_toponym(mentions: Sequence[Mention], results: list[Resolution],
                                       admin_pairs: dict[int, list[int]]) -> None:
        """A name the gazetteer lacks followed by the place that holds it ("Falcon Street in
        London", "St Mary's Chapel at Windsor Castle", "Uhuru Park, Nairobi") is there."""
        for i, res in enumerate(results):
            may_move = mentions[i].may_fall_back or res.rule == OUT_OF_FOCUS_RULE
            if res.entry is not None or not may_move:
                continue
            holder = next((j for j in admin_pairs.get(i, ())
                           if mentions[j].start > mentions[i].end
                           and results[j].entry is not None), None)
            if holder is not None:
                results[i] = Resolution(results[holder].entry,
                                        round(results[holder].score / 2, 3), INSIDE_RULE,
                                        res.candidates)

    @staticmethod
    def _share_evidence_between_repeats(keys: list[str], scored: list[list[_Scored]]) -> None:
        """One sense per discourse: a name repeated in an article means one place, so the
        evidence any occurrence has ("LONDON, Ky." next to a state) counts for all of them
        ("London police said")."""
        groups: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            if scored[i]:
                groups.setdefault(key, []).append(i)
        for members in groups.values():
            if len(members) < 2:
                continue
            best: dict[GazEntry, dict[str, float]] = {}
            for i in members:
                for cand in scored[i]:
                    merged = best.setdefault(cand.entry, {})
                    for name, value in cand.context.items():
                        merged[name] = max(merged.get(name, value), value)
            for i in members:
                for cand in scored[i]:
                    cand.context.update(best[cand.entry])

    def _foreign_small_place(self, entry: GazEntry | None, cands: list[_Scored],
                             evidence: "_Evidence", key: str) -> bool:
        """A small town of a country the article otherwise never speaks of, in an article
        clearly about another country ("Delft" in a Cape Town story, "Peel" in an Ontario
        one), is most likely a local place the gazetteer lacks: a suburb, a street, a
        district. Leave it to the article fallback instead."""
        rule = self.context_w.get("foreign_small_place")
        if not rule or entry is None or entry.kind not in ("city", "admin2"):
            return False
        if entry.population >= rule["max_population"] or entry.is_capital:
            return False
        best = next(c for c in cands if c.entry is entry)
        if any(best.context.get(name, 0.0) > 0.0 for name in ("admin-mention", "nearby",
                                                              "outlet")):
            return False
        if entry.country in evidence.named_countries or entry.country in evidence.demonym_countries:
            return False  # the article names the country ("Mexico", "Mexican")
        own = evidence.focus_by_key.get(key, Counter())
        others = evidence.focus - own
        total = sum(others.values())
        if total <= 0:
            return False
        (top, top_count), = others.most_common(1)
        # Other such towns may vote for their own country: a small share is not support.
        return (top != entry.country and top_count / total >= rule["min_focus_share"]
                and others[entry.country] / total <= rule["max_own_share"])

    def _fall_back_to_article_place(self, mentions: Sequence[Mention],
                                    results: list[Resolution]) -> None:
        """A name the gazetteer lacks (a street, a building, a suburb) is most likely in
        the place the article is about: the city of the article's most mentioned country
        named nearest to it in the text, else the most mentioned region of it, else the
        country. Marked by its rule and a low score. Generic words ("West") and articles
        without places stay unresolved."""
        resolved = [r.entry for r in results if r.entry is not None and r.entry.country]
        if not resolved:
            return
        (country, _), = Counter(e.country for e in resolved).most_common(1)
        anchor = None
        for kinds in (("city", "admin2"), ("admin1",), ("country",)):
            counts = Counter(e for e in resolved if e.kind in kinds and e.country == country)
            if counts:
                (anchor, count), = counts.most_common(1)
                if count >= self.fallback["min_mentions"]:
                    break
                anchor = None
        if anchor is None:
            return
        cities = [(m.start, r.entry) for m, r in zip(mentions, results) if r.entry is not None
                  and r.entry.country == country and r.entry.kind in ("city", "admin2")]
        for i, (mention, res) in enumerate(zip(mentions, results)):
            if (res.entry is None and (mention.may_fall_back or res.rule == OUT_OF_FOCUS_RULE)
                    and normalise(mention.text) not in self.generic_words):
                nearest = min(cities, key=lambda c: abs(c[0] - mention.start), default=None)
                results[i] = Resolution(nearest[1] if nearest else anchor,
                                        self.fallback["score"], FALLBACK_RULE)

    def _article_evidence(self, keys: list[str], chosen: list[GazEntry | None],
                          demonym_countries: Iterable[str],
                          outlet_country: str | None) -> "_Evidence":
        """Country focus and regions of the article, with each name's own share kept apart
        so that a mention never votes for itself."""
        evidence = _Evidence()
        for key, best in zip(keys, chosen):
            if best is None or not best.country:
                continue
            evidence.focus_by_key.setdefault(key, Counter())[best.country] += self._evidence(best)
            if best.kind == "country":
                evidence.named_countries.setdefault(best.country, set()).add(key)
            if best.kind in ("city", "admin2", "admin1"):
                evidence.regions_by_key.setdefault(key, Counter())[(best.country,
                                                                   best.admin1)] += 1
        for counter in evidence.focus_by_key.values():
            evidence.focus.update(counter)
        for counter in evidence.regions_by_key.values():
            evidence.regions.update(counter)
        for cc in demonym_countries:
            evidence.focus[cc] += self.focus_w["demonym"]
            evidence.demonym_countries.add(cc)
        if outlet_country:
            evidence.focus[outlet_country] += self.focus_w["outlet"]
        return evidence

    def _score_context(self, cand: _Scored, evidence: "_Evidence", key: str,
                       partners: list[list[_Scored]], outlet_country: str | None) -> None:
        w = self.context_w
        entry = cand.entry
        if not entry.country:
            return
        focus, regions = evidence.focus, evidence.regions
        own_focus = evidence.focus_by_key.get(key, Counter())
        own_regions = evidence.regions_by_key.get(key, Counter())
        focus_total = sum(focus.values()) - sum(own_focus.values())
        cand.context["focus"] = w["country_focus"] * self._share(focus, own_focus, entry.country,
                                                                 focus_total)
        info = self.gaz.countries.get(entry.country)
        if info and info.neighbours:
            cand.context["neighbours"] = w["neighbour_focus"] * sum(
                self._share(focus, own_focus, n, focus_total) for n in info.neighbours)
        if entry.kind in ("city", "admin2", "admin1") and evidence.named_countries.get(
                entry.country, set()) - {key}:
            cand.context["country-named"] = w.get("country_named", 0.0)
            if entry.is_capital:  # "Washington" of a story that names the United States
                cand.context["capital-of-named-country"] = w.get("capital_of_named_country",
                                                                 0.0)
        if entry.kind in ("city", "admin2", "admin1"):
            cand.context["nearby"] = w["nearby_same_admin1"] * self._share(
                regions, own_regions, (entry.country, entry.admin1))
        if any(self._related(entry, other.entry) for group in partners for other in group[:5]):
            cand.context["admin-mention"] = w["admin_mention"]
        if outlet_country and entry.country == outlet_country:
            cand.context["outlet"] = w["outlet_country"]

    def _needs_local_evidence(self, cand: _Scored, largest: GazEntry | None) -> None:
        """A village named like a foreign world city ("London", Ohio) is written bare only
        in its own local news, which names its region or neighbours too: without such local
        evidence, the article being about its country does not make it the place meant."""
        decades = self.context_w.get("local_evidence_below_decades")
        entry = cand.entry
        if (decades is None or largest is None or entry.kind != "city" or entry.is_capital
                or entry.country == largest.country
                or math.log10(largest.population + 1) - math.log10(entry.population + 1)
                < decades
                or cand.context.get("admin-mention", 0.0) > 0.0
                or cand.context.get("nearby", 0.0) > 0.0):
            return
        for name in ("focus", "neighbours", "country-named", "outlet"):
            cand.context.pop(name, None)

    def _plausible(self, cands: list[_Scored]) -> bool:
        """A place found inside a longer name ("Rogers" in "Rogers Centre") is only a guess
        about where that building or street is: keep it when the rest of the article
        speaks of its country, else leave the name to the fallback."""
        if not cands[0].embedded or not self.embedded_needs_focus:
            return True
        return any(c.entry.kind == "country" or c.context.get("focus", 0.0) > 0.0
                   or "admin-mention" in c.context for c in cands)

    @staticmethod
    def _related(entry: GazEntry, other: GazEntry) -> bool:
        """Does one contain the other (same country, and same admin1 when both have one)?"""
        if entry.country != other.country or entry is other:
            return False
        if "country" in (entry.kind, other.kind):
            return True
        return entry.admin1 == other.admin1 and "admin1" in (entry.kind, other.kind)

    @staticmethod
    def _admin_pairs(text: str, mentions: Sequence[Mention]) -> dict[int, list[int]]:
        """Adjacent toponyms joined by a comma ("Amritsar, Punjab"): each supports the other."""
        order = sorted(range(len(mentions)), key=lambda k: mentions[k].start)
        pairs: dict[int, list[int]] = {}
        for a, b in zip(order, order[1:]):
            first, second = mentions[a], mentions[b]
            if 0 <= second.start - first.end <= 4 and _ADMIN_GLUE.match(
                    text[first.end:second.start]):
                pairs.setdefault(a, []).append(b)
                pairs.setdefault(b, []).append(a)
        return pairs

    @staticmethod
    def _decide(cands: list[_Scored]) -> Resolution:
        ranked = sorted(cands, key=lambda s: -s.total)
        best = ranked[0]
        margin = best.total - ranked[1].total if len(ranked) > 1 else 3.0
        confidence = 1.0 / (1.0 + math.exp(-margin))
        if best is cands[0]:
            rule = "gazetteer:prior"
        else:  # context overturned the prior: name the strongest evidence
            rule = "gazetteer:" + max(best.context, key=lambda k: best.context[k])
        return Resolution(best.entry, round(confidence, 3), rule, len(cands))
