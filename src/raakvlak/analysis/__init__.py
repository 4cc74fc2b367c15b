"""Analysis: retrieval, tables and intercoder agreement, as tidy DataFrames.

The coefficient functions take a coders x units table (list of lists, NumPy array or
DataFrame with coders as rows; None or NaN for missing) and return a float (NaN with a
warning when undefined).
"""

from raakvlak.analysis.agreement import (
    AgreementError,
    AlphaInterval,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    krippendorff_alpha_ci,
    percent_agreement,
)
from raakvlak.analysis.unitizing import (
    code_unitizing_alpha,
    coding_alpha,
    unitizing_alpha,
    unitizing_alpha_1995,
    unitizing_alpha_binary,
)

__all__ = [
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
