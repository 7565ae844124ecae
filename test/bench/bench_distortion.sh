#!/bin/sh
# bench_distortion.sh: DistortionCorrection's kernels (test/bench/
# bench_distortion) beside discorpy 1.7.0 (the reference Python of
# .ci/reference-venv, one thread) on the same projections, in projections
# per second per core. discorpy's unwarp_image_backward makes the points
# again for every frame; Savu's plugin makes them once (pre_process) and
# calls scipy's map_coordinates per frame: both are timed. Usage, from the
# build folder:
#   test/bench/bench_distortion.sh [ROWS COLS FRAMES]   (default 2160 2560 4)
# The projections: smooth features with 2% noise; the distortion of Savu's
# test list (centre 1080 / 1280 scaled to the frame, coefficients scaled
# so that the same fraction of the frame moves).
set -e
rows=${1:-2160} cols=${2:-2560} frames=${3:-4}
ref=${REF_PYTHON:-.venv-ref/bin/python3}
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
"$ref" - "$tmp/frames.f32" "$rows" "$cols" "$frames" >"$tmp/model" <<'PYEOF'
import sys, numpy as np
path, rows, cols, frames = sys.argv[1], *map(int, sys.argv[2:])
rng = np.random.default_rng(0)
y, x = np.mgrid[:rows, :cols] / max(rows, cols)
f = 1 + 0.3 * np.sin(20 * x) * np.cos(15 * y)
s = f[None] * (1 + 0.02 * rng.standard_normal((frames, rows, cols)))
s.astype(np.float32).tofile(path)
scale = 2560.0 / cols
k = [1.00015076, 1.9289e-06, -2.4325e-08, 1.00439e-11, -3.99352e-15]
print(1280.0 / scale, 1080.0 / scale, *[c * scale ** i for i, c in enumerate(k)])
PYEOF
# shellcheck disable=SC2046
test/bench/bench_distortion "$tmp/frames.f32" "$rows" "$cols" "$frames" $(cat "$tmp/model") >"$tmp/ours"
"$ref" - "$tmp/frames.f32" "$rows" "$cols" "$frames" "$tmp/ours" $(cat "$tmp/model") <<'PYEOF'
import sys, time, numpy as np
from scipy.ndimage import map_coordinates
from discorpy.post.postprocessing import unwarp_image_backward
path, rows, cols, frames, ours = sys.argv[1], *map(int, sys.argv[2:5]), sys.argv[5]
xc, yc, *k = map(float, sys.argv[6:])
s = np.fromfile(path, np.float32).reshape(frames, rows, cols)
mine = dict((l.split()[0], l.split()[1:]) for l in open(ours))
def rate(f):
    f(s[0])
    t0 = time.perf_counter()
    for frame in s:
        f(frame)
    return frames / (time.perf_counter() - t0)
t0 = time.perf_counter()  # Savu's pre_process: the points once
xu, yu = np.meshgrid(np.arange(cols) - xc, np.arange(rows) - yc)
ru = np.sqrt(xu ** 2 + yu ** 2)
fact = np.sum(np.asarray([c * ru ** i for i, c in enumerate(k)]), axis=0)
xd = np.float32(np.clip(xc + fact * xu, 0, cols - 1))
yd = np.float32(np.clip(yc + fact * yu, 0, rows - 1))
idx = np.reshape(yd, (-1, 1)), np.reshape(xd, (-1, 1))
points = time.perf_counter() - t0
savu = rate(lambda a: map_coordinates(a, idx, order=1, mode="reflect").reshape(rows, cols))
disc = rate(lambda a: unwarp_image_backward(a, xc, yc, k))
ours_rate = float(mine["frames"][1])
print(f"{frames} projections of {rows} x {cols}, one core")
print("| | savu (C) | Savu's way (scipy map_coordinates) | discorpy unwarp_image_backward |")
print("|---|---|---|---|")
print(f"| points, once (s) | {float(mine['plan'][0]):.3f} | {points:.3f} | (every frame) |")
print(f"| projections/s | {ours_rate:.2f} | {savu:.2f} | {disc:.2f} |")
print(f"| savu (C) faster by | | {ours_rate / savu:.1f}x | {ours_rate / disc:.1f}x |")
PYEOF
