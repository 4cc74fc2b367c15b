"""The code query language, shared by the notebook, the retrieval widget and the CLI.

A query is evaluated on segments (speaker turns or sentences): a code *holds* in a
segment when a coding with that code overlaps it.

======================  ====================================================
``barrier.regie``       segments coded with that code
``barrier.*``           ``barrier`` and every code below it in the codebook's tree
                        (see ``ids.code_matcher``)
``a AND b``             both codes in the same segment (co-occurrence)
``a OR b``              either code
``NOT a``               segments without the code (``a AND NOT b``: a but not b)
``a NEAR/2 b``          a, with b in the same segment or within 2 segments of it
``( ... )``             grouping; AND binds tighter than OR
======================  ====================================================

Examples
--------
>>> parse("barrier.* AND NOT barrier.avg")
And(left=Code(pattern='barrier.*'), right=Not(operand=Code(pattern='barrier.avg')))
>>> parse("a NEAR/2 (b OR c)")
Near(left=Code(pattern='a'), right=Or(left=Code(pattern='b'), right=Code(pattern='c')), distance=2)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from raakvlak.errors import RaakvlakError
from raakvlak.ids import code_matcher


class QueryError(RaakvlakError):
    """A code query that cannot be read; the message shows where."""


@dataclass(frozen=True)
class Code:
    pattern: str


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True)
class Or:
    left: Node
    right: Node


@dataclass(frozen=True)
class Near:
    left: Node
    right: Node
    distance: int


Node = Code | Not | And | Or | Near

_TOKEN = re.compile(r"\s*(?:(?P<near>NEAR/(?P<n>\d+))|(?P<op>AND|OR|NOT)\b|(?P<paren>[()])|(?P<code>[^\s()]+))")


def _tokens(query: str) -> list[tuple[str, str, int]]:
    tokens, position = [], 0
    query = query.rstrip()
    while position < len(query):
        match = _TOKEN.match(query, position)
        if not match:
            raise QueryError(f"cannot read the query at position {position}: {query[position:]!r}")
        if match["near"]:
            tokens.append(("near", match["n"], match.start("near")))
        elif match["op"]:
            tokens.append((match["op"].lower(), match["op"], match.start("op")))
        elif match["paren"]:
            tokens.append((match["paren"], match["paren"], match.start("paren")))
        else:
            tokens.append(("code", match["code"], match.start("code")))
        position = match.end()
    return tokens


def parse(query: str) -> Node:
    """Read a query into a tree; a :class:`QueryError` says where it went wrong."""
    tokens = _tokens(query)
    if not tokens:
        raise QueryError("the query is empty; name at least one code id")
    position = 0

    def peek() -> str | None:
        return tokens[position][0] if position < len(tokens) else None

    def take(kind: str) -> tuple[str, str, int]:
        nonlocal position
        if peek() != kind:
            where = f"at position {tokens[position][2]} ({tokens[position][1]!r})" if position < len(tokens) else "at the end"
            raise QueryError(f"query {query!r}: expected {kind.upper() if kind.isalpha() else kind!r} {where}")
        position += 1
        return tokens[position - 1]

    def or_expr() -> Node:
        node = and_expr()
        while peek() == "or":
            take("or")
            node = Or(node, and_expr())
        return node

    def and_expr() -> Node:
        node = near_expr()
        while peek() == "and":
            take("and")
            node = And(node, near_expr())
        return node

    def near_expr() -> Node:
        node = unary()
        while peek() == "near":
            distance = int(take("near")[1])
            node = Near(node, unary(), distance)
        return node

    def unary() -> Node:
        if peek() == "not":
            take("not")
            return Not(unary())
        if peek() == "(":
            take("(")
            node = or_expr()
            take(")")
            return node
        return Code(take("code")[1])

    tree = or_expr()
    if position != len(tokens):
        raise QueryError(f"query {query!r}: unexpected {tokens[position][1]!r} at position {tokens[position][2]}")
    return tree


def codes_in(node: Node) -> list[str]:
    """The code patterns a query names, in order (for choosing which quotes to show)."""
    if isinstance(node, Code):
        return [node.pattern]
    if isinstance(node, Not):
        return []
    return codes_in(node.left) + codes_in(node.right)


def evaluate(node: Node, units: pd.DataFrame, codes: pd.Series,
             parents: Mapping[str, str | None] | None = None) -> np.ndarray:
    """Which units satisfy the query.

    Parameters
    ----------
    node : a parsed query.
    units : segments in document order, with ``document_id`` (``NEAR`` counts
        segments within a document).
    codes : for each unit (aligned with ``units``), the set of code ids that hold there.
    parents : the codebook's tree (code id -> parent id), what ``x.*`` goes by (see
        :func:`raakvlak.ids.code_matcher`); None: code ids only.

    Returns
    -------
    Boolean array, one entry per unit.
    """
    known = sorted(set().union(*codes)) if len(codes) else []
    documents = units["document_id"].to_numpy()

    def run(n: Node) -> np.ndarray:
        if isinstance(n, Code):
            matching = set(filter(code_matcher(n.pattern, parents), known))
            return np.fromiter((bool(matching & c) for c in codes), bool, len(codes))
        if isinstance(n, Not):
            return ~run(n.operand)
        if isinstance(n, And):
            return run(n.left) & run(n.right)
        if isinstance(n, Or):
            return run(n.left) | run(n.right)
        left, right = run(n.left), run(n.right)
        near = np.zeros(len(codes), bool)
        index = np.arange(len(codes))
        for shift in range(-n.distance, n.distance + 1):
            other = index + shift
            valid = (other >= 0) & (other < len(codes))
            other = np.clip(other, 0, max(len(codes) - 1, 0))
            near |= valid & (documents[other] == documents) & right[other]
        return left & near

    return run(node)
