# ss7fw integration tests — the shell harness the scripts share (sourced,
# never run: tests/run.sh runs tests/integ/*.sh only). Before sourcing, set
# NAME (the closing line's label); it provides W (a scratch folder, removed
# at exit unless KEEP is set), pids (processes stopped at exit: TERM first,
# which a timeout(1) wrapper passes on to its child, then KILL), ok, notok
# (shows the tail of every W/*.log), check, finish (prints "NAME: N passed,
# N failed" and exits), wait_for SECONDS COMMAND..., gone PID and wait_rc
# PID SECONDS (its exit status, 124 if it had to be killed).
W=$(mktemp -d)
pass=0 fail=0
pids=""
cleanup() {
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	sleep 0.3
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	[ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
ok() { pass=$((pass + 1)); echo "ok     - $*"; }
notok() { fail=$((fail + 1)); echo "NOT OK - $*"; for f in "$W"/*.log; do [ -f "$f" ] || continue; echo "    --- $f"; tail -n 15 "$f" | sed 's/^/    | /'; done; }
check() { what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }
finish() { echo "$NAME: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }
wait_for() { # SECONDS COMMAND...
	n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}
gone() { ! kill -0 "$1" 2>/dev/null; }
wait_rc() { # PID SECONDS
	wait_for "$2" gone "$1" || { kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 124; }
	wait "$1"
}
