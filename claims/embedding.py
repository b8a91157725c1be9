"""Sentence embeddings for claim retrieval: the wordllama static model, loaded offline.

``get_embedder(cache_dir)`` returns an ``Embedder`` whose ``embed(texts)`` gives L2-normalised
float32 vectors of shape (len(texts), dim). Texts are normalised with
``claims.detection.normalise.normalise`` first, so the vector of a claim does not depend on
URLs, hashtags or tweet signatures.

wordllama ships its weights and tokenizer inside the wheel, but ``WordLlama.load`` looks for the
tokenizer under ``wordllama/tokenizer/`` (the wheel has ``tokenizers/``) and would then try to
download it. We copy the bundled files into ``cache_dir`` and load with downloads disabled, so
nothing is ever fetched at run time. The copy is idempotent and safe when two processes start
at once: each file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from claims.detection.normalise import normalise

MODEL_CONFIG = "l2_supercat"
MODEL_DIM = 256

_lock = threading.Lock()
_cache: dict[tuple[str, int], Embedder] = {}


@dataclass
class Embedder:
    """A loaded static embedding model."""

    model_name: str
    dim: int
    _model: Any = field(repr=False)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """L2-normalised float32 embeddings, one row per text (zero rows stay zero)."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        cleaned = [normalise(t) or " " for t in texts]
        vecs = np.asarray(self._model.embed(cleaned, norm=False, batch_size=256), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        np.divide(vecs, norms, out=vecs, where=norms > 0)
        return np.ascontiguousarray(vecs, dtype=np.float32)


def _install_file(src: Path, dest: Path) -> None:
    if dest.exists() and dest.stat().st_size == src.stat().st_size:
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-" + dest.name)
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
            shutil.copyfileobj(inp, out)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def install_model_files(cache_dir: Path) -> None:
    """Copy wordllama's bundled tokenizer and weights into ``cache_dir`` (idempotent)."""
    import wordllama

    pkg = Path(wordllama.__file__).parent
    for sub in ("tokenizers", "weights"):
        patterns = ("*.json",) if sub == "tokenizers" else ("*",)
        for pattern in patterns:
            for src in sorted((pkg / sub).glob(pattern)):
                if src.is_file() and not src.name.startswith(("__", ".")):
                    _install_file(src, cache_dir / sub / src.name)


def get_embedder(cache_dir: Path, dim: int = MODEL_DIM) -> Embedder:
    """Load (once per process and cache_dir) the wordllama embedder; never downloads."""
    key = (str(cache_dir), dim)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        from wordllama import WordLlama

        install_model_files(cache_dir)
        trunc = None if dim == MODEL_DIM else dim
        model = WordLlama.load(
            config=MODEL_CONFIG, cache_dir=cache_dir, dim=MODEL_DIM, trunc_dim=trunc, disable_download=True
        )
        emb = Embedder(model_name=f"wordllama/{MODEL_CONFIG}_{dim}", dim=dim, _model=model)
        _cache[key] = emb
        return emb
