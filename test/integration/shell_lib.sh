# shell_lib.sh: helpers for the shell-*.test scripts, which feed commands
# to the built ./savu_config and check its exact output and exit status.
# Sourced; sets $work (a temporary directory removed at exit).
SAVU_CONFIG=${SAVU_CONFIG:-./savu_config}
LISTS=${SAVU_LISTS_DIR:-${srcdir:-.}/test/data/savu-lists}
COLUMNS=80
export COLUMNS
unset NO_COLOR
HOME=${TMPDIR:-/tmp}
export HOME
failures=0
work=$(mktemp -d "${TMPDIR:-/tmp}/shell-test.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# run INPUT [ARGS...]: runs savu_config with INPUT (printf format) on stdin;
# output in $work/out, errors in $work/err, exit status in $status.
run() {
    input=$1
    shift
    printf "$input" > "$work/in"
    "$SAVU_CONFIG" "$@" < "$work/in" > "$work/out" 2> "$work/err"
    status=$?
    last_input=$(printf "$input" | tr '\n' ';')
    sanitizer_check
}

# Fails when a sanitizer reported a problem in $work/err.
sanitizer_check() {
    if grep -q 'Sanitizer\|runtime error:' "$work/err"; then
        fail "[$last_input] sanitizer report: $(head -20 "$work/err")"
    fi
}

# has_line FILE LINE: FILE has exactly this line.
has_line() {
    grep -Fxq -- "$2" "$1"
}

# expect_out LINE...: each line is in the output.
expect_out() {
    for line in "$@"; do
        has_line "$work/out" "$line" || fail "[$last_input] output lacks: $line"
    done
}

# expect_err LINE...: each line is in the error output.
expect_err() {
    for line in "$@"; do
        has_line "$work/err" "$line" || fail "[$last_input] errors lack: $line (got: $(cat "$work/err"))"
    done
}

expect_no_err() {
    [ -s "$work/err" ] && fail "[$last_input] unexpected errors: $(cat "$work/err")"
    return 0
}

expect_status() {
    [ "$status" -eq "$1" ] || fail "[$last_input] exit status $status, expected $1"
}

# expect_block LINES: the output contains these lines consecutively
# (LINES is one string with newlines).
expect_block() {
    printf '%s\n' "$1" > "$work/want"
    awk -v wantfile="$work/want" '
        BEGIN { while ((getline l < wantfile) > 0) want[n++] = l }
        { got[m++] = $0 }
        END {
            for (i = 0; i + n <= m; i++) {
                ok = 1
                for (k = 0; k < n && ok; k++) if (got[i + k] != want[k]) ok = 0
                if (ok) exit 0
            }
            exit 1
        }' "$work/out" || fail "[$last_input] output lacks the block:
$1
--- got:
$(cat "$work/out")"
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed"
        exit 1
    fi
    exit 0
}
