"""Codes together with the codes below them, by the one rule of :func:`raakvlak.ids.code_matcher`.

A code's sub-codes are the codes below it in the codebook's tree, at any depth. Ids
usually start with their parent's id (``barrier.regie`` under ``barrier``), but a code
moved to another parent keeps its id (ids never change), so "below" asks the tree
(:func:`code_parents`). The retrieval view's switch writes ``x.*`` (:func:`codes_query`)
and its counts (:func:`code_counts`) use the same matcher as a typed query, a theme
scope and :func:`~raakvlak.analysis.retrieval.retrieve`: one rule everywhere.

Examples
--------
>>> book = example_codebook().move("inductive.thuiszitter", "barrier.job")
>>> codes_query(["barrier.job", "gone"], below=True)
'barrier.job.* OR gone.*'
>>> picks = code_matcher("barrier.job.*", code_parents(book))
>>> picks("inductive.thuiszitter"), picks("barrier.regie")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from raakvlak.coding.codebook import Codebook
from raakvlak.ids import code_matcher


def code_parents(codebook: Codebook) -> dict[str, str | None]:
    """Every code id of ``codebook`` -> its parent id (None at the top): the tree that
    ``x.*`` goes by (see :func:`raakvlak.ids.code_matcher`)."""
    return {code.id: code.parent for code in codebook}


def codes_query(codes: Iterable[str], below: bool = False) -> str | None:
    """A code query for codings with any of ``codes``; with ``below``, also with a code
    below one of them (``x.*``). None when no code is given.
    """
    parts = [f"{code_id}.*" if below else code_id for code_id in codes]
    unique = list(dict.fromkeys(parts))
    return " OR ".join(unique) if unique else None


def code_counts(codebook: Codebook, codings: pd.DataFrame | None,
                below: bool = False) -> dict[str, int]:
    """Codings per code id; with ``below``, a code's count includes every code below it
    (``x.*`` by :func:`raakvlak.ids.code_matcher` on the codebook's tree).

    ``codings`` has a ``code_id`` column (merged codes already resolved, as in
    :func:`raakvlak.analysis.data.project_codings`); None or empty: no codings.

    Examples
    --------
    >>> book = example_codebook()
    >>> codings = pd.DataFrame({"code_id": ["barrier.regie", "barrier.regie", "barrier"]})
    >>> code_counts(book, codings)["barrier"], code_counts(book, codings, below=True)["barrier"]
    (1, 3)
    """
    own: Mapping[str, int] = {}
    if codings is not None and len(codings):
        own = {str(k): int(v) for k, v in codings["code_id"].value_counts().items()}
    counts = {code.id: int(own.get(code.id, 0)) for code in codebook}
    counts.update({k: v for k, v in own.items() if k not in counts})
    if below:
        parents = code_parents(codebook)
        for code in codebook:
            picks = code_matcher(f"{code.id}.*", parents)
            counts[code.id] = sum(n for code_id, n in own.items() if picks(code_id))
    return counts
