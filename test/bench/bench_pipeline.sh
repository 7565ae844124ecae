#!/bin/sh
# bench_pipeline.sh: the whole engine on an analytic phantom — dark/flat
# correction, reslice, FBP, HDF5 output — timed on several rank counts.
# Prints, for each run: wall time, each section's time and its parts on rank
# 0 (read, compute, write, waiting) and their spread over the ranks, the reslice, peak memory per rank
# against the budget, the FBP rate in voxel-updates per second (per core),
# and the parallel efficiency against the first rank count.
#
#   test/bench/bench_pipeline.sh [options] BUILD_DIR WORK_DIR
#     -w WIDTH -r ROWS -a ANGLES   phantom size (1024 1024 1024)
#     -n "1 2"                     rank counts to run (1 2)
#     -t THREADS                   compute threads per rank (1)
#     -m SIZE                      --max-memory per rank (engine default)
#     -x "ARGS"                    more savu options (e.g. "--reslice file")
#     -l LIST                      process list (BUILD_DIR/lists/tomo_fbp.nxs), e.g.
#                                  lists/tomo_fbp_sino.nxs
#     -R N                         run the rank counts N times over (1); with N > 1,
#                                  end with each count's efficiency per round and
#                                  its median (for machines whose speed drifts)
#     -b POLICY                    mpirun --bind-to POLICY (none), e.g. core
#     -k                           keep the result files (else removed)
#     -o DIR                       output folders here (WORK_DIR/runs), e.g.
#                                  /dev/shm for the warm figure
# BUILD_DIR holds savu, savu_phantom and lists/tomo_fbp.nxs (build it
# without sanitizers). Results go to WORK_DIR/runs; the phantom is kept in
# WORK_DIR for the next run.
set -e
width=1024 rows=1024 angles=1024 ranks="1 2" threads=1 memory= extra= runs= keep= list= rounds=1
bind=none
while getopts w:r:a:n:t:m:x:o:l:R:b:k opt; do
    case $opt in
    w) width=$OPTARG ;; r) rows=$OPTARG ;; a) angles=$OPTARG ;; n) ranks=$OPTARG ;;
    t) threads=$OPTARG ;; m) memory="--max-memory $OPTARG" ;; x) extra=$OPTARG ;;
    o) runs=$OPTARG ;; l) list=$OPTARG ;; R) rounds=$OPTARG ;; b) bind=$OPTARG ;; k) keep=1 ;;
    *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
build=$1 work=$2
list=${list:-$build/lists/tomo_fbp.nxs}
[ -x "$build/savu" ] && [ -n "$work" ] || { echo "usage: $0 [options] BUILD_DIR WORK_DIR" >&2; exit 2; }
[ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
now() { date +%s.%N; }
runs=${runs:-$work/runs}
mkdir -p "$runs"
data="$work/phantom_${width}x${rows}x${angles}.nxs"
if [ ! -s "$data" ]; then
    t0=$(now)
    "$build/savu_phantom" --width "$width" --rows "$rows" --angles "$angles" --noise "$data" >/dev/null
    echo "phantom: $data written in $(calc "$(now) - $t0") s"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "size: $angles angles x $rows rows x $width pixels; $threads thread(s) per rank"
effs=
for round in $(seq 1 "$rounds"); do
[ "$rounds" -gt 1 ] && echo "=== round $round of $rounds"
base=
for np in $ranks; do
    name="w${width}r${rows}a${angles}_np${np}_t${threads}"
    rm -rf "${runs:?}/$name"
    t0=$(now)
    mpirun -np "$np" --bind-to "$bind" "$build/savu" "$data" "$list" "$runs" \
        -f "$name" -t "$threads" $memory $extra >"$runs/$name.out" 2>&1 ||
        { echo "run on $np ranks failed:"; tail -5 "$runs/$name.out"; exit 1; }
    wall=$(calc "$(now) - $t0")
    log="$runs/$name/run_log/log.txt"
    cores=$((np * threads))
    rate=$(calc "$angles * $width * $width * $rows / $wall / $cores" 0)
    echo "--- $np rank(s): wall $wall s, $rate voxel-updates/s per core (whole run)"
    grep -E 'section [0-9]+/[0-9]+ (times on rank 0|over the)|reslice|result files closed|peak memory' "$log" | sed 's/^.*INFO *//; s/^/    /'
    grep -E 'progress:.*done in' "$runs/$name.out" | sed 's/^/    /'
    if [ -z "$base" ]; then
        base=$wall base_np=$np
    else
        eff=$(calc "100 * $base * $base_np / ($wall * $np)" 1)
        echo "    speed-up vs $base_np rank(s): $(calc "$base / $wall"), parallel efficiency $eff %"
        effs="$effs$np $eff
"
    fi
    [ -n "$keep" ] || rm -f "$runs/$name"/*.h5
done
done
if [ "$rounds" -gt 1 ] && [ -n "$effs" ]; then
    printf '%s' "$effs" | sort -k1,1n -k2,2n | awk '
        { n[$1]++; v[$1, n[$1]] = $2 }
        END { for (np in n) {
                  line = ""; for (i = 1; i <= n[np]; i++) line = line " " v[np, i]
                  m = n[np] % 2 ? v[np, (n[np] + 1) / 2] : (v[np, n[np] / 2] + v[np, n[np] / 2 + 1]) / 2
                  printf "=== %s ranks: efficiency per round (sorted)%s %%; median %.1f %%\n", np, line, m } }'
fi
