#!/bin/sh
# Runs every test and prints the closing line "N passed, N failed".
#   sh tests/run.sh          all: unit (build/ and build-asan/), integration, fuzz smoke
#   sh tests/run.sh unit     unit tests of build/ only
# Each test prints "<name>: P passed, F failed" as its last such line; a test
# that exits non-zero without one counts as one failure.
set -u
cd "$(dirname "$0")/.."
what=${1:-all}
total_p=0; total_f=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

run_one() { # label command...
	label=$1; shift
	out="$log/out"
	"$@" >"$out" 2>&1
	rc=$?
	line=$(grep -E '^[A-Za-z0-9_./-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
		f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	else
		p=0; f=1
		[ "$rc" = 0 ] && f=1
	fi
	total_p=$((total_p + p)); total_f=$((total_f + f))
	if [ "$f" != 0 ]; then
		echo "FAIL [$label] $* (exit $rc):"
		tail -n 40 "$out" | sed 's/^/    /'
	else
		echo "ok   [$label] ${line:-$*}"
	fi
}

unit() { # builddir
	for t in "$1"/tests/test_*; do
		[ -x "$t" ] || continue
		run_one "$(basename "$1")" "$t"
	done
}

case $what in
unit) unit build ;;
all)
	unit build
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 unit build-asan
	for t in tests/integ/*.sh; do
		[ -f "$t" ] || continue
		run_one integ sh "$t"
	done
	;;
esac
echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
