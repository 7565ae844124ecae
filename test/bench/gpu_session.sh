#!/bin/sh
# gpu_session.sh: one GPU-machine session in one call (device time is
# scarce): the GPU tests, then the end-to-end 2048^3 figures of the CUDA and
# multi-GPU issues. Run from the kit made by make_gpu_kit.sh, after
# `. .devlibs/setup.sh`; writes its reports to $OUT (default /tmp/out).
#
#   sh test/bench/gpu_session.sh [-t] [-b] [-p] [-w] [-c] [-g "1 2"] [-s SIZE] [-l LIST]
#     -t        the GPU tests (test_cuda_filter, test_cuda_fbp, test_cuda_chain,
#               engine-gpu.test, engine-gpu-chain.test)
#     -b        the kernel benchmark (bench_cuda_fbp: filters, backprojection)
#     -p        the CPU path's scaling: bench_cores, bench_fbp on 1 and all threads, and
#               the engine on 1 and nproc ranks (1024 x 256 x 1024, --gpu=off)
#     -w        warm runs (input in the page cache, output in /dev/shm):
#               fp32, and fp16x4 with float16 output
#     -c        a cold run (page cache dropped, input and output on disk)
#               and the dd floor (16 GiB with direct I/O)
#     -g LIST   GPU counts (one rank per GPU) for the warm runs (default 1)
#     -s SIZE   phantom size (default 2048: SIZE angles x SIZE rows x SIZE)
#     -l LIST   process list of the warm and cold runs (default
#               lists/tomo_fbp.nxs; lists/tomo_fbp_sino.nxs: no reslice)
cd "$(dirname "$0")/../.." || exit 2
tests= bench= cpu= warm= cold= gpus=1 size=2048 list=lists/tomo_fbp.nxs
while getopts tbpwcg:s:l: opt; do
    case $opt in
    t) tests=1 ;; b) bench=1 ;; p) cpu=1 ;; w) warm=1 ;; c) cold=1 ;; g) gpus=$OPTARG ;;
    s) size=$OPTARG ;; l) list=$OPTARG ;;
    *) exit 2 ;;
    esac
done
export OMPI_MCA_rmaps_base_oversubscribe=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 \
    NVSHMEM_DISABLE_NVLS=1
[ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
O=${OUT:-/tmp/out} W=/tmp/bench
mkdir -p "$O" "$W"
{ nvidia-smi --query-gpu=index,name,memory.total,driver_version --format=csv; nproc
  grep -m1 'model name' /proc/cpuinfo; free -g | head -2; df -h / /dev/shm | tail -2; } \
    >"$O/machine.txt" 2>&1
threads=$(( $(nproc) / $(echo "$gpus" | tr ' ' '\n' | sort -n | tail -1) ))
B="sh test/bench/bench_pipeline.sh -w $size -r $size -a $size -t $threads -m 90G -l $list"
r=tomo_p3_tomo_recon.h5:/3-TomoRecon-tomo/data
if [ -n "$tests" ]; then
    { echo "== test_cuda_filter"; timeout 120 ./test/gpu/test_cuda_filter; echo "rc=$?"
      echo "== test_cuda_fbp"; timeout 120 ./test/gpu/test_cuda_fbp; echo "rc=$?"
      echo "== test_cuda_chain"; timeout 60 ./test/gpu/test_cuda_chain; echo "rc=$?"
      echo "== engine-gpu.test"; timeout 300 sh test/gpu/engine-gpu.test; echo "rc=$?"
      echo "== engine-gpu-chain.test"; timeout 300 sh test/gpu/engine-gpu-chain.test; echo "rc=$?"; } \
        >"$O/tests.txt" 2>&1
fi
if [ -n "$bench" ]; then
    { echo "== bench_cuda_fbp"; timeout 200 ./test/bench/bench_cuda_fbp; echo "rc=$?"; } \
        >"$O/bench.txt" 2>&1
fi
if [ -n "$cpu" ]; then
    n=$(nproc)
    { echo "== bench_cores (per-core speed with 1..$n cores busy)"; timeout 60 ./test/bench/bench_cores
      echo "== bench_fbp, 1 and $n threads"
      timeout 100 ./test/bench/bench_fbp --threads 1; timeout 60 ./test/bench/bench_fbp --threads "$n"
      echo "== engine on the CPU, 1 and $n ranks"
      timeout 400 sh test/bench/bench_pipeline.sh -w 1024 -r 256 -a 1024 -n "1 $n" -t 1 \
          -x --gpu=off . "$W/cpu"; echo "rc=$?"; } >"$O/cpu.txt" 2>&1
fi
if [ -n "$warm" ]; then
    echo "== warm fp32, GPUs: $gpus" >"$O/warm.txt"
    timeout 400 $B -k -n "$gpus" -x --gpu=on -o /dev/shm/runs . "$W" >>"$O/warm.txt" 2>&1
    echo "rc=$?" >>"$O/warm.txt"
    first=${gpus%% *} last=${gpus##* }
    if [ "$first" != "$last" ]; then
        a=/dev/shm/runs/w${size}r${size}a${size}_np${first}_t$threads/$r
        b=/dev/shm/runs/w${size}r${size}a${size}_np${last}_t$threads/$r
        echo "== $first vs $last GPUs: $(timeout 300 ./test/gpu/result_diff "$a" "$b" 2>&1)" >>"$O/warm.txt"
    fi
    cp /dev/shm/runs/*/run_log/log.txt "$O/" 2>/dev/null
    rm -rf /dev/shm/runs
    echo "== warm fp16x4 + float16 output, GPUs: $gpus" >>"$O/warm.txt"
    timeout 300 $B -n "$gpus" -x "--gpu=on --gpu-precision=fp16x4 --output-dtype=float16" \
        -o /dev/shm/runs . "$W" >>"$O/warm.txt" 2>&1
    echo "rc=$?" >>"$O/warm.txt"
    rm -rf /dev/shm/runs
fi
if [ -n "$cold" ]; then
    echo "== cold fp32, 1 GPU" >"$O/cold.txt"
    sync; echo 3 >/proc/sys/vm/drop_caches && echo "page cache dropped" >>"$O/cold.txt"
    timeout 300 $B -n 1 -x --gpu=on -o "$W/runs" . "$W" >>"$O/cold.txt" 2>&1
    echo "rc=$?" >>"$O/cold.txt"
    rm -rf "$W/runs"
    echo "== dd floor (16 GiB, direct I/O): write, read" >>"$O/cold.txt"
    timeout 60 dd if=/dev/zero of="$W/dd.bin" bs=64M count=256 oflag=direct 2>&1 | tail -1 >>"$O/cold.txt"
    timeout 60 dd if="$W/dd.bin" of=/dev/null bs=64M iflag=direct 2>&1 | tail -1 >>"$O/cold.txt"
    rm -f "$W/dd.bin"
fi
cat "$O"/*.txt
