"""The model's attribute ruler and lemmatizer, memoised: the same annotations, less work.

Why: on candidate sentences these two rule-based pipes took about a quarter of the parse's
CPU (the Matcher walks 179 patterns per token; the lemmatizer skips its own cache for
proper nouns and base forms), yet their output depends only on a few attributes of each
token. The model's own patterns and tables still decide every value; this component only
remembers what they decided:
- a single-token rule depends on the token's tag, lower-case form, dependency label and
  whether it is white space, so the rules matching one such key are computed once (on a
  one-token Doc, by the model's own Matcher) and reused;
- the few rules that span two tokens run on every Doc, through a Matcher holding only them;
- rules apply in the model's order (a later rule wins), exactly as the attribute ruler does;
- a lemma depends on the token's text, part of speech and morphology, so it is looked up
  once per such key, from the model's lemmatizer.

`tests/test_nlp_morphology.py` and `benchmarks/morphology_equivalence.py` check the output is
identical to the two original pipes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported lazily
    from spacy.language import Language
    from spacy.tokens import Doc, Token

REPLACED_PIPES = ("attribute_ruler", "lemmatizer")
COMPONENT_NAME = "cached_morphology"


class CachedMorphology:
    """Drop-in for the pipeline's `attribute_ruler` followed by its `lemmatizer`."""

    def __init__(self, ruler, lemmatizer) -> None:
        from spacy.matcher import Matcher

        self.ruler, self.lemmatizer = ruler, lemmatizer
        # The lemmatizer tests `form in index` against lists of up to 57k words; as sets
        # the answer is the same and a lemma costs microseconds, not a list scan.
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for pos in list(index):
            index[pos] = frozenset(index[pos])
        self.vocab = ruler.vocab
        self.single = Matcher(self.vocab)
        self.spanning = Matcher(self.vocab)
        for rule_id, pattern in enumerate(ruler.patterns):
            for tokens in pattern["patterns"]:
                matcher = self.single if len(tokens) == 1 else self.spanning
                key = self.vocab.strings.add(str(rule_id))
                matcher.add(key, [tokens])
        self._telling = _TellingValues.of(ruler.patterns, self.vocab.strings)
        self._rules_for: dict[tuple, tuple[int, ...]] = {}
        self._merged: dict[tuple[int, ...], dict] = {}
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: "Doc") -> "Doc":
        from spacy.tokens._retokenize import set_token_attrs

        spanning: dict[int, list[int]] = {}
        if len(self.spanning):
            for match_id, start, end in self.spanning(doc, allow_missing=True):
                rule_id = int(self.vocab.strings[match_id])
                target = doc[start:end][self.ruler.indices[rule_id]].i
                spanning.setdefault(target, []).append(rule_id)
        for token in doc:
            rules = self._single_rules(token)
            if token.i in spanning:
                rules = tuple(sorted(set(rules) | set(spanning[token.i])))
            if rules:
                set_token_attrs(token, self._merged_attrs(rules))
        overwrite = self.lemmatizer.overwrite
        for token in doc:
            if overwrite or token.lemma == 0:
                token.lemma = self._lemma(token)
        return doc

    def _single_rules(self, token: "Token") -> tuple[int, ...]:
        key = self._telling.key(token)
        rules = self._rules_for.get(key)
        if rules is None:
            rules = self._rules_for[key] = self._match_alone(token)
        return rules

    def _match_alone(self, token: "Token") -> tuple[int, ...]:
        """The single-token rules this token matches, judged on a Doc of that token alone
        (a single-token rule sees nothing else)."""
        from spacy.tokens import Doc

        alone = Doc(self.vocab, words=[token.text], spaces=[False])
        alone[0].tag = token.tag
        alone[0].dep = token.dep
        found = {int(self.vocab.strings[m]) for m, _, _ in self.single(alone, allow_missing=True)}
        return tuple(sorted(found))

    def _merged_attrs(self, rules: tuple[int, ...]) -> dict:
        """Every attribute the rules set, a later rule overriding an earlier one."""
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for rule_id in rules:
                merged.update(self.ruler.attrs[rule_id])
            self._merged[rules] = merged
        return merged

    def _lemma(self, token: "Token") -> int:
        """The lemma's string-store hash."""
        key = (token.orth, token.pos, token.morph.key)
        lemma = self._lemmas.get(key)
        if lemma is None:
            lemma = self._lemmas[key] = self.vocab.strings.add(self.lemmatizer.lemmatize(token)[0])
        return lemma


