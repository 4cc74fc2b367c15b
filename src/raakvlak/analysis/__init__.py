"""Analysis: retrieval, tables and intercoder agreement, as tidy DataFrames.

The coefficient functions take a coders x units table (list of lists, NumPy array or
DataFrame with coders as rows; None or NaN for missing) and return a float (NaN with a
warning when undefined).
"""

from raakvlak.analysis.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    percent_agreement,
)
from raakvlak.analysis.alpha import AlphaInterval, krippendorff_alpha, krippendorff_alpha_ci
from raakvlak.analysis.consensus import ConsensusSession
from raakvlak.analysis.figures import FigureError, cooccurrence_heatmap, frequency_bars, save_figure
from raakvlak.analysis.intercoder import (
    agreement_data,
    agreement_report,
    agreement_table,
    disagreements,
    pairwise_kappa,
)
from raakvlak.analysis.query import QueryError, parse
from raakvlak.analysis.ratings import AgreementError
from raakvlak.analysis.retrieval import retrieve
from raakvlak.analysis.tables import (
    TableError,
    code_document_matrix,
    code_frequencies,
    cooccurrence,
    crosstab,
    project_cooccurrence,
    project_crosstab,
    project_document_matrix,
    project_frequencies,
)
from raakvlak.analysis.unitizing import (
    code_unitizing_alpha,
    coding_alpha,
    unitizing_alpha,
    unitizing_alpha_1995,
    unitizing_alpha_binary,
)
from raakvlak.analysis.words import (
    WordsError,
    kwic,
    project_kwic,
    project_word_frequencies,
    word_frequencies,
)

__all__ = [
    "ConsensusSession",
    "agreement_data",
    "agreement_report",
    "agreement_table",
    "disagreements",
    "pairwise_kappa",
    "FigureError",
    "QueryError",
    "TableError",
    "WordsError",
    "code_document_matrix",
    "code_frequencies",
    "cooccurrence",
    "cooccurrence_heatmap",
    "crosstab",
    "frequency_bars",
    "kwic",
    "parse",
    "project_cooccurrence",
    "project_crosstab",
    "project_document_matrix",
    "project_frequencies",
    "project_kwic",
    "project_word_frequencies",
    "retrieve",
    "save_figure",
    "word_frequencies",
    "AgreementError",
    "AlphaInterval",
    "brennan_prediger",
    "code_unitizing_alpha",
    "coding_alpha",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "krippendorff_alpha_ci",
    "percent_agreement",
    "unitizing_alpha",
    "unitizing_alpha_1995",
    "unitizing_alpha_binary",
]
