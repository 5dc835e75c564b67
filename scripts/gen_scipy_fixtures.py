#!/usr/bin/env python3
"""Generate test/fixtures/scipy-signal.json: golden outputs of scipy.signal / numpy.

Usage (from the repository root):  python3 scripts/gen_scipy_fixtures.py [out.json]

Covers convolve2d, correlate2d, convolve, correlate (method='direct' oracle),
unit_impulse and numpy.flip.  Deterministic: a fixed seed and a fixed case order,
so running it twice gives a byte-identical file.

Case format (one JSON object per line):
  id        unique readable id, e.g. "correlate2d/same/symm/even-even/float32/r1"
  fn        "convolve2d" | "correlate2d" | "convolve" | "correlate" | "unitImpulse" | "flip"
  args      positional args; tensors are {"shape": [...], "data": [flat row-major]}
  opts      options under simdconv's names (mode, boundary, fillvalue | mode, method | dtype)
  dtype     the dtype simdconv should compute in ("float32" | "float64")
  expected  {"shape", "data"}                      (absent when scipy raises)
  absSum    flat list, the same operation on |in1|, |in2| (and |fillvalue|): the
            tolerance scale.  Non-finite input values are replaced by 0 before taking
            it, so absSum is always finite.  Absent for unitImpulse/flip/error cases.
  error     str() of the exception scipy/numpy raises (only then; no expected)

Numbers are JSON numbers; NaN / +Inf / -Inf are the strings "NaN", "Infinity",
"-Infinity" (in args, opts.fillvalue and expected).  Integral values are written
without a fractional part (so -0.0 is written as 0).

float64 cases: inputs are small integers or normals rounded to 2 decimals, computed by
scipy in float64 with method='direct'.
float32 cases: inputs are exactly float32-representable; expected is still computed in
float64 from those values (a more exact oracle; compare with 1e-5 * absSum).
"""
import math
import os
import sys
from collections import Counter

import numpy as np
import scipy
import scipy.signal as sig
from fixture_json import finite0, flat, num, tensor, write

SEED = 20240607
rng = np.random.default_rng(SEED)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "test", "fixtures", "scipy-signal.json")

cases = []
ids = set()


# ---------------------------------------------------------------- encoding helpers

def add(case):
    assert case["id"] not in ids, case["id"]
    ids.add(case["id"])
    cases.append(case)


# ---------------------------------------------------------------- data generators

def data(shape, dtype, kind=None):
    """Random test data. float32: exactly float32-representable values (as float64).
    float64: small integers or normals rounded to 2 decimals (alternating)."""
    shape = tuple(int(s) for s in shape)
    if dtype == "float32":
        return np.float32(rng.standard_normal(shape)).astype(np.float64)
    if kind is None:
        kind = "int" if rng.random() < 0.4 else "round"
    if kind == "int":
        return rng.integers(-9, 10, shape).astype(np.float64)
    return np.round(rng.standard_normal(shape), 2)


def fillvalue_for(dtype):
    if rng.random() < 0.5:
        return 0.0
    if dtype == "float32":
        return float(np.float32(rng.standard_normal()))
    return float(np.round(rng.standard_normal() * 2, 2))


# ---------------------------------------------------------------- case builders

SCIPY2D = {"convolve2d": sig.convolve2d, "correlate2d": sig.correlate2d}
SCIPYND = {"convolve": sig.convolve, "correlate": sig.correlate}