class _TellingValues:
    """Which values of a token's attributes a single-token rule can tell apart.

    A rule tests an attribute against literal values (equal, IN, NOT_IN) or a regular
    expression, so two values that no rule names and no expression matches differently are
    alike to every rule. Keying the memo on the named value (else "other") lets one key
    serve a whole class of tokens, such as every noun nobody named. Patterns testing
    anything else key on the token's full text, which is always exact."""

    ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")

    def __init__(self, literals: dict[str, set[int]], regexes: dict[str, list], exact: bool) -> None:
        self.literals, self.regexes, self.exact = literals, regexes, exact
        self._lower_class: dict[int, object] = {}

    @classmethod
    def of(cls, patterns: list[dict], strings) -> "_TellingValues":
        """`strings`: the vocabulary's string store; values are kept as its hashes, which
        is how a token holds them."""
        import re

        literals: dict[str, set[int]] = {attr: set() for attr in cls.ATTRS}
        regexes: dict[str, list] = {attr: [] for attr in cls.ATTRS}
        exact = True
        for pattern in patterns:
            for tokens in pattern["patterns"]:
                for spec in tokens:
                    for attr, test in spec.items():
                        if attr not in cls.ATTRS:
                            exact = False
                        elif isinstance(test, dict):
                            for op, value in test.items():
                                if op in ("IN", "NOT_IN"):
                                    literals[attr].update(strings.add(str(v)) for v in value)
                                elif op == "REGEX":
                                    regexes[attr].append(re.compile(value))
                                else:
                                    exact = False
                        elif attr != "IS_SPACE":
                            literals[attr].add(strings.add(str(test)))
        if regexes["TAG"] or regexes["DEP"]:
            exact = False
        return cls(literals, regexes, exact)

    def key(self, token: "Token") -> tuple:
        if not self.exact:
            return (token.tag, token.orth, token.dep, token.is_space)
        tag, dep = token.tag, token.dep
        return (tag if tag in self.literals["TAG"] else None, self._lower(token),
                dep if dep in self.literals["DEP"] or not dep else None, token.is_space)

    def _lower(self, token: "Token") -> object:
        lower = token.lower
        telling = self._lower_class.get(lower)
        if telling is None:
            if lower in self.literals["LOWER"]:
                telling = lower
            else:
                text = token.lower_
                telling = tuple(bool(rx.search(text)) for rx in self.regexes["LOWER"])
            self._lower_class[lower] = telling
        return telling


def use_cached_morphology(nlp: "Language") -> "Language":
    """Swap the pipeline's attribute ruler and lemmatizer for one memoised component, in
    place; a pipeline without both is returned unchanged."""
    if not all(name in nlp.pipe_names for name in REPLACED_PIPES):
        return nlp
    _register_factory()
    nlp.add_pipe(COMPONENT_NAME, after=REPLACED_PIPES[1])
    for name in REPLACED_PIPES:
        nlp.remove_pipe(name)
    return nlp


def _register_factory() -> None:
    from spacy.language import Language

    if not Language.has_factory(COMPONENT_NAME):
        Language.factory(COMPONENT_NAME, func=lambda nlp, name: CachedMorphology(
            nlp.get_pipe(REPLACED_PIPES[0]), nlp.get_pipe(REPLACED_PIPES[1])))
