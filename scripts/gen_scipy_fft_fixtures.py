#!/usr/bin/env python3
"""Generate test/fixtures/scipy-fft.json: golden outputs of scipy.signal's FFT convolutions.

Usage (from the repository root):  python3 scripts/gen_scipy_fft_fixtures.py [out.json]

Covers fftconvolve and oaconvolve (modes, the 'valid' swap and its error, axes with the other
axes equal or broadcast from 1, axes of length 1 dropped, bad axes) and convolve / correlate
with method='fft', at sizes where a transform is really used: 1-D up to thousands of samples and
hundreds of taps, 2-D up to about 100x100 with kernels up to 33x33, and 3-D.  Deterministic: a
fixed seed and a fixed case order, so running it twice gives a byte-identical file.

Case format (one JSON object per line), as scripts/gen_scipy_fixtures.py:
  id, fn ("fftconvolve" | "oaconvolve" | "convolve" | "correlate"), args [in1, in2],
  opts (mode, axes | method), dtype, expected {"shape", "data"} (absent on error), error.
  Inputs are mostly small integers; then expected is the exact (integer) result, scipy's FFT
  result rounded, since every product and sum of such inputs is an integer.
  scale     the largest sum of |products| of any output (the same call on |in1| and |in2| in
            float64).  The FFT error bound is relative to this scale of the whole problem (a
            transform spreads every sample's rounding over all of its outputs), so tests compare
            within tol * scale.
float64 cases: scipy's float64 result.  float32 cases: inputs exactly float32-representable,
expected computed by scipy in float64 from them (a more exact oracle than float32), written with
9 significant digits (far inside float32's tolerance).
"""
import os
import sys

import numpy as np
import scipy
import scipy.signal as sig
from fixture_json import tensor, write

SEED = 20261201
rng = np.random.default_rng(SEED)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "test", "fixtures", "scipy-fft.json")

cases = []
ids = set()


def data(shape, dtype):
    # Mostly small integers: their exact results are integers (short to write), which also
    # shows how close an FFT comes to the exact answer.
    kind = rng.random()
    if kind < 0.65:
        a = rng.integers(-9, 10, shape).astype(np.float64)
    else:
        a = np.round(rng.standard_normal(shape), 3)
    return a.astype(np.float32).astype(np.float64) if dtype == "float32" else a


def call(fn, a, b, opts):
    kw = dict(opts)
    if fn in ("fftconvolve", "oaconvolve"):
        return getattr(sig, fn)(a, b, **kw)
    return getattr(sig, fn)(a, b, **kw)


def add(fn, tag, shape1, shape2, dtype, opts):
    cid = f"{fn}/{tag}/{'x'.join(map(str, shape1))}-{'x'.join(map(str, shape2))}/{dtype}"
    n = sum(1 for i in ids if i.startswith(cid + "/"))
    cid = f"{cid}/r{n}"
    ids.add(cid)
    a = data(shape1, dtype)
    b = data(shape2, dtype)
    case = {"id": cid, "fn": fn, "args": [tensor(a), tensor(b)], "opts": opts, "dtype": dtype}
    try:
        out = call(fn, a, b, opts)
        absolute = call(fn, np.abs(a), np.abs(b), opts)
    except ValueError as e:
        case["error"] = str(e)
        cases.append(case)
        return
    if np.all(np.mod(a, 1) == 0) and np.all(np.mod(b, 1) == 0):
        out = np.rint(out)   # integer inputs: the exact result is the integer scipy's FFT rounds near
    expected = tensor(out)
    if dtype == "float32":
        expected["data"] = [float(f"{v:.9g}") if isinstance(v, float) else v for v in expected["data"]]
    case["expected"] = expected
    case["scale"] = float(np.max(np.abs(absolute))) if np.size(absolute) else 0.0
    cases.append(case)


MODES = ("full", "same", "valid")


def sizes_1d():
    for i, (n, m) in enumerate(((2000, 301), (1500, 101), (257, 64), (100, 7), (64, 64), (7, 100), (33, 1), (1, 9))):
        for mode in MODES:
            for fn in ("fftconvolve", "oaconvolve"):
                add(fn, f"1d-{mode}", (n,), (m,), ("float64", "float32")[(i + len(mode) + len(fn)) % 2], {"mode": mode})