def case2d(cid, fn, a, k, mode=None, boundary=None, fillvalue=None, dtype="float64", opts=None):
    """convolve2d / correlate2d case. opts=None builds opts from mode/boundary/fillvalue;
    an explicit opts dict (e.g. {} for defaults) is recorded as given."""
    f = SCIPY2D[fn]
    kw = {}
    if mode is not None:
        kw["mode"] = mode
    if boundary is not None:
        kw["boundary"] = boundary
    if fillvalue is not None:
        kw["fillvalue"] = fillvalue
    if opts is None:
        opts = dict(kw)
        if "fillvalue" in opts:
            opts["fillvalue"] = num(opts["fillvalue"])
    case = {"id": cid, "fn": fn, "args": [tensor(a), tensor(k)], "opts": opts, "dtype": dtype}
    try:
        out = f(np.asarray(a, np.float64), np.asarray(k, np.float64), **kw)
    except Exception as e:  # record scipy's error
        case["error"] = str(e)
        add(case)
        return case
    kwa = dict(kw)
    if "fillvalue" in kwa:
        fv = float(kwa["fillvalue"])
        kwa["fillvalue"] = abs(fv) if math.isfinite(fv) else 0.0
    s = f(np.abs(finite0(a)), np.abs(finite0(k)), **kwa)
    assert s.shape == out.shape
    case["expected"] = tensor(out)
    case["absSum"] = flat(s)
    add(case)
    return case


def casend(cid, fn, a, k, mode=None, method=None, dtype="float64", opts=None):
    """convolve / correlate case; the oracle is always method='direct'."""
    f = SCIPYND[fn]
    if opts is None:
        opts = {}
        if mode is not None:
            opts["mode"] = mode
        if method is not None:
            opts["method"] = method
    m = mode if mode is not None else "full"
    case = {"id": cid, "fn": fn, "args": [tensor(a), tensor(k)], "opts": opts, "dtype": dtype}
    try:
        # scipy's own error for the option actually given (messages agree across methods)
        if method is not None and method != "direct":
            f(np.asarray(a, np.float64), np.asarray(k, np.float64), mode=m, method=method)
        out = f(np.asarray(a, np.float64), np.asarray(k, np.float64), mode=m, method="direct")
    except Exception as e:
        case["error"] = str(e)
        add(case)
        return case
    s = f(np.abs(finite0(a)), np.abs(finite0(k)), mode=m, method="direct")
    assert s.shape == out.shape
    case["expected"] = tensor(out)
    case["absSum"] = flat(s)
    add(case)
    return case


def pick_dim(parity, lo=1, hi=7):
    opts = [d for d in range(lo, hi + 1) if (d % 2 == 1) == (parity == "odd")]
    return int(rng.choice(opts))


PARITIES_2D = [("odd", "odd"), ("even", "even"), ("odd", "even"), ("even", "odd")]


def parity_name(p):
    return "-".join(p) if p[0] != p[1] else p[0] + "-" + p[1]


# =============================================================== 1. worked examples

