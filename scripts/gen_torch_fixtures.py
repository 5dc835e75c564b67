#!/usr/bin/env python3
"""Generate test/fixtures/torch-nn.json: golden outputs of PyTorch's convolution and pooling ops.

Usage (from the repository root):  python3 scripts/gen_torch_fixtures.py [out.json]

Covers conv2d, conv1d (nn.Conv2d / nn.Conv1d semantics, including padding_mode),
conv_transpose2d, max_pool2d, avg_pool2d and the gradients of conv2d (autograd).
Deterministic: a fixed seed, a fixed case order, one torch thread and a fixed
PYTHONHASHSEED (torch formats some messages from Python sets; the script re-executes
itself with PYTHONHASHSEED=0), so running it twice gives a byte-identical file.

Case format (one JSON object per line):
  id        unique readable id, e.g. "conv2d/groups/g2-s2x1-psame-k3x3/float64/r0"
  fn        "conv2d" | "conv1d" | "convTranspose2d" | "maxPool2d" | "avgPool2d" | "conv2dBackward"
  args      positional tensors {"shape": [...], "data": [flat row-major]}:
              conv2d, conv1d, convTranspose2d: [input, weight]
              maxPool2d, avgPool2d:            [input]
              conv2dBackward:                  [gradOutput, input, weight]
  opts      options under simdconv's camelCase names, as a JS caller passes them; an option
            that is absent takes its default:
              conv2d / conv1d:  bias (tensor [outC]), stride, padding (int | [..] | "valid" |
                                "same"), dilation, groups, paddingMode ("zeros" | "reflect" |
                                "replicate" | "circular"), layout ("NHWC", conv2d only)
              convTranspose2d:  bias, stride, padding, outputPadding, groups, dilation
              maxPool2d:        kernelSize, stride (default kernelSize), padding, dilation, ceilMode
              avgPool2d:        kernelSize, stride (default kernelSize), padding, ceilMode,
                                countIncludePad
              conv2dBackward:   stride, padding, dilation, groups, bias (true | false: whether
                                the forward conv2d had a bias)
            conv1d takes ints or 1-element lists.  Weights are in torch's layout:
            conv [outC, inC/groups, *k], convTranspose2d [inC, outC/groups, kH, kW].
  dtype     the dtype simdconv should compute in ("float32" | "float64")
  expected  {"shape", "data"} of torch's result (absent when torch raises).
            conv2dBackward: {"gradInput": tensor, "gradWeight": tensor, "gradBias": tensor | null}
  absSum    the same operation on |input|, |weight|, |bias| (|gradOutput|): the per-element
            tolerance scale, a flat list in the order of expected (conv2dBackward: an object
            {"gradInput": [...], "gradWeight": [...], "gradBias": [...] | null}).  Non-finite
            input values are replaced by 0 before taking it, so absSum is always finite.
            Absent for maxPool2d (compare exactly) and for error cases.
  error     first line of str() of the exception torch raises (only then; no expected)

layout "NHWC" (some conv2d cases): args[0] is channels-last ([N,H,W,C], or [H,W,C] when
unbatched) and expected / absSum are channels-last too; weight and bias keep torch's layout.

paddingMode follows nn.Conv2d: for a mode other than "zeros" the input is padded with
F.pad(mode) and then convolved with padding 0; padding "same" splits the total
dilation*(k-1) as left = total // 2, right = total - left.  The oracle is an nn.Conv2d /
nn.Conv1d module holding the case's weight and bias (so option errors are the module's).
torch 1.13's circular F.pad rejects unbatched input; such cases are run on input[None]
and the batch dimension dropped again (what later torch versions do).

Numbers are JSON numbers; NaN / +Inf / -Inf are the strings "NaN", "Infinity",
"-Infinity".  Integral values are written without a fractional part (so -0.0 is 0).

float64 cases: inputs are small integers or normals rounded to 2 decimals.
float32 cases: inputs are normals rounded to 3 decimals, then rounded to float32 (so exactly
float32-representable).  expected is always computed by torch in float64 from those values.
"""
import os
import sys

if os.environ.get("PYTHONHASHSEED") != "0" or os.environ.get("OMP_NUM_THREADS") != "1":
    env = dict(os.environ, PYTHONHASHSEED="0", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               MKL_NUM_THREADS="1")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import warnings
from collections import Counter

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from fixture_json import finite0, flat, num, tensor, numbered, write

torch.set_num_threads(1)
warnings.filterwarnings("ignore", message="Using padding='same' with even kernel lengths and odd dilation")
torch.use_deterministic_algorithms(True)

SEED = 20240611
rng = np.random.default_rng(SEED)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "test", "fixtures", "torch-nn.json")

DTYPES = ("float32", "float64")
NAN, INF = float("nan"), float("inf")

cases = []
add = numbered(cases)


# ---------------------------------------------------------------- encoding helpers

def absfin(a):
    return None if a is None else np.abs(finite0(a))


def T(a):
    return None if a is None else torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64)


def npy(t):
    return t.detach().numpy().astype(np.float64)


def jsval(v):
    """An option value as JSON (plain ints / lists / strings / bools)."""
    if isinstance(v, (list, tuple)):
        return [jsval(x) for x in v]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    return v


def tval(v):
    """A JS option value as torch wants it (lists become tuples)."""
    return tuple(v) if isinstance(v, list) else v


def fmt(v):
    if isinstance(v, (list, tuple)):
        return "x".join(str(x) for x in v)
    if isinstance(v, bool):
        return "T" if v else "F"
    return str(v)


def err_text(e):
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__


# ---------------------------------------------------------------- data generators

def data(shape, dtype, kind=None):
    """Random test data. float32: normals rounded to 3 decimals, then to float32 (as float64).
    float64: small integers or normals rounded to 2 decimals (chosen per tensor)."""
    shape = tuple(int(s) for s in shape)
    if dtype == "float32":
        return np.float32(np.round(rng.standard_normal(shape), 3)).astype(np.float64)
    if kind is None:
        kind = "int" if rng.random() < 0.4 else "round"
    if kind == "int":
        return rng.integers(-9, 10, shape).astype(np.float64)
    return np.round(rng.standard_normal(shape), 2)


def ri(lo, hi):
    """Random int in [lo, hi]."""
    return int(rng.integers(lo, hi + 1))


def choice(seq):
    return seq[int(rng.integers(0, len(seq)))]


def pick_batch():
    """None (unbatched) or a batch size 1..3."""
    r = rng.random()
    if r < 0.25:
        return None
    if r < 0.6:
        return 1
    if r < 0.9:
        return 2
    return 3


def tup(v, nd):
    if isinstance(v, (list, tuple)):
        return tuple(int(x) for x in v) if len(v) == nd else tuple(int(v[0]) for _ in range(nd))
    return (int(v),) * nd


