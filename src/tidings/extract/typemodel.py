"""Component `typemodel`: a learned sentence-level event-type classifier beside the lexicon.

Why: the lexicon is precise but only knows the phrasings someone wrote down. A classifier
trained on the team's own labelled sentences (`eval/`, train split only) generalises over
wording, and its probability is a second opinion on every lexicon event. How the two are
combined is configuration (`layer` in data/pipeline.yaml), chosen by F1 on the test split
(`eval/compare_layers.py`):

- `lexicon`: types come from the lexicon; the model only records its probability for the
  lexicon's type in `provenance["event_type.model"]`;
- `both`: as `lexicon`, and in a parsed sentence where the lexicon found nothing, the
  model's top type becomes an event when its probability reaches `add_threshold`
  (provenance `model:textcat@p=0.91`);
- `model`: the model alone decides which types a parsed sentence carries (probability
  >= `model_threshold`); a lexicon event of a predicted type keeps its trigger, the others
  are dropped.

Two backends: `textcat` (spaCy textcat_multilabel, bag of words, default install) and
`minilm` (all-MiniLM-L6-v2 sentence embeddings with a logistic-regression head; optional
extra, see `embeddings.py`). Both are retrained by `tidings train` (or `make train`).
Model-made events get a trigger (the main non-speech verb) and a `TriggerMatch` hand-off,
so `roles`, `time` and `discard` treat them like lexicon events.
"""
from __future__ import annotations

import functools
import json
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from tidings.document import Sentence, TidingsDoc
from tidings.errors import ConfigError, ModelError
from tidings.extract.lexicon import Entry, load_lexicon
from tidings.extract.triggers import HANDOFF_KEY, TriggerMatch
from tidings.labelled import LabelledSentence
from tidings.model import EVENT_TYPES, Event, Evidence
from tidings.registry import component

if TYPE_CHECKING:
    from spacy.tokens import Token

SETTINGS_FILE = "typemodel.yaml"
LAYERS = ("lexicon", "model", "both")
BACKENDS = ("textcat", "minilm")
_DIGITS = re.compile(r"\d")


def normalise(text: str) -> str:
    """What the bag-of-words model sees: case and digits carry no event type."""
    return _DIGITS.sub("0", text.lower())


@functools.lru_cache(maxsize=1)
def load_settings() -> dict[str, Any]:
    try:
        text = resources.files("tidings.data").joinpath(SETTINGS_FILE).read_text("utf-8")
        return yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {SETTINGS_FILE}: {exc}") from exc


def default_model_path(backend: str) -> Path:
    if backend not in BACKENDS:
        raise ConfigError(f"typemodel backend must be one of {BACKENDS}, not {backend!r}")
    import tidings

    return Path(tidings.__file__).resolve().parent / "data" / load_settings()[backend]["path"]


class TypeClassifier(Protocol):
    backend: str
    labels: tuple[str, ...]

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]: ...

    def save(self, path: Path) -> None: ...


def _targets(sentences: Sequence[LabelledSentence], labels: Sequence[str]) -> list[dict[str, float]]:
    return [{label: float(label in s.types) for label in labels} for s in sentences]