def examples():
    k33 = np.arange(1, 10, dtype=np.float64).reshape(3, 3)
    imp = np.zeros((5, 5))
    imp[2, 2] = 1.0
    for mode in ("same", "full"):
        c = case2d(f"example/impulse5x5-kernel1to9/convolve2d/{mode}", "convolve2d", imp, k33, mode, "fill")
        r = case2d(f"example/impulse5x5-kernel1to9/correlate2d/{mode}", "correlate2d", imp, k33, mode, "fill")
        ce = np.array(c["expected"]["data"], dtype=float).reshape(c["expected"]["shape"])
        re_ = np.array(r["expected"]["data"], dtype=float).reshape(r["expected"]["shape"])
        o = 1 if mode == "same" else 2
        assert np.array_equal(ce[o:o + 3, o:o + 3], k33)
        assert np.array_equal(re_[o:o + 3, o:o + 3], k33[::-1, ::-1])

    img = np.arange(1, 17, dtype=np.float64).reshape(4, 4)
    eye = np.array([[1.0, 0.0], [0.0, 1.0]])
    r = case2d("example/arange4x4-eye2/correlate2d/valid", "correlate2d", img, eye, "valid", "fill")
    assert r["expected"]["data"] == [7, 9, 11, 15, 17, 19, 23, 25, 27]
    case2d("example/arange4x4-eye2/convolve2d/valid", "convolve2d", img, eye, "valid", "fill")

    grad = np.array([[10.0 * (r_ + 1) * (c_ + 1) for c_ in range(5)] for r_ in range(5)])
    sobx = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    r = case2d("example/gradient5x5-sobelx/correlate2d/valid", "correlate2d", grad, sobx, "valid", "fill")
    assert r["expected"]["data"][0] == 160
    r = case2d("example/gradient5x5-sobelx/convolve2d/valid", "convolve2d", grad, sobx, "valid", "fill")
    assert r["expected"]["data"][0] == -160

    x = np.zeros(9)
    x[4] = 1.0
    w = np.array([1.0, 2, 3, 4])
    for mode in ("full", "same", "valid"):
        for fn in ("convolve", "correlate"):
            casend(f"example/even-kernel-1234-impulse9/{fn}/{mode}", fn, x, w, mode, "direct")
        for fn in ("convolve2d", "correlate2d"):
            case2d(f"example/even-kernel-1234-impulse9/{fn}/{mode}", fn, x[None, :], w[None, :], mode, "fill")
    # the centring difference the example exists to show
    same = {c["id"].split("/")[2]: c["expected"]["data"] for c in cases if c["id"].endswith("impulse9/" + c["fn"] + "/same")}
    # correlate: anchor M//2; correlate2d: anchor (M-1)//2, one index earlier
    assert same["correlate"] == [0, 0, 0, 4, 3, 2, 1, 0, 0], same["correlate"]
    assert same["correlate2d"] == [0, 0, 4, 3, 2, 1, 0, 0, 0], same["correlate2d"]
    assert same["convolve"] == same["convolve2d"] == [0, 0, 0, 1, 2, 3, 4, 0, 0]

    a = np.array([1.0, 2, 3, 4, 5])
    b = np.array([1.0, 2, 3])
    r1 = casend("example/valid-swap/correlate/a-b", "correlate", a, b, "valid", "direct")
    r2 = casend("example/valid-swap/correlate/b-a", "correlate", b, a, "valid", "direct")
    assert r1["expected"]["data"] == r2["expected"]["data"][::-1] == [14, 20, 26]
    casend("example/valid-swap/convolve/a-b", "convolve", a, b, "valid", "direct")
    casend("example/valid-swap/convolve/b-a", "convolve", b, a, "valid", "direct")
    a2 = np.arange(1, 13, dtype=np.float64).reshape(3, 4)
    b2 = np.array([[1.0, 2], [3, 4]])
    case2d("example/valid-swap/correlate2d/a-b", "correlate2d", a2, b2, "valid", "fill")
    case2d("example/valid-swap/correlate2d/b-a", "correlate2d", b2, a2, "valid", "fill")
    case2d("example/valid-swap/convolve2d/b-a", "convolve2d", b2, a2, "valid", "fill")
    # neither contains the other
    case2d("example/valid-neither-contains/correlate2d", "correlate2d", np.ones((2, 4)), np.ones((3, 3)), "valid", "fill")
    # scipy.signal docstring-style defaults: no options at all
    case2d("example/defaults/convolve2d", "convolve2d", img, k33, opts={})
    case2d("example/defaults/correlate2d", "correlate2d", img, k33, opts={})
    casend("example/defaults/convolve", "convolve", x, w, opts={})
    casend("example/defaults/correlate", "correlate", x, w, opts={})
    # scipy: full/wrap on [1,2,3,4] (*) [1,1,1] gives [8,7,6,9,8,7]
    r = case2d("example/full-wrap-1234-ones3/convolve2d", "convolve2d", np.array([[1.0, 2, 3, 4]]), np.ones((1, 3)), "full", "wrap")
    assert r["expected"]["data"] == [8, 7, 6, 9, 8, 7]


# =============================================================== 2. random 2-D cases

