# engine_lib.sh: helpers for the engine-*.test scripts, which run the built
# ./savu engine (under mpirun) on small savu_phantom scans with the process
# lists that the build makes, and check the results with h5py. Sourced; sets
# $work (a temporary folder removed at exit) and needs python3 with h5py
# (H5PY_PYTHON from configure) and mpirun, else skips (77).
SAVU=${SAVU:-./savu}
PHANTOM=./savu_phantom
CONFIG=./savu_config
PY=${H5PY_PYTHON:-}
[ -n "$PY" ] || { echo "SKIP: no python3 with h5py"; exit 77; }
# The methods' reference implementations (REF_PYTHON from configure:
# .ci/reference-venv): a test comparing with them calls need_reference.
REF=${REF_PYTHON:-}
need_reference() {
    [ -n "$REF" ] || { echo "SKIP: no reference Python (run .ci/reference-venv, then configure)"; exit 77; }
}
command -v mpirun >/dev/null || { echo "SKIP: no mpirun"; exit 77; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
# Open MPI's own allocations outlive MPI_Finalize: not ours to report.
export LSAN_OPTIONS="suppressions=${srcdir:-.}/test/lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0:use_tls=0"
export NO_COLOR=1
failures=0
work=$(mktemp -d "${TMPDIR:-/tmp}/engine-test.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

finish() {
    [ "$failures" -eq 0 ] && echo "PASS" && exit 0
    echo "$failures failure(s)"
    exit 1
}

# savu_run NP ARGS...: runs savu on NP ranks; stdout in $work/out, stderr in
# $work/err, exit status in $status.
savu_run() {
    np=$1
    shift
    timeout 600 mpirun -np "$np" "$SAVU" "$@" >"$work/out" 2>"$work/err"
    status=$? # 124: hung, killed after 10 minutes
    if grep -q 'Sanitizer\|runtime error:' "$work/err"; then
        fail "savu $*: sanitizer report: $(head -30 "$work/err")"
    fi
}

# savu_alone ARGS...: runs savu as one MPI rank, with rank 0's own stdout
# and stderr in $work/out and $work/err (without what mpirun adds), exit
# status in $status. (Run under mpirun even alone: LeakSanitizer cannot
# stop the world of an Open MPI singleton.)
savu_alone() {
    rm -rf "$work/rank-output"
    mpirun -np 1 --output-filename "$work/rank-output" "$SAVU" "$@" >/dev/null 2>&1
    status=$?
    cat "$work/rank-output/1/rank.0/stdout" >"$work/out" 2>/dev/null || : >"$work/out"
    cat "$work/rank-output/1/rank.0/stderr" >"$work/err" 2>/dev/null || : >"$work/err"
    if grep -q 'Sanitizer\|runtime error:' "$work/err"; then
        fail "savu $*: sanitizer report: $(head -30 "$work/err")"
    fi
}

# make_list NAME COMMANDS: a process list $work/NAME.nxs built by savu_config
# from COMMANDS (printf format, one command per line).
make_list() {
    printf "$2" | "$CONFIG" -y >"$work/config.out" 2>&1 ||
        fail "savu_config for $1: $(cat "$work/config.out")"
}

# folder_of NAME: the output folder $work/runs/NAME made by `-f NAME`.
folder_of() {
    echo "$work/runs/$1"
}
