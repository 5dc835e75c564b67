#!/usr/bin/env python3
"""Generate test/fixtures/opencv-filter.json and test/fixtures/opencv-ddepth.json: golden outputs of
OpenCV's filter2D and sepFilter2D, the second file with an output depth other than the input's.

Usage (from the repository root):  /usr/bin/python3 scripts/gen_opencv_fixtures.py [out.json [ddepth.json]]
(Debian: apt-get install python3-opencv; the script runs OpenCV with one thread.)

Covers filter2d (cv2.filter2D(src, ddepth=-1, kernel, anchor, delta, borderType) on every
channel) and sepFilter2d (cv2.sepFilter2D(src, -1, kernelX, kernelY, anchor, delta,
borderType)).  Deterministic: a fixed seed and a fixed case order, so running it twice gives
a byte-identical file (on the same machine: OpenCV's uint8 results may depend on the SIMD
code path the CPU selects, see below).

Case format (one JSON object per line):
  id        unique readable id, e.g. "filter2d/borders/k3x3-reflect101-a0,2/uint8/c3/r0"
  fn        "filter2d" | "sepFilter2d"
  args      filter2d:    [image, kernel]            kernel  {"shape": [rows, cols], "data": [...]}
            sepFilter2d: [image, kernelX, kernelY]  kernels {"shape": [n], "data": [...]}
            image is ImageData-like: {"width": W, "height": H, "channels": C,
            "dtype": "uint8" | "float32", "data": [H*W*C samples, row-major, channels
            interleaved]}.  Kernel values are float32-representable (OpenCV filters with
            float32 kernels), e.g. the box kernel holds float32(1/9) = 0.1111111119389534.
  opts      options under simdconv's names; an absent option takes its default:
              op           "correlate" (default; filter2D as is) | "convolve" (OpenCV's recipe:
                           kernel = cv2.flip(kernel, -1) - sepFilter2d: both 1-D kernels
                           reversed - and anchor (kw - 1 - ax, kh - 1 - ay))
              border       "constant" | "replicate" | "reflect" | "reflect101" | "wrap"
                           (BORDER_CONSTANT / REPLICATE / REFLECT / REFLECT_101 / WRAP;
                           absent = "reflect101", OpenCV's BORDER_DEFAULT)
              borderValue  the constant past the edge (border "constant" only; absent = 0).
                           OpenCV's filters have no such parameter: the reference pads with
                           cv2.copyMakeBorder(..., BORDER_CONSTANT, value) and filters the
                           padded image (only its interior is kept).  uint8 images get
                           integer values 0..255.
              anchor       [x, y] inside the kernel (absent = centre [kw // 2, kh // 2])
              delta        added to every result before rounding (absent = 0)
              alpha        4-channel images only, always given there: "filter" (all four
                           channels filtered, what OpenCV does) | "keep" (the 4th output
                           channel is the input's, copied unchanged)
  dtype     "uint8" | "float32": the image's (and the output's) sample type
  expected  the output image, same form and dtype as the input image (absent on error).
            uint8: OpenCV's own rounding and saturation (compare exactly).
  absSum    float32 cases only: the same filter (same border, borderValue, anchor, op)
            computed in float64 by numpy on |image| with |kernel| and |delta| (|borderValue|),
            flat, in the order of expected.data; for alpha "keep" the 4th channel holds
            |input alpha|.  The tolerance scale (compare with ~1e-5 * absSum).
  exactRounded  uint8 cases only, and only where OpenCV's result differs from it: the exact
            (rational) result rounded half to even and clamped to [0, 255], flat like absSum.
            Such pixels are near .5 ties that OpenCV's float32 / fixed-point arithmetic rounds
            the other way (see below; the "rounding" group collects examples).
  ddepth    (opencv-ddepth.json only) "same" | "int16" | "float32" inside opts: OpenCV's ddepth
            -1 / CV_16S / CV_32F.  expected then has that dtype; int16 cases compare exactly
            (with exactRounded, the exact result rounded half to even and saturated to int16,
            where OpenCV's differs), float32 ones within 1e-5 of absSum.
  error     the first line of OpenCV's error message (only then; no expected).  Cases whose
            id contains "/lib-only/" are inputs OpenCV's API cannot even express (e.g. a data
            array of the wrong length); their error text is descriptive, not OpenCV's.

BORDER_WRAP: OpenCV 4.x's FilterEngine asserts columnBorderType != BORDER_WRAP, so filter2D
and sepFilter2D reject it ("error" cases) - except filter2D with a kernel of at least
130 elements (uint8 and float32 on an SSE3 CPU) on a whole image, which goes through
OpenCV's DFT path (copyMakeBorder supports WRAP) and is a normal case.

OpenCV's uint8 arithmetic (measured on this build: OpenCV 4.6 on x86-64 with AVX2 + FMA; a
CPU without FMA gives different near-tie pixels):
  filter2D, direct path: per sample acc = float32(delta), then for each non-zero kernel
    element in row-major order acc = fma(k, x, acc) in float32 (fused, one rounding), then
    round half to even and saturate.  (JS: acc = Math.fround(acc + k * x) is the same fma,
    since k * x is exact in float64.)
  filter2D, kernels of >= 130 elements: a float32 DFT; its round-off can flip pixels within
    ~1e-5 of a .5 tie either way.
  sepFilter2D, float path: rows r = float32(kx[0] * x0), then r = fma(kx[j], xj, r); columns
    acc = fma(ky[0], r0, delta), acc = fma(ky[i], ri, acc) - or, when ky has odd length, the
    anchor in its middle and is symmetric (antisymmetric), OpenCV's SymmColumnFilter:
    acc = fma(ky[c], r[c], delta) (acc = delta), then acc = fma(ky[c+i], r[c+i] + r[c-i], acc)
    (r[c+i] - r[c-i]); round half to even.
  sepFilter2D, fixed point: when both kernels are "smooth symmetric" (odd length, centred
    anchor, >= 0, sum 1 within FLT_EPSILON, not all integers) and every k * 256 is within
    10 * FLT_EPSILON * 256 of an integer (Gaussians of length 3, 5, 7): K = round(k * 256),
    integer row sums R, S = sum(Ky * R) + round(delta * 65536); the vector lanes output
    round-half-even(S / 65536), the scalar tail - the last (width * channels) % 4 samples of
    each row - outputs (S + 32768) >> 16 (half up).
The summary printed at the end counts the uint8 pixels that differ from exact rounding.

Numbers are JSON numbers; NaN / +Inf / -Inf are the strings "NaN", "Infinity",
"-Infinity".  Integral values are written without a fractional part (so -0.0 is 0).

uint8 images: random integers 0..255 (some cases use extreme values to saturate).
float32 images: uniform [0, 1) or normals, rounded to 3 decimals, then to float32.  The
"nonfinite" group (generated last, so the cases before it do not move) plants NaN and
infinities under kernels with zeros: filter2D reads no sample under a zero tap (a kernel of
zeros keeps its first tap), which the float64 reference there reproduces.
Random kernels: normals rounded to 3 decimals then float32, or small integers.
"""
import os
import sys