def random2d():
    for fn in ("convolve2d", "correlate2d"):
        for mode in ("full", "same", "valid"):
            for boundary in ("fill", "wrap", "symm"):
                for par in PARITIES_2D:
                    for dtype in ("float32", "float64"):
                        reps = 2 if par[0] == par[1] else 1
                        for rep in range(reps):
                            kh, kw = pick_dim(par[0]), pick_dim(par[1])
                            if mode == "valid":
                                ih = int(rng.integers(kh, 13))
                                iw = int(rng.integers(kw, 13))
                            else:
                                ih = int(rng.integers(max(1, kh - 1), 13))
                                iw = int(rng.integers(max(1, kw - 1), 13))
                            a = data((ih, iw), dtype)
                            k = data((kh, kw), dtype)
                            fv = fillvalue_for(dtype) if boundary == "fill" else None
                            tag = f"r{rep}" + ("-fv" if fv else "")
                            case2d(f"{fn}/{mode}/{boundary}/{parity_name(par)}/{dtype}/{tag}",
                                   fn, a, k, mode, boundary, fv if fv else None, dtype)


def special2d():
    """Shape corner cases for every fn x mode x boundary x dtype."""
    shapes = [
        # (name, image shape, kernel shape, modes)
        ("img1x1-k1x1", (1, 1), (1, 1), ("full", "same", "valid")),
        ("img1x1-k3x3", (1, 1), (3, 3), ("full", "same", "valid")),
        ("img1x1-k2x2", (1, 1), (2, 2), ("full", "same", "valid")),
        ("img1xN-k1xM", (1, 9), (1, 4), ("full", "same", "valid")),
        ("imgNx1-kMx1", (8, 1), (3, 1), ("full", "same", "valid")),
        ("img1xN-kMx1", (1, 6), (3, 1), ("full", "same", "valid")),
        ("imgNx1-k1xM", (7, 1), (1, 2), ("full", "same", "valid")),
        ("img5x6-k1x1", (5, 6), (1, 1), ("full", "same", "valid")),
        ("img4x5-k1x5", (4, 5), (1, 5), ("full", "same", "valid")),
        ("k-equals-img-odd", (5, 3), (5, 3), ("full", "same", "valid")),
        ("k-equals-img-even", (4, 6), (4, 6), ("full", "same", "valid")),
        ("k-larger-both", (3, 4), (5, 7), ("full", "same", "valid")),          # valid: swap
        ("k-larger-even", (2, 3), (4, 6), ("full", "same", "valid")),          # valid: swap
        ("k-much-larger", (2, 3), (7, 7), ("full", "same", "valid")),          # > 2x image: multi-wrap/reflect
        ("k-much-larger-even", (3, 2), (7, 6), ("full", "same")),
        ("k-larger-rows-only", (2, 6), (5, 3), ("full", "same", "valid")),    # valid: error
        ("k-larger-cols-only", (6, 2), (3, 5), ("full", "same", "valid")),    # valid: error
        ("k-equal-rows-larger-cols", (3, 4), (3, 6), ("full", "same", "valid")),  # valid: swap
        ("img1x1-k7x4", (1, 1), (7, 4), ("full", "same", "valid")),            # valid: swap
        ("k1x12-img3x3", (3, 3), (1, 12), ("full", "same", "valid")),          # valid: error
    ]
    for name, ish, ksh, modes in shapes:
        for fn in ("convolve2d", "correlate2d"):
            for mode in modes:
                for boundary in ("fill", "wrap", "symm"):
                    for dtype in ("float32", "float64"):
                        if mode == "valid" and boundary != "fill" and dtype == "float32":
                            continue  # boundary is irrelevant in 'valid'; keep a few
                        a = data(ish, dtype)
                        k = data(ksh, dtype)
                        fv = fillvalue_for(dtype) if boundary == "fill" else None
                        tag = "-fv" if fv else ""
                        case2d(f"{fn}/{mode}/{boundary}/{name}/{dtype}{tag}", fn, a, k, mode, boundary,
                               fv if fv else None, dtype)