# --- spaCy bag-of-words backend ------------------------------------------------------
@dataclass
class TextcatClassifier:
    nlp: Any
    labels: tuple[str, ...] = EVENT_TYPES
    backend: str = "textcat"

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [dict(doc.cats) for doc in self.nlp.pipe(normalise(t) for t in texts)]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.nlp.to_disk(path)

    @classmethod
    def load(cls, path: Path) -> "TextcatClassifier":
        import spacy

        try:
            nlp = spacy.load(path)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load the type model at {path}: {exc}; "
                             "retrain it with `tidings train`") from exc
        labels = tuple(nlp.get_pipe("textcat_multilabel").labels)
        return cls(nlp=nlp, labels=labels)

    @classmethod
    def train(cls, sentences: Sequence[LabelledSentence], settings: dict[str, Any],
              seed: int = 0) -> "TextcatClassifier":
        import spacy
        from spacy.training import Example
        from spacy.util import fix_random_seed, minibatch

        fix_random_seed(seed)
        nlp = spacy.blank("en")
        model = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
                 "ngram_size": int(settings.get("ngram_size", 1)), "no_output_layer": False,
                 "length": int(settings.get("hash_length", 2 ** 15))}
        textcat = nlp.add_pipe("textcat_multilabel", config={"model": model})
        for label in EVENT_TYPES:
            textcat.add_label(label)
        examples = [Example.from_dict(nlp.make_doc(normalise(s.text)), {"cats": cats})
                    for s, cats in zip(sentences, _targets(sentences, EVENT_TYPES))]
        optimizer = nlp.initialize(lambda: examples)
        rng = random.Random(seed)
        for _ in range(int(settings.get("epochs", 60))):
            rng.shuffle(examples)
            for batch in minibatch(examples, size=int(settings.get("batch_size", 8))):
                nlp.update(batch, sgd=optimizer, drop=float(settings.get("dropout", 0.2)))
        return cls(nlp=nlp)


