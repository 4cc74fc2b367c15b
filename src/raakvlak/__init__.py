"""raakvlak: a Jupyter workbench for qualitative coding.

Canonical corpus, durable per-coder coding logs, agreement statistics, offline theme
suggestions and REFI-QDA exchange, with thin notebooks and widgets on top.
"""

from raakvlak.errors import RaakvlakError
from raakvlak.project import Project

__version__ = "0.1.0"
__all__ = ["Project", "RaakvlakError", "__version__"]
