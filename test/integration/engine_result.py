"""engine_result.py: reads and compares the engine's results for the
engine-*.test scripts.

  engine_result.py same A.h5 B.h5 [REL]   max |A - B| <= REL * range(A) (1e-5)
  engine_result.py shape A.h5 D0,D1,...   the result has this shape
  engine_result.py slice A.h5 B.h5 I,J    A[..., I, J] equals B (untuned) to 1e-5
  engine_result.py half A.h5 B.h5         B is float16 and equals A rounded to half
  engine_result.py u16 A.h5 B.h5 MIN MAX  B is uint16: A mapped from [MIN, MAX] onto
                                          0..65535 (rounded, clipped, NaN 0), with
                                          scale_factor and add_offset mapping back

A result is the `data` of the one NXdata group (N-Plugin-name) in a result
file; exit status 0 when the check holds, 1 with a line saying why."""
import sys

import h5py
import numpy as np


def result_dataset(f, path):
    groups = [g for g in f if isinstance(f[g], h5py.Group) and "data" in f[g]]
    assert len(groups) == 1, f"{path}: groups {list(f)}"
    return f[groups[0]]["data"]


def result(path):
    with h5py.File(path, "r") as f:
        return result_dataset(f, path)[...]


def scaled_u16(a_path, b_path, lo, hi):
    a = result(a_path)
    with h5py.File(b_path, "r") as f:
        d = result_dataset(f, b_path)
        b, scale, offset = d[...], float(d.attrs["scale_factor"]), float(d.attrs["add_offset"])
    assert b.dtype == np.uint16, f"{b_path} holds {b.dtype}, not uint16"
    assert offset == lo and abs(scale - (hi - lo) / 65535) <= 1e-15, \
        f"scale_factor {scale}, add_offset {offset}"
    q = (a.astype(np.float64) - lo) * (65535.0 / (hi - lo))
    want = np.where(np.isnan(q) | (q <= 0), 0, np.where(q >= 65535, 65535, np.floor(q + 0.5)))
    assert np.array_equal(want.astype(np.uint16), b), \
        f"{np.count_nonzero(want.astype(np.uint16) != b)} values differ from the mapping"
    inside = (a > lo) & (a < hi)
    err = float(np.max(np.abs(offset + scale * b[inside] - a[inside])))
    assert err <= scale / 2 + 1e-12, f"values map back within {err:.3g} > half a step"
    clipped = int(np.count_nonzero(~inside))
    print(f"uint16: {clipped} values clipped, the rest within {err:.3g} of float32")


def same(a, b, rel):
    assert a.shape == b.shape, f"shapes {a.shape} and {b.shape}"
    span = float(np.nanmax(a) - np.nanmin(a))
    diff = float(np.nanmax(np.abs(a - b)))
    assert np.isfinite(a).all() and np.isfinite(b).all(), "non-finite values"
    assert diff <= rel * span, f"max difference {diff:.3g} > {rel} x range {span:.3g}"
    print(f"max difference {diff:.3g} (range {span:.3g})")


def main(argv):
    cmd = argv[1]
    if cmd == "same":
        same(result(argv[2]), result(argv[3]), float(argv[4]) if len(argv) > 4 else 1e-5)
    elif cmd == "half":
        a, b = result(argv[2]), result(argv[3])
        assert b.dtype == np.float16, f"{argv[3]} holds {b.dtype}, not float16"
        assert a.dtype == np.float32, f"{argv[2]} holds {a.dtype}, not float32"
        assert np.array_equal(a.astype(np.float16), b), \
            f"{np.count_nonzero(a.astype(np.float16) != b)} values differ from numpy's rounding"
    elif cmd == "u16":
        scaled_u16(argv[2], argv[3], float(argv[4]), float(argv[5]))
    elif cmd == "shape":
        want = tuple(int(x) for x in argv[3].split(","))
        got = result(argv[2]).shape
        assert got == want, f"shape {got}, expected {want}"
    elif cmd == "slice":
        index = tuple(int(x) for x in argv[4].split(","))
        same(result(argv[3]), result(argv[2])[(Ellipsis,) + index], 1e-5)
    else:
        raise SystemExit(f"unknown check {cmd}")


if __name__ == "__main__":
    try:
        main(sys.argv)
    except AssertionError as e:
        print(f"{' '.join(sys.argv[1:3])}: {e}")
        sys.exit(1)
