#!/usr/bin/env python3
"""Fits the rational approximation of erf that the vector kernels use (scripts/gen-kernels.py, `erf`):
erf(x) ≈ x·P(x²)/Q(x²) on 0 ≤ x ≤ 3.925 (erf rounds to 1 in float beyond), P of degree 6 and Q of degree 4 in x², Q(0) = 1.

Method: the linearised least-squares problem x·P(s) − erf(x)·(Q(s) − 1) = erf(x), weighted by 1/|Q| of the previous
iteration (Sanathanan–Koerner), with Lawson's reweighting by the square root of the error after ten iterations, which
drives the fit toward the minimax one. Prints the coefficients (lowest degree first) and the maximum absolute error in
double precision and when evaluated in float32. Needs numpy (`.venv/bin/python scripts/fit-erf.py`).
"""
import math

import numpy as np

LIMIT = 3.925
NUMERATOR_DEGREE, DENOMINATOR_DEGREE = 6, 4


def fit(iterations=60):
    x = np.linspace(0, LIMIT, 20001)
    s = x * x
    f = np.array([math.erf(v) for v in x])
    weights = np.ones_like(x)
    q = np.zeros(DENOMINATOR_DEGREE)
    for iteration in range(iterations):
        previous_q = 1 + sum(q[j] * s ** (j + 1) for j in range(DENOMINATOR_DEGREE))
        columns = [x * s ** i for i in range(NUMERATOR_DEGREE + 1)] + [-f * s ** (j + 1) for j in range(DENOMINATOR_DEGREE)]
        scale = weights / np.abs(previous_q)
        solution, *_ = np.linalg.lstsq(np.column_stack(columns) * scale[:, None], f * scale, rcond=None)
        p, q = solution[:NUMERATOR_DEGREE + 1], solution[NUMERATOR_DEGREE + 1:]
        error = x * np.polyval(p[::-1], s) / (1 + s * np.polyval(q[::-1], s)) - f
        if iteration >= 10:
            weights = weights * np.sqrt(np.abs(error) + 1e-18)
            weights /= weights.max()
    return p, q, np.abs(error).max()


def float32_error(p, q):
    x = np.linspace(0, LIMIT, 200001).astype(np.float32)
    s = x * x
    numerator = np.float32(p[-1])
    for c in p[-2::-1]:
        numerator = numerator * s + np.float32(c)
    denominator = np.float32(q[-1])
    for c in list(q[-2::-1]) + [1.0]:
        denominator = denominator * s + np.float32(c)
    reference = np.array([math.erf(float(v)) for v in x])
    return np.abs(x * numerator / denominator - reference).max()


if __name__ == "__main__":
    p, q, error = fit()
    print("P:", ", ".join(repr(float(np.float32(c))) for c in p))
    print("Q:", ", ".join(repr(float(np.float32(c))) for c in q))
    print(f"max |error|: {error:.2e} (double), {float32_error(p, q):.2e} (float32)")
