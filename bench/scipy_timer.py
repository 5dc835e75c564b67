#!/usr/bin/env python3
"""Times scipy.signal functions for bench/fft.bench.mjs, on the arrays the bench writes, one
request per line on stdin: `fn mode reps in1.bin h1 w1 in2.bin h2 w2` (float32, C order, h = 1
for 1-D). Answers one line per request: the median milliseconds of reps calls, after a warm-up.
The first line it prints is the scipy and numpy versions."""
import sys
import time

import numpy as np
import scipy
import scipy.signal as sig

print(f"scipy {scipy.__version__}, numpy {np.__version__}", flush=True)


def load(path, h, w):
    a = np.fromfile(path, dtype=np.float32)
    return a.reshape(h, w) if h > 1 else a


for line in sys.stdin:
    fn, mode, reps, p1, h1, w1, p2, h2, w2 = line.split()
    a = load(p1, int(h1), int(w1))
    b = load(p2, int(h2), int(w2))
    f = getattr(sig, fn)
    f(a, b, mode=mode)
    times = []
    for _ in range(int(reps)):
        t0 = time.perf_counter()
        f(a, b, mode=mode)
        times.append((time.perf_counter() - t0) * 1e3)
    print(f"{sorted(times)[len(times) // 2]:.4f}", flush=True)
