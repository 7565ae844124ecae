#!/bin/sh
# quality_prep.sh: how much of a reconstruction's quality the
# pre-processing plugins give back on savu_phantom data (the default
# 160-pixel detector, 180 angles, a few rows, no noise unless -n): SSIM and
# PSNR (savu_phantom score) of the clean scan, of the scan with rings
# (--rings 0.02), with zingers (--zingers 0.002) and with both, each
# reconstructed plain and after the plugins that fix it; for rings also
# with the true gains divided out (the best any ring removal can do), so
# that the methods' own limit shows. Usage, from the build folder:
#   test/bench/quality_prep.sh [-n] [ROWS]        (ROWS: 4)
# Needs REF_PYTHON (or .venv-ref) for the true-gain line.
set -e
noise=""
[ "$1" = "-n" ] && { noise="--noise"; shift; }
rows=${1:-4}
ref=${REF_PYTHON:-.venv-ref/bin/python3}
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
for kind in clean rings zingers both; do
    case $kind in
    clean) extra="" ;;
    rings) extra="--rings 0.02" ;;
    zingers) extra="--zingers 0.002" ;;
    both) extra="--rings 0.02 --zingers 0.002" ;;
    esac
    ./savu_phantom --rows "$rows" --seed 2 $noise $extra "$tmp/$kind.nxs" >/dev/null
done
# The rings scan with the true gains divided out of its projections.
"$ref" - "$tmp" <<'PYEOF'
import sys, shutil, h5py, numpy as np
d, p = sys.argv[1], "entry1/tomo_entry/data/data"
key = h5py.File(f"{d}/clean.nxs", "r")["entry1/tomo_entry/instrument/detector/image_key"][...] == 0
clean = h5py.File(f"{d}/clean.nxs", "r")[p][...].astype(np.float64)
shutil.copy(f"{d}/rings.nxs", f"{d}/oracle.nxs")
with h5py.File(f"{d}/oracle.nxs", "r+") as f:
    data = f[p][...].astype(np.float64)
    gain = (data[key] / clean[key]).mean(axis=0)
    data[key] /= gain
    f[p][...] = np.round(data).astype(f[p].dtype)
PYEOF
# name | scan | plugins (savu_config lines between the correction and TomoRecon)
cases="plain|clean|
plain|rings|
true gains divided out|oracle|
RingRemovalSorting size 11|rings|add RingRemovalSorting\nmod 3.size 11
RingRemovalFiltering size 11|rings|add RingRemovalFiltering\nmod 3.size 11
RemoveAllRings 11, 5|rings|add RemoveAllRings\nmod 3.la_size 11\nmod 3.sm_size 5
RemoveAllRings (Savu's 71, 31)|rings|add RemoveAllRings
CcpiRingArtefactFilter 0.5|rings|add CcpiRingArtefactFilter\nmod 3.param_r 0.5
RingRemovalWaveletfft (Savu's defaults)|rings|add RingRemovalWaveletfft
RingRemovalWaveletfft sigma 2, level 5|rings|add RingRemovalWaveletfft\nmod 3.sigma 2\nmod 3.level 5
RavenFilter (Savu's defaults)|rings|add RavenFilter
RavenFilter uvalue 10|rings|add RavenFilter\nmod 3.uvalue 10
plain|zingers|
DezingerSinogram 3x3x3, outlier_mu 1|zingers|add DezingerSinogram\nmod 3.outlier_mu 1
plain|both|
DezingerSinogram + RemoveAllRings 11, 5|both|add DezingerSinogram\nmod 3.outlier_mu 1\nadd RemoveAllRings\nmod 4.la_size 11\nmod 4.sm_size 5"
echo "savu_phantom --rows $rows --seed 2 $noise (160 pixels, 180 angles), TomoRecon FBP ramp"
echo "| scan | processing | SSIM | PSNR dB |"
echo "|---|---|---|---|"
i=0
printf '%s\n' "$cases" | while IFS='|' read -r name scan plugins; do
    i=$((i + 1))
    printf "add NxtomoLoader\nadd DarkFlatFieldCorrection\nmod 2.pattern SINOGRAM\n${plugins:+$plugins\n}add TomoRecon\nsave $tmp/l$i.nxs\n" |
        ./savu_config -y >/dev/null
    mkdir -p "$tmp/o$i"
    mpirun -np 1 ./savu "$tmp/$scan.nxs" "$tmp/l$i.nxs" "$tmp/o$i" -q -f r </dev/null >/dev/null 2>&1
    result=$(ls "$tmp/o$i/r/"*tomo_recon.h5 </dev/null)
    ./savu_phantom score "$result" --phantom "$tmp/$scan.nxs" </dev/null >"$tmp/score"
    echo "| $scan | $name | $(sed -n 's/^ssim //p' "$tmp/score") | $(sed -n 's/^psnr //p' "$tmp/score") |"
done
