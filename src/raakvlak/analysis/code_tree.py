"""Codes together with the codes below them, as the codebook's tree has them.

A code's children are the codes whose ``parent`` it is, at any depth. Ids usually
start with their parent's id (``barrier.regie`` under ``barrier``), which is what a
query's ``barrier.*`` (:func:`raakvlak.ids.code_matcher`) goes by; but a code moved to
another parent keeps its id (ids never change), so "with the codes below it" asks the
codebook's tree, and uses ``x.*`` only for a code the codebook does not know.

Examples
--------
>>> book = example_codebook().move("inductive.thuiszitter", "barrier.job")
>>> codes_query(book, ["barrier.job"], below=True)
'barrier.job OR inductive.thuiszitter'
>>> codes_query(book, ["barrier.regie", "gone"], below=True)
'barrier.regie OR gone.*'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from raakvlak.coding.codebook import Codebook


def codes_query(codebook: Codebook, codes: Iterable[str], below: bool = False) -> str | None:
    """A code query for codings with any of ``codes``; with ``below``, or with a code
    under one of them in the tree. None when no code is given.
    """
    parts: list[str] = []
    for code_id in codes:
        if not below:
            parts.append(code_id)
        elif code_id in codebook:
            parts.extend([code_id, *(d.id for d in codebook.descendants(code_id))])
        else:
            parts.append(f"{code_id}.*")
    unique = list(dict.fromkeys(parts))
    return " OR ".join(unique) if unique else None


def code_counts(codebook: Codebook, codings: pd.DataFrame | None,
                below: bool = False) -> dict[str, int]:
    """Codings per code id; with ``below``, a code's count includes every code under it.

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
        own = codings["code_id"].value_counts().to_dict()
    counts = {code.id: int(own.get(code.id, 0)) for code in codebook}
    counts.update({k: int(v) for k, v in own.items() if k not in counts})
    if below:
        for code in codebook:
            counts[code.id] += sum(int(own.get(d.id, 0)) for d in codebook.descendants(code.id))
    return counts
