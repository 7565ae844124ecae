#!/bin/sh
# bench_filters.sh: the pre-processing filters' kernels (test/bench/
# bench_filters) beside their peers on the same frames, one core each, in
# frames per second: FresnelFilter beside algotom 1.7.0's fresnel_filter
# (the authors' code), the median filters beside scipy.ndimage's
# median_filter, PaganinFilter beside Savu's own steps in numpy (Savu's
# plugin is numpy: pad, fft2, divide, ifft2, log), CcpiRingArtefactFilter
# alone (the CCPi library has no PyPI build), DownsampleFilter beside
# skimage's block_reduce, Convert360180Sinogram beside algotom's
# convert_sinogram_360_to_180. Usage, from the build folder:
#   test/bench/bench_filters.sh [ROWS COLS FRAMES]   (default 1080 2560 3)
# The frames: a smooth transmission profile with 5% noise.
set -e
rows=${1:-1080} cols=${2:-2560} frames=${3:-3}
ref=${REF_PYTHON:-.venv-ref/bin/python3}
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 NUMBA_NUM_THREADS=1 MKL_NUM_THREADS=1
"$ref" - "$tmp/frames.f32" "$rows" "$cols" "$frames" <<'PYEOF'
import sys, numpy as np
path, rows, cols, frames = sys.argv[1], *map(int, sys.argv[2:])
rng = np.random.default_rng(0)
x = np.linspace(-1, 1, cols)
f = 0.9 - 0.4 * np.exp(-4 * x**2)[None, None, :] * np.ones((frames, rows, 1))
f *= 1 + 0.05 * rng.standard_normal((frames, rows, cols))
f.astype(np.float32).tofile(path)
PYEOF
test/bench/bench_filters "$tmp/frames.f32" "$rows" "$cols" "$frames" >"$tmp/ours"
"$ref" - "$tmp/frames.f32" "$rows" "$cols" "$frames" "$tmp/ours" <<'PYEOF'
import sys, math, time, numpy as np, scipy.ndimage as ndi
from algotom.prep.filtering import fresnel_filter
from algotom.prep.conversion import convert_sinogram_360_to_180
from skimage.measure import block_reduce
path, rows, cols, frames, ours = sys.argv[1], *map(int, sys.argv[2:5]), sys.argv[5]
s = np.fromfile(path, np.float32).reshape(frames, rows, cols)
pad = min(150, int(0.1 * cols))
def savu_paganin(frame, ratio=250.0, energy=53e3, distance=1.0, pixel=1.28e-6):
    p = np.pad(frame, 100, "edge")
    p[p == 0] = 1.0
    h, w = p.shape
    u = (np.arange(w) - (math.ceil(w / 2) - 1)) / (w * pixel)
    v = (np.arange(h) - (math.ceil(h / 2) - 1)) / (h * pixel)
    g = 1 + ratio * (u[None, :]**2 + v[:, None]**2) * (1240 / energy * 1e-9) * distance * math.pi
    out = np.fft.ifft2(np.fft.fftshift(np.fft.fft2(p)) / (g + g * 1j))
    return (-0.5 * ratio * np.log(np.abs(out)))[100:-100, 100:-100]
def projection(frame):
    frame = frame.copy()
    frame[:10] = frame[10]
    return fresnel_filter(frame, 100.0, dim=2, pad=pad)
peers = {"FresnelFilter-SINOGRAM": ("algotom fresnel_filter", lambda i: fresnel_filter(s[i], 100.0, dim=1, pad=pad)),
         "FresnelFilter-PROJECTION": ("algotom fresnel_filter", lambda i: projection(s[i])),
         "PaganinFilter": ("Savu's steps, numpy", lambda i: savu_paganin(s[i])),
         "MedianFilter-3x3": ("scipy median_filter", lambda i: ndi.median_filter(s[i], 3, mode="nearest")),
         "MedianFilter-3x3x3": ("scipy median_filter", "stack"),
         "CcpiRingArtefactFilter": (None, None),
         "DownsampleFilter": ("skimage block_reduce", lambda i: block_reduce(np.flipud(s[i]), (3, 3), np.mean)),
         "Convert360180Sinogram": ("algotom convert_sinogram_360_to_180", lambda i: convert_sinogram_360_to_180(s[i], 0.85 * cols + 0.3))}
print(f"{frames} frames of {rows} x {cols}, one core")
print("| plugin | savu frames/s | peer | peer frames/s | ratio |")
print("|---|---|---|---|---|")
for line in open(ours):
    name, _, rate = line.split()
    peer, f = peers[name]
    if f is None:
        print(f"| {name} | {float(rate):.2f} | none on PyPI | | |")
        continue
    if f == "stack":  # the whole stack in one call (3-D kernel)
        f = lambda i: ndi.median_filter(s, 3, mode="nearest") if i == 0 else None
    f(0)
    t0 = time.perf_counter()
    for i in range(frames):
        f(i)
    theirs = frames / (time.perf_counter() - t0)
    print(f"| {name} | {float(rate):.2f} | {peer} | {theirs:.2f} | {float(rate) / theirs:.1f}x |")
PYEOF
