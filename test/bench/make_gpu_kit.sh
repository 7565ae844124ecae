#!/bin/sh
# make_gpu_kit.sh: builds a release (no sanitizers) copy of HEAD with CUDA
# and gathers what a GPU machine needs into KIT (default gpukit/, which
# .git/info/exclude should list): savu, savu_phantom, the shipped tomo_fbp lists,
# the GPU tests (and a list they need), the benchmarks and gpu_session.sh. Run on the development
# machine (after ../shared/device/fetch-libs, whose .devlibs this adds
# libtiff to); then on the device, with `.devlibs` and KIT carried:
#   . .devlibs/setup.sh && sh KIT/test/bench/gpu_session.sh [options]
#
#   test/bench/make_gpu_kit.sh [BUILD_DIR] [KIT]     (BUILD_DIR: /tmp/savu-rel)
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-/tmp/savu-rel} kit=${2:-$top/gpukit}
mkdir -p "$build" "$kit/test/gpu" "$kit/test/bench" "$kit/lists"
kit=$(cd "$kit" && pwd) # absolute: the build below runs in $build
(cd "$top" && git archive HEAD) | tar -x -C "$build"
cd "$build"
[ -f Makefile ] || { autoreconf -fi >/dev/null 2>&1 && ./configure -q --with-cuda=yes; }
make -j"$(nproc)" savu savu_phantom lists/tomo_fbp.nxs lists/tomo_fbp_sino.nxs \
    test/gpu/test_cuda_fbp test/gpu/test_cuda_filter test/gpu/test_cuda_chain savu_config \
    test/gpu/result_diff test/gpu/cuda_selftest test/bench/bench_fbp test/bench/bench_cores \
    test/bench/bench_cuda_fbp test/bench/bench_tmpfs \
    >make_gpu_kit.log 2>&1 ||
    { tail -20 make_gpu_kit.log; exit 1; }
cp savu savu_phantom "$kit/"
cp lists/tomo_fbp.nxs lists/tomo_fbp_sino.nxs "$kit/lists/"
# engine-gpu-chain.test's list with a bounded dark/flat (no savu_config there).
rm -f "$kit/lists/tomo_fbp_sino_bounded.nxs"
printf "open lists/tomo_fbp_sino.nxs\nmod 2.lower_bound 0\nsave $kit/lists/tomo_fbp_sino_bounded.nxs\n" |
    ./savu_config -y >/dev/null
cp test/gpu/engine-gpu.test test/gpu/engine-gpu-chain.test test/gpu/result_diff \
    test/gpu/test_cuda_fbp test/gpu/test_cuda_filter test/gpu/test_cuda_chain test/gpu/cuda_selftest \
    "$kit/test/gpu/"
cp test/bench/bench_pipeline.sh test/bench/gpu_session.sh test/bench/bench_fbp test/bench/bench_cores \
    test/bench/bench_tmpfs \
    test/bench/bench_cuda_fbp "$kit/test/bench/"
cp "$top/test/lsan.supp" "$kit/test/"
# libtiff and its libraries, which ../shared/device/libs.txt does not list
# (the GPU machine lacks them too).
if [ -d "$top/.devlibs" ] && ! ls "$top"/.devlibs/libtiff6_*.deb >/dev/null 2>&1; then
    (cd "$top/.devlibs" && apt-get download libtiff6 libjbig0 liblerc4 libwebp7 libdeflate0 \
        libjpeg62-turbo libpng16-16 >/dev/null 2>&1) || echo "could not fetch libtiff into .devlibs"
fi
echo "kit ready in $kit (built in $build)"