# --- MiniLM embeddings + logistic regression backend ---------------------------------
@dataclass
class EmbeddingClassifier:
    """One-vs-rest logistic regression over standardised sentence embeddings."""

    mean: Any
    scale: Any
    weights: Any
    bias: Any
    labels: tuple[str, ...] = EVENT_TYPES
    backend: str = "minilm"

    def _probabilities(self, vectors: Any) -> Any:
        import numpy as np

        logits = ((vectors - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        from tidings.extract.embeddings import load_encoder

        if not texts:
            return []
        probs = self._probabilities(load_encoder().encode(list(texts)))
        return [dict(zip(self.labels, map(float, row))) for row in probs]

    def save(self, path: Path) -> None:
        import numpy as np

        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:  # a file handle keeps numpy from renaming the path
            np.savez(handle, mean=self.mean, scale=self.scale, weights=self.weights,
                     bias=self.bias, labels=np.array(self.labels))

    @classmethod
    def load(cls, path: Path) -> "EmbeddingClassifier":
        import numpy as np

        try:
            data = np.load(path)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load the type model at {path}: {exc}; "
                             "retrain it with `tidings train --backend minilm`") from exc
        return cls(mean=data["mean"], scale=data["scale"], weights=data["weights"],
                   bias=data["bias"], labels=tuple(str(x) for x in data["labels"]))

    @classmethod
    def train(cls, sentences: Sequence[LabelledSentence], settings: dict[str, Any],
              seed: int = 0) -> "EmbeddingClassifier":
        import numpy as np

        from tidings.extract.embeddings import load_encoder

        vectors = load_encoder().encode([s.text for s in sentences])
        targets = np.array([[cats[label] for label in EVENT_TYPES]
                            for cats in _targets(sentences, EVENT_TYPES)], dtype=np.float32)
        mean = vectors.mean(0)
        scale = vectors.std(0) + 1e-6
        x = (vectors - mean) / scale
        weights = np.zeros((x.shape[1], len(EVENT_TYPES)), dtype=np.float32)
        bias = np.full(len(EVENT_TYPES), -2.0, dtype=np.float32)  # most sentences lack a type
        l2 = float(settings.get("l2", 0.01))
        rate = float(settings.get("learning_rate", 0.1))
        for _ in range(int(settings.get("steps", 1500))):  # full-batch gradient descent
            grad = 1.0 / (1.0 + np.exp(-(x @ weights + bias))) - targets
            weights -= rate * (x.T @ grad / len(x) + l2 * weights)
            bias -= rate * grad.mean(0)
        return cls(mean=mean, scale=scale, weights=weights, bias=bias)


CLASSIFIERS: dict[str, Any] = {"textcat": TextcatClassifier, "minilm": EmbeddingClassifier}


@functools.lru_cache(maxsize=4)
def load_classifier(backend: str = "textcat", path: str | None = None) -> TypeClassifier:
    """The trained model, loaded once per process."""
    model_path = Path(path) if path else default_model_path(backend)
    if not model_path.exists():
        raise ModelError(f"no trained type model at {model_path}; run `tidings train "
                         f"--backend {backend}`")
    return CLASSIFIERS[backend].load(model_path)


@dataclass
class TrainReport:
    backend: str
    path: Path
    n_sentences: int
    label_counts: dict[str, int]
    seconds: float


def train_classifier(sentences: Sequence[LabelledSentence], backend: str = "textcat",
                     out: Path | None = None) -> TrainReport:
    """Train on the given sentences (callers pass the train split only) and save."""
    settings = load_settings()
    if backend not in CLASSIFIERS:
        raise ConfigError(f"typemodel backend must be one of {BACKENDS}, not {backend!r}")
    if any(s.split != "train" for s in sentences):
        raise ConfigError("the type model trains on the train split only")
    started = time.perf_counter()
    classifier = CLASSIFIERS[backend].train(sentences, settings[backend],
                                            seed=int(settings.get("seed", 0)))
    path = out or default_model_path(backend)
    classifier.save(path)
    load_classifier.cache_clear()
    counts = {label: sum(label in s.types for s in sentences) for label in EVENT_TYPES}
    return TrainReport(backend=backend, path=path, n_sentences=len(sentences),
                       label_counts=counts, seconds=time.perf_counter() - started)


# --- the component -------------------------------------------------------------------
def _main_verb(sent: Sentence, speech_verbs: frozenset[str]) -> "Token | None":
    """The trigger of a model event: the highest verb that is not a speech verb."""
    sdoc = sent.doc
    roots = [t for t in sdoc if t.dep_ == "ROOT"]
    queue = list(roots)
    while queue:
        tok = queue.pop(0)
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() not in speech_verbs \
                and tok.pos_ != "AUX":
            return tok
        queue.extend(c for c in tok.children if c.pos_ in ("VERB", "AUX", "NOUN"))
    return roots[0] if roots else None


@dataclass
class TypeModel:
    """The `typemodel` component (see the module docstring for the three layers)."""

    classifier: TypeClassifier
    layer: str = "both"
    add_threshold: float = 0.8
    model_threshold: float = 0.5
    speech_verbs: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.layer not in LAYERS:
            raise ConfigError(f"typemodel layer must be one of {LAYERS}, not {self.layer!r}")

    def confirm_candidate(self, sdoc) -> bool:
        """The model layers may code a sentence no lexicon entry matches, so they keep every
        candidate; the lexicon layer leaves the choice to the lexicon."""
        return self.layer != "lexicon"

    def _tag(self, p: float) -> str:
        return f"model:{self.classifier.backend}@p={p:.2f}"

    def __call__(self, doc: TidingsDoc) -> None:
        self.pipe([doc])

    def pipe(self, docs: list[TidingsDoc]) -> None:
        """Every document of a batch, with one call of the classifier: its cost is mostly
        per call, not per sentence."""
        sentences = [self._sentences(doc) for doc in docs]
        predicted = iter(self.classifier.predict([s.text for sents in sentences for s in sents]))
        for doc, sents in zip(docs, sentences):
            if sents:
                self._apply(doc, sents, {s.index: next(predicted) for s in sents})

    def _sentences(self, doc: TidingsDoc) -> list[Sentence]:
        parsed = [s for s in doc.sentences if s.doc is not None]
        if self.layer == "lexicon":  # the model only annotates events: skip event-less sentences
            coded = {event.sentence_index for event in doc.events}
            parsed = [s for s in parsed if s.index in coded]
        return parsed

    def _apply(self, doc: TidingsDoc, parsed: list[Sentence],
               probabilities: dict[int, dict[str, float]]) -> None:
        by_sentence: dict[int, list[Event]] = {}
        for event in doc.events:
            by_sentence.setdefault(event.sentence_index, []).append(event)
            probs = probabilities.get(event.sentence_index)
            if probs is not None and event.event_type in probs:
                event.provenance["event_type.model"] = self._tag(probs[event.event_type])
        if self.layer == "lexicon":
            return
        dropped: set[int] = set()
        for sent in parsed:
            probs = probabilities[sent.index]
            lexical = by_sentence.get(sent.index, [])
            if self.layer == "both":
                best = max(probs, key=probs.get)
                if not lexical and probs[best] >= self.add_threshold:
                    self._add(doc, sent, best, probs[best])
                continue
            wanted = {t for t, p in probs.items() if p >= self.model_threshold}
            handoff = doc.user_data.get(HANDOFF_KEY, {})
            for event in lexical:
                if event.event_type in wanted:
                    event.provenance["event_type"] = self._tag(probs[event.event_type])
                    wanted.discard(event.event_type)
                else:  # its word is free again for a model event
                    dropped.add(id(event))
                    handoff.pop((event.sentence_index, event.trigger_head), None)
            if dropped:
                doc.events = [e for e in doc.events if id(e) not in dropped]
            for event_type in sorted(wanted, key=lambda t: -probs[t]):
                self._add(doc, sent, event_type, probs[event_type])

    def _add(self, doc: TidingsDoc, sent: Sentence, event_type: str, p: float) -> None:
        tok = _main_verb(sent, self.speech_verbs)
        if tok is None:
            return
        handoff = doc.user_data.setdefault(HANDOFF_KEY, {})
        if (sent.index, tok.i) in handoff:  # that word already carries a lexicon event
            return
        backend = self.classifier.backend
        entry = Entry(rule_id=f"model/{backend}/{event_type.lower()}", event_type=event_type,
                      lemmas=frozenset({tok.lemma_.lower()}), pos=frozenset({tok.pos_}),
                      confidence=p)
        handoff[(sent.index, tok.i)] = TriggerMatch(entry=entry, sentence_index=sent.index,
                                                    head=tok.i, tokens=[tok.i],
                                                    base_type=event_type)
        tag = self._tag(p)
        doc.events.append(Event(
            article_id=doc.article.id, event_type=event_type,
            evidence=Evidence(sentence=sent.text, start=sent.start, end=sent.end,
                              trigger=tok.text, trigger_start=sent.token_start(tok),
                              trigger_end=sent.token_end(tok)),
            provenance={"event_type": tag, "event_type.model": tag,
                        "evidence": f"model:{backend}:main-verb", "confidence": tag},
            confidence=p, sentence_index=sent.index, trigger_head=tok.i))


@component("typemodel")
def make_typemodel(config: dict[str, Any]) -> TypeModel:
    backend = str(config.get("backend", "textcat"))
    if backend not in BACKENDS:
        raise ConfigError(f"typemodel backend must be one of {BACKENDS}, not {backend!r}")
    classifier = load_classifier(backend, config.get("path"))
    speech = load_lexicon(config.get("lexicon")).rules.speech_verbs
    return TypeModel(classifier=classifier, layer=str(config.get("layer", "both")),
                     add_threshold=float(config.get("add_threshold", 0.8)),
                     model_threshold=float(config.get("model_threshold", 0.5)),
                     speech_verbs=speech)


def training_sentences(sentences_path: Path, articles_path: Path | None) -> list[LabelledSentence]:
    """The train split of the labelled sentences, plus the train articles' sentences."""
    from tidings.labelled import load_articles, load_sentences

    rows = [s for s in load_sentences(sentences_path) if s.split == "train"]
    if articles_path is not None and articles_path.exists():
        for article in load_articles(articles_path):
            if article.split == "train":
                rows.extend(article.sentences())
    return rows


def describe(report: TrainReport) -> str:
    return json.dumps({"backend": report.backend, "path": str(report.path),
                       "train_sentences": report.n_sentences,
                       "seconds": round(report.seconds, 1), "labels": report.label_counts})
