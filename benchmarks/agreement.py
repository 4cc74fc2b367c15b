"""Benchmark: Krippendorff's alpha for 5 coders x 100,000 units with missing data.

Times raakvlak's ``krippendorff_alpha`` against the ``krippendorff`` package (a test-only
dependency) on the same array in the same run, for all four levels, and the bootstrap
confidence interval. Target: raakvlak at least as fast as the package (ratio <= 1.0).
Also times one call on 4 coders x 20,000 units (one cell of a per-code table).

Run from the repository root::

    .venv/bin/python benchmarks/agreement.py

Prints a report; no assertions, exits 0.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from raakvlak.analysis.agreement import krippendorff_alpha, krippendorff_alpha_ci

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


if __name__ == "__main__":
    main()