def sizes_2d():
    # The largest sizes once per mode (fftconvolve and oaconvolve take turns), the rest by both.
    for fn, mode, dtype in (("fftconvolve", "full", "float64"), ("oaconvolve", "same", "float32"), ("fftconvolve", "valid", "float32")):
        add(fn, f"2d-{mode}", (96, 100), (33, 33), dtype, {"mode": mode})
    shapes = (((64, 48), (5, 17)), ((48, 40), (31, 11)), ((20, 30), (31, 11)), ((21, 24), (50, 44)), ((50, 50), (8, 8)), ((100, 20), (16, 1)), ((7, 9), (7, 9)))
    for i, (s1, s2) in enumerate(shapes):
        for mode in MODES:
            for fn in ("fftconvolve", "oaconvolve"):
                add(fn, f"2d-{mode}", s1, s2, ("float64", "float32")[(i + len(mode) + len(fn)) % 2], {"mode": mode})


def sizes_3d():
    for i, (s1, s2) in enumerate((((12, 14, 16), (3, 5, 4)), ((8, 20, 9), (5, 3, 9)), ((10, 6, 12), (10, 6, 12)), ((4, 5, 6), (6, 7, 8)))):
        for mode in MODES:
            for fn in ("fftconvolve", "oaconvolve"):
                add(fn, f"3d-{mode}", s1, s2, ("float64", "float32")[(i + len(mode) + len(fn)) % 2], {"mode": mode})


def axes_cases():
    spec = [
        ((5, 40), (5, 7), 1), ((5, 40), (1, 7), 1), ((1, 40), (4, 9), -1), ((30, 6), (9, 6), 0), ((30, 6), (9, 1), [0]),
        ((4, 24, 16), (4, 5, 4), [1, 2]), ((4, 24, 16), (1, 5, 4), [-1, -2]), ((4, 24, 16), (4, 24, 3), [2]),
        ((10, 12, 8), (3, 12, 8), [0]), ((10, 12, 8), (3, 1, 5), [0, 2]), ((40, 1), (7, 1), [0, 1]), ((12, 9), (1, 1), [0, 1]),
        ((8, 9), (3, 4), [0, 1]), ((30, 6), (9, 5), 0), ((5, 40), (3, 7), 1),
    ]
    for i, (s1, s2, axes) in enumerate(spec):
        for mode in MODES:
            for fn in ("fftconvolve", "oaconvolve"):
                add(fn, f"axes-{mode}", s1, s2, ("float64", "float32")[i % 2], {"mode": mode, "axes": axes})
    # Bad axes: empty, out of range, repeated.
    for axes in ([], [2], [0, 0], [-3]):
        for fn in ("fftconvolve", "oaconvolve"):
            add(fn, "axes-bad", (6, 7), (2, 3), "float64", {"axes": axes})


def methods():
    for fn in ("convolve", "correlate"):
        for i, (s1, s2) in enumerate((((1200,), (150,)), ((150,), (1200,)), ((500,), (64,)), ((40, 44), (20, 21)), ((20, 21), (31, 30)),
                                      ((50, 40), (10, 4)), ((10, 12, 14), (5, 6, 3)), ((9, 8, 7), (4, 4, 4)))):
            for mode in MODES:
                add(fn, f"fft-{mode}", s1, s2, ("float64", "float32")[(i + len(mode) + len(fn)) % 2], {"mode": mode, "method": "fft"})


def main():
    sizes_1d()
    sizes_2d()
    sizes_3d()
    axes_cases()
    methods()
    head = {"generator": "scripts/gen_scipy_fft_fixtures.py", "scipy": scipy.__version__, "numpy": np.__version__, "seed": SEED}
    text = write(OUT, head, cases)
    errors = sum("error" in c for c in cases)
    print(f"wrote {OUT}: {len(cases)} cases ({errors} errors), {len(text.encode())} bytes")


if __name__ == "__main__":
    main()
