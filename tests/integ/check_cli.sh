#!/bin/sh
# ss7fw check -c FILE: exit 0 and "FILE: ok" for the shipped policies; exit 1
# and "file:line: message" for broken ones (syntax, semantics, @include'd list).
# Prints "check_cli: N passed, N failed" last.
set -u
cd "$(dirname "$0")/../.."
BIN=${SS7FW:-build/ss7fw}
[ -x "$BIN" ] || BIN=build/ss7fw
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }

# expect_ok FILE
expect_ok() {
	out=$("$BIN" check -c "$1" 2>&1); rc=$?
	if [ "$rc" = 0 ] && [ "$out" = "$1: ok" ]; then ok "$1 is valid"; else ko "$1: rc=$rc: $out"; fi
}
# expect_err FILE "file:line: text" (fixed string expected in the output)
expect_err() {
	out=$("$BIN" check -c "$1" 2>&1); rc=$?
	if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF -- "$2"; then ok "$1 -> $2"
	else ko "$1: rc=$rc, wanted '$2', got: $out"; fi
}

for f in policies/*.conf; do expect_ok "$f"; done

# libconfig syntax error: its own file:line
printf 'policy = {\n  mode = "enforce"\n  default = ;\n};\n' > "$tmp/syntax.conf"
expect_err "$tmp/syntax.conf" "$tmp/syntax.conf:3: "

# semantic errors with the setting's line
cat > "$tmp/sem.conf" <<'CONF'
policy = { mode = "paranoid"; };
rules = (
  { name = "r1"; action = "drop"; check = "no_such_check"; },
  { name = "r2"; action = "maybe"; match = { si = 3; }; },
  { name = "r3"; action = "drop"; match = { cgpa_gt = [ "12ab!" ]; }; }
);
CONF
expect_err "$tmp/sem.conf" "$tmp/sem.conf:1: 'policy.mode' = \"paranoid\" is not one of the allowed values"
expect_err "$tmp/sem.conf" "$tmp/sem.conf:3: rule 'r1': unknown check 'no_such_check'"
expect_err "$tmp/sem.conf" "$tmp/sem.conf:4: rule 'r2': action must be"
expect_err "$tmp/sem.conf" "$tmp/sem.conf:5: rule 'r3' cgpa_gt: \"12ab!\" is not a prefix"
n=$("$BIN" check -c "$tmp/sem.conf" 2>&1 | grep -c "^$tmp/sem.conf:[0-9]*: ")
if [ "$n" = 4 ]; then ok "one line per error (4)"; else ko "expected 4 error lines, got $n"; fi

# an error inside an @include'd list names the list file
mkdir -p "$tmp/lists"
printf 'smscs = [ "999340001",\n  "99934x" ];\n' > "$tmp/lists/smscs.conf"
printf 'lists = {\n  @include "lists/smscs.conf"\n};\nrules = ( { name = "a"; check = "malformed"; action = "drop"; } );\n' > "$tmp/inc.conf"
expect_err "$tmp/inc.conf" "$tmp/lists/smscs.conf:2: lists.smscs: \"99934x\" is not a prefix"

# missing file
expect_err "$tmp/none.conf" "$tmp/none.conf:"
# usage
"$BIN" check >/dev/null 2>&1; rc=$?
if [ "$rc" = 2 ]; then ok "usage error exits 2"; else ko "usage exit $rc"; fi

echo "check_cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