# =============================================================== 3. convolve / correlate n-D

ND_PARITY = ("odd", "even", "mixed")


def nd_kernel_shape(ndim, parity):
    hi = 5 if ndim == 3 else 7
    dims = []
    for i in range(ndim):
        p = parity if parity != "mixed" else ("odd" if i % 2 == 0 else "even")
        dims.append(pick_dim(p, 1, hi))
    if parity == "mixed" and ndim == 1:
        dims = [pick_dim("even", 1, hi)]
    return tuple(dims)


def randomnd():
    maxi = {1: 16, 2: 10, 3: 6}
    for fn in ("convolve", "correlate"):
        for ndim in (1, 2, 3):
            for mode in ("full", "same", "valid"):
                pars = ND_PARITY if ndim > 1 else ("odd", "even")
                for par in pars:
                    for dtype in ("float32", "float64"):
                        ksh = nd_kernel_shape(ndim, par)
                        if mode == "valid":
                            ish = tuple(int(rng.integers(d, maxi[ndim] + 1)) for d in ksh)
                        else:
                            ish = tuple(int(rng.integers(1, maxi[ndim] + 1)) for _ in ksh)
                        a = data(ish, dtype)
                        k = data(ksh, dtype)
                        casend(f"{fn}/{ndim}d/{mode}/{par}/{dtype}/r0", fn, a, k, mode, "direct", dtype)


def specialnd():
    shapes = {
        1: [("in2-larger", (3,), (5,)), ("in2-larger-even", (4,), (7,)), ("equal", (5,), (5,)),
            ("len1-in1", (1,), (4,)), ("len1-in2", (6,), (1,))],
        2: [("in2-larger", (2, 3), (4, 5)), ("in2-larger-even", (3, 2), (4, 6)),
            ("in2-equal-rows-larger-cols", (3, 3), (3, 5)), ("neither-contains", (2, 4), (3, 3)),
            ("1xN", (1, 7), (1, 4)), ("Nx1-by-1xM", (6, 1), (1, 3))],
        3: [("in2-larger", (2, 2, 3), (3, 4, 4)), ("neither-contains", (2, 4, 3), (3, 3, 3)),
            ("equal", (2, 3, 4), (2, 3, 4)), ("k1x1x1", (3, 4, 2), (1, 1, 1)),
            ("1x1xN", (1, 1, 9), (1, 1, 4))],
    }
    for fn in ("convolve", "correlate"):
        for ndim, lst in shapes.items():
            for name, ish, ksh in lst:
                for mode in ("full", "same", "valid"):
                    for dtype in ("float32", "float64"):
                        a = data(ish, dtype)
                        k = data(ksh, dtype)
                        casend(f"{fn}/{ndim}d/{mode}/{name}/{dtype}", fn, a, k, mode, "direct", dtype)
        # methods other than direct: expected is still the direct result
        for method in ("auto", "fft"):
            for mode in ("full", "same", "valid"):
                a = data((11,), "float64")
                k = data((4,), "float64")
                casend(f"{fn}/1d/{mode}/method-{method}/float64", fn, a, k, mode, method, "float64")
                a = data((6, 7), "float32")
                k = data((3, 2), "float32")
                casend(f"{fn}/2d/{mode}/method-{method}/float32", fn, a, k, mode, method, "float32")
            a = data((4, 5, 3), "float64")
            k = data((2, 3, 2), "float64")
            casend(f"{fn}/3d/same/method-{method}/float64", fn, a, k, "same", method, "float64")
        # mismatched ndim: scipy's error (convolve and correlate word it differently)
        for (na, nb) in (((5,), (2, 2)), ((3, 3), (3,)), ((2, 2, 2), (2, 2))):
            for method in ("direct", "auto"):
                a = data(na, "float64")
                k = data(nb, "float64")
                casend(f"{fn}/ndim-mismatch/{len(na)}d-{len(nb)}d/method-{method}", fn, a, k, "full", method)
    # convolve2d on non-2-D inputs
    for fn in ("convolve2d", "correlate2d"):
        case2d(f"{fn}/error/1d-inputs", fn, np.array([1.0, 2, 3, 4]), np.array([1.0, 1]), "full", "fill")
        case2d(f"{fn}/error/3d-inputs", fn, np.ones((2, 2, 2)), np.ones((1, 1, 1)), "full", "fill")


