"""fbp_vs_skimage.py: PSNR of our CPU FBP against skimage.transform.iradon on
the Shepp-Logan sinogram of skimage.transform.radon, for the filters both
implement. Run by fbp-vs-skimage.test:

    fbp_vs_skimage.py PATH/TO/fbp_raw_recon WORK_DIR

Geometry mapping (skimage 0.19, radon/iradon with circle=True):
  * skimage puts the rotation axis at pixel n // 2 of the image and of the
    detector; savu's pixel grid is centred at (n - 1) / 2. The two grids
    coincide only for odd n, so the phantom is resized to an odd size and our
    centre of rotation is n // 2 (= (n - 1) / 2, the default).
  * skimage's detector coordinate for angle phi is t = col' cos(phi) -
    row' sin(phi) (row', col' = image index - n // 2); ours is u - cor =
    x cos(theta) + z sin(theta) with x = ix - (n-1)/2, z = iz - (n-1)/2.
    With theta = phi + 90 degrees, -x sin(phi) + z cos(phi) = t, so x = row'
    and z = col': our image [ix][iz] is skimage's [row][col], same indexing.
  * skimage's sinogram is [detector][angle]; ours is [angle][detector].
PSNR is taken against the phantom inside the disc of radius 0.9 n / 2 (both
reconstructions mask outside the inscribed circle) with data range 1.

Both programs run the same algorithm (ramp kernel built from the discrete
spatial kernel, zero padding to >= 2n, linear interpolation), so for ramp,
shepp-logan and cosine the PSNRs agree to about 1e-5 dB; ours is float32 and
skimage float64, so "at least skimage's" allows ROUNDING_DB below it. For
hamming and hann ours is slightly higher (skimage's np.hamming / np.hanning
of length N put the window's peak half a bin off DC). The two images must
also agree pixel by pixel (RMS difference < MAX_RMS_DIFFERENCE), which is
what shows that the geometry mapping is right.
"""
import os
import subprocess
import sys

import numpy as np
from skimage.data import shepp_logan_phantom
from skimage.transform import iradon, radon, resize

SIZE = 255  # odd: see the mapping above
N_ANGLES = 256
FILTERS = ("ramp", "shepp-logan", "cosine", "hamming", "hann")
ROUNDING_DB = 1e-3
MAX_RMS_DIFFERENCE = 1e-4


def psnr(image, reference, mask):
    mse = np.mean((image[mask] - reference[mask]) ** 2)
    return 10 * np.log10(1.0 / mse)


def ours(tool, work, sinogram, theta, filter_name):
    angles = (theta + 90.0).astype(np.float64)
    angles_path = os.path.join(work, "angles.f64")
    sino_path = os.path.join(work, "sino.f32")
    out_path = os.path.join(work, "out.f32")
    angles.tofile(angles_path)
    np.ascontiguousarray(sinogram.T, dtype=np.float32).tofile(sino_path)
    subprocess.run([tool, str(SIZE), str(len(theta)), filter_name, str(SIZE // 2), "0.95",
                    angles_path, sino_path, out_path], check=True)
    return np.fromfile(out_path, dtype=np.float32).reshape(SIZE, SIZE).astype(np.float64)


def main():
    tool, work = sys.argv[1], sys.argv[2]
    phantom = resize(shepp_logan_phantom(), (SIZE, SIZE), anti_aliasing=True)
    theta = np.linspace(0.0, 180.0, N_ANGLES, endpoint=False)
    sinogram = radon(phantom, theta=theta, circle=True)
    rows, cols = np.mgrid[:SIZE, :SIZE] - SIZE // 2
    mask = rows ** 2 + cols ** 2 <= (0.9 * SIZE / 2) ** 2
    failures = 0
    for name in FILTERS:
        mine = ours(tool, work, sinogram, theta, name)
        theirs = iradon(sinogram, theta=theta, filter_name=name, circle=True)
        ours_psnr = psnr(mine, phantom, mask)
        theirs_psnr = psnr(theirs, phantom, mask)
        rms = np.sqrt(np.mean((mine[mask] - theirs[mask]) ** 2))
        good = ours_psnr >= theirs_psnr - ROUNDING_DB and rms < MAX_RMS_DIFFERENCE
        failures += not good
        print(f"{name:12s} savu {ours_psnr:8.4f} dB   skimage {theirs_psnr:8.4f} dB   "
              f"difference {ours_psnr - theirs_psnr:+.6f} dB   RMS image difference "
              f"{rms:.2e}   {'ok' if good else 'FAIL'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
