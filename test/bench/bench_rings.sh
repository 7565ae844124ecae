#!/bin/sh
# bench_rings.sh: the ring-removal plugins' kernels (test/bench/bench_rings)
# beside algotom 1.7.0's functions (the reference Python of
# .ci/reference-venv, numpy + numba, one thread) on the same sinograms, in
# sinograms per second per core. RingRemovalWaveletfft and RavenFilter are
# timed beside remove_stripe_based_wavelet_fft and remove_stripe_based_fft,
# whose padding is algotom's own (150 each side for the default size). Usage, from the build folder:
#   test/bench/bench_rings.sh [NROW NCOL FRAMES]   (default 1800 2560 4)
# The sinograms: a smooth profile with 5% noise and a few stripes.
set -e
nrow=${1:-1800} ncol=${2:-2560} frames=${3:-4}
ref=${REF_PYTHON:-.venv-ref/bin/python3}
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 NUMBA_NUM_THREADS=1
"$ref" - "$tmp/sinos.f32" "$nrow" "$ncol" "$frames" <<'PYEOF'
import sys, numpy as np
path, nrow, ncol, frames = sys.argv[1], *map(int, sys.argv[2:])
rng = np.random.default_rng(0)
x = np.linspace(-1, 1, ncol)
s = 1 + 0.3 * np.exp(-4 * x**2)[None, None, :] + 0.05 * rng.standard_normal((frames, nrow, ncol))
s[:, :, ncol // 5] *= 1.1
s[:, :, ncol // 3:ncol // 3 + 8] *= 0.8
s[:, :, ncol // 2] = 0.7
s.astype(np.float32).tofile(path)
PYEOF
test/bench/bench_rings "$tmp/sinos.f32" "$nrow" "$ncol" "$frames" >"$tmp/ours"
"$ref" - "$tmp/sinos.f32" "$nrow" "$ncol" "$frames" "$tmp/ours" <<'PYEOF'
import sys, time, numpy as np
import algotom.prep.removal as rem
path, nrow, ncol, frames, ours = sys.argv[1], *map(int, sys.argv[2:5]), sys.argv[5]
s = np.fromfile(path, np.float32).reshape(frames, nrow, ncol)
calls = {"RingRemovalSorting": lambda a: rem.remove_stripe_based_sorting(a, 31),
         "RingRemovalFiltering": lambda a: rem.remove_stripe_based_filtering(a, 3, 31),
         "RemoveLargeRings": lambda a: rem.remove_large_stripe(a, 3.0, 71),
         "RemoveUnresponsiveAndFluctuatingRings": lambda a: rem.remove_dead_stripe(a, 3.0, 51),
         "RemoveAllRings": lambda a: rem.remove_all_stripe(a, 3.0, 71, 31),
         # algotom pads min(150, 10% of the smaller side), Savu padFT (20, 50).
         "RingRemovalWaveletfft": lambda a: rem.remove_stripe_based_wavelet_fft(
             a, level=4, size=1, wavelet_name="db8"),
         "RavenFilter": lambda a: rem.remove_stripe_based_fft(a, u=20, n=8, v=1)}
print(f"{frames} sinograms of {nrow} x {ncol}, one core")
print(f"| plugin | savu sinograms/s | algotom sinograms/s | ratio |")
print(f"|---|---|---|---|")
for line in open(ours):
    name, _, rate = line.split()
    f = calls[name]
    f(s[0])
    t0 = time.perf_counter()
    for frame in s:
        f(frame)
    theirs = frames / (time.perf_counter() - t0)
    print(f"| {name} | {float(rate):.2f} | {theirs:.2f} | {float(rate) / theirs:.1f}x |")
PYEOF