# =============================================================== 4. NaN / Infinity

def f32(a):
    """Round to the nearest float32 (keeps NaN/Inf), returned as float64."""
    return np.float32(a).astype(np.float64)


def nonfinite():
    nan, inf = np.nan, np.inf
    img = np.round(rng.standard_normal((6, 7)), 2)
    img_nan = img.copy()
    img_nan[2, 3] = nan
    img_inf = img.copy()
    img_inf[0, 0] = inf
    img_inf[5, 6] = -inf
    img_pm = img.copy()
    img_pm[3, 1] = inf
    img_pm[3, 2] = -inf       # windows covering both give NaN
    k_odd = np.round(rng.standard_normal((3, 3)), 2)
    k_odd[1, 1] = 0.0         # NaN * 0 is still NaN
    k_even = np.round(rng.standard_normal((2, 4)), 2)
    k_inf = np.round(rng.standard_normal((3, 2)), 2)
    k_inf[0, 1] = inf
    img_zero = img.copy()
    img_zero[1, 1] = 0.0      # inf * 0 = NaN
    for fn in ("convolve2d", "correlate2d"):
        for mode in ("full", "same", "valid"):
            for boundary in ("fill", "wrap", "symm"):
                if mode == "valid" and boundary != "fill":
                    continue
                case2d(f"{fn}/{mode}/{boundary}/nan-in-image/float64", fn, img_nan, k_odd, mode, boundary)
                case2d(f"{fn}/{mode}/{boundary}/pm-inf-in-image/float64", fn, img_inf, k_even, mode, boundary)
            case2d(f"{fn}/{mode}/fill/inf-minus-inf/float32", fn, f32(img_pm), f32(k_odd), mode, "fill",
                   dtype="float32")
            case2d(f"{fn}/{mode}/fill/inf-in-kernel/float64", fn, img_zero, k_inf, mode, "fill")
        case2d(f"{fn}/same/fill/nan-fillvalue/float64", fn, img, k_odd, "same", "fill", nan)
        case2d(f"{fn}/full/fill/inf-fillvalue/float64", fn, img, k_even, "full", "fill", inf)
    x = np.round(rng.standard_normal(10), 2)
    x[4] = nan
    x2 = np.round(rng.standard_normal(10), 2)
    x2[7] = inf
    w = np.array([0.5, 0.0, -1.0, 2.0])
    for fn in ("convolve", "correlate"):
        for mode in ("full", "same", "valid"):
            casend(f"{fn}/1d/{mode}/nan-in-signal/float64", fn, x, w, mode, "direct")
            casend(f"{fn}/1d/{mode}/inf-in-signal/float32", fn, f32(x2), w, mode, "direct", "float32")
        a3 = np.round(rng.standard_normal((3, 4, 5)), 2)
        a3[1, 2, 2] = nan
        casend(f"{fn}/3d/same/nan-in-volume/float64", fn, a3, np.ones((2, 3, 2)), "same", "direct")


# =============================================================== 5. unitImpulse, flip