if os.environ.get("OMP_NUM_THREADS") != "1":
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", OPENCV_FOR_THREADS_NUM="1")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

from collections import Counter

import cv2
import numpy as np
from fixture_json import finite0, flat, num, tensor, numbered, write

cv2.setNumThreads(1)

SEED = 20240615
rng = np.random.default_rng(SEED)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "test", "fixtures", "opencv-filter.json")
OUT_DDEPTH = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "test", "fixtures", "opencv-ddepth.json")
DDEPTHS = {"same": -1, "int16": cv2.CV_16S, "float32": cv2.CV_32F}
# The saturation range of each integer output dtype.
RANGES = {"uint8": (0, 255), "int16": (-32768, 32767)}

DTYPES = ("uint8", "float32")
BORDERS = {"constant": cv2.BORDER_CONSTANT, "replicate": cv2.BORDER_REPLICATE, "reflect": cv2.BORDER_REFLECT,
           "reflect101": cv2.BORDER_REFLECT_101, "wrap": cv2.BORDER_WRAP}
BORDERS4 = ("constant", "replicate", "reflect", "reflect101")   # the ones OpenCV's FilterEngine takes

cases = []
add = numbered(cases)
ddepth_cases = []
add_ddepth = numbered(ddepth_cases)
checks = Counter()          # self-checks of the reference (printed in the summary)


# ---------------------------------------------------------------- encoding helpers

def image_json(img, dtype):
    """img: H x W x C numpy array."""
    h, w, c = img.shape
    return {"width": int(w), "height": int(h), "channels": int(c), "dtype": dtype, "data": flat(img)}


def err_text(e):
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__


def f32(v):
    return float(np.float32(v))


def fmt(v):
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


# ---------------------------------------------------------------- data generators

def ri(lo, hi):
    """Random int in [lo, hi]."""
    return int(rng.integers(lo, hi + 1))


def choice(seq):
    return seq[int(rng.integers(0, len(seq)))]


def image(h, w, c, dtype, kind=None):
    if dtype == "uint8":
        if kind == "extreme":       # mostly 0 / 255 with a few mid values: saturates both ways
            return rng.choice(np.array([0, 0, 255, 255, 255, 128, 17, 240], np.uint8), (h, w, c))
        if kind == "low":
            return rng.integers(0, 24, (h, w, c)).astype(np.uint8)
        if kind == "high":
            return rng.integers(232, 256, (h, w, c)).astype(np.uint8)
        return rng.integers(0, 256, (h, w, c)).astype(np.uint8)
    if kind is None:
        kind = "unit" if rng.random() < 0.6 else "normal"
    if kind == "unit":
        return np.float32(np.round(rng.random((h, w, c)), 3))
    return np.float32(np.round(rng.standard_normal((h, w, c)), 3))


def rand_kernel(shape, kind=None):
    if kind is None:
        kind = "float" if rng.random() < 0.6 else "int"
    if kind == "int":
        return rng.integers(-3, 4, shape).astype(np.float32)
    return np.float32(np.round(rng.standard_normal(shape), 3))


def gauss1d(n):
    return np.float32(cv2.getGaussianKernel(n, 0).ravel())


