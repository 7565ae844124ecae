"""median_ref.py: an independent numpy statement of Savu's median filter and
median dezinger (larix's MEDIAN_FILT / MEDIAN_DEZING, as Savu's MedianFilter,
Dezinger and DezingerSinogram call them), for engine-dezinger.test, and the
checks that test runs on the engine's --keep-intermediate results.

Definition: the median of the odd-sided cube (or square) around each value;
a neighbour beyond the frame's edge is taken at the value's own row or
column (larix), a neighbour frame beyond the data's ends is the first or
last frame (Savu's padding); NaN counts as 0. The dezinger keeps a value v
unless |v - median| >= outlier_mu * std(frame of v), where it puts the
median.

Usage: python median_ref.py CHECK ARGS... (see the functions below)."""
import sys
import h5py
import numpy as np


def shifted(frames, axis, d):
    """frames shifted by d along a frame axis (1 or 2), out of range -> own index."""
    n = frames.shape[axis]
    idx = np.arange(n) + d
    idx = np.where((idx < 0) | (idx >= n), np.arange(n), idx)
    return np.take(frames, idx, axis=axis)


def median_frames(frames, k, three_d):
    """frames: (n, rows, cols), float32; the median of each value's neighbourhood,
    the neighbouring frames along axis 0."""
    frames = np.nan_to_num(frames.astype(np.float32), nan=0.0)
    r = k // 2
    n = frames.shape[0]
    stack = []
    for dz in (range(-r, r + 1) if three_d else [0]):
        plane = frames[np.clip(np.arange(n) + dz, 0, n - 1)]
        for dy in range(-r, r + 1):
            rows = shifted(plane, 1, dy)
            for dx in range(-r, r + 1):
                stack.append(shifted(rows, 2, dx))
    stack = np.sort(np.stack(stack), axis=0)
    return stack[len(stack) // 2], frames


def dezing_frames(frames, k, mu, three_d):
    med, clean = median_frames(frames, k, three_d)
    thr = np.array([np.float32(mu * np.std(f.astype(np.float64))) for f in clean],
                   dtype=np.float32)[:, None, None]
    return np.where(np.abs(clean - med) >= thr, med, clean)


def to_frames(vol, slice_axis):
    return np.moveaxis(vol, slice_axis, 0)


def result(folder, number, module, name):
    path = "%s/tomo_p%d_%s.h5" % (folder, number, module)
    return h5py.File(path, "r")["%d-%s-tomo/data" % (number, name)][...]


def raw(scan):
    f = h5py.File(scan, "r")
    data = f["entry1/tomo_entry/data/data"][...].astype(np.float32)
    key = f["entry1/tomo_entry/instrument/detector/image_key"][...]
    return data[key == 0], data[key == 2], data[key == 1]


def report(what, got, want, interior=None):
    diff = np.abs(got.astype(np.float64) - want)
    bad = np.count_nonzero(diff > 0)
    print("%s: max |difference| %.3g, %d of %d values differ" % (what, diff.max(), bad, diff.size))
    return bad == 0


def check_chain(scan, folder):
    """The chain Loader, Dezinger, DarkFlatFieldCorrection, DezingerSinogram
    (k 5, 3D), MedianFilter (k 3, 3D, SINOGRAM), MedianFilter (k 5, 2D,
    PROJECTION), TomoRecon, MedianFilter (defaults: k 3, 3D, VOLUME_XZ)
    against this module and scipy."""
    from scipy import ndimage
    ok = True
    proj, darks, flats = raw(scan)
    dz = result(folder, 2, "dezinger", "Dezinger")
    ok &= report("Dezinger (3x3x3, mu 0.1) vs numpy", dz, dezing_frames(proj, 3, 0.1, True))
    # Darks and flats: averaged by the loader, then dezinged as single frames.
    dark = dezing_frames(darks.mean(axis=0, dtype=np.float64).astype(np.float32)[None], 3, 0.1, False)[0]
    flat = dezing_frames(flats.mean(axis=0, dtype=np.float64).astype(np.float32)[None], 3, 0.1, False)[0]
    raw_dark = darks.mean(axis=0)
    spike = np.unravel_index(np.argmax(np.abs(raw_dark - dark)), dark.shape)
    print("dark spike at %s: %.1f -> %.1f" % (spike, raw_dark[spike], dark[spike]))
    ok &= raw_dark[spike] - dark[spike] > 1000
    denom = flat.astype(np.float64) - dark
    denom[denom == 0] = 1
    want = (dz.astype(np.float64) - dark) / denom
    corrected = result(folder, 3, "dark_flat_field_correction", "DarkFlatFieldCorrection")
    rel = np.abs(corrected - want).max() / np.abs(want).max()
    print("DarkFlatFieldCorrection with dezinged dark and flat: relative difference %.2g" % rel)
    ok &= rel < 1e-5
    ds = result(folder, 4, "dezinger_sinogram", "DezingerSinogram")
    want = np.moveaxis(dezing_frames(to_frames(corrected, 1), 5, 0.1, True), 0, 1)
    ok &= report("DezingerSinogram (5x5x5, mu 0.1) vs numpy", ds, want)
    mf = result(folder, 5, "median_filter", "MedianFilter")
    want = ndimage.median_filter(ds, size=3, mode="nearest")
    ok &= report("MedianFilter (3x3x3) vs scipy.ndimage.median_filter (nearest), whole volume", mf, want)
    mf2 = result(folder, 6, "median_filter", "MedianFilter")
    want = ndimage.median_filter(mf, size=(1, 5, 5), mode="nearest")
    ok &= report("MedianFilter (5x5, PROJECTION) vs scipy, interior", mf2[:, 2:-2, 2:-2],
                 want[:, 2:-2, 2:-2])
    edge = np.count_nonzero(mf2 != want)
    print("  (scipy's 'nearest' differs at %d values of the 2-pixel border: larix takes the "
          "value's own row/column there)" % edge)
    ok &= report("MedianFilter (5x5, PROJECTION) vs numpy (larix borders)", mf2,
                 median_frames(mf, 5, False)[0])
    rec = result(folder, 7, "tomo_recon", "TomoRecon")
    mf3 = result(folder, 8, "median_filter", "MedianFilter")
    want = ndimage.median_filter(rec, size=3, mode="nearest")
    ok &= report("MedianFilter (3x3x3, VOLUME_XZ) of the reconstruction vs scipy", mf3, want)
    return ok


def check_ramp(scan, folder, number, module, name, slice_axis, mu, three_d):
    """A linear ramp with one spike and one bump below the threshold: the
    spike becomes the median of its neighbourhood (within a threshold of the
    ramp), everything else is unchanged."""
    proj = raw(scan)[0]
    out = result(folder, number, module, name)
    f = h5py.File(scan, "r")["entry1/ramp"]
    spike, bump = tuple(f["spike"][...]), tuple(f["bump"][...])
    ramp = f["ramp"][...].astype(np.float32)
    frames = to_frames(proj, slice_axis)
    thr = [mu * np.std(frames[p[slice_axis]].astype(np.float64)) for p in (spike, bump)]
    med = np.moveaxis(median_frames(frames, 3, three_d)[0], 0, slice_axis)
    ok = abs(proj[bump] - ramp[bump]) < thr[1] and abs(proj[spike] - ramp[spike]) > thr[0]
    print("%s: spike %.1f (threshold %.1f) -> %.1f (ramp %.1f, median %.1f); bump %.1f "
          "(threshold %.1f) -> %.1f" % (name, proj[spike], thr[0], out[spike], ramp[spike],
                                        med[spike], proj[bump], thr[1], out[bump]))
    ok &= out[spike] == med[spike] and abs(out[spike] - ramp[spike]) < thr[0]
    kept = proj.copy()
    kept[spike] = out[spike]
    return report("%s on the ramp: all but the spike unchanged" % name, out, kept) and ok


if __name__ == "__main__":
    check = sys.argv[1]
    if check == "chain":
        ok = check_chain(sys.argv[2], sys.argv[3])
    elif check == "ramp":
        ok = check_ramp(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6],
                        int(sys.argv[7]), float(sys.argv[8]), sys.argv[9] == "3D")
    elif check == "make-ramp":
        # Rewrites the projections of a savu_phantom scan (darks 0, flats
        # 1000) as a linear ramp in angle, row and column, with one spike and
        # one bump.
        f = h5py.File(sys.argv[2], "r+")
        data = f["entry1/tomo_entry/data/data"]
        key = f["entry1/tomo_entry/instrument/detector/image_key"][...]
        n = int(np.count_nonzero(key == 0))
        a, y, x = np.meshgrid(np.arange(n), np.arange(data.shape[1]), np.arange(data.shape[2]),
                              indexing="ij")
        ramp = 1000 + 5 * x + 3 * y + 2 * a
        proj = ramp.copy()
        spike, bump = (n // 2, data.shape[1] // 2, data.shape[2] // 2), (n // 3, 3, 5)
        proj[spike] += 4000
        proj[bump] += 8
        full = data[...]
        full[key == 0] = proj
        full[key == 2] = 0
        full[key == 1] = 1000
        data[...] = full
        g = f.create_group("entry1/ramp")
        g["ramp"], g["spike"], g["bump"] = ramp, spike, bump
        ok = True
    elif check == "spike-dark":
        # A zinger in one dark frame and one flat frame of a scan.
        f = h5py.File(sys.argv[2], "r+")
        data = f["entry1/tomo_entry/data/data"]
        key = f["entry1/tomo_entry/instrument/detector/image_key"][...]
        d, fl = int(np.flatnonzero(key == 2)[0]), int(np.flatnonzero(key == 1)[0])
        frame = data[d]
        frame[4, 7] = 60000
        data[d] = frame
        frame = data[fl]
        frame[5, 9] = 65000
        data[fl] = frame
        ok = True
    sys.exit(0 if ok else 1)