def side_pads(padding, k, d, nd):
    """(left, right) padding per spatial dim for an int / list / "valid" / "same" padding."""
    if padding == "valid":
        return [(0, 0)] * nd
    if padding == "same":
        out = []
        for i in range(nd):
            total = d[i] * (k[i] - 1)
            out.append((total // 2, total - total // 2))
        return out
    p = tup(padding, nd)
    return [(p[i], p[i]) for i in range(nd)]


def pick_size(k, s, d, pl, pr, mode="zeros", lo=1, hi=9, need_out=1):
    """A random spatial size n in [lo, hi] for which the conv / pool is valid."""
    ek = d * (k - 1) + 1
    good = []
    for n in range(lo, max(hi, lo) + 1):
        if n + pl + pr < ek:
            continue
        if (n + pl + pr - ek) // s + 1 < need_out:
            continue
        if mode == "reflect" and max(pl, pr) >= n:
            continue
        if mode == "circular" and max(pl, pr) > n:
            continue
        good.append(n)
    if not good:
        return pick_size(k, s, d, pl, pr, mode, lo, hi + 3, need_out)
    return choice(good)


# ---------------------------------------------------------------- conv oracle (nn.ConvNd)

def conv_kwargs(js, nd):
    return {
        "stride": tval(js.get("stride", 1)),
        "padding": tval(js.get("padding", 0)),
        "dilation": tval(js.get("dilation", 1)),
        "groups": js.get("groups", 1),
        "padding_mode": js.get("paddingMode", "zeros"),
    }


def run_conv(nd, x, w, b, kw):
    """nn.Conv{nd}d holding weight w and bias b, applied to x (all float64 numpy)."""
    mod = nn.Conv2d if nd == 2 else nn.Conv1d
    wt = T(w)
    m = mod(int(wt.shape[1]) * kw["groups"], int(wt.shape[0]), tuple(int(s) for s in wt.shape[2:]),
            stride=kw["stride"], padding=kw["padding"], dilation=kw["dilation"], groups=kw["groups"],
            bias=b is not None, padding_mode=kw["padding_mode"], dtype=torch.float64)
    m.weight = nn.Parameter(wt)
    if b is not None:
        m.bias = nn.Parameter(T(b))
    xt = T(x)
    with torch.no_grad():
        if kw["padding_mode"] == "circular" and xt.dim() == nd + 1:
            return npy(m(xt.unsqueeze(0)).squeeze(0))    # torch 1.13: circular F.pad needs a batch dim
        return npy(m(xt))


def ref_conv(nd, x, w, b, kw):
    """Independent check of the padding semantics: explicit F.pad, then F.convNd with padding 0."""
    k = tuple(int(s) for s in np.shape(w)[2:])
    d = tup(kw["dilation"], nd)
    pads = side_pads(kw["padding"] if isinstance(kw["padding"], str) else list(tup(kw["padding"], nd)), k, d, nd)
    fpad = []
    for (l, r) in reversed(pads):
        fpad += [l, r]
    xt = T(x)
    unb = xt.dim() == nd + 1
    if unb:
        xt = xt.unsqueeze(0)
    mode = kw["padding_mode"]
    xp = F.pad(xt, fpad, mode="constant", value=0.0) if mode == "zeros" else F.pad(xt, fpad, mode=mode)
    conv = F.conv2d if nd == 2 else F.conv1d
    out = conv(xp, T(w), T(b), kw["stride"], 0, kw["dilation"], kw["groups"])
    return npy(out[0] if unb else out)


def to_nhwc(a):
    a = np.asarray(a)
    return np.moveaxis(a, -3, -1)


def conv_desc(nd, x, w, b, js):
    parts = ["unbatched" if np.ndim(x) == nd + 1 else f"n{np.shape(x)[0]}",
             "k" + "x".join(str(s) for s in np.shape(w)[2:])]
    abbr = [("stride", "s"), ("padding", "p"), ("dilation", "d"), ("groups", "g"), ("paddingMode", "")]
    for key, a in abbr:
        if key in js:
            parts.append(a + fmt(js[key]))
    if b is not None:
        parts.append("bias")
    if js.get("layout") == "NHWC":
        parts.append("nhwc")
    return "-".join(parts)


def conv_case(group, fn, x, w, b, js, dtype, tag=None, error=False):
    nd = 2 if fn == "conv2d" else 1
    kw = conv_kwargs(js, nd)
    nhwc = js.get("layout") == "NHWC"
    opts = {}
    if b is not None:
        opts["bias"] = tensor(b)
    opts.update({k: jsval(v) for k, v in js.items()})
    xin = to_nhwc(x) if nhwc else x
    case = {"fn": fn, "args": [tensor(xin), tensor(w)], "opts": opts, "dtype": dtype}
    prefix = f"{fn}/{group}/{tag or conv_desc(nd, x, w, b, js)}/{dtype}"
    try:
        out = run_conv(nd, x, w, b, kw)
    except Exception as e:
        assert error, (prefix, err_text(e))
        case["error"] = err_text(e)
        return add(case, prefix)
    assert not error, prefix
    ref = ref_conv(nd, x, w, b, kw)
    assert ref.shape == out.shape and np.allclose(ref, out, rtol=1e-12, atol=1e-12, equal_nan=True), prefix
    s = run_conv(nd, absfin(x), absfin(w), absfin(b), kw)
    assert s.shape == out.shape and np.all(np.isfinite(s))
    if nhwc:
        out, s = to_nhwc(out), to_nhwc(s)
    case["expected"] = tensor(out)
    case["absSum"] = flat(s)
    return add(case, prefix)


def rand_conv(group, fn, dtype, k, js=None, batch="rand", cin_g=None, cout_g=None, bias="rand",
              hi=9, exact_size=False, x_fn=None):
    """A random conv case for the given kernel size and options (shapes chosen so it is valid)."""
    nd = 2 if fn == "conv2d" else 1
    js = dict(js or {})
    k = tup(k, nd)
    g = js.get("groups", 1)
    s = tup(js.get("stride", 1), nd)
    d = tup(js.get("dilation", 1), nd)
    mode = js.get("paddingMode", "zeros")
    pads = side_pads(js.get("padding", 0), k, d, nd)
    cin_g = cin_g if cin_g is not None else ri(1, 3 if g == 1 else 2)
    cout_g = cout_g if cout_g is not None else ri(1, 3 if g == 1 else 2)
    n = pick_batch() if batch == "rand" else batch
    if exact_size:
        sp = list(k)
    else:
        sp = [pick_size(k[i], s[i], d[i], pads[i][0], pads[i][1], mode, hi=hi) for i in range(nd)]
    xshape = ([] if n is None else [n]) + [cin_g * g] + sp
    x = data(xshape, dtype) if x_fn is None else x_fn(xshape)
    w = data([cout_g * g, cin_g] + list(k), dtype)
    use_bias = (rng.random() < 0.5) if bias == "rand" else bias
    b = data([cout_g * g], dtype) if use_bias else None
    return conv_case(group, fn, x, w, b, js, dtype)


# =============================================================== conv2d

def conv2d_examples():
    # 3x3 box sum over arange 4x4, padding 1: each output is the sum of its 3x3 neighbourhood
    x = np.arange(1, 17, dtype=np.float64).reshape(1, 1, 4, 4)
    w = np.ones((1, 1, 3, 3))
    c = conv_case("example", "conv2d", x, w, None, {"padding": 1}, "float64", tag="box3x3-arange4x4-p1")
    assert c["expected"]["data"][:4] == [14, 24, 30, 22], c["expected"]["data"][:4]
    # cross-correlation, not convolution: the kernel is not flipped
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    c = conv_case("example", "conv2d", x, w, None, {}, "float64", tag="corr-not-conv-k2x2")
    assert c["expected"]["data"][0] == 1 * 1 + 2 * 2 + 3 * 5 + 4 * 6
    # two output channels with bias, unbatched
    x = np.arange(1, 19, dtype=np.float64).reshape(2, 3, 3)
    w = np.zeros((2, 2, 1, 1))
    w[0, 0, 0, 0] = 1.0
    w[1, 1, 0, 0] = -1.0
    c = conv_case("example", "conv2d", x, w, np.array([0.5, 10.0]), {}, "float64", tag="channel-select-1x1-bias")
    assert c["expected"]["data"][0] == 1.5 and c["expected"]["data"][9] == 0.0


KERNELS_2D = [("1x1", (1, 1)), ("3x3", (3, 3)), ("2x2", (2, 2)), ("1x4", (1, 4)), ("5x1", (5, 1)),
              ("3x2", (3, 2)), ("4x5", (4, 5))]


def conv2d_basic():
    for _, k in KERNELS_2D:
        for batched in (True, False):
            for dtype in DTYPES:
                rand_conv("basic", "conv2d", dtype, k, {}, batch=(choice([1, 2, 3]) if batched else None))
    for k in ((3, 3), (2, 4), (1, 5), (6, 1)):
        for dtype in DTYPES:
            rand_conv("kernel-eq-input", "conv2d", dtype, k, {}, exact_size=True)


def conv2d_stride_padding():
    for stride in (2, 3, [2, 1], [1, 3], [3, 2]):
        for padding in (None, 1, [1, 2], "valid"):
            for dtype in DTYPES:
                js = {"stride": stride}
                if padding is not None:
                    js["padding"] = padding
                k = (ri(1, 4), ri(1, 4))
                rand_conv("stride-padding", "conv2d", dtype, k, js, hi=10)


def conv2d_same():
    for k in ((3, 3), (2, 2), (3, 4), (1, 4)):
        for dil in (None, 2, 3, [1, 2], [3, 1]):
            for dtype in DTYPES:
                js = {"padding": "same"}
                if dil is not None:
                    js["dilation"] = dil
                rand_conv("same", "conv2d", dtype, k, js)
    for dtype in DTYPES:
        rand_conv("same", "conv2d", dtype, (5, 5), {"padding": "same"}, hi=3)   # kernel larger than the input
        rand_conv("same", "conv2d", dtype, (3, 3), {"padding": "same", "stride": 1})
        rand_conv("valid", "conv2d", dtype, (2, 3), {"padding": "valid", "dilation": [2, 1]})


def conv2d_dilation():
    for dil in (2, 3, [2, 1], [1, 3]):
        for padding in (None, 1, [2, 1]):
            for dtype in DTYPES:
                js = {"dilation": dil}
                if padding is not None:
                    js["padding"] = padding
                k = (ri(2, 3), ri(1, 3))
                rand_conv("dilation", "conv2d", dtype, k, js, hi=11)


def random_small_opts(nd, allow_same=True):
    js = {}
    if rng.random() < 0.5:
        js["stride"] = choice([1, 2, [2, 1], [1, 2]] if nd == 2 else [1, 2, [2]])
    r = rng.random()
    if r < 0.3:
        js["padding"] = choice([1, [1, 0]] if nd == 2 else [1, [2]])
    elif r < 0.45 and allow_same and "stride" not in js:
        js["padding"] = "same"
    if rng.random() < 0.3:
        js["dilation"] = choice([2, [1, 2]] if nd == 2 else [2, [3]])
    return js


def conv2d_groups():
    kinds = [("g2", 2, None, None), ("g3", 3, None, None), ("depthwise", "C", 1, 1), ("depthwise-x2", "C", 1, 2)]
    for name, g, cin_g, cout_g in kinds:
        for rep in range(3):
            for dtype in DTYPES:
                js = random_small_opts(2)
                js["groups"] = ri(2, 6) if g == "C" else g
                k = (ri(1, 3), ri(1, 3))
                rand_conv("groups-" + name, "conv2d", dtype, k, js, cin_g=cin_g, cout_g=cout_g)


def conv2d_padding_modes():
    pads = [("int", 1), ("pair", [1, 2]), ("pair0", [2, 0]), ("same-odd", "same"), ("same-even", "same"),
            ("valid", "valid")]
    for mode in ("reflect", "replicate", "circular"):
        for i, (pname, padding) in enumerate(pads):
            for dtype in DTYPES:
                js = {"padding": padding, "paddingMode": mode}
                k = (3, 3) if pname == "same-odd" else (2, 4) if pname == "same-even" else (ri(1, 3), ri(1, 3))
                # alternate batched / unbatched so every mode sees both
                batch = None if (i + (dtype == "float64")) % 2 == 0 else choice([1, 2])
                rand_conv("paddingMode", "conv2d", dtype, k, js, batch=batch)
        for dtype in DTYPES:
            # with stride, dilation (same: asymmetric with an odd dilation) and groups
            rand_conv("paddingMode", "conv2d", dtype, (3, 2),
                      {"padding": [2, 1], "stride": [2, 1], "dilation": [1, 2], "groups": 2, "paddingMode": mode})
            rand_conv("paddingMode", "conv2d", dtype, (2, 2),
                      {"padding": "same", "dilation": [3, 1], "paddingMode": mode}, batch=None)
    for dtype in DTYPES:
        rand_conv("paddingMode", "conv2d", dtype, (3, 3), {"padding": 1, "paddingMode": "zeros"})
        rand_conv("paddingMode", "conv2d", dtype, (2, 3), {"padding": "same", "paddingMode": "zeros"})
    # large padding: up to the input size (reflect needs < size, circular allows == size)
    for dtype in DTYPES:
        x = data([1, 1, 3, 4], dtype)
        w = data([1, 1, 2, 2], dtype)
        conv_case("paddingMode", "conv2d", x, w, None, {"padding": [2, 3], "paddingMode": "reflect"}, dtype)
        conv_case("paddingMode", "conv2d", x, w, None, {"padding": [3, 4], "paddingMode": "circular"}, dtype)
        conv_case("paddingMode", "conv2d", x, w, None, {"padding": [5, 6], "paddingMode": "replicate"}, dtype)


def conv2d_nhwc():
    configs = [
        ({}, (3, 3), 2, None, None),
        ({"stride": 2, "padding": 1}, (3, 3), 1, None, None),
        ({"groups": 2, "stride": [2, 1]}, (2, 3), 2, 2, 1),
        ({"groups": 4, "padding": "same"}, (3, 3), 1, 1, 2),          # depthwise x2
        ({"padding": 1}, (3, 2), None, 3, 2),                           # unbatched
        ({"padding": [1, 2], "paddingMode": "replicate", "dilation": [1, 2]}, (2, 2), 2, 2, 3),
    ]
    for js, k, batch, cin_g, cout_g in configs:
        for dtype in DTYPES:
            js2 = dict(js, layout="NHWC")
            rand_conv("nhwc", "conv2d", dtype, k, js2, batch=batch, cin_g=cin_g, cout_g=cout_g, bias=(batch is None or
                      rng.random() < 0.5))


def conv2d_nonfinite():
    def with_vals(vals):
        def make(shape):
            x = data(shape, "float64", "round")
            fl = x.reshape(-1)
            for i, v in vals:
                fl[i % fl.size] = v
            return x
        return make
    rand_conv("nonfinite", "conv2d", "float64", (3, 3), {"padding": 1}, batch=1, cin_g=1, cout_g=1,
              x_fn=with_vals([(7, NAN)]))
    rand_conv("nonfinite", "conv2d", "float64", (2, 2), {}, batch=2, cin_g=2, cout_g=2,
              x_fn=with_vals([(0, INF), (13, -INF)]))
    # +Inf and -Inf in one window: NaN
    x = data([1, 1, 4, 4], "float64", "round")
    x[0, 0, 1, 1], x[0, 0, 1, 2] = INF, -INF
    conv_case("nonfinite", "conv2d", x, np.ones((1, 1, 2, 2)), None, {}, "float64", tag="inf-minus-inf")
    # Inf times a zero weight: NaN
    w = data([2, 1, 3, 3], "float64", "int")
    w[0, 0, 1, 1] = 0.0
    x = data([1, 4, 5], "float64", "round")
    x[0, 2, 2] = INF
    conv_case("nonfinite", "conv2d", x, w, data([2], "float64"), {"padding": 1}, "float64", tag="inf-times-zero")
    # NaN copied into the padding by reflect / circular
    for mode in ("reflect", "circular", "replicate"):
        rand_conv("nonfinite", "conv2d", "float64", (3, 3), {"padding": 1, "paddingMode": mode}, batch=1,
                  x_fn=with_vals([(0, NAN)]))


def conv2d_fuzz(count=16):
    for i in range(count):
        dtype = DTYPES[i % 2]
        js = {}
        g = choice([1, 1, 2, 3])
        if g > 1:
            js["groups"] = g
        if rng.random() < 0.6:
            js["stride"] = choice([1, 2, 3, [1, 2], [2, 3], [3, 1]])
        r = rng.random()
        if r < 0.5:
            js["padding"] = choice([0, 1, 2, [0, 1], [2, 1]])
        elif r < 0.65 and js.get("stride", 1) in (1, [1, 1]):
            js["padding"] = "same"
        elif r < 0.75:
            js["padding"] = "valid"
        if rng.random() < 0.4:
            js["dilation"] = choice([1, 2, [2, 1], [1, 3]])
        if rng.random() < 0.3 and js.get("padding") not in (None, 0, "valid"):
            js["paddingMode"] = choice(["reflect", "replicate", "circular"])
        k = (ri(1, 4), ri(1, 4))
        rand_conv("fuzz", "conv2d", dtype, k, js, hi=10)


# =============================================================== conv1d

def conv1d_all():
    for k in (1, 2, 3, 5):
        for dtype in DTYPES:
            rand_conv("basic", "conv1d", dtype, k, {}, hi=12)
    for dtype in DTYPES:
        rand_conv("kernel-eq-input", "conv1d", dtype, 4, {}, exact_size=True)
    for stride, padding in ((2, None), (3, 1), ([2], [2]), (2, "valid"), ([3], 0), (1, [1])):
        for dtype in DTYPES:
            js = {"stride": stride}
            if padding is not None:
                js["padding"] = padding
            rand_conv("stride-padding", "conv1d", dtype, ri(1, 4), js, hi=12)
    for k, dil in ((3, None), (2, None), (4, 3), (2, 2), (3, [2])):
        for dtype in DTYPES:
            js = {"padding": "same"}
            if dil is not None:
                js["dilation"] = dil
            rand_conv("same", "conv1d", dtype, k, js, hi=12)
    for dil in (2, [3]):
        for dtype in DTYPES:
            rand_conv("dilation", "conv1d", dtype, ri(2, 3), {"dilation": dil, "padding": 1}, hi=12)
    for name, g, cin_g, cout_g in (("g2", 2, None, None), ("g3", 3, None, None), ("depthwise", "C", 1, 1),
                                   ("depthwise-x2", "C", 1, 2)):
        for dtype in DTYPES:
            js = random_small_opts(1)
            js["groups"] = ri(2, 6) if g == "C" else g
            rand_conv("groups-" + name, "conv1d", dtype, ri(1, 3), js, cin_g=cin_g, cout_g=cout_g, hi=12)
    for mode in ("reflect", "replicate", "circular"):
        for i, padding in enumerate((2, [1], "same")):
            dtype = DTYPES[i % 2]
            k = 4 if padding == "same" else ri(1, 3)
            rand_conv("paddingMode", "conv1d", dtype, k, {"padding": padding, "paddingMode": mode},
                      batch=None if i != 1 else 2, hi=12)
    x = np.round(rng.standard_normal((1, 2, 8)), 2)
    x[0, 1, 3] = NAN
    x[0, 0, 6] = INF
    conv_case("nonfinite", "conv1d", x, data([2, 2, 3], "float64"), None, {"padding": 1}, "float64")


# =============================================================== convTranspose2d

def convT_out(n, k, s, p, op, d):
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


def convT_case(group, x, w, b, js, dtype, tag=None, error=False):
    kw = {"stride": tval(js.get("stride", 1)), "padding": tval(js.get("padding", 0)),
          "output_padding": tval(js.get("outputPadding", 0)), "groups": js.get("groups", 1),
          "dilation": tval(js.get("dilation", 1))}
    opts = {}
    if b is not None:
        opts["bias"] = tensor(b)
    opts.update({k: jsval(v) for k, v in js.items()})
    case = {"fn": "convTranspose2d", "args": [tensor(x), tensor(w)], "opts": opts, "dtype": dtype}
    if tag is None:
        parts = ["unbatched" if np.ndim(x) == 3 else f"n{np.shape(x)[0]}", "k" + fmt(np.shape(w)[2:])]
        for key, a in (("stride", "s"), ("padding", "p"), ("outputPadding", "op"), ("dilation", "d"), ("groups", "g")):
            if key in js:
                parts.append(a + fmt(js[key]))
        if b is not None:
            parts.append("bias")
        tag = "-".join(parts)
    prefix = f"convTranspose2d/{group}/{tag}/{dtype}"

    def run(x_, w_, b_):
        with torch.no_grad():
            return npy(F.conv_transpose2d(T(x_), T(w_), T(b_), **kw))
    try:
        out = run(x, w, b)
    except Exception as e:
        assert error, (prefix, err_text(e))
        case["error"] = err_text(e)
        return add(case, prefix)
    assert not error, prefix
    s = run(absfin(x), absfin(w), absfin(b))
    case["expected"] = tensor(out)
    case["absSum"] = flat(s)
    return add(case, prefix)


def rand_convT(group, dtype, k, js, batch="rand", cin_g=None, cout_g=None, bias="rand", hi=6):
    js = dict(js)
    k = tup(k, 2)
    g = js.get("groups", 1)
    s = tup(js.get("stride", 1), 2)
    p = tup(js.get("padding", 0), 2)
    op = tup(js.get("outputPadding", 0), 2)
    d = tup(js.get("dilation", 1), 2)
    sp = []
    for i in range(2):
        good = [n for n in range(1, hi + 1) if convT_out(n, k[i], s[i], p[i], op[i], d[i]) >= 1]
        sp.append(choice(good))
    cin_g = cin_g if cin_g is not None else ri(1, 3 if g == 1 else 2)
    cout_g = cout_g if cout_g is not None else ri(1, 3 if g == 1 else 2)
    n = pick_batch() if batch == "rand" else batch
    x = data(([] if n is None else [n]) + [cin_g * g] + sp, dtype)
    w = data([cin_g * g, cout_g] + list(k), dtype)
    use_bias = (rng.random() < 0.5) if bias == "rand" else bias
    b = data([cout_g * g], dtype) if use_bias else None
    return convT_case(group, x, w, b, js, dtype)


def conv_transpose2d_all():
    for dtype in DTYPES:
        x = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
        c = convT_case("example", x, np.ones((1, 1, 2, 2)), None, {"stride": 2}, dtype, tag="scatter-s2-k2x2")
        assert c["expected"]["data"][:4] == [1, 1, 2, 2]
    for k in ((1, 1), (3, 3), (2, 3)):
        for dtype in DTYPES:
            rand_convT("basic", dtype, k, {}, batch=choice([None, 1, 2]))
    for stride in (1, 2, 3, [2, 1], [1, 3]):
        for padding in (None, 1, [1, 2]):
            for dtype in DTYPES:
                js = {"stride": stride}
                if padding is not None:
                    js["padding"] = padding
                rand_convT("stride-padding", dtype, (ri(1, 4), ri(2, 4)), js)
    op_cfgs = [({"stride": 2, "outputPadding": 1}, (3, 3)),
               ({"stride": 3, "outputPadding": [2, 1], "padding": 1}, (3, 2)),
               ({"stride": [2, 3], "outputPadding": [1, 2]}, (2, 2)),
               ({"stride": 1, "dilation": 2, "outputPadding": 1}, (2, 3)),           # op < dilation only
               ({"stride": 2, "dilation": 3, "outputPadding": 2, "padding": [1, 0]}, (2, 2)),
               ({"stride": [1, 2], "dilation": [2, 1], "outputPadding": [1, 1]}, (3, 2))]
    for js, k in op_cfgs:
        for dtype in DTYPES:
            rand_convT("outputPadding", dtype, k, js)
    for name, g, cin_g, cout_g in (("g2", 2, None, None), ("g3", 3, None, None), ("depthwise", "C", 1, 1),
                                   ("depthwise-x2", "C", 1, 2)):
        for rep in range(3):
            for dtype in DTYPES[rep % 2:rep % 2 + 1]:
                js = {"groups": ri(2, 5) if g == "C" else g}
                if rng.random() < 0.6:
                    js["stride"] = choice([2, [1, 2], 3])
                if rng.random() < 0.4:
                    js["padding"] = choice([1, [0, 1]])
                rand_convT("groups-" + name, dtype, (ri(1, 3), ri(1, 3)), js, cin_g=cin_g, cout_g=cout_g)
    for dil in (2, [1, 2], 3):
        for dtype in DTYPES:
            rand_convT("dilation", dtype, (ri(2, 3), ri(2, 3)), {"dilation": dil, "padding": choice([0, 1])})
    for i in range(4):
        dtype = DTYPES[i % 2]
        js = {}
        s = choice([1, 2, 3, [2, 1]])
        if s != 1:
            js["stride"] = s
        if rng.random() < 0.5:
            js["padding"] = choice([1, 2, [1, 0]])
        if rng.random() < 0.4:
            js["dilation"] = choice([2, [1, 2]])
        if rng.random() < 0.5:
            st, dl = tup(js.get("stride", 1), 2), tup(js.get("dilation", 1), 2)
            js["outputPadding"] = [ri(0, max(st[j], dl[j]) - 1) for j in range(2)]
        if rng.random() < 0.4:
            js["groups"] = 2
        rand_convT("fuzz", dtype, (ri(1, 4), ri(1, 4)), js)


# =============================================================== pools

def pool_out(n, k, s, p, d, ceil):
    num_ = n + 2 * p - d * (k - 1) - 1
    o = (-(-num_ // s) if ceil else num_ // s) + 1
    if ceil and (o - 1) * s >= n + p:
        o -= 1
    return o


def pool_case(fn, group, x, js, dtype, tag=None, error=False):
    opts = {k: jsval(v) for k, v in js.items()}
    case = {"fn": fn, "args": [tensor(x)], "opts": opts, "dtype": dtype}
    if tag is None:
        parts = ["unbatched" if np.ndim(x) == 3 else f"n{np.shape(x)[0]}", f"in{fmt(np.shape(x)[-2:])}"]
        for key, a in (("kernelSize", "k"), ("stride", "s"), ("padding", "p"), ("dilation", "d"),
                       ("ceilMode", "ceil"), ("countIncludePad", "cip"), ("returnIndices", "idx"),
                       ("divisorOverride", "div")):
            if key in js:
                parts.append(a + fmt(js[key]))
        tag = "-".join(parts)
    prefix = f"{fn}/{group}/{tag}/{dtype}"
    if fn == "maxPool2d":
        kw = {"kernel_size": tval(js["kernelSize"]), "stride": tval(js.get("stride")),
              "padding": tval(js.get("padding", 0)), "dilation": tval(js.get("dilation", 1)),
              "ceil_mode": js.get("ceilMode", False), "return_indices": js.get("returnIndices", False)}
        op = F.max_pool2d
    else:
        kw = {"kernel_size": tval(js["kernelSize"]), "stride": tval(js.get("stride")),
              "padding": tval(js.get("padding", 0)), "ceil_mode": js.get("ceilMode", False),
              "count_include_pad": js.get("countIncludePad", True)}
        if "divisorOverride" in js:
            kw["divisor_override"] = js["divisorOverride"]
        op = F.avg_pool2d

    indices = None

    def run(x_):
        nonlocal indices
        with torch.no_grad():
            y = op(T(x_), **kw)
        if kw.get("return_indices"):
            y, idx = y
            indices = [int(i) for i in idx.reshape(-1).tolist()]
        return npy(y)
    try:
        out = run(x)
    except Exception as e:
        assert error, (prefix, err_text(e))
        case["error"] = err_text(e)
        return add(case, prefix)
    assert not error, prefix
    # the output size formula (with ceil mode's "last window must start inside" rule)
    k, s = tup(js["kernelSize"], 2), tup(js.get("stride", js["kernelSize"]), 2)
    p, d = tup(js.get("padding", 0), 2), tup(js.get("dilation", 1), 2)
    for i in range(2):
        assert out.shape[-2 + i] == pool_out(np.shape(x)[-2 + i], k[i], s[i], p[i], d[i], js.get("ceilMode", False)), prefix
    case["expected"] = tensor(out)
    if indices is not None:
        case["indices"] = indices
    if fn == "avgPool2d":
        case["absSum"] = flat(run(absfin(x)))
    return add(case, prefix)


def rand_pool(fn, group, dtype, js, batch="rand", hi=9, x_fn=None):
    k, s = tup(js["kernelSize"], 2), tup(js.get("stride", js["kernelSize"]), 2)
    p, d = tup(js.get("padding", 0), 2), tup(js.get("dilation", 1), 2)
    sp = []
    for i in range(2):
        good = [n for n in range(1, hi + 1) if pool_out(n, k[i], s[i], p[i], d[i], js.get("ceilMode", False)) >= 1
                and n + 2 * p[i] >= d[i] * (k[i] - 1) + 1]
        sp.append(choice(good))
    n = pick_batch() if batch == "rand" else batch
    shape = ([] if n is None else [n]) + [ri(1, 3)] + sp
    x = data(shape, dtype) if x_fn is None else x_fn(shape)
    return pool_case(fn, group, x, js, dtype)


POOL_CFGS = [
    {"kernelSize": 2},
    {"kernelSize": 3},
    {"kernelSize": [2, 3]},
    {"kernelSize": 1},
    {"kernelSize": 3, "stride": 1},
    {"kernelSize": 3, "stride": 2},
    {"kernelSize": [3, 2], "stride": [1, 2]},
    {"kernelSize": 2, "stride": [2, 1]},
    {"kernelSize": 3, "stride": 2, "padding": 1},
    {"kernelSize": [4, 3], "padding": [2, 1]},
    {"kernelSize": 2, "padding": 1, "stride": 1},
    {"kernelSize": 3, "ceilMode": True},
    {"kernelSize": 2, "stride": 2, "ceilMode": True},
    {"kernelSize": [3, 2], "stride": [2, 3], "padding": [1, 1], "ceilMode": True},
    {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": False},
]
MAX_EXTRA = [
    {"kernelSize": 2, "dilation": 2},
    {"kernelSize": 3, "dilation": [1, 2], "padding": 1},
    {"kernelSize": [2, 3], "stride": 1, "dilation": [2, 1], "ceilMode": True},
    {"kernelSize": 3, "stride": 2, "padding": 1, "dilation": 2, "ceilMode": True},
]
AVG_EXTRA = [
    {"kernelSize": 3, "stride": 2, "padding": 1, "countIncludePad": False},
    {"kernelSize": [2, 3], "padding": [1, 1], "countIncludePad": True},
    {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False},
    {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": True},
    {"kernelSize": [3, 2], "stride": 1, "padding": [1, 0], "countIncludePad": False},
]


def pools_all():
    for fn, extra in (("maxPool2d", MAX_EXTRA), ("avgPool2d", AVG_EXTRA)):
        for js in POOL_CFGS + extra:
            for dtype in DTYPES:
                rand_pool(fn, "random", dtype, js)
        # ceil mode: the extra window starts inside the input (kept) / in the right padding (dropped)
        # (input n x n+1; "kept" = ceil mode adds a window, "dropped" = it would start in the right padding)
        for ceil_js, n in (({"kernelSize": 2, "stride": 2, "ceilMode": True}, 5),             # rows 3 kept
                           ({"kernelSize": 2, "stride": 2, "padding": 1, "ceilMode": True}, 5),  # rows: 4th dropped
                           ({"kernelSize": 3, "stride": 3, "padding": 1, "ceilMode": True}, 7),  # cols: 4th dropped
                           ({"kernelSize": [2, 3], "stride": [2, 3], "padding": [1, 1], "ceilMode": True}, 5)):
            for variant in ([{}] if fn == "maxPool2d" else [{"countIncludePad": True}, {"countIncludePad": False}]):
                js = dict(ceil_js, **variant)
                x = data([1, 2, n, n + 1], "float64")
                pool_case(fn, "ceil-edge", x, js, "float64")
        x = np.arange(1, 26, dtype=np.float64).reshape(1, 1, 5, 5)
        pool_case(fn, "example", x, {"kernelSize": 2, "stride": 2, "padding": 1, "ceilMode": True}, "float64",
                  tag="arange5x5-k2-s2-p1-ceil")
    # non-finite values in max pool: -Inf and NaN (NaN propagates)
    for vals in ([(0, -INF)], [(5, NAN)], [(0, -INF), (1, -INF), (6, -INF), (7, -INF)], [(3, INF), (4, NAN)]):
        def make(shape, vals=vals):
            x = data(shape, "float64", "round")
            fl = x.reshape(-1)
            for i, v in vals:
                fl[i % fl.size] = v
            return x
        rand_pool("maxPool2d", "nonfinite", "float64", {"kernelSize": 2, "stride": 2, "padding": 1}, batch=1,
                  x_fn=make)
    x = np.full((1, 1, 3, 3), -INF)
    pool_case("maxPool2d", "nonfinite", x, {"kernelSize": 2, "padding": 1}, "float64", tag="all-neg-inf")

    x = data([1, 1, 4, 4], "float64", "round")
    x[0, 0, 1, 1] = NAN
    pool_case("avgPool2d", "nonfinite", x, {"kernelSize": 2, "stride": 1}, "float64", tag="nan")


def pools_indices_divisor():
    """max_pool2d's return_indices and avg_pool2d's divisor_override (generated last: the random
    stream of the cases before them stays as it was)."""
    # torch's return_indices: flat positions in each input plane (ties keep the first maximum)
    for js in ({"kernelSize": 2, "returnIndices": True},
               {"kernelSize": 3, "stride": 2, "padding": 1, "returnIndices": True},
               {"kernelSize": [2, 3], "stride": 1, "dilation": [2, 1], "ceilMode": True, "returnIndices": True},
               {"kernelSize": 3, "stride": 2, "padding": 1, "dilation": 2, "ceilMode": True, "returnIndices": True}):
        for dtype in DTYPES:
            rand_pool("maxPool2d", "indices", dtype, js)
            rand_pool("maxPool2d", "indices-ties", dtype, js, x_fn=lambda shape: np.floor(data(shape, "float64") * 2) / 2)
    pool_case("maxPool2d", "indices", np.full((1, 1, 3, 3), -INF), {"kernelSize": 2, "padding": 1, "returnIndices": True},
              "float64", tag="all-neg-inf-idx")
    x = data([1, 2, 4, 4], "float64", "round")
    x[0, 0, 1, 2] = NAN
    pool_case("maxPool2d", "indices", x, {"kernelSize": 2, "stride": 1, "returnIndices": True}, "float64", tag="nan-idx")
    # torch's divisor_override: every window's sum over the given integer
    for js in ({"kernelSize": 3, "divisorOverride": 2},
               {"kernelSize": [2, 3], "padding": [1, 1], "divisorOverride": 5},
               {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False, "divisorOverride": 3},
               {"kernelSize": 2, "divisorOverride": -4}):
        for dtype in DTYPES:
            rand_pool("avgPool2d", "divisor", dtype, js)
    pool_case("avgPool2d", "divisor", data([1, 1, 4, 4], "float64"), {"kernelSize": 2, "divisorOverride": 0}, "float64",
              tag="div0", error=True)


# =============================================================== conv2dBackward

def backward_case(group, x, w, bias, js, dtype):
    kw = {"stride": tval(js.get("stride", 1)), "padding": tval(js.get("padding", 0)),
          "dilation": tval(js.get("dilation", 1)), "groups": js.get("groups", 1)}
    outc = np.shape(w)[0]
    with torch.no_grad():
        oshape = F.conv2d(T(x), T(w), None, **kw).shape
    go = data(oshape, dtype)

    def run(go_, x_, w_):
        xt = T(x_).requires_grad_(True)
        wt = T(w_).requires_grad_(True)
        bt = torch.zeros(outc, dtype=torch.float64, requires_grad=True) if bias else None
        out = F.conv2d(xt, wt, bt, **kw)
        out.backward(T(go_))
        return npy(xt.grad), npy(wt.grad), (npy(bt.grad) if bias else None)
    gi, gw, gb = run(go, x, w)
    si, sw, sb = run(np.abs(go), np.abs(x), np.abs(w))
    opts = {k: jsval(v) for k, v in js.items()}
    opts["bias"] = bool(bias)
    parts = ["unbatched" if np.ndim(x) == 3 else f"n{np.shape(x)[0]}", "k" + fmt(np.shape(w)[2:])]
    for key, a in (("stride", "s"), ("padding", "p"), ("dilation", "d"), ("groups", "g")):
        if key in js:
            parts.append(a + fmt(js[key]))
    if bias:
        parts.append("bias")
    case = {"fn": "conv2dBackward", "args": [tensor(go), tensor(x), tensor(w)], "opts": opts, "dtype": dtype,
            "expected": {"gradInput": tensor(gi), "gradWeight": tensor(gw),
                         "gradBias": tensor(gb) if bias else None},
            "absSum": {"gradInput": flat(si), "gradWeight": flat(sw), "gradBias": flat(sb) if bias else None}}
    return add(case, f"conv2dBackward/{group}/{'-'.join(parts)}/{dtype}")


def rand_backward(group, dtype, k, js, batch="rand", cin_g=None, cout_g=None, bias="rand"):
    k = tup(k, 2)
    g = js.get("groups", 1)
    s, d = tup(js.get("stride", 1), 2), tup(js.get("dilation", 1), 2)
    p = tup(js.get("padding", 0), 2)
    sp = [pick_size(k[i], s[i], d[i], p[i], p[i], hi=8) for i in range(2)]
    cin_g = cin_g if cin_g is not None else ri(1, 3 if g == 1 else 2)
    cout_g = cout_g if cout_g is not None else ri(1, 3 if g == 1 else 2)
    n = (choice([1, 2, 2, 3]) if rng.random() < 0.85 else None) if batch == "rand" else batch
    x = data(([] if n is None else [n]) + [cin_g * g] + sp, dtype)
    w = data([cout_g * g, cin_g] + list(k), dtype)
    use_bias = (rng.random() < 0.5) if bias == "rand" else bias
    return backward_case(group, x, w, use_bias, js, dtype)


def backward_all():
    cfgs = [
        ({}, (3, 3)),
        ({}, (1, 1)),
        ({"padding": 1}, (3, 3)),
        ({"padding": [1, 2]}, (2, 3)),
        ({"stride": 2}, (3, 3)),
        ({"stride": 2, "padding": 1}, (3, 3)),
        ({"stride": [2, 1], "padding": [0, 1]}, (2, 2)),
        ({"stride": 3}, (2, 2)),                     # stride > kernel: some inputs get no gradient
        ({"stride": [1, 3], "padding": 2}, (3, 2)),
        ({"dilation": 2}, (2, 2)),
        ({"dilation": [1, 2], "padding": 1}, (3, 3)),
        ({"dilation": 2, "stride": 2, "padding": 1}, (3, 2)),
        ({"groups": 2}, (3, 3)),
        ({"groups": 3, "stride": 2}, (2, 2)),
        ({"groups": 2, "padding": [1, 0], "dilation": [2, 1]}, (2, 3)),
        ({"groups": "C"}, (3, 3)),                    # depthwise
        ({"groups": "C", "stride": 2, "padding": 1}, (3, 3)),
        ({"groups": "C2"}, (2, 2)),                   # depthwise x2
        ({"groups": "C2", "dilation": 2, "padding": 2}, (3, 3)),
        ({"padding": 3}, (2, 2)),                     # padding larger than the kernel
        ({"stride": 2, "padding": [2, 1], "dilation": [2, 3], "groups": 2}, (2, 2)),
        ({"padding": 0}, (4, 4)),
        ({"stride": [3, 2]}, (1, 3)),
        ({"stride": 2, "groups": 2}, (1, 1)),
    ]
    for js, k in cfgs:
        for dtype in DTYPES:
            js2 = dict(js)
            cin_g = cout_g = None
            if js.get("groups") in ("C", "C2"):
                cout_g = 1 if js["groups"] == "C" else 2
                cin_g = 1
                js2["groups"] = ri(2, 5)
            rand_backward("random", dtype, k, js2, cin_g=cin_g, cout_g=cout_g)
    for dtype in DTYPES:
        rand_backward("bias", dtype, (3, 3), {"padding": 1, "stride": 2}, batch=3, bias=True)
        rand_backward("bias", dtype, (2, 2), {}, batch=None, bias=True)


# =============================================================== errors

def errors():
    e = "float64"
    x = data([1, 2, 5, 5], e)
    w = data([3, 2, 3, 3], e)
    conv_case("error", "conv2d", x, w, None, {"padding": "same", "stride": 2}, e, tag="same-stride2", error=True)
    conv_case("error", "conv2d", x, w, None, {"padding": "same", "stride": [1, 2]}, e, tag="same-stride1x2", error=True)
    conv_case("error", "conv2d", x, w, None, {"padding": "same", "stride": 2, "paddingMode": "reflect"}, e,
              tag="same-stride2-reflect", error=True)
    conv_case("error", "conv2d", x, data([3, 3, 3, 3], e), None, {}, e, tag="weight-inC-mismatch", error=True)
    conv_case("error", "conv2d", x, data([4, 2, 3, 3], e), None, {"groups": 2}, e, tag="weight-inC-times-groups",
              error=True)
    conv_case("error", "conv2d", data([1, 3, 4, 4], e), data([2, 1, 3, 3], e), None, {"groups": 2}, e,
              tag="input-C-not-divisible-by-groups", error=True)
    conv_case("error", "conv2d", data([1, 4, 4, 4], e), data([3, 2, 3, 3], e), None, {"groups": 2}, e,
              tag="outC-not-divisible-by-groups", error=True)
    conv_case("error", "conv2d", data([5, 5], e), w[:1, :1], None, {}, e, tag="input-2d", error=True)
    conv_case("error", "conv2d", data([1, 1, 2, 5, 5], e), w, None, {}, e, tag="input-5d", error=True)
    conv_case("error", "conv2d", data([1, 2, 2, 5], e), w, None, {}, e, tag="kernel-larger-than-input", error=True)
    conv_case("error", "conv2d", data([1, 2, 4, 4], e), w, None, {"padding": 1, "dilation": 3}, e,
              tag="dilated-kernel-larger-than-padded-input", error=True)
    conv_case("error", "conv2d", x, w, None, {"stride": 0}, e, tag="stride0", error=True)
    conv_case("error", "conv2d", x, w, None, {"stride": [1, -1]}, e, tag="stride-negative", error=True)
    conv_case("error", "conv2d", x, w, None, {"padding": -1}, e, tag="padding-negative", error=True)
    conv_case("error", "conv2d", x, w, None, {"padding": [0, -1]}, e, tag="padding-pair-negative", error=True)
    conv_case("error", "conv2d", x, w, None, {"dilation": 0}, e, tag="dilation0", error=True)
    conv_case("error", "conv2d", x, w, None, {"groups": 0}, e, tag="groups0", error=True)
    conv_case("error", "conv2d", x, w, None, {"padding": "full"}, e, tag="padding-full", error=True)
    conv_case("error", "conv2d", x, w, None, {"paddingMode": "wrap", "padding": 1}, e, tag="paddingMode-wrap",
              error=True)
    conv_case("error", "conv2d", x, w, data([2], e), {}, e, tag="bias-wrong-length", error=True)
    conv_case("error", "conv2d", data([1, 2, 3, 4], e), w, None, {"padding": [3, 1], "paddingMode": "reflect"}, e,
              tag="reflect-padding-ge-input", error=True)
    conv_case("error", "conv2d", data([2, 3, 3], e), data([1, 2, 2, 2], e), None,
              {"padding": [1, 4], "paddingMode": "reflect"}, e, tag="reflect-padding-ge-input-unbatched", error=True)
    conv_case("error", "conv2d", data([1, 2, 3, 4], e), w, None, {"padding": [4, 1], "paddingMode": "circular"}, e,
              tag="circular-padding-gt-input", error=True)
    # conv1d
    x1 = data([1, 2, 6], e)
    w1 = data([3, 2, 3], e)
    conv_case("error", "conv1d", x1, w1, None, {"padding": "same", "stride": 2}, e, tag="same-stride2", error=True)
    conv_case("error", "conv1d", data([6], e), w1[:1, :1], None, {}, e, tag="input-1d", error=True)
    conv_case("error", "conv1d", data([1, 2, 2], e), w1, None, {}, e, tag="kernel-larger-than-input", error=True)
    conv_case("error", "conv1d", x1, w1, None, {"padding": "full"}, e, tag="padding-full", error=True)
    conv_case("error", "conv1d", x1, data([3, 1, 3], e), None, {}, e, tag="weight-inC-mismatch", error=True)
    conv_case("error", "conv1d", x1, w1, None, {"padding": [6], "paddingMode": "reflect"}, e,
              tag="reflect-padding-ge-input", error=True)
    # convTranspose2d
    xt = data([1, 2, 4, 4], e)
    wt = data([2, 3, 3, 3], e)
    convT_case("error", xt, wt, None, {"stride": 2, "outputPadding": 2}, e, tag="outputPadding-eq-stride", error=True)
    convT_case("error", xt, wt, None, {"outputPadding": 1}, e, tag="outputPadding-stride1-dilation1", error=True)
    convT_case("error", xt, wt, None, {"dilation": 2, "outputPadding": [0, 2], "stride": [3, 1]}, e,
               tag="outputPadding-ge-stride-and-dilation", error=True)
    convT_case("error", xt, wt, None, {"padding": 4}, e, tag="output-size-too-small", error=True)
    convT_case("error", xt, data([3, 3, 3, 3], e), None, {}, e, tag="weight-inC-mismatch", error=True)
    convT_case("error", data([1, 3, 4, 4], e), data([3, 2, 3, 3], e), None, {"groups": 2}, e,
               tag="inC-not-divisible-by-groups", error=True)
    convT_case("error", xt, wt, data([2], e), {}, e, tag="bias-wrong-length", error=True)
    convT_case("error", data([4, 4], e), wt, None, {}, e, tag="input-2d", error=True)
    convT_case("error", xt, wt, None, {"stride": 0}, e, tag="stride0", error=True)
    convT_case("error", xt, wt, None, {"padding": "same"}, e, tag="padding-same", error=True)
    # pools
    xp = data([1, 2, 5, 5], e)
    for fn in ("maxPool2d", "avgPool2d"):
        pool_case(fn, "error", xp, {"kernelSize": 3, "padding": 2}, e, tag="padding-gt-half-kernel", error=True)
        pool_case(fn, "error", xp, {"kernelSize": [2, 3], "padding": [1, 2]}, e, tag="padding-pair-gt-half-kernel",
                  error=True)
        pool_case(fn, "error", xp, {"kernelSize": 6}, e, tag="output-size-lt-1", error=True)
        pool_case(fn, "error", xp, {"kernelSize": 2, "stride": 0}, e, tag="stride0", error=True)
        pool_case(fn, "error", data([5, 5], e), {"kernelSize": 2}, e, tag="input-2d", error=True)
    pool_case("maxPool2d", "error", xp, {"kernelSize": 2, "dilation": 0}, e, tag="dilation0", error=True)
    pool_case("maxPool2d", "error", xp, {"kernelSize": 3, "dilation": 3}, e, tag="dilated-window-gt-input",
              error=True)


# =============================================================== main

def main():
    conv2d_examples()
    conv2d_basic()
    conv2d_stride_padding()
    conv2d_same()
    conv2d_dilation()
    conv2d_groups()
    conv2d_padding_modes()
    conv2d_nhwc()
    conv2d_nonfinite()
    conv2d_fuzz()
    conv1d_all()
    conv_transpose2d_all()
    pools_all()
    backward_all()
    errors()
    pools_indices_divisor()

    head = {"generator": "scripts/gen_torch_fixtures.py", "torch": torch.__version__, "numpy": np.__version__,
            "seed": SEED}
    text = write(OUT, head, cases)

    # summary
    print(f"wrote {OUT}: {len(cases)} cases, {len(text.encode())} bytes")
    cnt = Counter((c["fn"], c["dtype"], "error" if "error" in c else "ok") for c in cases)
    by_fn = Counter(c["fn"] for c in cases)
    print(f"{'fn':16} {'dtype':8} {'kind':6} count")
    for k in sorted(cnt):
        print(f"{k[0]:16} {k[1]:8} {k[2]:6} {cnt[k]}")
    print("by fn:", dict(sorted(by_fn.items())))
    nhwc = sum(1 for c in cases if c["opts"].get("layout") == "NHWC")
    modes = Counter(c["opts"].get("paddingMode") for c in cases if c["fn"] in ("conv2d", "conv1d") and "error" not in c)
    print(f"NHWC cases: {nhwc}; paddingMode: {dict(sorted((str(k), v) for k, v in modes.items()))}")
    errs = Counter((c["fn"], c["error"]) for c in cases if "error" in c)
    print("errors:")
    for (fn, msg), n in sorted(errs.items()):
        print(f"  {fn}: {msg!r} x{n}")


if __name__ == "__main__":
    main()
