"""JSON encoding shared by the fixture generators (gen_scipy_fixtures.py, gen_torch_fixtures.py,
gen_opencv_fixtures.py): numbers, tensors, and the file layout - one case per line - that keeps
a regenerated fixture file byte-identical and its diffs readable.

Numbers are JSON numbers; NaN / +Inf / -Inf are the strings "NaN", "Infinity", "-Infinity";
integral values are written without a fractional part (so -0.0 is written as 0).
"""
import json
import math
import os
from collections import Counter

import numpy as np


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v.is_integer() and abs(v) < 2 ** 53:
        return int(v)
    return v


def flat(a):
    return [num(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def tensor(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": [int(s) for s in a.shape], "data": flat(a)}


def finite0(a):
    """A float64 copy with NaN and infinities replaced by 0 (for absSum tolerance scales)."""
    a = np.array(a, dtype=np.float64)
    a[~np.isfinite(a)] = 0.0
    return a


def write(path, head, cases):
    """Writes {head..., "cases": [...]} with one case per line; returns the text written."""
    lines = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases]
    text = json.dumps(head, separators=(",", ":"))[:-1] + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n"
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return text


def numbered(cases):
    """An `add(case, prefix)` that appends to `cases` with the id prefix + "/r<n>", n counting
    the cases with that prefix, and refuses a repeated id."""
    counts = Counter()
    ids = set()

    def add(case, prefix):
        cid = f"{prefix}/r{counts[prefix]}"
        counts[prefix] += 1
        assert cid not in ids, cid
        ids.add(cid)
        case = {"id": cid, **case}
        cases.append(case)
        return case

    return add
