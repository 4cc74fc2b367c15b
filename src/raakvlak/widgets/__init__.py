"""The Jupyter face of raakvlak: coding, codebook (browser and editor), retrieval and theme widgets.

Importing this package needs ipywidgets and anywidget; the core (:mod:`raakvlak`
without ``widgets``) never imports it, so it works without Jupyter.

Examples
--------
>>> from raakvlak.widgets import CodingWidget   # doctest: +SKIP
>>> CodingWidget(Project.find(), "anna")        # doctest: +SKIP
"""

from raakvlak.widgets.codebook_browser import CodebookBrowser
from raakvlak.widgets.codebook_editor import CodebookEditor
from raakvlak.widgets.coder import CoderChoice
from raakvlak.widgets.coding import CodingWidget, DocumentView
from raakvlak.widgets.retrieval import RetrievalView
from raakvlak.widgets.themes import ThemeExplorer

__all__ = ["CodebookBrowser", "CodebookEditor", "CoderChoice", "CodingWidget", "DocumentView", "RetrievalView", "ThemeExplorer"]
