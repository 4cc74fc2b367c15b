"""Two members changing one project at the same time, in two processes (as two kernels on a hub).

Both make in-vivo codes (each one a change of the shared codebook under the project lock)
and code with them, at once: every new code must end up in the codebook, every coding
in its coder's log, and no line of one log in the other.
"""

from __future__ import annotations

import multiprocessing as mp

from raakvlak import Project
from raakvlak.coding.codebook import Codebook
from raakvlak.coding.log import read_log

DOCUMENT = "als-a-sessie-1"
PER_CODER = 4


def _member(root: str, coder: str, spans: list[tuple[int, int]], barrier) -> None:
    from raakvlak.coding.session import CodingSession

    session = CodingSession(root, coder)
    barrier.wait(timeout=120)
    for start, end in spans:
        session.in_vivo(DOCUMENT, start, end)


def test_two_members_add_codes_at_once_and_nothing_is_lost(example_project: Project):
    text = example_project.corpus.text(DOCUMENT)
    words = [at for at in range(1, len(text)) if text[at - 1] == " " and text[at].isalpha()]
    spans = [(at, text.index(" ", at)) for at in words[10:10 + 4 * PER_CODER:2]]
    before = {c.id for c in example_project.codebook}
    counts = {c: len(example_project.log(c).read().events) for c in ("anna", "bram")}
    context = mp.get_context("fork")  # each opens the project anew, as a kernel does
    barrier = context.Barrier(2)
    members = [context.Process(target=_member, args=(str(example_project.root), coder, part, barrier))
               for coder, part in (("anna", spans[:PER_CODER]), ("bram", spans[PER_CODER:]))]
    for member in members:
        member.start()
    for member in members:
        member.join(timeout=180)
        assert member.exitcode == 0
    codebook, problems = Codebook.read(example_project.codebook_path)
    assert not problems
    new_codes = {c.id for c in codebook} - before
    assert len(new_codes) == 2 * PER_CODER  # no change of the codebook overwrote another
    used = set()
    for coder in ("anna", "bram"):
        read = read_log(example_project.logs_dir / f"{coder}.jsonl", coder)
        assert not read.problems
        added = read.events[counts[coder]:]
        assert len(added) == PER_CODER and {e["coder"] for e in added} == {coder}
        used |= {e["code_id"] for e in added}
    assert used == new_codes