GALLERY = {
    "sobelX": np.float32([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "sobelY": np.float32([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
    "sharpen": np.float32([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "laplacian": np.float32([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "emboss": np.float32([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    "box3": np.full((3, 3), np.float32(1.0 / 9.0), np.float32),
    "gauss5": np.float32(np.outer(cv2.getGaussianKernel(5, 0), cv2.getGaussianKernel(5, 0))),
}


def rand_delta(dtype):
    r = rng.random()
    if r < 0.5:
        return 0.0
    if dtype == "uint8":
        return choice([0.5, -0.5, 12.0, -40.0, 100.0, 2.25, -7.75, 0.3])
    return f32(choice([0.5, -0.25, 1.0, -1.5, 0.125, 0.3]))


def rand_border_value(dtype):
    if rng.random() < 0.4:
        return 0.0
    if dtype == "uint8":
        return float(choice([255, 128, 7, 200, 1]))
    return f32(np.round(rng.standard_normal(), 3))


# ---------------------------------------------------------------- the float64 reference (numpy)

def border_index(p, n, border):
    """cv::borderInterpolate: the source index for position p of a line of n, or -1 (constant)."""
    if 0 <= p < n:
        return p
    if border == "replicate":
        return 0 if p < 0 else n - 1
    if border in ("reflect", "reflect101"):
        d = 1 if border == "reflect101" else 0
        if n == 1:
            return 0
        while not 0 <= p < n:
            p = -p - 1 + d if p < 0 else n - 1 - (p - n) - d
        return p
    if border == "wrap":
        return p % n
    return -1


def extend(img, top, bottom, left, right, border, value):
    """img (H x W x C float64) extended by the border, as cv2.copyMakeBorder."""
    h, w, c = img.shape
    ri_ = [border_index(p, h, border) for p in range(-top, h + bottom)]
    ci_ = [border_index(p, w, border) for p in range(-left, w + right)]
    out = np.full((len(ri_), len(ci_), c), float(value), np.float64)
    for y, sy in enumerate(ri_):
        if sy < 0:
            continue
        for x, sx in enumerate(ci_):
            if sx >= 0:
                out[y, x] = img[sy, sx]
    return out


def ref64(img, k, anchor, border, value, delta, nonzero_only=False):
    """Correlation of every channel with k (kh x kw) anchored at (ax, ay), in float64; with
    nonzero_only, over the nonzero taps only (filter2D's sum: no sample under a zero tap is read)."""
    kh, kw = k.shape
    ax, ay = anchor
    h, w, _ = img.shape
    p = extend(np.asarray(img, np.float64), ay, kh - 1 - ay, ax, kw - 1 - ax, border, value)
    out = np.full(img.shape, float(delta), np.float64)
    first = (0, 0) if not np.any(k) else None
    for i in range(kh):
        for j in range(kw):
            # (A kernel of zeros keeps its first tap, as filter2D does.)
            if nonzero_only and k[i, j] == 0 and (i, j) != first:
                continue
            out += float(k[i, j]) * p[i:i + h, j:j + w]
    return out


def exact_int(img, k, anchor, border, value, delta, lo=0, hi=255):
    """The exact correlation (all inputs are dyadic rationals, float32 images included: integer
    arithmetic over a common power-of-two denominator), rounded half to even and clamped to
    [lo, hi]: what an ideal integer filter returns."""
    kh, kw = k.shape
    ax, ay = anchor
    h, w, _ = img.shape
    den_k = max(float(v).as_integer_ratio()[1] for v in list(np.ravel(k)) + [delta])
    p = extend(np.asarray(img, np.float64), ay, kh - 1 - ay, ax, kw - 1 - ax, border, value)
    den_x = max([1] + [float(v).as_integer_ratio()[1] for v in np.ravel(p)])
    px = np.vectorize(lambda v: int(float(v) * den_x), otypes=[object])(p)
    den = den_k * den_x
    acc = np.full(img.shape, int(float(delta) * den), dtype=object)
    for i in range(kh):
        for j in range(kw):
            kij = int(float(k[i, j]) * den_k)
            if kij:
                acc = acc + kij * px[i:i + h, j:j + w]
    q = acc // den
    r = acc - q * den
    up = (2 * r > den) | ((2 * r == den) & (q % 2 == 1))
    return np.clip((q + up).astype(np.float64), lo, hi)


# ---------------------------------------------------------------- OpenCV oracle

def resolve(kshape, anchor, op):
    """(kernel flip?, anchor passed to OpenCV, effective anchor (x, y) of the correlation)."""
    kh, kw = kshape
    ax, ay = (kw // 2, kh // 2) if anchor is None else anchor
    if op == "convolve":
        ax, ay = kw - 1 - ax, kh - 1 - ay
        return (ax, ay), (ax, ay)
    return ((-1, -1) if anchor is None else (ax, ay)), (ax, ay)


def run_cv(call, img, kshape, cv_anchor, eff_anchor, border, value):
    """call(src, anchor, borderType) on img (H x W x C); constant borders with a non-zero value
    go through copyMakeBorder + the interior of the padded image."""
    kh, kw = kshape
    h, w, c = img.shape
    src = img[:, :, 0].copy() if c == 1 else img.copy()
    if border == "constant" and value != 0:
        ax, ay = eff_anchor
        pad = cv2.copyMakeBorder(src, ay, kh - 1 - ay, ax, kw - 1 - ax, cv2.BORDER_CONSTANT,
                                 value=(value,) * 4)
        out = call(pad, eff_anchor, cv2.BORDER_CONSTANT | cv2.BORDER_ISOLATED)[ay:ay + h, ax:ax + w]
    else:
        out = call(src, cv_anchor, BORDERS[border])
        if border == "constant":
            # the copyMakeBorder route with value 0 must agree with BORDER_CONSTANT
            ax, ay = eff_anchor
            pad = cv2.copyMakeBorder(src, ay, kh - 1 - ay, ax, kw - 1 - ax, cv2.BORDER_CONSTANT, value=(0,) * 4)
            alt = call(pad, eff_anchor, cv2.BORDER_CONSTANT | cv2.BORDER_ISOLATED)[ay:ay + h, ax:ax + w]
            same = np.array_equal(alt, out)
            checks["constant0: copyMakeBorder route == BORDER_CONSTANT" if same else
                   "constant0: copyMakeBorder route != BORDER_CONSTANT"] += 1
    out = np.asarray(out)
    return out.reshape(h, w, c)


def make_case(fn, group, img, dtype, kernels, opts, tag, error=None, min_diff=None, nonfinite=False):
    """kernels: [k2d] (filter2d) or [kx, ky] (sepFilter2d), float32 numpy arrays.
    opts: simdconv options (op, border, borderValue, anchor, delta, alpha).
    min_diff: (uint8) only keep the case if at least that many pixels differ from exact rounding.
    nonfinite: (filter2d, float32) the image holds NaN or infinities: the reference sums only the
    nonzero taps, as filter2D, and must give OpenCV's non-finite samples exactly."""
    h, w, c = img.shape
    border = opts.get("border", "reflect101")
    ddepth = opts.get("ddepth")
    out_dtype = dtype if ddepth in (None, "same") else ddepth
    sink = add if ddepth is None else add_ddepth
    value = float(opts.get("borderValue", 0.0))
    delta = float(opts.get("delta", 0.0))
    op = opts.get("op", "correlate")
    anchor = opts.get("anchor")
    if fn == "filter2d":
        k2 = kernels[0]
        kshape = k2.shape
        args = [image_json(img, dtype), tensor(k2)]
    else:
        kx, ky = kernels
        kshape = (ky.size, kx.size)
        args = [image_json(img, dtype), tensor(kx), tensor(ky)]
    case = {"fn": fn, "args": args, "opts": opts, "dtype": dtype}
    prefix = f"{fn}/{group}/{tag}/{dtype}/c{c}" + ("" if ddepth is None else f"/to-{ddepth}")
    if error is not None:       # an input OpenCV cannot express
        case["error"] = error
        return sink(case, prefix.replace(f"{fn}/{group}/", f"{fn}/{group}/lib-only/"))
    cv_depth = DDEPTHS[ddepth or "same"]
    try:
        cv_anchor, eff = resolve(kshape, anchor, op)
        if fn == "filter2d":
            kern = cv2.flip(k2, -1) if op == "convolve" else k2
            call = lambda s, a, b: cv2.filter2D(s, cv_depth, kern, anchor=a, delta=delta, borderType=b)
            k_eff = kern
        else:
            kxe = kx[::-1].copy() if op == "convolve" else kx
            kye = ky[::-1].copy() if op == "convolve" else ky
            call = lambda s, a, b: cv2.sepFilter2D(s, cv_depth, kxe, kye, anchor=a, delta=delta, borderType=b)
            k_eff = np.outer(kye.astype(np.float64), kxe.astype(np.float64))
        out = run_cv(call, img, kshape, cv_anchor, eff, border, value)
    except cv2.error as e:
        case["error"] = err_text(e)
        return sink(case, prefix)
    assert out.dtype == np.dtype(out_dtype), (prefix, out.dtype)
    if opts.get("alpha") == "keep":
        out = out.copy()
        out[:, :, 3] = img[:, :, 3]
    # self-check against the float64 reference (semantics of border / anchor / op / delta)
    ref = ref64(img, k_eff, eff, border, value, delta, nonzero_only=nonfinite)
    if out_dtype in RANGES:
        ref = np.clip(np.rint(ref), *RANGES[out_dtype])
    if opts.get("alpha") == "keep":
        ref[:, :, 3] = img[:, :, 3]
    s = ref64(finite0(np.abs(img.astype(np.float64))), np.abs(k_eff.astype(np.float64)), eff, border, abs(value), abs(delta))
    if opts.get("alpha") == "keep":
        s[:, :, 3] = finite0(np.abs(img[:, :, 3]))
    if nonfinite:
        # Non-finite samples exactly where the reference has them (the same NaN / infinity).
        bad = ~np.isfinite(ref)
        assert np.array_equal(bad, ~np.isfinite(out)) and np.array_equal(np.isnan(ref), np.isnan(out)), prefix
        assert np.array_equal(ref[np.isinf(ref)], out[np.isinf(ref)].astype(np.float64)), prefix
        ref = np.where(bad, 0.0, ref)
        out_cmp = np.where(bad, 0.0, out.astype(np.float64))
        checks["filter2d float32 non-finite: cases agreeing with the nonzero-tap reference"] += 1
        checks["filter2d float32 non-finite: NaN or infinite samples"] += int(bad.sum())
    else:
        out_cmp = out.astype(np.float64)
    diff = np.abs(out_cmp - ref)
    if out_dtype in RANGES:
        assert diff.max() <= 1, (prefix, diff.max())
    else:
        assert np.all(diff <= 1e-5 * s + 1e-30), (prefix, float((diff / (s + 1e-30)).max()))
    case["expected"] = image_json(out, out_dtype)
    if out_dtype == "float32":
        case["absSum"] = flat(s)
    else:
        ex = exact_int(img, k_eff, eff, border, value, delta, *RANGES[out_dtype])
        if opts.get("alpha") == "keep":
            ex[:, :, 3] = img[:, :, 3]
        ndiff = int((ex != out).sum())
        if min_diff is not None and ndiff < min_diff:
            return None
        if ndiff:
            case["exactRounded"] = flat(ex)
        checks[f"{fn} {out_dtype}: pixels != exact rounding"] += ndiff
        checks[f"{fn} {out_dtype}: cases with pixels != exact rounding"] += ndiff > 0
    checks[f"{fn} {dtype}{'' if ddepth is None else ' -> ' + out_dtype}: reference agrees"] += 1
    return sink(case, prefix)


def kdesc(k):
    return "k" + "x".join(str(s) for s in k.shape)


def opts_desc(opts):
    parts = [opts.get("border", "default")]
    if "borderValue" in opts:
        parts.append("v" + fmt(opts["borderValue"]))
    if "anchor" in opts:
        parts.append("a" + ",".join(str(a) for a in opts["anchor"]))
    if "delta" in opts:
        parts.append("d" + fmt(opts["delta"]))
    if opts.get("op") == "convolve":
        parts.append("conv")
    if "alpha" in opts:
        parts.append(opts["alpha"])
    return "-".join(parts)


def build_opts(dtype, c, border, op=None, anchor=None, delta=0.0, value=0.0, alpha=None):
    opts = {}
    if op is not None:
        opts["op"] = op
    if border is not None:
        opts["border"] = border
    if border == "constant" and value != 0:
        opts["borderValue"] = num(value)
    if anchor is not None:
        opts["anchor"] = [int(anchor[0]), int(anchor[1])]
    if delta != 0:
        opts["delta"] = num(delta)
    if c == 4:
        opts["alpha"] = alpha if alpha is not None else choice(["keep", "filter"])
    return opts


def rand_anchor(kh, kw):
    r = rng.random()
    if r < 0.5:
        return None
    if r < 0.75:
        return (choice([0, kw - 1]), choice([0, kh - 1]))
    return (ri(0, kw - 1), ri(0, kh - 1))


def f2d(group, img, dtype, k, opts, tag=None, min_diff=None):
    return make_case("filter2d", group, img, dtype, [k], opts, tag or f"{kdesc(k)}-{opts_desc(opts)}",
                     min_diff=min_diff)


def sep(group, img, dtype, kx, ky, opts, tag=None, min_diff=None):
    tag = tag or f"k{kx.size}x{ky.size}-{opts_desc(opts)}"
    return make_case("sepFilter2d", group, img, dtype, [kx, ky], opts, tag, min_diff=min_diff)


# =============================================================== filter2d

KSHAPES = [(1, 1), (1, 3), (3, 1), (2, 2), (3, 3), (4, 4), (5, 5), (2, 5), (7, 7)]


def filter2d_examples():
    # box 3x3 on a ramp: interior pixels are the mean of their neighbourhood
    img = np.arange(1, 31, dtype=np.uint8).reshape(5, 6, 1) * 8
    c = f2d("example", img, "uint8", GALLERY["box3"], {"border": "reflect101"}, tag="box3-ramp")
    assert c["expected"]["data"][7] == 8 * 8, c["expected"]["data"][7]
    # correlation, not convolution: the kernel is not flipped
    img = np.zeros((5, 5, 1), np.uint8)
    img[2, 2, 0] = 10
    k = np.float32([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    c = f2d("example", img, "uint8", k, {"border": "constant"}, tag="impulse-k3x3-correlate")
    assert c["expected"]["data"][5 * 1 + 1] == 90       # pixel (1,1) sees the impulse at kernel (2,2)
    c = f2d("example", img, "uint8", k, {"border": "constant", "op": "convolve"}, tag="impulse-k3x3-convolve")
    assert c["expected"]["data"][5 * 1 + 1] == 10       # convolution: the impulse response is the kernel
    # rounding ties: the box kernel's float32 weight is a hair above 1/9, so sums of 9k + 4.5 round up;
    # a 1x2 kernel of halves gives exact .5 ties (round half to even)
    img = np.array([[[0], [1], [2], [3], [4], [5], [6], [7]]], np.uint8).reshape(1, 8, 1)
    f2d("example", img, "uint8", np.float32([[0.5, 0.5]]), {"border": "replicate"}, tag="halves-ties")
    img = np.arange(0, 16, dtype=np.uint8).reshape(4, 4, 1)
    f2d("example", img, "uint8", np.float32([[0.5]]), {"border": "replicate"}, tag="k1x1-half-ties")
    f2d("example", img, "uint8", np.float32([[1.0]]), {"border": "replicate", "delta": 0.5}, tag="delta-half-ties")
    f2d("example", img, "uint8", np.float32([[1.0]]), {"border": "replicate", "delta": -0.5}, tag="delta-mhalf-ties")


def filter2d_gallery():
    names = list(GALLERY)
    for ni, name in enumerate(names):
        k = GALLERY[name]
        for dtype in DTYPES:
            for bi, border in enumerate(BORDERS4):
                c = (1, 3, 4)[(ni + bi) % 3]
                img = image(ri(5, 11), ri(5, 13), c, dtype)
                value = rand_border_value(dtype) if border == "constant" else 0.0
                opts = build_opts(dtype, c, border, value=value)
                f2d("gallery", img, dtype, k, opts, tag=f"{name}-{opts_desc(opts)}")
            if name in ("sobelX", "sobelY", "emboss", "gauss5"):
                c = choice([1, 3, 4])
                img = image(ri(5, 11), ri(5, 13), c, dtype)
                opts = build_opts(dtype, c, "reflect101", op="convolve")
                f2d("gallery", img, dtype, k, opts, tag=f"{name}-{opts_desc(opts)}")


def filter2d_borders():
    """every border (not wrap) x dtype x channels, kernel shapes cycling through KSHAPES."""
    n = 0
    for border in BORDERS4:
        for dtype in DTYPES:
            for c in (1, 3, 4):
                for _ in range(4):
                    kh, kw = KSHAPES[n % len(KSHAPES)]
                    n += 1
                    k = rand_kernel((kh, kw))
                    img = image(ri(max(1, kh - 2), 11), ri(max(1, kw - 2), 13), c, dtype)
                    value = rand_border_value(dtype) if border == "constant" else 0.0
                    opts = build_opts(dtype, c, border, op=choice([None, "convolve"]), anchor=rand_anchor(kh, kw),
                                      delta=rand_delta(dtype), value=value)
                    f2d("borders", img, dtype, k, opts)


def filter2d_anchors():
    for kh, kw in ((3, 3), (4, 4), (2, 5), (5, 5), (2, 2), (1, 3)):
        anchors = sorted({(0, 0), (kw - 1, 0), (0, kh - 1), (kw - 1, kh - 1), (kw // 2, kh // 2), (kw - 1, kh // 2)})
        for a in anchors:
            dtype = choice(DTYPES)
            c = choice([1, 3, 4])
            border = choice(BORDERS4)
            img = image(ri(4, 9), ri(4, 10), c, dtype)
            opts = build_opts(dtype, c, border, op=choice([None, "convolve"]), anchor=a,
                              value=rand_border_value(dtype) if border == "constant" else 0.0)
            f2d("anchors", img, dtype, rand_kernel((kh, kw)), opts)


def filter2d_delta():
    for dtype in DTYPES:
        deltas = [0.0, 20.0, -35.0, 0.5, -0.25, 7.75, 0.3] if dtype == "uint8" else \
            [0.0, 1.0, -2.0, 0.5, -0.25, f32(0.3), f32(-1.7)]
        for d in deltas:
            c = choice([1, 3, 4])
            kshape = choice([(3, 3), (1, 3), (2, 2), (5, 5)])
            k = choice([GALLERY["box3"], GALLERY["sharpen"], rand_kernel(kshape)])
            img = image(ri(3, 9), ri(3, 10), c, dtype)
            opts = build_opts(dtype, c, choice(BORDERS4), delta=d, value=rand_border_value(dtype))
            f2d("delta", img, dtype, k, opts)


def filter2d_saturate():
    for i, (name, kind, d) in enumerate([("sharpen", "extreme", 0.0), ("laplacian", "extreme", 0.0),
                                         ("sobelX", "extreme", 0.0), ("emboss", None, 128.0),
                                         ("box3", "high", 30.0), ("box3", "low", -30.0),
                                         ("sharpen", "high", 0.0), ("sharpen", "low", 0.0)]):
        c = (1, 3, 4)[i % 3]
        img = image(ri(4, 9), ri(4, 11), c, "uint8", kind=kind)
        opts = build_opts("uint8", c, choice(BORDERS4), delta=d, alpha="filter")
        f2d("saturate", img, "uint8", GALLERY[name], opts, tag=f"{name}-{kind}-{opts_desc(opts)}")
    for c in (1, 3):
        img = image(6, 7, c, "uint8")
        k = np.float32(np.round(rng.standard_normal((3, 3)) * 4, 2))
        f2d("saturate", img, "uint8", k, build_opts("uint8", c, "replicate"), tag="big-weights")


def filter2d_tiny():
    """a 1x1 image and images smaller than the kernel."""
    for dtype in DTYPES:
        for border in BORDERS4:
            c = choice([1, 3, 4])
            img = image(1, 1, c, dtype)
            k = rand_kernel(choice([(3, 3), (2, 2), (1, 3), (5, 5)]))
            opts = build_opts(dtype, c, border, anchor=rand_anchor(*k.shape), op=choice([None, "convolve"]),
                              value=rand_border_value(dtype) if border == "constant" else 0.0)
            f2d("tiny", img, dtype, k, opts, tag=f"img1x1-{kdesc(k)}-{opts_desc(opts)}")
        for border in BORDERS4:
            for (h, w), kshape in (((2, 3), (5, 5)), ((1, 4), (3, 3)), ((4, 1), (7, 7)), ((3, 2), (4, 4))):
                c = choice([1, 3])
                img = image(h, w, c, dtype)
                k = rand_kernel(kshape)
                opts = build_opts(dtype, c, border, anchor=rand_anchor(*kshape), delta=rand_delta(dtype),
                                  value=rand_border_value(dtype) if border == "constant" else 0.0)
                f2d("tiny", img, dtype, k, opts, tag=f"img{h}x{w}-{kdesc(k)}-{opts_desc(opts)}")


def filter2d_alpha():
    for dtype in DTYPES:
        for alpha in ("keep", "filter"):
            for k in (GALLERY["sharpen"], GALLERY["gauss5"], rand_kernel((2, 3))):
                img = image(ri(3, 8), ri(3, 9), 4, dtype)
                opts = build_opts(dtype, 4, choice(BORDERS4), alpha=alpha, delta=rand_delta(dtype))
                f2d("alpha", img, dtype, k, opts)


def filter2d_defaults():
    for dtype in DTYPES:
        for k in (GALLERY["sobelX"], GALLERY["box3"], rand_kernel((4, 2))):
            c = choice([1, 3])
            img = image(ri(3, 9), ri(3, 10), c, dtype)
            f2d("defaults", img, dtype, k, {}, tag=f"{kdesc(k)}-no-opts")


def filter2d_dft():
    """kernels of >= 130 elements: filter2D correlates through a DFT (WRAP works there)."""
    k15 = np.float32(np.outer(cv2.getGaussianKernel(15, 0), cv2.getGaussianKernel(15, 0)))
    for dtype in DTYPES:
        for border, c in (("reflect101", 1), ("replicate", 3), ("constant", 4), ("reflect", 3), ("wrap", 1),
                          ("wrap", 3), ("wrap", 4)):
            img = image(20, 20, c, dtype)
            opts = build_opts(dtype, c, border)
            f2d("dft", img, dtype, k15, opts, tag=f"gauss15x15-{opts_desc(opts)}")
        img = image(20, 20, 1, dtype)
        f2d("dft", img, dtype, k15, build_opts(dtype, 1, "reflect101", delta=0.5 if dtype == "uint8" else 0.25),
            tag="gauss15x15-delta")
        img = image(20, 20, 1, dtype)
        k = rand_kernel((11, 12), "float") / np.float32(8)
        f2d("dft", img, dtype, k, build_opts(dtype, 1, "replicate", anchor=(3, 8)), tag="rand11x12-a3,8")
        # just below the threshold: the direct path, with border wrap rejected
        img = image(20, 20, 1, dtype)
        f2d("dft", img, dtype, np.float32(np.outer(gauss1d(11), gauss1d(11))), build_opts(dtype, 1, "reflect101"),
            tag="gauss11x11-direct")


# =============================================================== sepFilter2d

def sep_kernel(n, kind=None):
    if kind is None:
        kind = choice(["gauss", "gauss", "fixed", "float", "int"])
    if kind == "gauss":
        return gauss1d(n)
    if kind == "fixed":
        table = {1: [1], 2: [1, -1], 3: choice([[1, 2, 1], [-1, 0, 1]]), 4: [1, 3, 3, 1], 5: [1, 4, 6, 4, 1],
                 6: [-1, -2, 0, 0, 2, 1], 7: [1, 0, -2, 0, -2, 0, 1]}
        return np.float32(table[n])
    if kind == "int":
        return rng.integers(-3, 4, n).astype(np.float32)
    return np.float32(np.round(rng.standard_normal(n), 3))


def sep_borders():
    n = 0
    for border in BORDERS4:
        for dtype in DTYPES:
            for c in (1, 3, 4):
                for _ in range(3):
                    lx, ly = 1 + n % 7, 1 + (3 * n + 2) % 7
                    n += 1
                    kx, ky = sep_kernel(lx), sep_kernel(ly)
                    img = image(ri(max(1, ly - 2), 11), ri(max(1, lx - 2), 13), c, dtype)
                    opts = build_opts(dtype, c, border, op=choice([None, None, "convolve"]),
                                      anchor=rand_anchor(ly, lx), delta=rand_delta(dtype),
                                      value=rand_border_value(dtype) if border == "constant" else 0.0)
                    sep("borders", img, dtype, kx, ky, opts)


def sep_smooth():
    """Gaussian x Gaussian (OpenCV's fixed-point path for uint8) and other symmetric kernels."""
    for dtype in DTYPES:
        for i, (lx, ly) in enumerate(((3, 3), (5, 5), (7, 7), (3, 5), (7, 1), (1, 5), (5, 3), (7, 3))):
            c = (1, 3, 4)[i % 3]
            img = image(ri(4, 11), ri(4, 13), c, dtype)
            border = BORDERS4[i % 4]
            opts = build_opts(dtype, c, border, delta=rand_delta(dtype),
                              value=rand_border_value(dtype) if border == "constant" else 0.0)
            sep("smooth", img, dtype, gauss1d(lx), gauss1d(ly), opts, tag=f"gauss{lx}x{ly}-{opts_desc(opts)}")
        for name, kx, ky in (("121x121", [1, 2, 1], [1, 2, 1]), ("121n", [.25, .5, .25], [.25, .5, .25]),
                             ("diff-x-121", [-1, 0, 1], [1, 2, 1]), ("121-x-diff", [1, 2, 1], [-1, 0, 1]),
                             ("half-half", [.5, .5], [.5, .5]), ("box3", [1 / 3] * 3, [1 / 3] * 3),
                             ("gauss5-anchor0", None, None)):
            c = choice([1, 3, 4])
            img = image(ri(4, 10), ri(4, 12), c, dtype)
            if kx is None:
                opts = build_opts(dtype, c, "reflect101", anchor=(0, 0))
                sep("smooth", img, dtype, gauss1d(5), gauss1d(5), opts, tag=f"{name}-{opts_desc(opts)}")
                continue
            opts = build_opts(dtype, c, choice(BORDERS4), delta=rand_delta(dtype))
            if "borderValue" not in opts and opts["border"] == "constant" and rng.random() < 0.5:
                opts["borderValue"] = 255 if dtype == "uint8" else 1
            sep("smooth", img, dtype, np.float32(kx), np.float32(ky), opts, tag=f"{name}-{opts_desc(opts)}")


def sep_misc():
    for dtype in DTYPES:
        # anchors
        for a in ((0, 0), (4, 0), (0, 2), (4, 2), (1, 1)):
            c = choice([1, 3, 4])
            img = image(ri(3, 9), ri(3, 10), c, dtype)
            opts = build_opts(dtype, c, choice(BORDERS4), anchor=a, op=choice([None, "convolve"]))
            sep("anchors", img, dtype, sep_kernel(5), sep_kernel(3), opts)
        # delta
        for d in ((15.0, -20.5, 0.5) if dtype == "uint8" else (1.0, -0.5, f32(0.3))):
            c = choice([1, 3])
            img = image(ri(3, 9), ri(3, 10), c, dtype)
            opts = build_opts(dtype, c, choice(BORDERS4), delta=d)
            sep("delta", img, dtype, sep_kernel(3, "float"), sep_kernel(3, "gauss"), opts)
        # tiny images
        for (h, w), (lx, ly) in (((1, 1), (3, 3)), ((1, 1), (5, 2)), ((2, 3), (7, 5)), ((1, 5), (3, 3)), ((4, 1), (1, 7))):
            c = choice([1, 3, 4])
            img = image(h, w, c, dtype)
            border = choice(BORDERS4)
            opts = build_opts(dtype, c, border, anchor=rand_anchor(ly, lx),
                              value=rand_border_value(dtype) if border == "constant" else 0.0)
            sep("tiny", img, dtype, sep_kernel(lx), sep_kernel(ly), opts, tag=f"img{h}x{w}-k{lx}x{ly}-{opts_desc(opts)}")
        # saturation and alpha
        for kind in ("extreme", "high"):
            img = image(ri(4, 8), ri(4, 9), 4, "uint8" if dtype == "uint8" else dtype, kind=kind if dtype == "uint8" else None)
            opts = build_opts(dtype, 4, "replicate", alpha=choice(["keep", "filter"]))
            sep("saturate", img, dtype, np.float32([-1, 3, -1]), np.float32([-1, 3, -1]), opts)
        # defaults
        c = choice([1, 3])
        sep("defaults", image(ri(3, 9), ri(3, 10), c, dtype), dtype, sep_kernel(3), sep_kernel(5), {},
            tag="k3x5-no-opts")


# =============================================================== uint8 rounding

def until_kept(make, tries):
    """Call make() (a case builder with min_diff) until it keeps a case."""
    for _ in range(tries):
        if make() is not None:
            return
    raise AssertionError("no case found")


def rounding():
    """uint8 cases where OpenCV's result is not the exactly rounded one (they carry exactRounded),
    and exact .5 ties (OpenCV rounds them half to even, except sepFilter2D's fixed-point tail)."""
    e = "uint8"
    # exact ties: round half to even
    img = image(6, 7, 1, e)
    f2d("rounding", img, e, np.full((2, 2), 0.25, np.float32), {"border": "replicate"}, tag="box2x2-ties-even")
    img = image(6, 7, 3, e)
    sep("rounding", img, e, np.float32([.5, .5]), np.float32([.5, .5]), {"border": "reflect"}, tag="halves-ties-even")
    img = image(6, 7, 1, e)
    sep("rounding", img, e, gauss1d(3), np.float32([1]), {"border": "replicate"}, tag="gauss3x1-float-path-ties-even")
    # filter2D: float32 with fused multiply-adds, so near-ties can round the other way
    until_kept(lambda: f2d("rounding", image(8, 9, 1, e), e, np.float32([[0.3]]), {"border": "replicate", "delta": 0.5},
                           tag="k1x1-0.3-fma", min_diff=2), 50)
    for c in (1, 3):
        until_kept(lambda: f2d("rounding", image(11, 13, c, e), e, GALLERY["box3"],
                               {"border": "replicate", "delta": 0.5}, tag="box3-d0.5-fma", min_diff=1), 200)
    k = np.float32(np.arange(1, 10).reshape(3, 3) / 20.0)
    until_kept(lambda: f2d("rounding", image(11, 13, 3, e), e, k, {"border": "reflect101"}, tag="k3x3-twentieths-fma",
                           min_diff=1), 200)
    # filter2D's DFT path (>= 130 kernel elements): float32 FFT round-off near .5
    k15 = np.float32(np.outer(cv2.getGaussianKernel(15, 0), cv2.getGaussianKernel(15, 0)))
    until_kept(lambda: f2d("rounding", image(20, 20, 1, e), e, np.full((12, 11), np.float32(1 / 132), np.float32),
                           {"border": "reflect101"}, tag="box12x11-dft", min_diff=1), 80)
    until_kept(lambda: f2d("rounding", image(20, 20, 3, e), e, k15, {"border": "reflect101", "delta": 0.5},
                           tag="gauss15x15-d0.5-dft", min_diff=1), 80)
    # sepFilter2D fixed point (Gaussian kernels): vector lanes round half to even, the scalar tail
    # (the last (width * channels) % 4 samples of each row) rounds half up
    for w, c in ((13, 1), (9, 3), (7, 1)):
        until_kept(lambda: sep("rounding", image(11, w, c, e), e, gauss1d(3), gauss1d(3), {"border": "reflect101"},
                               tag=f"gauss3x3-fixed-tail-w{w}", min_diff=1), 100)
    until_kept(lambda: sep("rounding", image(11, 13, 1, e), e, gauss1d(5), gauss1d(5),
                           {"border": "replicate", "delta": -12.75}, tag="gauss5x5-d-12.75-fixed-tail",
                           min_diff=1), 100)
    # a smooth symmetric kernel within 10 * FLT_EPSILON of 8-bit fixed point is quantised to it
    k = np.float32([64.00005 / 256, 1 - 2 * np.float32(64.00005 / 256), 64.00005 / 256])
    until_kept(lambda: sep("rounding", image(11, 13, 1, e), e, k, k, {"border": "reflect101"},
                           tag="near-bitexact-fixed", min_diff=1), 20)
    # sepFilter2D's float path: two float32 passes with fused multiply-adds
    until_kept(lambda: sep("rounding", image(11, 13, 1, e), e, np.float32([0.1, 0.2, 0.4, 0.2, 0.1]), gauss1d(3),
                           {"border": "replicate"}, tag="dec5-x-gauss3-fma", min_diff=1), 100)
    until_kept(lambda: sep("rounding", image(11, 13, 3, e), e, np.float32([0.3, 0.1, 0.3]), np.float32([0.7, 0.2, 0.7]),
                           {"border": "replicate"}, tag="symm-nonsmooth-fma", min_diff=1), 100)


# =============================================================== errors

def errors():
    e = "uint8"
    img = image(5, 6, 1, e)
    k3 = rand_kernel((3, 3), "float")
    # BORDER_WRAP: FilterEngine asserts columnBorderType != BORDER_WRAP
    for dtype in DTYPES:
        f2d("error", image(5, 6, 3, dtype), dtype, k3, {"border": "wrap"}, tag="wrap-k3x3")
        sep("error", image(5, 6, 1, dtype), dtype, gauss1d(3), gauss1d(3), {"border": "wrap"}, tag="wrap-k3x3")
    f2d("error", img, e, np.float32([[2]]), {"border": "wrap"}, tag="wrap-k1x1")
    # anchors outside the kernel
    for a in ((3, 0), (0, 3), (-2, 0), (0, -3)):
        f2d("error", img, e, k3, {"anchor": list(a)}, tag=f"anchor{a[0]},{a[1]}-outside-k3x3")
    for a in ((5, 0), (0, 3)):
        sep("error", img, e, gauss1d(5), gauss1d(3), {"anchor": list(a)}, tag=f"anchor{a[0]},{a[1]}-outside-k5x3")
    # empty kernels
    f2d("error", img, e, np.zeros((0, 0), np.float32), {}, tag="kernel-empty")
    f2d("error", img, e, np.zeros((0, 3), np.float32), {}, tag="kernel-0x3")
    sep("error", img, e, np.zeros(0, np.float32), gauss1d(3), {}, tag="kernelX-empty")
    sep("error", img, e, gauss1d(3), np.zeros(0, np.float32), {}, tag="kernelY-empty")
    # sepFilter2D needs 1-D kernels
    make_case("sepFilter2d", "error", img, e, [k3[:2], gauss1d(3)], {}, "kernelX-2x3")
    # inputs OpenCV cannot express (its Mat always has width*height*channels samples)
    for fn, ks in (("filter2d", [k3]), ("sepFilter2d", [gauss1d(3), gauss1d(3)])):
        for dtype in DTYPES:
            case = make_case(fn, "error", image(4, 5, 3, dtype), dtype, ks, {}, "data-length-mismatch",
                             error="image.data length 59 != width * height * channels = 60")
            case["args"][0]["data"] = case["args"][0]["data"][:-1]


# =============================================================== ddepth (opencv-ddepth.json)

def ddepth_group():
    """Output depths other than the input's: uint8 -> int16 (signed responses saturated to int16,
    not clamped to 0) and uint8 -> float32, on both functions; 'same' spelled out; and what
    OpenCV refuses (float32 -> int16)."""
    signed = ("sobelX", "sobelY", "laplacian", "emboss", "sharpen", "box3", "gauss5")
    for ni, name in enumerate(signed):
        for di, dd in enumerate(("int16", "float32")):
            border = BORDERS4[(ni + di) % 4]
            c = (1, 3, 4)[(ni + di) % 3]
            img = image(ri(5, 11), ri(5, 13), c, "uint8", kind="extreme" if ni % 2 else None)
            value = rand_border_value("uint8") if border == "constant" else 0.0
            opts = build_opts("uint8", c, border, value=value, delta=rand_delta("uint8"))
            opts["ddepth"] = dd
            f2d("ddepth", img, "uint8", GALLERY[name], opts, tag=f"{name}-{opts_desc(opts)}")
    # random kernels, convolution and anchors; big weights saturate int16 both ways
    for i in range(10):
        kshape = KSHAPES[i % len(KSHAPES)]
        c = (1, 3, 4)[i % 3]
        dd = ("int16", "float32")[i % 2]
        k = rand_kernel(kshape) if i < 8 else np.float32(np.round(rng.standard_normal(kshape) * 90, 1))
        img = image(ri(3, 9), ri(3, 10), c, "uint8", kind="extreme" if i >= 8 else None)
        border = choice(BORDERS4)
        opts = build_opts("uint8", c, border, op=choice([None, "convolve"]), anchor=rand_anchor(*kshape),
                          delta=rand_delta("uint8"), value=rand_border_value("uint8") if border == "constant" else 0.0)
        opts["ddepth"] = dd
        f2d("ddepth", img, "uint8", k, opts)
    # separable: Sobel's integer factors (OpenCV's exact integer path to int16), Gaussians and
    # non-integer kernels (its float path)
    for i, (kx, ky) in enumerate((([-1, 0, 1], [1, 2, 1]), ([1, 2, 1], [-1, 0, 1]), ([1, -2, 1], [1, 2, 1]),
                                  (None, None), ([0.5, -0.25, 0.3], [0.2, 0.6, 0.2]), ([-0.7, 1.3], [0.25, 0.5, 0.25]))):
        for dd in ("int16", "float32"):
            c = (1, 3, 4)[i % 3]
            img = image(ri(4, 10), ri(4, 12), c, "uint8")
            kxa = gauss1d(5) if kx is None else np.float32(kx)
            kya = gauss1d(5) if ky is None else np.float32(ky)
            border = BORDERS4[i % 4]
            opts = build_opts("uint8", c, border, delta=rand_delta("uint8"),
                              value=rand_border_value("uint8") if border == "constant" else 0.0)
            opts["ddepth"] = dd
            sep("ddepth", img, "uint8", kxa, kya, opts)
    # 'same' spelled out, float32 images to float32, and float32 -> int16 (refused by OpenCV)
    for dtype in DTYPES:
        for dd in ("same", "float32", "int16"):
            c = choice([1, 3])
            img = image(ri(4, 8), ri(4, 9), c, dtype)
            opts = build_opts(dtype, c, "reflect101")
            opts["ddepth"] = dd
            f2d("ddepth", img, dtype, GALLERY["sobelX"], opts, tag=f"sobelX-{dd}")
            sep("ddepth", img, dtype, np.float32([-1, 0, 1]), np.float32([1, 2, 1]), opts, tag=f"sobel-sep-{dd}")


# =============================================================== non-finite samples

def nonfinite_image(h, w, c, count):
    """A float32 image with `count` samples set to NaN, +inf or -inf."""
    img = image(h, w, c, "float32", kind="unit")
    flat_ = img.reshape(-1)
    for v, at in zip(rng.choice(np.float32([np.nan, np.inf, -np.inf]), count), rng.choice(flat_.size, count, replace=False)):
        flat_[at] = v
    return img


def nonfinite():
    """filter2D sums only a kernel's nonzero taps: NaN and infinities under zero taps stay out,
    on every route simdconv takes (the banded plane pass, small images, two 1-D passes for a
    separable kernel, a kernel large enough for the FFT)."""
    cross5 = np.zeros((5, 5), np.float32)
    cross5[2, :] = 1
    cross5[:, 2] = 1
    cross5[2, 2] = -8
    sobel5 = np.float32(np.outer([1, 4, 6, 4, 1], [-1, -2, 0, 2, 1]))    # separable, a zero column
    sparse11 = np.float32(np.where(rng.random((11, 11)) < 0.3, np.round(rng.standard_normal((11, 11)), 2), 0))
    kernels = {
        "sharpen": GALLERY["sharpen"], "laplacian": GALLERY["laplacian"], "sobelX": GALLERY["sobelX"],
        "emboss": GALLERY["emboss"], "cross5": cross5, "sobel5": sobel5, "row5": np.float32([[1, 0, -2, 0, 1]]),
        "col3": np.float32([[1], [0], [-1]]), "sparse11": sparse11, "zero3": np.zeros((3, 3), np.float32),
    }
    for name, k in kernels.items():
        for c in (1, 3, 4):
            big = name == "sparse11"
            h, w = (ri(24, 30), ri(24, 30)) if big else (ri(6, 10), ri(7, 12))
            img = nonfinite_image(h, w, c, ri(3, 8))
            border = choice(BORDERS4)
            opts = build_opts("float32", c, border, op=choice([None, "convolve"]), delta=rand_delta("float32"),
                              value=rand_border_value("float32") if border == "constant" else 0.0)
            make_case("filter2d", "nonfinite", img, "float32", [k], opts, f"{name}-{opts_desc(opts)}", nonfinite=True)
    # images smaller than the kernel
    for (h, w), k in (((2, 3), cross5), ((1, 4), GALLERY["sharpen"]), ((3, 1), sobel5)):
        c = choice([1, 3, 4])
        img = nonfinite_image(h, w, c, 2)
        opts = build_opts("float32", c, "reflect101")
        make_case("filter2d", "nonfinite", img, "float32", [k], opts, f"img{h}x{w}-{kdesc(k)}-{opts_desc(opts)}", nonfinite=True)


# =============================================================== main

def main():
    filter2d_examples()
    filter2d_gallery()
    filter2d_borders()
    filter2d_anchors()
    filter2d_delta()
    filter2d_saturate()
    filter2d_tiny()
    filter2d_alpha()
    filter2d_defaults()
    filter2d_dft()
    sep_borders()
    sep_smooth()
    sep_misc()
    rounding()
    errors()
    ddepth_group()
    nonfinite()

    head = {"generator": "scripts/gen_opencv_fixtures.py", "opencv": cv2.__version__, "numpy": np.__version__,
            "seed": SEED}
    text = write(OUT, head, cases)
    ddepth_text = write(OUT_DDEPTH, head, ddepth_cases)
    print(f"wrote {OUT_DDEPTH}: {len(ddepth_cases)} cases, {len(ddepth_text.encode())} bytes")
    for c in ddepth_cases:
        if "exactRounded" in c:
            n = sum(a != b for a, b in zip(c["expected"]["data"], c["exactRounded"]))
            print(f"  ddepth {c['id']}: {n} pixels differ from exact rounding")

    # summary
    print(f"wrote {OUT}: {len(cases)} cases, {len(text.encode())} bytes")
    cnt = Counter((c["fn"], c["dtype"], c["opts"].get("border", "(default)"), "error" if "error" in c else "ok")
                  for c in cases)
    print(f"{'fn':12} {'dtype':8} {'border':11} {'kind':6} count")
    for k in sorted(cnt):
        print(f"{k[0]:12} {k[1]:8} {k[2]:11} {k[3]:6} {cnt[k]}")
    by = Counter((c["fn"], c["args"][0]["channels"]) for c in cases)
    print("by fn, channels:", {f"{f}/c{ch}": n for (f, ch), n in sorted(by.items())})
    print("checks:", dict(sorted(checks.items())))
    print("uint8 cases with exactRounded (pixels differing from exact rounding):")
    for c in cases:
        if "exactRounded" in c:
            n = sum(a != b for a, b in zip(c["expected"]["data"], c["exactRounded"]))
            print(f"  {c['id']}: {n}")
    errs = Counter((c["fn"], c["error"]) for c in cases if "error" in c)
    print("errors:")
    for (fn, msg), n in sorted(errs.items()):
        print(f"  {fn}: {msg!r} x{n}")


if __name__ == "__main__":
    main()