def unit_impulses():
    spec = [
        (5, None), (5, "mid"), (6, "mid"), (7, 3), (7, 0), (7, -1), (4, [2]),
        ((3, 4), None), ((3, 4), "mid"), ((4, 5), "mid"), ((3, 4), 2), ((3, 4), [1, 3]),
        ((3, 4), [-1, 0]), ((2, 3, 4), None), ((2, 3, 4), "mid"), ((2, 3, 4), [1, 0, 3]),
        ((1, 1), None), ([6], "mid"),
        (3, 5),          # out of bounds: error
    ]
    for shape, idx in spec:
        for dtype in ("float32", "float64"):
            jshape = list(shape) if isinstance(shape, (tuple, list)) else shape
            sname = "x".join(str(s) for s in shape) if isinstance(shape, (tuple, list)) else str(shape)
            sname = ("[" + sname + "]") if isinstance(shape, (tuple, list)) else sname
            iname = "none" if idx is None else ("[" + ",".join(map(str, idx)) + "]" if isinstance(idx, list) else str(idx))
            case = {"id": f"unitImpulse/{sname}/{iname}/{dtype}", "fn": "unitImpulse",
                    "args": [jshape, idx], "opts": {"dtype": dtype}, "dtype": dtype}
            pidx = tuple(idx) if isinstance(idx, list) else idx
            pshape = tuple(shape) if isinstance(shape, list) else shape
            try:
                out = sig.unit_impulse(pshape, pidx, dtype=np.dtype(dtype))
                assert out.dtype == np.dtype(dtype)
                case["expected"] = tensor(out)
            except Exception as e:
                case["error"] = str(e)
            add(case)


def flips():
    arrays = {1: (7,), 2: (3, 4), 3: (2, 3, 4)}
    axes = {1: [None, 0, -1], 2: [None, 0, 1, -1, [0, 1]], 3: [None, 0, 1, -1, [0, 1], [0, 2], -2]}
    for nd, shape in arrays.items():
        for dtype in ("float32", "float64"):
            a = data(shape, dtype)
            for ax in axes[nd]:
                aname = "none" if ax is None else ("[" + ",".join(map(str, ax)) + "]" if isinstance(ax, list) else str(ax))
                case = {"id": f"flip/{nd}d/{aname}/{dtype}", "fn": "flip", "args": [tensor(a), ax],
                        "opts": {}, "dtype": dtype}
                case["expected"] = tensor(np.flip(a, tuple(ax) if isinstance(ax, list) else ax))
                add(case)
    a = data((5,), "float64")
    case = {"id": "flip/1d/1/error", "fn": "flip", "args": [tensor(a), 1], "opts": {}, "dtype": "float64"}
    try:
        np.flip(a, 1)
    except Exception as e:
        case["error"] = str(e)
    add(case)


# =============================================================== main

def main():
    examples()
    random2d()
    special2d()
    randomnd()
    specialnd()
    nonfinite()
    unit_impulses()
    flips()

    head = {"generator": "scripts/gen_scipy_fixtures.py", "numpy": np.__version__,
            "scipy": scipy.__version__, "seed": SEED}
    text = write(OUT, head, cases)

    # summary
    print(f"wrote {OUT}: {len(cases)} cases, {len(text.encode())} bytes")
    by_fn = Counter(c["fn"] for c in cases)
    print("by fn:", dict(sorted(by_fn.items())))
    cnt = Counter()
    for c in cases:
        o = c["opts"]
        key = (c["fn"], o.get("mode", "-" if c["fn"] in ("unitImpulse", "flip") else "full(default)"),
               o.get("boundary", "fill(default)" if c["fn"].endswith("2d") else "-"), c["dtype"],
               "error" if "error" in c else "ok")
        cnt[key] += 1
    print(f"{'fn':12} {'mode':14} {'boundary':14} {'dtype':8} {'kind':6} count")
    for k in sorted(cnt):
        print(f"{k[0]:12} {k[1]:14} {k[2]:14} {k[3]:8} {k[4]:6} {cnt[k]}")
    errs = Counter((c["fn"], c["error"]) for c in cases if "error" in c)
    print("errors:")
    for (fn, e), n in sorted(errs.items()):
        print(f"  {fn}: {e!r} x{n}")


if __name__ == "__main__":
    main()
