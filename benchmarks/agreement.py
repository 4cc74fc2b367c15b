"""Benchmark: Krippendorff's alpha for 5 coders x 100,000 units with missing data.

Times raakvlak's ``krippendorff_alpha`` against the ``krippendorff`` package (a test-only
dependency) on the same array in the same run, for all four levels, and the bootstrap
confidence interval. Target: raakvlak at least as fast as the package (ratio <= 1.0).
Also times one call on 4 coders x 20,000 units (one cell of a per-code table).

Second benchmark: the full per-code agreement table (50 codes, 4 coders, 20,000 turns;
target under 5 s), first on generated frames (``code_agreement``: the overlap join,
every coefficient per code and the pooled "(all codes)" row), then end to end on a
generated project in a temporary folder (``agreement_table``: reading the four logs,
the cached segments and the codebook, then the same table), plus the coder pairs and
the disagreement list, and the character-level table of the same project.

Run from the repository root::

    .venv/bin/python benchmarks/agreement.py

Prints a report; no assertions, exits 0.
"""

from __future__ import annotations

import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from raakvlak.analysis.alpha import krippendorff_alpha, krippendorff_alpha_ci
from raakvlak.analysis.intercoder import agreement_table
from raakvlak.analysis.reliability import ALL_CODES, code_agreement, coder_pairs, disagreement_list

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def reliability_data(n_coders: int, n_units: int, n_values: int, seed: int = 0) -> np.ndarray:
    """Coders who mostly agree on a true value, 20% missing ratings (NaN)."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, n_values + 1, size=n_units)
    noise = rng.integers(1, n_values + 1, size=(n_coders, n_units))
    data = np.where(rng.random((n_coders, n_units)) < 0.3, noise, truth).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    return data


def best_of(function, repeats: int) -> tuple[float, object]:
    """Fastest wall-clock time of ``repeats`` calls (time.perf_counter) and the result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    data = reliability_data(5, 100_000, 5)
    print("Krippendorff's alpha, 5 coders x 100,000 units, values 1-5, 20% missing")
    try:
        import krippendorff
    except ImportError:
        krippendorff = None
        print("(the krippendorff package is not installed: raakvlak timings only)")
    print(
        f"{'level':<10}{'raakvlak s':>12}{'package s':>12}{'ratio':>8}  alpha (raakvlak / package)"
    )
    for level in LEVELS:
        ours, alpha = best_of(lambda level=level: krippendorff_alpha(data, level), 7)
        if krippendorff is None:
            print(f"{level:<10}{ours:>12.4f}{'-':>12}{'-':>8}  {alpha:.6f}")
            continue
        theirs, reference = best_of(
            lambda level=level: krippendorff.alpha(
                reliability_data=data, level_of_measurement=level
            ),
            7,
        )
        print(
            f"{level:<10}{ours:>12.4f}{theirs:>12.4f}{ours / theirs:>7.2f}x"
            f"  {alpha:.6f} / {reference:.6f}"
        )

    print("\nBootstrap confidence interval (n_boot=1000), same data")
    for level in ("nominal", "ordinal"):
        seconds, result = best_of(
            lambda level=level: krippendorff_alpha_ci(data, level, n_boot=1000, random_state=0), 3
        )
        print(
            f"{level:<10}{seconds:>8.3f} s  alpha {result.alpha:.4f}  "
            f"95% CI [{result.low:.4f}, {result.high:.4f}]"
        )

    small = reliability_data(4, 20_000, 2, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        seconds, alpha = best_of(lambda: krippendorff_alpha(small), 20)
    print(f"\nOne per-code cell, 4 coders x 20,000 units, binary: {seconds * 1000:.2f} ms")
    table_benchmark()


N_DOCUMENTS, TURNS, N_CODES, CODERS = 40, 500, 50, ("anna", "bram", "carl", "dirk")
TURN_TEXT = "Dit is beurt {n}: de school en de jeugdhulp overleggen over de regie van het plan."


def generated_corpus() -> tuple[dict[str, str], pd.DataFrame]:
    """40 transcripts of 500 turns (20,000 segments): texts and the turns' offsets."""
    texts, rows = {}, []
    for d in range(N_DOCUMENTS):
        document_id, parts, position = f"sessie-{d + 1:02d}", [], 0
        for n in range(TURNS):
            label = ("Ans: ", "Bo: ")[n % 2]
            content = TURN_TEXT.format(n=n + 1)
            rows.append((document_id, f"{document_id}:{n + 1}", position + len(label),
                         position + len(label) + len(content)))
            parts.append(label + content)
            position += len(label) + len(content) + 2
        texts[document_id] = "\n\n".join(parts) + "\n"
    segments = pd.DataFrame(rows, columns=["document_id", "segment_id", "start", "end"])
    return texts, segments


def generated_codings(segments: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Each code on about 2% of the turns; every coder flips 0.5% of the decisions and
    skips the last 5 documents with probability 1/2 (missing data)."""
    rng = np.random.default_rng(seed)
    codes = np.asarray([f"code.{k:02d}" for k in range(N_CODES)])
    truth = rng.random((len(segments), N_CODES)) < 0.02
    frames = []
    for coder in CODERS:
        decided = truth ^ (rng.random(truth.shape) < 0.005)
        if rng.random() < 0.5:
            decided[-5 * TURNS:] = False  # never opened the last five documents
        unit, code = np.nonzero(decided)
        start = segments["start"].to_numpy()[unit] + 3 + rng.integers(0, 10, len(unit))
        frames.append(pd.DataFrame({"coder": coder, "document_id": segments["document_id"].to_numpy()[unit],
                                    "start": start, "end": start + 25, "code_id": codes[code]}))
    return pd.concat(frames, ignore_index=True)


def generated_project(root: Path, texts: dict[str, str], codings: pd.DataFrame):
    from raakvlak import Project
    from raakvlak.coding.events import code_event
    from raakvlak.coding.log import CodingLog
    from raakvlak.corpus.store import CorpusStore, DocumentRecord

    project = Project.init(root / "project", name="Benchmark", coders=list(CODERS))
    CorpusStore(project.corpus_dir).add([
        DocumentRecord(d, text, kind="transcript") for d, text in texts.items()])
    project.codebook_path.write_text("codes:\n" + "".join(
        f"  - id: code.{k:02d}\n    label: {{nl: Code {k}, en: Code {k}}}\n" for k in range(N_CODES)),
        encoding="utf-8")
    for coder, group in codings.groupby("coder"):
        CodingLog.in_folder(project.logs_dir, coder).append_many(
            code_event(d, texts[d], int(s), int(e), c)
            for d, s, e, c in zip(group["document_id"], group["start"], group["end"], group["code_id"],
                                  strict=True))
    return project


def table_benchmark() -> None:
    texts, segments = generated_corpus()
    codings = generated_codings(segments)
    print(f"\nPer-code agreement table: {N_CODES} codes, {len(CODERS)} coders, {len(segments):,} turns, "
          f"{len(codings):,} codings (target: under 5 s)")
    seconds, table = best_of(lambda: code_agreement(segments, codings, CODERS), 3)
    overall = table.set_index("code_id").loc[ALL_CODES]
    print(f"  code_agreement on frames      {seconds:6.2f} s  (all codes: alpha {overall['alpha']:.3f}, "
          f"fleiss {overall['fleiss_kappa']:.3f}, {overall['units']:,} units)")
    seconds, _ = best_of(lambda: coder_pairs(segments, codings, CODERS), 3)
    print(f"  coder_pairs (6 pairs, pooled)  {seconds:6.2f} s")
    seconds, disputes = best_of(lambda: disagreement_list(segments, codings, CODERS), 3)
    print(f"  disagreement_list              {seconds:6.2f} s  ({len(disputes):,} disputed turns)")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        project = generated_project(Path(folder), texts, codings)
        project.corpus.segments(level="turn")  # computes the segment cache once
        print(f"  (writing the project and segmenting it once: {time.perf_counter() - start:.1f} s)")
        seconds, project_table = best_of(lambda: agreement_table(project, list(CODERS)), 3)
        same = np.allclose(project_table["alpha"], table["alpha"], equal_nan=True)
        print(f"  agreement_table on the project {seconds:6.2f} s  (logs read and folded; same alphas: {same})")
        seconds, characters = best_of(lambda: agreement_table(project, list(CODERS), level="character"), 1)
        print(f"  the same, level='character'    {seconds:6.2f} s  ({characters['units'].iloc[0]:,} characters "
              "seen by two or more coders)")


if __name__ == "__main__":
    main()
